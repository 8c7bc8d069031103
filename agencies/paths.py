"""The supervisor tree's ancestry, stored as a materialised path on each employee.

``Employee.supervisor_path`` lists the ids of the supervisor chain from the top down,
``"/1/17/345/"`` (``"/"`` for someone without a supervisor). Every direct and indirect
subordinate of X has a path starting with ``X.subtree_prefix`` (``X.supervisor_path + "X/"``),
so a subtree is one indexed prefix query instead of a recursive walk over the region.

``save()`` keeps no path: whatever changes a supervisor calls one of these functions in the
same transaction (the employee edit, the import, the demo, the removal of an employee).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from .models import Employee, EmployeeQuerySet

ROOT_PATH = "/"

# Recomputes every path below the roots (employees without a supervisor) in one statement;
# only rows whose path differs are written. PostgreSQL and SQLite (>= 3.33) both run it.
_REBUILD_SQL = """
    UPDATE agencies_employee SET supervisor_path = tree.path
    FROM (
        WITH RECURSIVE tree(id, path) AS (
            SELECT id, CAST('/' AS TEXT) FROM agencies_employee
            WHERE supervisor_id IS NULL {region_filter}
            UNION ALL
            SELECT e.id, CAST(tree.path || CAST(e.supervisor_id AS TEXT) || '/' AS TEXT)
            FROM agencies_employee e JOIN tree ON e.supervisor_id = tree.id
        )
        SELECT id, path FROM tree
    ) AS tree
    WHERE agencies_employee.id = tree.id AND agencies_employee.supervisor_path <> tree.path
"""


def path_below(supervisor: Employee | None) -> str:
    """The ``supervisor_path`` of someone whose direct supervisor is ``supervisor``."""
    return supervisor.subtree_prefix if supervisor is not None else ROOT_PATH


def subtree_condition(prefixes: Iterable[str], field: str = "supervisor_path") -> Q:
    """The filter for everyone whose path starts with one of ``prefixes``; ``field`` reaches
    the path from another model (``"employee__supervisor_path"``). Matches nobody without a
    prefix."""
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def subtree(prefixes: Iterable[str]) -> EmployeeQuerySet:
    """Everyone whose path starts with one of ``prefixes`` (from ``subtree_prefix``)."""
    prefixes = list(prefixes)
    if not prefixes:
        return Employee.objects.none()
    return Employee.objects.filter(subtree_condition(prefixes))


def move_employee(employee: Employee, supervisor: Employee | None) -> None:
    """Give ``employee`` (already saved with its new ``supervisor``) and its whole subtree the
    paths below ``supervisor``: two UPDATE statements, whatever the size of the subtree."""
    new_path = path_below(supervisor)
    old_prefix = employee.subtree_prefix
    employee.supervisor_path = new_path
    new_prefix = employee.subtree_prefix
    Employee.objects.filter(pk=employee.pk).update(supervisor_path=new_path)
    if new_prefix != old_prefix:
        _replace_prefix(old_prefix, new_prefix)


def detach_subtree(employee: Employee) -> None:
    """``employee`` is being removed: its direct subordinates lose their supervisor (the
    foreign key's SET_NULL) and become the tops of their own subtrees."""
    _replace_prefix(employee.subtree_prefix, ROOT_PATH)


def _replace_prefix(old_prefix: str, new_prefix: str) -> None:
    Employee.objects.filter(supervisor_path__startswith=old_prefix).update(
        supervisor_path=Concat(Value(new_prefix), Substr("supervisor_path", len(old_prefix) + 1))
    )


def rebuild_supervisor_paths(*, region_id: int | None = None) -> int:
    """Recompute the paths of a region (every region without one) after bulk writes, in one
    statement; returns how many rows changed."""
    region_filter = "AND region_id = %s" if region_id is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _REBUILD_SQL.format(region_filter=region_filter),
            [region_id] if region_id is not None else [],
        )
        return max(int(cursor.rowcount), 0)
