""" "Việc cần làm" for every demo account, on a 360 px phone: the home shows the work
waiting with the counts the database holds (computed here from the records, not from the
inbox's own code), each link opens a list of exactly that many rows, the menu carries
the same counts as badges, and every line is a touch target of at least 44 px."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 360, "height": 740}
USERS = ["canbo", "ketoan", "thuongtruc", *[f"to{n}" for n in range(1, 10)], "captren"]
USERS += ["giamsat", "admin"]


def expected_for(username: str) -> dict[str, int]:
    """What waits for this account, read straight from the records by the rules of the
    guide; zero counts left out."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from campaigns.models import Activity, Campaign
    from donations.models import (
        CollectionRound,
        Pledge,
        PledgePayment,
        StatementLine,
        VoidRequest,
    )
    from households.models import (
        Household,
        Objection,
        Proposal,
        RedactedScan,
        Review,
        ReviewMeeting,
        ReviewRound,
        Support,
    )
    from lddh.supervision.models import Feedback, Inspection
    from lddh.ward.models import Membership

    user = get_user_model().objects.get(username=username)
    roles = set(Membership.objects.filter(user=user, active=True).values_list("role", flat=True))
    if user.is_superuser:
        roles |= {"staff", "committee", "treasurer", "higher", "supervisor"}
    groups = Membership.objects.filter(user=user, active=True, role="leader").values_list(
        "group", flat=True
    )
    today = timezone.localdate()
    campaign = Campaign.objects.filter(status=Campaign.Status.ACTIVE).first()
    planned = Activity.objects.filter(campaign=campaign, status=Activity.Status.PLANNED)
    found: dict[str, int] = {}
    if "committee" in roles:
        found["campaign_to_close"] = int(bool(campaign and campaign.end_date < today))
        found["supports_to_approve"] = Support.objects.filter(status="proposed").count()
        found["voids_to_approve"] = VoidRequest.objects.filter(status="pending").count()
    if "treasurer" in roles:
        found["supports_to_pay"] = Support.objects.filter(status="approved").count()
    if roles & {"staff", "committee"}:
        found["proposals_waiting"] = Proposal.objects.filter(status="pending").count()
        found["activities_overdue"] = planned.filter(date__lt=today).count()
        found["rounds_to_post"] = CollectionRound.objects.filter(status="draft").count()
    if roles & {"staff", "committee", "treasurer"}:
        found["bank_lines_unmatched"] = StatementLine.objects.filter(
            status="unmatched", credit__gt=0
        ).count()
    if "supervisor" in roles:
        found["inspections_due"] = planned.filter(kind="inspection", date__lte=today).count()
    if roles & {"supervisor", "committee"}:
        found["inspections_follow_up"] = (
            Inspection.objects.exclude(status="closed").filter(follow_up_due__lt=today).count()
        )
    if "leader" in roles:
        since = timezone.now() - datetime.timedelta(days=30)
        found["proposals_returned"] = Proposal.objects.filter(
            status="returned", proposed_by=user, decided_at__gte=since
        ).count()
        for group in groups:
            found[f"activities_overdue_{group}"] = planned.filter(
                date__lt=today, group=group
            ).count()
            active = Household.objects.filter(group=group, status="active")
            reviewed = set(
                Review.objects.filter(round__campaign=campaign).values_list("household", flat=True)
            )
            left = sum(1 for pk in active.values_list("pk", flat=True) if pk not in reviewed)
            done = ReviewRound.objects.filter(
                campaign=campaign, group=group, completed_at__isnull=False
            ).exists()
            if not done:
                found[f"reviews_due_{group}"] = left
                found[f"review_to_confirm_{group}"] = int(left == 0 and active.exists())
            meetings = ReviewMeeting.objects.filter(group=group, round__campaign=campaign)
            waiting = meetings.filter(status="preparing").exists() or (
                done and not meetings.exists()
            )
            found["meetings_to_prepare"] = found.get("meetings_to_prepare", 0) + int(waiting)
    if roles & {"staff", "committee"}:
        found["objections_open"] = Objection.objects.filter(status="open").count()
        # Open pledges not paid in full with more fallen due, or due within 7 days, than
        # paid (what was paid: the valid donations linked to the pledge).
        soon = today + datetime.timedelta(days=7)
        due = 0
        for pledge in Pledge.objects.filter(status="open"):
            paid = sum(
                link.donation.amount
                for link in PledgePayment.objects.filter(pledge=pledge).select_related("donation")
                if link.donation.status == "valid"
            )
            falling = sum(i.amount for i in pledge.instalments.all() if i.due_date <= soon)
            due += int(paid < pledge.amount and falling > paid)
        found["pledges_due"] = due
    if roles & {"supervisor", "committee"}:
        found["feedback_new"] = Feedback.objects.filter(status="received").count()
        found["feedback_overdue"] = Feedback.objects.filter(
            status__in=("received", "in_progress"), due_on__lt=today
        ).count()
        found["scans_to_review"] = (
            RedactedScan.objects.filter(review__isnull=True).exclude(uploaded_by=user).count()
        )
    return {key: count for key, count in found.items() if count}


