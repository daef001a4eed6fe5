"""Public addresses of the donations app, included at the site root (printed on paper)."""

from django.urls import path

from donations import views

app_name = "donations_public"
urlpatterns = [
    path("bien-nhan/<str:token>/", views.receipt_verify, name="receipt_verify"),
]
