"""manage.py sign_chain_heads: sign each fund's chain head with LEDGER_SIGNING_KEY, for
cron once a day (e.g. `15 23 * * * cd /srv/lddh && .venv/bin/python manage.py
sign_chain_heads`). Refuses, with exit status 1, to sign a chain that does not hold or
no longer matches a head signed or published before: that would seal the tampering."""

from django.core.management.base import BaseCommand

from donations.models import Fund
from donations.seals import anchor_file
from donations.services import chain_heads_sign
from lddh.supervision.integrity import check_chain


class Command(BaseCommand):
    help = "Ký mã kiểm tra của sổ quỹ từng quỹ bằng khóa LEDGER_SIGNING_KEY."

    def handle(self, *args, **options):
        # The check reads outside the signing transaction: on SQLite a write transaction
        # would hold every writer back for the seconds the check takes.
        funds = {f.pk: f for f in Fund.objects.all()}
        findings = check_chain(funds)
        if findings:
            for finding in findings:
                self.stdout.write(self.style.ERROR(f"  [SAI] {finding.title}"))
                if finding.detail:
                    self.stdout.write(f"      {finding.detail}")
            self.stdout.write(
                self.style.ERROR(
                    "Không ký: chuỗi mã băm của sổ quỹ không còn đúng. "
                    "Chạy manage.py check_fund và báo Ban Thường trực."
                )
            )
            raise SystemExit(1)
        signed = chain_heads_sign(actor=None)
        for record in signed:
            self.stdout.write(
                f"  {record.fund_code}: bút toán số {record.first_sequence}–{record.sequence}, "
                f"mã {record.hash}, chữ ký {record.signature}"
            )
        where = anchor_file()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ký {len(signed)} mã kiểm tra"
                + (f", ghi thêm vào {where}." if where and signed else ".")
            )
        )
