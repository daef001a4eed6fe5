from django.urls import path

from households.views import personal_data, rounds, scans, support
from households.views import register as views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("them/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/thong-tin-ca-nhan/", views.household_sensitive, name="sensitive"),
    path("<int:pk>/sua/", views.household_edit, name="edit"),
    path(
        "<int:pk>/du-lieu-ca-nhan.json",
        personal_data.household_data_export,
        name="data_export",
    ),
    path("<int:pk>/phan-loai/", views.household_classify, name="classify"),
    path("<int:pk>/ra-khoi-danh-sach/", views.household_exit, name="exit"),
    path("<int:pk>/tro-lai-danh-sach/", views.household_reactivate, name="reactivate"),
    path("<int:pk>/thanh-vien/them/", views.member_add, name="member_add"),
    path("<int:pk>/thanh-vien/<int:member_pk>/sua/", views.member_edit, name="member_edit"),
    path("<int:pk>/thanh-vien/<int:member_pk>/xoa/", views.member_delete, name="member_delete"),
    path("<int:pk>/nhu-cau/them/", views.need_add, name="need_add"),
    path("<int:pk>/nhu-cau/<int:need_pk>/sua/", views.need_edit, name="need_edit"),
    path("<int:pk>/ke-hoach/them/", views.plan_add, name="plan_add"),
    path("<int:pk>/ke-hoach/<int:item_pk>/sua/", views.plan_edit, name="plan_edit"),
    path("de-xuat/", views.proposal_list, name="proposals"),
    path("de-xuat/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("de-xuat/<int:pk>/chap-nhan/", views.proposal_accept, name="proposal_accept"),
    path("de-xuat/<int:pk>/tra-lai/", views.proposal_return, name="proposal_return"),
    path("ra-soat/", views.review_overview, name="reviews"),
    path("ra-soat/<int:campaign_pk>/to/<int:group_pk>/", views.review_group, name="review_group"),
    path(
        "ra-soat/<int:campaign_pk>/to/<int:group_pk>/hoan-thanh/",
        views.review_complete,
        name="review_complete",
    ),
    path(
        "ra-soat/<int:campaign_pk>/ho/<int:household_pk>/",
        views.review_record,
        name="review_record",
    ),
    path("xuat-excel/", views.export_register, name="export"),
    path("an-danh/", personal_data.anonymise, name="anonymise"),
    path("nhap-excel/", views.import_upload, name="import"),
    path("nhap-excel/ghi/", views.import_apply, name="import_apply"),
    path("nhap-excel/mau.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/cong-khai/", support.household_consent, name="consent"),
    # Support: proposed → approved / rejected → paid / handed over → followed up.
    path("<int:pk>/ho-tro/them/", support.support_create, name="support_create"),
    path("ho-tro/", support.support_list, name="support_list"),
    path("ho-tro/cho-duyet/", support.support_to_approve, name="support_to_approve"),
    path("ho-tro/cho-chi/", support.support_to_pay, name="support_to_pay"),
    path("ho-tro/<int:pk>/", support.support_detail, name="support_detail"),
    path("ho-tro/<int:pk>/sua/", support.support_edit, name="support_edit"),
    path("ho-tro/<int:pk>/duyet/", support.support_approve, name="support_approve"),
    path("ho-tro/<int:pk>/khong-duyet/", support.support_reject, name="support_reject"),
    path("ho-tro/<int:pk>/chi/", support.support_pay, name="support_pay"),
    path("ho-tro/<int:pk>/huy/", support.support_cancel, name="support_cancel"),
    path("ho-tro/<int:pk>/theo-doi/", support.support_follow_up, name="support_follow_up"),
    path("ho-tro/<int:pk>/dinh-kem/", support.support_attach, name="support_attach"),
    path(
        "ho-tro/<int:pk>/dinh-kem/<int:attachment_pk>/",
        support.support_attachment,
        name="support_attachment",
    ),
    path("ho-tro/<int:pk>/bien-ban.pdf", support.support_voucher, name="support_voucher"),
    # Redacted scans of signed handover records, published after a second person's review.
    path("ho-tro/ban-che/", scans.scan_list, name="scan_list"),
    path("ho-tro/<int:pk>/ban-che/", scans.scan_upload, name="scan_upload"),
    path("ho-tro/<int:pk>/ban-che/<int:scan_pk>/", scans.scan_file, name="scan_file"),
    path("ho-tro/<int:pk>/ban-che/<int:scan_pk>/duyet/", scans.scan_approve, name="scan_approve"),
    path(
        "ho-tro/<int:pk>/ban-che/<int:scan_pk>/khong-duyet/",
        scans.scan_reject,
        name="scan_reject",
    ),
    path(
        "ho-tro/<int:pk>/ban-che/<int:scan_pk>/thoi-cong-khai/",
        scans.scan_withdraw,
        name="scan_withdraw",
    ),
    # Distribution rounds (e.g. Tết gifts) and their signed recipient list.
    path("dot-trao/", rounds.round_list, name="round_list"),
    path("dot-trao/them/", rounds.round_create, name="round_create"),
    path("dot-trao/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("dot-trao/<int:pk>/duyet/", rounds.round_approve, name="round_approve"),
    path("dot-trao/<int:pk>/chi/", rounds.round_pay, name="round_pay"),
    path(
        "dot-trao/<int:pk>/danh-sach-ky-nhan.pdf", rounds.round_signed_pdf, name="round_signed_pdf"
    ),
    path(
        "dot-trao/<int:pk>/danh-sach-ky-nhan.xlsx",
        rounds.round_signed_xlsx,
        name="round_signed_xlsx",
    ),
]
