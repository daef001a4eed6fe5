"""The published report's balance table adds up on its face, fund by fund: opening +
received − voided after recording − spent + transfers in − transfers out = closing, and
the closing is the ledger's balance at the period's end."""

from __future__ import annotations

import datetime

from donations.models import Fund
from donations.selectors import fund_balance
from lddh.public.services import report_context

START, END = datetime.date(2024, 10, 17), datetime.date(2024, 11, 18)


def test_the_public_report_balance_table_adds_up(ward, world):
    context = report_context(
        title="Kết quả", period_start=START, period_end=END, actor=world.users["committee"]
    )
    funds = {fund.name: fund for fund in Fund.objects.all()}
    assert context["funds"]
    for line in context["funds"]:
        m = line["movements"]
        assert m.adds_up
        fund = funds[line["name"]]
        assert m.closing == fund_balance(fund, until=END)
        assert m.opening == fund_balance(fund, until=START - datetime.timedelta(days=1))
    assert any(line["movements"].received for line in context["funds"])
