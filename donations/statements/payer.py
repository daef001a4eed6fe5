"""The payer's name and message in a Vietnamese bank transfer description.

Banks write the note in a few fixed shapes around what the payer typed:

- Vietcombank app: ``MBVCB.4530998360.029552.NGUYEN THE HUNG chuyen tien.CT tu
  0351000646393 NGUYEN THE HUNG toi 231814973 ...`` (the account holder's name after
  "CT tu <account>");
- internet banking: ``<ref>.<ddmmyy>.<hhmmss>.NAME chuyen tien``, ``IBFT NAME chuyen
  khoan``, ``TKThe :0123456789, tai VCB. NAME chuyen tien``;
- other banks and wallets: ``NAME chuyen tien FT24253...`` (Techcombank),
  ``CUSTOMER NAME chuyen tien. TU: NAME`` (MB), ``CT DEN:427T24... NAME ung ho``
  (VietinBank), ``REM Tfr Ac: 1234 NAME ...`` (BIDV), ``MOMO-NAME-ung ho``,
  ``ZP241012... NAME chuyen tien``, ``Chuyen tien tu NAME``.

The rules, because a wrong name on a receipt is worse than none:

- a name is what the bank or the payer wrote in capitals without diacritics, returned as
  written in title case (never with invented diacritics);
- a person's name is 2 to 6 words of letters only and starts with a Vietnamese family
  name; an organisation's name starts with a word such as "CONG TY" or "HTX";
- anything else (an apartment code such as "R51118 Royal City", a bare "CK", account
  numbers, a lowercase note) gives None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Input beyond this is never a name: a payer's note is at most a few hundred characters.
MAX_SCAN = 2000
MAX_MESSAGE = 300
MAX_PERSON_WORDS = 6
MAX_ORGANISATION_WORDS = 15


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common Vietnamese family names, without diacritics. Short syllables that are more
# often something else in a note (VAN, TAN, GIA, ANH, THI) are left out on purpose.
SURNAMES = _words(
    """
    AU BACH BANH BUI CAN CAO CHAU CHU CHUNG CU CUNG DAM DANG DAO DIEP DINH DO DOAN DONG
    DU DUONG GIANG HA HAN HAU HO HOANG HUA HUYNH KHONG KHUAT KHUC KIEU KIM KHA LA LAI
    LAM LANG LE LIEU LO LUC LUONG LUU LY MA MAC MAI MONG NGHIEM NGO NGUYEN NINH NONG ONG
    PHAM PHAN PHI PHO PHUNG QUACH QUAN TA TANG THACH THAI THAN THIEU TIEU TO TON TONG
    TRAN TRIEU TRINH TRUONG UNG VI VIEN VO VU VUONG YEN
    """
)

ORGANISATION_STARTS = (
    ("CONG", "TY"),
    ("CTY",),
    ("TONG", "CONG", "TY"),
    ("CN", "CONG", "TY"),
    ("CHI", "NHANH"),
    ("NGAN", "HANG"),
    ("HTX",),
    ("HOP", "TAC", "XA"),
    ("DNTN",),
    ("DOANH", "NGHIEP"),
    ("HO", "KINH", "DOANH"),
    ("TRUONG", "THPT"),
    ("TRUONG", "THCS"),
    ("TRUONG", "TIEU", "HOC"),
    ("TRUONG", "MAM", "NON"),
    ("BENH", "VIEN"),
    ("VAN", "PHONG"),
)

# Words banks and wallets put before a name: they end a name read backwards.
NOISE = _words(
    """
    IBFT NAPAS MOMO ZP ZALOPAY VNPAY SHOPEEPAY VIETTELPAY QR QRPAY REM TFR AC ND CK CT
    TK STK CUSTOMER MBVCB IBVCB VCB MB BIDV TCB TECHCOMBANK VIETINBANK AGRIBANK ACB TPB
    VPB VPBANK TPBANK SACOMBANK VIB SHB HDB OCB MSB SCB EIB SEAB ABB NCB TRACE REF FT GD
    TOI CASHIN
    """
)

# Phrases that say the writer is not one named person: the note gives no name.
NOT_A_NAME = (
    ("GIA", "DINH"),
    ("TAP", "THE"),
    ("KINH", "GUI"),
    ("CAN", "BO"),
    ("NHAN", "VIEN"),
    ("HOC", "SINH"),
    ("NGUOI", "NGHEO"),
    ("DAN", "PHO"),
    ("NHA", "HAO", "TAM"),
    ("GIAU", "TEN"),
)

# The verb that follows the name: "NAME chuyen tien", "NAME ung ho", "NAME CK".
_VERB = re.compile(
    r"(?<![A-Za-z0-9])(chuyen\s*tien|chuyen\s*khoan|chuyen|ck|ung\s*ho|uh|gui\s*tien|gui"
    r"|dong\s*gop|nop\s*tien|nop|tang\s*quy)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# The account holder, written by the bank: "CT tu 0351000646393 NGUYEN THE HUNG toi 2318".
_HOLDER = re.compile(
    r"(?<![A-Za-z])CT\s+tu\s*:?\s*\d{6,20}\s+(?P<name>[^\d.,;:]+?)\s*(?:(?:toi|to|den)\s*:?\s*\d|$)",
    re.IGNORECASE,
)
# A name the bank puts after a label: "TU: NAME", "Nguoi chuyen: NAME",
# "Chuyen tien tu NAME" / "Nhan tien tu NAME" at the end or before a separator.
_LABELLED = re.compile(
    r"(?:(?<![A-Za-z])TU\s*:|nguoi\s+chuyen\s*:|(?:chuyen|nhan)\s+tien\s+tu)\s*"
    r"(?P<name>[^\d.,;:()\-]+?)\s*(?=$|[.,;:()\-]|\s(?:ref|ft\d|trace|ma\s+gd)\b)",
    re.IGNORECASE,
)
# Where the bank's own text starts after the payer's message.
_TRAILER = re.compile(
    r"(?:\.?\s*CT\s+tu\s|\s*-\s*Ma\s+GD|\s+Ma\s+giao\s+dich|\s+FT\d{5,}|\s+Trace\s|"
    r"\s+tai\s+Ngan\s+hang|\s+Ref\s*:|\.\s*TU\s*:|\s*;\s*ref\b)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[.,;:_/|()\-\[\]]")


@dataclass(frozen=True)
class PayerSuggestion:
    """A name to offer (title case, as written) and the payer's message ("" if none)."""

    name: str
    message: str


