"""Role × view matrix of the Verifikator's and the Tim Penilai's pages (docs/roles.md), in
the style of test_appraisal_access_matrix: the pegawai's appraisal in agency A, in a
`rakumpit` cycle (verification) or a `kotalama` cycle (team scores). Outside the user's scope
it is 404; in scope but not theirs to change, 403; a page for a role the user does not have,
403; allowed, 200 or a redirect."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, PlanIndicator, State, TeamScore

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    fresh,
    indicators_of,
    make_cycle,
    make_indicator_set,
    user_of,
)
from .evidence_files import sample

ROLES = ("pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah", "outsider", "hr_b",
         "verif_a", "team_a")  # fmt: skip

# view: (method, scheme, expected status per role in ROLES order)
MATRIX = {
    #                                            peg  kasi kep  sekda hr_a adm  out  hr_b verif team
    "verification":         ("get", "rakumpit", (403, 403, 403, 403, 403, 403, 403, 403, 200, 403)),
    "verification_filtered": ("get", "rakumpit", (403, 403, 403, 403, 403, 403, 403, 403, 200, 403)),
    "verification_decide":  ("post", "rakumpit", (403, 403, 403, 403, 403, 403, 404, 404, 302, 404)),
    "verification_reject":  ("post", "rakumpit", (403, 403, 403, 403, 403, 403, 404, 404, 302, 404)),
    "verification_correct": ("post", "rakumpit", (403, 403, 403, 403, 403, 403, 404, 404, 302, 404)),
    "verification_bulk":    ("post", "rakumpit", (403, 403, 403, 403, 403, 403, 403, 403, 302, 403)),
    "evidence_view":        ("get", "rakumpit", (200, 200, 200, 200, 200, 200, 404, 404, 200, 404)),
    "realisation_resubmit": ("post", "rakumpit", (302, 403, 403, 403, 403, 403, 404, 404, 403, 404)),
    "team_scores":          ("get", "kotalama", (403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    "team_score_save":      ("post", "kotalama", (403, 403, 403, 403, 403, 403, 404, 404, 404, 302)),
    # The evaluation document: a Verifikator or a Tim Penilai member outside the line reads
    # the appraisal for their step, never its printed result.
    "appraisal_pdf_verifying": ("get", "rakumpit", (403, 200, 200, 200, 200, 200, 404, 404, 403, 404)),
    "appraisal_pdf_team":   ("get", "kotalama", (403, 200, 200, 200, 200, 200, 404, 404, 404, 403)),
}  # fmt: skip

CASES = [
    (view, role, expected)
    for view, (_m, _s, statuses) in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.fixture
def world(personas, time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    return personas


def _prepare(personas, scheme: str):
    cycle = make_cycle(personas, scheme_key=scheme)
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.TARGETS_APPROVED)
    evidence = services.evidence_add(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        indicator_id=indicators_of(appraisal)["I1"].pk,
        upload=SimpleUploadedFile("foto.png", sample("foto.png")),
    )  # fmt: skip
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    return fresh(appraisal), evidence


def _request(view, appraisal, evidence):
    i1 = indicators_of(appraisal)["I1"]
    decide = reverse("verification_decide", args=[i1.pk])
    return {
        "verification": lambda: (reverse("verification"), None),
        "verification_filtered": lambda: (reverse("verification") + "?status=ditolak&unit=1", None),
        "verification_decide": lambda: (decide, {"decision": "verify"}),
        "verification_reject": lambda: (decide, {"decision": "reject", "reason": "Bukti kurang"}),
        "verification_correct": lambda: (
            decide,
            {"decision": "correct", "value": "90", "reason": "Sesuai bukti"},
        ),
        "verification_bulk": lambda: (reverse("verification_bulk"), {"indicator": [i1.pk]}),
        "evidence_view": lambda: (reverse("evidence_view", args=[evidence.pk]), None),
        "realisation_resubmit": lambda: (
            reverse("realisation_save", args=[appraisal.pk, i1.pk]),
            {"version": appraisal.version, "realisation": "95"},
        ),
        "appraisal_pdf_verifying": lambda: (reverse("appraisal_pdf", args=[appraisal.pk]), None),
        "appraisal_pdf_team": lambda: (reverse("appraisal_pdf", args=[appraisal.pk]), None),
        "team_scores": lambda: (reverse("team_scores"), None),
        "team_score_save": lambda: (
            reverse("team_score_save", args=[appraisal.pk]),
            {"level": "4", "comment": "Baik"},
        ),
    }[view]()


def _snapshot(appraisal):
    return (
        fresh(appraisal).version,
        AuditEntry.objects.count(),
        sorted(PlanIndicator.objects.values_list("pk", "verification", "realisation")),
        TeamScore.objects.count(),
    )


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_role_page_matrix(world, client, view, role, expected):
    method, scheme, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, scheme)
    if view == "realisation_resubmit":
        services.realisation_reject(
            acting_user=user_of(world.verif_a),
            indicator=indicators_of(appraisal)["I1"],
            reason="Bukti kurang",
        )
        appraisal = fresh(appraisal)
    url, data = _request(view, appraisal, evidence)
    before = _snapshot(appraisal)
    client.force_login(world.user(role))
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected, f"{role} on {view}"
    if expected in (403, 404):
        assert _snapshot(appraisal) == before, f"{role} changed something on {view}"


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_anonymous_user_is_sent_to_login(world, client, view):
    method, scheme, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, scheme)
    url, data = _request(view, appraisal, evidence)
    before = _snapshot(appraisal)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _snapshot(appraisal) == before


@pytest.mark.parametrize("view", sorted(v for v, (m, _s, _e) in MATRIX.items() if m == "post"))
def test_a_change_is_never_made_by_a_get(world, client, view):
    method, scheme, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, scheme)
    url, _data = _request(view, appraisal, evidence)
    client.force_login(world.verif_a.user)
    assert client.get(url).status_code == 405


EFFECTS = {
    ("verification_decide", "verif_a"): lambda i1: i1.verification == "verified",
    ("verification_reject", "verif_a"): lambda i1: i1.verification == "rejected",
    ("verification_correct", "verif_a"): lambda i1: (i1.realisation, i1.verified) == (90, True),
    ("verification_bulk", "verif_a"): lambda i1: i1.verified,
    ("realisation_resubmit", "pegawai"): lambda i1: (
        (i1.realisation, i1.verification) == (95, "pending")
    ),
    ("team_score_save", "team_a"): lambda i1: TeamScore.objects.get().level == 4,
}


@pytest.mark.parametrize(("view", "role"), sorted(EFFECTS))
def test_what_an_allowed_request_does(world, client, view, role):
    method, scheme, _ = MATRIX[view]
    appraisal, evidence = _prepare(world, scheme)
    if view == "realisation_resubmit":
        services.realisation_reject(
            acting_user=user_of(world.verif_a),
            indicator=indicators_of(appraisal)["I1"],
            reason="Bukti kurang",
        )
        appraisal = fresh(appraisal)
    url, data = _request(view, appraisal, evidence)
    client.force_login(world.user(role))
    client.post(url, data)
    assert EFFECTS[(view, role)](indicators_of(appraisal)["I1"]), f"{role} on {view}"
