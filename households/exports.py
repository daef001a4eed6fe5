"""Excel exports of the register: classes that yield rows, one renderer
that writes them with a write-only workbook and streams the file.

Every text cell is written as an inline string, so text that looks like a formula
("=1+1", "+84…", "-", "@…") stays text: Excel shows it, never computes it. Such cells
also get Excel's quote-prefix style (the hidden apostrophe), so editing the cell later
does not turn it into a formula either. Characters Excel rejects are removed.

The renderer is generic; it belongs in the core once a second app exports.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from households.models import Category, Need
from households.selectors import ListFilters, filter_households, groups_for, households_for
from lddh.ward import exports as ward_exports
from lddh.ward.access import Access
from lddh.ward.money import amount_in_words, format_number
from lddh.ward.roles import Role
from lddh.ward.templatetags.lddh import person_name

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY = "money"


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    kind: str = "text"  # "text", "number", MONEY


class Sheet:
    title: str = "Sheet"
    columns: Sequence[Column] = ()

    def rows(self) -> Iterator[Sequence]:
        raise NotImplementedError


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell(ws, value, column: Column):
    if value is None:
        return WriteOnlyCell(ws, None)
    if isinstance(value, str):
        text = clean_text(value)
        cell = WriteOnlyCell(ws, None)
        cell.value = text
        cell.data_type = "s"  # never "f": text is text
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(ws, value)
    if column.kind == MONEY:
        cell.number_format = "#,##0"
    return cell


def render_xlsx(sheets: Sequence[Sheet], filename: str) -> FileResponse:
    """Write the sheets row by row (constant memory) and stream the file."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        for index, column in enumerate(sheet.columns):
            letter = _column_letter(index)
            ws.column_dimensions[letter].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = _cell(ws, column.title, column)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows():
            ws.append(
                [_cell(ws, value, col) for value, col in zip(row, sheet.columns, strict=True)]
            )
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


# ---------------------------------------------------------------- the register


class HouseholdSheet(Sheet):
    """One row per household the viewer may see; CCCD and phone only when asked for by
    someone who may see them (the view logs that)."""

    title = "Danh sách hộ"

    def __init__(self, households, *, personal: bool):
        self.households = households
        self.personal = personal
        columns = [
            Column("STT", 6, "number"),
            Column("Tổ dân phố", 16),
            Column("Họ tên chủ hộ", 26),
            Column("Năm sinh", 10, "number"),
            Column("Địa chỉ", 32),
        ]
        if personal:
            columns += [Column("Số CCCD chủ hộ", 16), Column("Điện thoại", 14)]
        columns += [
            Column("Phân loại", 22),
            Column("Số quyết định", 16),
            Column("Năm quyết định", 10, "number"),
            Column("Hoàn cảnh đặc biệt khó khăn", 12),
            Column("Lý do khó khăn", 30),
            Column("Số nhân khẩu", 10, "number"),
            Column("Nhu cầu chưa đáp ứng", 40),
            Column("Dự toán nhu cầu (đồng)", 16, MONEY),
            Column("Thu nhập bình quân (đồng/người/tháng)", 16, MONEY),
            Column("Trạng thái", 18),
            Column("Hoàn cảnh", 60),
        ]
        self.columns = columns

    def rows(self):
        open_needs = Need.objects.filter(status__in=(Need.Status.OPEN, Need.Status.PLANNED))
        qs = self.households.select_related("group").prefetch_related(
            "members", Prefetch("needs", queryset=open_needs, to_attr="open_needs")
        )
        for number, h in enumerate(qs.iterator(chunk_size=500), start=1):
            row = [number, h.group.name, h.head_name, h.head_birth_year, h.address]
            if self.personal:
                row += [h.head_cccd, h.phone]
            row += [
                h.get_category_display(),
                h.decision_number,
                h.decision_year,
                "Có" if h.especially_difficult else "",
                ", ".join(h.difficulty_reason_labels()),
                len(h.members.all()),
                "; ".join(
                    f"{n.get_type_display()}" + (f": {n.description}" if n.description else "")
                    for n in h.open_needs
                ),
                sum(n.estimated_cost for n in h.open_needs),
                h.income_per_person,
                h.get_status_display(),
                h.circumstances,
            ]
            yield row


class NeedSheet(Sheet):
    title = "Nhu cầu"
    columns = (
        Column("Tổ dân phố", 16),
        Column("Họ tên chủ hộ", 26),
        Column("Loại nhu cầu", 28),
        Column("Mô tả", 50),
        Column("Dự toán (đồng)", 16, MONEY),
        Column("Mức ưu tiên", 12),
        Column("Tình trạng", 18),
    )

    def __init__(self, households):
        self.households = households

    def rows(self):
        needs = (
            Need.objects.filter(household__in=self.households.values("pk"))
            .select_related("household__group")
            .order_by("household__group__number", "household__head_name", "priority", "pk")
        )
        for n in needs.iterator(chunk_size=500):
            yield [
                n.household.group.name,
                n.household.head_name,
                n.get_type_display(),
                n.description,
                n.estimated_cost,
                n.get_priority_display(),
                n.get_status_display(),
            ]


