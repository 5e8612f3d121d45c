from django.apps import AppConfig


class JianglianConfig(AppConfig):
    name = "jianglian"
    verbose_name = "匠联 Jianglian"

    def ready(self):
        from .api import anonymous_cache

        anonymous_cache.connect_signals()  # committed writes make cached anonymous API answers old
