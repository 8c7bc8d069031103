"""Every change to a cycle or an appraisal (see docs/architecture.md).

Each service is keyword-only, runs in one transaction, takes ``acting_user=`` and derives from
it what that person may do (the predicates of ``appraisals.access.AppraisalAccess``, the same
ones the pages ask), writes its audit row in that transaction and recomputes the score when a
score input changed. Transitions follow docs/cycle.md exactly; anything else is refused with
a message that says what to do.

One module per concern, one import surface here:

- ``cycles``: create, open (the appraisals and their plans, in the background), extend a
  deadline, close, reopen;
- ``plans``: the plan copied from the position's indicator set, its edits, submit, return
  and approve;
- ``self_assessment``: realisations, evidence files, submit and return;
- ``scores``: the atasan's levels and feedback, HR calibration, marking scored;
- ``hr``: finalise and release an agency, reopen one appraisal;
- ``background``: the jobs HR starts on a cycle: recompute its scores in batches, finalise
  and release an agency;
- ``verification``: the Verifikator verifies, rejects or corrects a realisation;
- ``team``: a Tim Penilai member's score of the team component.
- ``objections``: the employee's keberatan after release and its one decision;
- ``organisation``: the organisation predikat per agency and cycle, and the distribution check.
"""

from ._base import (
    STALE_MESSAGE,
    Recomputed,
    StaleEdit,
    TransitionRefused,
    appraisal_recompute,
    recompute_appraisals,
)
from .background import (
    agency_finalise_start,
    agency_release_start,
    cycle_jobs,
    cycle_scores_recompute,
    scores_recompute_ids,
)
from .cycles import (
    cycle_close,
    cycle_create,
    cycle_create_appraisals,
    cycle_extend_deadline,
    cycle_open,
    cycle_reopen,
    require_cycle_authority,
)
from .hr import agency_finalise, agency_release, appraisal_reopen, finalise_precheck
from .objections import objection_decide, objection_file
from .organisation import (
    agency_set_organisation_predikat,
    mismatch_message,
    missing_predikat_message,
)
from .plans import (
    appraisal_approve_targets,
    appraisal_return_targets,
    appraisal_submit_targets,
    behaviours_ensure,
    on_time_share,
    on_time_share_refresh,
    plan_create,
    plan_ensure,
    plan_problems,
    plan_update,
    plans_copy,
    supervisor_results,
)
from .reminders import reminders_deliver, reminders_plan, reminders_run, reminders_send_now
from .scores import appraisal_mark_scored, appraisal_save_scores, scoring_problems
from .self_assessment import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    appraisal_return_self_assessment,
    appraisal_save_realisation,
    appraisal_submit_self_assessment,
    empty_realisations,
    evidence_add,
    evidence_delete,
)
from .team import team_score_save
from .verification import realisation_correct, realisation_reject, realisation_verify

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_TYPES",
    "STALE_MESSAGE",
    "Recomputed",
    "StaleEdit",
    "TransitionRefused",
    "agency_finalise",
    "agency_finalise_start",
    "agency_release",
    "agency_release_start",
    "agency_set_organisation_predikat",
    "appraisal_approve_targets",
    "appraisal_mark_scored",
    "appraisal_recompute",
    "appraisal_reopen",
    "appraisal_return_self_assessment",
    "appraisal_return_targets",
    "appraisal_save_realisation",
    "appraisal_save_scores",
    "appraisal_submit_self_assessment",
    "appraisal_submit_targets",
    "behaviours_ensure",
    "cycle_close",
    "cycle_create",
    "cycle_create_appraisals",
    "cycle_extend_deadline",
    "cycle_jobs",
    "cycle_open",
    "cycle_reopen",
    "cycle_scores_recompute",
    "empty_realisations",
    "evidence_add",
    "evidence_delete",
    "finalise_precheck",
    "on_time_share",
    "on_time_share_refresh",
    "mismatch_message",
    "missing_predikat_message",
    "objection_decide",
    "objection_file",
    "plan_create",
    "plan_ensure",
    "plan_problems",
    "plan_update",
    "plans_copy",
    "reminders_deliver",
    "reminders_plan",
    "reminders_run",
    "reminders_send_now",
    "realisation_correct",
    "realisation_reject",
    "realisation_verify",
    "recompute_appraisals",
    "require_cycle_authority",
    "scores_recompute_ids",
    "scoring_problems",
    "supervisor_results",
    "team_score_save",
]
