from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Laporan dan pekerjaan latar"

    def ready(self) -> None:
        # Job handlers of every app register on import: each app's ``job_handlers`` module,
        # and the service modules that keep their handler next to the service. A worker or
        # the sweep must know every kind's handler and queue, whatever imported what.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("job_handlers")
        from appraisals.services import cycles  # noqa: F401
        from feedback import peers  # noqa: F401
