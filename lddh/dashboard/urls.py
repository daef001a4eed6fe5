from django.urls import path

from lddh.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
]
