from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lddh.ward.backup import BackupError, database_is_empty, restore


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một tệp sao lưu của lệnh backup."

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp sao lưu")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cả khi cơ sở dữ liệu hiện tại đã có dữ liệu",
        )

    def handle(self, *args, path, force=False, **options):
        if not force and not database_is_empty():
            raise CommandError(
                "Cơ sở dữ liệu hiện tại đã có dữ liệu; dùng --force nếu thật sự muốn ghi đè."
            )
        try:
            restore(Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã khôi phục từ {path}")
