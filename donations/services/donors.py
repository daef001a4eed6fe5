"""Donors: create and correct, with the duplicate warning."""

from __future__ import annotations

from django.db import transaction

from donations.models import Donor
from donations.services import totals
from donations.services.common import DonationError, DuplicateDonorError
from donations.services.messages import donor_consent_check
from lddh.ward.audit import AuditAction, log_event, snapshot
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.text import check_phone, check_tax_code, clean_input, digits, normalise
from lddh.ward.vocab import DonorSource

DONOR_FIELDS = (
    "source",
    "name",
    "representative",
    "address",
    "group",
    "phone",
    "tax_code",
    "organisation",
    "anonymous",
    "note",
    "email",
    "contact_consent",
    "consent_how",
)

SOURCES = frozenset(DonorSource.values)
"""The donor sources a donor may have (a set: bulk writers check every donor)."""

# --------------------------------------------------------------------------- donors


def donor_duplicates(
    *, name: str, phone: str = "", tax_code: str = "", exclude: Donor | None = None
) -> list[Donor]:
    """Donors that may be the same person or body: the same name ignoring case,
    diacritics and spacing (whatever the phone: one person gives with and without it),
    or the same tax code."""
    name_key, tax_key = normalise(clean_input(name)), digits(tax_code)
    matches = Donor.objects.none()
    if name_key:
        matches = matches | Donor.objects.filter(name_key=name_key)
    if tax_key:
        matches = matches | Donor.objects.filter(tax_key=tax_key)
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    return list(matches.select_related("group", "organisation").order_by("pk")[:10])


def donor_clean(donor: Donor) -> None:
    """The rules a donor's details meet before saving (donor_create and donor_update
    apply them; a bulk writer calls this for each new donor): tidies the text in place,
    raises DonationError."""
    for field in ("name", "representative", "address", "phone", "tax_code", "note"):
        setattr(donor, field, clean_input(getattr(donor, field)))
    donor.name = " ".join(donor.name.split())
    if not donor.name:
        raise DonationError("Chưa nhập họ tên hoặc tên đơn vị người ủng hộ.", code="name")
    if donor.source not in SOURCES:
        raise DonationError("Nguồn ủng hộ không hợp lệ.", code="source")
    if donor.source == DonorSource.RESIDENTS and donor.group_id is None:
        raise DonationError("Người dân ủng hộ qua tổ dân phố: hãy chọn tổ dân phố.", code="group")
    try:
        donor.phone = check_phone(donor.phone)
    except ValueError as error:
        raise DonationError(str(error), code="phone") from None
    try:
        donor.tax_code = check_tax_code(donor.tax_code)
    except ValueError as error:
        raise DonationError(str(error), code="tax_code") from None


@transaction.atomic
def donor_create(
    *,
    actor,
    source: str,
    name: str,
    representative: str = "",
    address: str = "",
    group: ResidentialGroup | None = None,
    phone: str = "",
    tax_code: str = "",
    organisation: MemberOrganisation | None = None,
    anonymous: bool = False,
    note: str = "",
    email: str = "",
    contact_consent: bool = False,
    consent_how: str = "",
    allow_duplicate: bool = False,
) -> Donor:
    donor = Donor(
        source=source,
        name=name,
        representative=representative.strip(),
        address=address.strip(),
        group=group,
        phone=phone.strip(),
        tax_code=tax_code.strip(),
        organisation=organisation,
        anonymous=anonymous,
        note=note.strip(),
        email=email,
        contact_consent=contact_consent,
        consent_how=consent_how,
        created_by=actor,
    )
    donor_clean(donor)
    donor_consent_check(donor, actor=actor, was_consenting=False)
    if not allow_duplicate:
        matches = donor_duplicates(name=donor.name, phone=donor.phone, tax_code=donor.tax_code)
        if matches:
            raise DuplicateDonorError(
                "Có thể trùng với người ủng hộ đã có (cùng họ tên, không kể dấu, chữ hoa và "
                "khoảng trắng, hoặc cùng mã số thuế). Hãy chọn người đã có, hoặc xác nhận tạo "
                "mới.",
                matches,
            )
    donor.save()
    log_event(
        actor=actor, action=AuditAction.DONOR_CREATE, obj=donor, after=snapshot(donor, DONOR_FIELDS)
    )
    return donor


@transaction.atomic
def donor_update(*, actor, donor: Donor, allow_duplicate: bool = False, **changes) -> Donor:
    """Correct a donor's details. Issued receipts keep what they printed."""
    unknown = set(changes) - set(DONOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown donor fields: {sorted(unknown)}")
    if "source" in changes:
        totals.lock_funds_of(donor)  # before the donor's row: see lock_funds_of
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    before = snapshot(donor, DONOR_FIELDS)
    was_consenting = donor.contactable
    for name, value in changes.items():
        setattr(donor, name, value.strip() if isinstance(value, str) else value)
    donor_clean(donor)
    donor_consent_check(donor, actor=actor, was_consenting=was_consenting)
    renamed = normalise(donor.name) != normalise(before["name"]) or digits(
        donor.tax_code
    ) != digits(before["tax_code"] or "")
    if renamed and not allow_duplicate:
        matches = donor_duplicates(
            name=donor.name, phone=donor.phone, tax_code=donor.tax_code, exclude=donor
        )
        if matches:
            raise DuplicateDonorError(
                "Có thể trùng với người ủng hộ khác (cùng họ tên, không kể dấu, chữ hoa và "
                "khoảng trắng, hoặc cùng mã số thuế). Hãy kiểm tra lại, hoặc xác nhận vẫn lưu.",
                matches,
            )
    donor.save()
    # The donor's donations count under their source: the totals move with it.
    totals.donor_source_changed(donor, before["source"], donor.source)
    after = snapshot(donor, DONOR_FIELDS)
    if after != before:
        log_event(
            actor=actor, action=AuditAction.DONOR_UPDATE, obj=donor, before=before, after=after
        )
    return donor
