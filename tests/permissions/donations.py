"""Every URL of the donations app × every persona. Objects belong to group 2, so the
leader of group 1 is outside their scope (404) and the leader of group 2 inside it. The
level above opens no page of this app (403): donations, donors, receipts, rounds and the
books name people; it gets the figures from the dashboard and the reports."""

import datetime

from donations import services
from donations.models import Account, BalanceGap, BankLayout, Donation, StatementLine
from lddh.ward.vocab import DonorSource
from tests.factories import (
    CampaignFactory,
    DonorFactory,
    make_round,
    record_donation,
    statement_csv,
)
from tests.permissions import PERSONAS, Case, only, statuses

READERS = ("staff", "committee", "treasurer", "supervisor")
OFFICE = ("staff", "committee")


def _donation(world) -> Donation:
    campaign = CampaignFactory()
    donor = DonorFactory(source=DonorSource.RESIDENTS, group=world.groups[2], name="Bà Hai")
    return record_donation(
        actor=world.users["staff"], donor=donor, campaign=campaign, date=datetime.date(2024, 10, 20)
    )


def _donation_kwargs(world):
    return {"pk": _donation(world).pk}


def _receipt_kwargs(world):
    return {"pk": _donation(world).receipt.pk}


def _receipt_kwargs_none(world):
    """A receipt to print, reached through the list's filter (the URL takes no id)."""
    _donation(world)
    return {}


def _donor_kwargs(world):
    return {"pk": _donation(world).donor_id}


def _donor_statement_kwargs(world):
    return {"pk": _donation(world).donor_id, "year": 2024}


def _void_kwargs(world):
    donation = _donation(world)
    void = services.void_request(
        actor=world.users["staff"], donation=donation, reason="Nhập sai số tiền"
    )
    return {"pk": void.pk}


def _public_kwargs(world):
    return {"token": _donation(world).receipt.token}


PREPARE = ("staff", "committee", "leader1", "leader2")
BANK = ("staff", "committee", "treasurer")


def _round_kwargs(world):
    """A draft round of group 2: leader2 prepares it, leader1 gets 404."""
    round = make_round(
        actor=world.users["staff"],
        group=world.groups[2],
        lines=[("Nguyễn Văn An", "100.000"), ("Trần Thị Bình", "200.000")],
    )
    return {"pk": round.pk}


def _line_kwargs(world):
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    services.statement_import(
        actor=world.users["staff"],
        account=account,
        layout=BankLayout.objects.get(name__startswith="Mẫu chung"),
        data=statement_csv([("20/10/2024", "FT1", "", "500.000", "", "UNG HO")]),
        filename="sao-ke.csv",
    )
    return {"pk": StatementLine.objects.get().pk}


BROKEN = [
    ("20/10/2024", "FT1", "", "500.000", "1.500.000", "UNG HO"),
    ("21/10/2024", "FT2", "", "500.000", "9.000.000", "UNG HO"),
]


def _import_kwargs(world, *, accept_reason: str = "") -> dict:
    """An import whose balance breaks after its first line: held, or accepted."""
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    batch = services.statement_import(
        actor=world.users["staff"],
        account=account,
        layout=BankLayout.objects.get(name__startswith="Mẫu chung"),
        data=statement_csv(BROKEN),
        filename="sao-ke.csv",
        accept_reason=accept_reason,
    )
    return {"pk": batch.pk}


def _gap_kwargs(world) -> dict:
    batch = _import_kwargs(world, accept_reason="Ngân hàng xác nhận sẽ bổ sung")
    return {"pk": BalanceGap.objects.get(statement_import_id=batch["pk"]).pk}


def _layout_kwargs(world):
    layout = BankLayout.objects.create(
        name="Mẫu văn phòng lập",
        date_column="Ngày",
        credit_column="Ghi có",
        description_column="Nội dung",
        created_by=world.users["treasurer"],
    )
    return {"pk": layout.pk}


# The round's group 2: leader2 in scope, leader1 out of scope (404), readers who may not
# prepare a round get 403 on writes.
IN_SCOPE = {"staff": 200, "committee": 200, "leader2": 200, "leader1": 404}


