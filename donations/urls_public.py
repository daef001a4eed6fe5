"""Public addresses of the donations app, included at the site root (printed on paper)."""

from django.urls import path

from donations import views, views_messages

app_name = "donations_public"
urlpatterns = [
    path("bien-nhan/<str:token>/", views.receipt_verify, name="receipt_verify"),
    path("tu-choi-nhan-tin/<str:token>/", views_messages.opt_out, name="opt_out"),
]
