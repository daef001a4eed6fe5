"""Every URL of the public app × every persona: the disclosure pages are for everyone
(signed in or not); the publication page is for the office, publishing for the
standing committee only."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from households import services
from households.models import Support
from lddh.public.models import PublishedReport
from tests.factories import CampaignFactory
from tests.permissions import PERSONAS, Case, only

EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
# Read-only public pages refuse POST for everyone, anonymous visitors included (they
# are never sent to the login page from a public address).
EVERYONE_405 = dict.fromkeys(PERSONAS, 405)


def _year(world):
    return {"year": str(CampaignFactory().year)}


def _download(world):
    return {**_year(world), "kind": "ung-ho", "period": "2024-10", "fmt": "csv"}


def _report(world):
    content = b"%PDF-1.4\n% public report of the permission matrix\n%%EOF\n"
    digest = hashlib.sha256(content).hexdigest()
    report = PublishedReport(
        title="Báo cáo thử",
        period_start=datetime.date(2024, 10, 17),
        period_end=datetime.date(2024, 11, 18),
        size=len(content),
        sha256=digest,
        published_by=world.users["committee"],
    )
    report.file.save(f"{digest}.pdf", ContentFile(content), save=False)
    report.save()
    return {"sha256": digest}


def _paid_support(world):
    from tests.permissions.households import paid_support

    support = Support.objects.get(pk=paid_support(world)["pk"])
    return support


def _spending_support(world):
    support = _paid_support(world)
    return {"year": str(support.campaign.year), "number": support.handover_number}


def _spending_round(world):
    from tests.permissions.households import _round

    round = _round(world, "approved")
    services.round_pay(
        actor=world.users["treasurer"],
        round=round,
        handover_date=datetime.date(2024, 11, 20),
        witness_name="Lê Văn Tổ",
    )
    return {"year": str(round.campaign.year), "token": round.public_token}


def _spending_scan(world):
    support = _paid_support(world)
    scan = services.redacted_scan_upload(
        actor=world.users["committee"],
        support=support,
        upload=SimpleUploadedFile("che.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40),
    )
    services.redacted_scan_approve(actor=world.users["supervisor"], scan=scan)
    return {"year": str(support.campaign.year), "token": scan.token, "ext": scan.extension}


CASES = [
    # Moved here from ward.py: a public page answers POST with 405, also to anonymous.
    Case("public:home", get=EVERYONE_200, post=EVERYONE_405),
    Case("public:year", get=EVERYONE_200, post=EVERYONE_405, kwargs=_year),
    Case("public:donors", get=EVERYONE_200, post=EVERYONE_405, kwargs=_year),
    Case("public:spending", get=EVERYONE_200, post=EVERYONE_405, kwargs=_year),
    Case("public:spending_round", get=EVERYONE_200, post=EVERYONE_405, kwargs=_spending_round),
    Case("public:spending_support", get=EVERYONE_200, post=EVERYONE_405, kwargs=_spending_support),
    Case("public:spending_scan", get=EVERYONE_200, post=EVERYONE_405, kwargs=_spending_scan),
    Case("public:download", get=EVERYONE_200, post=EVERYONE_405, kwargs=_download),
    Case("public:reports", get=EVERYONE_200, post=EVERYONE_405),
    Case("public:postings", get=EVERYONE_200, post=EVERYONE_405),
    Case("public:report_file", get=EVERYONE_200, post=EVERYONE_405, kwargs=_report),
    # An empty receipt check shows the form with its messages.
    Case("public:receipt_check", get=EVERYONE_200, post=EVERYONE_200),
    Case(
        "public:publish",
        get=only("staff", "committee"),
        post=only("committee"),  # an empty form shows its messages; staff may only look
    ),
]
