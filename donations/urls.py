from django.urls import path

from donations import views

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
]
