"""Signed chain heads: the message, its HMAC-SHA256 signature and the append-only file.

The key is LEDGER_SIGNING_KEY, read from the environment by settings.py and never
stored in the database. A signed head is written the same way in the database
(SignedChainHead), in the file (one JSON object a line) and on paper, so any copy can be
checked against the key."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

PREFIX_LENGTH = 16
"""Hex digits kept of each entry's hash: enough to name the first entry that differs
(the full head hash, signed, is what detects the change)."""

FILE_NAME = "chain-heads.jsonl"
VERSION = "lddh-chain-head-v1"


@dataclass(frozen=True)
class Seal:
    """One signed head as it travels outside the database."""

    fund: str  # the fund's code
    first_sequence: int
    sequence: int
    hash: str
    day: str  # ISO date
    prefixes: str
    signature: str

    @classmethod
    def of(cls, record) -> Seal:
        return cls(
            fund=record.fund_code,
            first_sequence=record.first_sequence,
            sequence=record.sequence,
            hash=record.hash,
            day=record.day.isoformat(),
            prefixes=record.prefixes,
            signature=record.signature,
        )

    @property
    def date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.day)

    def prefix_of(self, sequence: int) -> str | None:
        """The signed hash prefix of entry ``sequence``, when this seal covers it."""
        if not self.first_sequence <= sequence <= self.sequence:
            return None
        start = (sequence - self.first_sequence) * PREFIX_LENGTH
        return self.prefixes[start : start + PREFIX_LENGTH] or None

    @property
    def valid(self) -> bool:
        return verify(self)


def message(
    *, fund: str, first_sequence: int, sequence: int, hash: str, day: str, prefixes: str
) -> bytes:
    """What is signed: every field, the prefixes by their SHA-256."""
    digest = hashlib.sha256(prefixes.encode()).hexdigest()
    return f"{VERSION}|{fund}|{first_sequence}|{sequence}|{hash}|{day}|{digest}".encode()


def _key() -> bytes:
    key = settings.LEDGER_SIGNING_KEY
    if not key:
        raise RuntimeError("LEDGER_SIGNING_KEY is not set")
    return key.encode()


def sign(**fields) -> str:
    return hmac.new(_key(), message(**fields), hashlib.sha256).hexdigest()


def verify(seal: Seal) -> bool:
    fields = asdict(seal)
    signature = fields.pop("signature")
    try:
        expected = sign(**fields)
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected, str(signature))


# --------------------------------------------------------------------------- the file


def anchor_file() -> Path | None:
    directory = settings.LEDGER_ANCHOR_DIR
    return Path(directory) / FILE_NAME if directory else None


def append_to_file(seals: list[Seal]) -> None:
    """Append the seals to the file (one JSON line each), flushed to disk."""
    path = anchor_file()
    if path is None or not seals:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for seal in seals:
            out.write(json.dumps(asdict(seal), ensure_ascii=False, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())


def read_file() -> tuple[list[Seal], list[int]]:
    """The seals of the file and the numbers of its lines that are not a seal."""
    path = anchor_file()
    if path is None or not path.exists():
        return [], []
    seals, bad = [], []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                seal = Seal(
                    fund=str(data["fund"]),
                    first_sequence=int(data["first_sequence"]),
                    sequence=int(data["sequence"]),
                    hash=str(data["hash"]),
                    day=str(data["day"]),
                    prefixes=str(data["prefixes"]),
                    signature=str(data["signature"]),
                )
                seal.date  # noqa: B018 - a malformed date is a malformed line
            except (ValueError, KeyError, TypeError):
                bad.append(number)
                continue
            seals.append(seal)
    return seals, bad
