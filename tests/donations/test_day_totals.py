"""The per-day totals: every service that writes a donation, a void, a ledger entry or a
donor's source moves them in its own transaction, so they always equal a fresh GROUP BY
of the records; the supervision check names any row that does not."""

import datetime
import random

from django.db import connection
from django.urls import reverse

from donations import services
from donations.models import DayTotal, Donation, LedgerEntry, StatementLine, VoidRequest
from donations.models.totals import KEY_FIELDS
from donations.selectors import campaign_progress, fund_balance
from donations.services.totals import RECOMPUTED
from lddh.supervision.integrity import run_check
from lddh.supervision.integrity.day_totals import check_day_totals
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory, make_round, statement_csv

DAY = datetime.date(2024, 10, 20)


def stored() -> dict:
    return {
        (row[0], row[1].isoformat(), *row[2:-2]): (row[-2], row[-1])
        for row in DayTotal.objects.values_list(*KEY_FIELDS, "n", "amount")
        if row[-2] or row[-1]
    }


def fresh() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(RECOMPUTED)
        rows = cursor.fetchall()
    return {(row[0], str(row[1])[:10], *row[2:-2]): (int(row[-2]), int(row[-1])) for row in rows}


def assert_fresh():
    assert stored() == fresh()
    assert check_day_totals() == []


def row(**keys) -> tuple[int, int]:
    """(count, đồng) summed over the rows with these keys."""
    rows = DayTotal.objects.filter(**keys).values_list("n", "amount")
    return sum(n for n, _ in rows), sum(a for _, a in rows)


# --------------------------------------------------------------------------- services


def test_a_recorded_donation_counts_as_valid_with_its_ledger_entry(books, world):
    group = world.groups[2]
    books.record(amount=700_000, credited_group=group)
    books.record(amount=300_000, purpose="direct", beneficiary="Hộ ông A", channel="cash")
    assert row(kind="donation", status="valid", purpose="fund", group_id=group.pk) == (1, 700_000)
    assert row(kind="donation", status="valid", purpose="direct") == (1, 300_000)
    assert row(kind="ledger", status="receipt", fund_id=books.vnn.pk) == (1, 700_000)
    assert_fresh()


def test_a_void_moves_the_donation_to_voided_and_adds_the_reversal(books):
    donation = books.record(amount=900_000)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    assert row(kind="donation", status="valid") == (0, 0)
    assert row(kind="donation", status="voided") == (1, 900_000)
    assert row(kind="ledger", status="void") == (1, -900_000)
    assert fund_balance(books.vnn) == 0
    assert_fresh()


def test_a_donor_s_new_source_moves_their_donations_and_entries(books):
    donor = DonorFactory(source=DonorSource.INDIVIDUAL)
    books.record(donor=donor, amount=400_000)
    voided = books.record(donor=donor, amount=100_000, date=DAY + datetime.timedelta(days=1))
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    services.donor_update(actor=books.staff, donor=donor, source=DonorSource.BUSINESS)
    assert row(kind="donation", source=DonorSource.INDIVIDUAL) == (0, 0)
    assert row(kind="donation", source=DonorSource.BUSINESS, status="valid") == (1, 400_000)
    assert row(kind="ledger", source=DonorSource.BUSINESS) == (3, 400_000)
    assert campaign_progress(books.campaign).by_source == {DonorSource.BUSINESS: 400_000}
    assert_fresh()


def test_a_payment_and_a_transfer_count_in_the_ledger_totals(books):
    books.record(amount=2_000_000)
    services.account_transfer(
        actor=books.treasurer, fund=books.vnn, from_account=books.cash, to_account=books.bank,
        amount=1_500_000, date=DAY, note="Nộp tiền vào ngân hàng",
    )  # fmt: skip
    services.fund_pay_out(
        actor=books.treasurer, fund=books.vnn, account=books.bank, amount=600_000, date=DAY,
        document_type="households.support", document_id="1", description="Sửa nhà",
    )  # fmt: skip
    assert row(kind="ledger", status="transfer_out", account_id=books.cash.pk) == (1, -1_500_000)
    assert row(kind="ledger", status="transfer_in", account_id=books.bank.pk) == (1, 1_500_000)
    assert row(kind="ledger", status="payment") == (1, -600_000)
    assert fund_balance(books.vnn) == 1_400_000
    assert_fresh()


