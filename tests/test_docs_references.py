"""Someone who clones the repository has only the repository: no comment, docstring,
template or document cites an issue number, or a design document it does not contain.
A rule is stated where it applies, or in a page under docs/ that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".git",
    ".venv",
    "var",
    "staticfiles",
    "media",
    "test-artifacts",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "vendor",  # static/vendor: third-party libraries as published
}
SUFFIXES = {".py", ".html", ".txt", ".md", ".css", ".js", ".toml", ".sh", ".cfg", ".ini"}
NAMES = {"Makefile", "run", ".env.example"}

ISSUE = re.compile(r"\bissues?\s*#?\d+|#\d+\s*issue", re.IGNORECASE)
DESIGN_DOCUMENT = re.compile(
    r"(?:[\w.-]+/)*(?:(?:ARCHITECTURE|STYLE|DOMAIN|PERFORMANCE)\.md|KE-HOACH[\w.-]*)"
)
OUTSIDE = re.compile(r"\.\./shared\b")


def repository_text_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix in SUFFIXES or path.name in NAMES):
            yield path


def citations(text: str) -> list[str]:
    found = [m.group(0) for m in ISSUE.finditer(text)]
    found += [m.group(0) for m in OUTSIDE.finditer(text)]
    for match in DESIGN_DOCUMENT.finditer(text):
        cited = match.group(0)
        if not (cited.startswith("docs/") and (ROOT / cited).is_file()):
            found.append(cited)
    return found


def test_the_patterns_find_what_they_must_and_spare_the_rest():
    assert citations("(issue 12)") == ["issue 12"]
    assert citations("Issue 7: rounds") == ["Issue 7"]
    assert citations("see #12 issue") == ["#12 issue"]
    assert citations("the rule (STYLE.md rule 9)") == ["STYLE.md"]
    assert citations("DOMAIN.md §5 and KE-HOACH-2024.md") == ["DOMAIN.md", "KE-HOACH-2024.md"]
    assert citations("see ../shared/ARCHITECTURE.md") == ["../shared", "../shared/ARCHITECTURE.md"]
    assert citations("docs/ARCHITECTURE.md") == ["docs/ARCHITECTURE.md"]  # no such file
    assert citations("docs/architecture.md, /ke-hoach/, issued 12 receipts") == []


def test_no_file_cites_an_issue_or_a_document_the_repository_lacks():
    this_file = Path(__file__).resolve()
    offenders = []
    for path in repository_text_files():
        if path.resolve() == this_file:
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(lines, start=1):
            for cited in citations(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {cited}")
    assert offenders == [], "State the rule itself, or point to a page under docs/:\n" + (
        "\n".join(offenders)
    )
