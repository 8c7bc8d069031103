from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Umpan balik"

    def ready(self) -> None:
        from appraisals.scoring import register_ikm_source

        from .survey_selectors import ikm_input_for

        register_ikm_source(ikm_input_for)
