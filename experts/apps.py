from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"

    def ready(self):
        # Modules that import the models: only once the app registry is ready.
        from jianglian.rosters.importer import register

        from . import receivers
        from .roster import ExpertRoster
        from .services import experts_import

        register(ExpertRoster, experts_import)  # the roster pages, REST and the import task find it by name
        receivers.connect()
