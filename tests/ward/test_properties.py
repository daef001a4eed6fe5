"""Property tests (hypothesis): the money and VietQR code, fed arbitrary input, give the
right answer or our own clear error, never a crash."""

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from lddh.ward.money import MAX_AMOUNT, MoneyError, amount_in_words, format_dong, parse_dong
from lddh.ward.vietqr import VietQRError, build_payload, parse_payload

amounts = st.integers(min_value=0, max_value=MAX_AMOUNT)


@given(amounts)
def test_format_then_parse_gives_the_amount_back(n):
    assert parse_dong(format_dong(n)) == n


@given(st.text(max_size=40))
@settings(max_examples=400)
def test_parse_dong_accepts_or_raises_money_error(text):
    try:
        value = parse_dong(text)
    except MoneyError as exc:
        assert str(exc)  # a Vietnamese message for the person
    else:
        assert 0 <= value <= MAX_AMOUNT


@given(amounts)
def test_amount_in_words_is_one_clean_sentence(n):
    words = amount_in_words(n)
    assert words[0].isupper() and words.endswith(" đồng")
    assert "  " not in words and words == words.strip()


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_the_thousands_group_reads_like_the_number_itself(n, rest):
    head = amount_in_words(n).removesuffix(" đồng")
    assert amount_in_words(n * 1000 + rest).startswith(head + " nghìn")


@given(st.integers(min_value=MAX_AMOUNT + 1, max_value=10**20) | st.integers(max_value=-1))
def test_amounts_out_of_range_are_refused(n):
    try:
        amount_in_words(n)
    except MoneyError:
        return
    raise AssertionError("expected MoneyError")


bins = st.sampled_from(["970436", "970415", "970418", "970405"])
accounts = st.text(alphabet="0123456789", min_size=1, max_size=19)
notes = st.text(max_size=60)


@given(bins, accounts, st.none() | st.integers(min_value=1, max_value=10**12), notes)
def test_vietqr_build_then_parse_round_trips(bin_, account, amount, note):
    payload = build_payload(bin=bin_, account=account, amount=amount, note=note)
    data = parse_payload(payload)
    assert (data["bin"], data["account"], data["amount"]) == (bin_, account, amount)
    assert data["static"] is (amount is None)
    assert len(data["note"]) <= 25 and data["note"].isascii()


@given(st.text(max_size=200))
@settings(max_examples=400)
def test_vietqr_parse_raises_only_our_error(text):
    with contextlib.suppress(VietQRError):
        parse_payload(text)


@given(bins, accounts, st.integers(min_value=0, max_value=150), st.characters())
def test_any_single_change_to_a_payload_is_detected(bin_, account, position, char):
    payload = build_payload(bin=bin_, account=account, amount=150_000, note="VNN R0042")
    position %= len(payload)
    changed = payload[:position] + char + payload[position + 1 :]
    if changed == payload:
        return
    try:
        data = parse_payload(changed)
    except VietQRError:
        return
    # A change the CRC cannot see would have to leave the meaning intact.
    assert (data["bin"], data["account"], data["amount"]) == (bin_, account, 150_000)
