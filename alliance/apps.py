from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "alliance"

    def ready(self):
        from jianglian.reports import register_figures
        from jianglian.rosters.importer import register

        from .reports import SERVICE_DAY_METRICS, alliance_campaign_figures
        from .roster import StudioRoster
        from .services import studios_import

        register(StudioRoster, studios_import)  # the roster pages, REST and the import task find it by name
        register_figures(alliance_campaign_figures, metrics=SERVICE_DAY_METRICS)  # the campaign report's figures
