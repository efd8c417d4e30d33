"""PDF minutes through PDFium (pypdfium2): the fast path for batch runs.

pdfplumber builds a Python object per character (85–90 % of its time), while
PDFium lays out a page's text in C and hands it over in one call. What heading
detection needs on top of the text is the font of each *run*: PDFium's text
rectangles break where the text object changes, so a line with one rectangle has
one font and costs a single font query; only lines mixing runs ("**Sagsnr.**
12/345") are asked per rectangle. Per-character ctypes calls, the slow part, are
never made. The blocks match :mod:`referat_nlp.readers.pdf` closely enough that
both give the same items (tested on the corpus PDFs).
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium  # this module is imported only when a PDF is read
import pypdfium2.raw as raw

from referat_nlp.errors import CorruptDocument, EncryptedDocument
from referat_nlp.readers import pdf as pdf_reader
from referat_nlp.readers import pdf_salvage
from referat_nlp.readers.blocks import BLANK, PARAGRAPH_GAP, Block, Document
from referat_nlp.readers.pdf import BOLD_MARKERS, document
from referat_nlp.readers.salvage import SALVAGED

FONT_NAME_BYTES = 128
# PDFium joins a word hyphenated across lines and marks the join with U+FFFE (older
# builds U+0002): "bygnings\ufffevedligeholdelse" is "bygnings-" + "vedligeholdelse"
RE_LINE_END = re.compile("\r\n|[\x02\ufffe]")


@dataclass(frozen=True, slots=True)
class Run:
    """Font facts of one text run, weighted by its width on the line."""

    bold: bool
    size: float
    width: float


def read(data: bytes, name: str, *, ocr: bool | str = False) -> Document:
    """Read a PDF's text layer line by line with PDFium; clear errors for bad files.

    ``ocr`` ("never", "auto", "always"; True is "auto") says which pages are read
    by OCR (:mod:`.ocr`).
    """
    warnings: tuple[str, ...] = ()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (
            raw.FPDF_ERR_PASSWORD,
            raw.FPDF_ERR_SECURITY,
        ):
            raise EncryptedDocument(name) from exc
        data, warning = pdf_salvage.salvage(data, name, str(exc))
        warnings = (warning,)
        pdf = _open_rebuilt(data, name)
    try:
        by_page, unreadable = _pages(pdf, name)
        readable = (k for k in range(len(pdf)) if k + 1 not in unreadable)
        gridded = [k for k in readable if _has_grid(pdf, k)]
    finally:
        pdf.close()
    if gridded:
        by_page = _tables_read(data, by_page, gridded)
    if unreadable:
        pages = ("page " if len(unreadable) == 1 else "pages ") + ", ".join(
            map(str, unreadable)
        )
        warnings += (f"{SALVAGED}: {pages} of {len(by_page)} could not be read",)
    return document(by_page, data, name, ocr, warnings)


def _has_grid(pdf: Any, index: int) -> bool:
    """Whether page ``index`` draws a ruled table (its rules are path objects)."""
    page = pdf[index]
    try:
        paths = page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,))
        return pdf_reader.is_ruled([tuple(obj.get_bounds()) for obj in paths])
    finally:
        page.close()


def _tables_read(
    data: bytes, by_page: list[list[Block]], gridded: list[int]
) -> list[list[Block]]:
    """The pages that hold a ruled table read again by pdfplumber, whose table
    finder gives each row as one line of its cells (PDFium has no table finder);
    a row broken over a page is joined as in :mod:`.pdf`. On a damaged file
    where pdfminer cannot open it, or counts other pages than PDFium (its page
    k may be another page), PDFium's reading stands: the tables are a refinement.
    """
    import pdfplumber

    pages = list(by_page)
    try:
        with pdfplumber.open(io.BytesIO(data)) as plumbed:
            if len(plumbed.pages) != len(pages):
                return by_page
            for k in gridded:
                page = plumbed.pages[k]
                lines = pdf_reader.page_lines(page)
                pages[k] = list(pdf_reader.page_blocks(lines, k + 1))
                page.close()
    except Exception:  # pdfminer raises many unrelated types on broken files
        return by_page
    for k in gridded:
        if k:
            pdf_reader.join_broken_row(pages[k - 1], pages[k])
    return pages


def _open_rebuilt(data: bytes, name: str) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(name, f"unreadable PDF, even rebuilt ({exc})") from exc


def _pages(pdf: Any, name: str) -> tuple[list[list[Block]], list[int]]:
    """Every page's blocks, and the numbers of pages PDFium could not load (a
    damaged page is empty, the others are still read); none readable is corrupt."""
    by_page: list[list[Block]] = []
    unreadable: list[int] = []
    error: Exception | None = None
    for index in range(len(pdf)):
        try:
            by_page.append(_page(pdf, index))
        except pdfium.PdfiumError as exc:
            by_page.append([])
            unreadable.append(index + 1)
            error = exc
    if by_page and len(unreadable) == len(by_page):
        raise CorruptDocument(name, f"no page can be read ({error})") from error
    return by_page, unreadable


def _page(pdf: Any, index: int) -> list[Block]:
    """One page's blocks; the page and its text page are closed before returning."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            height = page.get_height()
            return list(page_blocks(textpage, height, index + 1))
        finally:
            textpage.close()
    finally:
        page.close()


