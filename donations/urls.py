from django.urls import path

from donations import views, views_bank, views_rounds

app_name = "donations"
urlpatterns = [
    path("", views.donation_list, name="list"),
    path("nhap/", views.donation_create, name="create"),
    path("<int:pk>/", views.donation_detail, name="detail"),
    path("<int:pk>/de-nghi-huy/", views.void_request_create, name="void_request"),
    path("bien-nhan/", views.receipt_register, name="receipt_register"),
    path("bien-nhan/<int:pk>/in/", views.receipt_pdf, name="receipt_pdf"),
    path("de-nghi-huy/", views.void_list, name="void_list"),
    path("de-nghi-huy/<int:pk>/duyet/", views.void_approve, name="void_approve"),
    path("de-nghi-huy/<int:pk>/tu-choi/", views.void_reject, name="void_reject"),
    path("nguoi-ung-ho/", views.donor_list, name="donor_list"),
    path("nguoi-ung-ho/tim/", views.donor_search, name="donor_search"),
    path("nguoi-ung-ho/them/", views.donor_create, name="donor_create"),
    path("nguoi-ung-ho/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("nguoi-ung-ho/<int:pk>/sua/", views.donor_update, name="donor_update"),
    path("nguoi-ung-ho/<int:pk>/thu-cam-on/", views.thank_you_pdf, name="thank_you_pdf"),
    path("so-quy/", views.ledger, name="ledger"),
    path("dot-thu/", views_rounds.round_list, name="round_list"),
    path("dot-thu/tao/", views_rounds.round_create, name="round_create"),
    path("dot-thu/mau-excel/", views_rounds.round_template, name="round_template"),
    path("dot-thu/<int:pk>/", views_rounds.round_detail, name="round_detail"),
    path("dot-thu/<int:pk>/sua/", views_rounds.round_update, name="round_update"),
    path("dot-thu/<int:pk>/nhap-excel/", views_rounds.round_import, name="round_import"),
    path("dot-thu/<int:pk>/kiem-tra/", views_rounds.round_check, name="round_check"),
    path("dot-thu/<int:pk>/ghi-so/", views_rounds.round_post, name="round_post"),
    path("dot-thu/<int:pk>/xoa/", views_rounds.round_delete, name="round_delete"),
    path("sao-ke/", views_bank.statement_upload, name="statement_upload"),
    path("sao-ke/dong/", views_bank.statement_queue, name="statement_queue"),
    path("sao-ke/dong/<int:pk>/", views_bank.statement_line, name="statement_line"),
    path("sao-ke/dong/<int:pk>/khop/", views_bank.statement_match, name="statement_match"),
    path("sao-ke/dong/<int:pk>/ghi-ung-ho/", views_bank.statement_record, name="statement_record"),
    path("sao-ke/dong/<int:pk>/bo-qua/", views_bank.statement_ignore, name="statement_ignore"),
    path("doi-chieu/", views_bank.reconciliation, name="reconciliation"),
]
