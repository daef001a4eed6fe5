import pytest
from django.db import IntegrityError, transaction

from lddh.ward.access import access_for
from lddh.ward.models import Membership
from lddh.ward.roles import Role
from tests.factories import MembershipFactory, UserFactory


def test_leader_sees_and_edits_only_their_group(world):
    access = access_for(world.users["leader1"])
    assert access.can_see_group(world.groups[1].pk)
    assert access.can_edit_group(world.groups[1].pk)
    assert not access.can_see_group(world.groups[2].pk)
    assert not access.can_edit_group(world.groups[2].pk)
    assert not access.reads_all
    assert not access.sees_personal_data


@pytest.mark.parametrize("persona", ["staff", "committee"])
def test_office_roles_edit_every_group_and_see_personal_data(world, persona):
    access = access_for(world.users[persona])
    assert all(access.can_edit_group(g.pk) for g in world.groups.values())
    assert access.sees_personal_data


@pytest.mark.parametrize("persona", ["treasurer", "supervisor"])
def test_read_only_roles_see_every_group_but_edit_none(world, persona):
    access = access_for(world.users[persona])
    assert all(access.can_see_group(g.pk) for g in world.groups.values())
    assert not any(access.can_edit_group(g.pk) for g in world.groups.values())
    assert not access.sees_personal_data
    assert access.reads_all and access.reads_figures


def test_the_level_above_reads_figures_and_no_group(world):
    access = access_for(world.users["higher"])
    assert access.reads_figures
    assert not access.reads_all
    assert not any(access.can_see_group(g.pk) for g in world.groups.values())
    assert not any(access.can_edit_group(g.pk) for g in world.groups.values())
    assert not access.sees_personal_data


def test_a_leader_reads_no_ward_figures(world):
    access = access_for(world.users["leader1"])
    assert not access.reads_figures and not access.reads_all


def test_a_person_may_hold_several_roles(world):
    user = world.users["staff"]
    MembershipFactory(user=user, role=Role.TREASURER)
    user = type(user).objects.get(pk=user.pk)
    assert access_for(user).has(Role.STAFF) and access_for(user).has(Role.TREASURER)


def test_inactive_memberships_and_users_grant_nothing(world):
    Membership.objects.filter(user=world.users["staff"]).update(active=False)
    user = type(world.users["staff"]).objects.get(pk=world.users["staff"].pk)
    assert access_for(user).roles == frozenset()


def test_a_leader_membership_needs_a_group(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=UserFactory(), role=Role.LEADER, group=None)


def test_other_roles_take_no_group(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=UserFactory(), role=Role.STAFF, group=world.groups[1])


def test_a_role_is_held_once(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=world.users["staff"], role=Role.STAFF)
