"""Peer answers are anonymous by construction (docs/feedback.md#anonymity).

(a) The answer table holds no user, no time and no sequence: nothing to join an answer to
    the peer who gave it, or to the order in which forms were completed.
(b) After answers exist and the summary may be read, no page of the portal (every URL
    pattern, GET, with every object id of the data) nor of the Django admin shows a peer's
    name together with the comment that peer wrote, for HR, the Admin Daerah, a superuser,
    the atasan and the employee.
(c) No export contains a peer's answer.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.contrib import admin
from django.db import connection, models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agencies.resources import RESOURCES
from appraisals.models import Appraisal, Cycle, State
from feedback.models import PeerAnswer, PeerAssignment
from indicators.resources import RESOURCES as INDICATOR_RESOURCES

from .appraisal_fixtures import AFTER_SCORING, advance, draft_appraisal, user_of
from .factories import UserFactory
from .test_peers import answer, approved

pytestmark = pytest.mark.django_db


def comment_of(i: int) -> str:
    return f"ulasan-rahasia-nomor-{i}"


# --- (a) the table -------------------------------------------------------------------------


def test_the_answer_model_has_no_user_time_or_sequence():
    fields = PeerAnswer._meta.get_fields()
    assert isinstance(PeerAnswer._meta.pk, models.UUIDField)
    for field in fields:
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        assert not isinstance(field, models.AutoField | models.BigAutoField)
        related = getattr(field, "related_model", None)
        if related is not None and field.concrete:
            assert related._meta.label not in ("agencies.User", "agencies.Employee"), field.name
    assert {f.name for f in fields if f.concrete} == {
        "id",
        "appraisal",
        "value",
        "level",
        "comment",
    }


def test_the_answer_table_has_no_user_time_or_sequence_column():
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, PeerAnswer._meta.db_table)
    names = {c.name for c in columns}
    assert names == {"id", "appraisal_id", "value_id", "level", "comment"}
    for forbidden in ("user", "peer", "employee", "created", "updated", "at", "time", "order"):
        assert not any(re.search(rf"(^|_){forbidden}(_|$)", n) for n in names), forbidden
    pk = next(c for c in columns if c.name == "id")
    assert "int" not in str(pk.type_code).lower()
    # The completion side records no time either: who answered, never when.
    assignment_fields = {f.name for f in PeerAssignment._meta.concrete_fields}
    assert not any(
        isinstance(PeerAssignment._meta.get_field(n), models.DateField) for n in assignment_fields
    )


# --- (b) every page ------------------------------------------------------------------------


@pytest.fixture
def answered(personas, time_machine):
    """Three peers answered with a distinctive comment each; then the deadline passed and the
    result was released, so every summary that may ever be shown is shown."""
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    approved(appraisal, personas.peers)
    for i, peer in enumerate(personas.peers):
        answer(appraisal, peer, 3 + i, comment_of(i))
    advance(appraisal, State.SCORED)
    time_machine.move_to(AFTER_SCORING)
    from feedback.peers import peers_count_due

    peers_count_due()
    advance(appraisal, State.RELEASED, hr=personas.hr_a)
    return appraisal


def _routes() -> list[tuple[str, list[str]]]:
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue  # the admin is walked through its own registry below
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "(?P" in route or route.startswith(("akun/", "i18n/", "jsi18n/")):
                    continue
                found.append((route, re.findall(r"<(?:(\w+):)?(\w+)>", route)))

    walk(get_resolver().url_patterns, "")
    return found


SLUGS = ("employees", "units", "agencies", "positions", "indicators", "attendance",
         "discipline", "approve", "x")  # fmt: skip


def _paths(ids: list[int]) -> list[str]:
    paths = []
    for route, params in _routes():
        if not params:
            paths.append("/" + route)
            continue
        if len(params) > 1:
            values = [ids] + [[1]] * (len(params) - 1)
        else:
            values = [ids if params[0][0] in ("int", "") else list(SLUGS)]
        for value in values[0]:
            path = route
            for (_conv, _name), options in zip(params, values, strict=True):
                chosen = value if options is values[0] else options[0]
                path = re.sub(r"<(?:\w+:)?\w+>", str(chosen), path, count=1)
            paths.append("/" + path)
    return paths


def _admin_paths() -> list[str]:
    paths = [reverse("admin:index")]
    for model, _model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model.objects.values_list("pk", flat=True)[:30]:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
    return paths


def test_no_page_shows_a_peers_name_with_their_comment(personas, answered, client):
    assert PeerAnswer.objects.filter(comment=comment_of(0)).exists()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    # Every id of the objects a page is about (on PostgreSQL ids do not restart per test, so
    # the ids that exist, not a range up to the largest).
    ids = sorted(
        {
            pk
            for m in (Appraisal, Cycle, PeerAssignment, personas.pegawai.__class__)
            for pk in m.objects.values_list("pk", flat=True)
        }
    )
    paths = _paths(ids)
    seen_summary = False
    for who in (personas.hr_a, personas.admin_daerah, root, personas.kasi, personas.pegawai):
        client.force_login(user_of(who))
        for path in [*paths, *_admin_paths()]:
            response = client.get(path)
            if response.status_code != 200 or response.get("Content-Type", "").startswith(
                "application/vnd"
            ):
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            page = body.decode(errors="ignore")
            for i, peer in enumerate(personas.peers):
                assert not (peer.name in page and comment_of(i) in page), (who, path)
            seen_summary |= comment_of(0) in page
    assert seen_summary, "the walk never reached the summary: the test would prove nothing"


# --- (c) exports ---------------------------------------------------------------------------


def test_no_export_contains_a_peer_answer(personas, answered, client):
    checked = 0
    for who in (personas.hr_a, personas.admin_daerah):
        client.force_login(user_of(who))
        for kind in [*RESOURCES, *INDICATOR_RESOURCES]:
            response = client.get(reverse("export", args=[kind]))
            if response.status_code != 200:
                continue
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            text = " ".join(
                str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                for cell in row if cell is not None
            )  # fmt: skip
            for i in range(3):
                assert comment_of(i) not in text, (who, kind)
            checked += 1
    assert checked >= 2 * len(RESOURCES)
