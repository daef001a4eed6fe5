"""manage.py anonymise_households: replace the personal data of households that left
the register more than HOUSEHOLD_ANONYMISE_AFTER_YEARS years ago (names, CCCD, phone,
address, health notes, free-text notes) with neutral values. The fund's records (supports'
amounts, categories, dates, group; donations, receipts, the ledger) stay as they are.
Safe to run again (from cron): an anonymised household is never touched twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from households.services import personal_data


class Command(BaseCommand):
    help = "Ẩn danh các hộ đã ra khỏi danh sách quá số năm quy định (giữ nguyên số liệu quỹ)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ liệt kê các hộ sẽ được ẩn danh, không thay đổi gì.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Số năm kể từ ngày ra khỏi danh sách (mặc định: HOUSEHOLD_ANONYMISE_AFTER_YEARS).",
        )
        parser.add_argument("--today", default=None, help="Ngày tính (YYYY-MM-DD), để thử.")

    def handle(self, *args, **options):
        years = options["years"]
        if years is None:
            years = personal_data.anonymise_after_years()
        if years < 1:
            raise CommandError("Số năm phải từ 1 trở lên.")
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("Ngày không hợp lệ: dùng dạng YYYY-MM-DD.") from exc
        cutoff = personal_data.anonymise_cutoff(today, years)
        due = list(personal_data.households_to_anonymise(today, years))
        if not due:
            self.stdout.write(
                f"Không có hộ nào ra khỏi danh sách từ ngày {cutoff:%d/%m/%Y} trở về trước "
                "cần ẩn danh."
            )
            return
        for household in due:
            # Numbers only: the names are what is being removed.
            self.stdout.write(
                f"  hồ sơ số {household.pk} ({household.group.name}), "
                f"ra khỏi danh sách ngày {household.exit_date:%d/%m/%Y}"
            )
        if options["dry_run"]:
            self.stdout.write(f"Chạy thử: {len(due)} hộ sẽ được ẩn danh; chưa thay đổi gì.")
            return
        for household in due:
            personal_data.household_anonymise(actor=None, household=household, years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã ẩn danh {len(due)} hộ ra khỏi danh sách quá {years} năm; "
                "số liệu quỹ giữ nguyên."
            )
        )
