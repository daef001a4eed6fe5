""" "Việc cần làm": the work waiting for each role, counted from the same rows as the
lists it links to, in a constant number of queries, and shown as menu badges."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activity, Campaign
from donations.models import Account, StatementLine
from donations.services import void_request
from households.models import Proposal, Review, ReviewRound
from lddh.supervision.models import Inspection
from lddh.ward.access import access_for
from lddh.ward.inbox import COUNT_CAP, InboxItem, count_all, inbox_for
from lddh.ward.nav import NavEntry
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    HouseholdFactory,
    ProposalFactory,
    ResidentialGroupFactory,
    UserFactory,
    make_round,
)
from tests.factories.ward import MembershipFactory
from tests.households.support_helpers import Books, approve, propose

HOME = reverse("dashboard:home")
_numbers = itertools.count(1)


def _line(account, *, credit=0, debit=0, status=StatementLine.Status.UNMATCHED):
    n = next(_numbers)
    return StatementLine.objects.create(
        account=account,
        fingerprint=f"fp-{n}",
        date=datetime.date(2024, 11, 1),
        credit=credit,
        debit=debit,
        description=f"UNG HO QUY VI NGUOI NGHEO {n}",
        status=status,
    )


def _inspection(world, *, status=Inspection.Status.OPEN, due=None, group=1):
    return Inspection.objects.create(
        date=datetime.date(2024, 11, 10),
        title="Kiểm tra danh sách thu của tổ",
        team="Bà Lê Thị Thanh tra",
        scope=Inspection.Scope.GROUP,
        group=world.groups[group],
        findings="Danh sách thu khớp.",
        follow_up_due=due,
        status=status,
        created_by=world.users["supervisor"],
    )


class Ward:
    """A ward with some of every kind of work, and what each role should count."""

    def __init__(self, world, *, size: int = 1):
        self.world = world
        self.books = Books(world, amount=200_000_000)
        self.campaign = self.books.campaign
        # Group 1's review: one household of two reviewed (more come with add()).
        households = [HouseholdFactory(group=world.groups[1]) for _ in range(2)]
        round_ = ReviewRound.objects.create(campaign=self.campaign, group=world.groups[1])
        Review.objects.create(
            round=round_, household=households[0], outcome=Review.Outcome.CONFIRMED
        )
        self.add(size)

    def add(self, size: int) -> None:
        world = self.world
        today = timezone.localdate()
        past = today - datetime.timedelta(days=3)
        for _ in range(size):
            propose(self.world, self.books)
            approve(world, propose(self.world, self.books), actor="committee")
            void_request(
                actor=world.users["staff"],
                donation=self.books.give(100_000),
                reason="Ghi nhầm số tiền",
            )
            group1_household = HouseholdFactory(group=world.groups[1])
            ProposalFactory(household=group1_household, proposed_by=world.users["leader1"])
            ProposalFactory(
                household=HouseholdFactory(group=world.groups[2]),
                proposed_by=world.users["leader2"],
                status=Proposal.Status.RETURNED,
                decided_at=timezone.now(),
            )
            ProposalFactory(
                household=group1_household,
                proposed_by=world.users["leader1"],
                status=Proposal.Status.RETURNED,
                reason="Thiếu số quyết định",
                decided_at=timezone.now() - datetime.timedelta(days=2),
            )
            # Returned long ago: no longer waiting.
            ProposalFactory(
                household=group1_household,
                proposed_by=world.users["leader1"],
                status=Proposal.Status.RETURNED,
                decided_at=timezone.now() - datetime.timedelta(days=40),
            )
            bank = AccountFactory(name=f"Ngân hàng {next(_numbers)}", kind=Account.Kind.BANK)
            _line(bank, credit=500_000)
            _line(bank, credit=200_000)
            _line(bank, debit=50_000)
            _line(bank, credit=1_000, status=StatementLine.Status.IGNORED)
            for group, status, kind, date in [
                (None, Activity.Status.PLANNED, Activity.Kind.PUBLICATION, past),
                (world.groups[1], Activity.Status.PLANNED, Activity.Kind.REVIEW, past),
                (world.groups[2], Activity.Status.PLANNED, Activity.Kind.REVIEW, past),
                (None, Activity.Status.DONE, Activity.Kind.REPORT, past),
                (None, Activity.Status.PLANNED, Activity.Kind.PROPAGANDA, today),
                (world.groups[3], Activity.Status.PLANNED, Activity.Kind.INSPECTION, today),
            ]:
                ActivityFactory(
                    campaign=self.campaign, group=group, status=status, kind=kind, date=date
                )
            _inspection(world, due=past)
            _inspection(world, due=past, status=Inspection.Status.CLOSED)
            _inspection(world, due=today + datetime.timedelta(days=5))
            make_round(
                actor=world.users["staff"],
                group=world.groups[2],
                fund=self.books.fund,
                account=self.books.cash,
                campaign=self.campaign,
                lines=[("Nguyễn Văn Nộp", "200000")],
            )

    def expected(self, persona: str, size: int = 1) -> dict[str, int]:
        g1 = self.world.groups[1].pk
        group1_left = 1 + size  # the proposal's households and one of the two created
        office = {
            "proposals_waiting": size,
            "bank_lines_unmatched": 2 * size,
            "activities_overdue": 3 * size,
            "rounds_to_post": size,
        }
        return {
            "staff": office,
            "committee": {
                **office,
                "campaign_to_close": 1,
                "supports_to_approve": size,
                "voids_to_approve": size,
                "inspections_follow_up": size,
            },
            "treasurer": {"supports_to_pay": size, "bank_lines_unmatched": 2 * size},
            "leader1": {
                "proposals_returned": size,
                f"reviews_due_{g1}": group1_left,
                f"activities_overdue_{g1}": size,
            },
            "leader2": {
                "proposals_returned": size,
                f"reviews_due_{self.world.groups[2].pk}": 3 * size,
                f"activities_overdue_{self.world.groups[2].pk}": size,
            },
            "higher": {},
            "supervisor": {"inspections_due": size, "inspections_follow_up": size},
        }[persona]


def _counts(world, persona: str) -> dict[str, int]:
    return {i.key: i.count for i in inbox_for(access_for(world.users[persona]))}


PERSONAS = ["staff", "committee", "treasurer", "leader1", "leader2", "higher", "supervisor"]


@pytest.fixture
def ward(world):
    return Ward(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_counts_its_own_work(ward, world, persona):
    assert _counts(world, persona) == ward.expected(persona)


def test_leader_counts_only_their_own_group(ward, world):
    leader1 = _counts(world, "leader1")
    assert not any(str(world.groups[2].pk) in key for key in leader1)
    # leader2's returned proposal and group 2's pending work are not leader1's.
    assert leader1["proposals_returned"] == 1


def _rows_behind(client, url: str) -> int:
    """How many rows the list behind an inbox link shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "count" in context and "over_cap" in context:  # the bank lines' queue
        return context["count"]
    if "page_obj" in context:
        return context["page_obj"].paginator.count
    if "rows" in context:  # a group's review
        return len(context["rows"])
    raise AssertionError(f"no list at {url}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_opens_a_list_of_exactly_the_counted_rows(ward, world, persona):
    client = world.client(persona)
    for item in inbox_for(access_for(world.users[persona])):
        if item.key == "campaign_to_close":
            page = client.get(item.url)
            assert page.status_code == 200 and 'id="close-request"' in page.content.decode()
            continue
        if item.key.startswith("review_to_confirm"):
            continue
        assert _rows_behind(client, item.url) == item.count, item.key


def test_a_review_all_done_but_not_confirmed_asks_for_the_confirmation(world):
    books = Books(world)
    group = world.groups[2]
    household = HouseholdFactory(group=group)
    round_ = ReviewRound.objects.create(campaign=books.campaign, group=group)
    Review.objects.create(round=round_, household=household, outcome=Review.Outcome.CONFIRMED)
    assert _counts(world, "leader2") == {f"review_to_confirm_{group.pk}": 1}
    round_.completed_at = timezone.now()
    round_.save()
    # The review confirmed, the group's review meeting (họp bình xét) comes next.
    assert _counts(world, "leader2") == {"meetings_to_prepare": 1}


def test_a_closed_or_missing_campaign_asks_nothing_of_it(ward, world):
    Campaign.objects.update(status=Campaign.Status.CLOSED)
    counts = _counts(world, "committee")
    assert "campaign_to_close" not in counts and "activities_overdue" not in counts
    assert not any(key.startswith("reviews_due") for key in _counts(world, "leader1"))


def test_the_count_takes_a_constant_number_of_queries(world):
    """The same queries for a handful of rows as for many times more, whatever the role."""

    def queries(persona: str) -> int:
        user = world.users[persona]
        access = access_for(user)  # computed once per request before the menu
        with CaptureQueriesContext(connection) as captured:
            inbox_for(access)
        return len(captured.captured_queries)

    ward = Ward(world, size=1)
    before = {p: queries(p) for p in PERSONAS}
    ward.add(size=4)
    assert _counts(world, "committee") == ward.expected("committee", size=5)
    # A leader of more groups still costs the same.
    MembershipFactory(user=world.users["leader1"], role="leader", group=world.groups[5])
    world.users["leader1"] = type(world.users["leader1"]).objects.get(pk=world.users["leader1"].pk)
    after = {p: queries(p) for p in PERSONAS}
    assert after == before
    assert max(after.values()) <= 3  # the active campaign, a leader's groups, the counts


def test_count_all_reads_every_count_in_one_query_and_stops_at_the_cap(ward, world):
    querysets = [StatementLine.objects.all(), Proposal.objects.all(), Inspection.objects.none()]
    with CaptureQueriesContext(connection) as captured:
        counts = count_all(querysets, cap=3)
    assert len(captured.captured_queries) == 1
    assert counts == [4, 4, 0]  # 4 lines, 4 proposals: each read stops at cap + 1
    item = InboxItem("x", "x", "/", Proposal.objects.none(), count=COUNT_CAP + 1)
    assert item.count_label == "99+"
    assert NavEntry("Hộ gia đình", "/", 0, badge=COUNT_CAP * 2).badge_label == "99+"
    assert NavEntry("Hộ gia đình", "/", 0, badge=7).badge_label == "7"


def test_home_shows_the_inbox_with_links_and_counts(ward, world):
    body = world.client("committee").get(HOME).content.decode()
    section = body[body.index('id="inbox"') :]
    assert "Việc cần làm" in section
    links = dict(
        re.findall(
            r'href="([^"]+)" data-inbox="supports_to_approve">.*?inbox-count[^>]*>(\d+)<',
            section,
            re.S,
        )
    )
    assert links == {reverse("households:support_to_approve"): "1"}
    assert "Không có việc nào đang chờ bạn" not in body


def test_home_says_so_when_nothing_waits(world):
    body = world.client("higher").get(HOME).content.decode()
    assert 'id="inbox-empty"' in body and "Không có việc nào đang chờ bạn." in body
    assert "inbox-count" not in body


def test_menu_carries_the_counts_as_badges(ward, world):
    body = world.client("committee").get(reverse("campaigns:list")).content.decode()
    badge = r'<span class="badge rounded-pill text-bg-warning nav-badge">(\d+)<'
    approve_link = re.search(r'href="/quan-ly/ho-gia-dinh/ho-tro/cho-duyet/">[^<]*' + badge, body)
    assert approve_link and approve_link.group(1) == "1"
    void_link = re.search(r'href="/quan-ly/ung-ho/de-nghi-huy/">[^<]*' + badge, body)
    assert void_link and void_link.group(1) == "1"
    # The "Hộ gia đình" dropdown adds up its entries' badges: 1 support + 1 proposal.
    dropdown = re.search(r'aria-expanded="false">Hộ gia đình' + badge, body)
    assert dropdown and dropdown.group(1) == "2"


def test_menu_shows_no_badge_for_zero(world):
    body = world.client("committee").get(reverse("campaigns:list")).content.decode()
    assert "nav-badge" not in body


def test_returned_proposals_filter_shows_only_mine_and_recent(ward, world):
    url = reverse("households:proposals") + "?trang_thai=returned&cua_toi=1&ngay=30"
    response = world.client("leader1").get(url)
    rows = list(response.context["page_obj"].object_list)
    assert [p.proposed_by_id for p in rows] == [world.users["leader1"].pk]
    assert "Đề xuất của tôi" in response.content.decode()
    # Without the filters, every returned proposal of the group is listed.
    everything = world.client("leader1").get(
        reverse("households:proposals") + "?trang_thai=returned"
    )
    assert everything.context["page_obj"].paginator.count == 2


def test_inspection_list_filters_overdue_follow_up(ward, world):
    response = world.client("supervisor").get(reverse("supervision:inspection_list") + "?qua_han=1")
    assert [i.status for i in response.context["page_obj"].object_list] == ["open"]


def test_activities_filter_by_group_and_due(ward, world):
    url = reverse("campaigns:activities", args=[ward.campaign.pk])
    group3 = world.client("staff").get(url + f"?to={world.groups[3].pk}")
    assert group3.context["page_obj"].paginator.count == 1
    due = world.client("staff").get(url + "?status=due")
    assert due.context["page_obj"].paginator.count == 5  # 3 overdue and 2 of today


def test_a_new_group_without_households_asks_no_review(world):
    Books(world)
    group = ResidentialGroupFactory(ward=world.ward, number=10)
    leader = UserFactory(username="to10")
    MembershipFactory(user=leader, role="leader", group=group)
    assert inbox_for(access_for(leader)) == []


def test_the_inbox_is_exact_the_moment_after_a_decision(ward, world):
    client = world.client("committee")

    def shown() -> dict[str, str]:
        body = client.get(HOME).content.decode()
        return dict(re.findall(r'data-inbox="(\w+)">.*?inbox-count[^>]*>(\d+)<', body, re.S))

    assert shown()["supports_to_approve"] == "1"
    from households.models import Support

    approve(world, Support.objects.get(status=Support.Status.PROPOSED), actor="committee")
    assert "supports_to_approve" not in shown()


def test_the_office_items_build_their_rows_once_and_count_them_fresh(world, monkeypatch):
    """An item with a rows_key keeps its count's SQL per process: a second count builds
    no queryset (the inbox runs on every staff page) and still reads the rows now."""
    import donations.inbox

    built = []
    real = donations.inbox.unmatched_credits

    def counting(access):
        built.append(1)
        return real(access)

    monkeypatch.setattr(donations.inbox, "unmatched_credits", counting)
    access = access_for(world.users["staff"])
    inbox_for(access)  # kept from here on, if not kept before
    built.clear()
    before = {item.key: item.count for item in inbox_for(access)}
    assert built == []
    _line(AccountFactory(), credit=500_000)
    after = {item.key: item.count for item in inbox_for(access)}
    assert after["bank_lines_unmatched"] == before.get("bank_lines_unmatched", 0) + 1
    assert built == []


def test_an_item_naming_the_viewer_is_built_for_each_count(ward, world, monkeypatch):
    """A leader's returned proposals name the viewer: no key, built on every count."""
    import households.inbox

    built = []
    real = households.inbox.proposal_rows

    def counting(access, filters, now=None):
        built.append(filters.mine)
        return real(access, filters, now=now)

    monkeypatch.setattr(households.inbox, "proposal_rows", counting)
    access = access_for(world.users["leader1"])
    inbox_for(access)
    inbox_for(access)
    assert built == [True, True]
