from django.contrib.auth import authenticate
from django.core.management import call_command

from lddh.ward.models import Membership, ResidentialGroup
from lddh.ward.roles import Role


def _counts():
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if not m._meta.label.startswith(("sessions.", "admin."))
    }


def test_seed_demo_is_idempotent_and_creates_every_role(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    assert ResidentialGroup.objects.count() == 9
    for username in ["canbo", "thuongtruc", "ketoan", "captren", "giamsat", "admin"] + [
        f"to{n}" for n in range(1, 10)
    ]:
        assert authenticate(username=username, password="lddh2024"), username
    to3 = Membership.objects.get(user__username="to3")
    assert (to3.role, to3.group.number) == (Role.LEADER, 3)


def test_the_demo_shows_failed_sign_ins_at_the_next_sign_in(db, client):
    from lddh.demo import ward as ward_demo

    ward_demo.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.post(
        "/dang-nhap/", {"username": "thuongtruc", "password": "lddh2024"}, follow=True
    ).content.decode()
    assert "3 lần đăng nhập sai từ 198.51.100.23, 203.0.113.45 kể từ lần đăng nhập trước" in page
    history = client.get("/quan-ly/dang-nhap-gan-day/").content.decode()
    assert history.count("Nhập sai mật khẩu") == 3


def test_the_demo_profile_names_who_prepares_reports_and_who_keeps_the_books(db):
    from lddh.demo import ward as ward_demo
    from lddh.ward.models import WardProfile

    ward_demo.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115
    captions = dict(WardProfile.current().report_signatures())
    assert captions["NGƯỜI LẬP BIỂU\nCán bộ văn phòng Ủy ban MTTQ phường"] == "Nguyễn Thị Hương"
    assert captions["KẾ TOÁN\nKế toán Quỹ “Vì người nghèo”"] == "Lê Thị Mai"
