"""Demo peers: approved lists and answers, so that both paths of the threshold show.

In each agency whose scheme blends peers in, the README's pegawai has the three README peers,
who have all answered (their levels count); the first README peer has the two others and the
pegawai as peers, of whom only two have answered (fewer than ``minimal_rekan``: the peers'
share moves to the atasan), and the pegawai's form for them waits on the pegawai's home page.

The demo cycle's peer deadline is already past (``appraisals.demo``), so the scores and the
atasan's summary show the answers at once. Deterministic and idempotent: an appraisal that
already has a peer list is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from agencies.models import Employee
from appraisals.models import Appraisal
from indicators.models import BehaviourValue

from .models import NominationState, PeerAssignment, PeerNomination
from .peers import peer_form_save, uses_peers

# Levels per answering peer, for each of the seven values in order.
LEVELS = ((5, 4, 5, 4, 5, 4, 5), (4, 4, 5, 4, 4, 5, 4), (5, 5, 4, 5, 5, 4, 5))
COMMENTS = (
    "Selalu sigap membantu rekan yang kesulitan.",
    "Laporan rapi dan tepat waktu; bisa lebih sering berbagi ilmu.",
    "Ramah kepada warga yang datang ke loket.",
)


def _approve(appraisal: Appraisal, people: Sequence[Employee]) -> bool:
    if PeerNomination.objects.filter(appraisal=appraisal).exists():
        return False
    PeerNomination.objects.create(appraisal=appraisal, state=NominationState.APPROVED)
    PeerAssignment.objects.bulk_create(
        PeerAssignment(appraisal=appraisal, peer=person) for person in people
    )
    return True


def _answer(appraisal: Appraisal, people: Iterable[Employee], values: list[BehaviourValue]):
    for i, person in enumerate(people):
        assignment = PeerAssignment.objects.get(appraisal=appraisal, peer=person)
        peer_form_save(
            acting_user=person.user,
            assignment=assignment,
            answers={
                v.code: (LEVELS[i][n], COMMENTS[i] if n == 0 else "") for n, v in enumerate(values)
            },
            submit=True,
        )


def seed_demo_peers(region, *, personas: Iterable[tuple[str, list[str]]]) -> int:
    """``personas``: per agency, the NIPs of its pegawai and its three peers, in that order.
    Returns the number of peer lists created."""
    values = list(BehaviourValue.objects.order_by("order"))
    created = 0
    for _agency_code, nips in personas:
        people = {e.nip: e for e in Employee.objects.filter(nip__in=nips).select_related("user")}
        if len(people) < 4 or any(people[n].user is None for n in nips):
            continue
        pegawai, *peers = (people[n] for n in nips)
        own = Appraisal.objects.filter(cycle__region=region, employee=pegawai).first()
        first = Appraisal.objects.filter(cycle__region=region, employee=peers[0]).first()
        if own is None or first is None or not uses_peers(own.cycle):
            continue
        if _approve(own, peers):
            _answer(own, peers, values)
            created += 1
        if _approve(first, [peers[1], peers[2], pegawai]):
            _answer(first, [peers[1], peers[2]], values)
            created += 1
    return created