def test_a_posted_round_counts_each_line(books, world):
    round = make_round(
        actor=books.staff, group=world.groups[3], campaign=books.campaign,
        lines=[("Đinh Văn An", "200.000"), ("Lê Thị Hoa", "150.000")],
    )  # fmt: skip
    services.round_post(actor=books.staff, round=round)
    assert row(kind="donation", status="valid") == (Donation.objects.count(), 350_000)
    assert_fresh()


def _bank_lines(books):
    from donations.models import BankLayout

    services.statement_import(
        actor=books.staff,
        account=books.bank,
        layout=BankLayout.objects.get(name__startswith="Mẫu chung"),
        data=statement_csv(
            [
                ("25/10/2024", "FT9", "", "750.000", "", "UNG HO"),
                ("26/10/2024", "FT10", "", "120.000", "", "IBFT LE VAN HUNG chuyen tien"),
                ("26/10/2024", "FT11", "", "80.000", "", "R51118 Royal City"),
            ]
        ),
        filename="sao-ke.csv",
    )


def test_bank_credits_recorded_one_and_many_at_once_count(books):
    _bank_lines(books)
    services.statement_line_record(
        actor=books.staff, line=StatementLine.objects.get(reference="FT9"), donor=books.donor,
        fund=books.vnn,
    )  # fmt: skip
    services.statement_lines_record(
        actor=books.staff,
        entries=[
            services.BulkEntry(
                line=StatementLine.objects.get(reference="FT10"), name="Le Van Hung"
            ),
            services.BulkEntry(
                line=StatementLine.objects.get(reference="FT11"), name="Nhà hảo tâm"
            ),
        ],
        fund=books.vnn,
    )
    assert row(kind="donation", status="valid", channel="bank") == (3, 950_000)
    assert row(kind="ledger", status="receipt", account_id=books.bank.pk) == (3, 950_000)
    assert_fresh()


def test_totals_equal_a_fresh_group_by_after_a_random_mix(books, world):
    """Property: whatever the mix of services, the stored totals equal the records'."""
    rng = random.Random(20)
    donors = [DonorFactory(source=s) for s in DonorSource.values[:5]]
    made = []
    for step in range(60):
        action = rng.random()
        if action < 0.55 or not made:
            purpose = "direct" if rng.random() < 0.15 else "fund"
            extra = {"beneficiary": "Hộ bà B"} if purpose == "direct" else {}
            made.append(
                books.record(
                    donor=rng.choice(donors),
                    amount=rng.randrange(1, 50) * 10_000,
                    date=DAY + datetime.timedelta(days=rng.randrange(5)),
                    channel=rng.choice(["cash", "bank"]),
                    purpose=purpose,
                    fund=rng.choice([books.vnn, books.ct]) if purpose == "fund" else None,
                    campaign=rng.choice([books.campaign, None]),
                    credited_group=rng.choice([None, *world.groups.values()]),
                    **extra,
                )
            )
        elif action < 0.7:
            donation = rng.choice(made)
            if not donation.is_voided and not donation.voids.filter(status="pending").exists():
                void = services.void_request(actor=books.staff, donation=donation, reason="Sai sót")
                services.void_approve(actor=books.committee, void=void)
                donation.refresh_from_db()
        elif action < 0.85:
            donor = rng.choice(donors)
            donor.refresh_from_db()
            services.donor_update(
                actor=books.staff,
                donor=donor,
                source=rng.choice([s for s in DonorSource.values if s != "residents"]),
            )
        else:
            fund = rng.choice([books.vnn, books.ct])
            balance = fund_balance(fund)
            if balance >= 10_000:
                services.fund_pay_out(
                    actor=books.treasurer, fund=fund, account=books.cash, amount=10_000,
                    date=DAY, document_type="households.support", document_id=str(step),
                    description="Chi hỗ trợ",
                )  # fmt: skip
        if step % 15 == 0:
            assert_fresh()
    assert_fresh()
    valid = Donation.objects.filter(campaign=books.campaign, status="valid", purpose="fund")
    assert campaign_progress(books.campaign).total == sum(d.amount for d in valid)
    for fund in (books.vnn, books.ct):
        assert fund_balance(fund) == sum(
            LedgerEntry.objects.filter(fund=fund).values_list("amount", flat=True)
        )


