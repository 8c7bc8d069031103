"""Role × view matrix for every URL of the appraisal pages (docs/roles.md, docs/cycle.md).

The object is the pegawai's appraisal in agency A (atasan: kasi; above: kepala, then sekda),
put in the state where each action makes sense. Outside the user's scope it is 404; in scope
but read-only, a change is 403; a view for a role the user does not have is 403; allowed is
200 or a redirect (302), with the service's own refusal, if any, shown as a message.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.models import (
    AgencyCycleSetting,
    Appraisal,
    AuditEntry,
    Cycle,
    Evidence,
    Objection,
    ObjectionFile,
    PlanIndicator,
    State,
)
from reports.models import Job

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    STATE_ORDER,
    advance,
    appraisal_of,
    force_scored,
    fresh,
    indicators_of,
    make_cycle,
    make_indicator_set,
    run_jobs,
    user_of,
)
from .evidence_files import sample

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
    "cycle_recompute":        ("post", "scored",           (403, 403, 403, 403, 302, 302, 403, 404)),
    "cycle_finalise_confirm": ("get", "scored",            (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_release_confirm":  ("get", "finalised",         (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_close_confirm":    ("get", "released",          (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_reopen_confirm":   ("get", "released",          (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_reopen":           ("post", "released",         (403, 403, 403, 403, 302, 302, 403, 404)),
    "objection_create":       ("post", "released",         (302, 403, 403, 403, 403, 403, 404, 404)),
    "objection_queue":        ("get", "objected",          (200, 200, 200, 200, 200, 200, 200, 200)),
    "objection_detail":       ("get", "objected",          (200, 200, 200, 200, 200, 200, 404, 404)),
    "objection_decide":       ("post", "objected",         (403, 403, 302, 403, 403, 403, 404, 404)),
    "objection_file_download": ("get", "objected",         (200, 200, 200, 200, 200, 200, 404, 404)),
    "cycle_objection_list":   ("get", "objected",          (403, 403, 403, 403, 200, 200, 403, 404)),
    "cycle_org_predikat":     ("get", "scored",            (403, 403, 403, 403, 403, 200, 403, 404)),
    "cycle_org_predikat_post": ("post", "scored",          (403, 403, 403, 403, 403, 302, 403, 404)),
    "appraisal_pdf":          ("get", "scored",            (403, 200, 200, 200, 200, 200, 404, 404)),
    "appraisal_pdf_released": ("get", "released",          (200, 200, 200, 200, 200, 200, 404, 404)),
    "agency_recap_pdf":       ("get", "scored",            (403, 403, 403, 403, 200, 200, 403, 404)),
    "agency_documents_zip":   ("post", "scored",           (403, 403, 403, 403, 302, 302, 403, 404)),
}  # fmt: skip

CASES = [
    (view, role, expected)
    for view, (_method, _state, statuses) in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.fixture
def world(personas, time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    draft_cycle = services.cycle_create(
        acting_user=user_of(personas.hr_a), region=personas.region, agencies=[personas.agency_a],
        name="Belum dibuka", scheme_key="jakarta", period_type="annual",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    return personas, cycle, draft_cycle, appraisal_of(cycle, personas.pegawai)


def _prepare(world, state: str):
    """The appraisal in ``state``; from the self-assessment on it has one evidence file.
    ``objected``: released, with the pegawai's open objection and its one file."""
    personas, cycle, draft_cycle, appraisal = world
    if state == "objected":
        appraisal, evidence = _prepare(world, State.RELEASED)
        services.objection_file(
            acting_user=user_of(personas.pegawai), appraisal=appraisal, reasons="Mohon ditinjau",
            uploads=[SimpleUploadedFile("surat.pdf", b"%PDF-1.4 surat")],
        )  # fmt: skip
        return fresh(appraisal), evidence
    evidence = None
    if STATE_ORDER.index(state) >= STATE_ORDER.index(State.TARGETS_APPROVED):
        appraisal = advance(appraisal, State.TARGETS_APPROVED)
        evidence = services.evidence_add(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            indicator_id=indicators_of(appraisal)["I1"].pk,
            upload=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti"),
        )  # fmt: skip
    appraisal = advance(appraisal, state, hr=personas.hr_a)
    if state == State.SCORED:  # the whole agency, so that HR may finalise it
        force_scored(Appraisal.objects.filter(cycle=cycle))
    return fresh(appraisal), evidence


