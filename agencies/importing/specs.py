"""The organisation files: agencies, units, positions and employees (see docs/imports.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower

from ..models import (
    Agency,
    AgencyKind,
    AsnStatus,
    Employee,
    Gender,
    JobPosition,
    PositionKind,
    Region,
    Role,
    RoleGrant,
    Unit,
    User,
    jf_level_choices,
)
from ..validators import clean_nip_text, normalize_golongan, validate_nip
from . import cells
from .base import REQUIRED, Column, ImportResult, ImportSpec, Row, register

OTHER_AGENCY_NIP = "NIP terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"
OTHER_AGENCY_UNIT = "Unit terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"
FOREIGN_GRANTS_LOGIN = (
    "NIP ini milik akun yang memegang peran di luar Perangkat Daerah unitnya; hubungi Admin Daerah"
)
FOREIGN_GRANTS_EMAIL = (
    "e-mail akun ini hanya dapat diubah oleh Admin Daerah: pemiliknya memegang peran "
    "di Perangkat Daerah lain atau sebagai Admin Daerah"
)


def users_in_use(user_ids: list[int]) -> set[int]:
    """Accounts someone owns: logged in once, set a password, hold a role, or belong to a
    supervisor (taking one over would give the power to score subordinates)."""
    found: set[int] = set()
    for chunk in _chunks(list(user_ids), 900):
        found.update(
            User.objects.filter(pk__in=chunk)
            .filter(
                Q(last_login__isnull=False)
                | ~Q(password__startswith="!")
                | Q(role_grants__isnull=False)
                | Q(employee_record__subordinates__is_active=True)
            )
            .values_list("pk", flat=True)
        )
    return found


def grants_by_user(user_ids: list[int]) -> dict[int, list[tuple[str, int | None, int | None]]]:
    grants: dict[int, list[tuple[str, int | None, int | None]]] = {}
    for chunk in _chunks(list(user_ids), 900):
        for user_id, role, agency_id, region_id in RoleGrant.objects.filter(
            user_id__in=chunk
        ).values_list("user_id", "role", "agency_id", "region_id"):
            grants.setdefault(user_id, []).append((role, agency_id, region_id))
    return grants


def grants_outside(grants, agency_ids: frozenset[int] | set[int]) -> bool:
    """Any grant of the Admin Daerah, or in an agency not among ``agency_ids``."""
    return any(
        role == Role.ADMIN_DAERAH or agency_id not in agency_ids for role, agency_id, _ in grants
    )


@dataclass
class UpsertPlan:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def find_cycles(parent_of: dict[str, str | None], starts: list[str]) -> dict[str, list[str]]:
    """Members of every cycle reachable from ``starts``, each mapped to its cycle's path."""
    in_cycle: dict[str, list[str]] = {}
    safe: set[str] = set()
    for start in starts:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in safe and node not in in_cycle:
            if node in position:
                cycle = path[position[node] :]
                for member in cycle:
                    in_cycle[member] = [*cycle, cycle[0]]
                break
            position[node] = len(path)
            path.append(node)
            node = parent_of.get(node)
        safe.update(n for n in path if n not in in_cycle)
    return in_cycle


# --- agencies ---------------------------------------------------------------------------------


