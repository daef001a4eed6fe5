"""Import a bank statement file from the command line: the same service as the page."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from donations import services
from donations.models import Account, BankLayout, StatementImport
from donations.services.statements import STATEMENT_ACCOUNT_KINDS


class Command(BaseCommand):
    help = (
        "Nhập một tệp sao kê vào tài khoản (theo số tài khoản), như trang nhập sao kê. "
        "In ra từng dòng của tệp đã đi đâu; trả mã lỗi khác 0 khi tệp không được nhập."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao kê (CSV hoặc Excel .xlsx)")
        parser.add_argument("--account", required=True, help="số tài khoản ngân hàng/Kho bạc")
        parser.add_argument("--layout", default="", help="tên mẫu sao kê (mặc định: của tài khoản)")
        parser.add_argument(
            "--user", default="", help="tên đăng nhập của người nhập (mặc định: quản trị duy nhất)"
        )
        parser.add_argument(
            "--accept",
            default="",
            metavar="LÝ DO",
            help="vẫn nhập khi số dư không liên tục, với lý do này",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        account = self._account(options["account"])
        layout = self._layout(options["layout"], account)
        user = self._user(options["user"])
        with path.open("rb") as stream:
            try:
                batch = services.statement_import(
                    actor=user,
                    account=account,
                    layout=layout,
                    data=stream,
                    filename=path.name,
                    accept_reason=options["accept"],
                )
            except services.StatementError as refused:
                raise CommandError(" ".join(refused.messages)) from None
        self._report(batch)
        if batch.status != StatementImport.Status.DONE:
            raise CommandError(
                f"Không nhập tệp (lần nhập số {batch.pk}: {batch.get_status_display()})."
            )

    def _account(self, number: str) -> Account:
        digits = "".join(ch for ch in number if ch.isalnum())
        accounts = [
            account
            for account in Account.objects.select_related("official_account").filter(
                kind__in=STATEMENT_ACCOUNT_KINDS, official_account__isnull=False
            )
            if "".join(ch for ch in account.official_account.account_number if ch.isalnum())
            == digits
        ]
        if len(accounts) != 1:
            known = ", ".join(
                a.official_account.account_number
                for a in Account.objects.filter(
                    kind__in=STATEMENT_ACCOUNT_KINDS, official_account__isnull=False
                ).select_related("official_account")
            )
            raise CommandError(f"Không thấy tài khoản số {number}. Các tài khoản có: {known}.")
        return accounts[0]

    def _layout(self, name: str, account: Account) -> BankLayout:
        if name:
            layout = BankLayout.objects.filter(name=name, active=True).first()
            if layout is None:
                names = "; ".join(
                    BankLayout.objects.filter(active=True).values_list("name", flat=True)
                )
                raise CommandError(f"Không thấy mẫu “{name}”. Các mẫu có: {names}.")
            return layout
        if account.statement_layout_id is None:
            raise CommandError(
                f"Tài khoản {account} chưa có mẫu sao kê: hãy ghi --layout <tên mẫu>."
            )
        return account.statement_layout

    def _user(self, username: str):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không thấy người dùng “{username}”.")
            return user
        admins = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(admins) != 1:
            raise CommandError("Hãy ghi --user <tên đăng nhập> của người nhập.")
        return admins[0]

    def _report(self, batch: StatementImport) -> None:
        def n(value: int) -> str:
            return f"{value:,}".replace(",", ".")

        write = self.stdout.write
        write(f"Lần nhập số {batch.pk}: {batch.get_status_display()}")
        if batch.status == StatementImport.Status.REFUSED:
            self.stderr.write(batch.error)
            return
        write(
            f"{n(batch.row_count)} dòng trong tệp = {n(batch.new_count)} dòng mới + "
            f"{n(batch.known_count)} dòng đã có + {n(batch.skipped_count)} dòng không phải "
            "giao dịch (tiêu đề, cộng, số dư…)"
        )
        write(f"Ghi có {n(batch.credit_sum)} đ, ghi nợ {n(batch.debit_sum)} đ")
        for item in batch.breaks:
            (self.stderr if batch.status == StatementImport.Status.HELD else self.stdout).write(
                item["message"]
            )
        if batch.status == StatementImport.Status.HELD:
            self.stderr.write(
                "Số dư không liên tục: chưa lưu dòng nào. Kiểm tra tệp, hoặc nhập lại với "
                '--accept "lý do" để giữ các chỗ chênh lệch chờ giải trình.'
            )
