from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "alliance"

    def ready(self):
        from jianglian.files import register_file_folder
        from jianglian.reports import register_figures
        from jianglian.rosters.importer import register

        from .models import EventPhoto
        from .reports import SERVICE_DAY_METRICS, alliance_campaign_figures
        from .roster import StudioRoster
        from .services import studios_import

        register(StudioRoster, studios_import)  # the roster pages, REST and the import task find it by name
        register_figures(alliance_campaign_figures, metrics=SERVICE_DAY_METRICS)  # the campaign report's figures
        # Photo files whose write was rolled back are swept (jianglian.files): only EventPhoto rows name them.
        register_file_folder("event photos", storage=lambda: EventPhoto._meta.get_field("image").storage,
                             folder="events", named=lambda: EventPhoto.objects.values_list("image", flat=True))