CASES = [
    Case("donations:list", get=statuses(200, higher=403), post=statuses(405, higher=403)),
    Case("donations:create", get=only(*OFFICE), post=only(*OFFICE)),
    Case(
        "donations:detail",
        get=statuses(200, leader1=404, higher=403),
        post=statuses(405, higher=403),
        kwargs=_donation_kwargs,
    ),
    Case(
        "donations:void_request",
        get=only(*OFFICE),
        post=only(*OFFICE),  # an empty reason shows the form again
        kwargs=_donation_kwargs,
    ),
    Case(
        "donations:receipt_register",
        get=only(*READERS),
        post=only(*READERS, ok=405),
    ),
    Case(
        "donations:receipt_pdf",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_receipt_kwargs,
    ),
    Case(
        "donations:receipt_batch",
        get=only(*OFFICE),
        post=only(*OFFICE),  # no filter: every receipt of the world, as one PDF
        kwargs=_receipt_kwargs_none,
        note="batch receipt print: office only (it logs prints)",
    ),
    Case("donations:void_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations:void_approve",
        get=only("committee", ok=405),
        post=only("committee", ok=302),
        kwargs=_void_kwargs,
        post_data=lambda world: {"xac_nhan": "1"},  # past the review step
    ),
    Case(
        "donations:void_reject",
        get=only("committee", ok=405),
        post=only("committee", ok=302),  # no reason: refused with a message, redirected
        kwargs=_void_kwargs,
    ),
    Case("donations:donor_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("donations:donor_search", get=only(*OFFICE), post=only(*OFFICE, ok=405)),
    Case("donations:donor_create", get=only(*OFFICE), post=only(*OFFICE)),
    Case(
        "donations:donor_detail",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations:donor_update",
        get=only(*OFFICE),
        post=only(*OFFICE),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations:thank_you_pdf",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations:donor_statement_pdf",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_donor_statement_kwargs,
    ),
    Case("donations:ledger", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations_public:receipt_verify",
        get=dict.fromkeys(PERSONAS, 200),
        post=dict.fromkeys(PERSONAS, 405),
        kwargs=_public_kwargs,
    ),
    Case("donations:round_list", get=statuses(200, higher=403), post=statuses(405, higher=403)),
    Case("donations:round_create", get=only(*PREPARE), post=only(*PREPARE)),
    Case("donations:round_template", get=only(*PREPARE), post=only(*PREPARE, ok=405)),
    Case(
        "donations:round_detail",
        get=statuses(200, leader1=404, higher=403),
        post={**only(), **IN_SCOPE},  # an empty grid post shows the grid again
        kwargs=_round_kwargs,
    ),
    Case(
        "donations:round_update",
        get={**only(), **IN_SCOPE},
        post={**only(), **IN_SCOPE},
        kwargs=_round_kwargs,
    ),
    Case(
        "donations:round_import",
        get=only(*PREPARE, ok=405),
        post={**only(), "staff": 302, "committee": 302, "leader2": 302, "leader1": 404},
        kwargs=_round_kwargs,
    ),
    Case(
        "donations:round_check",
        get={**only(), **IN_SCOPE},
        post=only(*PREPARE, ok=405),
        kwargs=_round_kwargs,
    ),
    Case(
        "donations:round_post",
        get=only(*OFFICE, ok=405),
        post=only(*OFFICE, ok=302),  # no revision: back to the check page
        kwargs=_round_kwargs,
    ),
    Case(
        "donations:round_delete",
        get=only(*PREPARE, ok=405),
        post={**only(), "staff": 302, "committee": 302, "leader2": 302, "leader1": 404},
        kwargs=_round_kwargs,
    ),
    Case("donations:statement_upload", get=only(*BANK), post=only(*BANK)),
    Case(
        "donations:statement_import",
        get=only(*BANK),
        post=only(*BANK, ok=405),
        kwargs=_import_kwargs,
    ),
    Case(
        "donations:statement_import_progress",
        get=only(*BANK),
        post=only(*BANK, ok=405),
        kwargs=_import_kwargs,
    ),
    Case(
        "donations:statement_import_decide",
        get=only(*BANK, ok=405),
        post=only(*BANK, ok=302),  # no action: the held file is cancelled
        kwargs=_import_kwargs,
    ),
    Case(
        "donations:balance_gap_explain",
        get=only(*BANK, ok=405),
        post=only(*BANK, ok=302),  # no explanation: refused with a message
        kwargs=_gap_kwargs,
    ),
    Case("donations:statement_queue", get=only(*BANK), post=only(*BANK, ok=405)),
    Case(
        "donations:statement_line",
        get=only(*BANK),
        post=only(*BANK, ok=405),
        kwargs=_line_kwargs,
    ),
    Case(
        "donations:statement_match",
        get=only(*BANK, ok=405),
        post=only(*BANK, ok=302),  # nothing chosen: refused with a message
        kwargs=_line_kwargs,
    ),
    Case(
        "donations:statement_record",
        get=only(*OFFICE),
        post=only(*OFFICE),  # an empty form shows the errors
        kwargs=_line_kwargs,
    ),
    Case(
        "donations:statement_bulk",
        # No line chosen: back to the queue with a message. The treasurer reconciles and
        # does not enter donations (docs/vai-tro.md).
        get=only(*OFFICE, ok=302),
        post=only(*OFFICE, ok=302),
    ),
    Case(
        "donations:statement_ignore",
        get=only(*BANK, ok=405),
        post=only(*BANK, ok=302),
        kwargs=_line_kwargs,
    ),
    Case("donations:reconciliation", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("donations:layout_list", get=only(*BANK), post=only(*BANK, ok=405)),
    # A POST without a file: the page again, with the form's message.
    Case("donations:layout_create", get=only(*BANK), post=only(*BANK)),
    Case(
        "donations:layout_edit",
        get=only(*BANK),
        post=only(*BANK),
        kwargs=_layout_kwargs,
    ),
]
