"""The peer list pages run a number of queries that does not grow with the data: the peer's
list of forms and the atasan's lists to approve with 5 and with 50 appraisals, the HR cycle
list likewise, and an appraisal's peer page with 3 and with 5 peers after the deadline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, State
from feedback import peers
from feedback.models import NominationState, PeerAssignment, PeerNomination

from .appraisal_fixtures import AFTER_SCORING, advance, draft_appraisal, user_of
from .factories import EmployeeFactory
from .test_peers import answer

pytestmark = pytest.mark.django_db


def _grow(personas, cycle, n: int) -> None:
    """``n`` more subordinates of the kasi, half of whose lists wait for the kasi's approval,
    half approved with the first peer asked to answer."""
    employees = [EmployeeFactory(unit=personas.unit_a, supervisor=personas.kasi) for _ in range(n)]
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    for i, appraisal in enumerate(Appraisal.objects.filter(cycle=cycle, employee__in=employees)):
        state = NominationState.APPROVED if i % 2 else NominationState.SUBMITTED
        PeerNomination.objects.create(appraisal=appraisal, state=state)
        PeerAssignment.objects.create(appraisal=appraisal, peer=personas.peers[0])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["peer1", "kasi", "hr_a"])
def test_the_peer_list_does_not_grow(
    personas, time_machine, client, role, django_assert_max_num_queries
):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    user = personas.peers[0].user if role == "peer1" else personas.user(role)
    client.force_login(user)
    url = reverse("peer_list")
    _grow(personas, appraisal.cycle, 5)
    small = _count(client, url)
    _grow(personas, appraisal.cycle, 45)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    if role == "peer1":
        assert len(response.context["forms"]) >= 24
    if role == "kasi":
        assert len(response.context["team"]) >= 24


def test_the_peer_page_does_not_grow_with_the_peers(
    personas, time_machine, client, django_assert_max_num_queries
):
    extra = [EmployeeFactory(unit=personas.unit_a, supervisor=personas.kasi) for _ in range(2)]
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    ids = [p.pk for p in personas.peers]
    peers.peer_nominate(acting_user=user_of(personas.pegawai), appraisal=appraisal, peer_ids=ids,
                        submit=True)  # fmt: skip
    peers.peer_nomination_approve(acting_user=user_of(personas.kasi), appraisal=appraisal,
                                  peer_ids=ids)  # fmt: skip
    for peer in personas.peers:
        answer(appraisal, peer, 4, "baik")
    advance(appraisal, State.SCORED)
    time_machine.move_to(AFTER_SCORING)
    client.force_login(user_of(personas.kasi))
    url = reverse("peer_nomination", args=[appraisal.pk])
    small = _count(client, url)
    for person in extra:
        PeerAssignment.objects.create(appraisal=appraisal, peer=person)
        answer(appraisal, person, 5, "sangat baik")
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
