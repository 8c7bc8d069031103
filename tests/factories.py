"""factory_boy factories producing valid organisation data (real NIPs, real golongan)."""

from __future__ import annotations

import datetime as dt

import factory

from agencies.models import (
    Agency,
    Employee,
    JobPosition,
    Region,
    Role,
    RoleGrant,
    Unit,
    User,
)
from agencies.paths import move_employee


def make_nip(birth: dt.date, gender: str, serial: int, tmt: tuple[int, int] = (2010, 3)) -> str:
    return f"{birth:%Y%m%d}{tmt[0]}{tmt[1]:02d}{1 if gender == 'L' else 2}{serial % 999 + 1:03d}"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Pemerintah Kabupaten Uji {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"PD{n:03d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    region = factory.SelfAttribute("agency.region")
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Seksi Uji {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosition

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"JAB{n:03d}")
    name = factory.Sequence(lambda n: f"Pengadministrasi {n}")
    kind = "Pelaksana"
    grade = 6


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@uji.go.id")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    agency = factory.SelfAttribute("unit.agency")
    region = factory.SelfAttribute("unit.region")
    position = factory.LazyAttribute(
        lambda o: (
            JobPosition.objects.filter(region=o.region).first() or PositionFactory(region=o.region)
        )
    )
    name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    gender = factory.Sequence(lambda n: "LP"[n % 2])
    # Wraps so that NIPs stay valid however many employees a long test run creates.
    birth_date = factory.Sequence(lambda n: dt.date(1970, 1, 1) + dt.timedelta(days=n % 7000))
    asn_status = "PNS"
    golongan = "III/a"
    nip = factory.LazyAttributeSequence(lambda o, n: make_nip(o.birth_date, o.gender, n))
    email = factory.LazyAttribute(lambda o: f"{o.nip}@uji.go.id")
    user = factory.LazyAttribute(
        lambda o: UserFactory(username=o.nip, email=o.email, first_name=o.name)
    )

    @factory.post_generation
    def tree_path(obj, create, extracted, **kwargs):
        """The supervisor path, as the services keep it (``save()`` keeps none)."""
        if create and obj.supervisor_id:
            move_employee(obj, obj.supervisor)


def grant(user: User, role: str, *, agency: Agency | None = None, region: Region | None = None):
    return RoleGrant.objects.create(user=user, role=role, agency=agency, region=region)


__all__ = [
    "AgencyFactory",
    "EmployeeFactory",
    "PositionFactory",
    "RegionFactory",
    "Role",
    "UnitFactory",
    "UserFactory",
    "grant",
    "make_nip",
]
