"""Writes to organisation data (see docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import scope_for
from .audit import changed_fields, employee_snapshot, org_audit_record
from .importing.base import REGISTRY, ImportContext, ImportFileError, run_import
from .models import Agency, Employee, ImportRun, Region, Role, User
from .paths import move_employee

NIP_CHANGE_SALT = "agencies.nip-change"
NIP_CHANGE_MAX_AGE = 3 * 24 * 3600  # seconds a NIP change link stays valid


def supervisor_cycle(employee: Employee, supervisor: Employee | None) -> list[str] | None:
    """The cycle (as NIPs) that making ``supervisor`` the atasan of ``employee`` would close:
    there is one when ``employee`` is already above ``supervisor`` (read from its path)."""
    if supervisor is None:
        return None
    if supervisor.pk == employee.pk:
        return [employee.nip, employee.nip]
    if not supervisor.supervisor_path.startswith(employee.subtree_prefix):
        return None
    between = [
        int(i) for i in supervisor.supervisor_path[len(employee.subtree_prefix) :].split("/") if i
    ]
    nips = dict(Employee.objects.filter(pk__in=between).values_list("pk", "nip"))
    upward = [supervisor.nip, *(nips[pk] for pk in reversed(between))]
    return [employee.nip, *upward, employee.nip]


@transaction.atomic
def employee_update(
    *,
    acting_user: User,
    employee: Employee,
    data: dict[str, Any],
    supervisor_nip: str,
    reason: str = "",
) -> Employee:
    """Save an HR edit. A move to a unit of another agency is a transfer (Admin Daerah).

    A new e-mail or NIP of an account in use takes effect only once its owner confirms it
    (the e-mail from the new address, the NIP from the current one); the rest of the edit is
    saved at once. ``employee.pending_changes`` lists what waits for a confirmation.
    """
    scope = scope_for(acting_user)
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    before = employee_snapshot(locked)
    before_supervisor_id = locked.supervisor_id
    unit = data["unit"]
    if unit.agency_id != locked.agency_id and locked.region_id not in scope.region_ids:
        raise ValidationError({"unit": "Mutasi antar Perangkat Daerah dilakukan oleh Admin Daerah"})
    supervisor = None
    if supervisor_nip:
        nip = "".join(supervisor_nip.split())
        supervisor = Employee.objects.filter(nip=nip, region_id=locked.region_id).first()
        if supervisor is None:
            raise ValidationError({"supervisor_nip": "NIP atasan tidak ditemukan di daerah ini"})
        cycle = supervisor_cycle(locked, supervisor)
        if cycle:
            raise ValidationError(
                {"supervisor_nip": "Membentuk siklus atasan: " + " → ".join(cycle)}
            )
    for field, value in data.items():
        setattr(locked, field, value)
    locked.agency_id = unit.agency_id
    locked.supervisor = supervisor
    locked.full_clean(exclude=["user"])
    _check_account_is_free(locked)
    pending = _hold_login_changes(locked, before=before, scope=scope)
    locked.save()
    if locked.supervisor_id != before_supervisor_id:
        move_employee(locked, supervisor)
    _sync_account(locked, acting_user=acting_user)
    old, new = changed_fields(before, employee_snapshot(locked))
    if new:
        org_audit_record(
            actor=acting_user,
            action="employee_updated",
            summary=_("Data pegawai diubah: %(fields)s") % {"fields": _field_labels(new)},
            obj=locked,
            before=old,
            after=new,
            reason=reason,
        )
    if not locked.is_active and before["is_active"]:
        grants_revoke_for(employee=locked, acting_user=acting_user, reason=reason)
    for field, value in pending.items():
        _request_login_change(
            employee=locked, field=field, value=value, acting_user=acting_user, reason=reason
        )
    locked.pending_changes = list(pending)
    return locked


def _field_labels(values: dict[str, Any]) -> str:
    from .audit import EMPLOYEE_FIELDS

    return ", ".join(EMPLOYEE_FIELDS.get(k, k) for k in values)


def account_in_use(user: User | None) -> bool:
    """An account someone owns, or whose taking over would give power: it has logged in, has
    a password, holds a role, or belongs to a supervisor (who scores subordinates)."""
    if user is None:
        return False
    return (
        user.last_login is not None
        or user.has_usable_password()
        or user.role_grants.exists()
        or Employee.objects.filter(supervisor__user=user, is_active=True).exists()
    )


def _hr_may_change_login(user: User, scope) -> bool:
    """An Admin HR never changes the login of an Admin Daerah, nor of a person holding a
    role in an agency they do not administer: that would hand them those roles."""
    grants = list(user.role_grants.values_list("role", "agency_id", "region_id"))
    for role, agency_id, region_id in grants:
        if role == Role.ADMIN_DAERAH:
            if region_id not in scope.region_ids:
                return False
        elif agency_id not in scope.hr_agency_ids:
            agency_region = (
                Agency.objects.filter(pk=agency_id).values_list("region_id", flat=True).first()
            )
            if agency_region not in scope.region_ids:
                return False
    return True


def _hold_login_changes(employee: Employee, *, before: dict[str, Any], scope) -> dict[str, str]:
    """Put back a new e-mail or NIP of an account in use, returning what must be confirmed."""
    user = employee.user
    email_changed = employee.email.casefold() != (before["email"] or "").casefold()
    nip_changed = employee.nip != before["nip"]
    if not (email_changed or nip_changed) or user is None:
        return {}
    if not _hr_may_change_login(user, scope):
        field = "email" if email_changed else "nip"
        raise ValidationError(
            {
                field: _(
                    "%(field)s akun ini hanya dapat diubah oleh Admin Daerah: pemiliknya "
                    "memegang peran di Perangkat Daerah lain atau sebagai Admin Daerah"
                )
                % {"field": "E-mail" if field == "email" else "NIP"}
            }
        )
    if not account_in_use(user):
        return {}
    pending: dict[str, str] = {}
    if email_changed and employee.email:
        pending["email"] = employee.email
        employee.email = before["email"]
    if nip_changed:
        if not user.email:
            raise ValidationError(
                {
                    "nip": _(
                        "NIP akun yang sudah dipakai berubah setelah pemiliknya "
                        "mengonfirmasi lewat e-mail; isi e-mail akun ini terlebih dahulu"
                    )
                }
            )
        pending["nip"] = employee.nip
        employee.nip = before["nip"]
    return pending


def _request_login_change(
    *, employee: Employee, field: str, value: str, acting_user: User | None, reason: str
) -> None:
    """Ask the owner to confirm a new e-mail (at that address, through allauth's e-mail
    confirmation) or a new NIP (at the current address); tell the old address."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from asn_portal.mail import send_templated_mail

    user = employee.user
    base = settings.PORTAL_BASE_URL.rstrip("/")
    context = {
        "name": employee.full_name,
        "requested_by": acting_user.display_name() if acting_user else _("Admin Daerah"),
    }
    if field == "email":
        EmailAddress.objects.filter(user=user, verified=False, primary=False).delete()
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=value.lower(), defaults={"verified": False, "primary": False}
        )
        key = EmailConfirmationHMAC(address).key
        url = base + reverse("account_confirm_email", kwargs={"key": key})
        confirm_to, notice_to = [value], [user.email] if user.email else []
        template = "email_change_confirm"
        context.update({"new_email": value, "old_email": user.email})
    else:
        token = signing.dumps(
            {"user": user.pk, "employee": employee.pk, "old": employee.nip, "new": value},
            salt=NIP_CHANGE_SALT,
        )
        url = base + reverse("nip_change_confirm", kwargs={"token": token})
        confirm_to, notice_to = [user.email], []
        template = "nip_change_confirm"
        context.update({"old_nip": employee.nip, "new_nip": value})
    context["url"] = url
    org_audit_record(
        actor=acting_user,
        action=f"{field}_change_requested",
        summary=_("Perubahan %(field)s menunggu konfirmasi pemilik akun")
        % {"field": "e-mail" if field == "email" else "NIP"},
        obj=employee,
        before={field: employee.email if field == "email" else employee.nip},
        after={field: value},
        reason=reason,
    )

    def send() -> None:
        send_templated_mail(template=template, to=confirm_to, context=context)
        if notice_to:
            send_templated_mail(template="email_change_notice", to=notice_to, context=context)

    transaction.on_commit(send)


