"""Who may do what. Roles are data (Membership); the predicates live here, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied

from lddh.ward.compiled import value_rows
from lddh.ward.models import Membership
from lddh.ward.roles import Role

# The ward's own roles, which read every record with the people in it. The level above
# is not one of them: it reads figures, totals and counts (FIGURES_ROLES), never a
# household, a donor's record, a handover list or the audit log (docs/vai-tro.md).
READ_ALL_ROLES = (Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.SUPERVISOR)
FIGURES_ROLES = (*READ_ALL_ROLES, Role.HIGHER)
OFFICE_ROLES = (Role.STAFF, Role.COMMITTEE)
SUPERUSER_ROLES = frozenset(
    {Role.STAFF, Role.COMMITTEE, Role.TREASURER, Role.HIGHER, Role.SUPERVISOR}
)


@dataclass(frozen=True)
class Access:
    """What one signed-in person may do, computed once per request."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    group_ids: frozenset[int] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def reads_all(self) -> bool:
        """Sees every residential group's records, names included (staff, committee,
        treasurer, supervisor)."""
        return self.has(*READ_ALL_ROLES)

    @property
    def reads_figures(self) -> bool:
        """Sees the ward-wide figures: every role that reads all, and the level above."""
        return self.has(*FIGURES_ROLES)

    @property
    def is_office(self) -> bool:
        """Ward staff or standing committee: enters money, keeps the register."""
        return self.has(*OFFICE_ROLES)

    @property
    def is_committee(self) -> bool:
        """Standing committee: decides (closing a campaign, voids, late entries)."""
        return Role.COMMITTEE in self.roles

    @property
    def sees_personal_data(self) -> bool:
        """CCCD, phone and health notes: ward staff and standing committee only."""
        return self.has(*OFFICE_ROLES)

    @property
    def is_leader(self) -> bool:
        return Role.LEADER in self.roles

    def can_see_group(self, group_id: int | None) -> bool:
        return self.reads_all or (group_id is not None and group_id in self.group_ids)

    def can_edit_group(self, group_id: int | None) -> bool:
        """Office staff edit every group; a leader edits their own group only."""
        return self.is_office or (group_id is not None and group_id in self.group_ids)

    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The Access of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_lddh_access", None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    group_ids: set[int] = set()
    if user.is_active:
        # Every staff page reads them: the SQL is compiled once per user (compiled.py).
        memberships = value_rows(
            ("roles", user.pk),
            lambda: (
                Membership.objects.filter(user_id=user.pk, active=True)
                .order_by()
                .values_list("role", "group_id")
            ),
        )
        for role, group_id in memberships:
            roles.add(role)
            if role == Role.LEADER and group_id:
                group_ids.add(group_id)
        if user.is_superuser:
            roles |= SUPERUSER_ROLES
    access = Access(user_id=user.pk, roles=frozenset(roles), group_ids=frozenset(group_ids))
    user._lddh_access = access
    return access


def role_required(*roles: str):
    """A signed-in person without one of these roles gets 403 (anonymous visitors were
    already sent to the login page by LoginRequiredMiddleware)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not access_for(request.user).has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = tuple(roles)
        return wrapped

    return decorator
