from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("tao/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/sua/", views.campaign_edit, name="edit"),
    path("<int:pk>/trien-khai/", views.campaign_activate, name="activate"),
    path("<int:pk>/ket-thuc/", views.campaign_close, name="close"),
    path("<int:pk>/mo-lai/", views.campaign_reopen, name="reopen"),
    path("<int:pk>/sao-chep/", views.campaign_copy, name="copy"),
    path("<int:pk>/ke-hoach/", views.plan, name="plan"),
    path("<int:pk>/ke-hoach.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/ke-hoach/them/", views.block_create, name="block_create"),
    path("<int:pk>/ke-hoach/<int:block_pk>/sua/", views.block_edit, name="block_edit"),
    path("<int:pk>/ke-hoach/<int:block_pk>/di-chuyen/", views.block_move, name="block_move"),
    path("<int:pk>/ke-hoach/<int:block_pk>/xoa/", views.block_delete, name="block_delete"),
    path("<int:pk>/ban-van-dong/", views.board, name="board"),
    path("<int:pk>/ban-van-dong/them/", views.board_create, name="board_create"),
    path("<int:pk>/ban-van-dong/<int:member_pk>/sua/", views.board_edit, name="board_edit"),
    path("<int:pk>/ban-van-dong/<int:member_pk>/xoa/", views.board_delete, name="board_delete"),
    path("<int:pk>/chi-tieu/", views.targets, name="targets"),
    path("<int:pk>/hoat-dong/", views.activities, name="activities"),
    path("<int:pk>/hoat-dong/them/", views.activity_create, name="activity_create"),
    path("<int:pk>/hoat-dong/<int:activity_pk>/sua/", views.activity_edit, name="activity_edit"),
    path(
        "<int:pk>/hoat-dong/<int:activity_pk>/xoa/",
        views.activity_delete,
        name="activity_delete",
    ),
]
