"""Public addresses (printed on paper, so stable) and the committee's publication page.
Included at the site root by lddh/urls.py."""

from django.urls import path, re_path

from lddh.public import views

app_name = "public"
YEAR = r"cong-khai/(?P<year>[0-9]{4})"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^{YEAR}/$", views.year, name="year"),
    re_path(rf"^{YEAR}/ung-ho/$", views.donors, name="donors"),
    re_path(rf"^{YEAR}/chi-ho-tro/$", views.spending, name="spending"),
    re_path(
        rf"^{YEAR}/tai-ve/(?P<kind>ung-ho|chi-ho-tro)-(?P<period>[0-9]{{4}}-[0-9]{{2}}(?:-[0-9]{{2}})?)"
        r"\.(?P<fmt>csv|xlsx)$",
        views.download,
        name="download",
    ),
    path("cong-khai/bao-cao/", views.reports, name="reports"),
    path("niem-yet/", views.postings, name="postings"),
    re_path(
        r"^cong-khai/bao-cao/(?P<sha256>[0-9a-f]{64})\.pdf$", views.report_file, name="report_file"
    ),
    path("tra-cuu/", views.receipt_check_view, name="receipt_check"),
    path("quan-ly/cong-khai/", views.publish, name="publish"),
]
