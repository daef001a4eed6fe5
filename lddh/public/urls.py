"""Public addresses (printed on paper, so stable) and the committee's publication page.
Included at the site root by lddh/urls.py."""

from django.urls import path, re_path

from lddh.public import feedback, views
from lddh.ward.feedback_link import FEEDBACK_PATH

app_name = "public"
YEAR = r"cong-khai/(?P<year>[0-9]{4})"
FEEDBACK = FEEDBACK_PATH.lstrip("/")  # "phan-anh/", printed as a QR code
urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^{YEAR}/$", views.year, name="year"),
    re_path(rf"^{YEAR}/ung-ho/$", views.donors, name="donors"),
    re_path(rf"^{YEAR}/chi-ho-tro/$", views.spending, name="spending"),
    # Proof of spending: a distribution round by its random token, one support by its
    # handover record number (only a paid support has one), an approved redacted scan.
    re_path(
        rf"^{YEAR}/chi-ho-tro/dot/(?P<token>[0-9a-f]{{16}})/$",
        views.spending_round,
        name="spending_round",
    ),
    re_path(
        rf"^{YEAR}/chi-ho-tro/ho-tro/(?P<number>BB-[0-9]{{4}}-[0-9]{{4,8}})/$",
        views.spending_support,
        name="spending_support",
    ),
    re_path(
        rf"^{YEAR}/chi-ho-tro/ban-chup/(?P<token>[0-9a-f]{{32}})\.(?P<ext>pdf|png|jpg)$",
        views.spending_scan,
        name="spending_scan",
    ),
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
    path(FEEDBACK, feedback.feedback, name="feedback"),
    path(f"{FEEDBACK}da-gui/", feedback.feedback_sent, name="feedback_sent"),
    path(f"{FEEDBACK}tra-cuu/", feedback.feedback_track, name="feedback_track"),
    path("quan-ly/cong-khai/", views.publish, name="publish"),
]
