from django.core.management.base import BaseCommand

from experts.taxonomy.loader import load_taxonomy


class Command(BaseCommand):
    help = ("Load the curated skill taxonomy (chemical and pharmaceutical skill areas) into Skill rows; idempotent. "
            "When the taxonomy changed, every expert's and studio's derived skill areas are re-read.")

    def add_arguments(self, parser):
        parser.add_argument("--no-refresh", action="store_true", help="do not re-derive experts' skill areas")

    def handle(self, *args, no_refresh=False, **options):
        result = load_taxonomy()
        self.stdout.write(
            f"技能领域 {result['areas']} 个：新建 {result['created']}，更新 {result['updated']} "
            f"/ {result['areas']} areas: {result['created']} created, {result['updated']} updated"
        )
        if (result["created"] or result["updated"]) and not no_refresh:
            from matching.engine.profiles import refresh_all_areas

            refresh_all_areas()
            self.stdout.write("专家与工作室技能领域已更新 / derived skill areas refreshed")
