"""VietQR payloads: CRC, exact layout, strict parsing and SVG rendering (no database)."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from decimal import Decimal

import pytest

from lddh.ward.vietqr import (
    BANK_BINS,
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    normalise_note,
    parse_payload,
    qr_svg,
)

CRC_ERROR = "Mã QR bị sai mã kiểm tra (CRC)"


def reference_crc(data: bytes) -> int:
    """Bit-by-bit CRC-16/CCITT-FALSE, written independently of the module's table version."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def fields_of(payload: str) -> list[tuple[str, str]]:
    """Naive top-level TLV split, for inspecting well-formed payloads in assertions."""
    fields = []
    pos = 0
    while pos < len(payload):
        tag, size = payload[pos : pos + 2], int(payload[pos + 2 : pos + 4])
        fields.append((tag, payload[pos + 4 : pos + 4 + size]))
        pos += 4 + size
    return fields


def sign(body: str) -> str:
    """Append field 63 with a correct CRC, so that structural checks are reached."""
    body += "6304"
    return body + f"{reference_crc(body.encode('utf-8')):04X}"


# --- CRC ---------------------------------------------------------------------------------


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_crc_of_nothing_is_the_initial_value() -> None:
    assert crc16_ccitt_false(b"") == 0xFFFF


def test_crc_matches_bitwise_reference_on_random_data() -> None:
    rng = random.Random(20240105)
    for size in range(0, 300, 7):
        data = bytes(rng.randrange(256) for _ in range(size))
        assert crc16_ccitt_false(data) == reference_crc(data)


# Pre-CRC strings with their CRCs, from another project's unit tests (a PHP VietQR service),
# i.e. an independent implementation. All four were re-computed with reference_crc.
INDEPENDENT_CRC_VECTORS = [
    (
        "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC"
        "530370454061800005802VN62340107NPS68690819thanh toan don hang6304",
        0xA203,
    ),
    (
        "00020101021238500010A0000007270120000697041601065454460208QRIBFTTA"
        "530370454061800005802VN62270823thanh toan don hang6304",
        0x4302,
    ),
    (
        "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
        "530370454061800005802VN62340107NPS68690819thanh toan don hang6304",
        0x2E2E,
    ),
    (
        "00020101021238500010A0000007270120000697041601065454460208QRIBFTTA"
        "53037045405801005802VN62250821Thanh toan anyLEARN 86304",
        0xFA27,
    ),
]


@pytest.mark.parametrize(("data", "crc"), INDEPENDENT_CRC_VECTORS)
def test_crc_independent_vectors(data: str, crc: int) -> None:
    assert crc16_ccitt_false(data.encode("ascii")) == crc
    assert reference_crc(data.encode("ascii")) == crc


# --- the worked example: Vietcombank, 1.500.000 đ, "Ung ho VNN" ----------------------------

# Derived by hand from the layout, field by field (ID + 2-digit length + value):
#   00 02 "01"                                     -> "000201"
#   01 02 "12"  (an amount is given: dynamic)      -> "010212"
#   38 = 00 10 "A000000727"                        -> "0010A000000727"          (14 chars)
#        01 = 00 06 "970436"                       -> "0006970436"              (10 chars)
#             01 13 "0011001932418"                -> "01130011001932418"       (17 chars)
#           -> "01" + "27" + 27 chars                                           (31 chars)
#        02 08 "QRIBFTTA"                          -> "0208QRIBFTTA"            (12 chars)
#      14 + 31 + 12 = 57                           -> "3857" + ...
#   53 03 "704"                                    -> "5303704"
#   54 07 "1500000"                                -> "54071500000"
#   58 02 "VN"                                     -> "5802VN"
#   62 = 08 10 "Ung ho VNN"                        -> "0810Ung ho VNN"          (14 chars)
#                                                  -> "6214" + ...
#   63 04 CRC over all of the above plus "6304"    -> "6304" + "15CD"
# 15CD was computed with reference_crc (bitwise) and is re-checked below.
VCB_BODY = (
    "000201"
    "010212"
    "3857"
    "0010A000000727"
    "0127"
    "0006970436"
    "01130011001932418"
    "0208QRIBFTTA"
    "5303704"
    "54071500000"
    "5802VN"
    "6214"
    "0810Ung ho VNN"
    "6304"
)
VCB_PAYLOAD = VCB_BODY + "15CD"


