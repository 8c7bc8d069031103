from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Organisasi"

    def ready(self) -> None:
        from . import (
            export_specs,  # noqa: F401  (registers the exports)
            signals,  # noqa: F401
        )
        from .importing import specs  # noqa: F401  (registers the file kinds)
