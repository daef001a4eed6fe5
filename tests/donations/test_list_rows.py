"""The staff lists' rows written in Python (donations/views/rows.py) are exactly what the
templates' loops wrote: every branch (voided, anonymous, direct support, replacement
receipt, group and organisation, missing receipt, personal data) and the escaping."""

# ruff: noqa: E501 - the templates' loops, verbatim

import datetime

import pytest
from django.template import engines

from donations.models import Donation, Donor, Receipt
from donations.views import rows
from lddh.ward.models import MemberOrganisation, ResidentialGroup

pytestmark = pytest.mark.django_db  # reverse() and the template engine only

# The loops as the list templates had them before the rows moved to Python.
DONATION_LOOP = """{% load lddh %}{% for d in page_obj %}
  <tr{% if d.status == "voided" %} class="text-body-secondary"{% endif %}>
    <td>{{ d.date|vn_date }}</td>
    <td><a href="{% url 'donations:detail' d.pk %}" class="font-monospace">{{ d.receipt.number }}</a></td>
    <td>{{ d.donor.name }}{% if d.donor.anonymous %} <span class="badge text-bg-light border" title="Giấu tên khi công khai">giấu tên</span>{% endif %}</td>
    <td>{{ d.donor.get_source_display }}</td>
    <td>{{ d.get_channel_display }}{% if d.purpose == "direct" %} <span class="badge text-bg-info">hỗ trợ trực tiếp</span>{% endif %}</td>
    <td>{{ d.credited_group.name|default:"" }}{% if d.credited_group and d.credited_organisation %} · {% endif %}{{ d.credited_organisation|default:"" }}</td>
    <td class="money">{% if d.status == "voided" %}<del>{{ d.amount|dong }}</del>{% else %}{{ d.amount|dong }}{% endif %}</td>
    <td>{% if d.status == "voided" %}<span class="badge text-bg-danger">Đã hủy</span>{% else %}<span class="badge text-bg-success">Hợp lệ</span>{% endif %}</td>
  </tr>
  {% endfor %}"""

RECEIPT_LOOP = """{% load lddh %}{% for r in page_obj %}
  <tr{% if r.status == "voided" %} class="text-body-secondary"{% endif %}>
    <td><a class="font-monospace" href="{% url 'donations:detail' r.donation_id %}">{{ r.number }}</a>{% if r.replaces_id %} <span class="badge text-bg-light border">thay thế</span>{% endif %}</td>
    <td>{{ r.date|vn_date }}</td>
    <td>{{ r.donor_name }}</td>
    <td>{{ r.fund_name|default:"Hỗ trợ trực tiếp" }}</td>
    <td>{{ r.channel_label }}</td>
    <td class="money">{% if r.status == "voided" %}<del>{{ r.amount|dong }}</del>{% else %}{{ r.amount|dong }}{% endif %}</td>
    <td>{% if r.status == "voided" %}<span class="badge text-bg-danger">Đã hủy</span>{% else %}<span class="badge text-bg-success">Hợp lệ</span>{% endif %}</td>
  </tr>
  {% endfor %}"""

DONOR_LOOP = """{% load lddh %}{% for d in page_obj %}
  <tr>
    <td><a href="{% url 'donations:donor_detail' d.pk %}">{{ d.name }}</a>{% if d.anonymous %} <span class="badge text-bg-light border">giấu tên</span>{% endif %}</td>
    <td>{{ d.get_source_display }}</td>
    <td>{{ d.group.name|default:"" }}{% if d.group and d.organisation %} · {% endif %}{{ d.organisation|default:"" }}</td>
    {% if with_phone %}<td>{{ d.phone }}</td>{% endif %}
    <td class="money">{{ d.count|number }}</td>
    <td class="money">{{ d.total|dong }}</td>
  </tr>
  {% endfor %}"""

TRICKY = "Bà <Tư> & \"Năm\" 'Sáu'"


def _old(loop: str, **context) -> str:
    return engines["django"].from_string(loop).render(context)


def _people():
    group = ResidentialGroup(pk=3, name="Tổ <3>")
    organisation = MemberOrganisation(pk=4, name="Hội Phụ nữ", short_name="Hội PN & co")
    plain = Donor(pk=7, name="Nguyễn Văn An", source="residents", phone="0912 345 678")
    hidden = Donor(
        pk=8,
        name=TRICKY,
        source="business",
        anonymous=True,
        phone="<09>",
        group=group,
        organisation=organisation,
    )
    only_org = Donor(pk=9, name="Công ty A", source="business", organisation=organisation)
    return group, organisation, [plain, hidden, only_org]