def test_worked_example_exact_string() -> None:
    payload = build_payload(
        bin=BANK_BINS["Vietcombank"], account="0011001932418", amount=1500000, note="Ung ho VNN"
    )
    assert payload == VCB_PAYLOAD


def test_worked_example_field_by_field() -> None:
    p = build_payload(bin="970436", account="0011001932418", amount=1500000, note="Ung ho VNN")
    fields = fields_of(p)
    assert [tag for tag, _ in fields] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    values = dict(fields)
    assert values["00"] == "01"
    assert values["01"] == "12"
    assert values["38"] == "0010A000000727" + "0127" + "0006970436" + "01130011001932418" + (
        "0208QRIBFTTA"
    )
    assert len(values["38"]) == 57
    assert values["53"] == "704"
    assert values["54"] == "1500000"
    assert values["58"] == "VN"
    assert values["62"] == "0810Ung ho VNN"
    assert values["63"] == "15CD"
    assert p.endswith("6304" + values["63"])
    assert reference_crc(p[:-4].encode()) == 0x15CD
    assert crc16_ccitt_false(VCB_BODY.encode()) == 0x15CD


def test_worked_example_parses_back() -> None:
    assert parse_payload(VCB_PAYLOAD) == {
        "bin": "970436",
        "account": "0011001932418",
        "amount": 1500000,
        "note": "Ung ho VNN",
        "static": False,
    }


# --- real-world payloads --------------------------------------------------------------------

# A payment QR issued by payOS (MB Bank, BIN 970422, a virtual account with letters), stored
# in a public repository's database dump as a QR-image URL (there with "%20" for the space).
# Its CRC E346 was re-computed with reference_crc.
PAYOS_PAYLOAD = (
    "00020101021238570010A000000727012700069704220113VQRQADAIJ55120208QRIBFTTA"
    "5303704540470005802VN62120808TL89 1006304E346"
)


def test_real_world_payos_payload_parses() -> None:
    assert reference_crc(PAYOS_PAYLOAD[:-4].encode()) == 0xE346
    assert parse_payload(PAYOS_PAYLOAD) == {
        "bin": "970422",
        "account": "VQRQADAIJ5512",
        "amount": 7000,
        "note": "TL89 100",
        "static": False,
    }


def test_real_world_payos_payload_is_rebuilt_exactly() -> None:
    rebuilt = build_payload(bin="970422", account="VQRQADAIJ5512", amount=7000, note="TL89 100")
    assert rebuilt == PAYOS_PAYLOAD


def test_independent_implementation_payload_is_rebuilt_exactly() -> None:
    # Full payload asserted by the PHP project's testQR1 (ACB 970416, 80.100 đ).
    expected = INDEPENDENT_CRC_VECTORS[3][0] + "FA27"
    assert (
        build_payload(bin="970416", account="545446", amount=80100, note="Thanh toan anyLEARN 8")
        == expected
    )
    assert parse_payload(expected)["note"] == "Thanh toan anyLEARN 8"


def test_card_transfer_qr_is_refused() -> None:
    # Same PHP project: a valid QRIBFTTC (transfer to a card number) payload.
    payload = INDEPENDENT_CRC_VECTORS[0][0] + "A203"
    with pytest.raises(VietQRError, match="QRIBFTTA"):
        parse_payload(payload)


# --- round trips --------------------------------------------------------------------------

