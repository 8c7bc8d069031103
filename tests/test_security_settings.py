"""Sessions end on their own, and production refuses an obviously weak SECRET_KEY.

The attacks: a login left open on a shared office computer stays valid for weeks; a
deployment copies the sample key and anyone who reads it can forge sessions and links.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from asn_portal.settings import secret_key_is_weak

BASE = Path(settings.BASE_DIR)


def test_sessions_end_after_8_hours_of_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # inactivity, not since login
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.ACCOUNT_SESSION_REMEMBER is False


def test_a_login_gives_a_browser_session_cookie(personas, client):
    response = client.post(
        reverse("account_login"),
        {"login": personas.pegawai.nip, "password": "rahasia-uji-123", "remember": "on"},
    )
    assert response.status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # gone when the browser closes
    assert client.session.get_expiry_age() <= 8 * 3600


@pytest.mark.parametrize(
    "key",
    [
        "dev-only-insecure-key-change-me-" + "x" * 20,
        "django-insecure-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "a" * 60,
        "ab" * 30,
        "change-me-please-" + "0123456789abcdefghijklmnopqrstuvwxyzABCD",
        "0123456789abcdefghijklmnopqrstuvwxyz",  # too short
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO" + "z" * 12,
    ],
)
def test_obviously_weak_keys_are_refused(key):
    assert secret_key_is_weak(key)


def test_a_random_key_is_accepted():
    import secrets

    assert not secret_key_is_weak(secrets.token_urlsafe(60))


def test_production_refuses_to_start_with_a_weak_key(tmp_path):
    env = {
        **os.environ,
        "ASN_ENV": "production",
        "SECRET_KEY": "django-insecure-" + "k3y" * 20,
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "CELERY_BROKER_URL": "memory://",
        "CACHE_URL": "locmemcache://",
        "ALLOWED_HOSTS": "kinerja.example.go.id",
        "ASN_DATA_DIR": str(tmp_path),
        "DEBUG": "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True, text=True
    )
    assert completed.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in completed.stderr
