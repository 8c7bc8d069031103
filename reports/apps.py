from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Laporan dan pekerjaan latar"

    def ready(self) -> None:
        # Job handlers of every app register on import.
        from agencies import job_handlers  # noqa: F401
