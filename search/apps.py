from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        # Index definitions live next to their models, in <app>/search_indexes.py.
        autodiscover_modules("search_indexes")
        from . import sync

        sync.connect_signals()
