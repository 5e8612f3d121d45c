from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from jianglian.reports import register_figures

        from . import reading, receivers
        from .reports import matching_campaign_figures

        receivers.connect()
        reading.connect()
        register_figures(matching_campaign_figures)  # the campaign report's pairing figures
