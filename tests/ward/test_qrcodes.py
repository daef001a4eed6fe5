"""The QR codes' faster mask choice picks the mask segno picks, for every mask and
error level, so the printed code (and the receipt PDF) stays the same byte for byte."""

from __future__ import annotations

import random
import string

import pytest
import segno
from segno import encoder

from lddh.ward import qrcodes


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "/:.-_ "
    texts = [
        "".join(rng.choice(alphabet) for _ in range(rng.choice([9, 30, 67, 150, 400])))
        for _ in range(n)
    ]
    texts += [
        f"https://lddh.example.vn/cong-khai/bien-nhan/{rng.getrandbits(128):032x}/"
        for _ in range(n)
    ]
    return texts


@pytest.fixture
def segno_own_masks(monkeypatch):
    """segno's own mask choice, whatever was installed before."""

    def make(text, error):
        monkeypatch.setattr(encoder, "find_and_apply_best_mask", qrcodes._segno_best_mask)
        code = segno.make(text, error=error, micro=False)
        monkeypatch.setattr(encoder, "find_and_apply_best_mask", qrcodes.best_mask)
        return code

    return make


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_the_same_mask_and_modules_as_segno(segno_own_masks, error):
    masks = set()
    for text in _texts(seed=ord(error), n=60):
        theirs = segno_own_masks(text, error)
        ours = segno.make(text, error=error, micro=False)
        assert (ours.mask, ours.version, ours.matrix) == (
            theirs.mask,
            theirs.version,
            theirs.matrix,
        )
        masks.add(theirs.mask)
    assert len(masks) >= 6  # the texts make segno choose most masks


def test_the_receipt_png_is_segno_s(segno_own_masks):
    url = "https://lddh.example.vn/cong-khai/bien-nhan/0123456789abcdef0123456789abcdef/"
    png = qrcodes.make(url, error="m").png_data_uri(scale=4, border=1)
    assert png == segno_own_masks(url, "m").png_data_uri(scale=4, border=1)


def test_the_penalty_is_segno_s():
    code = segno.make("https://lddh.example.vn/x/", error="m", micro=False)
    rows = [bytes(row) for row in code.matrix]
    assert qrcodes.penalty(rows, len(rows)) == sum(encoder.mask_scores(rows, len(rows), len(rows)))


def test_micro_codes_and_a_chosen_mask_keep_segno_s_function():
    micro = segno.make("12345", micro=True)
    assert micro.is_micro
    assert segno.make("https://lddh.example.vn/", mask=3, micro=False).mask == 3


@pytest.mark.parametrize(("scale", "border"), [(4, 1), (1, 0), (3, 2)])
def test_the_png_is_segno_s_byte_for_byte(scale, border):
    for text in _texts(seed=scale, n=15):
        code = segno.make(text, error="m", micro=False)
        assert qrcodes.png_data_uri(code, scale=scale, border=border) == code.png_data_uri(
            scale=scale, border=border
        )