def _request(world, view: str, appraisal, evidence):
    """(url, data) of one view for the prepared appraisal."""
    personas, cycle, draft_cycle, _ = world
    pk = appraisal.pk
    version = {"version": appraisal.version}
    ind = indicators_of(appraisal)
    agency = {"agency": personas.agency_a.pk}

    def transition(action, **data):
        return reverse("appraisal_transition", args=[pk, action]), {**version, **data}

    objection = Objection.objects.filter(appraisal=appraisal).first()
    objection_file = ObjectionFile.objects.filter(objection=objection).first()
    return {
        "objection_create": lambda: (
            reverse("objection_create", args=[pk]),
            {"reasons": "Realisasi belum lengkap dihitung"},
        ),
        "objection_queue": lambda: (reverse("objection_queue"), None),
        "objection_detail": lambda: (reverse("objection_detail", args=[objection.pk]), None),
        "objection_decide": lambda: (
            reverse("objection_detail", args=[objection.pk]),
            {"decision": "reject", "decision_reason": "Sudah sesuai bukti"},
        ),
        "objection_file_download": lambda: (
            reverse("objection_file_download", args=[objection_file.pk]),
            None,
        ),
        "cycle_objection_list": lambda: (reverse("cycle_objection_list", args=[cycle.pk]), None),
        "cycle_org_predikat": lambda: (reverse("cycle_org_predikat", args=[cycle.pk]), None),
        "cycle_org_predikat_post": lambda: (
            reverse("cycle_org_predikat", args=[cycle.pk]),
            {"agency": personas.agency_a.pk, "organisation_predikat": "baik"},
        ),
        "appraisal_pdf": lambda: (reverse("appraisal_pdf", args=[pk]), None),
        "appraisal_pdf_released": lambda: (reverse("appraisal_pdf", args=[pk]), None),
        "agency_recap_pdf": lambda: (
            reverse("agency_recap_pdf", args=[cycle.pk, personas.agency_a.pk]),
            None,
        ),
        "agency_documents_zip": lambda: (
            reverse("agency_documents_zip", args=[cycle.pk, personas.agency_a.pk]),
            {},
        ),
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
        "cycle_recompute": lambda: (reverse("cycle_recompute", args=[cycle.pk]), agency),
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


def _snapshot(world, appraisal):
    personas, cycle, draft_cycle, _ = world
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
        sorted(Objection.objects.values_list("state", flat=True)),
        sorted(AgencyCycleSetting.objects.values_list("organisation_predikat", flat=True)),
    )


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_role_page_matrix(world, client, view, role, expected):
    personas = world[0]
    method, state, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, state)
    url, data = _request(world, view, appraisal, evidence)
    before = _snapshot(world, appraisal)
    client.force_login(personas.user(role))
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected, f"{role} on {view}"
    if expected in (403, 404):
        assert _snapshot(world, appraisal) == before, f"{role} changed something on {view}"


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_anonymous_user_is_sent_to_login(world, client, view):
    method, state, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, state)
    url, data = _request(world, view, appraisal, evidence)
    before = _snapshot(world, appraisal)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _snapshot(world, appraisal) == before


# These answer a GET with their confirmation step (the *_confirm rows above), never acting.
# The decision and the organisation predikat post to the page that shows their form.
CONFIRMED_BY_POST = {
    "cycle_finalise",
    "cycle_release",
    "cycle_close",
    "cycle_reopen",
    "objection_decide",
    "cycle_org_predikat_post",
}
POST_ONLY = sorted(
    view
    for view, (method, _s, _e) in MATRIX.items()
    if method == "post" and view not in CONFIRMED_BY_POST
)


@pytest.mark.parametrize("view", POST_ONLY)
def test_a_change_is_never_made_by_a_get(world, client, view):
    personas = world[0]
    method, state, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, state)
    url, _data = _request(world, view, appraisal, evidence)
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
    ("cycle_recompute", "hr_a"): lambda a: (
        Job.objects.get(kind="scores_recompute").result["stored"] == 9
    ),
    ("submit_self_unconfirmed", "pegawai"): lambda a: a.state == State.TARGETS_APPROVED,
    # Posted without the confirmation step's answer, an irreversible action does nothing.
    ("cycle_finalise_confirm", "hr_a"): lambda a: a.state == State.SCORED,
    ("cycle_release_confirm", "hr_a"): lambda a: a.state == State.FINALISED,
    ("cycle_close_confirm", "hr_a"): lambda a: a.cycle.status == "open",
    ("objection_create", "pegawai"): lambda a: a.objections.get().state == "submitted",
    ("objection_decide", "kepala"): lambda a: a.objections.get().state == "rejected",
    ("cycle_org_predikat_post", "admin_daerah"): lambda a: (
        AgencyCycleSetting.objects.get(cycle=a.cycle, agency=a.agency).organisation_predikat
        == "baik"
    ),
}


@pytest.mark.parametrize(("view", "role"), sorted(EFFECTS))
def test_what_an_allowed_request_does(world, client, view, role):
    personas = world[0]
    method, state, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, state)
    url, data = _request(world, view, appraisal, evidence)
    client.force_login(personas.user(role))
    client.post(url, data)
    run_jobs()  # finalise and release run as background jobs
    appraisal = Appraisal.objects.select_related("cycle").get(pk=appraisal.pk)
    assert EFFECTS[(view, role)](appraisal), f"{role} on {view}"
