"""Server-side sorting of list tables.

A list declares which columns may be sorted (a whitelist: key shown in the address →
the fields to order by); the page reads ``?sap_xep=<key>`` (ascending) or
``?sap_xep=-<key>`` (descending). Anything else falls back to the list's default, so a
hand-typed address can never order by an arbitrary field. The primary key is always the
last tiebreak, so paging through rows with equal values is stable.

    HOUSEHOLD_SORTS = SortSpec(
        {"chu_ho": "head_name", "to": ("group__number", "head_name"), "nhu_cau": "open_need_cost"},
        default="to",
        descending_first={"nhu_cau"},
    )

    sort = HOUSEHOLD_SORTS.from_request(request)
    rows = sort.apply(rows)                 # in the view, before paginating
    render(..., {"sort": sort, ...})

    {% load sorting %}
    {% sort_th sort "chu_ho" "Chủ hộ" %}                 in <thead>
    {% sort_th sort "nhu_cau" "Nhu cầu" css="text-end" %}
    {% sort_hidden sort %}                               inside the filter <form method="get">

A header link keeps every other query parameter (filters) and drops the page number, so
a new order starts at page 1. It is a plain link: it works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.http import QueryDict

SORT_PARAM = "sap_xep"
# Page parameters used across the app; a new order starts again at the first page.
PAGE_PARAMS = ("page", "trang")

ASCENDING = "ascending"
DESCENDING = "descending"


def _fields(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class SortSpec:
    """The sortable columns of one list.

    ``keys`` maps the key shown in the address to one field name or a tuple of field
    names (the later ones break ties). ``default`` is a key, with a leading ``-`` for a
    descending default. ``descending_first`` lists the keys whose first click sorts
    descending (dates, amounts: the newest or largest first is what people look for).
    ``nulls_last`` lists keys whose empty values go to the end in both directions.
    """

    keys: Mapping[str, str | Iterable[str]]
    default: str
    descending_first: frozenset[str] | set[str] = field(default_factory=frozenset)
    nulls_last: frozenset[str] | set[str] = field(default_factory=frozenset)
    param: str = SORT_PARAM

    def __post_init__(self):
        if self.default.lstrip("-") not in self.keys:
            raise ValueError(f"default sort {self.default!r} is not one of {list(self.keys)}")
        unknown = (set(self.descending_first) | set(self.nulls_last)) - set(self.keys)
        if unknown:
            raise ValueError(f"unknown sort keys: {sorted(unknown)}")

    def parse(self, raw: str | None) -> tuple[str, bool]:
        """(key, descending) for a raw parameter value; the default if not allowed."""
        value = (raw or "").strip()
        key = value.lstrip("-")
        if key in self.keys and value.count("-") <= 1:
            return key, value.startswith("-")
        return self.default.lstrip("-"), self.default.startswith("-")

    def from_request(self, request) -> Sort:
        return self.from_query(request.GET)

    def from_query(self, query: QueryDict | Mapping[str, str]) -> Sort:
        key, descending = self.parse(query.get(self.param))
        return Sort(spec=self, key=key, descending=descending, query=query)


@dataclass(frozen=True)
class Header:
    """What a sortable column header needs to render itself."""

    key: str
    url: str
    state: str | None  # ASCENDING, DESCENDING or None when the column is not the sort
    next_descending: bool

    @property
    def arrow(self) -> str:
        return {ASCENDING: "▲", DESCENDING: "▼"}.get(self.state, "↕")

    @property
    def hint(self) -> str:
        """Spoken after the column name: what the link will do."""
        return "sắp xếp giảm dần" if self.next_descending else "sắp xếp tăng dần"


@dataclass(frozen=True)
class Sort:
    """The order chosen for one request."""

    spec: SortSpec
    key: str
    descending: bool
    query: QueryDict | Mapping[str, str]

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @property
    def is_default(self) -> bool:
        return self.value == self.spec.default

    def order_by(self) -> list[str | OrderBy]:
        """The ORDER BY terms, ending with the primary key in the same direction. A
        field written ``-name`` in the spec runs against the column's direction (e.g.
        a category, then newest first within it)."""
        nulls_last = self.key in self.spec.nulls_last
        terms: list[str | OrderBy] = []
        for name in (*_fields(self.spec.keys[self.key]), "pk"):
            descending = self.descending != name.startswith("-")
            name = name.lstrip("-")
            if nulls_last and name != "pk":
                expr = F(name)
                ordered = expr.desc if descending else expr.asc
                terms.append(ordered(nulls_last=True))
            else:
                terms.append(f"-{name}" if descending else name)
        return terms

    def apply(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*self.order_by())

    def _params(self) -> list[tuple[str, str]]:
        """The other query parameters, in order, without the sort and the page."""
        skip = {self.spec.param, *PAGE_PARAMS}
        if isinstance(self.query, QueryDict):
            items = [(k, v) for k, values in self.query.lists() for v in values]
        else:
            items = list(self.query.items())
        return [(k, v) for k, v in items if k not in skip and v != ""]

    def url_for(self, key: str, descending: bool) -> str:
        params = self._params()
        value = f"-{key}" if descending else key
        if value != self.spec.default:
            params.append((self.spec.param, value))
        return "?" + urlencode(params) if params else "?"

    def header(self, key: str) -> Header:
        if key not in self.spec.keys:
            raise KeyError(f"{key!r} is not a sortable column of this list")
        if key == self.key:
            state = DESCENDING if self.descending else ASCENDING
            next_descending = not self.descending
        else:
            state = None
            next_descending = key in self.spec.descending_first
        return Header(
            key=key,
            url=self.url_for(key, next_descending),
            state=state,
            next_descending=next_descending,
        )

    def query_string(self) -> str:
        """The current parameters (filters and this order) without the page, for
        pagination links and exports."""
        params = self._params()
        if not self.is_default:
            params.append((self.spec.param, self.value))
        return urlencode(params)