# --------------------------------------------------------------------------- the check


def test_check_fund_names_a_tampered_day_total(books):
    books.record(amount=500_000)
    total = DayTotal.objects.get(kind="donation", status="valid")
    DayTotal.objects.filter(pk=total.pk).update(amount=total.amount + 1_000)
    findings = check_day_totals()
    assert len(findings) == 1 and findings[0].is_error
    assert "20/10/2024" in findings[0].title and "khoản ủng hộ" in findings[0].title
    assert "501.000" in findings[0].detail and "500.000" in findings[0].detail
    assert not run_check().ok


def test_check_fund_names_a_missing_and_an_extra_row(books):
    books.record(amount=500_000)
    DayTotal.objects.filter(kind="ledger").delete()
    DayTotal.objects.create(kind="donation", date=DAY, status="valid", n=1, amount=7)
    titles = [f.title for f in check_day_totals()]
    assert len(titles) == 2  # the ledger row gone, the extra donation row
    assert any("sổ quỹ" in t and "quỹ VNN" in t for t in titles)


def test_rebuild_repairs_the_totals(books):
    books.record(amount=500_000)
    DayTotal.objects.all().delete()
    assert check_day_totals()
    services.rebuild_day_totals()
    assert_fresh()


# --------------------------------------------------------------------------- pages


def _form(client, books, **overrides) -> dict:
    token = client.get(reverse("donations:create")).context["form"].initial["form_token"]
    data = {
        "form_token": str(token),
        "donor": str(books.donor.pk),
        "amount": "1.500.000",
        "channel": "cash",
        "date": "20/10/2024",
        "purpose": "fund",
        "fund": str(books.vnn.pk),
        "campaign": str(books.campaign.pk),
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def test_pages_record_void_and_move_a_donor_and_the_totals_follow(
    books, world, staff_client, committee_client
):
    create = reverse("donations:create")
    assert staff_client.post(create, _form(staff_client, books)).status_code == 302
    donation = Donation.objects.get()
    assert row(kind="donation", status="valid") == (1, 1_500_000)
    assert staff_client.get(reverse("dashboard:home")).context["dashboard"].progress.total == (
        1_500_000
    )
    url = reverse("donations:void_request", args=[donation.pk])
    assert staff_client.post(url, {"reason": "Nhập trùng biên nhận"}).status_code == 302
    approve = reverse("donations:void_approve", args=[VoidRequest.objects.get().pk])
    assert committee_client.post(approve, {"xac_nhan": "1"}).status_code == 302
    assert row(kind="donation", status="voided") == (1, 1_500_000)
    assert staff_client.get(reverse("dashboard:home")).context["dashboard"].progress.total == 0
    assert staff_client.post(create, _form(staff_client, books)).status_code == 302
    edit = reverse("donations:donor_update", args=[books.donor.pk])
    form = staff_client.get(edit).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data = {k: v for k, v in data.items() if v is not False}
    data["source"] = DonorSource.BUSINESS
    assert staff_client.post(edit, data).status_code == 302
    books.donor.refresh_from_db()
    assert books.donor.source == DonorSource.BUSINESS
    assert row(kind="donation", source=DonorSource.BUSINESS) == (2, 3_000_000)
    assert_fresh()


def test_a_round_posted_through_its_page_counts(books, world, staff_client):
    round = make_round(
        actor=books.staff, group=world.groups[3], campaign=books.campaign,
        lines=[("Đinh Văn An", "200.000"), ("Lê Thị Hoa", "150.000")],
    )  # fmt: skip
    url = reverse("donations:round_post", args=[round.pk])
    data = {"revision": round.revision, "xac_nhan": "1"}
    assert staff_client.post(url, data).status_code == 302
    assert row(kind="donation", status="valid") == (2, 350_000)
    assert_fresh()
