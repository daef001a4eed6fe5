"""Money helpers: formatting, parsing user input and the amount in words (docs/domain.md §7).

Plain pytest, no database and no Django settings needed.
"""

import itertools
import random
import unicodedata

import pytest

from lddh.ward.money import (
    MAX_AMOUNT,
    MoneyError,
    amount_in_words,
    format_dong,
    format_number,
    parse_dong,
)

NBSP = "\u00a0"

# --------------------------------------------------------------------------- in words

NINES = "chín trăm chín mươi chín"

IN_WORDS = [
    # units, tens and the first group (a zero hundreds digit is not read there)
    (0, "Không đồng"),
    (1, "Một đồng"),
    (4, "Bốn đồng"),
    (5, "Năm đồng"),
    (9, "Chín đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (19, "Mười chín đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"),
    (25, "Hai mươi lăm đồng"),
    (31, "Ba mươi mốt đồng"),
    (44, "Bốn mươi tư đồng"),
    (55, "Năm mươi lăm đồng"),
    (90, "Chín mươi đồng"),
    (99, "Chín mươi chín đồng"),
    (100, "Một trăm đồng"),
    (101, "Một trăm lẻ một đồng"),
    (104, "Một trăm lẻ bốn đồng"),
    (105, "Một trăm lẻ năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (114, "Một trăm mười bốn đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (124, "Một trăm hai mươi tư đồng"),
    (125, "Một trăm hai mươi lăm đồng"),
    (999, "Chín trăm chín mươi chín đồng"),
    # the same rules in a non-first group: "không trăm" when hundreds is 0
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm lẻ một đồng"),
    (1_004, "Một nghìn không trăm lẻ bốn đồng"),
    (1_005, "Một nghìn không trăm lẻ năm đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_011, "Một nghìn không trăm mười một đồng"),
    (1_014, "Một nghìn không trăm mười bốn đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (1_020, "Một nghìn không trăm hai mươi đồng"),
    (1_021, "Một nghìn không trăm hai mươi mốt đồng"),
    (1_024, "Một nghìn không trăm hai mươi tư đồng"),
    (1_025, "Một nghìn không trăm hai mươi lăm đồng"),
    (1_100, "Một nghìn một trăm đồng"),
    (1_101, "Một nghìn một trăm lẻ một đồng"),
    (1_105, "Một nghìn một trăm lẻ năm đồng"),
    (1_115, "Một nghìn một trăm mười lăm đồng"),
    (5_000, "Năm nghìn đồng"),
    # nghìn as the first group
    (10_000, "Mười nghìn đồng"),
    (11_000, "Mười một nghìn đồng"),
    (14_000, "Mười bốn nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (24_000, "Hai mươi tư nghìn đồng"),
    (25_000, "Hai mươi lăm nghìn đồng"),
    (50_000, "Năm mươi nghìn đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (101_000, "Một trăm lẻ một nghìn đồng"),
    (104_000, "Một trăm lẻ bốn nghìn đồng"),
    (105_000, "Một trăm lẻ năm nghìn đồng"),
    (110_000, "Một trăm mười nghìn đồng"),
    (115_000, "Một trăm mười lăm nghìn đồng"),
    (200_000, "Hai trăm nghìn đồng"),
    (500_500, "Năm trăm nghìn năm trăm đồng"),
    # triệu
    (1_000_000, "Một triệu đồng"),
    (1_000_001, "Một triệu không trăm lẻ một đồng"),
    (1_000_005, "Một triệu không trăm lẻ năm đồng"),
    (1_000_010, "Một triệu không trăm mười đồng"),
    (1_001_000, "Một triệu không trăm lẻ một nghìn đồng"),
    (1_005_000, "Một triệu không trăm lẻ năm nghìn đồng"),
    (1_015_000, "Một triệu không trăm mười lăm nghìn đồng"),
    (1_021_000, "Một triệu không trăm hai mươi mốt nghìn đồng"),
    (1_024_024, "Một triệu không trăm hai mươi tư nghìn không trăm hai mươi tư đồng"),
    (1_234_567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (2_000_050, "Hai triệu không trăm năm mươi đồng"),
    (2_000_500, "Hai triệu năm trăm đồng"),
    (2_015_000, "Hai triệu không trăm mười lăm nghìn đồng"),
    (10_000_000, "Mười triệu đồng"),
    (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
    (15_000_000, "Mười lăm triệu đồng"),
    (21_000_000, "Hai mươi mốt triệu đồng"),
    (100_000_000, "Một trăm triệu đồng"),
    (105_000_000, "Một trăm lẻ năm triệu đồng"),
    # tỷ
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm lẻ năm đồng"),
    (1_000_001_000, "Một tỷ không trăm lẻ một nghìn đồng"),
    (1_005_000_000, "Một tỷ không trăm lẻ năm triệu đồng"),
    (1_500_000_000, "Một tỷ năm trăm triệu đồng"),
    (10_000_000_000, "Mười tỷ đồng"),
    (21_000_000_000, "Hai mươi mốt tỷ đồng"),
    (25_000_000_000, "Hai mươi lăm tỷ đồng"),
    (100_000_000_000, "Một trăm tỷ đồng"),
    (105_000_000_000, "Một trăm lẻ năm tỷ đồng"),
    (999_999_999_999, f"{NINES.capitalize()} tỷ {NINES} triệu {NINES} nghìn {NINES} đồng"),
    # nghìn tỷ: the count of tỷ is read as a number, then "tỷ", then the remainder
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_000_000_000_001, "Một nghìn tỷ không trăm lẻ một đồng"),
    (1_000_015_000_000, "Một nghìn tỷ không trăm mười lăm triệu đồng"),
    (1_001_000_000_000, "Một nghìn không trăm lẻ một tỷ đồng"),
    (1_015_000_000_000, "Một nghìn không trăm mười lăm tỷ đồng"),
    (1_024_000_000_000, "Một nghìn không trăm hai mươi tư tỷ đồng"),
    (21_000_000_000_000, "Hai mươi mốt nghìn tỷ đồng"),
    (105_000_000_000_000, "Một trăm lẻ năm nghìn tỷ đồng"),
    (
        1_234_567_891_011,
        "Một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu "
        "tám trăm chín mươi mốt nghìn không trăm mười một đồng",
    ),
    (
        MAX_AMOUNT,
        "Chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ chín trăm chín mươi chín "
        "triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
    ),
]


@pytest.mark.parametrize(
    ("amount", "expected"), IN_WORDS, ids=[format_number(a) for a, _ in IN_WORDS]
)
def test_amount_in_words(amount, expected):
    assert amount_in_words(amount) == expected


def test_in_words_table_is_large_and_unique():
    amounts = [a for a, _ in IN_WORDS]
    assert len(amounts) >= 50
    assert len(set(amounts)) == len(amounts)


@pytest.mark.parametrize("amount", [-1, -1_500_000, MAX_AMOUNT + 1, 10**18])
def test_amount_in_words_rejects_out_of_range(amount):
    with pytest.raises(MoneyError) as excinfo:
        amount_in_words(amount)
    assert excinfo.value.code == ("negative" if amount < 0 else "too_large")
    assert excinfo.value.message.startswith("Số tiền")


@pytest.mark.parametrize("amount", [1.5, "15000", None, True, False])
def test_amount_in_words_needs_an_int(amount):
    with pytest.raises(TypeError):
        amount_in_words(amount)


# A reader for the words, written independently of money.py: it is lenient about style
# (it would accept "hai mươi một"), so the style is checked separately below.
_DIGIT_WORDS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def _read_back(text: str) -> int:
    words = text[0].lower() + text[1:]
    tokens = words.split(" ")
    assert tokens.pop() == "đồng"
    total = below_billion = group = 0
    digit = None
    for token in tokens:
        if token in _DIGIT_WORDS:
            assert digit is None, text
            digit = _DIGIT_WORDS[token]
            continue
        if token == "trăm":
            group += digit * 100
        elif token == "mươi":
            group += digit * 10
        elif token == "mười":
            assert digit is None, text
            group += 10
        elif token == "lẻ":
            assert digit is None, text
        elif token in ("nghìn", "triệu"):
            group += digit or 0
            below_billion += group * (1_000 if token == "nghìn" else 1_000_000)
            group = 0
        elif token == "tỷ":
            group += digit or 0
            total = (below_billion + group) * 1_000_000_000
            below_billion = group = 0
        else:
            raise AssertionError(f"unexpected word {token!r} in {text!r}")
        digit = None
    return total + below_billion + group + (digit or 0)


def _sample_amounts() -> list[int]:
    rng = random.Random(20241201)
    amounts = set(range(0, 2_100))
    amounts.update(a for a, _ in IN_WORDS)
    for digits in range(1, len(str(MAX_AMOUNT)) + 1):
        amounts.update(rng.randrange(10 ** (digits - 1), 10**digits) for _ in range(150))
        # Sparse amounts (many 000 groups and zero digits) exercise "không trăm" and "lẻ".
        for _ in range(150):
            amount = int("".join(rng.choice("000000123456789") for _ in range(digits)))
            amounts.add(amount)
    for scale in (10**3, 10**6, 10**9, 10**12):
        amounts.update({scale - 1, scale, scale + 1, scale + 5, scale + 15, scale + 21})
    amounts.add(MAX_AMOUNT)
    return sorted(amounts)


SAMPLE = _sample_amounts()


def test_in_words_reads_back_to_the_same_amount():
    for amount in SAMPLE:
        assert _read_back(amount_in_words(amount)) == amount, amount


def test_in_words_shape():
    for amount in SAMPLE:
        text = amount_in_words(amount)
        assert text[0].isupper() and text[0] == text[0].upper(), text
        assert text[1:] == text[1:].lower(), text
        assert text.endswith(" đồng") and text.count("đồng") == 1, text
        assert text == text.strip() and "  " not in text, text
        assert "," not in text and NBSP not in text, text
        assert unicodedata.is_normalized("NFC", text), text


def test_in_words_style():
    """mốt, tư only after mươi; lăm only after mười/mươi; lẻ only after trăm; không trăm."""
    for amount in SAMPLE[1:]:  # 0 is "Không đồng", tested in the table
        tokens = amount_in_words(amount).lower().split(" ")
        for i, (before, word) in enumerate(itertools.pairwise(tokens)):
            if word in ("mốt", "tư"):
                assert before == "mươi", tokens
            if word == "lăm":
                assert before in ("mười", "mươi"), tokens
            if word == "lẻ":
                assert before == "trăm", tokens
            if before == "lẻ":
                assert word in _DIGIT_WORDS and word not in ("không", "mốt", "tư", "lăm")
            if before == "mươi" and word in _DIGIT_WORDS:
                assert word not in ("một", "bốn", "năm", "không"), tokens
            if before == "mười" and word in _DIGIT_WORDS:
                assert word not in ("năm", "mốt", "tư", "không"), tokens
            if before == "không":
                assert word == "trăm", tokens
            if before in ("nghìn", "triệu", "tỷ"):
                # A non-first group always reads its hundreds digit ("nghìn tỷ" aside).
                assert word in ("tỷ", "đồng") or tokens[i + 2] == "trăm", tokens
        assert tokens[0] != "không", tokens


# --------------------------------------------------------------------------- formatting

FORMAT_NUMBER = [
    (0, "0"),
    (5, "5"),
    (999, "999"),
    (1_000, "1.000"),
    (15_000, "15.000"),
    (100_000, "100.000"),
    (1_500_000, "1.500.000"),
    (1_000_000_000, "1.000.000.000"),
    (MAX_AMOUNT, "999.999.999.999.999"),
    (-5, "-5"),
    (-1_000, "-1.000"),
    (-1_500_000, "-1.500.000"),
]


@pytest.mark.parametrize(("amount", "expected"), FORMAT_NUMBER)
def test_format_number(amount, expected):
    assert format_number(amount) == expected


@pytest.mark.parametrize(("amount", "expected"), FORMAT_NUMBER)
def test_format_dong_uses_a_no_break_space(amount, expected):
    assert format_dong(amount) == f"{expected}{NBSP}đ"


def test_format_dong_example():
    assert format_dong(1_500_000) == "1.500.000\u00a0đ"
    assert format_dong(1_500_000).replace(NBSP, " ") == "1.500.000 đ"


def test_format_dong_none_is_empty():
    assert format_dong(None) == ""


@pytest.mark.parametrize("amount", [1.5, "1500", True])
def test_format_needs_an_int(amount):
    with pytest.raises(TypeError):
        format_number(amount)
    with pytest.raises(TypeError):
        format_dong(amount)


# --------------------------------------------------------------------------- parsing

PARSE_OK = [
    ("1500000", 1_500_000),
    ("1.500.000", 1_500_000),
    ("1 500 000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("1.500.000 đ", 1_500_000),
    ("1.500.000đ", 1_500_000),
    ("1.500.000 Đ", 1_500_000),
    ("1.500.000₫", 1_500_000),
    ("1.500.000 VND", 1_500_000),
    ("1.500.000VND", 1_500_000),
    ("1.500.000 vnd", 1_500_000),
    ("1.500.000 VNĐ", 1_500_000),
    ("1.500.000 vnđ", 1_500_000),
    ("1.500.000 đồng", 1_500_000),
    ("1.500.000 Đồng", 1_500_000),
    ("1.500.000 dong", 1_500_000),
    (unicodedata.normalize("NFD", "1.500.000 đồng"), 1_500_000),
    ("  1.500.000  ", 1_500_000),
    ("\t1.500.000 đ\n", 1_500_000),
    (f"1{NBSP}500{NBSP}000", 1_500_000),
    (f"1.500.000{NBSP}đ", 1_500_000),
    (f"{NBSP}1.500.000{NBSP}", 1_500_000),
    ("1\u202f500\u202f000", 1_500_000),  # narrow no-break space (French-style grouping)
    ("1  500  000", 1_500_000),  # runs of spaces count as one
    ("0", 0),
    ("0 đ", 0),
    ("000", 0),
    ("5", 5),
    ("999", 999),
    ("1.000", 1_000),
    ("15.000", 15_000),
    ("100,000", 100_000),
    ("12.345.678", 12_345_678),
    ("999.999.999.999.999", MAX_AMOUNT),
    ("999999999999999", MAX_AMOUNT),
    (1_500_000, 1_500_000),
    (0, 0),
    (MAX_AMOUNT, MAX_AMOUNT),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_OK)
def test_parse_dong_accepts(text, expected):
    value = parse_dong(text)
    assert value == expected
    assert type(value) is int


PARSE_REJECTED = [
    ("", "empty"),
    ("   ", "empty"),
    (NBSP, "empty"),
    ("-1.500.000", "negative"),
    ("-5", "negative"),
    ("−5", "negative"),  # U+2212 minus sign
    ("- 1.500.000 đ", "negative"),
    (-1, "negative"),
    (-1_500_000, "negative"),
    ("abc", "invalid"),
    ("đ", "invalid"),
    ("VND", "invalid"),
    ("1.500.000 USD", "invalid"),
    ("1e6", "invalid"),
    ("15tr", "shorthand"),
    ("1,5 triệu", "shorthand"),
    ("+5", "invalid"),
    ("(1.500.000)", "invalid"),
    ("1.500.000 đ đ", "invalid"),
    ("đ 1.500.000", "invalid"),
    ("١٢٣", "invalid"),  # non-ASCII digits
    ("1.5", "fraction"),
    (".5", "fraction"),
    ("0,50", "fraction"),
    ("1,5", "fraction"),
    ("15.00", "fraction"),
    ("1500000.50", "fraction"),
    ("1.500.000,00", "fraction"),
    ("1,500,000.50", "fraction"),
    ("1.50.000", "grouping"),
    ("1.5000", "grouping"),
    ("1234.567", "grouping"),
    ("1,50,000", "grouping"),
    ("1 50 000", "grouping"),
    (".500", "grouping"),
    ("500.", "grouping"),
    ("1..500", "grouping"),
    ("1.500.", "grouping"),
    ("1.500.000 5", "mixed"),
    ("1.500,000", "mixed"),
    ("1,500.000", "mixed"),
    ("1 500.000", "mixed"),
    ("1.500 000", "mixed"),
    ("1000000000000000", "too_large"),
    ("1.000.000.000.000.000 đ", "too_large"),
    ("9" * 5000, "too_large"),
    (MAX_AMOUNT + 1, "too_large"),
]


@pytest.mark.parametrize(("text", "code"), PARSE_REJECTED)
def test_parse_dong_rejects(text, code):
    with pytest.raises(MoneyError) as excinfo:
        parse_dong(text)
    assert excinfo.value.code == code
    assert str(excinfo.value) == excinfo.value.message


@pytest.mark.parametrize(
    ("code", "text", "fragment"),
    [
        ("empty", "", "Chưa nhập số tiền"),
        ("invalid", "abc", "Số tiền không hợp lệ: chỉ nhập chữ số, ví dụ 1.500.000"),
        ("negative", "-5", "số âm"),
        ("fraction", "1.5", "không có phần thập phân"),
        ("grouping", "1.50.000", "nhóm ba chữ số"),
        ("mixed", "1.500,000", "một loại dấu"),
        ("too_large", str(MAX_AMOUNT + 1), "Số tiền quá lớn: tối đa 999.999.999.999.999"),
    ],
)
def test_parse_dong_messages_are_vietnamese(code, text, fragment):
    with pytest.raises(MoneyError) as excinfo:
        parse_dong(text)
    assert excinfo.value.code == code
    assert fragment in excinfo.value.message


def test_money_error_is_a_value_error():
    with pytest.raises(ValueError, match="Số tiền không hợp lệ"):
        parse_dong("abc")


@pytest.mark.parametrize(
    ("text", "max_amount", "expected"),
    [
        ("1.000.000", 1_000_000, 1_000_000),
        (1_000_000, 1_000_000, 1_000_000),
        ("0", 0, 0),
    ],
)
def test_parse_dong_max_amount_is_inclusive(text, max_amount, expected):
    assert parse_dong(text, max_amount=max_amount) == expected


@pytest.mark.parametrize("text", ["1.000.001", 1_000_001, "2.000.000 đ", "10000000"])
def test_parse_dong_above_max_amount(text):
    with pytest.raises(MoneyError) as excinfo:
        parse_dong(text, max_amount=1_000_000)
    assert excinfo.value.code == "too_large"
    assert excinfo.value.message == f"Số tiền quá lớn: tối đa 1.000.000{NBSP}đ"


@pytest.mark.parametrize("value", [1.5, 1_500_000.0, None, True, False, b"1500"])
def test_parse_dong_needs_str_or_int(value):
    with pytest.raises(TypeError):
        parse_dong(value)


def test_parse_dong_round_trips_format_dong():
    for amount in SAMPLE:
        assert parse_dong(format_dong(amount)) == amount
        assert parse_dong(format_number(amount)) == amount
        assert parse_dong(format_number(amount).replace(".", ",")) == amount
        assert parse_dong(format_number(amount).replace(".", " ") + " VND") == amount
        assert parse_dong(str(amount)) == amount
