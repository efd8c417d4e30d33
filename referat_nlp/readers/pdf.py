"""PDF minutes through pdfplumber, keeping font weight and size for headings.

Heading detection needs to know which lines are bold or larger, which plain text
extraction loses; pdfplumber's ``extract_text_lines(return_chars=True)`` keeps each
line's characters with their font name and size. Pages are closed as we go: a
300-page referat otherwise holds every page's objects in memory.
"""

from __future__ import annotations

import dataclasses
import io
import statistics
from collections.abc import Iterator
from typing import Any

from referat_nlp.document import OcrPage
from referat_nlp.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from referat_nlp.readers import pdf_salvage
from referat_nlp.readers.blocks import (
    BLANK,
    CELL,
    PARAGRAPH_GAP,
    Block,
    Document,
    ocr_mode,
)

# a table's grid: this many thin rules across and down
GRID_RULES = (3, 2)
THIN = 2.0  # points: a rule is at most this thick
MIN_RULE = 5.0  # points: and at least this long
BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi", ",b")


def read(data: bytes, name: str, *, ocr: bool | str = False) -> Document:
    """Read a PDF's text layer line by line, raising clear errors for bad files.

    With ``ocr``, pages without text are read by OCR (:mod:`.ocr`). A PDF that
    cannot be opened is rebuilt from its whole objects where it can be
    (:mod:`.pdf_salvage`), with a ``salvaged:`` warning.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            by_page = _read_pages(pdf)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedDocument(name) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedDocument(name) from exc
        reason = _describe(cause)
    except Exception as exc:  # pdfminer raises many unrelated types on broken files
        reason = _describe(exc)
    else:
        return document(by_page, data, name, ocr)
    rebuilt, warning = pdf_salvage.salvage(data, name, reason)
    try:
        with pdfplumber.open(io.BytesIO(rebuilt)) as pdf:
            by_page = _read_pages(pdf)
    except Exception as exc:
        raise CorruptDocument(
            name, f"unreadable PDF, even rebuilt ({_describe(exc)})"
        ) from exc
    return document(by_page, rebuilt, name, ocr, (warning,))


def document(
    by_page: list[list[Block]],
    data: bytes,
    name: str,
    ocr: bool | str,
    warnings: tuple[str, ...] = (),
) -> Document:
    """The PDF's document from its pages' blocks, OCR reading the pages ``ocr``
    ("never", "auto", "always"; True is "auto") names; ``warnings`` say what the
    engine could not read."""
    if not by_page:
        raise CorruptDocument(name, "PDF has no pages")
    how = ocr_mode(ocr)
    read: tuple[OcrPage, ...] = ()
    if how != "never":
        from referat_nlp.readers import ocr as ocr_reader

        blocks, read = ocr_reader.fill(by_page, data, name, how)
    else:
        blocks = [b for page in by_page for b in page]
    if not any(b.text.strip() for b in blocks):
        raise NoTextLayer(name, "OCR read no text either" if how != "never" else "")
    return Document(
        "pdf", tuple(blocks), pages=len(by_page), ocr=read, warnings=warnings
    )


def _describe(exc: object) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _read_pages(pdf: Any) -> list[list[Block]]:
    pages: list[list[Block]] = []
    for number, page in enumerate(pdf.pages, start=1):
        blocks = list(page_blocks(page_lines(page), number))
        if pages:
            join_broken_row(pages[-1], blocks)
        pages.append(blocks)
        page.close()
    return pages


def page_lines(page: Any) -> list[dict[str, Any]]:
    """The page's text lines, each row of a ruled table as one line of its cells
    joined by tabs (as the DOCX and HTML readers give a table row), in top order.

    Line by line, a table's cells interleave: "1 Godkendelse af Dagsordenen blev"
    mixes the title and decision columns. Word and LibreOffice draw a table's
    grid as ruling lines, which pdfplumber's table finder follows.
    """
    grids = [t for t in page.find_tables() if _is_grid(t, page)]
    if not grids:
        return list(page.extract_text_lines(return_chars=True))
    boxes = [t.bbox for t in grids]
    outside = page.filter(lambda obj: not any(_within(obj, box) for box in boxes))
    lines = list(outside.extract_text_lines(return_chars=True))
    for table in grids:
        # by centre: a tight row's glyphs stick out of its rules, and a row
        # without chars would be dropped with its text
        inside = [c for c in page.chars if _within(c, table.bbox)]
        for row, texts in zip(table.rows, table.extract(), strict=True):
            cells = [" ".join((text or "").split()) for text in texts]
            if any(cells):
                chars = [c for c in inside if _within(c, row.bbox)]
                lines.append({"text": CELL.join(cells).rstrip(CELL), "chars": chars,
                              "top": row.bbox[1], "bottom": row.bbox[3]})  # fmt: skip
    return sorted(lines, key=lambda line: line["top"])


def _is_grid(table: Any, page: Any) -> bool:
    """A ruled table of two or more rows and columns: its rules are drawn, thin
    lines across and down (a borderless Word table lays out a list, "a. | Møder og
    konferencer", whose lines the text reading keeps; a frame is one cell)."""
    if len(table.rows) < 2 or max(len(row.cells) for row in table.rows) < 2:
        return False
    drawn = [o for o in (*page.lines, *page.rects) if _within(o, table.bbox)]
    bounds = [(o["x0"], o["top"], o["x1"], o["bottom"]) for o in drawn]
    return is_ruled([(x0, -bottom, x1, -top) for x0, top, x1, bottom in bounds])


def is_ruled(bounds: list[tuple[float, float, float, float]]) -> bool:
    """Whether objects of these bounds (left, bottom, right, top) are a table's
    grid: GRID_RULES thin rules across and down (one rule under a header is none)."""
    across = sum(t - b < THIN and r - left > MIN_RULE for left, b, r, t in bounds)
    down = sum(r - left < THIN and t - b > MIN_RULE for left, b, r, t in bounds)
    return across >= GRID_RULES[0] and down >= GRID_RULES[1]


def _within(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """Whether the centre of a page object lies inside ``box``."""
    x: float = (obj["x0"] + obj["x1"]) / 2
    y: float = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def join_broken_row(before: list[Block], blocks: list[Block]) -> None:
    """A table row broken over a page: the new page's first row has no number or
    title (empty first cell), so its cells are the rest of the last row before."""
    rows = [k for k, b in enumerate(blocks) if CELL in b.text]
    last = [k for k, b in enumerate(before) if CELL in b.text]
    if not rows or not last or not blocks[rows[0]].text.startswith(CELL):
        return
    head = before[last[-1]]
    top_cells, rest = head.text.split(CELL), blocks[rows[0]].text.split(CELL)
    width = max(len(top_cells), len(rest))
    top_cells += [""] * (width - len(top_cells))
    rest += [""] * (width - len(rest))
    pairs = zip(top_cells, rest, strict=True)
    joined = CELL.join(" ".join(filter(None, pair)) for pair in pairs)
    before[last[-1]] = dataclasses.replace(head, text=joined.rstrip(CELL))
    del blocks[rows[0]]


def page_blocks(lines: list[dict[str, Any]], number: int) -> Iterator[Block]:
    """Blocks for one page's text lines; a wide vertical gap becomes a blank block."""
    previous_bottom: float | None = None
    for line in lines:
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        height = line["bottom"] - line["top"]
        if (
            previous_bottom is not None
            and line["top"] - previous_bottom > height * PARAGRAPH_GAP
        ):
            yield BLANK
        previous_bottom = line["bottom"]
        yield Block(
            line["text"],
            page=number,
            bold=_is_bold(chars),
            size=round(statistics.median(c["size"] for c in chars), 1),
            top=round(line["top"], 1),
        )
    yield BLANK


def _is_bold(chars: list[dict[str, Any]]) -> bool:
    """Most glyphs of the line come from a bold face (font names say so)."""
    bold = sum(
        1 for c in chars if any(m in c["fontname"].lower() for m in BOLD_MARKERS)
    )
    return bold * 2 > len(chars)
