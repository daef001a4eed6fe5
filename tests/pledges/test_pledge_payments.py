"""Done when: a pledge paid in two instalments, one at the counter through the donation
form and one by a transfer whose note carries the pledge code (through the bank feed),
shows as paid, with both receipt numbers, on the pledge's page, the donor's page and in
the report. Everything through the pages, as people and the bank feed use them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from donations.models import Account, Donation, Pledge, PledgePayment, Receipt
from donations.services import donor_create
from donations.services import feeds as feed_services
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.money import format_dong
from tests.donations.test_feed import _sepay, _transfer
from tests.factories import AccountFactory, CampaignFactory, FundFactory
from tests.test_write_audit import form_data


@pytest.fixture
def launch(world):
    today = timezone.localdate()
    campaign = CampaignFactory(
        year=today.year,
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=20),
    )
    fund = FundFactory()
    AccountFactory()  # the cash box
    bank = Account.objects.create(name="TK Vietcombank Quỹ VNN", kind=Account.Kind.BANK)
    feed = feed_services.feed_create(
        actor=world.users["committee"], account=bank, provider="sepay", auth="hmac", fund=fund
    )
    donor = donor_create(
        actor=world.users["staff"], source="business", name="Công ty TNHH Minh Phát"
    )
    return {"campaign": campaign, "fund": fund, "feed": feed, "donor": donor, "today": today}


def _create_pledge(client, launch) -> Pledge:
    today = launch["today"]
    url = reverse("donations:pledge_create")
    data = form_data(
        client,
        url,
        donor_name="Công ty TNHH Minh Phát",
        amount="10.000.000",
        channel="bank",
    )
    data.update(
        {
            "dot-0-due_date": (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
            "dot-0-amount": "6.000.000",
            "dot-1-due_date": (today + datetime.timedelta(days=15)).strftime("%d/%m/%Y"),
            "dot-1-amount": "4.000.000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    pledge = Pledge.objects.get()
    assert response.url == reverse("donations:pledge_detail", args=[pledge.pk])
    return pledge


def test_pledge_paid_at_the_counter_and_by_transfer_shows_as_paid(world, launch, client):
    staff = world.client("staff")
    pledge = _create_pledge(staff, launch)
    assert pledge.donor == launch["donor"]
    assert [(i.amount) for i in pledge.instalments.all()] == [6_000_000, 4_000_000]
    assert AuditEvent.objects.filter(action=AuditAction.PLEDGE_CREATE).count() == 1
    page = staff.get(reverse("donations:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Chưa nộp" in page and "VNN P" in page

    # 1. The counter: the pledge's page opens the entry form filled in for it.
    url = reverse("donations:create") + f"?cam-ket={pledge.pk}"
    data = form_data(staff, url, amount="6.000.000", channel="cash")
    assert data["pledge"] == str(pledge.pk) and data["donor"] == str(launch["donor"].pk)
    response = staff.post(reverse("donations:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    counter = Donation.objects.get()
    assert counter.pledge_payment.pledge == pledge
    assert AuditEvent.objects.filter(action=AuditAction.PLEDGE_PAYMENT).count() == 1
    page = staff.get(reverse("donations:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Nộp một phần" in page and counter.receipt.number in page

    # 2. The transfer: the bank feed reads the pledge code (glued with a dash) in the note.
    note = f"IBFT {pledge.fund.code}-{pledge.code} CONG TY MINH PHAT"
    _sepay(client, launch["feed"], _transfer(1, 4_000_000, note))
    transfer = Donation.objects.exclude(pk=counter.pk).get()
    assert transfer.channel == Donation.Channel.BANK
    assert transfer.donor == launch["donor"] and transfer.campaign == launch["campaign"]
    assert transfer.pledge_payment.pledge == pledge
    numbers = [counter.receipt.number, transfer.receipt.number]

    # Paid in full, with both receipts, on the pledge's page ...
    page = staff.get(reverse("donations:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Đã nộp đủ" in page and all(n in page for n in numbers)
    assert format_dong(10_000_000) in page
    # ... on the donor's page ...
    page = staff.get(reverse("donations:donor_detail", args=[launch["donor"].pk])).content.decode()
    assert "Đã nộp đủ" in page and all(n in page for n in numbers)
    # ... in the pledge list filtered on "paid" ...
    page = staff.get(reverse("donations:pledge_list") + "?trang_thai=da-nop-du").content.decode()
    assert pledge.transfer_note in page
    # ... and in the report (the ward's copy names it; the level above gets figures only).
    query = {
        "bao_cao": "cam-ket",
        "ky": "campaign",
        "chien_dich": launch["campaign"].pk,
        "quy": launch["fund"].pk,
        "dinh_dang": "xlsx",
    }
    sheet = _report(world.client("treasurer"), query)
    assert ["TỔNG CỘNG", 1, 10_000_000, 10_000_000, 0] in sheet
    row = next(r for r in sheet if r and pledge.transfer_note in str(r[0]))
    assert "Đã nộp đủ".lower() in row[0] and all(n in row[-1] for n in numbers)
    above = _report(world.client("higher"), query)
    assert ["TỔNG CỘNG", 1, 10_000_000, 10_000_000, 0] in above
    assert not any("Minh Phát" in str(cell) for r in above for cell in r)


def _report(client, query) -> list[list]:
    response = client.get(reverse("reports:download"), query)
    assert response.status_code == 200, response.content[:500]
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    sheet = book.active
    return [
        [c for c in row[1:] if c not in (None, "")] for row in sheet.iter_rows(values_only=True)
    ]


def test_a_voided_payment_stops_counting(world, launch):
    staff = world.client("staff")
    pledge = _create_pledge(staff, launch)
    url = reverse("donations:create") + f"?cam-ket={pledge.pk}"
    staff.post(reverse("donations:create"), form_data(staff, url, amount="10.000.000"))
    donation = Donation.objects.get()
    assert Pledge.objects.get().pk == pledge.pk
    page = staff.get(reverse("donations:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Đã nộp đủ" in page
    from donations import services

    request = services.void_request(
        actor=world.users["staff"], donation=donation, reason="Nhập nhầm số tiền"
    )
    services.void_approve(actor=world.users["committee"], void=request, note="Đồng ý")
    assert Receipt.objects.get().is_voided
    page = staff.get(reverse("donations:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Đã nộp đủ" not in page and "Đã hủy, không tính" in page
    assert PledgePayment.objects.count() == 1  # the link stays, the money does not count


def test_a_statement_line_with_the_code_comes_with_its_pledge_chosen(world, launch):
    """A statement import (not the feed): staff open the unmatched line, the pledge its
    note names is chosen already, and recording it counts the payment."""
    from donations.models import BankLayout, StatementLine
    from donations.services import statement_import
    from tests.factories import statement_csv

    staff = world.client("staff")
    pledge = _create_pledge(staff, launch)
    account = launch["feed"].account
    today = launch["today"]
    layout = BankLayout.objects.create(
        name="Mẫu chung",
        date_column="Ngày",
        reference_column="Số tham chiếu",
        credit_column="Ghi có",
        debit_column="Ghi nợ",
        balance_column="Số dư",
        description_column="Nội dung",
    )
    note = f"MBVCB.1.{pledge.fund.code}{pledge.code}.CT tu CONG TY MINH PHAT"
    rows = [(f"{today:%d/%m/%Y}", "FT1", "", "6.000.000", "6.000.000", note)]
    statement_import(
        actor=world.users["staff"],
        account=account,
        layout=layout,
        data=statement_csv(rows),
        filename="sao-ke.csv",
    )
    line = StatementLine.objects.get()
    url = reverse("donations:statement_line", args=[line.pk])
    data = form_data(staff, url, form_name="record_form")
    assert data["pledge"] == str(pledge.pk) and data["donor"] == str(launch["donor"].pk)
    response = staff.post(reverse("donations:statement_record", args=[line.pk]), data)
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.pledge_payment.pledge == pledge and donation.amount == 6_000_000


def test_the_entry_form_refuses_another_donors_pledge_beside_the_field(world, launch):
    staff = world.client("staff")
    pledge = _create_pledge(staff, launch)
    other = donor_create(actor=world.users["staff"], source="individual", name="Lê Văn Tám")
    url = reverse("donations:create")
    data = form_data(staff, url, amount="500.000", donor=other.pk, pledge=pledge.pk)
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "cùng người" in " ".join(response.context["form"].errors["pledge"])
    assert not Donation.objects.exists()  # the receipt number is given back as well


def test_a_pledge_form_sent_twice_records_one_pledge(world, launch):
    """A double tap or a reload after a slow answer: one pledge, one audit event."""
    staff = world.client("staff")
    url = reverse("donations:pledge_create")
    due = (launch["today"] + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    data = form_data(
        staff, url, donor_name="Công ty TNHH Minh Phát", amount="10.000.000", due_date=due
    )
    first = staff.post(url, data)
    second = staff.post(url, data)
    assert first.status_code == second.status_code == 302
    pledge = Pledge.objects.get()
    assert first.url == second.url == reverse("donations:pledge_detail", args=[pledge.pk])
    assert AuditEvent.objects.filter(action=AuditAction.PLEDGE_CREATE).count() == 1


def test_the_quick_entry_screen_sent_twice_records_each_row_once(world, launch):
    staff = world.client("staff")
    url = reverse("donations:pledge_quick")
    due = (launch["today"] + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    data = form_data(staff, url, form_name="header")
    rows = {
        "dong-0-donor_name": "Công ty TNHH Minh Phát",
        "dong-0-amount": "5.000.000",
        "dong-0-due_date": due,
        "dong-0-channel": "bank",
        "dong-1-donor_name": "Hợp tác xã Hoa Mai",
        "dong-1-source": "business",
        "dong-1-amount": "abc",  # refused: comes back as the first row, under a new token
        "dong-1-due_date": due,
        "dong-1-channel": "bank",
    }
    data.update(rows)
    assert data.get("form_token")
    first = staff.post(url, data)
    assert first.status_code == 200 and Pledge.objects.count() == 1
    again = staff.post(url, data)  # the same screen sent again
    assert again.status_code == 200 and Pledge.objects.count() == 1
    # The refused row corrected and sent from the page shown after the refusal.
    page = first.context
    fixed = {
        k: v
        for k, v in first.wsgi_request.POST.items()
        if not k.startswith("dong-") and k != "form_token"
    }
    fixed["form_token"] = page["header"]["form_token"].value()
    assert fixed["form_token"] != data["form_token"]
    fixed.update(
        {
            "dong-TOTAL_FORMS": "1",
            "dong-INITIAL_FORMS": "0",
            "dong-0-donor_name": "Hợp tác xã Hoa Mai",
            "dong-0-source": "business",
            "dong-0-amount": "3.000.000",
            "dong-0-due_date": due,
            "dong-0-channel": "bank",
        }
    )
    assert staff.post(url, fixed).status_code == 302
    assert sorted(Pledge.objects.values_list("amount", flat=True)) == [3_000_000, 5_000_000]
