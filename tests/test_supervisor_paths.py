"""The supervisor tree's materialised path (agencies/paths.py) stays right after every kind of
change, and a subtree read from it equals the recursive walk it replaced."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.access import build_scope, subordinates_of
from agencies.models import ActingAssignment, Employee
from agencies.paths import move_employee, rebuild_supervisor_paths, subtree
from agencies.services import employee_update

from .factories import EmployeeFactory
from .import_files import (  # noqa: F401  (_fresh_employee_sequence: autouse)
    EMPLOYEE_HEADERS,
    _fresh_employee_sequence,
    employee_row,
    run,
    table,
    xlsx_bytes,
)

# The recursive walk the path replaced: the oracle the path must agree with.
RECURSIVE_SQL = """
    WITH RECURSIVE subtree(id) AS (
        SELECT id FROM agencies_employee WHERE supervisor_id = %s
        UNION
        SELECT e.id FROM agencies_employee e JOIN subtree s ON e.supervisor_id = s.id
    )
    SELECT id FROM subtree
"""


def recursive_subtree(root_id: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(RECURSIVE_SQL, [root_id])
        return {row[0] for row in cursor.fetchall()}


def expected_paths() -> dict[int, str]:
    """Every employee's path computed from the supervisor ids alone."""
    parent = dict(Employee.objects.values_list("pk", "supervisor_id"))
    paths = {}
    for pk in parent:
        chain, node = [], parent[pk]
        while node is not None:
            chain.append(node)
            node = parent[node]
        paths[pk] = "/" + "".join(f"{i}/" for i in reversed(chain))
    return paths


def assert_paths_right() -> None:
    stored = dict(Employee.objects.values_list("pk", "supervisor_path"))
    assert stored == expected_paths()


def _update(personas, employee, supervisor_nip: str, **data):
    return employee_update(
        acting_user=personas.admin_daerah,
        employee=employee,
        data={"unit": employee.unit, **data},
        supervisor_nip=supervisor_nip,
    )


def test_personas_have_their_paths(personas):
    assert personas.pegawai.supervisor_path == (
        f"/{personas.sekda.pk}/{personas.kepala.pk}/{personas.kasi.pk}/"
    )
    assert personas.sekda.supervisor_path == "/"
    assert_paths_right()


def test_moving_an_employee_moves_their_whole_subtree(personas):
    # The kasi (with the pegawai and three peers below) moves under the kepala of agency B.
    _update(personas, personas.kasi, personas.kepala_b.nip)
    assert_paths_right()
    pegawai = Employee.objects.get(pk=personas.pegawai.pk)
    assert pegawai.supervisor_path.startswith(personas.kepala_b.subtree_prefix)
    assert personas.pegawai.pk in set(build_scope(personas.kepala_b.user).subordinates().values_list("pk", flat=True))  # fmt: skip
    assert personas.pegawai.pk not in set(build_scope(personas.kepala.user).subordinates().values_list("pk", flat=True))  # fmt: skip


def test_removing_a_supervisor_makes_the_employee_a_top(personas):
    _update(personas, personas.kasi, "")
    assert_paths_right()
    assert Employee.objects.get(pk=personas.kasi.pk).supervisor_path == "/"
    assert Employee.objects.get(pk=personas.pegawai.pk).supervisor_path == (f"/{personas.kasi.pk}/")


def test_a_cycle_is_still_refused_and_leaves_the_paths_alone(personas):
    with pytest.raises(ValidationError) as error:
        _update(personas, personas.kepala, personas.pegawai.nip)
    message = error.value.message_dict["supervisor_nip"][0]
    assert message == "Membentuk siklus atasan: " + " → ".join(
        [personas.kepala.nip, personas.pegawai.nip, personas.kasi.nip, personas.kepala.nip]
    )
    assert_paths_right()


def test_deactivating_keeps_the_path_and_the_subtree(personas):
    _update(personas, personas.kasi, personas.kepala.nip, is_active=False)
    assert_paths_right()
    below_kepala = set(
        build_scope(personas.kepala.user).subordinates().values_list("pk", flat=True)
    )
    assert {personas.kasi.pk, personas.pegawai.pk} <= below_kepala


def test_deleting_a_supervisor_detaches_their_subordinates(personas):
    personas.kasi.delete()
    assert_paths_right()
    assert Employee.objects.get(pk=personas.pegawai.pk).supervisor_path == "/"


