from django.core.management.base import BaseCommand

from experts.taxonomy.loader import load_taxonomy


class Command(BaseCommand):
    help = ("Load the curated skill taxonomy (chemical and pharmaceutical skill areas) into Skill rows; idempotent. "
            "When the taxonomy changed, every expert's and studio's derived skill areas are re-derived "
            "(the matching.rerank_after_taxonomy_change task, queued after the load commits).")

    def handle(self, *args, **options):
        result = load_taxonomy()
        self.stdout.write(
            f"技能领域 {result['areas']} 个：新建 {result['created']}，更新 {result['updated']} "
            f"/ {result['areas']} areas: {result['created']} created, {result['updated']} updated"
        )
        if result["created"] or result["updated"]:
            self.stdout.write("专家与工作室技能领域已重新推导（或已排队） / derived skill areas refreshed (or queued)")
