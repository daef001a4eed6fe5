"""Load the demo: the ward of the 2024 plan, its people and, app by app, its records.

The seeds run in the order of SEEDS (core first, then the apps in import order, then
the pages on top), each in its own transaction, so each sees what the ones before it
made. Every seed is idempotent: running the command twice changes nothing.

``--scale N`` then tops the database up to N more donations of the 2024 campaign month
(with donors, collection rounds, receipts, ledger entries, households and supports),
written in bulk for measurements (lddh/demo/scale.py); run again with the same N it adds
nothing, with a larger N it adds the difference.

``--campaign-today`` (`make run`) then closes the 2024 campaign and runs the fund's
campaign of the current year (lddh/demo/today.py), so that a transfer the bank feed
records today shows on the dashboard and the public page.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lddh.demo import (
    campaigns,
    donations,
    feedback,
    history,
    households,
    pledges,
    proof,
    public,
    review_meetings,
    stock,
    supervision,
    ward,
)
from lddh.demo.ward import login_table
from lddh.ward.money import format_number

SEEDS = (
    ward,
    campaigns,
    donations,
    pledges,
    households,
    review_meetings,
    stock,
    history,
    supervision,
    feedback,
    proof,
    public,
)
"""The demo modules, each with ``seed(*, stdout)``, in the order they build on each other."""


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (phường Lê Đại Hành, chiến dịch 2024, tài khoản demo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Sau dữ liệu mẫu, thêm cho đủ N khoản ủng hộ nhân rộng (đo hiệu năng).",
        )
        parser.add_argument(
            "--chunk",
            type=int,
            default=50_000,
            help="Số khoản ủng hộ ghi trong mỗi giao dịch khi nhân rộng.",
        )
        parser.add_argument(
            "--campaign-today",
            action="store_true",
            help="Kết thúc chiến dịch 2024 và triển khai chiến dịch cả năm của năm nay, để "
            "chuyển khoản thử (simulate_bank_feed) hiện ngay trên Tổng quan và trang công khai.",
        )

    def handle(self, *args, **options):
        if options["scale"] < 0 or options["chunk"] < 1:
            raise CommandError("--scale phải ≥ 0 và --chunk phải ≥ 1.")
        for module in SEEDS:
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        if options["scale"]:
            self._scale(options["scale"], options["chunk"])
        if options["campaign_today"]:
            from lddh.demo import today

            with transaction.atomic():
                today.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
        self.stdout.write(login_table())
        self.stdout.write("Mở http://127.0.0.1:8000/dang-nhap/ để đăng nhập.")

    def _scale(self, target: int, chunk: int) -> None:
        from lddh.demo.scale import ScaleError, seed_scale

        try:
            result = seed_scale(target, stdout=self.stdout, chunk_size=chunk)
        except ScaleError as error:
            raise CommandError(str(error)) from error
        if not result["added"]:
            return
        self.stdout.write(
            f"Nhân rộng: đã thêm {format_number(result['added'])} khoản ủng hộ "
            f"trong {result['seconds']:.0f} giây."
        )
        for label, count in sorted(result["rows"].items()):
            self.stdout.write(f"  {label}: {format_number(count)} dòng")
