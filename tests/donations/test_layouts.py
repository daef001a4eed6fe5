"""Statement layouts: the presets read the banks' real export shapes, the app proposes a
layout from any file and checks it by the balances, and the treasurer makes and edits
layouts from a file through the pages."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse

from donations.models import Account, BankLayout
from donations.statements.detect import (
    check_layout,
    layout_settings,
    matching_presets,
    propose_layout,
)
from donations.statements.files import read_rows
from donations.statements.parse import parse_statement
from donations.statements.presets import PRESETS, RENAMED, sync_presets
from lddh.ward.audit import AuditAction, AuditEvent
from tests.donations.statement_samples import build

SAMPLES = Path(build.__file__).resolve().parent
PRESET_OF = {
    "vietcombank_ibanking.csv": "Vietcombank",
    "vietcombank_digibiz.xlsx": "Vietcombank",
    "vietinbank_efast.xlsx": "VietinBank",
    "bidv_ibank.xlsx": "BIDV",
    "agribank_sao_ke.csv": "Agribank",
    "techcombank_sao_ke.xlsx": "Techcombank",
    "mbbank_sao_ke.xlsx": "MB Bank",
    "kho_bac_sao_ke_tien_gui.xlsx": "Kho bạc",
}
# Lines each sample holds, its opening balance, and whether the newest line comes first.
EXPECTED = {
    "vietcombank_ibanking.csv": (38, 152_340_000, False),
    "vietcombank_digibiz.xlsx": (38, 152_340_000, False),
    "vietinbank_efast.xlsx": (32, 48_200_500, False),
    "bidv_ibank.xlsx": (30, 9_870_000, False),
    "agribank_sao_ke.csv": (36, 3_456_789_000, True),
    "techcombank_sao_ke.xlsx": (28, 2_308_471, False),
    "mbbank_sao_ke.xlsx": (34, 21_500_000, False),
    "kho_bac_sao_ke_tien_gui.xlsx": (24, 286_450_000, False),
}


def _rows(name: str) -> list[list]:
    return read_rows((SAMPLES / name).read_bytes())


def _preset(prefix: str) -> BankLayout:
    return BankLayout.objects.get(preset=True, name__startswith=prefix)


def _lines(rows, layout):
    """The parsed lines as (credit, debit, balance): the one place that calls the parser."""
    return [(x.credit, x.debit, x.balance) for x in parse_statement(rows, layout).lines]


def test_the_samples_are_built_again_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "HERE", tmp_path)
    build.build()
    for name in PRESET_OF:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_one_preset_per_bank_export_and_the_generic_one(db):
    names = list(BankLayout.objects.filter(preset=True).values_list("name", flat=True))
    for bank in set(PRESET_OF.values()):
        assert sum(n.startswith(bank) for n in names) == 1, bank
    assert len(names) == len(PRESETS) == 8


def test_sync_renames_the_earlier_presets_and_keeps_their_rows(db):
    BankLayout.objects.filter(preset=True).delete()
    old = BankLayout.objects.create(
        name="VietinBank – sao kê CSV (eFAST)",
        date_column="Ngày hạch toán",
        credit_column="Có",
        description_column="Nội dung giao dịch",
    )
    sync_presets()
    old.refresh_from_db()
    assert old.name == RENAMED["VietinBank – sao kê CSV (eFAST)"]
    assert old.preset and old.credit_column == "Có / Credit"
    assert BankLayout.objects.filter(preset=True).count() == 8


@pytest.mark.parametrize("name", list(PRESET_OF))
def test_each_preset_reads_every_line_of_its_sample_with_a_right_balance_chain(db, name):
    count, opening, newest_first = EXPECTED[name]
    lines = _lines(_rows(name), _preset(PRESET_OF[name]))
    assert len(lines) == count
    if newest_first:
        lines.reverse()
    balance = opening
    for credit, debit, stated in lines:
        balance += credit - debit
        assert stated == balance
    assert all(credit >= 1_000 or debit >= 1_000 for credit, debit, _ in lines)


@pytest.mark.parametrize("name", list(PRESET_OF))
def test_the_proposal_for_each_sample_is_its_preset_and_checks_out(db, name):
    rows = _rows(name)
    preset = _preset(PRESET_OF[name])
    proposal = propose_layout(rows)
    wanted = {k: v for k, v in layout_settings(preset)["columns"].items() if v}
    assert proposal.header_row == preset.header_row
    assert proposal.columns == wanted
    assert proposal.date_format == preset.date_format
    if name.endswith(".csv"):
        assert proposal.thousands == preset.thousands_separator
    count = EXPECTED[name][0]
    assert proposal.check.ok
    assert f"{count - 1}/{count - 1} dòng khớp số dư" in " ".join(proposal.messages)
    assert [p.name for p in matching_presets(rows)] == [preset.name]


def _csv(lines: list[str]) -> list[list]:
    return read_rows("\n".join(lines).encode("utf-8"))


@pytest.mark.parametrize(
    ("thousands", "decimal", "delimiter"),
    [(".", ",", ","), (",", ".", ";"), (" ", ",", ";"), ("", ",", ",")],
)
def test_each_thousands_separator_is_found_by_the_balances(db, thousands, decimal, delimiter):
    def money(n):
        return f"{n:,}".replace(",", thousands) if thousands else str(n)

    balance = 10_000_000
    body = []
    for day in range(1, 21):
        credit = 50_000 * day
        balance += credit
        cells = [f"{day:02d}/10/2024", f"FT{day}", "", money(credit), money(balance), "UNG HO"]
        body.append(delimiter.join(f'"{c}"' for c in cells))
    header = delimiter.join(["Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung"])
    proposal = propose_layout(_csv(["SAO KE", header, *body]))
    assert (proposal.thousands, proposal.decimal) == (thousands, decimal) or (
        thousands == "" and proposal.check.ok
    )
    assert proposal.header_row == 2
    assert proposal.check.ok and proposal.check.balance_ok == 19


def test_a_wrong_separator_shows_amounts_below_a_thousand_dong(db):
    rows = _rows("vietcombank_ibanking.csv")
    settings = layout_settings(_preset("Vietcombank")) | {"thousands": ",", "decimal": "."}
    check = check_layout(rows, **settings)
    assert not check.ok
    assert check.small or check.problems
    text = " ".join(check.messages)
    assert "dưới 1.000 đ" in text or "không đọc được" in text


def test_one_amount_column_with_a_direction_column(db):
    rows = [
        ["Ngày", "Số tiền", "Nợ/Có", "Số dư", "Diễn giải"],
        ["01/10/2024", "500.000", "C", "1.500.000", "UNG HO"],
        ["02/10/2024", "200.000", "D", "1.300.000", "PHI"],
        ["03/10/2024", "1.000.000", "C", "2.300.000", "UNG HO"],
    ]
    proposal = propose_layout(rows)
    assert proposal.columns["credit"] == "Số tiền"
    assert proposal.columns["direction"] == "Nợ/Có"
    assert proposal.check.ok and proposal.check.debit_sum == 200_000


def test_a_newest_first_file_is_checked_in_its_order(db):
    rows = _rows("agribank_sao_ke.csv")
    proposal = propose_layout(rows)
    assert proposal.check.order == "desc" and proposal.check.ok


def test_a_file_without_header_gets_no_proposal(db):
    proposal = propose_layout([["a", "b"], ["1", "2"]])
    assert proposal.header_row is None
    assert "Không tìm thấy dòng tiêu đề" in proposal.messages[0]


# --------------------------------------------------------------------------- pages


def _upload(client, url, name):
    upload = io.BytesIO((SAMPLES / name).read_bytes())
    upload.name = name
    return client.post(url, {"file": upload})


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = value
    return data


@pytest.mark.parametrize("persona", ["staff", "committee", "treasurer"])
def test_office_and_treasurer_make_a_layout_from_a_file(books, world, persona):
    client = world.client(persona)
    url = reverse("donations:layout_create")
    response = _upload(client, url, "mbbank_sao_ke.xlsx")
    assert response.status_code == 200
    body = response.content.decode()
    assert "33/33 dòng khớp số dư" in body
    assert "không được lưu" in body
    assert "MB Bank – sao kê chi tiết tài khoản" in body  # the preset that reads it
    data = _form_data(response) | {"name": f"MB của phường ({persona})", "account": books.bank.pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    layout = BankLayout.objects.get(name=f"MB của phường ({persona})")
    assert (layout.preset, layout.created_by) == (False, world.users[persona])
    assert layout.credit_column == "Phát sinh có/ Credit"
    assert layout.date_format == "%d/%m/%Y %H:%M:%S"
    books.bank.refresh_from_db()
    assert books.bank.statement_layout == layout
    event = AuditEvent.objects.get(action=AuditAction.BANK_LAYOUT_CREATE)
    assert event.after["account"] == books.bank.name
    assert event.after["credit_column"] == "Phát sinh có/ Credit"


def test_a_pick_that_breaks_the_balances_is_not_saved_without_confirmation(books, world):
    client = world.client("treasurer")
    url = reverse("donations:layout_create")
    data = _form_data(_upload(client, url, "kho_bac_sao_ke_tien_gui.xlsx"))
    data |= {"name": "KB sai", "credit_column": "Phát sinh Nợ", "debit_column": "Phát sinh Có"}
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kiểm tra: chưa ổn" in body and "/23 dòng khớp số dư" in body
    assert "23/23 dòng khớp" not in body
    assert not BankLayout.objects.filter(name="KB sai").exists()
    response = client.post(url, data | {"confirm": "on"})
    assert response.status_code == 302
    assert BankLayout.objects.filter(name="KB sai").exists()


def test_validation_messages_name_the_field(books, world):
    client = world.client("treasurer")
    url = reverse("donations:layout_create")
    data = _form_data(_upload(client, url, "bidv_ibank.xlsx"))
    bad = data | {"name": "BIDV", "date_column": "", "debit_column": "Ghi có"}
    response = client.post(url, bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hãy chọn cột ngày." in body
    assert "Cột “Ghi có” đã được chọn cho ghi có (tiền vào)" in body
    forged = data | {"name": "BIDV 2", "balance_column": "Không có cột này"}
    body = client.post(url, forged).content.decode()
    assert "Cột “Không có cột này” không có ở dòng tiêu đề" in body
    taken = data | {"name": PRESETS[0]["name"]}
    body = client.post(url, taken).content.decode()
    assert "Đã có mẫu tên" in body


def test_a_pdf_or_empty_file_is_refused_with_a_message(books, world):
    client = world.client("treasurer")
    upload = io.BytesIO(b"")
    upload.name = "trong.csv"
    response = client.post(reverse("donations:layout_create"), {"file": upload})
    assert response.status_code == 400
    assert "Tệp rỗng" in response.content.decode()


def test_editing_an_office_layout_and_presets_are_read_only(books, world):
    client = world.client("treasurer")
    url = reverse("donations:layout_create")
    data = _form_data(_upload(client, url, "techcombank_sao_ke.xlsx")) | {"name": "TCB"}
    assert client.post(url, data).status_code == 302
    layout = BankLayout.objects.get(name="TCB")
    edit = reverse("donations:layout_edit", args=[layout.pk])
    page = client.get(edit)
    assert page.status_code == 200
    data = _form_data(page) | {"name": "TCB phường", "account": books.bank.pk, "confirm": "on"}
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    layout.refresh_from_db()
    assert layout.name == "TCB phường"
    event = AuditEvent.objects.get(action=AuditAction.BANK_LAYOUT_UPDATE)
    assert event.before["name"] == "TCB" and event.after["name"] == "TCB phường"
    preset = _preset("Vietcombank")
    assert client.get(reverse("donations:layout_edit", args=[preset.pk])).status_code == 403
    copy = client.get(url + f"?tu={preset.pk}")
    assert copy.status_code == 200
    assert "(bản sao)" in copy.content.decode()


def test_leaders_and_readers_cannot_reach_the_layout_pages(books, world):
    layout = BankLayout.objects.create(
        name="Mẫu tổ", date_column="Ngày", credit_column="Có", description_column="ND"
    )
    for persona in ("leader1", "leader2", "higher", "supervisor"):
        client = world.client(persona)
        for url in (
            reverse("donations:layout_list"),
            reverse("donations:layout_create"),
            reverse("donations:layout_edit", args=[layout.pk]),
        ):
            assert client.get(url).status_code == 403, (persona, url)
    assert (
        world.client("treasurer")
        .get(reverse("donations:layout_edit", args=[layout.pk + 999]))
        .status_code
        == 404
    )


def test_the_list_shows_which_account_uses_which_layout(books, world):
    layout = _preset("Agribank")
    Account.objects.filter(pk=books.bank.pk).update(statement_layout=layout)
    body = world.client("treasurer").get(reverse("donations:layout_list")).content.decode()
    assert books.bank.name in body and "Chép để sửa" in body


def test_the_upload_form_preselects_the_accounts_layout(books):
    from donations.forms.statements import StatementUploadForm

    layout = _preset("BIDV")
    Account.objects.filter(pk=books.bank.pk).update(statement_layout=layout)
    form = StatementUploadForm()
    assert f"{books.bank.pk}:{layout.pk}" in form.fields["account"].widget.attrs["data-layouts"]
    statement_accounts = Account.objects.filter(
        active=True, kind__in=(Account.Kind.BANK, Account.Kind.TREASURY)
    )
    if statement_accounts.count() == 1:
        assert form.initial["layout"] == layout.pk


_ = datetime
