"""Role × status matrix for every URL of the peer pages (docs/feedback.md, docs/roles.md).

The object is the pegawai's appraisal in agency A (atasan: kasi) in a `nasional` cycle, with
its peer list in the given status; `peer1` is one of the nominated peers. Outside the user's
scope it is 404 (a peer form is reached by its peer only); in scope but read-only, a change
is 403; HR pages refuse other roles with 403; allowed is 200 or a redirect (302), with the
service's own refusal, if any, shown as a message.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from appraisals.models import AuditEntry
from feedback import peers
from feedback.models import PeerAnswer, PeerAssignment, PeerNomination
from reports.models import Job

from .appraisal_fixtures import draft_appraisal, user_of

pytestmark = pytest.mark.django_db

ROLES = ("pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah", "outsider", "hr_b",
         "peer1")  # fmt: skip

MATRIX = {
    #                                          pegawai kasi kepala sekda hr_a adm_d outs hr_b peer1
    "peer_list":          ("get", "none",      (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "nomination":         ("get", "none",      (200, 200, 200, 200, 200, 200, 404, 404, 404)),
    "nomination_approved": ("get", "approved", (200, 200, 200, 200, 200, 200, 404, 404, 404)),
    "nominate":           ("post", "none",     (302, 302, 403, 403, 403, 403, 404, 404, 404)),
    "approve":            ("post", "submitted", (302, 302, 403, 403, 403, 403, 404, 404, 404)),
    "change_approved":    ("post", "approved", (302, 302, 403, 403, 403, 403, 404, 404, 404)),
    "form":               ("get", "approved",  (404, 404, 404, 404, 404, 404, 404, 404, 200)),
    "form_submitted_list": ("get", "submitted", (404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "form_save":          ("post", "approved", (404, 404, 404, 404, 404, 404, 404, 404, 302)),
    "assign":             ("get", "none",      (403, 403, 403, 403, 200, 200, 403, 404, 403)),
    "assign_post":        ("post", "none",     (403, 403, 403, 403, 302, 302, 403, 404, 403)),
}  # fmt: skip

CASES = [
    (view, role, expected)
    for view, (_method, _status, statuses) in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.fixture
def world(personas, time_machine):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    return personas, appraisal


def _prepare(world, status: str):
    personas, appraisal = world
    ids = [p.pk for p in personas.peers]
    if status in ("submitted", "approved"):
        peers.peer_nominate(
            acting_user=user_of(personas.pegawai), appraisal=appraisal, peer_ids=ids, submit=True
        )
    if status == "approved":
        peers.peer_nomination_approve(
            acting_user=user_of(personas.kasi), appraisal=appraisal, peer_ids=ids
        )


def _request(world, view: str):
    personas, appraisal = world
    ids = [str(p.pk) for p in personas.peers]
    form = PeerAssignment.objects.filter(appraisal=appraisal, peer=personas.peers[0]).first()
    nomination = reverse("peer_nomination", args=[appraisal.pk])
    levels = {f"level_{code}": "4" for code in peers.BehaviourValue.objects.values_list(
        "code", flat=True)}  # fmt: skip
    return {
        "peer_list": lambda: (reverse("peer_list"), None),
        "nomination": lambda: (nomination, None),
        "nomination_approved": lambda: (nomination, None),
        "nominate": lambda: (nomination, {"peers": ids}),
        "approve": lambda: (nomination, {"peers": ids}),
        "change_approved": lambda: (nomination, {"peers": ids}),
        "form": lambda: (reverse("peer_form", args=[form.pk]), None),
        "form_submitted_list": lambda: (reverse("peer_form", args=[form.pk]), None),
        "form_save": lambda: (reverse("peer_form", args=[form.pk]), {**levels, "submit": "1"}),
        "assign": lambda: (reverse("peer_assign", args=[appraisal.cycle_id]), None),
        "assign_post": lambda: (
            reverse("peer_assign", args=[appraisal.cycle_id]),
            {"unit": "", "per_person": "3"},
        ),
    }[view]()


def _snapshot(world):
    _personas, appraisal = world
    return (
        list(PeerNomination.objects.values_list("state", flat=True)),
        sorted(PeerAssignment.objects.values_list("peer_id", "state")),
        PeerAnswer.objects.count(),
        AuditEntry.objects.count(),
        Job.objects.count(),
    )


def _who(personas, role):
    return personas.peers[0].user if role == "peer1" else personas.user(role)


@pytest.mark.parametrize(("view", "role", "expected"), CASES)
def test_role_page_matrix(world, client, view, role, expected):
    personas = world[0]
    method, status, _ = MATRIX[view]
    _prepare(world, status)
    url, data = _request(world, view)
    before = _snapshot(world)
    client.force_login(_who(personas, role))
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == expected, f"{role} on {view}"
    if expected in (403, 404):
        assert _snapshot(world) == before, f"{role} changed something on {view}"


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_anonymous_user_is_sent_to_login(world, client, view):
    method, status, _ = MATRIX[view]
    _prepare(world, status)
    url, data = _request(world, view)
    before = _snapshot(world)
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert _snapshot(world) == before


def test_what_each_allowed_change_did(world, client):
    """The 302s above are real moves, not refusals in disguise."""
    personas, appraisal = world
    ids = [str(p.pk) for p in personas.peers]
    url = reverse("peer_nomination", args=[appraisal.pk])
    client.force_login(personas.pegawai.user)
    client.post(url, {"peers": ids, "submit": "1"})
    assert PeerNomination.objects.get(appraisal=appraisal).state == "submitted"
    client.force_login(personas.kasi.user)
    client.post(url, {"peers": ids})
    assert PeerNomination.objects.get(appraisal=appraisal).state == "approved"
