from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"

    def ready(self):
        from jianglian.rosters.importer import register

        from .roster import EnterpriseRoster
        from .services import enterprises_import

        register(EnterpriseRoster, enterprises_import)  # the roster pages, REST and the import task find it by name
