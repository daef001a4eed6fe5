"""Hand every due e-receipt to the task worker again (failed ones past their retry time,
queued ones whose task was lost). The worker normally retries by itself; run this from
cron or after restoring a backup."""

from django.core.management.base import BaseCommand

from donations.services.messages import messages_send_due


class Command(BaseCommand):
    help = "Gửi lại các biên nhận điện tử đến lượt gửi (tin lỗi đã tới giờ thử lại, tin chờ gửi)."

    def handle(self, *args, **options):
        count = messages_send_due()
        self.stdout.write(f"{count} tin được chuyển cho tiến trình gửi.")
