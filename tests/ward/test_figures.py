"""One meaning per figure: each figure of the glossary has one name and one sentence,
the guide repeats them word for word, and no page, document or export names a figure
with a wording the glossary retired."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lddh.ward.figures import BY_KEY, GLOSSARY, figure

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "huong-dan" / "so-lieu.md"
SOURCES = [
    *ROOT.glob("templates/**/*.html"),
    *(
        path
        for app in ("lddh", "donations", "households", "campaigns")
        for path in (ROOT / app).glob("**/*.py")
        if "migrations" not in path.parts and path.name != "figures.py"
    ),
]
# The pages and documents that show the figures, and the glossary keys each must use.
USERS = {
    "templates/dashboard/home.html": ("raised", "direct", "balance"),
    "templates/public/home.html": ("raised", "direct", "balance", "voided_later"),
    "templates/public/report_document.html": ("raised", "direct", "balance"),
    "templates/donations/donation_list.html": ("list_total",),
    "templates/donations/_balance_table.html": (
        "opening",
        "received",
        "voided",
        "spent",
        "transfer_in",
        "transfer_out",
        "closing",
    ),
}


def test_every_figure_has_one_name_and_one_sentence():
    names = [f.name for f in GLOSSARY]
    assert len(set(names)) == len(names)
    assert set(BY_KEY) == {f.key for f in GLOSSARY}
    for f in GLOSSARY:
        assert f.explanation.endswith("."), f.key
        # One sentence: no full stop followed by a new sentence inside.
        assert not re.search(r"\.\s+[A-ZĐÂĂÊÔƠƯ]", f.explanation[:-1]), f.key
        assert figure(f.key) is f


def test_the_guide_repeats_every_name_and_sentence():
    text = GUIDE.read_text(encoding="utf-8")
    for f in GLOSSARY:
        assert f"| **{f.name}** | {f.explanation} |" in text, f.key
    assert "so-lieu.md" in (ROOT / "docs" / "huong-dan" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("f", [f for f in GLOSSARY if f.avoid], ids=lambda f: f.key)
def test_no_page_or_document_uses_a_retired_wording(f):
    found = []
    for path in SOURCES:
        text = path.read_text(encoding="utf-8").casefold()
        for wording in f.avoid:
            if wording.casefold() in text:
                found.append(f"{path.relative_to(ROOT)}: “{wording}” (say “{f.name}”)")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("template", sorted(USERS))
def test_the_pages_that_show_figures_take_their_names_from_the_glossary(template):
    text = (ROOT / template).read_text(encoding="utf-8")
    for key in USERS[template]:
        assert re.search(rf'{{% figure_(name|note) "{key}"', text), (
            f"{template} does not name “{figure(key).name}” from the glossary"
        )


def test_the_fund_report_names_its_lines_from_the_glossary():
    text = (ROOT / "lddh/reports/exports/fund.py").read_text(encoding="utf-8")
    for name in ("OPENING", "RECEIVED", "VOIDED", "SPENT", "TRANSFER_IN", "TRANSFER_OUT"):
        assert f"{name}.name" in text
    pdf = (ROOT / "templates/documents/report_fund.html").read_text(encoding="utf-8")
    for key in ("opening", "received", "voided", "spent", "transfer_in", "transfer_out"):
        assert f"names.{key}" in pdf
