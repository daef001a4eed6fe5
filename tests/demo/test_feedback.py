"""The demo's residents' feedback: one item in every state, one new and one overdue in
the inspection team's inbox, published answers on the public page without the senders'
contact; idempotent; no money moves."""

from django.core.management import call_command
from django.test import Client

from donations.models import LedgerEntry
from lddh.supervision.models import Feedback


def test_demo_feedback_in_every_state(db):
    call_command("seed_demo")
    entries = LedgerEntry.objects.count()
    statuses = set(Feedback.objects.values_list("status", flat=True))
    assert statuses == set(Feedback.Status.values)
    assert Feedback.objects.filter(published_at__isnull=False).count() == 2
    count = Feedback.objects.count()
    call_command("seed_demo")
    assert Feedback.objects.count() == count
    assert LedgerEntry.objects.count() == entries
    page = Client().get("/phan-anh/").content.decode()
    assert "khác với số đọc trên loa phường" in page
    for private in ("Nguyễn Thị Lan", "0912 000 444", "nguoidan.to7@example.vn", "Phạm Văn Hùng"):
        assert private not in page
    supervisor = Client()
    from django.contrib.auth import get_user_model

    supervisor.force_login(get_user_model().objects.get(username="giamsat"))
    home = supervisor.get("/quan-ly/").content.decode()
    assert "Phản ánh mới chưa giao xử lý" in home and "Phản ánh quá hạn trả lời" in home
