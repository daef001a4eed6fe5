"""A group leader prepares the review meeting of their group on a 360 px phone, typing
(hostile values first); another group's meeting answers 404; ward staff record the votes
on the phone, hostile counts refused with messages naming the field."""

from __future__ import annotations

import pytest

from households.models import ReviewMeeting
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
DJANGO_GENERIC = ("Trường này là bắt buộc", "Nhập một số nguyên", "Nhập một ngày hợp lệ")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"{page.url} is {width} px wide"


def _errors(page) -> str:
    return " ".join(page.locator("main [id^=error_] strong, main .alert-danger").all_inner_texts())


def test_leader_prepares_and_staff_record_votes_on_a_small_phone(browser_world, new_page, screens):
    from tests.factories import CampaignFactory, HouseholdFactory, ProposalFactory
    from tests.households.meeting_helpers import meeting

    world = browser_world
    campaign = CampaignFactory()
    assert campaign.status == campaign.Status.ACTIVE
    household = HouseholdFactory(group=world.groups[1], head_name="Phạm Thị Lan")
    ProposalFactory(household=household, group=world.groups[1], proposed_by=world.users["leader1"])
    other = meeting(world, campaign=campaign)  # group 2's meeting

    page = new_page(viewport=SMALL_PHONE)
    login(page, "to1")
    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/binh-xet/them/")
    assert page.locator("#id_group").get_attribute("type") == "hidden"
    assert page.get_attribute("#id_invited_count", "inputmode") == "numeric"
    _fits(page)
    # Hostile values first: an impossible day, letters for a count, no chair.
    page.locator("#id_date").fill("")
    page.locator("#id_date").press_sequentially("31/02/2024")
    page.locator("#id_place").press_sequentially("Nhà văn hóa tổ 1")
    page.locator("#id_secretary").press_sequentially("Trần Thị Thư")
    page.locator("#id_invited_count").press_sequentially("mười lăm")
    page.click("main form button[type=submit]")
    errors = _errors(page)
    assert "Ngày họp" in errors and "Số người được mời" in errors and "người chủ trì" in errors
    for generic in DJANGO_GENERIC:
        assert generic not in page.content()
    assert not ReviewMeeting.objects.filter(group=world.groups[1]).exists()
    screens.shot(page, "loi")
    _fits(page)
    # Then what the leader really types.
    page.locator("#id_date").fill("")
    page.locator("#id_date").press_sequentially("05/10/2024")
    page.locator("#id_time").fill("")
    page.locator("#id_time").press_sequentially("19:30")
    page.locator("#id_chair").press_sequentially("Lê Văn Chủ")
    page.locator("#id_invited_count").fill("")
    page.locator("#id_invited_count").press_sequentially("15")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/binh-xet/*/")
    created = ReviewMeeting.objects.get(group=world.groups[1])
    assert created.invited_count == 15 and created.chair == "Lê Văn Chủ"
    assert "Phạm Thị Lan" in page.inner_text("main")  # the pending proposal is on the agenda
    _fits(page)
    page.locator("#id_attendee-name").press_sequentially("Ngô Văn Bí")
    page.select_option("#id_attendee-role", "party")
    page.click("form[aria-label='Thêm thành phần dự họp'] button[type=submit]")
    page.wait_for_load_state()
    assert "Ngô Văn Bí – Bí thư chi bộ" in page.inner_text("main")
    screens.shot(page, "cuoc-hop")
    _fits(page)
    # Another group's meeting does not exist for this leader.
    response = page.goto(page.base_url + f"/quan-ly/ho-gia-dinh/binh-xet/{other.pk}/")
    assert response.status == 404
    page.context.close()

    # Ward staff record the votes on the phone.
    item = created.items.get()
    page = new_page(viewport=SMALL_PHONE)
    login(page, "canbo")
    page.goto(page.base_url + f"/quan-ly/ho-gia-dinh/binh-xet/{created.pk}/bieu-quyet/")
    _fits(page)
    page.locator("#id_present_count").press_sequentially("12")
    page.locator(f"#id_agree_{item.pk}").press_sequentially("2a")
    page.locator(f"#id_disagree_{item.pk}").press_sequentially("-1")
    page.locator(f"#id_abstain_{item.pk}").press_sequentially("0")
    page.select_option(f"#id_conclusion_{item.pk}", "agree")
    page.click("main form button[type=submit]")
    errors = _errors(page)
    assert "Số đồng ý" in errors and "Số không đồng ý" in errors, errors
    page.locator(f"#id_agree_{item.pk}").fill("")
    page.locator(f"#id_agree_{item.pk}").press_sequentially("20")
    page.locator(f"#id_disagree_{item.pk}").fill("")
    page.locator(f"#id_disagree_{item.pk}").press_sequentially("1")
    page.click("main form button[type=submit]")
    assert "lớn hơn số người có mặt (12)" in _errors(page)
    created.refresh_from_db()
    assert created.status == ReviewMeeting.Status.PREPARING
    page.locator(f"#id_agree_{item.pk}").fill("")
    page.locator(f"#id_agree_{item.pk}").press_sequentially("10")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/binh-xet/{created.pk}/")
    created.refresh_from_db()
    assert created.status == ReviewMeeting.Status.HELD and created.present_count == 12
    item.refresh_from_db()
    assert (item.agree, item.disagree, item.abstain, item.conclusion) == (10, 1, 0, "agree")
    screens.shot(page, "da-bieu-quyet")
    _fits(page)
