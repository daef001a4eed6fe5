"""Every money field of every form, typed into with the keyboard as people do, with the
hostile amounts table (tests/money_table.py).

For each row and field: the page may only add or remove the thousands dots of what was
typed; the amount in words beside the field comes from the server; then the form is
sent and the result is one of two things, never a third:
- refused: the field's Vietnamese message shows, the typed text is still there, and
  nothing was written (no audit event, the stored value unchanged);
- saved: exactly the amount the page showed in words (after a second look where the
  amount is unusual, which shows the same figure and words again).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.models import BoardMember, Campaign
from donations.models import Account, CollectionRound, Donation, Fund
from households import services as household_services
from households.models import (
    DistributionRound,
    Household,
    Need,
    Support,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from lddh.ward.fields import DongField
from lddh.ward.models import AuditEvent
from lddh.ward.money import format_dong
from tests.browser.conftest import login
from tests.factories import BoardMemberFactory, CampaignFactory, HouseholdFactory, NeedFactory
from tests.money_table import HOSTILE_AMOUNTS

pytestmark = pytest.mark.browser


class Objects:
    """What the forms edit: a campaign running today, the books, a household with a
    need and a proposed support."""

    def __init__(self, world):
        today = timezone.localdate()
        self.world = world
        self.fund = Fund.objects.create(code="VNN", name="Quỹ “Vì người nghèo”", order=1)
        self.cash = Account.objects.create(name="Két tiền mặt", kind=Account.Kind.CASH, order=1)
        self.goods = Account.objects.create(name="Hiện vật", kind=Account.Kind.GOODS, order=2)
        self.campaign = CampaignFactory(
            year=today.year,
            start_date=today - datetime.timedelta(days=10),
            end_date=today + datetime.timedelta(days=20),
            status=Campaign.Status.ACTIVE,
        )
        self.board_member = BoardMemberFactory(campaign=self.campaign)
        self.household = HouseholdFactory(group=world.groups[1])
        self.need = NeedFactory(household=self.household)
        self.support = household_services.support_propose(
            actor=world.users["leader1"],
            household=self.household,
            campaign=self.campaign,
            category=SupportCategory.HOUSE_REPAIR,
            form=SupportForm.CASH,
            amount=20_000_000,
            description="Hỗ trợ sửa mái nhà",
            source=SupportSource.FUND,
            fund=self.fund,
            account=self.cash,
        )
        self.today = today.strftime("%d/%m/%Y")


@dataclass
class MoneyForm:
    """One money field on one page: who opens it, how to fill the rest of the form
    after each load, and where the saved amount is read back."""

    name: str
    username: str
    url: Callable[[Objects], str]
    field: str  # CSS selector of the money input
    stored: Callable[[Objects], int | None]
    fill: Callable[[object, Objects, int], None] | None = None


def _fill_donation(page, objects, n, *, in_kind=False):
    page.fill("#id_new_name", f"Người thử số {n} {'hiện vật' if in_kind else 'tiền mặt'}")
    page.select_option("#id_new_source", "individual")
    page.fill("#id_date", objects.today)
    page.select_option("#id_campaign", "")
    if in_kind:
        page.select_option("#id_channel", "in_kind")
        page.fill("#id_items-0-description", "Gạo tẻ")
        page.fill("#id_items-0-quantity", "10")
        page.fill("#id_items-0-unit", "kg")


def _fill_round(page, objects, n):
    page.select_option("#id_group", str(objects.world.groups[1].pk))
    page.fill("#id_collector", "Vũ Văn Bình")
    page.fill("#id_date", objects.today)
    page.fill("#id_expected_count", "1")
    page.select_option("#id_campaign", str(objects.campaign.pk))


def _fill_distribution(page, objects, n):
    page.fill("#id_name", f"Trao quà đợt {n}")
    page.select_option("#id_campaign", str(objects.campaign.pk))
    page.select_option("#id_form", "cash")
    page.select_option("#id_source", "fund")
    page.select_option("#id_fund", str(objects.fund.pk))
    page.select_option("#id_account", str(objects.cash.pk))
    page.check(f"#ho-{objects.household.pk}")
    page.fill("#id_repeat_reason", "Hộ khó khăn kéo dài, cần hỗ trợ thêm.")


def _fill_support_goods(page, objects, n):
    page.select_option("#id_form", "in_kind")
    page.fill("#id_amount", "")
    page.fill("#id_items-0-description", "Xe đạp")
    page.fill("#id_items-0-quantity", "1")
    page.fill("#id_items-0-unit", "chiếc")


def _latest(model, field):
    return model.objects.order_by("-pk").values_list(field, flat=True).first()


FORMS = [
    MoneyForm(
        "donation-amount",
        "canbo",
        lambda o: "/quan-ly/ung-ho/nhap/",
        "#id_amount",
        lambda o: _latest(Donation, "amount"),
        fill=_fill_donation,
    ),
    MoneyForm(
        "donation-in-kind-valuation",
        "canbo",
        lambda o: "/quan-ly/ung-ho/nhap/",
        "#id_items-0-valuation",
        lambda o: _latest(Donation, "amount"),
        fill=lambda page, o, n: _fill_donation(page, o, n, in_kind=True),
    ),
    MoneyForm(
        "round-expected-total",
        "canbo",
        lambda o: "/quan-ly/ung-ho/dot-thu/tao/",
        "#id_expected_total",
        lambda o: _latest(CollectionRound, "expected_total"),
        fill=_fill_round,
    ),
    MoneyForm(
        "campaign-target",
        "thuongtruc",
        lambda o: f"/quan-ly/chien-dich/{o.campaign.pk}/sua/",
        "#id_target",
        lambda o: Campaign.objects.get(pk=o.campaign.pk).target,
    ),
    MoneyForm(
        "campaign-group-target",
        "thuongtruc",
        lambda o: f"/quan-ly/chien-dich/{o.campaign.pk}/chi-tieu/",
        "#id_group_{group}",
        lambda o: (
            o.campaign.targets.filter(group=o.world.groups[1])
            .values_list("amount", flat=True)
            .first()
        ),
    ),
    MoneyForm(
        "board-member-sub-target",
        "thuongtruc",
        lambda o: f"/quan-ly/chien-dich/{o.campaign.pk}/ban-van-dong/{o.board_member.pk}/sua/",
        "#id_sub_target",
        lambda o: BoardMember.objects.get(pk=o.board_member.pk).sub_target,
    ),
    MoneyForm(
        "household-income",
        "canbo",
        lambda o: f"/quan-ly/ho-gia-dinh/{o.household.pk}/sua/",
        "#id_income_per_person",
        lambda o: Household.objects.get(pk=o.household.pk).income_per_person,
    ),
    MoneyForm(
        "need-estimated-cost",
        "to1",
        lambda o: f"/quan-ly/ho-gia-dinh/{o.household.pk}/nhu-cau/{o.need.pk}/sua/",
        "#id_estimated_cost",
        lambda o: Need.objects.get(pk=o.need.pk).estimated_cost,
    ),
    MoneyForm(
        "support-amount",
        "canbo",
        lambda o: f"/quan-ly/ho-gia-dinh/ho-tro/{o.support.pk}/sua/",
        "#id_amount",
        lambda o: Support.objects.get(pk=o.support.pk).amount,
    ),
    MoneyForm(
        "support-item-valuation",
        "canbo",
        lambda o: f"/quan-ly/ho-gia-dinh/ho-tro/{o.support.pk}/sua/",
        "#id_items-0-valuation",
        lambda o: Support.objects.get(pk=o.support.pk).amount,
        fill=_fill_support_goods,
    ),
    MoneyForm(
        "distribution-round-amount",
        "canbo",
        lambda o: "/quan-ly/ho-gia-dinh/dot-trao/them/",
        "#id_amount",
        lambda o: _latest(DistributionRound, "amount"),
        fill=_fill_distribution,
    ),
]


def _server_reading(typed: str, limits: dict) -> tuple[int | None, str]:
    """What the field's own rules make of ``typed``: (amount, "") or (None, message)."""
    try:
        return DongField(**limits).clean(typed), ""
    except ValidationError as error:
        return None, " ".join(error.messages)