def test_an_acting_official_reaches_the_subtree_of_whom_they_replace(personas):
    today = personas.kepala_b.region.today()
    ActingAssignment.objects.create(
        official=personas.kepala_b,
        replaces=personas.kasi,
        kind="plt",
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=30),
    )
    scope = build_scope(personas.kepala_b.user)
    assert scope.subtree_prefixes == (
        personas.kepala_b.subtree_prefix,
        personas.kasi.subtree_prefix,
    )
    reached = set(scope.subordinates().values_list("pk", flat=True))
    assert reached == recursive_subtree(personas.kepala_b.pk) | recursive_subtree(personas.kasi.pk)
    assert personas.pegawai.pk in reached


def test_an_import_sets_the_paths_of_new_and_moved_employees(personas):
    code = personas.pegawai.position.code
    boss = employee_row(
        birth=dt.date(1975, 1, 1), serial=9, position=code, unit=personas.unit_a.code,
        supervisor=personas.kepala.nip,
    )  # fmt: skip
    staff = employee_row(serial=1, position=code, unit=personas.unit_a.code, supervisor=boss["NIP"])
    # The existing kasi moves under the new boss (later in the file than the boss).
    kasi = employee_row(
        birth=personas.kasi.birth_date, position=code, unit=personas.unit_a.code,
        supervisor=boss["NIP"], NIP=personas.kasi.nip, Nama=personas.kasi.name,
        Jenis_Kelamin=personas.kasi.gender, Golongan=personas.kasi.golongan,
    )  # fmt: skip
    result = run(
        "employees",
        xlsx_bytes(table(EMPLOYEE_HEADERS, [staff, boss, kasi])),
        "pegawai.xlsx",
        region=personas.region,
        user=personas.admin_daerah,
    )
    assert result.applied, [str(e) for e in result.errors]
    assert_paths_right()
    new_boss = Employee.objects.get(nip=boss["NIP"])
    assert Employee.objects.get(pk=personas.pegawai.pk).supervisor_path == (
        f"{new_boss.subtree_prefix}{personas.kasi.pk}/"
    )


def test_rebuild_repairs_paths_written_without_the_helpers(personas):
    Employee.objects.update(supervisor_path="/")
    assert rebuild_supervisor_paths(region_id=personas.region.pk) > 0
    assert_paths_right()
    assert rebuild_supervisor_paths(region_id=personas.region.pk) == 0


def test_subordinates_of_equals_the_recursive_walk(personas):
    for root in (personas.sekda, personas.kepala, personas.kasi, personas.pegawai):
        got = set(subordinates_of([root.pk]).values_list("pk", flat=True))
        assert got == recursive_subtree(root.pk)


# --- random trees -----------------------------------------------------------------------------

# A tree as a parent index per node (None: a top; always an earlier node, so no cycle),
# then moves (node, new parent or None) applied only when they close no cycle.
trees = st.integers(min_value=1, max_value=14).flatmap(
    lambda n: st.tuples(
        st.tuples(*[st.one_of(st.none(), st.integers(0, i - 1)) if i else st.none() for i in range(n)]),
        st.lists(st.tuples(st.integers(0, n - 1), st.one_of(st.none(), st.integers(0, n - 1))), max_size=8),
    )
)  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees)
def test_subtrees_from_the_path_equal_the_recursive_query_on_random_trees(personas, tree):
    parents, moves = tree
    with transaction.atomic():
        nodes: list[Employee] = []
        for parent in parents:
            supervisor = nodes[parent] if parent is not None else None
            nodes.append(EmployeeFactory(unit=personas.unit_b, supervisor=supervisor, user=None))
        for index, parent in moves:
            node = Employee.objects.get(pk=nodes[index].pk)
            target = Employee.objects.get(pk=nodes[parent].pk) if parent is not None else None
            if target is not None and (
                target.pk == node.pk or target.supervisor_path.startswith(node.subtree_prefix)
            ):
                continue  # would close a cycle: the service refuses it
            Employee.objects.filter(pk=node.pk).update(supervisor=target)
            node.supervisor = target
            move_employee(node, target)
        assert_paths_right()
        for node in Employee.objects.filter(pk__in=[n.pk for n in nodes]):
            from_path = set(subtree([node.subtree_prefix]).values_list("pk", flat=True))
            assert from_path == recursive_subtree(node.pk)
        transaction.set_rollback(True)
