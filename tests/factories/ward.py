import datetime

import factory
from django.contrib.auth import get_user_model

from lddh.ward import models
from lddh.ward.roles import Role

__all__ = [
    "MemberOrganisationFactory",
    "MembershipFactory",
    "OfficialAccountFactory",
    "ResidentialGroupFactory",
    "UserFactory",
    "WardProfileFactory",
]


class WardProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.WardProfile

    name = "Ủy ban MTTQ Việt Nam phường Lê Đại Hành"
    short_name = "phường Lê Đại Hành"
    header_lines = "ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG LÊ ĐẠI HÀNH\nBAN THƯỜNG TRỰC"
    place_name = "Hà Nội"
    valid_from = datetime.date(2008, 8, 1)


class ResidentialGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ResidentialGroup
        django_get_or_create = ["code"]

    ward = factory.SubFactory(WardProfileFactory)
    number = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"TDP{o.number:02d}")
    name = factory.LazyAttribute(lambda o: f"Tổ dân phố số {o.number}")


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MemberOrganisation
        django_get_or_create = ["name"]

    ward = factory.SubFactory(WardProfileFactory)
    name = factory.Sequence(lambda n: f"Hội thành viên {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)


class OfficialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OfficialAccount

    ward = factory.SubFactory(WardProfileFactory)
    account_name = "UY BAN MTTQ PHUONG LE DAI HANH"
    account_number = factory.Sequence(lambda n: f"00110019{n:05d}")
    bank_name = "Vietcombank"
    bank_bin = "970436"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    password = factory.PostGenerationMethodCall("set_password", "lddh2024")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    group = None