def page_blocks(textpage: Any, height: float, number: int) -> Iterator[Block]:
    """Blocks for one page: PDFium's lines, a blank block at each wide gap.

    Vertical positions are taken the way pdfminer takes them (a line is as high as
    its font size, standing on the baseline), so paragraph gaps and running-header
    heights come out as in the pdfplumber reader.
    """
    text = textpage.get_text_range()
    handle = textpage.raw  # the bare ctypes handle: cheaper to pass than the wrapper
    previous_bottom: float | None = None
    for begin, line in _lines(text):
        clean = line.rstrip()
        if not clean.strip():
            continue
        first = _first_glyph(handle, begin, len(line))
        bold, size = _style(handle, first, begin + len(line) - first)
        bottom = height - _baseline(handle, first)
        top = bottom - (size or 0.0)
        if previous_bottom is not None and top - previous_bottom > (
            (size or 0.0) * PARAGRAPH_GAP
        ):
            yield BLANK
        previous_bottom = bottom
        yield Block(clean, page=number, bold=bold, size=size, top=round(top, 1))
    yield BLANK


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """``(first character index, line)``; a hyphenation mark ends its line with "-"."""
    start = 0
    for match in RE_LINE_END.finditer(text + "\r\n"):
        line = text[start : match.start()]
        yield start, line + ("-" if match.group() != "\r\n" else "")
        start = match.end()


def _baseline(textpage: Any, index: int) -> float:
    """The y of a character's origin (its baseline), from the page bottom."""
    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage, index, x, y)
    return y.value


def _style(textpage: Any, begin: int, length: int) -> tuple[bool, float | None]:
    """Bold when runs covering most of the line's width are bold; the widest size."""
    count = raw.FPDFText_CountRects(textpage, begin, length)
    if count <= 1:  # one run, one font: the usual line
        run = _font(textpage, begin, 1.0)
        return run.bold, round(run.size, 1)
    runs = list(_runs(textpage, count))
    if not runs:
        return False, None
    total = sum(r.width for r in runs) or 1.0
    bold = sum(r.width for r in runs if r.bold) * 2 > total
    size = max(runs, key=lambda r: r.width).size
    return bold, round(size, 1)


def _runs(textpage: Any, count: int) -> Iterator[Run]:
    """The runs of the ``count`` rectangles PDFium just laid out for a line."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    for rect in range(count):
        raw.FPDFText_GetRect(textpage, rect, left, top, right, bottom)
        index = raw.FPDFText_GetCharIndexAtPos(
            textpage,
            (left.value + min(right.value, left.value + 2)) / 2,
            (top.value + bottom.value) / 2,
            1.0,
            1.0,
        )
        if index >= 0:
            yield _font(textpage, index, right.value - left.value)


def _first_glyph(textpage: Any, begin: int, length: int) -> int:
    """The first non-generated character of a line (generated ones have no font)."""
    for index in range(begin, begin + length):
        if not raw.FPDFText_IsGenerated(textpage, index):
            return index
    return begin


def _font(textpage: Any, index: int, width: float) -> Run:
    name = ctypes.create_string_buffer(FONT_NAME_BYTES)
    raw.FPDFText_GetFontInfo(textpage, index, name, FONT_NAME_BYTES, None)
    size = raw.FPDFText_GetFontSize(textpage, index)
    return Run(bold=_bold_font(name.value), size=size, width=width)


@lru_cache(maxsize=256)
def _bold_font(name: bytes) -> bool:
    """Whether a font name says bold ("LiberationSans-Bold", "Arial,Bold")."""
    lowered = name.decode("latin-1").lower()
    return any(marker in lowered for marker in BOLD_MARKERS)
