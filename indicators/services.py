"""Writes to indicator sets (see docs/architecture.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Indicator


@transaction.atomic
def indicator_rubric_update(
    *, acting_user, indicator: Indicator, levels: dict[int, str]
) -> Indicator:
    """Replace the five level texts of a rubric indicator."""
    if not indicator.is_rubric:
        raise ValidationError("Hanya indikator rubrik yang memiliki teks level")
    cleaned = {str(level): (levels.get(level) or "").strip() for level in range(1, 6)}
    missing = [level for level, text in cleaned.items() if not text]
    if missing:
        raise ValidationError(f"Teks level {', '.join(missing)} wajib diisi")
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    locked.rubric = cleaned
    locked.save(update_fields=["rubric"])
    return locked


@transaction.atomic
def leader_expectations_save(*, acting_user, texts: dict[int, str]) -> int:
    """A leader's specific expectation per BerAKHLAK value; an empty text removes it."""
    from agencies.access import scope_for

    from .models import BehaviourValue, LeaderExpectation

    scope = scope_for(acting_user)
    if not (scope.employee and scope.is_atasan):
        raise ValidationError("Ekspektasi khusus diisi oleh pimpinan yang memiliki bawahan")
    saved = 0
    for value in BehaviourValue.objects.all():
        text = (texts.get(value.pk) or "").strip()
        if len(text) > 2000:
            raise ValidationError(
                f"Ekspektasi {value.name} terlalu panjang (maksimal 2000 karakter)"
            )
        if text:
            LeaderExpectation.objects.update_or_create(
                leader=scope.employee, value=value, defaults={"text": text}
            )
            saved += 1
        else:
            LeaderExpectation.objects.filter(leader=scope.employee, value=value).delete()
    return saved
