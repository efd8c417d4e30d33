"""Word minutes (.docx) through python-docx: body paragraphs and tables in order.

Page headers and footers live in separate parts of the file and are not read, so
running headers never mix into the body. Headings are recognised from paragraph
styles ("Heading 2", Danish "Overskrift 2") or from bold runs, as exports differ.
Word's "Strict Open XML" files (ISO/IEC 29500 Strict namespaces, which python-docx
does not know) are read by mapping their namespaces to the transitional ones.
A package whose zip directory is lost or damaged (a truncated copy, a lost chunk)
is salvaged from its members' local headers (:mod:`referat_nlp.readers.salvage`)
when its body, ``word/document.xml``, is intact: the read carries a ``salvaged:``
warning naming what was lost. A file without a readable body (bad deflate data in
it, broken XML, no ``w:body``) is refused as corrupt, naming what broke.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

from referat_nlp.errors import CorruptDocument, EmptyDocument, why
from referat_nlp.readers import salvage
from referat_nlp.readers.blocks import BLANK, CELL, Block, Document

# "Heading 2", "Overskrift 2", "heading 1 Char"
RE_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)", re.IGNORECASE)
# a DOCX is a zip; refuse archives that would expand beyond this (zip bombs)
MAX_UNCOMPRESSED = 500 * 1024 * 1024
# Strict OOXML namespace -> transitional: ".../ooxml/wordprocessingml/main" is
# ".../wordprocessingml/2006/main", and so for every part and relationship type
RE_STRICT_NS = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/([\w/]+)")
TRANSITIONAL_NS = rb"http://schemas.openxmlformats.org/\1/2006/\2"
# what reading a damaged package raises from zipfile, zlib, lxml and python-docx
DAMAGED = (zlib.error, zipfile.BadZipFile, EOFError, ValueError, KeyError, OSError)


def read(data: bytes, name: str) -> Document:
    """Read a .docx, raising CorruptDocument for files that are not Word zips."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    data, warnings = _package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, XMLSyntaxError, AttributeError, *DAMAGED) as exc:
        # AttributeError: python-docx finds a part without the elements it needs
        raise CorruptDocument(
            name, f"not a readable Word document ({why(exc)})"
        ) from exc
    if document.element.find(qn("w:body")) is None:
        raise CorruptDocument(name, "the Word document has no body (w:body)")
    warnings += _unstyled(document)
    blocks = list(_body_blocks(document))
    if not any(b.text.strip() for b in blocks):
        raise EmptyDocument(name, "the document has no text")
    return Document("docx", tuple(blocks), warnings=warnings)


def _unstyled(document: Any) -> tuple[str, ...]:
    """Drop a styles part python-docx cannot read as one, and say so.

    A damaged package can keep ``word/styles.xml`` but lose the content type that
    makes it a styles part; python-docx then fails on the first paragraph style.
    Without it the text reads with default styles: heading styles are lost, fonts
    and bold runs still tell headings.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.parts.styles import StylesPart

    part = document.part
    broken = [
        rid
        for rid, rel in part.rels.items()
        if rel.reltype == RT.STYLES
        and (rel.is_external or not isinstance(rel.target_part, StylesPart))
    ]
    for rid in broken:
        part.drop_rel(rid)
    return (
        ("word/styles.xml is not a readable styles part; default styles used",)
        if broken
        else ()
    )


def _package(data: bytes, name: str) -> tuple[bytes, tuple[str, ...]]:
    """The package python-docx opens, and the warning of a salvaged one; Strict
    OOXML namespaces, if any, mapped to the transitional ones python-docx reads."""
    members, damage = _members(data, name)
    xml = [m for m in members if m.endswith((".xml", ".rels"))]
    strict = any(RE_STRICT_NS.search(members[m]) for m in xml)
    if strict:
        members |= {m: RE_STRICT_NS.sub(TRANSITIONAL_NS, members[m]) for m in xml}
    if damage is not None:
        lost, why_damaged = damage
        package, missing = salvage.word_package(salvage.Salvage(members, lost))
        gone = ", ".join(missing) or "nothing the body needs"
        warning = (
            f"{salvage.SALVAGED}: {why_damaged}; parts read from their local "
            f"headers (lost: {gone})"
        )
        return package, (warning,)
    if not strict:
        return data, ()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    return out.getvalue(), ()


Damage = tuple[tuple[str, ...], str]  # the members found unreadable, and why


def _members(data: bytes, name: str) -> tuple[dict[str, bytes], Damage | None]:
    """The members by name (read in full, so a damaged one shows here), and None
    for an intact archive; else the members salvaged and the damage.

    A zip that would inflate to more than MAX_UNCOMPRESSED is refused from its
    directory, before inflating (zip bombs).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
            if size > MAX_UNCOMPRESSED:
                raise CorruptDocument(
                    name, f"expands to {size // 2**20} MiB (zip bomb?)"
                )
            return {i.filename: archive.read(i) for i in archive.infolist()}, None
    except zipfile.BadZipFile as exc:
        refusal = CorruptDocument(name, "a .docx must be a zip archive (this is not)")
        return _salvaged(data, name, refusal, exc, "the zip directory is unreadable")
    except DAMAGED as exc:
        refusal = CorruptDocument(name, f"damaged zip member ({why(exc)})")
        return _salvaged(
            data, name, refusal, exc, f"a zip member is damaged ({why(exc)})"
        )


def _salvaged(
    data: bytes, name: str, refusal: CorruptDocument, cause: Exception, damage: str
) -> tuple[dict[str, bytes], Damage]:
    """The members a damaged archive still holds whole, if its body is among them;
    otherwise ``refusal``, the archive's own error, is raised."""
    try:
        found = salvage.zip_members(data, MAX_UNCOMPRESSED)
    except ValueError as exc:
        raise CorruptDocument(name, str(exc)) from exc
    if "word/document.xml" not in found.members:
        raise refusal from cause
    return found.members, (found.damaged, damage)


def _body_blocks(document: Any) -> Iterator[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield from paragraph_blocks(Paragraph(element, document))
        elif tag == "tbl":
            yield from _table_blocks(Table(element, document))


def paragraph_blocks(paragraph: Any) -> Iterator[Block]:
    """A paragraph's lines (soft line breaks split it) with its style, then a break."""
    heading = _heading_level(paragraph.style.name if paragraph.style else "")
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(_run_bold(r, paragraph) for r in runs)
    size = _size(runs, paragraph)
    for line in paragraph.text.replace("\xa0", " ").split("\n"):
        if line.strip():
            yield Block(
                line, bold=bold or heading is not None, size=size, heading=heading
            )
    yield BLANK


def _heading_level(style: str) -> int | None:
    match = RE_HEADING_STYLE.match(style)
    if match:
        return int(match.group(1))
    return 1 if style.lower() in {"title", "titel"} else None


def _run_bold(run: Any, paragraph: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _size(runs: list[Any], paragraph: Any) -> float | None:
    sizes: list[float] = [r.font.size.pt for r in runs if r.font.size is not None]
    if sizes:
        return max(sizes)
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return None


def _table_blocks(table: Any) -> Iterator[Block]:
    """One line per row, cells joined by tabs; merged cells repeat, so drop repeats."""
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            yield Block(CELL.join(cells))
    yield BLANK
