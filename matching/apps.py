from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"

    def ready(self):
        from jianglian.files import register_file_folder
        from jianglian.reports import register_figures

        from . import reading, receivers
        from .models import PairingAgreement
        from .reports import matching_campaign_figures

        receivers.connect()
        reading.connect()
        register_figures(matching_campaign_figures)  # the campaign report's pairing figures
        # Scans whose write was rolled back are swept (jianglian.files): only PairingAgreement rows name them.
        register_file_folder("paper agreements", storage=lambda: PairingAgreement._meta.get_field("paper_scan").storage,
                             folder="pairings/paper", named=lambda: PairingAgreement.objects.exclude(
                                 paper_scan="").values_list("paper_scan", flat=True))
