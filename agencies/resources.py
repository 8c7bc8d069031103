"""django-import-export resources: the export side of the import files, same columns.

Exports go through these resources (also used by the superuser admin); the import side uses
``agencies.importing`` because the contract needs cell types that tablib drops.
"""

from import_export import fields, resources

from .models import Agency, Employee, JobPosition, Unit


class AgencyResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Kode Perangkat Daerah")
    name = fields.Field(attribute="name", column_name="Nama Perangkat Daerah")
    region_code = fields.Field(attribute="region__code", column_name="Kode Daerah")
    region_name = fields.Field(attribute="region__name", column_name="Nama Daerah")

    class Meta:
        model = Agency
        fields = ("code", "name", "region_code", "region_name")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("region")


class UnitResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Kode Unit")
    name = fields.Field(attribute="name", column_name="Nama Unit")
    parent_code = fields.Field(attribute="parent__code", column_name="Kode Induk")
    agency_code = fields.Field(attribute="agency__code", column_name="Kode Perangkat Daerah")

    class Meta:
        model = Unit
        fields = ("code", "name", "parent_code", "agency_code")
        export_order = fields


class PositionResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="Kode Jabatan")
    name = fields.Field(attribute="name", column_name="Nama Jabatan")
    kind = fields.Field(attribute="kind", column_name="Jenis Jabatan")
    jf_level = fields.Field(attribute="jf_level", column_name="Jenjang")
    grade = fields.Field(attribute="grade", column_name="Kelas Jabatan")

    class Meta:
        model = JobPosition
        fields = ("code", "name", "kind", "jf_level", "grade")
        export_order = fields


class EmployeeResource(resources.ModelResource):
    nip = fields.Field(attribute="nip", column_name="NIP")
    name = fields.Field(attribute="name", column_name="Nama")
    front_title = fields.Field(attribute="front_title", column_name="Gelar Depan")
    back_title = fields.Field(attribute="back_title", column_name="Gelar Belakang")
    gender = fields.Field(attribute="gender", column_name="Jenis Kelamin")
    birth_date = fields.Field(column_name="Tanggal Lahir")
    asn_status = fields.Field(attribute="asn_status", column_name="Status ASN")
    golongan = fields.Field(attribute="golongan", column_name="Golongan")
    position_code = fields.Field(attribute="position__code", column_name="Kode Jabatan")
    unit_code = fields.Field(attribute="unit__code", column_name="Kode Unit")
    supervisor_nip = fields.Field(attribute="supervisor__nip", column_name="NIP Atasan")
    email = fields.Field(attribute="email", column_name="Email")

    class Meta:
        model = Employee
        fields = (
            "nip", "name", "front_title", "back_title", "gender", "birth_date", "asn_status",
            "golongan", "position_code", "unit_code", "supervisor_nip", "email",
        )  # fmt: skip
        export_order = fields

    def dehydrate_birth_date(self, employee: Employee) -> str:
        return employee.birth_date.strftime("%d-%m-%Y")


RESOURCES = {
    "agencies": AgencyResource,
    "units": UnitResource,
    "positions": PositionResource,
    "employees": EmployeeResource,
}
