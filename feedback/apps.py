from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Umpan balik"

    def ready(self) -> None:
        from appraisals.scoring import register_ikm_source

        from .survey_selectors import ikm_input_for, ikm_inputs_for

        register_ikm_source(ikm_input_for, batch=ikm_inputs_for)

        from appraisals.scoring import register_peer_levels
        from asn_portal.waiting import register

        # peers: the job handler and the beat task register on import; the score reads the
        # peers' levels through appraisals.scoring, the home page the forms waiting.
        from . import (
            peer_tasks,  # noqa: F401
            survey_exports,  # noqa: F401  (registers the answers export)
        )
        from .peer_waiting import WORK as PEER_WORK
        from .peers import peer_levels_by_appraisal, peer_levels_for

        register(PEER_WORK)
        register_peer_levels(peer_levels_for, batch=peer_levels_by_appraisal)