def test_donation_rows_are_what_the_template_wrote():
    group, organisation, (plain, hidden, only_org) = _people()
    day = datetime.date(2024, 10, 5)
    donations = [
        Donation(
            pk=11,
            donor=plain,
            date=day,
            amount=1_500_000,
            channel="cash",
            purpose="fund",
            status="valid",
        ),
        Donation(
            pk=12,
            donor=hidden,
            date=day,
            amount=250_000,
            channel="bank",
            purpose="direct",
            status="voided",
            credited_group=group,
            credited_organisation=organisation,
        ),
        Donation(
            pk=13,
            donor=only_org,
            date=day,
            amount=1,
            channel="in_kind",
            purpose="fund",
            status="valid",
            credited_organisation=organisation,
        ),
        Donation(
            pk=14,
            donor=plain,
            date=day,
            amount=99_000_000_000,
            channel="treasury",
            purpose="fund",
            status="valid",
            credited_group=group,
        ),
    ]
    for donation in donations[:3]:
        donation.receipt = Receipt(donation=donation, number=f"VNN-2024-<{donation.pk}>")
    # The last one has no receipt: the template wrote an empty link text.
    assert rows.donation_rows(donations) == _old(DONATION_LOOP, page_obj=donations)
    assert rows.donation_rows([]) == ""
    # The same rows from plain values (what the list reads) write the same markup.
    organisations: dict = {}
    plain_rows = [rows.DonationRow(_values(d), organisations) for d in donations]
    assert rows.donation_rows(plain_rows) == rows.donation_rows(donations)


def _values(d: Donation) -> tuple:
    """A donation as ``values_list(*rows.DONATION_VALUES)`` reads it."""
    receipt = getattr(d, "receipt", None)
    group, organisation = d.credited_group, d.credited_organisation
    return (
        d.pk,
        d.date,
        d.amount,
        d.channel,
        d.purpose,
        d.status,
        d.donor.name,
        d.donor.source,
        d.donor.anonymous,
        receipt.number if receipt else None,
        group.name if group else None,
        organisation.name if organisation else None,
        organisation.short_name if organisation else None,
        d.donor_id,
        d.credited_group_id,
        d.credited_organisation_id,
    )


def test_receipt_rows_are_what_the_template_wrote():
    day = datetime.date(2025, 1, 2)
    receipts = [
        Receipt(
            pk=21,
            donation_id=31,
            number="VNN-2025-0001",
            date=day,
            amount=500_000,
            donor_name=TRICKY,
            status="issued",
            channel_label="Tiền mặt",
            fund_name="Quỹ “Vì người nghèo” & co",
        ),
        Receipt(
            pk=22,
            donation_id=32,
            number="HT-2025-0002",
            date=day,
            amount=20_000,
            donor_name="Ẩn danh",
            status="voided",
            channel_label="Chuyển khoản",
            fund_name="",
            replaces_id=21,
        ),
    ]
    assert rows.receipt_rows(receipts) == _old(RECEIPT_LOOP, page_obj=receipts)


@pytest.mark.parametrize("with_phone", [True, False])
def test_donor_rows_are_what_the_template_wrote(with_phone):
    _, _, donors = _people()
    for donor, (total, count) in zip(donors, [(0, 0), (1_234_567, 3), (5, 1)], strict=True):
        donor.total, donor.count = total, count
    expected = _old(DONOR_LOOP, page_obj=donors, with_phone=with_phone)
    assert rows.donor_rows(donors, with_phone=with_phone) == expected


def test_a_page_read_as_values_is_the_page_read_as_models(books):
    """The list reads its page with ``donations_by_key`` (one query of plain values): the
    rows are the ones the models with their joins give, voided and anonymous included."""
    from donations import services

    organisation = MemberOrganisation.objects.first()
    group = ResidentialGroup.objects.first()
    assert organisation is not None and group is not None
    made = [
        books.record(amount=1_500_000),
        books.record(amount=250_000, credited_group=group, credited_organisation=organisation),
        books.record(amount=70_000, credited_organisation=organisation),
    ]
    void = services.void_request(actor=books.staff, donation=made[0], reason="Nhập sai số")
    services.void_approve(actor=books.committee, void=void)
    queryset = Donation.objects.filter(pk__in=[d.pk for d in made]).order_by("-pk")
    models = list(
        queryset.select_related("donor", "receipt", "credited_group", "credited_organisation")
    )
    by_key = rows.donations_by_key(queryset)
    assert set(by_key) == {d.pk for d in made}
    plain = [by_key[d.pk] for d in models]
    assert rows.donation_rows(plain) == rows.donation_rows(models)
    for row, model in zip(plain, models, strict=True):
        for name in ("pk", "date", "amount", "status", "donor_id", "credited_group_id"):
            assert getattr(row, name) == getattr(model, name)
        assert row.credited_organisation_id == model.credited_organisation_id
        assert row.receipt.number == model.receipt.number
    html = rows.donation_rows(plain)
    assert "Đã hủy" in html and group.name in html and str(organisation) in html