def _fold(text: str) -> str:
    """The text without diacritics, character for character (same length), so a match
    in the folded text is the same span in the original."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() else ch)
    return "".join(out)


def _title(word: str) -> str:
    # Acronyms (TNHH, MTV, XNK, HTX) have no vowel: they stay in capitals.
    if not any(ch in "AEIOUY" for ch in _fold(word).upper()):
        return word
    return word[:1] + word[1:].lower()


def _starts_with(words: list[str], phrases) -> bool:
    return any(tuple(words[: len(phrase)]) == phrase for phrase in phrases)


def _contains(words: list[str], phrases) -> bool:
    return any(
        tuple(words[i : i + len(phrase)]) == phrase
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
    )


def _checked_name(tokens: list[str]) -> str | None:
    """The name these tokens make, or None when they are not certainly a name."""
    if not tokens or any(tok != tok.upper() for tok in tokens):
        return None
    folded = [_fold(tok).upper() for tok in tokens]
    if "VA" in folded:  # "NGUYEN VAN A VA GIA DINH": the first person
        cut = folded.index("VA")
        tokens, folded = tokens[:cut], folded[:cut]
    if _contains(folded, NOT_A_NAME):
        return None
    if _starts_with(folded, ORGANISATION_STARTS):
        if len(tokens) > MAX_ORGANISATION_WORDS or len(tokens) < 2:
            return None
        if not all(re.fullmatch(r"[^\W_]+|&", tok) for tok in tokens):
            return None
        return " ".join(_title(tok) for tok in tokens)
    if not 2 <= len(tokens) <= MAX_PERSON_WORDS:
        return None
    if not all(tok.isalpha() and len(tok) <= 7 for tok in tokens):
        return None
    if folded[0] not in SURNAMES or any(word in NOISE for word in folded):
        return None
    return " ".join(_title(tok) for tok in tokens)


def _name_before(text: str, end: int) -> str | None:
    """The name written just before position ``end`` (the verb), read backwards to the
    first separator, number or bank word."""
    left = text[:end].rstrip(" .,;:-_/")
    piece = _SEPARATORS.split(left)[-1]
    tokens: list[str] = []
    for token in reversed(piece.split()):
        plain = _fold(token).upper()
        if plain in NOISE or not re.fullmatch(r"[^\W_]+|&", token):
            break
        if any(ch.isdigit() for ch in token):
            break
        tokens.append(token)
        if len(tokens) > MAX_ORGANISATION_WORDS:
            return None
    tokens.reverse()
    return _checked_name(tokens)


def _message(text: str, start: int) -> str:
    rest = text[start:]
    cut = _TRAILER.search(rest)
    if cut is not None:
        rest = rest[: cut.start()]
    return rest.strip(" .,;:-_")[:MAX_MESSAGE].strip()


def _by_verb(text: str, folded: str) -> PayerSuggestion | None:
    for verb in _VERB.finditer(folded):
        name = _name_before(text, verb.start())
        if name:
            return PayerSuggestion(name=name, message=_message(text, verb.start()))
    return None


def suggest_payer(description: str | None) -> PayerSuggestion | None:
    """The payer's name and message in a transfer description, or None when the note is
    not in a shape recognised with certainty."""
    if not description:
        return None
    text = " ".join(unicodedata.normalize("NFC", str(description)[:MAX_SCAN]).split())
    if not text:
        return None
    folded = _fold(text)
    holder = _HOLDER.search(folded)
    if holder is not None:
        name = _checked_name(text[holder.start("name") : holder.end("name")].split())
        if name:
            typed = _by_verb(text[: holder.start()], folded[: holder.start()])
            return PayerSuggestion(name=name, message=typed.message if typed else "")
    typed = _by_verb(text, folded)
    if typed is not None:
        return typed
    labelled = _LABELLED.search(folded)
    if labelled is not None:
        name = _checked_name(text[labelled.start("name") : labelled.end("name")].split())
        if name:
            return PayerSuggestion(name=name, message="")
    return None
