from django.core.management.base import BaseCommand

from experts.taxonomy.loader import load_taxonomy


class Command(BaseCommand):
    help = ("Merge the shipped skill taxonomy (chemical and pharmaceutical skill areas) into Skill rows; idempotent. "
            "New areas and words arrive; what the secretariat curated (fields it set, words it added or removed) "
            "stays. "
            "When the taxonomy changed, every expert's and studio's derived skill areas are re-derived "
            "(the matching.rerank_after_taxonomy_change task, queued after the load commits).")

    def handle(self, *args, **options):
        result = load_taxonomy()
        self.stdout.write(
            f"技能领域 {result['areas']} 个：新建 {result['created']}，更新 {result['updated']}，新增词 {result['words_added']} "
            f"/ {result['areas']} areas: {result['created']} created, {result['updated']} updated, "
            f"{result['words_added']} words added"
        )
        if result["created"] or result["updated"]:
            self.stdout.write("专家与工作室技能领域已重新推导（或已排队） / derived skill areas refreshed (or queued)")
