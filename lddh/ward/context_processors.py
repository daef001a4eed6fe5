from lddh.ward.access import access_for
from lddh.ward.nav import nav_items_for


def navigation(request):
    if not hasattr(request, "user"):
        return {}
    access = access_for(request.user)
    items = nav_items_for(access, request.path) if access.is_authenticated else []
    return {"access": access, "nav_items": items}
