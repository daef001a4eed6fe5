"""Addresses of the donations app: the staff pages under /quan-ly/ung-ho/, and the
public ones (printed on paper, so stable) included at the site root."""

from django.urls import path

from donations.views import (
    batches,
    cards,
    donations,
    feeds,
    layouts,
    messages,
    pledges,
    receipts,
    rounds,
    statements,
    stock,
)

app_name = "donations"
urlpatterns = [
    path("", donations.donation_list, name="list"),
    path("nhap/", donations.donation_create, name="create"),
    path("<int:pk>/", donations.donation_detail, name="detail"),
    path("<int:pk>/de-nghi-huy/", donations.void_request_create, name="void_request"),
    path("bien-nhan/", receipts.receipt_register, name="receipt_register"),
    path("bien-nhan/<int:pk>/in/", receipts.receipt_pdf, name="receipt_pdf"),
    path("bien-nhan/in-hang-loat/", receipts.receipt_batch, name="receipt_batch"),
    path("bien-nhan/in-hang-loat/<int:pk>/", batches.batch_detail, name="receipt_batch_job"),
    path(
        "bien-nhan/in-hang-loat/<int:pk>/tien-do/",
        batches.batch_progress,
        name="receipt_batch_progress",
    ),
    path(
        "bien-nhan/in-hang-loat/<int:pk>/tai/",
        batches.batch_download,
        name="receipt_batch_download",
    ),
    path("de-nghi-huy/", donations.void_list, name="void_list"),
    path("de-nghi-huy/<int:pk>/duyet/", donations.void_approve, name="void_approve"),
    path("de-nghi-huy/<int:pk>/tu-choi/", donations.void_reject, name="void_reject"),
    path("nguoi-ung-ho/", donations.donor_list, name="donor_list"),
    path("nguoi-ung-ho/tim/", donations.donor_search, name="donor_search"),
    path("nguoi-ung-ho/them/", donations.donor_create, name="donor_create"),
    path("nguoi-ung-ho/<int:pk>/", donations.donor_detail, name="donor_detail"),
    path("nguoi-ung-ho/<int:pk>/sua/", donations.donor_update, name="donor_update"),
    path("nguoi-ung-ho/<int:pk>/thu-cam-on/", donations.thank_you_pdf, name="thank_you_pdf"),
    path(
        "nguoi-ung-ho/<int:pk>/xac-nhan-nam/<int:year>/",
        donations.donor_statement_pdf,
        name="donor_statement_pdf",
    ),
    path("nguoi-ung-ho/<int:pk>/the/", cards.donor_card, name="donor_card"),
    path("cam-ket/", pledges.pledge_list, name="pledge_list"),
    path("cam-ket/ghi/", pledges.pledge_create, name="pledge_create"),
    path("cam-ket/ghi-nhanh/", pledges.pledge_quick, name="pledge_quick"),
    path("cam-ket/<int:pk>/", pledges.pledge_detail, name="pledge_detail"),
    path("cam-ket/<int:pk>/huy/", pledges.pledge_cancel, name="pledge_cancel"),
    path("cam-ket/<int:pk>/tinh-khoan-nop/", pledges.pledge_link, name="pledge_link"),
    path("so-quy/", donations.ledger, name="ledger"),
    path("kho/", stock.stock_list, name="stock_list"),
    path("kho/<int:pk>/", stock.stock_item, name="stock_item"),
    path("kho/kiem-ke/", stock.stock_count, name="stock_count"),
    path("kho/kiem-ke/<int:pk>/duyet/", stock.stock_count_approve, name="stock_count_approve"),
    path("kho/kiem-ke/<int:pk>/tu-choi/", stock.stock_count_reject, name="stock_count_reject"),
    path("tin-nhan/", messages.message_list, name="message_list"),
    path("tin-nhan/<int:pk>/gui-lai/", messages.message_resend, name="message_resend"),
    path("dot-thu/", rounds.round_list, name="round_list"),
    path("dot-thu/tao/", rounds.round_create, name="round_create"),
    path("dot-thu/mau-excel/", rounds.round_template, name="round_template"),
    path("dot-thu/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("dot-thu/<int:pk>/sua/", rounds.round_update, name="round_update"),
    path("dot-thu/<int:pk>/nhap-excel/", rounds.round_import, name="round_import"),
    path("dot-thu/<int:pk>/kiem-tra/", rounds.round_check, name="round_check"),
    path("dot-thu/<int:pk>/ghi-so/", rounds.round_post, name="round_post"),
    path("dot-thu/<int:pk>/xoa/", rounds.round_delete, name="round_delete"),
    path("sao-ke/", statements.statement_upload, name="statement_upload"),
    path("sao-ke/nhap/<int:pk>/", statements.statement_import, name="statement_import"),
    path(
        "sao-ke/nhap/<int:pk>/tien-do/",
        statements.statement_import_progress,
        name="statement_import_progress",
    ),
    path(
        "sao-ke/nhap/<int:pk>/quyet-dinh/",
        statements.statement_import_decide,
        name="statement_import_decide",
    ),
    path(
        "sao-ke/chenh-lech/<int:pk>/giai-trinh/",
        statements.balance_gap_explain,
        name="balance_gap_explain",
    ),
    path("sao-ke/dong/", statements.statement_queue, name="statement_queue"),
    path("sao-ke/mau/", layouts.layout_list, name="layout_list"),
    path("sao-ke/mau/tao/", layouts.layout_create, name="layout_create"),
    path("sao-ke/mau/<int:pk>/sua/", layouts.layout_edit, name="layout_edit"),
    path("sao-ke/dong/ghi-nhieu/", statements.statement_bulk, name="statement_bulk"),
    path("sao-ke/dong/<int:pk>/", statements.statement_line, name="statement_line"),
    path("sao-ke/dong/<int:pk>/khop/", statements.statement_match, name="statement_match"),
    path("sao-ke/dong/<int:pk>/ghi-ung-ho/", statements.statement_record, name="statement_record"),
    path("sao-ke/dong/<int:pk>/bo-qua/", statements.statement_ignore, name="statement_ignore"),
    path("doi-chieu/", statements.reconciliation, name="reconciliation"),
]

# Included at the site root under the namespace "donations_public".
public_urlpatterns = [
    path("bien-nhan/<str:token>/", receipts.receipt_verify, name="receipt_verify"),
    path("tu-choi-nhan-tin/<str:token>/", messages.opt_out, name="opt_out"),
]

# The bank feeds: the office's pages (/quan-ly/nguon-tien/, namespace "feeds") and the
# receivers the providers call (/nhan-tien/, namespace "feed_receiver").
feed_urlpatterns = [
    path("", feeds.feed_list, name="list"),
    path("<int:pk>/", feeds.feed_detail, name="detail"),
    path("<int:pk>/quy-tac/", feeds.feed_rules, name="rules"),
    path("<int:pk>/doi-khoa/", feeds.feed_rotate, name="rotate"),
    path("lan-nhan/<int:pk>/", feeds.delivery_detail, name="delivery"),
    path("lan-nhan/<int:pk>/xu-ly-lai/", feeds.delivery_replay, name="replay"),
]
receiver_urlpatterns = [path("<str:provider>/<str:token>/", feeds.receive, name="receive")]
