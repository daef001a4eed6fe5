from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from donations import urls as donations_urls
from lddh.ward.forms import LoginForm
from lddh.ward.twofactor import two_factor_setup, two_factor_verify
from lddh.ward.views import admin_login, amount_words, favicon, healthz, my_sign_ins

urlpatterns = [
    path("", include("lddh.public.urls")),
    path("", include((donations_urls.public_urlpatterns, "donations_public"))),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("nhan-tien/", include((donations_urls.receiver_urlpatterns, "feed_receiver"))),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "quan-ly/mat-khau/",
        auth_views.PasswordChangeView.as_view(success_url="/quan-ly/mat-khau/xong/"),
        name="password_change",
    ),
    path(
        "quan-ly/mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("dang-nhap/ma-xac-thuc/", two_factor_verify, name="two_factor_verify"),
    path("quan-ly/dang-nhap-gan-day/", my_sign_ins, name="sign_ins"),
    path("quan-ly/tien-bang-chu/", amount_words, name="amount_words"),
    path("quan-ly/xac-thuc-hai-buoc/", two_factor_setup, name="two_factor_setup"),
    path("quan-ly/", include("lddh.dashboard.urls")),
    path("quan-ly/chien-dich/", include("campaigns.urls")),
    path("quan-ly/ung-ho/", include("donations.urls")),
    path("quan-ly/nguon-tien/", include((donations_urls.feed_urlpatterns, "feeds"))),
    path("quan-ly/ho-gia-dinh/", include("households.urls")),
    path("quan-ly/bao-cao/", include("lddh.reports.urls")),
    path("quan-ly/giam-sat/", include("lddh.supervision.urls")),
    # Before the admin's own URLs: the admin site signs in through /dang-nhap/ only.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
