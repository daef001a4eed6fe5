"""Navigation entries. Each app lists its own in its AppConfig.nav_items, so the core
knows no app; the menu shows a person only what their roles may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100

    def url(self) -> str:
        return reverse(self.url_name)


def nav_items_for(access, path: str) -> list[dict]:
    from django.apps import apps

    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            if access.has(*item.roles):
                url = item.url()
                items.append(
                    {"label": item.label, "url": url, "order": item.order, "active": False}
                )
    items.sort(key=lambda i: i["order"])
    # The longest matching prefix is the active entry ("/quan-ly/" would match everything).
    matches = [i for i in items if path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