ACCOUNTS = ["1", "0011001932418", "1023456789", "VQRQADAIJ5512", "a" * 19, "0000000000000000001"]
AMOUNTS = [None, 1, 15000, 1500000, 2015000, 9_999_999_999_999]
NOTES = ["", "Ung ho VNN", "LDDH0042 Ung ho", "Ủng hộ quỹ Vì người nghèo tổ 5", "x" * 40]


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "note"),
    list(itertools.product(sorted(BANK_BINS.values()), ACCOUNTS, AMOUNTS, NOTES)),
)
def test_build_parse_round_trip(bank_bin: str, account: str, amount: int | None, note: str) -> None:
    payload = build_payload(bin=bank_bin, account=account, amount=amount, note=note)
    assert payload.isascii()
    assert payload.startswith("000201")
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == f"{reference_crc(payload[:-4].encode()):04X}"
    assert parse_payload(payload) == {
        "bin": bank_bin,
        "account": account,
        "amount": amount,
        "note": normalise_note(note),
        "static": amount is None,
    }
    tags = [tag for tag, _ in fields_of(payload)]
    expected_tags = ["00", "01", "38", "53"] + (["54"] if amount is not None else []) + ["58"]
    expected_tags += (["62"] if normalise_note(note) else []) + ["63"]
    assert tags == expected_tags
    values = dict(fields_of(payload))
    assert values["01"] == ("11" if amount is None else "12")
    if amount is not None:
        assert values["54"] == str(amount)


def test_static_payload_has_no_amount_and_method_11() -> None:
    payload = build_payload(bin="970415", account="123456789")
    assert payload.startswith("000201010211")
    assert "5303704" + "5802VN" + "6304" in payload
    assert parse_payload(payload)["static"] is True


def test_static_payload_with_note() -> None:
    payload = build_payload(bin="970418", account="123456789", note="LDDH0007")
    assert "5303704" + "5802VN" + "62120808LDDH0007" + "6304" in payload
    assert parse_payload(payload) == {
        "bin": "970418",
        "account": "123456789",
        "amount": None,
        "note": "LDDH0007",
        "static": True,
    }


def test_note_is_normalised_and_truncated_in_payload() -> None:
    payload = build_payload(
        bin="970405", account="1500201234567", note="Ủng hộ quỹ Vì người nghèo tổ 5"
    )
    assert "62290825Ung ho quy Vi nguoi ngheo6304" in payload
    assert payload.isascii()


def test_note_that_normalises_to_nothing_leaves_out_field_62() -> None:
    plain = build_payload(bin="970436", account="123", amount=5000)
    assert build_payload(bin="970436", account="123", amount=5000, note=" -- !! ") == plain
    assert "62" not in dict(fields_of(plain))


def test_bank_bins() -> None:
    assert BANK_BINS == {
        "Vietcombank": "970436",
        "VietinBank": "970415",
        "BIDV": "970418",
        "Agribank": "970405",
    }


# --- note normalisation ------------------------------------------------------------------


def test_normalise_note_vietnamese_sentence() -> None:
    result = normalise_note("Ủng hộ quỹ Vì người nghèo tổ 5")
    assert result == "Ung ho quy Vi nguoi ngheo"
    assert len(result) <= 25
    assert result.isascii()
    assert normalise_note("Ủng hộ quỹ Vì người nghèo tổ 5", max_len=99) == (
        "Ung ho quy Vi nguoi ngheo to 5"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Đỗ Văn Đức đóng góp", "Do Van Duc dong gop"),
        ("ĐƯỜNG LÊ ĐẠI HÀNH", "DUONG LE DAI HANH"),
        ("ăâêôơư ĂÂÊÔƠƯ", "aaeoou AAEOOU"),
        ("àáảãạ ằắẳẵặ ầấẩẫậ", "aaaaa aaaaa aaaaa"),
        ("ỳýỷỹỵ ìíỉĩị", "yyyyy iiiii"),
        ("  nhiều   khoảng\ttrắng\n ", "nhieu khoang trang"),
        ("LDDH-0042/Tổ 5, ủng hộ!", "LDDH 0042 To 5 ung ho"),
        ("100% tấm lòng ❤", "100 tam long"),
        ("Œuvre ß ©", "uvre"),
        ("１２３", ""),
        ("abc" * 20, ("abc" * 20)[:25]),
    ],
)
def test_normalise_note_cases(text: str, expected: str) -> None:
    assert normalise_note(text) == expected


def test_normalise_note_accepts_decomposed_input() -> None:
    text = "Ủng hộ quỹ"
    assert normalise_note(unicodedata.normalize("NFD", text)) == "Ung ho quy"
    assert normalise_note(unicodedata.normalize("NFC", text)) == "Ung ho quy"


