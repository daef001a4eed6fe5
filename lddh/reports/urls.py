from django.urls import path

from lddh.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("tai-ve/", views.download, name="download"),
    path("khen-thuong/", views.commendation, name="commendation"),
    path("khen-thuong/tai-ve/", views.commendation_download, name="commendation_download"),
]
