import pytest

from lddh.ward.text import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("  ĐẶNG   Văn  Ất ", "dang van at"),
        ("Phố Huế", "pho hue"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_folds_vietnamese(text, expected):
    assert normalise(text) == expected


def test_normalise_handles_composed_and_decomposed_forms():
    import unicodedata

    name = "Hoàng Thị Thủy"
    assert normalise(unicodedata.normalize("NFD", name)) == normalise(name) == "hoang thi thuy"
