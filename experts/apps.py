from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"

    def ready(self):
        from jianglian.rosters.importer import register

        from .roster import ExpertRoster
        from .services import experts_import

        register(ExpertRoster, experts_import)  # the roster pages, REST and the import task find it by name