def _words_shown(page, selector: str) -> dict:
    page.wait_for_function(
        """(sel) => {
            const input = document.querySelector(sel);
            const box = input && document.getElementById(input.dataset.wordsFor);
            return box && box.dataset.shown === input.value;
        }""",
        arg=selector,
    )
    return page.evaluate(
        """(sel) => {
            const input = document.querySelector(sel);
            const box = document.getElementById(input.dataset.wordsFor);
            return {amount: box.dataset.amount, text: box.textContent};
        }""",
        selector,
    )


def _send(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).evaluate("input => input.form.requestSubmit()")


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_every_hostile_amount_is_refused_or_saved_as_shown(browser_world, new_page, form):
    objects = Objects(browser_world)
    selector = form.field.format(group=objects.world.groups[1].pk)
    url = form.url(objects)
    page = new_page()
    login(page, form.username)

    def load(n):
        page.goto(page.base_url + url)
        if form.fill:
            form.fill(page, objects, n)

    load(0)
    field = page.locator(selector)
    limits = {
        "min_value": int(field.get_attribute("data-min")),
        "max_value": int(field.get_attribute("data-max")),
    }
    for n, (typed, _) in enumerate(HOSTILE_AMOUNTS, start=1):
        label = f"{form.name}: typed {typed!r}"
        expected, message = _server_reading(typed, limits)
        before_events, before_value = AuditEvent.objects.count(), form.stored(objects)

        field = page.locator(selector)
        field.fill("")
        field.press_sequentially(typed)
        shown_text = field.input_value()
        # Only thousands dots may come or go; every other character stays as typed.
        assert shown_text.replace(".", "") == typed.replace(".", ""), label
        words = _words_shown(page, selector)
        shown = int(words["amount"]) if words["amount"] else None
        assert shown == expected, f"{label}: words say {words['text']!r}"
        if expected is None:
            assert message in words["text"], label

        _send(page, selector)
        look = page.locator(".second-look")
        if expected is not None and look.count():
            # Asked once more: the same figure and words, then confirmed.
            assert format_dong(expected) in look.inner_text(), label
            assert words["text"].split(" (")[0].removeprefix("Bằng chữ: ") in look.inner_text()
            look.locator("input[type=checkbox]").check()
            _send(page, ".second-look input[type=checkbox]")
        if expected is None:
            main = page.inner_text("main")
            # Under the box the message names the field ("Dự toán (đồng) không hợp lệ: …").
            reason = message.removeprefix("Số tiền ")
            assert reason in main, f"{label}: no message {reason!r} on the page"
            assert page.locator(selector).input_value().replace(".", "") == typed.replace(
                ".", ""
            ), f"{label}: the typed text was not kept"
            assert AuditEvent.objects.count() == before_events, f"{label}: something written"
            assert form.stored(objects) == before_value, label
        else:
            assert not page.locator(f"{selector}.is-invalid").count(), (
                f"{label}: refused although the words said {words['text']!r}: "
                + page.inner_text("main")[:400]
            )
            assert form.stored(objects) == expected, f"{label}: stored another amount"
            load(n)


