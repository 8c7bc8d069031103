"""Private files (evidence, objection files) are served only after the caller checked access:
through nginx's X-Accel-Redirect in production, by Django itself on the embedded default."""

from __future__ import annotations

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(
    file: FieldFile, *, content_type: str, filename: str, inline: bool = False
) -> HttpResponse:
    """The response for one stored file, as a download (or ``inline``, for images and PDF
    opened in the browser). The uploader's file name is escaped (RFC 6266), never raw."""
    if settings.PRIVATE_FILES_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (
            settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/") + "/" + file.name
        )
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
