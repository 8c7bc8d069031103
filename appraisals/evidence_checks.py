"""Evidence files are what their extension says: the content is checked, not the name.

A PDF starts with its signature; Office (docx, xlsx, pptx) and OpenDocument (odt, ods) files
are zip archives holding the parts of their kind; images must decode with Pillow. A file
that only borrows an extension (an HTML page renamed .pdf, a script renamed .png) is refused.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError

_OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OPENDOCUMENT_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
_MAX_UNPACKED = 200 * 1024 * 1024  # an Office file unpacking beyond this is a zip bomb


def _refuse(suffix: str) -> ValidationError:
    return ValidationError(
        {
            "file": (
                f"Isi berkas tidak sesuai dengan jenis .{suffix}; unggah berkas {suffix} "
                "yang asli (bukan berkas lain yang diganti namanya)"
            )
        }
    )


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def check_evidence_content(upload, suffix: str) -> None:
    """Raise a ``ValidationError`` on ``file`` unless the content matches ``suffix``."""
    data = _read(upload)
    if suffix == "pdf":
        if not data.startswith(b"%PDF-"):
            raise _refuse(suffix)
        return
    if suffix in _IMAGE_FORMATS:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                found = image.format
                image.load()
        except Exception as exc:  # Pillow raises many kinds, decompression bombs included
            raise _refuse(suffix) from exc
        if found != _IMAGE_FORMATS[suffix]:
            raise _refuse(suffix)
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if sum(m.file_size for m in members) > _MAX_UNPACKED:
                raise _refuse(suffix)
            if suffix in _OFFICE_PARTS:
                if "[Content_Types].xml" not in names or _OFFICE_PARTS[suffix] not in names:
                    raise _refuse(suffix)
                return
            if suffix in _OPENDOCUMENT_TYPES:
                if "mimetype" not in names or "content.xml" not in names:
                    raise _refuse(suffix)
                if archive.read("mimetype").strip() != _OPENDOCUMENT_TYPES[suffix]:
                    raise _refuse(suffix)
                return
    except (zipfile.BadZipFile, ValueError, OSError, KeyError) as exc:
        raise _refuse(suffix) from exc
    raise _refuse(suffix)
