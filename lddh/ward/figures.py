"""The figures shown on pages, reports and exports: each has one Vietnamese name and one
sentence that says what it adds up. Pages, PDFs and Excel files print these names and
sentences (templates through the ``figures`` tag library), never a synonym of their
own; the guide's glossary (docs/huong-dan/so-lieu.md) repeats them word for word.

``avoid`` lists the wordings that once named the same figure and must not come back
(a test scans the templates and the report modules for them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    key: str
    name: str
    explanation: str
    avoid: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


RAISED = Figure(
    "raised",
    "Đã vận động vào Quỹ",
    "Tổng các khoản ủng hộ vào Quỹ có biên nhận còn hiệu lực, tính theo ngày ủng hộ; "
    "không gồm biên nhận đã hủy và hỗ trợ trực tiếp.",
    avoid=("Số tiền vận động", "Tổng vận động", "Đã quyên góp", "Số thu của Quỹ"),
)
DIRECT = Figure(
    "direct",
    "Hỗ trợ trực tiếp",
    "Tiền hoặc hiện vật nhà hảo tâm trao thẳng cho hộ do phường giới thiệu: có biên nhận "
    "riêng nhưng không vào Quỹ, nên không tính vào số đã vận động vào Quỹ và số dư.",
)
BALANCE = Figure(
    "balance",
    "Số dư",
    "Số tiền Quỹ đang giữ theo sổ quỹ: số dư đầu kỳ + đã thu − hủy sau khi ghi − đã chi "
    "+ chuyển quỹ đến − chuyển quỹ đi; không ai nhập số dư bằng tay.",
    avoid=("Tồn quỹ",),
)
OPENING = Figure(
    "opening",
    "Số dư đầu kỳ",
    "Số dư theo sổ quỹ đến hết ngày trước ngày đầu kỳ (chuyển sang từ các kỳ, các chiến "
    "dịch trước).",
)
RECEIVED = Figure(
    "received",
    "Đã thu",
    "Các khoản ủng hộ ghi vào sổ quỹ trong kỳ theo biên nhận, kể cả những biên nhận bị hủy sau đó.",
    avoid=("Cộng thu trong kỳ",),
)
VOIDED = Figure(
    "voided",
    "Hủy sau khi ghi",
    "Biên nhận đã ghi sổ rồi mới bị hủy (có lý do, người thứ hai duyệt): sổ quỹ không xóa "
    "dòng cũ mà ghi một bút toán đảo vào ngày hủy.",
)
VOIDED_LATER = Figure(
    "voided_later",
    "Hủy sau kỳ",
    "Biên nhận lập trong kỳ nhưng bị hủy sau ngày cuối kỳ: vẫn nằm trong số dư cuối kỳ, "
    "được trừ ở kỳ có ngày hủy.",
)
SPENT = Figure(
    "spent",
    "Đã chi",
    "Các khoản chi hỗ trợ từ Quỹ đã ghi sổ quỹ trong kỳ (đã chi tiền hoặc bàn giao).",
    avoid=("Cộng chi trong kỳ",),
)
TRANSFERS = Figure(
    "transfers",
    "Chuyển quỹ",
    "Tiền chuyển giữa các tài khoản, két của cùng một Quỹ (ví dụ nộp tiền mặt vào ngân "
    "hàng): số chuyển đi bằng số chuyển đến, nên số dư của cả Quỹ không đổi.",
)
TRANSFER_IN = Figure(
    "transfer_in",
    "Chuyển quỹ đến",
    "Tiền chuyển vào một tài khoản, két từ tài khoản, két khác của cùng Quỹ.",
)
TRANSFER_OUT = Figure(
    "transfer_out",
    "Chuyển quỹ đi",
    "Tiền chuyển từ một tài khoản, két sang tài khoản, két khác của cùng Quỹ.",
)
CLOSING = Figure(
    "closing",
    "Số dư cuối kỳ",
    "Số dư theo sổ quỹ đến hết ngày cuối kỳ: số dư đầu kỳ + đã thu − hủy sau khi ghi − "
    "đã chi + chuyển quỹ đến − chuyển quỹ đi.",
)
LIST_TOTAL = Figure(
    "list_total",
    "Tổng các khoản hợp lệ",
    "Tổng các khoản ủng hộ có biên nhận còn hiệu lực khớp bộ lọc, cộng mọi quỹ và hỗ trợ "
    "trực tiếp; các phần sau dấu “=” cho biết mỗi quỹ và hỗ trợ trực tiếp góp bao nhiêu.",
)

GLOSSARY: tuple[Figure, ...] = (
    RAISED,
    DIRECT,
    BALANCE,
    OPENING,
    RECEIVED,
    VOIDED,
    VOIDED_LATER,
    SPENT,
    TRANSFERS,
    TRANSFER_IN,
    TRANSFER_OUT,
    CLOSING,
    LIST_TOTAL,
)
"""Every figure, in the order the guide lists them."""

BY_KEY = {figure.key: figure for figure in GLOSSARY}


def figure(key: str) -> Figure:
    return BY_KEY[key]
