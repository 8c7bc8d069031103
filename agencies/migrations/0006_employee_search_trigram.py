"""Trigram indexes for the employee list's search on PostgreSQL.

The search is ``icontains`` on the name and the NIP, which Django writes as
``UPPER(col::text) LIKE UPPER('%…%')``: without these indexes every search reads the whole
region. Other databases get nothing (SQLite is for development)."""

from django.db import migrations

INDEXES = {
    "employee_name_trgm": "name",
    "employee_nip_trgm": "nip",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON agencies_employee "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_employee_supervisor_path")]

    operations = [migrations.RunPython(forwards, backwards)]
