from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indikator dan skema"

    def ready(self) -> None:
        from . import importing  # noqa: F401  (registers indicators, attendance, discipline)