def test_normalise_note_truncation_leaves_no_trailing_space() -> None:
    assert normalise_note("Ung ho quy ABCDE", max_len=11) == "Ung ho quy"
    assert normalise_note("abcdef", max_len=3) == "abc"


def test_normalise_note_is_idempotent_and_ascii() -> None:
    rng = random.Random(5)
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyĐƯ ÁÀẢÃẠ0123456789-,.!?\t\n"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(60)))
        once = normalise_note(text)
        assert len(once) <= 25
        assert all(ch.isascii() and (ch.isalnum() or ch == " ") for ch in once)
        assert "  " not in once and once == once.strip()
        assert normalise_note(once) == once


@pytest.mark.parametrize("bad", [None, 12, b"abc"])
def test_normalise_note_rejects_non_text(bad: object) -> None:
    with pytest.raises(VietQRError):
        normalise_note(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, None])
def test_normalise_note_rejects_bad_max_len(bad: object) -> None:
    with pytest.raises(VietQRError):
        normalise_note("abc", max_len=bad)  # type: ignore[arg-type]


# --- rejections when building -------------------------------------------------------------

GOOD = {"bin": "970436", "account": "0011001932418", "amount": 1500000, "note": "Ung ho"}


@pytest.mark.parametrize(
    "bad_bin",
    ["", "97043", "9704366", "97043a", " 970436", "970436 ", "９７０４３６", 970436, None],
)
def test_build_rejects_bad_bin(bad_bin: object) -> None:
    with pytest.raises(VietQRError, match=r"^Mã BIN ngân hàng phải gồm 6 chữ số$"):
        build_payload(**{**GOOD, "bin": bad_bin})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad_account",
    [
        "",
        "1" * 20,
        "0011 0019 32418",
        "0011-001932418",
        "0011.001932418",
        "đ123",
        "１２３",
        " 123",
        "123\n",
        1234567,
        None,
    ],
)
def test_build_rejects_bad_account(bad_account: object) -> None:
    with pytest.raises(VietQRError, match=r"^Số tài khoản phải gồm 1 đến 19"):
        build_payload(**{**GOOD, "account": bad_account})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad_amount", "message"),
    [
        (0, "lớn hơn 0"),
        (-1, "lớn hơn 0"),
        (-1500000, "lớn hơn 0"),
        (10**13, "13 chữ số"),
        (10**20, "13 chữ số"),
        (1500000.0, "số nguyên"),
        (1.5, "số nguyên"),
        (Decimal("1500000"), "số nguyên"),
        ("1500000", "số nguyên"),
        (True, "số nguyên"),
        (False, "số nguyên"),
    ],
)
def test_build_rejects_bad_amount(bad_amount: object, message: str) -> None:
    with pytest.raises(VietQRError, match=message):
        build_payload(**{**GOOD, "amount": bad_amount})  # type: ignore[arg-type]


def test_build_accepts_amount_limits() -> None:
    assert parse_payload(build_payload(bin="970436", account="1", amount=1))["amount"] == 1
    top = 9_999_999_999_999
    assert parse_payload(build_payload(bin="970436", account="1", amount=top))["amount"] == top


@pytest.mark.parametrize("bad_note", [None, 5, b"Ung ho"])
def test_build_rejects_bad_note(bad_note: object) -> None:
    with pytest.raises(VietQRError, match="Nội dung chuyển khoản"):
        build_payload(**{**GOOD, "note": bad_note})  # type: ignore[arg-type]


def test_build_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        build_payload("970436", "123")  # type: ignore[misc]


def test_errors_are_value_errors() -> None:
    assert issubclass(VietQRError, ValueError)


# --- strict parsing -----------------------------------------------------------------------


def test_every_single_character_change_is_caught() -> None:
    payloads = [VCB_PAYLOAD, PAYOS_PAYLOAD, build_payload(bin="970405", account="12")]
    for payload in payloads:
        for pos, original in enumerate(payload):
            for replacement in {"0", "9", "A", "z", " ", "F"} - {original}:
                tampered = payload[:pos] + replacement + payload[pos + 1 :]
                if len(payload) - 8 <= pos < len(payload) - 4:
                    # the "6304" marker itself: reported as a missing CRC field
                    with pytest.raises(VietQRError):
                        parse_payload(tampered)
                else:
                    with pytest.raises(VietQRError, match=re.escape(CRC_ERROR)):
                        parse_payload(tampered)


