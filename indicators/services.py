"""Writes to indicator sets (STYLE.md convention 3)."""

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
