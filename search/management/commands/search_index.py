"""manage.py search_index --rebuild [--models expert studio ...] | --check"""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import sync
from search.index import definitions, get_definition


class Command(BaseCommand):
    help = "Rebuild the search indexes from the database, or check them against it."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true", help="build new indexes and switch to them")
        action.add_argument("--check", action="store_true", help="report drift; exit 1 when there is any")
        action.add_argument("--reconcile", action="store_true", help="repair drift in place")
        parser.add_argument("--models", nargs="+", metavar="INDEX",
                            help=f"indexes to work on (default all: {', '.join(d.name for d in definitions())})")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, rebuild=False, check=False, reconcile=False, models=None, no_progress=False, **options):
        try:
            selected = [get_definition(name).name for name in models] if models else None
        except LookupError as exc:
            raise CommandError(str(exc)) from exc

        if rebuild:
            def progress_factory(definition, backend):
                return tqdm(total=definition.count(), desc=f"{definition.name} ({backend.name})", unit="doc",
                            disable=no_progress, file=self.stderr._out)

            counts = sync.rebuild(selected, progress_factory=progress_factory)
            for name, count in counts.items():
                self.stdout.write(f"{name}: {count} documents indexed")
            return

        backends = sync.target_backends()
        drifted = False
        for definition in [get_definition(n) for n in selected] if selected else definitions():
            for backend in backends:
                drift = sync.find_drift(definition, backend)
                summary = drift.summary()
                self.stdout.write(
                    f"{definition.name} ({backend.name}): {summary['missing']} missing, "
                    f"{summary['stale']} stale, {summary['extra']} extra"
                )
                drifted = drifted or bool(drift)
        if reconcile:
            sync.reconcile(selected)
            self.stdout.write("repaired")
        elif drifted:
            raise CommandError("the search index differs from the database", returncode=1)