def test_lower_case_crc_is_refused() -> None:
    assert VCB_PAYLOAD.endswith("15CD")
    with pytest.raises(VietQRError, match=re.escape(CRC_ERROR)):
        parse_payload(VCB_PAYLOAD[:-4] + "15cd")


@pytest.mark.parametrize("payload", [VCB_PAYLOAD, PAYOS_PAYLOAD])
def test_every_truncation_raises_vietqr_error_only(payload: str) -> None:
    for size in range(len(payload)):
        with pytest.raises(VietQRError):
            parse_payload(payload[:size])
    for start in range(1, len(payload) + 1):
        with pytest.raises(VietQRError):
            parse_payload(payload[start:])


def test_truncated_and_re_signed_bodies_raise_vietqr_error_only() -> None:
    body = VCB_PAYLOAD[:-8]
    for size in range(len(body)):
        try:
            result = parse_payload(sign(body[:size]))
        except VietQRError:
            continue
        # a cut exactly between fields may still be a valid (shorter) payload
        assert set(result) == {"bin", "account", "amount", "note", "static"}


def test_trailing_garbage_is_refused() -> None:
    with pytest.raises(VietQRError):
        parse_payload(VCB_PAYLOAD + "0")
    with pytest.raises(VietQRError):
        parse_payload(VCB_PAYLOAD + "\n")


@pytest.mark.parametrize("bad", [None, 0, b"000201", ["000201"]])
def test_parse_rejects_non_text(bad: object) -> None:
    with pytest.raises(VietQRError):
        parse_payload(bad)  # type: ignore[arg-type]


def test_parse_rejects_unencodable_text() -> None:
    with pytest.raises(VietQRError):
        parse_payload("\ud800" * 10 + "6304ABCD")


HEAD = "000201010212"
MERCHANT_38 = "3857" + "0010A000000727" + "0127" + "0006970436" + "01130011001932418"
MERCHANT_38 += "0208QRIBFTTA"
TAIL = "5303704" + "54071500000" + "5802VN"


