"""Tim Penilai scores in `kotalama` (docs/cycle.md, docs/roles.md): each member of the
agency gives a level with a comment; the team component is the mean of the members who
scored; `scored` needs one member's score where the agency has members; without members the
weight is redistributed. Nobody scores their own appraisal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.models import Role, RoleGrant
from appraisals import services
from appraisals.models import AuditEntry, State, TeamScore

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    fresh,
    give_levels,
    make_cycle,
    make_indicator_set,
    user_of,
)
from .factories import grant


@pytest.fixture
def kotalama(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama")
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.SELF_ASSESSED)
    give_levels(appraisal)
    return personas, cycle, fresh(appraisal)


def _team(appraisal) -> dict:
    return next(c for c in fresh(appraisal).breakdown["components"] if c["source"] == "tim")


def _score(who, appraisal, level, comment="Pelayanan sesuai standar"):
    return services.team_score_save(
        acting_user=user_of(who), appraisal=fresh(appraisal), level=level, comment=comment
    )


def test_the_team_component_is_the_mean_of_the_members_who_scored(kotalama):
    personas, cycle, appraisal = kotalama
    second = personas.peers[1]
    grant(second.user, Role.TIM_PENILAI, agency=personas.agency_a)
    _score(personas.team_a, appraisal, 3)
    one = _team(appraisal)
    _score(second, appraisal, 5)
    both = _team(appraisal)
    assert one["status"] != "dialihkan" and both["team"]["levels"] == [3, 5]
    values = [Decimal(v) for v in both["team"]["values"]]
    assert Decimal(both["value"]) == sum(values) / 2
    assert Decimal(both["value"]) > Decimal(one["value"])
    # Saved again, a member's score replaces their own.
    _score(second, appraisal, 3)
    assert TeamScore.objects.filter(appraisal=appraisal).count() == 2
    assert _team(appraisal)["team"]["levels"] == [3, 3]


def test_a_member_never_scores_their_own_appraisal(kotalama):
    personas, cycle, _ = kotalama
    own = advance(appraisal_of(cycle, personas.team_a), State.SELF_ASSESSED)
    with pytest.raises(PermissionDenied, match="menilai penilaiannya sendiri"):
        _score(personas.team_a, own, 4)
    assert not TeamScore.objects.filter(appraisal=own).exists()


@pytest.mark.parametrize("who", ["kasi", "hr_a", "verif_a"])
def test_only_members_give_team_scores(kotalama, who):
    personas, cycle, appraisal = kotalama
    with pytest.raises(PermissionDenied):
        _score(personas.user(who), appraisal, 4)


def test_a_team_score_needs_a_level_and_a_comment(kotalama):
    personas, cycle, appraisal = kotalama
    with pytest.raises(ValidationError, match="komentar"):
        _score(personas.team_a, appraisal, 4, comment=" ")
    with pytest.raises(ValidationError, match="level 1 sampai 5"):
        _score(personas.team_a, appraisal, 6)


def test_scored_needs_one_members_score_where_the_agency_has_members(kotalama):
    personas, cycle, appraisal = kotalama
    assert any("Tim Penilai" in p for p in services.scoring_problems(appraisal))
    with pytest.raises(ValidationError, match="Tim Penilai"):
        services.appraisal_mark_scored(
            acting_user=user_of(personas.kasi), appraisal=appraisal, version=appraisal.version
        )
    _score(personas.team_a, appraisal, 4)
    assert services.scoring_problems(fresh(appraisal)) == []
    services.appraisal_mark_scored(
        acting_user=user_of(personas.kasi), appraisal=fresh(appraisal),
        version=fresh(appraisal).version,
    )  # fmt: skip
    assert fresh(appraisal).state == State.SCORED


def test_without_members_the_team_weight_is_redistributed(kotalama):
    personas, cycle, appraisal = kotalama
    RoleGrant.objects.filter(role=Role.TIM_PENILAI).delete()
    assert services.scoring_problems(fresh(appraisal)) == []
    services.appraisal_recompute(appraisal=fresh(appraisal))
    assert _team(appraisal)["status"] == "dialihkan"


def test_a_team_score_is_audited_and_hidden_from_the_employee_until_release(kotalama, client):
    personas, cycle, appraisal = kotalama
    _score(personas.team_a, appraisal, 4, comment="Responsif terhadap keluhan")
    entry = AuditEntry.objects.get(appraisal=appraisal, action="team_score")
    assert entry.sensitive and entry.after["level"] == 4
    url = reverse("appraisal_detail", args=[appraisal.pk])
    client.force_login(personas.hr_a.user)
    assert "Responsif terhadap keluhan" in client.get(url).content.decode()
    client.force_login(personas.pegawai.user)
    assert "Responsif terhadap keluhan" not in client.get(url).content.decode()
    advance(appraisal, State.RELEASED, hr=personas.hr_a)
    assert "Responsif terhadap keluhan" in client.get(url).content.decode()


def test_the_queue_lists_the_agencys_appraisals_but_not_the_members_own(kotalama, client):
    personas, cycle, appraisal = kotalama
    advance(appraisal_of(cycle, personas.team_a), State.SELF_ASSESSED)
    client.force_login(personas.team_a.user)
    response = client.get(reverse("team_scores"))
    employees = {a.employee_id for a in response.context["page"].object_list}
    assert personas.pegawai.pk in employees and personas.team_a.pk not in employees
    response = client.post(
        reverse("team_score_save", args=[appraisal.pk]), {"level": "4", "comment": "Baik"}
    )
    assert response.status_code == 302
    assert TeamScore.objects.get(appraisal=appraisal).level == 4


def test_the_only_members_own_appraisal_is_scored_without_a_team_score(kotalama):
    """Nobody scores themself, so a member who is the only one leaves their own appraisal
    without a team score: it can be scored, with the team weight redistributed."""
    personas, cycle, _ = kotalama
    own = advance(appraisal_of(cycle, personas.team_a), State.SELF_ASSESSED)
    give_levels(own)
    assert services.scoring_problems(fresh(own)) == []
    grant(personas.peers[1].user, Role.TIM_PENILAI, agency=personas.agency_a)
    assert any("Tim Penilai" in p for p in services.scoring_problems(fresh(own)))


def test_a_member_reads_the_appraisal_but_not_its_result_nor_the_others_scores(kotalama, client):
    personas, cycle, appraisal = kotalama
    second = personas.peers[1]
    grant(second.user, Role.TIM_PENILAI, agency=personas.agency_a)
    _score(second, appraisal, 2, comment="Masih sering terlambat membalas")
    client.force_login(personas.team_a.user)
    response = client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    assert response.status_code == 200 and response.context["breakdown"] is None
    assert "Masih sering terlambat membalas" not in response.content.decode()
