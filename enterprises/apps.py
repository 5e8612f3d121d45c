from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"

    def ready(self):
        from jianglian.reports import register_figures
        from jianglian.rosters.importer import register

        from .reports import enterprises_campaign_figures
        from .roster import EnterpriseRoster
        from .services import enterprises_import

        register(EnterpriseRoster, enterprises_import)  # the roster pages, REST and the import task find it by name
        register_figures(enterprises_campaign_figures)  # the campaign report's figures of this app
