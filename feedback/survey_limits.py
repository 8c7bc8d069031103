"""The survey's limits against ballot stuffing, without storing who answered.

- One response per unit per browser per day: a signed cookie holding the day's date.
- At most `SURVEY_MAX_PER_ADDRESS_PER_HOUR` responses per client address per unit and clock
  hour: a cache counter keyed by a keyed hash (HMAC with the secret key) of the address, so
  neither the database nor the cache holds an address. The address is the one allauth's
  login limits use, which honours `TRUSTED_PROXY_COUNT` behind the proxy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

COOKIE_SALT = "feedback.survey"


def cookie_name(survey_unit_pk: int) -> str:
    return f"skm{survey_unit_pk}"


def answered_today(request, survey_unit_pk: int, today: dt.date) -> bool:
    value = request.get_signed_cookie(cookie_name(survey_unit_pk), default=None, salt=COOKIE_SALT)
    return value == today.isoformat()


def remember_answer(response, survey_unit_pk: int, today: dt.date) -> None:
    response.set_signed_cookie(
        cookie_name(survey_unit_pk),
        today.isoformat(),
        salt=COOKIE_SALT,
        max_age=2 * 24 * 3600,  # the value, not the age, decides: it holds for its day only
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _address_key(request, unit_pk: int, now: dt.datetime) -> str:
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey-address:{address}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"survey:addr:{digest}:{unit_pk}:{now:%Y%m%d%H}"


def address_over_limit(request, unit_pk: int, now: dt.datetime) -> bool:
    return (
        cache.get(_address_key(request, unit_pk, now), 0)
        >= settings.SURVEY_MAX_PER_ADDRESS_PER_HOUR
    )


def count_address(request, unit_pk: int, now: dt.datetime) -> None:
    key = _address_key(request, unit_pk, now)
    if cache.add(key, 1, timeout=3600 + 60):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600 + 60)