@register
class AgencySpec(ImportSpec):
    kind = "agencies"
    title = "Perangkat Daerah"
    written_models = (Agency,)
    region_from_file = True
    region_wide_only = True
    columns = (
        Column("Kode Perangkat Daerah", as_text=True, max_length=30),
        Column("Nama Perangkat Daerah", max_length=200),
        Column("Kode Daerah", as_text=True, max_length=20),
        Column("Nama Daerah", max_length=200),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        own_code = (
            self.context.region.code
            if self.context.region is not None
            else self.context.region_code
        )
        self.check_duplicates(
            rows,
            lambda r: (
                r.text("Kode Daerah").casefold(),
                r.text("Kode Perangkat Daerah").casefold(),
            ),
            "Kode Perangkat Daerah",
        )
        region_names: dict[str, tuple[str, int]] = {}
        for row in rows:
            code, name = row.text("Kode Daerah"), row.text("Nama Daerah")
            if own_code and code and code.casefold() != own_code.casefold():
                self.error(row, "Kode Daerah", f"hanya dapat mengimpor untuk daerah {own_code}")
            if code and name:
                first = region_names.setdefault(code.casefold(), (name, row.number))
                if first[0] != name:
                    self.error(
                        row,
                        "Nama Daerah",
                        f"berbeda dengan baris {first[1]} untuk Kode Daerah yang sama",
                    )
        regions = {r.code.casefold(): r for r in Region.objects.all()}
        existing = {
            (a.region.code.casefold(), a.code.casefold()): a
            for a in Agency.objects.select_related("region")
        }
        plan = UpsertPlan(extra={"regions": region_names})
        for row in rows:
            key = (row.text("Kode Daerah").casefold(), row.text("Kode Perangkat Daerah").casefold())
            values = {
                "region_code": row.text("Kode Daerah"),
                "code": row.text("Kode Perangkat Daerah"),
                "name": row.text("Nama Perangkat Daerah"),
            }
            if key in existing:
                plan.updates.append({**values, "obj": existing[key]})
            else:
                plan.creates.append(values)
        plan.extra["existing_regions"] = regions
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        regions: dict[str, Region] = plan.extra["existing_regions"]
        for key, (name, _row) in plan.extra["regions"].items():
            region = regions.get(key)
            if region is None:
                code = next(
                    v["region_code"]
                    for v in plan.creates + plan.updates
                    if v["region_code"].casefold() == key
                )
                regions[key] = Region.objects.create(code=code, name=name)
            elif region.name != name:
                region.name = name
                region.save(update_fields=["name"])
        Agency.objects.bulk_create(
            Agency(
                region=regions[v["region_code"].casefold()],
                code=v["code"],
                name=v["name"],
                kind=AgencyKind.guess(v["name"]),
            )
            for v in plan.creates
        )
        for v in plan.updates:
            agency = v["obj"]
            agency.name = v["name"]
            agency.save(update_fields=["name"])
        result.created, result.updated = len(plan.creates), len(plan.updates)


# --- units ------------------------------------------------------------------------------------


@register
class UnitSpec(ImportSpec):
    kind = "units"
    title = "Unit kerja"
    written_models = (Unit,)
    columns = (
        Column("Kode Unit", as_text=True, max_length=30),
        Column("Nama Unit", max_length=200),
        Column("Kode Induk", optional=True, as_text=True),
        Column("Kode Perangkat Daerah", as_text=True),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        region = self.context.region
        allowed = self.context.agency_ids
        self.check_duplicates(rows, lambda r: r.text("Kode Unit").casefold(), "Kode Unit")
        agencies = {a.code.casefold(): a for a in Agency.objects.filter(region=region)}
        existing = {u.code.casefold(): u for u in Unit.objects.filter(region=region)}
        in_file: dict[str, Row] = {}
        for row in rows:
            in_file.setdefault(row.text("Kode Unit").casefold(), row)

        def agency_of_row(row: Row) -> Agency | None:
            return agencies.get(row.text("Kode Perangkat Daerah").casefold())

        for row in rows:
            code = row.text("Kode Unit").casefold()
            agency = agency_of_row(row)
            if agency is None and not row.is_blank("Kode Perangkat Daerah"):
                self.error(
                    row,
                    "Kode Perangkat Daerah",
                    "Kode Perangkat Daerah tidak ditemukan di daerah ini",
                )
            elif agency is not None and allowed is not None and agency.pk not in allowed:
                self.error(
                    row,
                    "Kode Perangkat Daerah",
                    "Perangkat Daerah lain; hanya Perangkat Daerah Anda yang dapat diimpor",
                )
            current = existing.get(code)
            if current and agency and current.agency_id != agency.pk:
                message = (
                    OTHER_AGENCY_UNIT
                    if allowed is not None
                    else "Kode Unit sudah terdaftar di Perangkat Daerah lain"
                )
                self.error(row, "Kode Unit", message)
            parent_code = row.text("Kode Induk").casefold()
            if not parent_code:
                continue
            if parent_code == code:
                self.error(row, "Kode Induk", "unit tidak dapat menjadi induk dirinya sendiri")
                continue
            if parent_code in in_file:
                parent_agency = agency_of_row(in_file[parent_code])
                parent_agency_id = parent_agency.pk if parent_agency else None
            elif parent_code in existing:
                parent_agency_id = existing[parent_code].agency_id
            else:
                self.error(row, "Kode Induk", "Kode Induk tidak ditemukan")
                continue
            if agency and parent_agency_id and parent_agency_id != agency.pk:
                self.error(row, "Kode Induk", "unit induk berada di Perangkat Daerah lain")

        parent_of = self._existing_parents(region)
        for code, row in in_file.items():
            parent_of[code] = row.text("Kode Induk").casefold() or None
        for code, cycle in find_cycles(parent_of, list(in_file)).items():
            if code in in_file:
                self.error(in_file[code], "Kode Induk", "siklus unit induk: " + " → ".join(cycle))

        plan = UpsertPlan()
        for row in rows:
            values = {
                "code": row.text("Kode Unit"),
                "name": row.text("Nama Unit"),
                "parent_code": row.text("Kode Induk").casefold(),
                "agency": agency_of_row(row),
            }
            current = existing.get(values["code"].casefold())
            (plan.updates if current else plan.creates).append({**values, "obj": current})
        plan.extra["existing"] = existing
        return plan

    @staticmethod
    def _existing_parents(region: Region) -> dict[str, str | None]:
        pairs = Unit.objects.filter(region=region).values_list("code", "parent__code")
        return {c.casefold(): (p.casefold() if p else None) for c, p in pairs}

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        from ..audit import import_audit_entries, unit_snapshots

        region = self.context.region
        before = unit_snapshots([v["obj"] for v in plan.updates])
        created = Unit.objects.bulk_create(
            Unit(region=region, agency=v["agency"], code=v["code"], name=v["name"])
            for v in plan.creates
        )
        by_code = dict(plan.extra["existing"])
        by_code.update({u.code.casefold(): u for u in created})
        to_update = []
        for v in plan.creates + plan.updates:
            unit = by_code[v["code"].casefold()]
            unit.name = v["name"]
            unit.parent = by_code[v["parent_code"]] if v["parent_code"] else None
            to_update.append(unit)
        Unit.objects.bulk_update(to_update, ["name", "parent"], batch_size=1000)
        import_audit_entries(
            objects=to_update, before=before, after=unit_snapshots(to_update),
            object_type="unit", label="Unit kerja", context=self.context,
        )  # fmt: skip
        result.created, result.updated = len(plan.creates), len(plan.updates)


# --- positions --------------------------------------------------------------------------------

_POSITION_KINDS = {k.value.lower(): k.value for k in PositionKind}
_JF_LEVELS = {label.lower(): label for label, _label in jf_level_choices()}


@register
class PositionSpec(ImportSpec):
    kind = "positions"
    title = "Jabatan"
    written_models = (JobPosition,)
    region_wide_only = True
    columns = (
        Column("Kode Jabatan", as_text=True, max_length=30),
        Column("Nama Jabatan", max_length=200),
        Column("Jenis Jabatan"),
        Column("Jenjang", optional=True),
        Column("Kelas Jabatan"),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        self.check_duplicates(rows, lambda r: r.text("Kode Jabatan").casefold(), "Kode Jabatan")
        existing = {
            p.code.casefold(): p for p in JobPosition.objects.filter(region=self.context.region)
        }
        plan = UpsertPlan()
        for row in rows:
            kind = self.parse(
                row, "Jenis Jabatan", lambda c: cells.choice(c, _POSITION_KINDS, "Jenis Jabatan")
            )
            level = ""
            if kind == PositionKind.FUNGSIONAL:
                if row.is_blank("Jenjang"):
                    self.error(row, "Jenjang", REQUIRED)
                else:
                    level = (
                        self.parse(row, "Jenjang", lambda c: cells.choice(c, _JF_LEVELS, "Jenjang"))
                        or ""
                    )
            elif kind and not row.is_blank("Jenjang"):
                self.error(row, "Jenjang", "hanya diisi untuk jabatan Fungsional")
            grade = self.parse(row, "Kelas Jabatan", lambda c: cells.whole_number(c, minimum=1))
            if grade is not None and grade > 17:
                self.error(row, "Kelas Jabatan", "harus 1 sampai 17")
            values = {
                "code": row.text("Kode Jabatan"),
                "name": row.text("Nama Jabatan"),
                "kind": kind,
                "jf_level": level,
                "grade": grade,
            }
            current = existing.get(values["code"].casefold())
            (plan.updates if current else plan.creates).append({**values, "obj": current})
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        from ..audit import import_audit_entries, position_snapshots

        region = self.context.region
        before = position_snapshots([v["obj"] for v in plan.updates])
        created = JobPosition.objects.bulk_create(
            JobPosition(region=region, **{k: v for k, v in values.items() if k != "obj"})
            for values in plan.creates
        )
        updated = []
        for values in plan.updates:
            position = values["obj"]
            for attr in ("name", "kind", "jf_level", "grade"):
                setattr(position, attr, values[attr])
            updated.append(position)
        JobPosition.objects.bulk_update(
            updated, ["name", "kind", "jf_level", "grade"], batch_size=1000
        )
        changed = [*created, *updated]
        import_audit_entries(
            objects=changed, before=before, after=position_snapshots(changed),
            object_type="position", label="Jabatan", context=self.context,
        )  # fmt: skip
        result.created, result.updated = len(plan.creates), len(updated)


# --- employees --------------------------------------------------------------------------------

_GENDERS = {"l": Gender.L, "p": Gender.P, "laki-laki": Gender.L, "perempuan": Gender.P}
_STATUSES = {"pns": AsnStatus.PNS, "pppk": AsnStatus.PPPK, "p3k": AsnStatus.PPPK}


@register
class EmployeeSpec(ImportSpec):
    kind = "employees"
    title = "Pegawai"
    written_models = (Employee, User)
    columns = (
        Column("NIP", as_text=True),
        Column("Nama", max_length=200),
        Column("Gelar Depan", optional=True, max_length=50),
        Column("Gelar Belakang", optional=True, max_length=80),
        Column("Jenis Kelamin"),
        Column("Tanggal Lahir"),
        Column("Status ASN"),
        Column("Golongan", as_text=True),
        Column("Kode Jabatan", as_text=True),
        Column("Kode Unit", as_text=True),
        Column("NIP Atasan", optional=True, as_text=True),
        Column("Email", optional=True, max_length=254),
    )

    def validate(self, rows: list[Row]) -> UpsertPlan:
        region = self.context.region
        allowed = self.context.agency_ids
        today = self.context.today
        positions = {p.code.casefold(): p for p in JobPosition.objects.filter(region=region)}
        units = {u.code.casefold(): u for u in Unit.objects.filter(region=region)}

        parsed: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            nip = self.parse(row, "NIP", cells.nip)
            supervisor_nip = self.parse(row, "NIP Atasan", cells.nip)
            gender = self.parse(
                row, "Jenis Kelamin", lambda c: cells.choice(c, _GENDERS, "Jenis Kelamin")
            )
            birth = self.parse(row, "Tanggal Lahir", cells.date)
            status = self.parse(
                row, "Status ASN", lambda c: cells.choice(c, _STATUSES, "Status ASN")
            )
            if nip:
                # Checked even when the birth date, gender or status is blank or invalid (that
                # cell has its own error); the missing comparisons are skipped.
                try:
                    nip = validate_nip(
                        nip,
                        asn_status=status or "",
                        birth_date=birth,
                        gender=gender,
                        today=today,
                    )
                except ValidationError as exc:
                    self.error(row, "NIP", "; ".join(exc.messages))
            golongan = None
            if status:
                golongan = self.parse(
                    row,
                    "Golongan",
                    lambda c, s=status: normalize_golongan(cells.text(c), asn_status=s),
                )
            position = positions.get(row.text("Kode Jabatan").casefold())
            if position is None and not row.is_blank("Kode Jabatan"):
                self.error(
                    row, "Kode Jabatan", "Kode Jabatan tidak ditemukan di katalog jabatan daerah"
                )
            unit = units.get(row.text("Kode Unit").casefold())
            if unit is None and not row.is_blank("Kode Unit"):
                self.error(row, "Kode Unit", "Kode Unit tidak ditemukan")
            elif unit is not None and allowed is not None and unit.agency_id not in allowed:
                self.error(
                    row, "Kode Unit", OTHER_AGENCY_NIP
                )  # one message for a unit or a NIP of another agency
            email = row.text("Email")
            if email and not self.errors.has(row.number, "Email"):
                try:
                    validate_email(email)
                except ValidationError:
                    self.error(row, "Email", "alamat e-mail tidak valid")
            parsed.append(
                (
                    row,
                    {
                        "nip": nip,
                        "name": row.text("Nama"),
                        "front_title": row.text("Gelar Depan"),
                        "back_title": row.text("Gelar Belakang"),
                        "gender": gender,
                        "birth_date": birth,
                        "asn_status": status,
                        "golongan": golongan,
                        "position": position,
                        "unit": unit,
                        "supervisor_nip": supervisor_nip,
                        "email": email,
                    },
                )
            )

        self.check_duplicates(rows, lambda r: clean_nip_text(r.text("NIP")), "NIP")
        self.check_duplicates(rows, lambda r: r.text("Email").casefold(), "Email")

        file_nips: dict[str, Row] = {}
        for row, values in parsed:
            if values["nip"]:
                file_nips.setdefault(values["nip"], row)
        existing = {
            e.nip: e
            for chunk in _chunks(list(file_nips), 900)
            for e in Employee.objects.filter(nip__in=chunk).select_related("user")
        }
        region_supervisors = dict(
            Employee.objects.filter(region=region).values_list("nip", "supervisor__nip")
        )
        for nip, employee in existing.items():
            row = file_nips[nip]
            if employee.region_id != region.pk:
                self.error(row, "NIP", "NIP terdaftar di daerah lain")
            elif allowed is not None and employee.agency_id not in allowed:
                self.error(row, "NIP", OTHER_AGENCY_NIP)

        # A login named after a new NIP may exist without an employee (a deleted record):
        # it is reused, unless it holds roles outside the agency the row imports into (that
        # would hand those roles to whoever imports the file). One that belongs to another
        # employee is a conflict.
        new_nips = [nip for nip in file_nips if nip not in existing]
        orphans: dict[str, User] = {}
        for chunk in _chunks(new_nips, 900):
            for user in User.objects.filter(username__in=chunk):
                if Employee.objects.filter(user=user).exists():
                    self.error(
                        file_nips[user.username], "NIP", "NIP sudah dipakai akun pegawai lain"
                    )
                else:
                    orphans[user.username] = user
        values_by_nip = {v["nip"]: v for _r, v in parsed if v["nip"]}
        account_ids = [u.pk for u in orphans.values()] + [
            e.user_id for e in existing.values() if e.user_id
        ]
        grants = grants_by_user(account_ids)
        in_use = users_in_use(account_ids)
        for nip, user in orphans.items():
            unit = values_by_nip[nip]["unit"]
            target = {unit.agency_id} if unit is not None else set()
            if allowed is not None:
                target &= set(allowed)
            if grants_outside(grants.get(user.pk, []), target):
                self.error(file_nips[nip], "NIP", FOREIGN_GRANTS_LOGIN)

        # A new e-mail of an account in use waits for its owner's confirmation; an Admin HR
        # never changes it for a holder of roles outside their agencies.
        held_emails: dict[str, str] = {}
        for nip, employee in existing.items():
            new_email = values_by_nip[nip]["email"]
            user = employee.user
            if user is None or new_email.casefold() == (employee.email or "").casefold():
                continue
            if allowed is not None and grants_outside(grants.get(user.pk, []), set(allowed)):
                self.error(file_nips[nip], "Email", FOREIGN_GRANTS_EMAIL)
            elif user.pk in in_use and new_email:
                held_emails[nip] = new_email
        for nip, user in orphans.items():
            new_email = values_by_nip[nip]["email"]
            if user.pk in in_use and user.email and new_email.casefold() != user.email.casefold():
                held_emails[nip] = new_email

        emails: dict[str, tuple[Row, str]] = {}
        for row, values in parsed:
            if values["email"]:
                emails.setdefault(values["email"].casefold(), (row, values["nip"] or ""))
        if emails:
            taken = {
                (email, username)
                for chunk in _chunks(list(emails), 900)
                for email, username in User.objects.annotate(e=Lower("email"))
                .filter(e__in=chunk)
                .values_list("e", "username")
            }
            for email, username in taken:
                row, nip = emails[email]
                owner = existing.get(nip)
                own_username = owner.user.username if owner and owner.user else nip
                if username != own_username:
                    self.error(row, "Email", "e-mail sudah dipakai akun lain")

        parent_of: dict[str, str | None] = dict(region_supervisors)
        for row, values in parsed:
            nip, sup = values["nip"], values["supervisor_nip"]
            if not nip:
                continue
            if sup and sup == nip:
                self.error(row, "NIP Atasan", "pegawai tidak dapat menjadi atasan dirinya sendiri")
                continue
            if sup and sup not in file_nips and sup not in region_supervisors:
                self.error(row, "NIP Atasan", "NIP Atasan tidak ditemukan di daerah ini")
            parent_of[nip] = sup or None
        for nip, cycle in find_cycles(parent_of, list(file_nips)).items():
            if nip in file_nips:
                self.error(file_nips[nip], "NIP Atasan", "siklus atasan: " + " → ".join(cycle))

        plan = UpsertPlan(extra={"held_emails": held_emails})
        for _row, values in parsed:
            current = existing.get(values["nip"])
            if values["nip"] in held_emails:
                kept = current.email if current else orphans[values["nip"]].email
                values = {**values, "email": kept}
            (plan.updates if current else plan.creates).append({**values, "obj": current})
        return plan

    def apply(self, plan: UpsertPlan, result: ImportResult) -> None:
        from reports.jobs import job_create

        from ..audit import employee_snapshots, import_audit_entries
        from ..paths import rebuild_supervisor_paths
        from ..services import _request_login_change

        before = employee_snapshots([v["obj"] for v in plan.updates])

        region = self.context.region
        unusable = make_password(None)
        users = {
            u.username: u
            for chunk in _chunks([v["nip"] for v in plan.creates], 900)
            for u in User.objects.filter(username__in=chunk, employee_record__isnull=True)
        }
        orphans = []
        for v in plan.creates:
            if v["nip"] in users:
                user = users[v["nip"]]
                user.email, user.first_name = v["email"], v["name"][:150]
                orphans.append(user)
        User.objects.bulk_update(orphans, ["email", "first_name"], batch_size=1000)
        new_users = User.objects.bulk_create(
            User(username=v["nip"], email=v["email"], password=unusable, first_name=v["name"][:150])
            for v in plan.creates
            if v["nip"] not in users
        )
        users.update({u.username: u for u in new_users})
        fields = (
            "name",
            "front_title",
            "back_title",
            "gender",
            "birth_date",
            "asn_status",
            "golongan",
        )
        created = Employee.objects.bulk_create(
            Employee(
                region=region,
                agency_id=v["unit"].agency_id,
                unit=v["unit"],
                position=v["position"],
                user=users[v["nip"]],
                nip=v["nip"],
                email=v["email"],
                **{f: v[f] for f in fields},
            )
            for v in plan.creates
        )
        invite_user_ids = [
            users[v["nip"]].pk
            for v in plan.creates
            if v["email"] and not users[v["nip"]].has_usable_password()
        ]

        updated: list[Employee] = []
        users_to_update: list[User] = []
        for v in plan.updates:
            employee: Employee = v["obj"]
            for f in fields:
                setattr(employee, f, v[f])
            employee.unit, employee.position, employee.agency_id = (
                v["unit"],
                v["position"],
                v["unit"].agency_id,
            )
            had_email = bool(employee.email)
            employee.email = v["email"]
            updated.append(employee)
            user = employee.user
            if user is not None and user.email != v["email"]:
                user.email = v["email"]
                users_to_update.append(user)
                if v["email"] and not had_email and not user.has_usable_password():
                    invite_user_ids.append(user.pk)
        Employee.objects.bulk_update(
            updated, [*fields, "unit", "position", "agency", "email"], batch_size=1000
        )
        User.objects.bulk_update(users_to_update, ["email"], batch_size=1000)

        # Supervisors last: they may be rows created above, later in the file.
        by_nip = {e.nip: e for e in [*created, *updated]}
        wanted = {v["nip"]: v["supervisor_nip"] for v in plan.creates + plan.updates}
        missing = {s for s in wanted.values() if s and s not in by_nip}
        ids = (
            dict(Employee.objects.filter(region=region, nip__in=missing).values_list("nip", "pk"))
            if missing
            else {}
        )
        ids.update({nip: e.pk for nip, e in by_nip.items()})
        for nip, sup in wanted.items():
            by_nip[nip].supervisor_id = ids[sup] if sup else None
        Employee.objects.bulk_update(list(by_nip.values()), ["supervisor"], batch_size=1000)
        rebuild_supervisor_paths(region_id=region.pk)

        # One audit entry per row that changed anything, naming the import run.
        import_audit_entries(
            objects=list(by_nip.values()), before=before,
            after=employee_snapshots(list(by_nip.values())),
            object_type="employee", label="Data pegawai", context=self.context,
        )  # fmt: skip
        run = self.context.import_run
        actor = self.context.user
        held = plan.extra.get("held_emails", {})
        if held:
            requester = actor if actor is not None and actor.pk else None
            for nip, new_email in held.items():
                employee = Employee.objects.select_related("user").get(pk=by_nip[nip].pk)
                _request_login_change(
                    employee=employee,
                    field="email",
                    value=new_email,
                    acting_user=requester,
                    reason=f"Impor #{run.pk}" if run is not None else "Impor",
                )
        result.details["held_emails"] = len(held)
        result.created, result.updated = len(created), len(updated)
        if invite_user_ids:
            job = job_create(
                kind="send_invitations",
                payload={"user_ids": invite_user_ids},
                created_by=self.context.user,
                region=region,
                total=len(invite_user_ids),
            )
            result.details["invitation_job"] = job.pk
        result.details["invitations"] = len(invite_user_ids)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
