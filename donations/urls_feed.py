"""The bank feeds' addresses: the public receivers the providers call, and the office's
pages (included from lddh/urls.py under /nhan-tien/ and /quan-ly/nguon-tien/)."""

from django.urls import path

from donations import views_feed

receiver_patterns = (
    [path("<str:provider>/<str:token>/", views_feed.receive, name="receive")],
    "feed_receiver",
)

app_name = "feeds"
urlpatterns = [
    path("", views_feed.feed_list, name="list"),
    path("<int:pk>/", views_feed.feed_detail, name="detail"),
    path("<int:pk>/quy-tac/", views_feed.feed_rules, name="rules"),
    path("<int:pk>/doi-khoa/", views_feed.feed_rotate, name="rotate"),
    path("lan-nhan/<int:pk>/", views_feed.delivery_detail, name="delivery"),
    path("lan-nhan/<int:pk>/xu-ly-lai/", views_feed.delivery_replay, name="replay"),
]