def test_building_blocks_match_the_worked_example() -> None:
    assert VCB_BODY == HEAD + MERCHANT_38 + TAIL + "62140810Ung ho VNN" + "6304"
    assert sign(HEAD + MERCHANT_38 + TAIL + "62140810Ung ho VNN") == VCB_PAYLOAD
    assert parse_payload(sign(HEAD + MERCHANT_38 + TAIL))["note"] == ""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # lengths and IDs
        ("00a2" + "01" + "010212" + MERCHANT_38 + TAIL, "độ dài trường 00"),
        ("00 2" + "01" + "010212" + MERCHANT_38 + TAIL, "độ dài trường 00"),
        ("00+2" + "01" + "010212" + MERCHANT_38 + TAIL, "độ dài trường 00"),
        ("A00201" + "010212" + MERCHANT_38 + TAIL, "mã trường"),
        (HEAD + MERCHANT_38 + TAIL + "6299abc", "trường 62 bị cắt cụt"),
        (HEAD + MERCHANT_38 + TAIL + "62", "cắt cụt"),
        (HEAD + MERCHANT_38 + TAIL + "6200", "trường 62 rỗng"),
        (HEAD + MERCHANT_38 + TAIL + "5802VN", "trường 58 bị lặp lại"),
        # field 00
        ("010212" + "000201" + MERCHANT_38 + TAIL, "bắt đầu bằng trường 00"),
        ("000202" + "010212" + MERCHANT_38 + TAIL, "bắt đầu bằng trường 00"),
        ("000301A" + "010212" + MERCHANT_38 + TAIL, "bắt đầu bằng trường 00"),
        # field 01
        ("000201" + MERCHANT_38 + TAIL, "thiếu trường 01"),
        ("000201" + "010213" + MERCHANT_38 + TAIL, "trường 01"),
        # field 38
        (HEAD + TAIL, "thiếu trường 38"),
        (HEAD + "3857" + "0010A000000728" + MERCHANT_38[18:] + TAIL, "38.00"),
        (HEAD + "3843" + MERCHANT_38[18:] + TAIL, "thiếu trường 38.00"),
        (HEAD + "3826" + "0010A000000727" + "0208QRIBFTTA" + TAIL, "thiếu trường 38.01"),
        (HEAD + "3845" + MERCHANT_38[4:-12] + TAIL, "thiếu trường 38.02"),
        (HEAD + MERCHANT_38[:-12] + "0208QRIBFTTC" + TAIL, "QRIBFTTA"),
        (HEAD + "3858" + MERCHANT_38[4:-12] + "0209QRIBFTTAX" + TAIL, "QRIBFTTA"),
        (
            HEAD + "3847" + "0010A000000727" + "0117" + "01130011001932418" + "0208QRIBFTTA" + TAIL,
            "thiếu trường 38.01.00",
        ),
        (
            HEAD
            + "3848"
            + "0010A000000727"
            + "0118"
            + "0006970436"
            + "0004ABCD"
            + "0208QRIBFTTA"
            + TAIL,
            "38.01.00 bị lặp lại",
        ),
        (
            HEAD
            + "3848"
            + "0010A000000727"
            + "0118"
            + "0006970436"
            + "0204ABCD"
            + "0208QRIBFTTA"
            + TAIL,
            "thiếu trường 38.01.01",
        ),
        (
            HEAD
            + "3856"
            + "0010A000000727"
            + "0126"
            + "000597043"
            + "01130011001932418"
            + "0208QRIBFTTA"
            + TAIL,
            "Mã BIN ngân hàng phải gồm 6 chữ số",
        ),
        (
            HEAD
            + "3864"
            + "0010A000000727"
            + "0134"
            + "0006970436"
            + "0120"
            + "1" * 20
            + "0208QRIBFTTA"
            + TAIL,
            "Số tài khoản",
        ),
        (
            HEAD
            + "3850"
            + "0010A000000727"
            + "0120"
            + "0006970436"
            + "01061-2345"
            + "0208QRIBFTTA"
            + TAIL,
            "Số tài khoản",
        ),
        (HEAD + "3812" + "0010A0000007" + TAIL, "trường 38.00 bị cắt cụt"),
        # currency, amount, country
        (HEAD + MERCHANT_38 + "54071500000" + "5802VN", "thiếu trường 53"),
        (HEAD + MERCHANT_38 + "5303840" + "54071500000" + "5802VN", "704"),
        (HEAD + MERCHANT_38 + "530270" + "54071500000" + "5802VN", "704"),
        (HEAD + MERCHANT_38 + "5303704" + "54071500000", "thiếu trường 58"),
        (HEAD + MERCHANT_38 + "5303704" + "54071500000" + "5802US", "VN"),
        (HEAD + MERCHANT_38 + "5303704" + "54071500000" + "5802vn", "VN"),
        (HEAD + MERCHANT_38 + "5303704" + "54010" + "5802VN", "trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "5404-100" + "5802VN", "trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "5407150.000" + "5802VN", "cắt cụt|trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "54101500000.00" + "5802VN", "trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "540501500" + "5802VN", "trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "541410000000000000" + "5802VN", "trường 54"),
        (HEAD + MERCHANT_38 + "5303704" + "5407 150000" + "5802VN", "trường 54"),
        # note field
        (HEAD + MERCHANT_38 + TAIL + "62100810Ung ho", "trường 62.08 bị cắt cụt"),
        (HEAD + MERCHANT_38 + TAIL + "6205080", "sai cấu trúc"),
        # CRC field hidden inside another field: 63 is then not the last field
        (HEAD + MERCHANT_38 + TAIL + "9908", "trường 63"),
    ],
)
def test_parse_rejects_malformed_but_correctly_signed(body: str, message: str) -> None:
    with pytest.raises(VietQRError, match=message):
        parse_payload(sign(body))


