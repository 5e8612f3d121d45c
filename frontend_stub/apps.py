from django.apps import AppConfig


class FrontendStubConfig(AppConfig):
    name = "frontend_stub"

    def ready(self):
        from .links import register_notification_links

        register_notification_links()
