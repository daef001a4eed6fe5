from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lddh.ward.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu (PostgreSQL: pg_dump; SQLite: bản sao nhất quán)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="tệp sao lưu (mặc định var/backups/...)")

    def handle(self, *args, output=None, **options):
        from django.db import connection

        suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or settings.VAR_DIR / "backups" / f"lddh-{stamp}.{suffix}")
        try:
            backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã sao lưu vào {path} ({path.stat().st_size:,} byte)")
