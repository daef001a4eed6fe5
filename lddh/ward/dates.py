"""Vietnamese date conventions: dd/mm/yyyy, and a document's date line."""

from __future__ import annotations

import datetime


def format_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def date_line(place: str, day: datetime.date) -> str:
    """'Hà Nội, ngày 05 tháng 01 năm 2025': zero-padded days under 10 and months 1-2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
