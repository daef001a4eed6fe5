"""The signed recipient list names its maker, whoever paid (else the fund's accountant
written in the ward profile) and the ward's signatory: never a blank where the profile
knows the name."""

from __future__ import annotations

from types import SimpleNamespace

from households.exports import SignedListExport
from lddh.ward.models import Signatory, WardProfile
from lddh.ward.templatetags.lddh import person_name


def test_the_signed_list_names_the_profile_accountant_until_someone_pays(world):
    ward = WardProfile.objects.get(pk=world.ward.pk)
    ward.accountant_name = "Cao Văn Toán"
    ward.save()
    Signatory.objects.create(ward=ward, full_name="Trần Thanh Tuấn", title="CHỦ TỊCH")
    round = SimpleNamespace(pk=1, created_by=world.users["staff"])
    unpaid = SimpleNamespace(paid_by_id=None, paid_by=None)
    signatures = dict(SignedListExport(round, [unpaid], ward=ward).signatures())
    assert signatures["NGƯỜI LẬP BIỂU"] == person_name(world.users["staff"])
    assert signatures["KẾ TOÁN / THỦ QUỸ"] == "Cao Văn Toán"
    assert signatures["TM. BAN THƯỜNG TRỰC"] == "Trần Thanh Tuấn"
    treasurer = world.users["treasurer"]
    paid = SimpleNamespace(paid_by_id=treasurer.pk, paid_by=treasurer)
    signatures = dict(SignedListExport(round, [paid], ward=ward).signatures())
    assert signatures["KẾ TOÁN / THỦ QUỸ"] == person_name(treasurer)