@transaction.atomic
def employee_email_confirm(*, email_address) -> Employee | None:
    """The owner confirmed a new address from that address: it becomes the login e-mail and
    the employee's e-mail, and the other addresses of the account are dropped."""
    from allauth.account.models import EmailAddress

    user = User.objects.select_for_update().get(pk=email_address.user_id)
    new = email_address.email
    if User.objects.exclude(pk=user.pk).filter(email__iexact=new).exists():
        return None
    old = user.email
    user.email = new
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).exclude(pk=email_address.pk).delete()
    EmailAddress.objects.filter(pk=email_address.pk).update(primary=True, verified=True)
    employee = Employee.objects.select_for_update().filter(user=user).first()
    if employee is not None and employee.email.casefold() != new.casefold():
        previous = employee.email
        employee.email = new
        employee.save(update_fields=["email", "updated_at"])
        org_audit_record(
            actor=user,
            action="email_change_confirmed",
            summary=_("E-mail baru dikonfirmasi dari alamat baru"),
            obj=employee,
            before={"email": previous or old},
            after={"email": new},
        )
    return employee


def nip_change_read(token: str) -> dict[str, Any] | None:
    """The NIP change a link asks for, or ``None`` when the link is invalid or expired."""
    try:
        return signing.loads(token, salt=NIP_CHANGE_SALT, max_age=NIP_CHANGE_MAX_AGE)
    except signing.BadSignature:
        return None


