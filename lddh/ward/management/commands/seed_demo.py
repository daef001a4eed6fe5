"""Load the demo: the ward of the 2024 plan, its people and, app by app, its records.

Each installed app may have a `demo` module with `seed(*, stdout)`; they run in
INSTALLED_APPS order (core first), so each sees what the ones below it made. Every
seed is idempotent: running the command twice changes nothing.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from lddh.ward.demo import login_table


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (phường Lê Đại Hành, chiến dịch 2024, tài khoản demo)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng."))
        self.stdout.write(login_table())
        self.stdout.write("Mở http://127.0.0.1:8000/dang-nhap/ để đăng nhập.")
