"""Write the exported API schemas that clients generate from (issue 15):

    docs/openapi.json     the REST API's OpenAPI document (drf-spectacular; generation warnings fail)
    docs/schema.graphql   the GraphQL SDL (graphene-django)

`python manage.py export_schemas` after any change to the APIs; tests/jianglian/test_openapi_export.py and
tests/jianglian/test_graphql_security.py fail while the committed files differ from the code.
"""
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

OPENAPI_PATH = Path("docs") / "openapi.json"
SDL_PATH = Path("docs") / "schema.graphql"
# The summaries are bilingual literals; the rest (field help, enum labels) is rendered in the site's language.
SCHEMA_LANGUAGE = "zh-hans"


def write_openapi(path: Path) -> None:
    call_command("spectacular", format="openapi-json", file=str(path), lang=SCHEMA_LANGUAGE,
                 validate=True, fail_on_warn=True)


class Command(BaseCommand):
    help = "Write docs/openapi.json and docs/schema.graphql from the code."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        write_openapi(base / OPENAPI_PATH)
        call_command("graphql_schema", out=str(base / SDL_PATH))
        self.stdout.write(f"wrote {OPENAPI_PATH} and {SDL_PATH}")
