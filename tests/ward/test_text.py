import pytest

from lddh.ward.text import digits, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("  ĐẶNG   thị  Ấu ", "dang thi au"),
        ("Công ty TNHH Đại Việt", "cong ty tnhh dai viet"),
        ("Nguye\u0302\u0303n", "nguyen"),  # decomposed input
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_ignores_diacritics_case_and_spacing(text, expected):
    assert normalise(text) == expected


def test_digits_keeps_only_digits():
    assert digits("0912 345-678") == "0912345678"
    assert digits(None) == ""