class SummarySheet(Sheet):
    """Counts per group, no person named: what the level above receives."""

    title = "Tổng hợp theo tổ"
    columns = (
        Column("Tổ dân phố", 18),
        Column("Số hộ đang theo dõi", 12, "number"),
        Column("Hộ nghèo", 10, "number"),
        Column("Hộ cận nghèo", 12, "number"),
        Column("Hộ có hoàn cảnh đặc biệt khó khăn", 16, "number"),
        Column("Số nhu cầu chưa đáp ứng", 14, "number"),
        Column("Dự toán nhu cầu chưa đáp ứng (đồng)", 20, MONEY),
    )

    def __init__(self, access: Access, households):
        self.access = access
        self.households = households

    def rows(self):
        per_group = {
            row["group"]: row
            for row in self.households.order_by()
            .values("group")
            .annotate(
                total=Count("pk"),
                poor=Count("pk", filter=Q(category=Category.POOR)),
                near_poor=Count("pk", filter=Q(category=Category.NEAR_POOR)),
                difficult=Count("pk", filter=Q(especially_difficult=True)),
            )
        }
        needs = {
            row["household__group"]: row
            for row in Need.objects.filter(
                household__in=self.households.values("pk"),
                status__in=(Need.Status.OPEN, Need.Status.PLANNED),
            )
            .order_by()
            .values("household__group")
            .annotate(n=Count("pk"), cost=Sum("estimated_cost"))
        }
        totals = [0, 0, 0, 0, 0, 0]
        for group in groups_for(self.access):
            row = per_group.get(group.pk, {})
            need = needs.get(group.pk, {})
            values = [
                row.get("total", 0),
                row.get("poor", 0),
                row.get("near_poor", 0),
                row.get("difficult", 0),
                need.get("n", 0),
                need.get("cost") or 0,
            ]
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            yield [group.name, *values]
        yield ["Tổng cộng", *totals]


def register_export(access: Access, filters: ListFilters, *, personal: bool) -> FileResponse:
    """The register as the viewer may see it; anyone who may not name people gets the
    counts only (the views let no such role reach it today: defence in depth)."""
    households = filter_households(households_for(access), filters).order_by(
        "group__number", "head_name", "pk"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    names_people = (
        access.is_office or access.is_leader or access.has(Role.TREASURER, Role.SUPERVISOR)
    )
    if not names_people:
        return render_xlsx([SummarySheet(access, households)], f"tong-hop-ho-gia-dinh-{stamp}.xlsx")
    sheets = [
        HouseholdSheet(households, personal=personal and access.sees_personal_data),
        NeedSheet(households),
        SummarySheet(access, households),
    ]
    return render_xlsx(sheets, f"danh-sach-ho-gia-dinh-{stamp}.xlsx")


def export_household_ids(access: Access, filters: ListFilters) -> list[int]:
    return list(filter_households(households_for(access), filters).values_list("pk", flat=True))


__all__ = [
    "Column",
    "HouseholdSheet",
    "NeedSheet",
    "Sheet",
    "SummarySheet",
    "clean_text",
    "register_export",
    "render_xlsx",
]


# ---------------------------------------------------------------- support (shared renderer)


class SignedListExport(ward_exports.Export):
    """The danh sách ký nhận of a round as Excel, the same rows as its PDF."""

    title = "Danh sách ký nhận"
    sheet_name = "Danh sách ký nhận"
    filename = "danh-sach-ky-nhan"
    columns = (
        ward_exports.Column("STT", kind="int", width=6),
        ward_exports.Column("Họ tên chủ hộ", width=26),
        ward_exports.Column("Địa chỉ", width=34),
        ward_exports.Column("Tổ", kind="int", width=6),
        ward_exports.Column("Số tiền (đồng)", kind="money", width=16, total=True),
        ward_exports.Column("Ký nhận", width=18),
    )

    def __init__(self, round, rows, ward=None):
        self.round = round
        self.row_list = list(rows)
        self.ward = ward
        self.filename = f"danh-sach-ky-nhan-dot-{round.pk}"

    def header_lines(self):
        return self.ward.header_line_list if self.ward else ()

    def subtitle_lines(self):
        total = sum(s.amount for s in self.row_list)
        lines = [self.round.name]
        if self.round.campaign_id:
            lines.append(self.round.campaign.name)
        lines.append(
            f"Tổng cộng {len(self.row_list)} hộ, {format_number(total)} đồng "
            f"(bằng chữ: {amount_in_words(total)})."
        )
        return lines

    def signatures(self):
        """The list's maker, whoever paid (else the fund's accountant named in the ward
        profile), and the ward's signatory."""
        ward = self.ward
        payer = next((person_name(s.paid_by) for s in self.row_list if s.paid_by_id), "")
        signatory = ward.signatory_on() if ward else None
        return (
            ("NGƯỜI LẬP BIỂU", person_name(self.round.created_by)),
            ("KẾ TOÁN / THỦ QUỸ", payer or (ward.accountant_name if ward else "")),
            ("TM. BAN THƯỜNG TRỰC", signatory.full_name if signatory else ""),
        )

    def rows(self):
        for number, support in enumerate(self.row_list, start=1):
            recipient = support.recipient or {}
            yield (
                number,
                recipient.get("head_name") or support.household.head_name,
                recipient.get("address") or support.household.address,
                support.household.group.number,
                support.amount,
                "",
            )
