"""Shared personas (see docs/architecture.md): one small region, two agencies, every role.

Setda:   sekda (top of the region)
Agency A (dinas): kepala (atasan pejabat penilai) → kasi (atasan) → pegawai, peer1..3
                  hr_a (Admin HR of A, an employee of A), team_a (Tim Penilai), verif_a
Agency B (dinas): kepala_b → outsider; hr_b (Admin HR of B)
admin_daerah: region-wide, not an employee
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields

import pytest

from agencies.models import Agency, Employee, Region, Role, Unit, User

from .factories import (
    AgencyFactory,
    EmployeeFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
    grant,
)
from .shared_data import layer, layer_value

PASSWORD = "rahasia-uji-123"


@dataclass
class Personas:
    region: Region
    setda: Agency
    agency_a: Agency
    agency_b: Agency
    unit_a: Unit
    unit_b: Unit
    sekda: Employee
    kepala: Employee
    kasi: Employee
    pegawai: Employee
    peers: list[Employee]
    hr_a: Employee
    team_a: Employee
    verif_a: Employee
    kepala_b: Employee
    outsider: Employee
    hr_b: Employee
    admin_daerah: User

    def user(self, name: str) -> User:
        value = getattr(self, name)
        return value if isinstance(value, User) else value.user


ROLE_NAMES = ("pegawai", "kasi", "kepala", "hr_a", "admin_daerah", "outsider", "hr_b")


def build_personas() -> Personas:
    region = RegionFactory(code="9999", name="Pemerintah Kabupaten Uji")
    setda = AgencyFactory(region=region, code="SETDA", name="Sekretariat Daerah", kind="setda")
    agency_a = AgencyFactory(region=region, code="DINA", name="Dinas Alfa")
    agency_b = AgencyFactory(region=region, code="DINB", name="Dinas Beta")
    unit_setda = UnitFactory(agency=setda, code="SETDA", name="Sekretariat Daerah")
    root_a = UnitFactory(agency=agency_a, code="DINA", name="Dinas Alfa")
    unit_a = UnitFactory(agency=agency_a, code="DINA-S1", name="Seksi Layanan", parent=root_a)
    umpeg_a = UnitFactory(
        agency=agency_a, code="DINA-UMPEG", name="Subbagian Kepegawaian", parent=root_a
    )
    unit_b = UnitFactory(agency=agency_b, code="DINB", name="Dinas Beta")

    sekda = EmployeeFactory(unit=unit_setda, name="Sekda Uji", golongan="IV/d")
    kepala = EmployeeFactory(unit=root_a, name="Kepala Alfa", supervisor=sekda, golongan="IV/c")
    kasi = EmployeeFactory(unit=unit_a, name="Kasi Alfa", supervisor=kepala, golongan="III/d")
    pegawai = EmployeeFactory(unit=unit_a, name="Pegawai Alfa", supervisor=kasi)
    peers = [
        EmployeeFactory(unit=unit_a, name=f"Rekan Alfa {i}", supervisor=kasi) for i in (1, 2, 3)
    ]
    hr_a = EmployeeFactory(unit=umpeg_a, name="Admin HR Alfa", supervisor=kepala)
    team_a = EmployeeFactory(unit=umpeg_a, name="Tim Penilai Alfa", supervisor=kepala)
    verif_a = EmployeeFactory(unit=umpeg_a, name="Verifikator Alfa", supervisor=kepala)
    kepala_b = EmployeeFactory(unit=unit_b, name="Kepala Beta", supervisor=sekda)
    outsider = EmployeeFactory(unit=unit_b, name="Pegawai Beta", supervisor=kepala_b)
    hr_b = EmployeeFactory(unit=unit_b, name="Admin HR Beta", supervisor=kepala_b)
    admin_daerah = UserFactory(
        username="admin.daerah", email="admin@uji.go.id", first_name="Admin Daerah"
    )

    grant(hr_a.user, Role.ADMIN_HR, agency=agency_a)
    grant(team_a.user, Role.TIM_PENILAI, agency=agency_a)
    grant(verif_a.user, Role.VERIFIKATOR, agency=agency_a)
    grant(hr_b.user, Role.ADMIN_HR, agency=agency_b)
    grant(admin_daerah, Role.ADMIN_DAERAH, region=region)
    return Personas(
        region=region, setda=setda, agency_a=agency_a, agency_b=agency_b, unit_a=unit_a,
        unit_b=unit_b, sekda=sekda, kepala=kepala, kasi=kasi, pegawai=pegawai, peers=peers,
        hr_a=hr_a, team_a=team_a, verif_a=verif_a, kepala_b=kepala_b, outsider=outsider,
        hr_b=hr_b, admin_daerah=admin_daerah,
    )  # fmt: skip


# --- shared: built once per module, each test rolled back to it (tests/shared_data.py) -------

# What is not an employee, by field of Personas.
_MODELS = {"region": Region, "admin_daerah": User, "setda": Agency, "agency_a": Agency,
           "agency_b": Agency, "unit_a": Unit, "unit_b": Unit}  # fmt: skip


# The personas take the employee factory's sequence numbers below this one.
PERSONAS_SEQUENCE_END = 100


@layer("personas", fixture="personas")
def personas_layer(built) -> dict[str, int | list[int]]:
    """The personas' primary keys. Their NIPs start the employee factory's sequence anew."""
    EmployeeFactory.reset_sequence()
    p = build_personas()
    return {
        f.name: [e.pk for e in value] if isinstance(value, list) else value.pk
        for f in fields(Personas)
        for value in [getattr(p, f.name)]
    }


def load_personas(pks: dict[str, int | list[int]]) -> Personas:
    """Fresh objects of the personas: one query per model."""
    wanted = defaultdict(list)
    for name, value in pks.items():
        wanted[_MODELS.get(name, Employee)] += value if isinstance(value, list) else [value]
    loaded = {
        model: (
            model.objects.select_related("user") if model is Employee else model.objects
        ).in_bulk(ids)
        for model, ids in wanted.items()
    }

    def load(name, pk):
        return loaded[_MODELS.get(name, Employee)][pk]

    return Personas(
        **{
            name: [load(name, pk) for pk in value] if isinstance(value, list) else load(name, value)
            for name, value in pks.items()
        }
    )


@pytest.fixture
def personas(request, db) -> Personas:
    return load_personas(layer_value(request, "personas"))
