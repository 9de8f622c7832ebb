from django.core.management.base import BaseCommand

from recommendations.requests.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders due now for every request for updates (before and after each "
        "deadline) and retry emails the mail server refused. Safe to run as often as you like: "
        "hourly from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(
            f"{sent.reminders} reminder(s) queued, {sent.retried} failed email(s) retried."
        )
