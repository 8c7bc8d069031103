"""The English catalogue is complete, and the language cookie switches the portal to it.

The portal is Indonesian first: source strings are Bahasa Indonesia and English is the
second locale, chosen only with the language cookie (see ``PortalLocaleMiddleware``).
"""

import ast
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def _unquote(line):
    # A .po string is a C-style quoted string; Python's literal syntax reads it the same way
    # for the escapes gettext writes (\" \\ \n \t).
    return ast.literal_eval(line)


def parse_po(path):
    """Entries of a .po file as dicts: ``flags`` (set), ``msgid``, ``msgid_plural``
    (optional) and ``msgstr`` (a list: one string, or one per plural form).

    Obsolete entries (``#~``) are skipped, as gettext does.
    """
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, value = line.split(" ", 1)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
    finish()
    for e in entries:
        e["msgstr"] = [e["msgstr"][i] for i in sorted(e["msgstr"])]
    return entries


def test_english_catalogue_is_complete():
    entries = parse_po(PO_FILE)
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 100  # the whole UI, not a stub

    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    fuzzy = [e["msgid"] or "(header)" for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated entries: {untranslated}"
    assert not fuzzy, f"fuzzy entries: {fuzzy}"

    wrong_plurals = [e["msgid"] for e in messages if "msgid_plural" in e and len(e["msgstr"]) != 2]
    assert not wrong_plurals, f"plural entries need msgstr[0] and msgstr[1]: {wrong_plurals}"


@pytest.fixture
def compiled_catalogue():
    """Compile the catalogue when the .mo is missing or older than the .po (``make install``
    does this; a bare ``pytest`` after ``makemessages`` may not have), and drop Django's
    cached translations so the fresh .mo is the one read."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        if shutil.which("msgfmt") is None:
            pytest.skip("msgfmt not found (apt-get install gettext): cannot compile locale/en")
        from django.core.management import call_command
        from django.utils.translation import trans_real

        call_command("compilemessages", locale=["en"], ignore_patterns=[".*"], verbosity=0)
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = trans_real.Local()


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie(client, compiled_catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en"' in html
    assert "Sign in" in html
    assert "Password" in html
    assert "Kata sandi" not in html


@pytest.mark.django_db
def test_login_page_is_indonesian_without_the_cookie(client, compiled_catalogue):
    # A browser asking for English does not switch the language: only the cookie does.
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="id"' in html
    assert "Masuk" in html
    assert "Kata sandi" in html
    assert "Sign in" not in html
