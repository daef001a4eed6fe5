"""Navigation entries. Each app lists its own in its AppConfig.nav_items, so the core
knows no app; the menu shows a person only what their roles may open. An app with one
visible entry gets a link; with several, a dropdown named after its first entry. An entry
may carry a badge: the number of things waiting there (lddh/ward/inbox.py); a dropdown's
badge adds up its entries'."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=512)
def _address(url_name: str, prefix: str, urlconf: str | None, root: str) -> str:
    return reverse(url_name, urlconf=urlconf)


def menu_url(url_name: str) -> str:
    """``reverse(url_name)`` of a menu entry (no arguments), kept per URL configuration:
    every staff page lists some thirty entries, and the addresses never change while
    the process runs."""
    return _address(url_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100

    def url(self) -> str:
        return menu_url(self.url_name)


@dataclass
class NavEntry:
    label: str
    url: str
    order: int
    active: bool = False
    children: list[NavEntry] = field(default_factory=list)
    badge: int = 0

    @property
    def badge_label(self) -> str:
        from lddh.ward.inbox import COUNT_CAP

        return f"{COUNT_CAP}+" if self.badge > COUNT_CAP else str(self.badge)


def nav_items_for(access, path: str, badges: dict[str, int] | None = None) -> list[NavEntry]:
    from django.apps import apps

    menu: list[NavEntry] = []
    links: list[NavEntry] = []
    for config in apps.get_app_configs():
        visible = sorted(
            (item for item in getattr(config, "nav_items", ()) if access.has(*item.roles)),
            key=lambda item: item.order,
        )
        entries = [
            NavEntry(item.label, item.url(), item.order, badge=(badges or {}).get(item.url_name, 0))
            for item in visible
        ]
        links.extend(entries)
        if len(entries) == 1:
            menu.append(entries[0])
        elif entries:
            head = entries[0]
            total = sum(entry.badge for entry in entries)
            menu.append(NavEntry(head.label, head.url, head.order, children=entries, badge=total))
    # The longest matching prefix is the active entry ("/quan-ly/" would match everything).
    matches = [link for link in links if path.startswith(link.url)]
    if matches:
        best = max(matches, key=lambda link: len(link.url))
        best.active = True
        for entry in menu:
            if best in entry.children:
                entry.active = True
    menu.sort(key=lambda entry: entry.order)
    return menu


_BADGE = (
    '<span class="badge rounded-pill text-bg-warning nav-badge">{}'
    '<span class="visually-hidden"> việc cần làm</span></span>'
)


def _badge(entry: NavEntry) -> str:
    return _BADGE.format(escape(entry.badge_label)) if entry.badge else ""


def _link(entry: NavEntry, css: str, indent: str) -> str:
    active = " active" if entry.active else ""
    current = 'aria-current="page"' if entry.active else ""
    return (
        f'{indent}<a class="{css}{active}" {current} href="{escape(entry.url)}">'
        f"{escape(entry.label)}{_badge(entry)}</a>"
    )


def menu_html(entries) -> SafeString:
    """The menu's entries as the <li> items of base.html's navigation bar, escaped: the
    markup its template loop wrote (some thirty entries and their badges on every staff
    page, a few hundred template nodes), in one pass."""
    parts = []
    for entry in entries:
        if entry.children:
            active = " active" if entry.active else ""
            children = "".join(
                "\n            <li>" + _link(child, "dropdown-item", "") + "</li>\n            "
                for child in entry.children
            )
            parts.append(
                "\n        \n"
                '        <li class="nav-item dropdown">\n'
                f'          <button class="btn btn-link nav-link dropdown-toggle{active}"'
                ' data-bs-toggle="dropdown" aria-expanded="false">'
                f"{escape(entry.label)}{_badge(entry)}</button>\n"
                '          <ul class="dropdown-menu">\n'
                f"            {children}\n"
                "          </ul>\n"
                "        </li>\n"
                "        \n        "
            )
        else:
            parts.append(
                "\n        \n"
                '        <li class="nav-item">' + _link(entry, "nav-link", "") + "</li>\n"
                "        \n        "
            )
    return mark_safe("".join(parts))  # every value above is escaped
