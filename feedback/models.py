"""Feedback: peers (anonymous feedback feeding the behaviour scores) and the citizens' survey.

See docs/feedback.md.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- peers -----------------------------------------------------------------------------------
#
# Who answered (PeerAssignment: a peer, an appraisal, draft or submitted) is stored apart from
# what was answered (PeerAnswer: an appraisal, a value, a level, a comment). An answer row has
# no user, no timestamp and a random key, and nothing that records when a form was submitted
# exists, so an answer cannot be joined back to the peer who gave it.


class NominationState(models.TextChoices):
    DRAFT = "draft", _("Draf usulan")
    SUBMITTED = "submitted", _("Diajukan ke atasan")
    APPROVED = "approved", _("Disetujui")


class PeerNomination(models.Model):
    """The list of peers of one appraisal: proposed by the employee, approved by the atasan
    (or assigned by HR). The peers themselves are the appraisal's PeerAssignment rows."""

    appraisal = models.OneToOneField(
        "appraisals.Appraisal", on_delete=models.CASCADE, related_name="peer_nomination"
    )
    state = models.CharField(
        max_length=10, choices=NominationState.choices, default=NominationState.DRAFT
    )
    # Set when the answers were counted into the score after the peer deadline: the beat
    # task's idempotence flag (a form sent later recomputes its appraisal itself).
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("usulan rekan kerja")

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.state}"

    @property
    def is_approved(self) -> bool:
        return self.state == NominationState.APPROVED


class AssignmentState(models.TextChoices):
    DRAFT = "draft", _("Belum dikirim")
    SUBMITTED = "submitted", _("Sudah dikirim")


class PeerAssignment(models.Model):
    """One peer asked to give feedback on one appraisal: completion only, never the answers
    once submitted. ``draft`` holds the peer's unsent levels and comments
    ({value code: {"level": n, "comment": ""}}) and is cleared by the submission."""

    appraisal = models.ForeignKey(
        "appraisals.Appraisal", on_delete=models.CASCADE, related_name="peer_assignments"
    )
    peer = models.ForeignKey(
        "agencies.Employee", on_delete=models.PROTECT, related_name="peer_assignments"
    )
    state = models.CharField(
        max_length=10, choices=AssignmentState.choices, default=AssignmentState.DRAFT
    )
    draft = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("penugasan rekan kerja")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "peer"], name="one_form_per_peer"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(draft={}), name="submitted_form_keeps_no_draft"
            ),
        ]
        indexes = [models.Index(fields=["peer", "state"])]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.state}"

    @property
    def is_submitted(self) -> bool:
        return self.state == AssignmentState.SUBMITTED


class PeerAnswer(models.Model):
    """One peer's level (and comment) for one BerAKHLAK value of one appraisal, anonymous:
    a random key, no user, no time, no order column."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(
        "appraisals.Appraisal", on_delete=models.CASCADE, related_name="peer_answers"
    )
    value = models.ForeignKey(
        "indicators.BehaviourValue", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("jawaban rekan kerja")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="peer_level_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} {self.value_id}"
