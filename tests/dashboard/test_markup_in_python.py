"""Markup written in Python instead of a template loop (the staff home's progress rows,
the menu) is byte for byte what the loop wrote: the loops are kept here as they were."""

from __future__ import annotations

import datetime

from django.template import engines

from lddh.dashboard.selectors import Line
from lddh.dashboard.templatetags.dashboard import day_rows, progress_rows
from lddh.ward.nav import NavEntry, menu_html

PROGRESS_LOOP = """{% for line in lines %}
  <tr>
    <th scope="row" class="fw-normal">{{ line.label }}{% if line.note %}<div class="small text-body-secondary">{{ line.note }}</div>{% endif %}</th>
    <td class="money">{{ line.raised|dong }}</td>
    <td class="money">{% if line.target %}{{ line.target|dong }}{% else %}<span class="text-body-secondary">—</span>{% endif %}</td>
    <td>{% if line.percent is not None %}
      <div class="d-flex align-items-center gap-2">
        <div class="progress flex-grow-1" role="progressbar" aria-label="{{ line.label }}" aria-valuenow="{{ line.percent }}" aria-valuemin="0" aria-valuemax="100" style="height: 1.1rem">
          <div class="progress-bar{% if line.percent >= 100 %} bg-success{% endif %}" style="width: {% if line.percent > 100 %}100{% else %}{{ line.percent }}{% endif %}%"></div>
        </div>
        <span class="small progress-figure">{{ line.percent }}%</span>
      </div>{% else %}<span class="small text-body-secondary">chưa giao chỉ tiêu</span>{% endif %}</td>
  </tr>
  {% empty %}
  <tr><td colspan="4" class="text-body-secondary">{{ empty }}</td></tr>
  {% endfor %}"""  # noqa: E501

MENU_LOOP = """{% for item in nav_items %}
        {% if item.children %}
        <li class="nav-item dropdown">
          <button class="btn btn-link nav-link dropdown-toggle{% if item.active %} active{% endif %}" data-bs-toggle="dropdown" aria-expanded="false">{{ item.label }}{% if item.badge %}<span class="badge rounded-pill text-bg-warning nav-badge">{{ item.badge_label }}<span class="visually-hidden"> việc cần làm</span></span>{% endif %}</button>
          <ul class="dropdown-menu">
            {% for child in item.children %}
            <li><a class="dropdown-item{% if child.active %} active{% endif %}" {% if child.active %}aria-current="page"{% endif %} href="{{ child.url }}">{{ child.label }}{% if child.badge %}<span class="badge rounded-pill text-bg-warning nav-badge">{{ child.badge_label }}<span class="visually-hidden"> việc cần làm</span></span>{% endif %}</a></li>
            {% endfor %}
          </ul>
        </li>
        {% else %}
        <li class="nav-item"><a class="nav-link{% if item.active %} active{% endif %}" {% if item.active %}aria-current="page"{% endif %} href="{{ item.url }}">{{ item.label }}{% if item.badge %}<span class="badge rounded-pill text-bg-warning nav-badge">{{ item.badge_label }}<span class="visually-hidden"> việc cần làm</span></span>{% endif %}</a></li>
        {% endif %}
        {% endfor %}"""  # noqa: E501


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_progress_rows_are_what_the_template_loop_wrote():
    lines = [
        Line("Tổ dân phố số 1", 12_500_000, 10_000_000),  # over the target
        Line("Tổ <2> & “Hội”", 5_000_000, 5_000_000, note="Phó Chủ tịch <b>"),  # exactly
        Line("Hội Phụ nữ", 1_234_567, 50_000_000),
        Line("Chưa giao", 700_000),  # no target
        Line("Không đồng nào", 0, 3_000_000),
    ]
    assert progress_rows(lines, "Chưa có.") == _render(PROGRESS_LOOP, lines=lines, empty="x")
    assert progress_rows([], "Chưa có <tổ>.") == _render(
        PROGRESS_LOOP, lines=[], empty="Chưa có <tổ>."
    )


def test_the_menu_is_what_the_template_loop_wrote():
    child = NavEntry("Khoản <ủng hộ>", "/quan-ly/ung-ho/?a=1&b=2", 10, active=True, badge=3)
    other = NavEntry("Biên nhận", "/quan-ly/bien-nhan/", 11, badge=250)
    entries = [
        NavEntry("Tổng quan", "/quan-ly/", 1),
        NavEntry("Ủng hộ", "/quan-ly/ung-ho/", 10, active=True, children=[child, other], badge=253),
        NavEntry("Hộ gia đình", "/quan-ly/ho/", 20, badge=1),
        NavEntry("Chiến dịch", "/quan-ly/chien-dich/", 30, active=True),
    ]
    assert menu_html(entries) == _render(MENU_LOOP, nav_items=entries)
    assert menu_html([]) == _render(MENU_LOOP, nav_items=[]) == ""


DAYS_LOOP = (
    "{% for day, amount in by_day %}<tr><td>{{ day|vn_date }}</td>"
    '<td class="money">{{ amount|dong }}</td></tr>{% endfor %}'
)


def test_day_rows_are_what_the_template_loop_wrote():
    by_day = [(datetime.date(2024, 10, 17), 1_500_000), (datetime.date(2024, 11, 1), 0)]
    assert day_rows(by_day) == _render(DAYS_LOOP, by_day=by_day)
    assert day_rows([]) == ""
