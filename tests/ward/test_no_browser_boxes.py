"""No page asks through the browser's grey boxes: confirmations are a review step from
the server (lddh/ward/review.py) or a dialog in the page (static/js/ask.js)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BOX = re.compile(r"\b(confirm|alert|prompt)\s*\(")


def _sources():
    yield from sorted((ROOT / "templates").rglob("*.html"))
    yield from sorted((ROOT / "templates").rglob("*.txt"))
    for path in sorted((ROOT / "static").rglob("*.js")):
        if "vendor" not in path.relative_to(ROOT / "static").parts:
            yield path


def test_the_sources_are_found():
    names = {path.name for path in _sources()}
    assert {"base.html", "app.js", "busy.js", "ask.js"} <= names


def test_no_template_or_script_calls_confirm_alert_or_prompt():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BOX.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_form_relies_on_the_removed_data_confirm_handler():
    # Nothing reads data-confirm any more: such a form would be sent without asking.
    found = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if "data-confirm" in path.read_text(encoding="utf-8")
    ]
    assert not found, found


def test_the_pattern_catches_each_box():
    for line in ('if (!window.confirm("Xóa?")) return;', "alert('x')", "prompt ('Lý do')"):
        assert BOX.search(line), line
    for line in ('role="alert"', "alert alert-warning", "data-ask-yes", "confirmed()"):
        assert not BOX.search(line), line
