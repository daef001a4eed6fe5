"""manage.py check_fund: the integrity check of the fund's books, for cron and for the
inspection team. Exit status 1 when something is wrong (with --strict, also when
paperwork is missing)."""

from django.core.management.base import BaseCommand

from lddh.supervision.integrity import ERROR, SKIPPED, WARNING, run_check
from lddh.ward.money import format_number

MARKS = {ERROR: "SAI", WARNING: "CẦN BỔ SUNG", SKIPPED: "BỎ QUA"}


class Command(BaseCommand):
    help = "Kiểm tra sổ quỹ: chuỗi mã băm, số dư, chứng từ, sê-ri biên nhận, hỗ trợ."

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Coi cả các mục cần bổ sung (cảnh báo) là lỗi.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Địa chỉ gốc để in đường dẫn đầy đủ, ví dụ https://mttq.example.vn",
        )

    def handle(self, *args, **options):
        report = run_check()
        base = options["base_url"].rstrip("/")
        counts = report.counts
        self.stdout.write(
            f"Kiểm tra sổ quỹ lúc {report.checked_at:%d/%m/%Y %H:%M}: "
            f"{format_number(counts['entries'])} bút toán, "
            f"{format_number(counts['donations'])} khoản ủng hộ, "
            f"{format_number(counts['receipts'])} biên nhận, "
            f"{format_number(counts['supports'])} hỗ trợ đã chi, đối chiếu với "
            f"{format_number(counts['signed_heads'])} mã kiểm tra đã ký và mã in trên các "
            "báo cáo công khai "
            f"({report.seconds:.1f} giây)."
        )
        for info, findings in report.by_check():
            if not findings:
                self.stdout.write(f"  [ĐÚNG] {info.title}")
                continue
            for finding in findings:
                line = f"  [{MARKS[finding.severity]}] {info.title}: {finding.title}"
                style = self.style.ERROR if finding.is_error else self.style.WARNING
                self.stdout.write(style(line))
                if finding.detail:
                    self.stdout.write(f"      {finding.detail}")
                for link in finding.links:
                    self.stdout.write(f"      - {link.label}: {base}{link.url}")
        failed = report.errors or (options["strict"] and report.warnings)
        if failed:
            self.stdout.write(
                self.style.ERROR(
                    f"KẾT QUẢ: {len(report.errors)} sai lệch, {len(report.warnings)} cần bổ sung."
                )
            )
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"KẾT QUẢ: sổ quỹ khớp chứng từ ({len(report.warnings)} mục cần bổ sung)."
            )
        )
