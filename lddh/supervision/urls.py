from django.urls import path

from lddh.supervision import views
from lddh.supervision.feedback import views as feedback

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("kiem-tra/", views.check, name="check"),
    path("kiem-tra/doi-chieu/", views.compare_head, name="compare_head"),
    path("nhat-ky/", views.audit, name="audit"),
    path("nhat-ky/thong-tin-nhay-cam/", views.audit_sensitive, name="audit_sensitive"),
    path("dot-kiem-tra/", views.inspection_list, name="inspection_list"),
    path("dot-kiem-tra/them/", views.inspection_create, name="inspection_create"),
    path("dot-kiem-tra/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("dot-kiem-tra/<int:pk>/sua/", views.inspection_edit, name="inspection_edit"),
    path("dot-kiem-tra/<int:pk>/khac-phuc/", views.inspection_status, name="inspection_status"),
    path("dot-kiem-tra/<int:pk>/dinh-kem/", views.inspection_attach, name="inspection_attach"),
    path(
        "dot-kiem-tra/<int:pk>/dinh-kem/<int:attachment_pk>/",
        views.inspection_attachment,
        name="inspection_attachment",
    ),
    path("lich/", views.calendar, name="calendar"),
    path("chon-mau/", views.sample_list, name="sample_list"),
    path("chon-mau/them/", views.sample_create, name="sample_create"),
    path("chon-mau/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("chon-mau/<int:pk>/muc/<int:item_pk>/", views.sample_record, name="sample_record"),
    path("chon-mau/<int:pk>/lap-bien-ban/", views.sample_inspection, name="sample_inspection"),
    path("chon-mau/<int:pk>/phieu-xac-minh.pdf", views.sample_pdf, name="sample_pdf"),
    path("phan-anh/", feedback.feedback_list, name="feedback_list"),
    path("phan-anh/<int:pk>/", feedback.feedback_detail, name="feedback_detail"),
    path("phan-anh/<int:pk>/giao/", feedback.feedback_assign, name="feedback_assign"),
    path("phan-anh/<int:pk>/tra-loi/", feedback.feedback_answer, name="feedback_answer"),
    path("phan-anh/<int:pk>/ket-thuc/", feedback.feedback_close, name="feedback_close"),
    path("phan-anh/<int:pk>/cong-khai/", feedback.feedback_publish, name="feedback_publish"),
    path(
        "phan-anh/<int:pk>/thoi-cong-khai/",
        feedback.feedback_unpublish,
        name="feedback_unpublish",
    ),
    path(
        "phan-anh/<int:pk>/tep/<int:attachment_pk>/",
        feedback.feedback_attachment,
        name="feedback_attachment",
    ),
]
