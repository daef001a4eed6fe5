from django.utils.functional import SimpleLazyObject

from lddh.ward.access import access_for
from lddh.ward.inbox import badges, inbox_for_request
from lddh.ward.nav import nav_items_for


def navigation(request):
    """The menu and the inbox, computed only when a template reads them (public pages
    that show no menu cost nothing), once per request."""
    if not hasattr(request, "user"):
        return {}
    access = access_for(request.user)
    if not access.is_authenticated:
        return {"access": access, "nav_items": [], "inbox": []}

    def menu():
        return nav_items_for(access, request.path, badges(inbox_for_request(request)))

    return {
        "access": access,
        "nav_items": SimpleLazyObject(menu),
        "inbox": SimpleLazyObject(lambda: inbox_for_request(request)),
    }