@transaction.atomic
def employee_nip_confirm(*, token: str) -> Employee:
    """The owner confirmed a new NIP (their login) from their e-mail."""
    change = nip_change_read(token)
    if change is None:
        raise ValidationError({"nip": _("Tautan konfirmasi NIP tidak valid atau kedaluwarsa")})
    employee = (
        Employee.objects.select_for_update()
        .filter(pk=change["employee"], user_id=change["user"], nip=change["old"])
        .first()
    )
    if employee is None:
        raise ValidationError({"nip": _("Perubahan NIP ini sudah tidak berlaku")})
    new = change["new"]
    if (
        Employee.objects.exclude(pk=employee.pk).filter(nip=new).exists()
        or User.objects.exclude(pk=employee.user_id).filter(username=new).exists()
    ):
        raise ValidationError({"nip": _("NIP ini sudah dipakai akun lain")})
    employee.nip = new
    employee.save(update_fields=["nip", "updated_at"])
    User.objects.filter(pk=employee.user_id).update(username=new)
    org_audit_record(
        actor=employee.user,
        action="nip_change_confirmed",
        summary=_("NIP baru dikonfirmasi oleh pemilik akun"),
        obj=employee,
        before={"nip": change["old"]},
        after={"nip": new},
    )
    return employee


@transaction.atomic
def grants_revoke_for(*, employee: Employee, acting_user: User | None, reason: str = "") -> int:
    """Roles belong to a person: they end when the person's record is deactivated or
    removed. Returns how many grants were revoked."""
    if employee.user_id is None:
        return 0
    grants = list(employee.user.role_grants.select_related("agency", "region"))
    for grant in grants:
        org_audit_record(
            actor=acting_user,
            action="grant_revoked",
            summary=_("Peran %(role)s dicabut") % {"role": grant.get_role_display()},
            obj=grant,
            before={"role": grant.role, "scope": str(grant.agency or grant.region)},
            after={},
            reason=reason or _("Data pegawai dinonaktifkan atau dihapus"),
        )
    count = len(grants)
    if count:
        employee.user.role_grants.all().delete()
    return count


