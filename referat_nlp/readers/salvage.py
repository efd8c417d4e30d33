"""Salvage: the readable part of a zip package whose directory is lost.

Files from old migrations and broken copies are often cut short. A zip keeps its
directory at the end, so a truncated DOCX loses the directory first, while every
member before the cut is intact behind its own *local header*. Reading members by
those headers (as ``zip -FF`` does) recovers ``word/document.xml`` whenever the cut
came after it; what was lost is named, so a salvaged read is never presented as a
complete one (the reader adds a ``salvaged:`` warning).

Each member is inflated only to its end-of-stream marker and checked against the
CRC its header gives, so a member damaged by the cut is dropped, not half-read.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

LOCAL_HEADER = b"PK\x03\x04"
DESCRIPTOR = b"PK\x07\x08"  # the optional signature of a data descriptor
HEADER = struct.Struct("<4sHHHHHIIIHH")  # signature … name length, extra length
STORED, DEFLATED = 0, 8
HAS_DESCRIPTOR = 0x08  # sizes and CRC follow the data instead of the header
SALVAGED = "salvaged"  # the warning's prefix: filter on it to find partial reads


@dataclass(frozen=True)
class Salvage:
    """The members read whole, and the names of those found but unreadable."""

    members: dict[str, bytes]
    damaged: tuple[str, ...]


def zip_members(data: bytes, max_bytes: int) -> Salvage:
    """Every member of ``data`` that its local header lets us read whole.

    ``max_bytes`` bounds the inflated total (a zip bomb is refused with
    ValueError, as for an intact archive).
    """
    members: dict[str, bytes] = {}
    damaged: list[str] = []
    total = 0
    at = data.find(LOCAL_HEADER)
    while at != -1 and at + HEADER.size <= len(data):
        fields = HEADER.unpack_from(data, at)
        flags, method, crc, size = fields[2], fields[3], fields[6], fields[7]
        name_end = at + HEADER.size + fields[9]
        name = data[at + HEADER.size : name_end].decode("utf-8", "replace")
        start = name_end + fields[10]
        body, end = _inflate(data, start, method, size, max_bytes - total)
        if flags & HAS_DESCRIPTOR:
            crc = _descriptor_crc(data, end)
        if body is not None and zlib.crc32(body) == crc:
            members[name] = body
            total += len(body)
        else:
            damaged.append(name)
        at = data.find(LOCAL_HEADER, max(end, at + 4))
    return Salvage(members, tuple(damaged))


def _descriptor_crc(data: bytes, end: int) -> int | None:
    """The CRC of the data descriptor after a member's data (None if cut off)."""
    at = end + len(DESCRIPTOR) if data.startswith(DESCRIPTOR, end) else end
    if at + 4 > len(data):
        return None
    crc: int = struct.unpack_from("<I", data, at)[0]
    return crc


def _inflate(
    data: bytes, start: int, method: int, size: int, budget: int
) -> tuple[bytes | None, int]:
    """A member's bytes and where its data ends, or None when it is cut or damaged."""
    if method == STORED:
        end = start + size
        return (data[start:end] if end <= len(data) else None), end
    if method != DEFLATED:
        return None, start
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        body = inflater.decompress(data[start:], budget + 1)
    except zlib.error:
        return None, start
    if len(body) > budget:
        raise ValueError("the salvaged parts expand beyond the size limit (zip bomb?)")
    end = len(data) - len(inflater.unused_data)
    return (body if inflater.eof else None), end


_OOXML = "application/vnd.openxmlformats-"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
# the package's own parts, written anew when the cut took them
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Default Extension="rels" ContentType="{_OOXML}package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="'
    f'{_OOXML}officedocument.wordprocessingml.document.main+xml"/></Types>'
).encode()
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" '
    f'Type="{_DOCUMENT_REL}" Target="word/document.xml"/></Relationships>'
).encode()


def word_package(found: Salvage) -> tuple[bytes, tuple[str, ...]]:
    """A zip python-docx can open from the salvaged members of a Word file, and
    the parts it lacks. The package's content types and root relationship are
    written anew when they were lost; relationships to lost parts are dropped."""
    members = dict(found.members)
    members.setdefault("[Content_Types].xml", CONTENT_TYPES)
    members.setdefault("_rels/.rels", PACKAGE_RELS)
    lost = set(found.damaged)
    for name in [n for n in members if n.endswith(".rels")]:
        members[name], missing = _without_lost_targets(name, members[name], members)
        lost |= missing
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue(), tuple(sorted(lost))


def _without_lost_targets(
    rels_name: str, body: bytes, members: dict[str, bytes]
) -> tuple[bytes, set[str]]:
    """A relationships part without the relationships to parts that are gone."""
    from lxml import etree

    root = etree.fromstring(body)
    source_dir = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels → word
    missing = set()
    for rel in list(root):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(source_dir, rel.get("Target", "")))
        target = target.lstrip("/")
        if target not in members:
            missing.add(target)
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), missing
