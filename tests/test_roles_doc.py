"""docs/vai-tro.md and the permission matrix say the same thing: the document's appendix
lists every URL name with the status each persona gets on GET, and this test compares it
with tests/permissions/*.py. When a rule changes, change both; the failure prints the
table to paste (or run `python -m tests.test_roles_doc`)."""

from __future__ import annotations

import os
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "vai-tro.md"
START = "<!-- bang-quyen:bat-dau -->"
END = "<!-- bang-quyen:ket-thuc -->"
HEADERS = {
    "anon": "Khách",
    "staff": "Cán bộ",
    "committee": "Thường trực",
    "treasurer": "Kế toán",
    "leader1": "Tổ trưởng tổ khác",
    "leader2": "Tổ trưởng tổ 2",
    "higher": "Cấp trên",
    "supervisor": "Giám sát",
}


def render_table() -> str:
    from tests.permissions import PERSONAS
    from tests.test_permission_matrix import CASES

    lines = [
        "| Tên địa chỉ (URL) | " + " | ".join(HEADERS[p] for p in PERSONAS) + " |",
        "|---|" + "---|" * len(PERSONAS),
    ]
    for case in sorted(CASES, key=lambda c: c.url_name):
        cells = [str(case.get[p]) if case.get else "—" for p in PERSONAS]
        lines.append(f"| `{case.url_name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def documented_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, f"{DOC.name} has no {START} … {END} block"
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def test_the_roles_document_lists_every_url_with_the_matrix_statuses():
    expected = render_table()
    assert documented_table() == expected, (
        f"docs/vai-tro.md differs from the permission matrix; the table should be:\n{expected}"
    )


def test_the_roles_document_is_linked_from_the_guides():
    root = DOC.parent.parent
    assert "docs/vai-tro.md" in (root / "README.md").read_text(encoding="utf-8")
    assert "../vai-tro.md" in (root / "docs/huong-dan/README.md").read_text(encoding="utf-8")


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lddh.settings")
    django.setup()
    print(render_table())
