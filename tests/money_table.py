"""Amounts as people really type or paste them, and what the server must make of each.

Each row is (typed, expected): an int is the only amount that may be stored; a string
is the MoneyError code the server refuses it with. The browser tests type every row
into every money field; tests/ward/test_money_table.py runs the same rows through the
server alone. Nothing may be stored as another amount than the one shown in words.
"""

from __future__ import annotations

HOSTILE_AMOUNTS: list[tuple[str, int | str]] = [
    # Decimals with comma and dot: đồng has no minor unit.
    ("1.250.000,00", "fraction"),
    ("1.250.000,50", "fraction"),
    ("1,250,000.00", "fraction"),
    ("1.5", "fraction"),
    ("1,5", "fraction"),
    ("15.00", "fraction"),
    # Minus signs, plus, brackets.
    ("-50000", "negative"),
    ("\u221250.000", "negative"),  # the minus sign of a word processor
    ("+5000", "invalid"),
    ("(1.500.000)", "invalid"),
    # Words and shorthand.
    ("1,5 triệu", "shorthand"),
    ("500k", "shorthand"),
    ("2tr", "shorthand"),
    ("1tr5", "shorthand"),
    ("abc", "invalid"),
    ("1e6", "invalid"),
    ("Số tiền: 500.000đ", "invalid"),
    # Separators: spaces, commas, mixed, misplaced.
    ("1 500 000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1.500,000", "mixed"),
    ("1..500", "grouping"),
    ("1.2345", "grouping"),
    (" 20.000 ", 20_000),
    # Full-width and other digits.
    ("\uff11\uff12\uff13.\uff10\uff10\uff10", "invalid"),
    ("\u0661\u0662\u0663", "invalid"),
    # Leading zeros, long numbers, plain digits.
    ("000150000", 150_000),
    ("12345678901234567890", "too_large"),
    ("75000", 75_000),
    ("999", 999),
    # Pasted with a currency.
    ("1.500.000 đ", 1_500_000),
    ("2.000.000đ", 2_000_000),
    ("1.500.000 VND", 1_500_000),
    ("1 000 000 đồng", 1_000_000),
    ("\u20ab1.500.000", "invalid"),
    ("$100", "invalid"),
]
"""More than 25 rows, as the rule for every money field asks."""