def _check_account_is_free(employee: Employee) -> None:
    """The login (NIP) and e-mail must not belong to another account."""
    others = User.objects.exclude(pk=employee.user_id) if employee.user_id else User.objects.all()
    if others.filter(username=employee.nip).exists():
        raise ValidationError({"nip": "NIP ini sudah dipakai akun lain"})
    if employee.email and others.filter(email__iexact=employee.email).exists():
        raise ValidationError({"email": "E-mail ini sudah dipakai akun lain"})


def _sync_account(employee: Employee, *, acting_user: User) -> None:
    """Keep the login in step with the record; invite a person who has never set a password
    as soon as they have an e-mail address."""
    from django.contrib.auth.hashers import make_password

    from reports.jobs import job_create

    user = employee.user
    if user is None:
        user = User.objects.create(
            username=employee.nip, email=employee.email, password=make_password(None),
            first_name=employee.name[:150], is_active=employee.is_active,
        )  # fmt: skip
        Employee.objects.filter(pk=employee.pk).update(user=user)
        had_email = False
    else:
        had_email = bool(user.email)
        changed = []
        for attr, value in (
            ("username", employee.nip),
            ("email", employee.email),
            ("is_active", employee.is_active),
        ):
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                changed.append(attr)
        if changed:
            user.save(update_fields=changed)
    if employee.email and not had_email and not user.has_usable_password() and user.is_active:
        job_create(
            kind="send_invitations",
            payload={"user_ids": [user.pk]},
            created_by=acting_user,
            region=employee.region,
            total=1,
        )


# --- imports from the HR pages, checked and written by a background job ----------------------


def import_context_for(user: User, spec_class) -> ImportContext:
    """Who imports into which region: an Admin HR their agencies, an Admin Daerah the region.
    Recomputed when the job runs, so that a role revoked in between no longer counts."""
    scope = scope_for(user)
    if not (scope.hr_agency_ids or scope.region_ids) or (
        spec_class.region_wide_only and not scope.is_admin_daerah
    ):
        raise PermissionDenied(_("Berkas ini hanya dapat diimpor oleh Admin Daerah"))
    region = Region.objects.get(pk=scope.region_id)
    agency_ids = None if region.pk in scope.region_ids else frozenset(scope.hr_agency_ids)
    return ImportContext(region=region, agency_ids=agency_ids, user=user, today=region.today())


def _max_stored_errors() -> int:
    return int(getattr(settings, "IMPORT_MAX_STORED_ERRORS", 1000))


@transaction.atomic
def import_run_start(*, acting_user: User, kind: str, upload) -> ImportRun:
    """Store an uploaded file and queue its check; the preview page follows the job."""
    from reports.jobs import job_create

    spec_class = REGISTRY[kind]
    context = import_context_for(acting_user, spec_class)
    run = ImportRun(
        kind=kind,
        region=context.region,
        uploaded_by=acting_user,
        original_name=upload.name[:255],
        status=ImportRun.Status.VALIDATING,
    )
    suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
    upload.seek(0)
    run.file.save(f"{kind}-{timezone.now():%Y%m%d%H%M%S}{suffix}", upload, save=False)
    run.save()
    job = job_create(
        kind="import_file",
        payload={"run_id": run.pk, "mode": "preview"},
        created_by=acting_user,
        region=context.region,
        total=100,
    )
    ImportRun.objects.filter(pk=run.pk).update(job_id=job.pk)
    run.job_id = job.pk
    return run


