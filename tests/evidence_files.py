"""Small genuine files of each evidence type, for tests that upload bukti dukung."""

from __future__ import annotations

import io
import zipfile

_OFFICE = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_OPENDOCUMENT = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=fmt)
    return buffer.getvalue()


def sample(name: str, *, size: int | None = None) -> bytes:
    """A valid file for the extension of ``name``; padded to ``size`` bytes for a PDF."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "pdf":
        content = b"%PDF-1.4\n% bukti dukung\n"
        if size is not None:
            content += b"0" * (size - len(content))
        return content
    if suffix in ("jpg", "jpeg"):
        return _image("JPEG")
    if suffix == "png":
        return _image("PNG")
    if suffix in _OFFICE:
        return _zip({"[Content_Types].xml": "<Types/>", _OFFICE[suffix]: "<x/>"})
    if suffix in _OPENDOCUMENT:
        return _zip({"mimetype": _OPENDOCUMENT[suffix], "content.xml": "<x/>"})
    return b"bukti"
