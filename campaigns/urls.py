from django.urls import path

from campaigns.views import activities, board, campaigns, plan

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("tao/", campaigns.campaign_create, name="create"),
    path("<int:pk>/", campaigns.campaign_detail, name="detail"),
    path("<int:pk>/sua/", campaigns.campaign_edit, name="edit"),
    path("<int:pk>/trien-khai/", campaigns.campaign_activate, name="activate"),
    path("<int:pk>/ket-thuc/", campaigns.campaign_close, name="close"),
    path("<int:pk>/mo-lai/", campaigns.campaign_reopen, name="reopen"),
    path("<int:pk>/sao-chep/", campaigns.campaign_copy, name="copy"),
    path("<int:pk>/ke-hoach/", plan.plan, name="plan"),
    path("<int:pk>/ke-hoach.pdf", plan.plan_pdf, name="plan_pdf"),
    path("<int:pk>/ke-hoach/them/", plan.block_create, name="block_create"),
    path("<int:pk>/ke-hoach/<int:block_pk>/sua/", plan.block_edit, name="block_edit"),
    path("<int:pk>/ke-hoach/<int:block_pk>/di-chuyen/", plan.block_move, name="block_move"),
    path("<int:pk>/ke-hoach/<int:block_pk>/xoa/", plan.block_delete, name="block_delete"),
    path("<int:pk>/ban-van-dong/", board.board, name="board"),
    path("<int:pk>/ban-van-dong/them/", board.board_create, name="board_create"),
    path("<int:pk>/ban-van-dong/<int:member_pk>/sua/", board.board_edit, name="board_edit"),
    path("<int:pk>/ban-van-dong/<int:member_pk>/xoa/", board.board_delete, name="board_delete"),
    path("<int:pk>/chi-tieu/", board.targets, name="targets"),
    path("<int:pk>/hoat-dong/", activities.activities, name="activities"),
    path("<int:pk>/hoat-dong/them/", activities.activity_create, name="activity_create"),
    path(
        "<int:pk>/hoat-dong/<int:activity_pk>/sua/", activities.activity_edit, name="activity_edit"
    ),
    path(
        "<int:pk>/hoat-dong/<int:activity_pk>/xoa/",
        activities.activity_delete,
        name="activity_delete",
    ),
]
