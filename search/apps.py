from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from jianglian import health

from . import sync
from .health import check_search
from .signals import taxonomy_changed
from .text import taxonomy_changed_receiver


class SearchConfig(AppConfig):
    name = "search"

    def ready(self):
        # Index definitions and dictionary words live next to their models, in <app>/search_indexes.py.
        autodiscover_modules("search_indexes")
        sync.connect_signals()
        taxonomy_changed.connect(taxonomy_changed_receiver, dispatch_uid="search.taxonomy_changed")
        health.register("search", check_search)
