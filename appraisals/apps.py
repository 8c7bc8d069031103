from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = "Penilaian kinerja"

    def ready(self) -> None:
        from asn_portal.waiting import register

        from . import services  # noqa: F401  (registers the open_cycle job handler)
        from .waiting import WORK

        register(WORK)