ROW_LINKS = [
    (r"/ho-gia-dinh/ho-tro/cho-(duyet|chi)/", r"^/quan-ly/ho-gia-dinh/ho-tro/\d+/$"),
    (r"/ung-ho/de-nghi-huy/", r"^/quan-ly/ung-ho/\d+/$"),
    (r"/ho-gia-dinh/de-xuat/", r"^/quan-ly/ho-gia-dinh/de-xuat/\d+/$"),
    (r"/giam-sat/dot-kiem-tra/", r"^/quan-ly/giam-sat/dot-kiem-tra/\d+/$"),
    (r"/ung-ho/dot-thu/", r"^/quan-ly/ung-ho/dot-thu/\d+/$"),
    (r"/ung-ho/cam-ket/", r"^/quan-ly/ung-ho/cam-ket/\d+/$"),
    (r"/giam-sat/phan-anh/", r"^/quan-ly/giam-sat/phan-anh/\d+/$"),
    (r"/ho-gia-dinh/ho-tro/ban-che/", r"^/quan-ly/ho-gia-dinh/ho-tro/\d+/#ban-che-\d+$"),
]


def rows_on(page) -> int:
    """How many rows the list the page shows has (the bank queue says its count: it is
    longer than a page)."""
    path = page.url.removeprefix(page.base_url)
    if "/sao-ke/dong/" in path:
        text = page.locator("[data-testid=queue-count]").inner_text()
        return int(re.match(r"[\d.]+", text).group(0).replace(".", ""))
    if "/binh-xet/" in path:
        return page.locator("main .list-group-item").count()
    if "/ra-soat/" in path:
        return page.locator("main [id^='ho-']").count()
    if "/hoat-dong/" in path:
        return page.locator("main table tbody tr").count()
    for where, row in ROW_LINKS:
        if re.search(where, path):
            hrefs = page.eval_on_selector_all(
                "main a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            return len({h for h in hrefs if re.match(row, h)})
    raise AssertionError(f"no list known at {path}")


def test_every_role_sees_its_work_with_real_counts_and_links(demo, new_page, screens):
    failures = []
    for username in USERS:
        expected = expected_for(username)
        page = new_page(viewport=NARROW)
        login(page, username)
        assert page.locator("#inbox-title").inner_text() == "Việc cần làm"
        items = page.eval_on_selector_all(
            "#inbox [data-inbox]",
            """links => links.map(a => ({
                key: a.dataset.inbox, href: a.getAttribute('href'),
                count: a.querySelector('.inbox-count').textContent.trim(),
                height: a.getBoundingClientRect().height}))""",
        )
        shown = {item["key"]: int(item["count"]) for item in items}
        if shown != expected:
            failures.append(f"{username}: shows {shown}, the records say {expected}")
        if not expected:
            assert page.locator("#inbox-empty").is_visible(), username
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], username
        assert all(item["height"] >= 44 for item in items), (username, items)
        if username in ("thuongtruc", "to7", "ketoan"):
            screens.shot(page, f"home-{username}")
        for item in items:
            page.goto(page.base_url + "/quan-ly/")
            page.click(f"[data-inbox='{item['key']}']")
            page.wait_for_load_state()
            assert page.url == page.base_url + item["href"], (page.url, item)
            if item["key"] == "campaign_to_close":
                assert page.locator("#close-request").is_visible()
                continue
            if item["key"].startswith("review_to_confirm"):
                assert page.get_by_role("button", name="Xác nhận hoàn thành rà soát").is_visible()
                continue
            rows = rows_on(page)
            if rows != int(item["count"]):
                failures.append(f"{username}: {item['key']} says {item['count']}, list has {rows}")
        page.context.close()
    assert not failures, "\n".join(failures)


def test_menu_badges_carry_the_same_counts(demo, new_page):
    from households.models import Support

    page = new_page()
    login(page, "thuongtruc")
    link = page.locator("nav a.dropdown-item", has_text="Hỗ trợ chờ duyệt")
    assert link.locator(".nav-badge").text_content().split()[0] == str(
        Support.objects.filter(status="proposed").count()
    )
    page.context.close()
    page = new_page()
    login(page, "ketoan")
    link = page.locator("nav a.dropdown-item", has_text="Hỗ trợ chờ chi")
    assert link.locator(".nav-badge").text_content().split()[0] == str(
        Support.objects.filter(status="approved").count()
    )