def test_parse_rejects_63_with_wrong_length() -> None:
    body = HEAD + MERCHANT_38 + TAIL + "6305"
    crc = f"{reference_crc(body[:-4].encode() + b'6304'):04X}"
    with pytest.raises(VietQRError):
        parse_payload(body + crc)


def test_parse_tolerates_other_well_formed_fields() -> None:
    extra_62 = "0107NPS6869" + "0810Ung ho VNN" + "0703T01"
    payload = sign(
        HEAD
        + MERCHANT_38
        + "5204"
        + "5999"
        + TAIL
        + "5911"
        + "MTTQ PHUONG"
        + "6006"
        + "HA NOI"
        + f"62{len(extra_62):02d}{extra_62}"
    )
    assert parse_payload(payload) == parse_payload(VCB_PAYLOAD)


def test_parse_note_missing_from_62() -> None:
    payload = sign(HEAD + MERCHANT_38 + TAIL + "62110107NPS6869")
    assert parse_payload(payload)["note"] == ""


def test_parse_keeps_note_text_as_sent() -> None:
    payload = sign(HEAD + MERCHANT_38 + TAIL + "62120808a-b/c.d!")
    assert parse_payload(payload)["note"] == "a-b/c.d!"


def test_parse_reports_method_from_field_01() -> None:
    # Some generators put an amount in a "static" (11) QR; the flag follows field 01.
    payload = sign("000201" + "010211" + MERCHANT_38 + TAIL)
    assert parse_payload(payload)["static"] is True
    assert parse_payload(payload)["amount"] == 1500000


def test_random_mutations_raise_only_vietqr_error() -> None:
    rng = random.Random(7)
    seeds = [VCB_PAYLOAD, PAYOS_PAYLOAD, build_payload(bin="970418", account="9")]
    alphabet = "0123456789ABCDEFVNQRTxyz .-\u0111"
    for _ in range(3000):
        body = rng.choice(seeds)[:-8]
        for _ in range(rng.randrange(1, 4)):
            pos = rng.randrange(len(body) + 1)
            action = rng.randrange(3)
            if action == 0:
                body = body[:pos] + rng.choice(alphabet) + body[pos:]
            elif action == 1:
                body = body[:pos] + body[pos + 1 :]
            else:
                body = body[:pos] + rng.choice(alphabet) + body[pos + 1 :]
        candidate = sign(body) if rng.randrange(4) else body + "6304" + "0000"
        try:
            result = parse_payload(candidate)
        except VietQRError:
            continue
        assert set(result) == {"bin", "account", "amount", "note", "static"}
        assert len(result["bin"]) == 6 and result["bin"].isdigit()
        assert 1 <= len(result["account"]) <= 19
        assert result["amount"] is None or result["amount"] > 0


# --- SVG ----------------------------------------------------------------------------------


def test_qr_svg_is_inline_svg() -> None:
    svg = qr_svg(VCB_PAYLOAD)
    assert isinstance(svg, str)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert svg.rstrip().endswith("</svg>")
    assert "<title>" not in svg


def test_qr_svg_title_is_escaped() -> None:
    svg = qr_svg(VCB_PAYLOAD, title='Ủng hộ <Quỹ> & "VNN"')
    assert svg.startswith("<svg")
    assert "<title>Ủng hộ &lt;Quỹ&gt; &amp;" in svg
    assert "<Quỹ>" not in svg


def test_qr_svg_scale_changes_size() -> None:
    small, large = qr_svg(VCB_PAYLOAD, scale=2), qr_svg(VCB_PAYLOAD, scale=6)
    width_small = int(small.split('width="', 1)[1].split('"', 1)[0])
    width_large = int(large.split('width="', 1)[1].split('"', 1)[0])
    assert width_large == 3 * width_small
    assert width_small % 2 == 0


@pytest.mark.parametrize("bad_scale", [0, -1, 1.5, True])
def test_qr_svg_rejects_bad_scale(bad_scale: object) -> None:
    with pytest.raises(VietQRError):
        qr_svg(VCB_PAYLOAD, scale=bad_scale)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "hello", VCB_PAYLOAD[:-1] + "0"])
def test_qr_svg_refuses_invalid_payload(bad: str) -> None:
    with pytest.raises(VietQRError):
        qr_svg(bad)
