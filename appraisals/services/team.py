"""The Tim Penilai's scores of the team component (schemes with a `Source.TIM` component,
`kotalama`): one level with a comment per member; the component's value is the mean of the
members who scored (see docs/cycle.md)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies.models import User

from ..models import Appraisal, TeamScore
from ._base import TransitionRefused, _audit, _level, _lock, _recompute, access_for

OWN_APPRAISAL = "Tidak seorang pun menilai penilaiannya sendiri"


@transaction.atomic
def team_score_save(
    *, acting_user: User, appraisal: Appraisal, level: int, comment: str = ""
) -> TeamScore:
    """A member's level (1 to 5) and comment; saved again, it replaces the member's own."""
    appraisal = Appraisal.objects.with_related().get(pk=appraisal.pk)  # its state now
    access = access_for(acting_user, appraisal)
    if access.is_owner:
        raise PermissionDenied(OWN_APPRAISAL)
    if not access.is_team_member:
        raise PermissionDenied(
            "Hanya anggota Tim Penilai Perangkat Daerah ini yang memberi nilai tim"
        )
    if not access.can_team_score:
        raise TransitionRefused(
            "Tim Penilai memberi nilai setelah penilaian diri dikirim dan sebelum penilaian final."
        )
    checked = _level(level, "level")
    assert checked is not None  # allow_none is off: _level refuses a missing level
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Tuliskan komentar yang menjelaskan level ini"})
    appraisal = _lock(appraisal, None)
    score = TeamScore.objects.filter(appraisal=appraisal, member=acting_user).first()
    before = {"level": score.level, "komentar": score.comment} if score else {}
    if score is None:
        score = TeamScore(appraisal=appraisal, member=acting_user)
    score.level, score.comment = checked, comment
    score.save()
    after = {"level": checked, "komentar": comment}
    if before != after:
        _audit(
            appraisal, actor=acting_user, action="team_score",
            summary="Nilai Tim Penilai disimpan", before=before, after=after, sensitive=True,
        )  # fmt: skip
        _recompute(appraisal, actor=acting_user, action="team_score")
    return score
