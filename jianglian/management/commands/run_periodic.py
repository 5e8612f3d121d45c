"""Run beat's schedule in this process, without a broker (./dev serve starts it beside the web server)."""
import time

from django.core.management.base import BaseCommand

from jianglian import periodic


class Command(BaseCommand):
    help = ("Run the periodic jobs of settings.CELERY_BEAT_SCHEDULE in-process (expiry, reminders, notification "
            "flush, index reconcile, ranking catch-up): what `celery beat` + a worker do in production.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once, then stop")
        parser.add_argument("--delay", type=float, default=0.0,
                            help="seconds to wait before the first run (let the web server start)")

    def handle(self, *args, once=False, delay=0.0, **options):
        schedule = periodic.entries(now=time.monotonic() + delay)
        names = ", ".join(f"{e.name} every {e.every:g}s" for e in schedule)
        self.stdout.write(f"periodic jobs: {names}")
        if once:
            for entry in periodic.run_due(schedule, now=float("inf")):
                status = "failed" if entry.failures else f"ok: {entry.last_result}"
                self.stdout.write(f"{entry.name} ({entry.task}) {status}")
            return
        try:
            periodic.run_forever(schedule)
        except KeyboardInterrupt:
            pass