@transaction.atomic
def import_run_confirm(*, acting_user: User, run: ImportRun) -> bool:
    """Queue the write of a previewed file; ``False`` when it is not (or no longer) waiting
    for a confirmation. A conditional update decides, so a double click queues one job."""
    from reports.jobs import job_create

    import_context_for(acting_user, REGISTRY[run.kind])
    claimed = ImportRun.objects.filter(
        pk=run.pk, uploaded_by=acting_user, status=ImportRun.Status.PREVIEWED
    ).update(status=ImportRun.Status.IMPORTING)
    if not claimed:
        return False
    job = job_create(
        kind="import_file",
        payload={"run_id": run.pk, "mode": "apply"},
        created_by=acting_user,
        region=run.region,
        total=100,
    )
    ImportRun.objects.filter(pk=run.pk).update(job_id=job.pk)
    return True


def import_run_process(*, run_id: int, mode: str, progress=None) -> dict[str, Any]:
    """Check (``mode="preview"``) or write (``"apply"``) a stored upload. Safe to run twice:
    only a run still in the expected state is processed, and a write commits together
    with the run's new state."""
    expected = ImportRun.Status.VALIDATING if mode == "preview" else ImportRun.Status.IMPORTING
    run = ImportRun.objects.select_related("uploaded_by").filter(pk=run_id).first()
    if run is None or run.status != expected:
        return {"skipped": True}
    spec_class = REGISTRY[run.kind]
    if mode == "preview":
        fields = _import_run_outcome(run, spec_class, dry_run=True, progress=progress)
        ImportRun.objects.filter(pk=run.pk, status=expected).update(**fields)
        return {"run_id": run.pk, "status": fields["status"]}
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run_id)
        if locked.status != expected:
            return {"skipped": True}
        fields = _import_run_outcome(locked, spec_class, dry_run=False, progress=progress)
        ImportRun.objects.filter(pk=run.pk).update(**fields)
    return {"run_id": run.pk, "status": fields["status"]}


def _import_run_outcome(run: ImportRun, spec_class, *, dry_run: bool, progress) -> dict:
    try:
        context = import_context_for(run.uploaded_by, spec_class)
    except PermissionDenied as exc:
        return {"status": ImportRun.Status.INVALID, "errors": [str(exc)]}
    context.import_run = run
    with run.file.open("rb") as handle:
        data = handle.read()
    try:
        result = run_import(
            spec_class, data, run.file.name, context, dry_run=dry_run, progress=progress
        )
    except ImportFileError as exc:
        return {"status": ImportRun.Status.INVALID, "errors": [str(exc)]}
    summary = result.summary()
    if not result.ok:
        summary["error_count"] = len(result.errors)
        return {
            "status": ImportRun.Status.INVALID,
            "errors": [str(e) for e in result.errors[: _max_stored_errors()]],
            "summary": summary,
        }
    if dry_run:
        return {"status": ImportRun.Status.PREVIEWED, "summary": summary, "errors": []}
    return {
        "status": ImportRun.Status.IMPORTED,
        "summary": summary,
        "errors": [],
        "imported_at": timezone.now(),
    }


# --- role grants ---------------------------------------------------------------------------


@transaction.atomic
def role_grant_create(
    *, acting_user: User | None, user: User, role: str, agency=None, region=None, reason=""
):
    """Grant a role (per agency, or per region for the Admin Daerah), audited."""
    from .models import RoleGrant

    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, agency=agency, region=region
    )
    if created:
        org_audit_record(
            actor=acting_user,
            action="grant_created",
            summary=_("Peran %(role)s diberikan") % {"role": grant.get_role_display()},
            obj=grant,
            before={},
            after={"role": role, "scope": str(agency or region), "user": user.username},
            reason=reason,
        )
    return grant


@transaction.atomic
def role_grant_revoke(*, acting_user: User | None, grant, reason: str = "") -> None:
    org_audit_record(
        actor=acting_user,
        action="grant_revoked",
        summary=_("Peran %(role)s dicabut") % {"role": grant.get_role_display()},
        obj=grant,
        before={
            "role": grant.role,
            "scope": str(grant.agency or grant.region),
            "user": grant.user.username,
        },
        after={},
        reason=reason,
    )
    grant.delete()
