"""Build the demo region: deterministic, idempotent, and fast enough for 60,000 employees."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from agencies import demo
from agencies.importing.base import ANALYZE_AFTER_ROWS
from agencies.models import Agency, Employee, JobPosition, Region, Role, RoleGrant, Unit, User
from agencies.paths import rebuild_supervisor_paths
from asn_portal.db import analyze
from indicators import demo as indicator_demo

ROLE_ORDER = (
    "pegawai", "atasan", "atasan_pejabat_penilai", "peer", "admin_hr", "tim_penilai", "verifikator",
)  # fmt: skip
GRANTED = {
    "admin_hr": Role.ADMIN_HR,
    "tim_penilai": Role.TIM_PENILAI,
    "verifikator": Role.VERIFIKATOR,
}


class Command(BaseCommand):
    help = (
        "Isi data demo: satu daerah, enam Perangkat Daerah (satu per skema), pegawai dan akun demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=300)
        parser.add_argument("--agencies", type=int, default=6)
        parser.add_argument("--quiet-logins", action="store_true", help="jangan cetak tabel login")
        parser.add_argument(
            "--no-prescore",
            action="store_true",
            help="jangan isi nilai pegawai lain (bawaan: semua kecuali pegawai demo sudah dinilai)",
        )

    def handle(
        self, *args, employees: int, agencies: int, quiet_logins: bool, no_prescore=False, **options
    ):
        started = time.monotonic()
        data = demo.build_demo(employees=employees, agencies=agencies)
        password = make_password(settings.DEMO_PASSWORD)  # hashed once: ~0.3 s per hash
        with transaction.atomic():
            region = self._region()
            positions = self._positions(region)
            agency_by_code = self._agencies(region, data)
            unit_by_code = self._units(region, data, agency_by_code)
            created = self._employees(
                region, data, password, positions, agency_by_code, unit_by_code
            )
            rebuild_supervisor_paths(region_id=region.pk)
            self._grants(region, data, password)
            admin = User.objects.get(username="admin.daerah")
            sets = indicator_demo.seed_indicator_sets(region, acting_user=admin)
            attendance, sanctions = indicator_demo.seed_attendance_and_discipline(region)
            from appraisals.demo import seed_demo_cycles

            cycles = seed_demo_cycles(region, acting_user=admin)
            # The README's pegawai of each agency play the cycle; everyone else is scored.
            from appraisals.demo import prescore_demo_cycles

            keep = {p.nip for a in data.agencies for p in a.personas.get("pegawai", [])}
            from feedback.survey_demo import seed_survey_demo

            # Before the pre-scoring, so the rakumpit agency's scores include the unit's IKM.
            survey_answers = seed_survey_demo(region, data)
            prescored = (
                prescore_demo_cycles(region, keep_nips=keep) if cycles and not no_prescore else 0
            )
            # Last year's cycle, already released: history and promotion (docs/dashboards.md).
            from appraisals.demo import seed_demo_history

            history = 0 if no_prescore else seed_demo_history(region, acting_user=admin)
            from appraisals.demo import seed_demo_organisation_predikat

            seed_demo_organisation_predikat(region, acting_user=admin)

            # Peer lists and answers for the README's pegawai and first peer of each agency
            # whose scheme blends peers in (docs/feedback.md).
            from feedback.demo import seed_demo_peers

            peer_lists = seed_demo_peers(
                region,
                personas=[
                    (a.blueprint.code, [p.nip for p in a.personas["pegawai"] + a.personas["peer"]])
                    for a in data.agencies
                    if len(a.personas.get("peer", [])) == 3
                ],
            )
        if created >= ANALYZE_AFTER_ROWS:
            analyze()  # the planner's statistics of the freshly written tables
        self.stdout.write(
            f"Data demo siap: {len(data.agencies)} Perangkat Daerah, "
            f"{sum(len(a.people) for a in data.agencies)} pegawai ({created} baru), "
            f"{sets} set indikator baru, {attendance} data kehadiran dan {sanctions} hukuman "
            f"disiplin baru, {cycles} siklus penilaian baru ({prescored} penilaian sudah dinilai, "
            f"{peer_lists} daftar rekan kerja, {history} siklus tahun lalu), "
            f"{survey_answers} jawaban survei kepuasan masyarakat baru "
            f"dalam {time.monotonic() - started:.1f} detik."
        )
        if not quiet_logins:
            self.stdout.write(self.logins_table(data))

    # --- writers ----------------------------------------------------------------------------
    def _region(self) -> Region:
        region, _ = Region.objects.get_or_create(
            code=demo.REGION_CODE, defaults={"name": demo.REGION_NAME}
        )
        return region

    def _positions(self, region: Region) -> dict[str, JobPosition]:
        JobPosition.objects.bulk_create(
            [
                JobPosition(region=region, code=c, name=n, kind=k, jf_level=j, grade=g)
                for c, n, k, j, g in demo.POSITIONS
            ],
            ignore_conflicts=True,
        )
        return {p.code: p for p in JobPosition.objects.filter(region=region)}

    def _agencies(self, region: Region, data: demo.DemoData) -> dict[str, Agency]:
        from agencies.models import AgencyKind

        existing = {a.code: a for a in Agency.objects.filter(region=region)}
        Agency.objects.bulk_create(
            Agency(
                region=region,
                code=a.blueprint.code,
                name=a.blueprint.name,
                kind=AgencyKind.guess(a.blueprint.name),
                default_scheme=a.blueprint.scheme,
            )
            for a in data.agencies
            if a.blueprint.code not in existing
        )
        return {a.code: a for a in Agency.objects.filter(region=region)}

    def _units(self, region, data, agency_by_code) -> dict[str, Unit]:
        blueprints = [u for a in data.agencies for u in a.units]
        existing = set(Unit.objects.filter(region=region).values_list("code", flat=True))
        Unit.objects.bulk_create(
            (
                Unit(region=region, agency=agency_by_code[u.agency_code], code=u.code, name=u.name)
                for u in blueprints
                if u.code not in existing
            ),
            batch_size=1000,
        )
        by_code = {u.code: u for u in Unit.objects.filter(region=region)}
        changed = []
        for u in blueprints:
            unit = by_code[u.code]
            parent_id = by_code[u.parent_code].pk if u.parent_code else None
            if unit.parent_id != parent_id:
                unit.parent_id = parent_id
                changed.append(unit)
        Unit.objects.bulk_update(changed, ["parent"], batch_size=1000)
        return by_code

    def _employees(self, region, data, password, positions, agency_by_code, unit_by_code) -> int:
        people = list(data.people())
        existing = set(Employee.objects.filter(region=region).values_list("nip", flat=True))
        new = [p for p in people if p.nip not in existing]
        User.objects.bulk_create(
            (
                User(username=p.nip, email=p.email, password=password, first_name=p.name[:150])
                for p in new
            ),
            batch_size=2000,
            ignore_conflicts=True,
        )
        user_ids = (
            dict(
                User.objects.filter(username__in=[p.nip for p in new]).values_list("username", "pk")
            )
            if len(new) < 5000
            else dict(User.objects.values_list("username", "pk"))
        )
        nip_to_pk: dict[str, int] = dict(
            Employee.objects.filter(region=region).values_list("nip", "pk")
        )
        # Top-down by level, so every supervisor has a primary key before its subordinates.
        for level in sorted({p.level for p in new}):
            batch = [p for p in new if p.level == level]
            Employee.objects.bulk_create(
                (
                    Employee(
                        region=region,
                        agency=agency_by_code[p.agency_code],
                        unit=unit_by_code[p.unit_code],
                        position=positions[p.position_code],
                        user_id=user_ids.get(p.nip),
                        nip=p.nip,
                        name=p.name,
                        front_title=p.front_title,
                        back_title=p.back_title,
                        gender=p.gender,
                        birth_date=p.birth_date,
                        asn_status=p.asn_status,
                        golongan=p.golongan,
                        email=p.email,
                        supervisor_id=nip_to_pk.get(p.supervisor_nip) if p.supervisor_nip else None,
                    )
                    for p in batch
                ),
                batch_size=2000,
            )
            nip_to_pk.update(
                Employee.objects.filter(
                    region=region, nip__in=[p.nip for p in batch][:50000]
                ).values_list("nip", "pk")
            ) if len(batch) < 5000 else nip_to_pk.update(
                Employee.objects.filter(region=region).values_list("nip", "pk")
            )
        return len(new)

    def _grants(self, region, data, password) -> None:
        admin, created = User.objects.get_or_create(
            username="admin.daerah",
            defaults={
                "email": demo.ADMIN_DAERAH_EMAIL,
                "first_name": demo.ADMIN_DAERAH_NAME,
                "password": password,
            },
        )
        RoleGrant.objects.get_or_create(user=admin, role=Role.ADMIN_DAERAH, region=region)
        agencies = {a.code: a for a in Agency.objects.filter(region=region)}
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[
                    p.nip for a in data.agencies for ps in a.personas.values() for p in ps
                ]
            )
        }
        for agency in data.agencies:
            for role_key, role in GRANTED.items():
                for person in agency.personas.get(role_key, []):
                    RoleGrant.objects.get_or_create(
                        user=users[person.nip], role=role, agency=agencies[agency.blueprint.code]
                    )

    # --- README table ---------------------------------------------------------------------
    @staticmethod
    def logins_table(data: demo.DemoData) -> str:
        lines = [
            "| Agency | Scheme | Role | Name | Login |",
            "|---|---|---|---|---|",
        ]
        for agency in data.agencies[:6]:
            for role in ROLE_ORDER:
                for person in agency.personas.get(role, []):
                    full = f"{person.front_title} {person.name}".strip()
                    if person.back_title:
                        full = f"{full}, {person.back_title}"
                    lines.append(
                        f"| {agency.blueprint.name} | {agency.blueprint.scheme} | {role} "
                        f"| {full} | {person.nip} |"
                    )
        lines.append(
            f"| {demo.REGION_NAME} | - | admin_daerah | {demo.ADMIN_DAERAH_NAME} "
            f"| {demo.ADMIN_DAERAH_EMAIL} |"
        )
        lines.append("")
        lines.append(f"Password for all demo accounts: {settings.DEMO_PASSWORD}")
        return "\n".join(lines)
