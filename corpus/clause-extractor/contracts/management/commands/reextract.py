"""Re-run clause extraction, e.g. after a prompt or pattern change.

    python manage.py reextract --since 2024-01-01
    python manage.py reextract --since 2024-02-01 --status failed --dry-run
    python manage.py reextract --since 2024-01-01 --sync --limit 5
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.models import Contract
from contracts.tasks import extract_clauses


class Command(BaseCommand):
    help = "Queue clause extraction again for contracts uploaded on or after --since."

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD, by upload date")
        parser.add_argument(
            "--status",
            choices=[s.value for s in Contract.Status],
            help="only contracts in this status (default: all but processing)",
        )
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="list, do not queue")
        parser.add_argument(
            "--sync", action="store_true", help="run in this process instead of Celery"
        )

    def handle(self, *args, **opts):
        try:
            since = dt.date.fromisoformat(opts["since"])
        except ValueError as exc:
            raise CommandError(f"--since must be YYYY-MM-DD, got {opts['since']!r}") from exc
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))

        qs = Contract.objects.filter(uploaded_at__gte=start).order_by("uploaded_at")
        if opts["status"]:
            qs = qs.filter(status=opts["status"])
        else:
            qs = qs.exclude(status=Contract.Status.PROCESSING)
        if opts["limit"]:
            qs = qs[: opts["limit"]]

        ids = list(qs.values_list("id", flat=True))
        self.stdout.write(f"{len(ids)} contract(s) since {since.isoformat()}")
        if opts["dry_run"]:
            for cid in ids:
                self.stdout.write(f"  would re-extract {cid}")
            return

        # TODO: rate-limit the queueing; 400 contracts at once tripped the Anthropic
        # RateLimitError on every worker during the 2024-02-19 re-run.
        for cid in ids:
            if opts["sync"]:
                result = extract_clauses.apply(args=[cid]).get()
                self.stdout.write(f"  {cid}: {result}")
            else:
                extract_clauses.delay(cid)
        self.stdout.write(self.style.SUCCESS(f"queued {len(ids)}"))
