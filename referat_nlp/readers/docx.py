"""Word minutes (.docx) through python-docx: body paragraphs and tables in order.

Page headers and footers live in separate parts of the file and are not read, so
running headers never mix into the body. Headings are recognised from paragraph
styles ("Heading 2", Danish "Overskrift 2") or from bold runs, as exports differ.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from referat_nlp.errors import CorruptDocument, EmptyDocument
from referat_nlp.readers.blocks import BLANK, Block, Document

# "Heading 2", "Overskrift 2", "heading 1 Char"
RE_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)", re.IGNORECASE)
# a DOCX is a zip; refuse archives that would expand beyond this (zip bombs)
MAX_UNCOMPRESSED = 500 * 1024 * 1024


def read(data: bytes, name: str) -> Document:
    """Read a .docx, raising CorruptDocument for files that are not Word zips."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorruptDocument(name, f"not a Word document ({exc})") from exc
    blocks = list(_body_blocks(document))
    if not any(b.text.strip() for b in blocks):
        raise EmptyDocument(name, "the document has no text")
    return Document("docx", tuple(blocks))


def _check_zip(data: bytes, name: str) -> None:
    """A Word file is a zip: refuse one that is not, is damaged, or would inflate to
    more than MAX_UNCOMPRESSED (checked from the directory, before inflating)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
            if size > MAX_UNCOMPRESSED:
                raise CorruptDocument(
                    name, f"expands to {size // 2**20} MiB (zip bomb?)"
                )
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise CorruptDocument(
            name, "a .docx must be a zip archive (this is not)"
        ) from exc
    if bad is not None:
        raise CorruptDocument(name, f"damaged zip member {bad}")


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
    sizes = [r.font.size.pt for r in runs if r.font.size is not None]
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
            yield Block("\t".join(cells))
    yield BLANK
