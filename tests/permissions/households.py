"""The register's URLs. Objects live in group 2: leader2 may edit them, leader1 gets 404,
the read-only roles read and get 403 on writes. The level above never sees the register:
403 on every list page, 404 on every page of one record by id (docs/vai-tro.md)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from donations.models import Account
from households import services
from households.models import (
    DistributionRound,
    RedactedScan,
    SupportCategory,
    SupportForm,
    SupportSource,
)
from lddh.ward.roles import Role
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    FundFactory,
    HouseholdFactory,
    MemberFactory,
    MembershipFactory,
    NeedFactory,
    PlanItemFactory,
    ProposalFactory,
    UserFactory,
    record_donation,
)
from tests.permissions import Case, only, statuses

OUT_OF_SCOPE = {"leader1": 404, "higher": 404}
LISTS = statuses(200, higher=403)
READ_ALL = statuses(200, **OUT_OF_SCOPE)
EDIT = {**only("staff", "committee", "leader2"), **OUT_OF_SCOPE}
EDIT_REDIRECT = {**only("staff", "committee", "leader2", ok=302), **OUT_OF_SCOPE}
OFFICE_ON_OBJECT = {**only("staff", "committee"), **OUT_OF_SCOPE}
DECIDE = {**only("staff", "committee", ok=302), **OUT_OF_SCOPE}
WRITERS = only("staff", "committee", "leader1", "leader2")
OFFICE = only("staff", "committee")
POST_ONLY = statuses(405)


def _household(world):
    return HouseholdFactory(group=world.groups[2])


def household(world):
    return {"pk": _household(world).pk}


def member(world):
    m = MemberFactory(household=_household(world))
    return {"pk": m.household_id, "member_pk": m.pk}


def need(world):
    n = NeedFactory(household=_household(world))
    return {"pk": n.household_id, "need_pk": n.pk}


def plan_item(world):
    item = PlanItemFactory(household=_household(world))
    return {"pk": item.household_id, "item_pk": item.pk}


def proposal(world):
    p = ProposalFactory(household=_household(world), proposed_by=world.users["leader2"])
    return {"pk": p.pk}


def campaign_group(world):
    _household(world)
    return {"campaign_pk": CampaignFactory().pk, "group_pk": world.groups[2].pk}


def campaign_household(world):
    return {"campaign_pk": CampaignFactory().pk, "household_pk": _household(world).pk}


# ---------------------------------------------------------------- support (group 2)

DAY = datetime.date(2024, 11, 20)
COMMITTEE_DECIDES = {**only("committee", ok=302), **OUT_OF_SCOPE}
TREASURER_PAYS = {**only("treasurer", ok=302), **OUT_OF_SCOPE}
TREASURER_PAGE = {**only("treasurer"), **OUT_OF_SCOPE}
GROUP_WRITES = {**only("staff", "committee", "leader2", ok=302), **OUT_OF_SCOPE}
ATTACHERS = {**only("staff", "committee", "treasurer", ok=302), **OUT_OF_SCOPE}


def _books(world):
    fund = FundFactory()
    cash = AccountFactory(name="Tài khoản Quỹ tiền mặt", kind=Account.Kind.CASH)
    campaign = CampaignFactory()
    record_donation(
        actor=world.users["staff"], fund=fund, account=cash, amount=50_000_000, campaign=campaign
    )
    return fund, cash, campaign


def _support(world, stage: str = "proposed"):
    fund, cash, campaign = _books(world)
    support = services.support_propose(
        actor=world.users["leader2"],
        household=_household(world),
        campaign=campaign,
        category=SupportCategory.HOUSE_REPAIR,
        form=SupportForm.CASH,
        amount=20_000_000,
        description="Hỗ trợ sửa mái nhà",
        source=SupportSource.FUND,
        fund=fund,
        account=cash,
    )
    if stage in ("approved", "paid"):
        support = services.support_approve(
            actor=world.users["committee"],
            support=support,
            decision_number="15/QĐ-BVĐ",
            decision_date=DAY,
            decision_signer="Nguyễn Thị Thu Hà",
        )
    if stage == "paid":
        support = services.support_pay(
            actor=world.users["treasurer"],
            support=support,
            handover_date=DAY,
            receiver_name="Nguyễn Thị Hộ",
            witness_name="Lê Văn Tổ",
            attachment=SimpleUploadedFile("bb.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
        )
    return support


def proposed_support(world):
    return {"pk": _support(world).pk}


def approved_support(world):
    return {"pk": _support(world, "approved").pk}


def paid_support(world):
    return {"pk": _support(world, "paid").pk}


def paid_attachment(world):
    support = _support(world, "paid")
    return {"pk": support.pk, "attachment_pk": support.attachments.get().pk}


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 40


def _scan(world):
    """A redacted scan of a paid support, uploaded by a second committee member (so the
    committee persona and the supervisor may both review it)."""
    support = _support(world, "paid")
    uploader = UserFactory(username="thuongtruc_khac")
    MembershipFactory(user=uploader, role=Role.COMMITTEE)
    return services.redacted_scan_upload(
        actor=uploader, support=support, upload=SimpleUploadedFile("che.png", PNG)
    )


def waiting_scan(world):
    scan = _scan(world)
    return {"pk": scan.support_id, "scan_pk": scan.pk}


def approved_scan(world):
    scan = _scan(world)
    services.redacted_scan_approve(actor=world.users["supervisor"], scan=scan)
    return {"pk": scan.support_id, "scan_pk": scan.pk}


def _scan_withdraw_data(world):
    scan = RedactedScan.objects.latest("pk")
    return {f"scan-withdraw-{scan.pk}-reason": "Còn thấy họ tên ở dòng 3"}


def _scan_reject_data(world):
    scan = RedactedScan.objects.latest("pk")
    return {f"scan-reject-{scan.pk}-reason": "Còn thấy chữ ký của người nhận"}


SCAN_REVIEWERS = {**only("committee", "supervisor", ok=302), **OUT_OF_SCOPE}
SCAN_UPLOADERS = {**only("committee", ok=302), **OUT_OF_SCOPE}


def _round(world, stage: str = "proposed"):
    fund, cash, campaign = _books(world)
    round = services.round_create(
        actor=world.users["staff"],
        name="Trao quà Tết Ất Tỵ 2025",
        campaign=campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.CASH,
        amount=500_000,
        source=SupportSource.FUND,
        fund=fund,
        account=cash,
        households=[_household(world), _household(world)],
    )
    if stage == "approved":
        services.round_approve(
            actor=world.users["committee"],
            round=round,
            decision_number="20/QĐ-BVĐ",
            decision_date=DAY,
            decision_signer="Nguyễn Thị Thu Hà",
        )
    return round


def proposed_round(world):
    return {"pk": _round(world).pk}


def approved_round(world):
    return {"pk": _round(world, "approved").pk}


def _round_pay_data(world):
    """The confirmed payment of the round just made, naming the set it reviewed."""
    round = DistributionRound.objects.latest("pk")
    return {
        "pay-handover_date": "20/11/2024",
        "pay-witness_name": "Lê Văn Tổ",
        "tap_duyet": services.supports_fingerprint(round.supports.filter(status="approved")),
        "xac_nhan": "1",  # past the review step
    }


def _decision(prefix: str):
    return lambda world: {
        f"{prefix}-decision_number": "15/QĐ-BVĐ",
        f"{prefix}-decision_date": "20/11/2024",
        f"{prefix}-decision_signer": "Nguyễn Thị Thu Hà",
    }


# ---------------------------------------------------------------- review meetings (group 2)


def _meeting(world):
    from tests.households.meeting_helpers import meeting

    return meeting(world)


def preparing_meeting(world):
    return {"pk": _meeting(world).pk}


def held_meeting(world):
    from tests.households.meeting_helpers import held

    return {"pk": held(world, _meeting(world)).pk}


def posted_meeting(world):
    from tests.households.meeting_helpers import MEETING_DAY, held, posted

    created = held(world, _meeting(world))
    posted(world, created, start=MEETING_DAY)
    return {"pk": created.pk}


def meeting_scan(world):
    from households.models import ReviewMeeting
    from households.services import meeting_attach_scan

    pk = held_meeting(world)["pk"]
    scan = meeting_attach_scan(
        actor=world.users["staff"],
        meeting=ReviewMeeting.objects.get(pk=pk),
        upload=SimpleUploadedFile("bien-ban.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40),
    )
    return {"pk": pk, "scan_pk": scan.pk}


def meeting_objection(world):
    from households.models import Posting, ReviewMeeting
    from households.services import objection_record
    from tests.households.meeting_helpers import MEETING_DAY

    pk = posted_meeting(world)["pk"]
    objection = objection_record(
        actor=world.users["leader2"],
        posting=Posting.objects.get(meeting=ReviewMeeting.objects.get(pk=pk)),
        sender="Người dân tổ 2",
        content="Đề nghị xem lại.",
        received_date=MEETING_DAY + datetime.timedelta(days=2),
    )
    return {"pk": pk, "objection_pk": objection.pk}


def votes_data(world):
    from households.models import ReviewMeeting

    data = {"present_count": "12"}
    for item in ReviewMeeting.objects.latest("pk").items.all():
        data.update(
            {
                f"agree_{item.pk}": "10",
                f"disagree_{item.pk}": "1",
                f"abstain_{item.pk}": "1",
                f"conclusion_{item.pk}": "agree",
            }
        )
    return data


def meeting_item_data(world):
    return {"item-household": str(_household(world).pk), "item-kind": "support"}


CASES = [
    Case("households:meeting_list", get=LISTS),
    Case("households:meeting_create", get=WRITERS, post=WRITERS),
    Case("households:meeting_detail", get=READ_ALL, kwargs=preparing_meeting),
    Case(
        "households:meeting_attendee_add",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=preparing_meeting,
        post_data=lambda world: {"attendee-name": "Ngô Văn Bí", "attendee-role": "party"},
    ),
    Case(
        "households:meeting_item_add",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=preparing_meeting,
        post_data=meeting_item_data,
    ),
    Case(
        "households:meeting_votes",
        get=OFFICE_ON_OBJECT,
        post=DECIDE,
        kwargs=preparing_meeting,
        post_data=votes_data,
    ),
    Case("households:meeting_close", get=POST_ONLY, post=DECIDE, kwargs=held_meeting),
    Case("households:meeting_minutes", get=READ_ALL, kwargs=held_meeting),
    Case(
        "households:meeting_scan",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=held_meeting,
        post_data=lambda world: {
            "scan-file": SimpleUploadedFile("bien-ban.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40)
        },
    ),
    Case("households:meeting_scan_file", get=READ_ALL, kwargs=meeting_scan),
    Case(
        "households:posting_open",
        get=POST_ONLY,
        post=DECIDE,
        kwargs=held_meeting,
        post_data=lambda world: {
            "posting-start_date": "06/10/2024",
            "posting-days": "7",
            "posting-place": "Bảng tin tổ 2",
        },
    ),
    Case("households:posting_pdf", get=READ_ALL, kwargs=posted_meeting),
    Case(
        "households:objection_record",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=posted_meeting,
        post_data=lambda world: {
            "objection-sender": "Người dân tổ 2",
            "objection-content": "Đề nghị xem lại hộ này.",
            "objection-received_date": "07/10/2024",
        },
    ),
    Case(
        "households:objection_answer",
        get=OFFICE_ON_OBJECT,
        post=DECIDE,
        kwargs=meeting_objection,
        post_data=lambda world: {
            "handling": "Tổ đã kiểm tra lại.",
            "answer": "Giữ nguyên đề nghị.",
            "close": "on",
        },
    ),
    Case("households:list", get=LISTS),
    Case("households:anonymise", get=only("committee"), post=only("committee", ok=302)),
    Case("households:create", get=WRITERS, post=WRITERS),
    Case("households:detail", get=READ_ALL, kwargs=household),
    Case("households:sensitive", get=OFFICE_ON_OBJECT, kwargs=household),
    Case("households:data_export", get={**only("committee"), **OUT_OF_SCOPE}, kwargs=household),
    Case("households:edit", get=EDIT, post=EDIT, kwargs=household),
    Case("households:classify", get=EDIT, post=EDIT, kwargs=household),
    Case("households:exit", get=EDIT, post=EDIT, kwargs=household),
    Case("households:reactivate", get=OFFICE_ON_OBJECT, post=OFFICE_ON_OBJECT, kwargs=household),
    Case("households:member_add", get=EDIT, post=EDIT, kwargs=household),
    Case("households:member_edit", get=EDIT, post=EDIT, kwargs=member),
    Case("households:member_delete", get=POST_ONLY, post=EDIT_REDIRECT, kwargs=member),
    Case("households:need_add", get=EDIT, post=EDIT, kwargs=household),
    Case("households:need_edit", get=EDIT, post=EDIT, kwargs=need),
    Case("households:plan_add", get=EDIT, post=EDIT, kwargs=household),
    Case("households:plan_edit", get=EDIT, post=EDIT, kwargs=plan_item),
    Case("households:proposals", get=LISTS),
    Case("households:proposal_detail", get=READ_ALL, kwargs=proposal),
    Case(
        "households:proposal_accept",
        get=POST_ONLY,
        post=DECIDE,
        kwargs=proposal,
        post_data=lambda world: {"xac_nhan": "1"},  # past the review step
    ),
    Case(
        "households:proposal_return",
        get=POST_ONLY,
        post=DECIDE,
        kwargs=proposal,
        post_data=lambda world: {"reason": "Thiếu quyết định công nhận"},
    ),
    Case("households:reviews", get=LISTS),
    Case("households:review_group", get=READ_ALL, kwargs=campaign_group),
    Case(
        "households:review_record",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=campaign_household,
        post_data=lambda world: {"outcome": "confirmed"},
    ),
    Case(
        "households:review_complete",
        get=POST_ONLY,
        post=EDIT_REDIRECT,
        kwargs=campaign_group,
    ),
    Case("households:export", get=LISTS),
    Case("households:import", get=OFFICE, post=OFFICE),
    Case("households:import_apply", get=POST_ONLY, post=only("staff", "committee", ok=302)),
    Case("households:import_template", get=OFFICE),
    Case(
        "households:consent",
        get=EDIT,
        post=EDIT_REDIRECT,
        kwargs=household,
        post_data=lambda world: {"public_consent": "on", "head_title": "bà"},
    ),
    Case("households:support_list", get=LISTS),
    Case("households:support_to_approve", get=LISTS),
    Case("households:support_to_pay", get=LISTS),
    Case("households:support_create", get=EDIT, post=EDIT, kwargs=household),
    Case("households:support_detail", get=READ_ALL, kwargs=proposed_support),
    Case("households:support_edit", get=EDIT, post=EDIT, kwargs=proposed_support),
    Case(
        "households:support_approve",
        get=POST_ONLY,
        post=COMMITTEE_DECIDES,
        kwargs=proposed_support,
        post_data=_decision("approve"),
    ),
    Case(
        "households:support_reject",
        get=POST_ONLY,
        post=COMMITTEE_DECIDES,
        kwargs=proposed_support,
        post_data=lambda world: {"reject-reason": "Hộ đã được doanh nghiệp hỗ trợ"},
    ),
    Case(
        "households:support_pay",
        get=TREASURER_PAGE,
        post=TREASURER_PAYS,
        kwargs=approved_support,
        post_data=lambda world: {
            "handover_date": "20/11/2024",
            "receiver_name": "Nguyễn Thị Hộ",
            "witness_name": "Lê Văn Tổ",
            "xac_nhan": "1",  # past the review step
        },
    ),
    Case(
        "households:support_cancel",
        get=POST_ONLY,
        post=GROUP_WRITES,
        kwargs=proposed_support,
        post_data=lambda world: {"cancel-reason": "Hộ đã chuyển đi", "xac_nhan": "1"},
    ),
    Case(
        "households:support_follow_up",
        get=POST_ONLY,
        post=GROUP_WRITES,
        kwargs=paid_support,
        post_data=lambda world: {
            "follow-date": "20/12/2024",
            "follow-status": "completed",
            "follow-note": "Đã lợp xong mái",
        },
    ),
    Case(
        "households:support_attach",
        get=POST_ONLY,
        post=ATTACHERS,
        kwargs=paid_support,
        post_data=lambda world: {
            "attach-file": SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40)
        },
    ),
    Case("households:support_attachment", get=READ_ALL, kwargs=paid_attachment),
    Case("households:support_voucher", get=READ_ALL, kwargs=paid_support),
    Case("households:scan_list", get=LISTS),
    Case(
        "households:scan_upload",
        get=POST_ONLY,
        post=SCAN_UPLOADERS,
        kwargs=paid_support,
        post_data=lambda world: {"scan-file": SimpleUploadedFile("che.png", PNG)},
    ),
    Case("households:scan_file", get=READ_ALL, kwargs=waiting_scan),
    Case("households:scan_approve", get=POST_ONLY, post=SCAN_REVIEWERS, kwargs=waiting_scan),
    Case(
        "households:scan_reject",
        get=POST_ONLY,
        post=SCAN_REVIEWERS,
        kwargs=waiting_scan,
        post_data=_scan_reject_data,
    ),
    Case(
        "households:scan_withdraw",
        get=POST_ONLY,
        post=SCAN_REVIEWERS,
        kwargs=approved_scan,
        post_data=_scan_withdraw_data,
    ),
    Case("households:round_list", get=LISTS),
    Case("households:round_create", get=WRITERS, post=WRITERS),
    Case("households:round_detail", get=READ_ALL, kwargs=proposed_round),
    Case(
        "households:round_approve",
        get=POST_ONLY,
        post=COMMITTEE_DECIDES,
        kwargs=proposed_round,
        post_data=_decision("approve"),
    ),
    Case(
        "households:round_pay",
        get=POST_ONLY,
        post=TREASURER_PAYS,
        kwargs=approved_round,
        post_data=_round_pay_data,
    ),
    Case("households:round_signed_pdf", get=READ_ALL, kwargs=approved_round),
    Case("households:round_signed_xlsx", get=READ_ALL, kwargs=approved_round),
]
