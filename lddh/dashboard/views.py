from django.shortcuts import render

from lddh.ward.access import access_for
from lddh.ward.models import ResidentialGroup


def home(request):
    access = access_for(request.user)
    groups = ResidentialGroup.objects.filter(pk__in=access.group_ids) if access.is_leader else []
    return render(request, "dashboard/home.html", {"leader_groups": groups})
