from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from lddh.ward.models import WardProfile


@login_not_required
def home(request):
    ward = WardProfile.current()
    accounts = ward.accounts.filter(is_public=True) if ward else []
    return render(request, "public/home.html", {"ward": ward, "accounts": accounts})
