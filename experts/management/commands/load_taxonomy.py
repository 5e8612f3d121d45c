from django.core.management.base import BaseCommand

from experts.taxonomy.loader import load_taxonomy


class Command(BaseCommand):
    help = "Load the curated skill taxonomy (chemical and pharmaceutical skill areas) into Skill rows; idempotent."

    def handle(self, *args, **options):
        result = load_taxonomy()
        self.stdout.write(
            f"技能领域 {result['areas']} 个：新建 {result['created']}，更新 {result['updated']} "
            f"/ {result['areas']} areas: {result['created']} created, {result['updated']} updated"
        )