def test_the_round_grid_keeps_every_typed_amount_and_totals_it_in_words(browser_world, new_page):
    """The collection grid keeps each amount as typed (a bad one stays visible for the
    check) and shows the total in words, counting only what the server will read."""
    from donations.models import RoundLine
    from lddh.ward.money import amount_in_words
    from tests.factories import make_round

    world = browser_world
    round = make_round(actor=world.users["leader1"], group=world.groups[1])
    page = new_page()
    login(page, "to1")
    page.goto(page.base_url + f"/quan-ly/ung-ho/dot-thu/{round.pk}/")
    for index, (typed, _) in enumerate(HOSTILE_AMOUNTS):
        page.locator(f"[name='lines-{index}-name']").press_sequentially(f"Người góp {index}")
        cell = page.locator(f"[name='lines-{index}-amount_text']")
        cell.press_sequentially(typed)
        assert cell.input_value().replace(".", "") == typed.replace(".", ""), typed
    total = sum(e for _, e in HOSTILE_AMOUNTS if isinstance(e, int))
    page.wait_for_function(
        "(total) => document.getElementById('grid-total-words').dataset.shown === total",
        arg=str(total),
    )
    assert amount_in_words(total) in page.inner_text("#grid-total-words")

    with page.expect_navigation():
        page.click("button[name=save]")
    lines = {line.name: line for line in RoundLine.objects.filter(round=round)}
    assert len(lines) == len(HOSTILE_AMOUNTS)
    for index, (typed, expected) in enumerate(HOSTILE_AMOUNTS):
        line = lines[f"Người góp {index}"]
        assert line.amount_text.replace(".", "") == typed.strip().replace(".", ""), typed
        assert line.amount == (expected if isinstance(expected, int) else None), typed
    assert amount_in_words(total) in page.inner_text("#grid-summary")


def test_enter_right_after_a_key_sends_only_what_the_words_line_has_read(browser_world, new_page):
    """Staff press Enter in the amount field to save: the page first lets the words line
    read the amount as it is now, so what is sent is always what the line shows."""
    objects = Objects(browser_world)
    page = new_page()
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/nhap/")
    _fill_donation(page, objects, 1)
    page.evaluate(
        """() => document.addEventListener("submit", (event) => {
            if (event.defaultPrevented) return;
            const box = document.getElementById(
                document.getElementById("id_amount").dataset.wordsFor);
            sessionStorage.setItem("sent-with", box.textContent);
        })"""
    )
    field = page.locator("#id_amount")
    field.press_sequentially("1500000")
    _words_shown(page, "#id_amount")
    with page.expect_navigation():
        field.press("0")
        field.press("Enter")
    assert Donation.objects.get().amount == 15_000_000
    assert "Mười lăm triệu đồng" in page.evaluate("sessionStorage.getItem('sent-with')")
