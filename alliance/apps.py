from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "alliance"

    def ready(self):
        from jianglian.rosters.importer import register

        from .roster import StudioRoster
        from .services import studios_import

        register(StudioRoster, studios_import)  # the roster pages, REST and the import task find it by name
