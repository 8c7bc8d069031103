"""Role × view matrix for every URL of the appraisal pages (docs/roles.md, docs/cycle.md).

The object is the pegawai's appraisal in agency A (atasan: kasi; above: kepala, then sekda),
put in the state where each action makes sense. Outside the user's scope it is 404; in scope
but read-only, a change is 403; a view for a role the user does not have is 403; allowed is
200 or a redirect (302), with the service's own refusal, if any, shown as a message.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine as time_travel
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, AuditEntry, Cycle, Evidence, PlanIndicator, State

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    STATE_ORDER,
    advance,
    force_scored,
    fresh,
    indicators_of,
    user_of,
)
from .evidence_files import sample
from .personas import load_personas
from .shared_data import layer, layer_value, media_copy

CONFIRMED = {"confirmed": "1"}
ROLES = ("pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah", "outsider", "hr_b")

# view: (method, state of the pegawai's appraisal, expected status per role in ROLES order)
MATRIX = {
    #                                                 pegawai kasi kepala sekda hr_a adm_d outsider hr_b
    "my_appraisals":          ("get", "draft",             (200, 200, 200, 200, 200, 200, 200, 200)),
    "appraisal_detail":       ("get", "draft",             (200, 200, 200, 200, 200, 200, 404, 404)),
    "plan_save":              ("post", "draft",            (302, 403, 403, 403, 403, 403, 404, 404)),
    "plan_create":            ("post", "draft",            (302, 403, 403, 403, 302, 302, 404, 404)),
    "scores_save":            ("post", "self_assessed",    (403, 302, 403, 403, 403, 403, 404, 404)),
    "scores_calibrate":       ("post", "scored",           (403, 302, 403, 403, 302, 302, 404, 404)),
    "submit_targets":         ("post", "draft",            (302, 403, 403, 403, 403, 403, 404, 404)),
    "return_targets":         ("post", "targets_submitted", (403, 302, 403, 403, 403, 403, 404, 404)),
    "approve_targets":        ("post", "targets_submitted", (403, 302, 403, 403, 302, 302, 404, 404)),
    "submit_self":            ("post", "targets_approved", (302, 302, 403, 403, 302, 302, 404, 404)),
    "submit_self_unconfirmed": ("post", "targets_approved", (200, 302, 403, 403, 302, 302, 404, 404)),
    "return_self":            ("post", "self_assessed",    (403, 302, 403, 403, 403, 403, 404, 404)),
    "mark_scored":            ("post", "self_assessed",    (403, 302, 403, 403, 403, 403, 404, 404)),
    "reopen":                 ("post", "finalised",        (403, 403, 403, 403, 302, 302, 404, 404)),
    "unknown_action":         ("post", "draft",            (404, 404, 404, 404, 404, 404, 404, 404)),
    "realisation_save":       ("post", "targets_approved", (302, 403, 403, 403, 403, 403, 404, 404)),
    "evidence_upload":        ("post", "targets_approved", (302, 403, 403, 403, 403, 403, 404, 404)),
    "evidence_download":      ("get", "targets_approved",  (200, 200, 200, 200, 200, 200, 404, 404)),
    "evidence_download_late": ("get", "released",          (200, 200, 200, 200, 200, 200, 404, 404)),
    "evidence_remove":        ("post", "targets_approved", (302, 403, 403, 403, 403, 403, 404, 404)),
    "team":                   ("get", "targets_submitted", (200, 200, 200, 200, 200, 403, 200, 200)),
    "team_bulk_approve":      ("post", "targets_submitted", (302, 302, 302, 302, 302, 302, 302, 302)),
    "cycle_list":             ("get", "draft",             (403, 403, 403, 403, 200, 200, 403, 200)),
    "cycle_create":           ("get", "draft",             (403, 403, 403, 403, 200, 200, 403, 200)),
    "cycle_detail":           ("get", "draft",             (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_open":             ("post", "draft",            (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_extend":           ("post", "draft",            (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_extend_invalid":   ("post", "draft",            (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_finalise":         ("post", "scored",           (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_release":          ("post", "finalised",        (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_close":            ("post", "released",         (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_finalise_confirm": ("get", "scored",            (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_release_confirm":  ("get", "finalised",         (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_close_confirm":    ("get", "released",          (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_reopen_confirm":   ("get", "released",          (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_reopen":           ("post", "released",         (403, 403, 403, 403, 302, 302, 403, 404)),
}  # fmt: skip

# The rows each view is tried on are built once per state (tests/shared_data.py): the
# ``planning`` world plus a cycle not opened yet, then the pegawai's appraisal in the state.


@layer("access_matrix", on="planning")
def _cycle_not_opened(built) -> int:
    personas = load_personas(built["personas"])
    with time_travel.travel(BEFORE_PLANNING, tick=False):
        return services.cycle_create(
            acting_user=user_of(personas.hr_a), region=personas.region,
            agencies=[personas.agency_a], name="Belum dibuka", scheme_key="jakarta",
            period_type="annual", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
            deadlines=DEADLINES,
        ).pk  # fmt: skip


def _in_state(state: str):
    def build(built) -> int | None:
        """The appraisal in ``state``; from the self-assessment on it has one evidence file
        (its primary key is the layer's value)."""
        personas = load_personas(built["personas"])
        appraisal = Appraisal.objects.get(pk=built["planning"]["appraisal"])
        evidence = None
        with time_travel.travel(BEFORE_PLANNING, tick=False):
            if STATE_ORDER.index(state) >= STATE_ORDER.index(State.TARGETS_APPROVED):
                appraisal = advance(appraisal, State.TARGETS_APPROVED)
                evidence = services.evidence_add(
                    acting_user=user_of(personas.pegawai), appraisal=appraisal,
                    indicator_id=indicators_of(appraisal)["I1"].pk,
                    upload=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti"),
                ).pk  # fmt: skip
            advance(appraisal, state, hr=personas.hr_a)
            if state == State.SCORED:  # the whole agency, so that HR may finalise it
                force_scored(Appraisal.objects.filter(cycle=appraisal.cycle))
        return evidence

    return build


STATE_LAYERS = {}
for _state in sorted({state for _method, state, _statuses in MATRIX.values()}):
    STATE_LAYERS[_state] = f"access_matrix_{_state}"
    layer(STATE_LAYERS[_state], on="access_matrix")(_in_state(_state))


def case(view, *values):
    """A parameter set of ``view``: its test stands on the layer of the view's state."""
    return pytest.param(view, *values, marks=pytest.mark.shared_data(STATE_LAYERS[MATRIX[view][1]]))


CASES = [
    case(view, role, expected)
    for view, (_method, _state, statuses) in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.fixture
def world(request, planning, settings, tmp_path):
    """(personas, cycle, cycle not opened, the pegawai's appraisal in the state of the test's
    view, its evidence or None); the test has its own copy of the evidence files."""
    name = request.node.get_closest_marker("shared_data").args[0]
    evidence_pk = layer_value(request, name)
    draft_cycle = Cycle.objects.get(pk=layer_value(request, "access_matrix"))
    media_copy(request, settings, tmp_path)
    evidence = Evidence.objects.get(pk=evidence_pk) if evidence_pk else None
    personas, cycle, appraisal = planning
    return personas, cycle, draft_cycle, appraisal, evidence


def _request(world, view: str):
    """(url, data) of one view for the prepared appraisal."""
    personas, cycle, draft_cycle, appraisal, evidence = world
    pk = appraisal.pk
    version = {"version": appraisal.version}
    ind = indicators_of(appraisal)
    agency = {"agency": personas.agency_a.pk}

    def transition(action, **data):
        return reverse("appraisal_transition", args=[pk, action]), {**version, **data}

    return {
        "my_appraisals": lambda: (reverse("my_appraisals"), None),
        "appraisal_detail": lambda: (reverse("appraisal_detail", args=[pk]), None),
        "plan_create": lambda: (reverse("plan_create", args=[pk]), {}),
        "plan_save": lambda: (
            reverse("plan_save", args=[pk]),
            {**version, f"target_{ind['I1'].pk}": "110"},
        ),  # fmt: skip
        "scores_save": lambda: (
            reverse("scores_save", args=[pk]),
            {**version, f"level_{ind['I2'].pk}": "5"},
        ),  # fmt: skip
        "scores_calibrate": lambda: (
            reverse("scores_save", args=[pk]),
            {**version, f"level_{ind['I2'].pk}": "5", "reason": "Kalibrasi"},
        ),
        "submit_targets": lambda: transition("submit_targets"),
        "return_targets": lambda: transition("return_targets", comment="Perbaiki target"),
        "approve_targets": lambda: transition("approve_targets"),
        "submit_self": lambda: transition("submit_self", **CONFIRMED),
        "submit_self_unconfirmed": lambda: transition("submit_self"),
        "return_self": lambda: transition("return_self", comment="Lengkapi bukti"),
        "mark_scored": lambda: transition("mark_scored"),
        "reopen": lambda: transition("reopen", reason="Salah input"),
        "unknown_action": lambda: transition("hapus_semua"),
        "realisation_save": lambda: (
            reverse("realisation_save", args=[pk, ind["I1"].pk]),
            {**version, "realisation": "90"},
        ),
        "evidence_upload": lambda: (
            reverse("evidence_upload", args=[pk, ind["I1"].pk]),
            {"file": SimpleUploadedFile("foto.png", sample("foto.png"))},
        ),
        "evidence_download": lambda: (reverse("evidence_download", args=[evidence.pk]), None),
        "evidence_download_late": lambda: (
            reverse("evidence_download", args=[evidence.pk]),
            None,
        ),  # fmt: skip
        "evidence_remove": lambda: (reverse("evidence_remove", args=[evidence.pk]), {}),
        "team": lambda: (reverse("team"), None),
        "team_bulk_approve": lambda: (reverse("team_bulk_approve"), {"appraisal": [pk]}),
        "cycle_list": lambda: (reverse("cycle_list"), None),
        "cycle_create": lambda: (reverse("cycle_create"), None),
        "cycle_detail": lambda: (reverse("cycle_detail", args=[cycle.pk]), None),
        "cycle_open": lambda: (reverse("cycle_open", args=[draft_cycle.pk]), {}),
        "cycle_extend": lambda: (
            reverse("cycle_extend", args=[cycle.pk]),
            {"phase": "planning", "new_date": "2026-03-01", "reason": "Libur panjang"},
        ),
        "cycle_extend_invalid": lambda: (reverse("cycle_extend", args=[cycle.pk]), {}),
        "cycle_finalise": lambda: (
            reverse("cycle_finalise", args=[cycle.pk]),
            {**agency, **CONFIRMED},
        ),
        "cycle_release": lambda: (
            reverse("cycle_release", args=[cycle.pk]),
            {**agency, **CONFIRMED},
        ),
        "cycle_close": lambda: (reverse("cycle_close", args=[cycle.pk]), CONFIRMED),
        "cycle_finalise_confirm": lambda: (
            reverse("cycle_finalise", args=[cycle.pk]) + f"?agency={agency['agency']}",
            None,
        ),
        "cycle_release_confirm": lambda: (
            reverse("cycle_release", args=[cycle.pk]) + f"?agency={agency['agency']}",
            None,
        ),
        "cycle_close_confirm": lambda: (reverse("cycle_close", args=[cycle.pk]), None),
        "cycle_reopen_confirm": lambda: (reverse("cycle_reopen", args=[cycle.pk]), None),
        "cycle_reopen": lambda: (
            reverse("cycle_reopen", args=[cycle.pk]),
            {**CONFIRMED, "reason": "Koreksi data"},
        ),
    }[view]()


def _snapshot(world):
    personas, cycle, draft_cycle, appraisal, _ = world
    cycle.refresh_from_db()
    draft_cycle.refresh_from_db()
    return (
        fresh(appraisal).version,
        fresh(appraisal).state,
        AuditEntry.objects.count(),
        Evidence.objects.count(),
        cycle.status,
        draft_cycle.status,
        cycle.planning_deadline,
        sorted(Appraisal.objects.filter(cycle=cycle).values_list("state", flat=True)),
    )


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_role_page_matrix(world, client, view, role, expected):
    personas = world[0]
    method = MATRIX[view][0]
    url, data = _request(world, view)
    before = _snapshot(world)
    client.force_login(personas.user(role))
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected, f"{role} on {view}"
    if expected in (403, 404):
        assert _snapshot(world) == before, f"{role} changed something on {view}"


@pytest.mark.parametrize("view", [case(view) for view in sorted(MATRIX)])
def test_anonymous_user_is_sent_to_login(world, client, view):
    method = MATRIX[view][0]
    url, data = _request(world, view)
    before = _snapshot(world)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _snapshot(world) == before


# These answer a GET with their confirmation step (the *_confirm rows above), never acting.
CONFIRMED_BY_POST = {"cycle_finalise", "cycle_release", "cycle_close", "cycle_reopen"}
POST_ONLY = sorted(
    view
    for view, (method, _s, _e) in MATRIX.items()
    if method == "post" and view not in CONFIRMED_BY_POST
)


@pytest.mark.parametrize("view", [case(view) for view in POST_ONLY])
def test_a_change_is_never_made_by_a_get(world, client, view):
    personas = world[0]
    url, _data = _request(world, view)
    client.force_login(personas.hr_a.user)
    assert client.get(url).status_code == 405


# What each allowed persona's request really did (the matrix above checks only the status).
EFFECTS = {
    ("plan_save", "pegawai"): lambda a: indicators_of(a)["I1"].target == 110,
    # The plan was copied when the cycle opened: asking again copies nothing twice.
    ("plan_create", "pegawai"): lambda a: (
        PlanIndicator.objects.filter(result__appraisal=a).count() == 3
    ),
    ("plan_create", "hr_a"): lambda a: (
        PlanIndicator.objects.filter(result__appraisal=a).count() == 3
    ),
    ("scores_save", "kasi"): lambda a: indicators_of(a)["I2"].level == 5,
    ("scores_calibrate", "hr_a"): lambda a: indicators_of(a)["I2"].level == 5,
    ("scores_calibrate", "admin_daerah"): lambda a: indicators_of(a)["I2"].level == 5,
    ("scores_calibrate", "kasi"): lambda a: indicators_of(a)["I2"].level == 5,
    ("submit_targets", "pegawai"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("return_targets", "kasi"): lambda a: a.state == State.DRAFT,
    ("approve_targets", "kasi"): lambda a: a.state == State.TARGETS_APPROVED,
    # Before the planning deadline HR may not approve: refused with a message, nothing moves.
    ("approve_targets", "hr_a"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("submit_self", "pegawai"): lambda a: a.state == State.SELF_ASSESSED,
    ("submit_self", "kasi"): lambda a: a.state == State.TARGETS_APPROVED,
    ("return_self", "kasi"): lambda a: a.state == State.TARGETS_APPROVED,
    ("mark_scored", "kasi"): lambda a: a.state == State.SELF_ASSESSED,  # levels missing
    ("reopen", "hr_a"): lambda a: a.state == State.SCORED,
    ("reopen", "admin_daerah"): lambda a: a.state == State.SCORED,
    ("realisation_save", "pegawai"): lambda a: indicators_of(a)["I1"].realisation == 90,
    ("evidence_upload", "pegawai"): lambda a: Evidence.objects.count() == 2,
    ("evidence_remove", "pegawai"): lambda a: not Evidence.objects.exists(),
    ("team_bulk_approve", "kasi"): lambda a: a.state == State.TARGETS_APPROVED,
    ("team_bulk_approve", "pegawai"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("team_bulk_approve", "kepala"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("team_bulk_approve", "outsider"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("team_bulk_approve", "hr_b"): lambda a: a.state == State.TARGETS_SUBMITTED,
    ("cycle_open", "hr_a"): lambda a: Cycle.objects.filter(status="opening").exists(),
    ("cycle_extend", "admin_daerah"): lambda a: a.cycle.planning_deadline == dt.date(2026, 3, 1),
    ("cycle_extend_invalid", "hr_a"): lambda a: a.cycle.planning_deadline == dt.date(2026, 2, 15),
    ("cycle_finalise", "hr_a"): lambda a: a.state == State.FINALISED,
    ("cycle_release", "admin_daerah"): lambda a: a.state == State.RELEASED,
    ("cycle_close", "hr_a"): lambda a: a.cycle.status == "closed",
    ("submit_self_unconfirmed", "pegawai"): lambda a: a.state == State.TARGETS_APPROVED,
    # Posted without the confirmation step's answer, an irreversible action does nothing.
    ("cycle_finalise_confirm", "hr_a"): lambda a: a.state == State.SCORED,
    ("cycle_release_confirm", "hr_a"): lambda a: a.state == State.FINALISED,
    ("cycle_close_confirm", "hr_a"): lambda a: a.cycle.status == "open",
}


@pytest.mark.parametrize(("view", "role"), [case(*key) for key in sorted(EFFECTS)])
def test_what_an_allowed_request_does(world, client, view, role):
    personas, appraisal = world[0], world[3]
    url, data = _request(world, view)
    client.force_login(personas.user(role))
    client.post(url, data)
    appraisal = Appraisal.objects.select_related("cycle").get(pk=appraisal.pk)
    assert EFFECTS[(view, role)](appraisal), f"{role} on {view}"
