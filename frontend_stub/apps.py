from django.apps import AppConfig


class FrontendStubConfig(AppConfig):
    name = "frontend_stub"
