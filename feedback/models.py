"""Feedback: peers (anonymous feedback feeding the behaviour scores) and the citizens' survey
(Survei Kepuasan Masyarakat). See docs/feedback.md and docs/survey.md.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.ikm import ELEMENTS

# --- survey: Survei Kepuasan Masyarakat (PermenPANRB 14/2017) ------------------------------


def new_survey_token() -> str:
    """The unguessable part of a unit's public survey link (128 bits)."""
    return secrets.token_urlsafe(16)


class SurveyUnit(models.Model):
    """A unit's survey settings: whether it serves the public, and its link's token.

    Kept beside the unit rather than on it, so the survey stays one app's concern; a unit
    without a row does not serve the public. The token never changes when the flag does,
    so a printed poster stays valid.
    """

    unit = models.OneToOneField(
        "agencies.Unit", on_delete=models.CASCADE, related_name="survey", verbose_name=_("unit")
    )
    melayani_publik = models.BooleanField(_("melayani publik"), default=False)
    token = models.CharField(max_length=32, unique=True, default=new_survey_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survei unit layanan")
        verbose_name_plural = _("survei unit layanan")

    def __str__(self) -> str:
        return str(self.unit_id)


class Gender(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    U_BELOW_20 = "<20", _("Di bawah 20 tahun")
    U_20 = "20-29", _("20 sampai 29 tahun")
    U_30 = "30-39", _("30 sampai 39 tahun")
    U_40 = "40-49", _("40 sampai 49 tahun")
    U_50 = "50-59", _("50 sampai 59 tahun")
    U_60 = "60+", _("60 tahun ke atas")


class Education(models.TextChoices):
    SD = "SD", _("SD ke bawah")
    SMP = "SMP", _("SMP")
    SMA = "SMA", _("SMA/SMK")
    DIPLOMA = "D1-D4", _("D1, D2, D3 atau D4")
    S1 = "S1", _("S1")
    S2 = "S2+", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "PNS", _("PNS/ASN")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("POLRI")
    SWASTA = "SWASTA", _("Pegawai swasta")
    WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
    PELAJAR = "PELAJAR", _("Pelajar/Mahasiswa")
    LAINNYA = "LAINNYA", _("Lainnya")


ANSWER_FIELDS = tuple(element.key for element in ELEMENTS)
COMMENT_MAX_LENGTH = 1000


class SurveyResponse(models.Model):
    """One citizen's answers. No user, no address: nothing that identifies the respondent.

    `submitted_on` is the date in the unit's region, what periods and days count by.
    """

    unit = models.ForeignKey("agencies.Unit", on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField()
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(_("saran dan masukan"), blank=True, max_length=COMMENT_MAX_LENGTH)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender, blank=True)
    age_band = models.CharField(_("usia"), max_length=5, choices=AgeBand, blank=True)
    education = models.CharField(_("pendidikan"), max_length=5, choices=Education, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation, blank=True)

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["unit", "submitted_on"], name="survey_unit_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{key}__gte": 1, f"{key}__lte": 4}), name=f"survey_{key}_1_to_4"
            )
            for key in ANSWER_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, key) for key in ANSWER_FIELDS)


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
