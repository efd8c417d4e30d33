"""Render the sample referater as DOCX, PDF and HTML, as municipalities publish them.

Real referat PDFs are Word documents turned into PDF, so the corpus gets the same
treatment: python-docx builds the DOCX (headings as Word styles, as bold runs, or with
the case numbers in a small table, a running header and a ``Side X af Y`` footer) and
LibreOffice turns it into PDF. Web-published minutes are CMS pages, so the HTML is one:
headings as ``<h1>``-``<h3>`` or as bold paragraphs, inside a page with a menu, a site
header and footer and "Til toppen" links. The readers are then tested on files made the
way real ones are, while the text stays exactly that of the gold-annotated ``NNN.txt``.

Regenerate the committed renderings with ``python -m tools.render corpus/``;
a rendering whose content would not change (its fingerprint aside) is left as it is,
so unchanged documents give no binary churn in git.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, groupby
from pathlib import Path
from typing import Any

import docx
import pdfplumber
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout
from referat_nlp.vocabulary import SECTION_HEADINGS as HEADINGS

logger = logging.getLogger(__name__)

LAYOUTS = ("styles", "bold", "table")
HTML_LAYOUTS = ("tags", "strong")
# Metric-compatible with Arial, the usual font of Danish ESDH templates; LibreOffice
# ships it (fonts-liberation), so the PDF embeds a real font with a "Bold" face.
FONT = "Liberation Sans"
BODY_PT = 10
# role -> (Word style in the "styles" layout, bold run size in pt in the others)
ROLE_FORMATS: dict[str, tuple[str, int | None]] = {
    "title": ("Title", 16),
    "item": ("Heading 1", 13),
    "section": ("Heading 2", 11),
    "field": ("Normal", None),
    "meta": ("Normal", None),
    "body": ("Normal", None),
    "row": ("Normal", None),
}
# a run of this many lines of three or more tab-separated cells is a table (minutes
# typed as a Word table, a budget table): set as one, as Word and web pages do
TABLE_MIN_ROWS = 2
TABLE_WIDTH_CM = 16
TITLE_MAX_CHARS = 150
MAX_TITLE_LINES = 3  # a long item title may wrap onto this many lines
META_COLUMNS = (Cm(3), Cm(13))  # label | value of the case-number table
# role -> element in the "tags" HTML layout (the title is an <h1> in every layout);
# the "strong" layout prints items and sections as <p><strong>, as many CMSs do
HTML_TAGS = {"title": "h1", "item": "h2", "section": "h3"}
# the link a CMS page puts after each agenda item; layout cleanup drops it as debris
TO_TOP = "Til toppen"
TO_TOP_LINK = f'<p class="til-toppen"><a href="#top">{TO_TOP}</a></p>'
# The page around the minutes: what the reader skips (<head>, <nav>, the site's
# <header> and <footer>) and what layout cleanup drops ("Til toppen").
HTML_PAGE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="keywords" content="{stamp}">
<meta name="author" content="{site}">
<title>{title}</title>
</head>
<body id="top">
<header class="site-header"><a href="/">{site}</a></header>
<nav class="menu"><ul><li><a href="/">Forside</a></li><li><a href="/borger">Borger\
</a></li><li><a href="/politik">Politik</a></li></ul></nav>
<main id="indhold">
<nav class="breadcrumb"><a href="/">Forside</a> / <a href="/politik">Politik</a> / \
<a href="/politik/referater">Dagsordener og referater</a></nav>
<article class="referat">
{content}
</article>
</main>
<footer class="site-footer"><p>{site}</p>\
<p><a href="/kontakt">Kontakt</a> | <a href="/cookies">Cookies</a></p></footer>
</body>
</html>
"""
# the fingerprint in a rendering: "referat-render-53459562feee9d60"
RE_STAMP = re.compile(rb"referat-render-[0-9a-f]{16}")

# used when a gold item has no "sections" list (a gold list, when present, is the
# authority): the headings the parser knows
SECTION_HEADINGS = frozenset(HEADINGS)
# Headings of the meeting part before the first item, printed bold in real minutes.
FRONT_MATTER_HEADINGS = frozenset(
    {
        "Indholdsfortegnelse",
        "Mødefakta",
        "Medlemmer",
        "Deltagere",
        "Bemærkninger",
        "Dagsorden",
        "Fraværende",
        "Afbud",
    }
)

# "Beslutning i Økonomiudvalget den 1. oktober 2018", "Beslutning Direktionen den
# 28-09-2020", "Beslutning i Byrådet", "Sundheds- og Forebyggelsesudvalgets beslutning
# den 4. december 2012", "Udvalgets beslutning" (trailing colon stripped before)
RE_DECISION_HEADING = re.compile(
    r"beslutning(?:\s+\S+){0,5}?\s+den\s+\d.*"
    r"|beslutning\s+i\s+\D{1,60}"
    r"|beslutning"
    r"|[\w.\- ]{1,60}?s\s+beslutning(?:\s+den\s+\d.*)?",
    re.IGNORECASE,
)
# one field of a case-number line: "Sagsnr.: 330-2018-3619", "Dok.nr.: 330-2018-500301",
# "Sag 306-2009-600", "Dok. 306-2019-263412", "Åbent", a bare "19/24995"
RE_META_FIELD = re.compile(
    r"\s*(?:(?P<label>Sagsnr\.?|Sags\s?nr\.?|Sag|J\.\s?nr\.?|Journalnr\.?"
    r"|Dokumentnr\.?|Dok\.?\s?nr\.?|Dok\.)\s*:?\s*)?"
    r"(?P<value>Åbent referat|Åbent|Åben|Lukket|[\w./\-]*\d[\w./\-]*)\s*"
)
# a page number printed into PDF-extracted text: "1 of 7", "Side 3 af 14", "2/9"
RE_PAGE_MARKER = re.compile(
    r"(?:Side\s+)?(?<!\d)\d++\s*+(?:af|of|/)\s*\d+", re.IGNORECASE
)
OPEN_MARKERS = frozenset({"Åbent referat", "Åbent", "Åben", "Lukket"})
# item status around a heading's title: "147. Personalesag (Lukket)",
# "2. Lukket: Orientering fra borgmesteren" (FirstAgenda)
STATUS_SUFFIX = r"(?:\s*\([^()]*\))?\s*"
STATUS_PREFIX = r"(?:(?:Lukket|Åbent?)\s*[:–-]\s*)?"
# what may precede an item number: "Punkt 3:", "Pkt. 3", "• 51." (web lists), "147."
ITEM_PREFIX = r"(?:[•·▪*–-]\s*)?(?:(?:Punkt|Pkt\.?|Sag)\s*)?"
LO_NOISE = ("failed to launch javaldx",)


class RenderError(Exception):
    """A sample could not be rendered; the message names the file, as the
    library's errors do (this tool is not part of the library)."""

    reason = "cannot render"

    def __init__(self, path: object, detail: str = "") -> None:
        self.path = str(path) if path is not None else "<none>"
        self.detail = detail
        message = f"{self.reason}: {detail}" if detail else self.reason
        super().__init__(f"{self.path}: {message}")


class MissingSource(RenderError):
    reason = "no such file"


class NotDocx(RenderError):
    reason = "corrupt or truncated file"


class ConversionFailed(RenderError):
    """LibreOffice could not turn a DOCX into PDF (message carries its stderr)."""

    reason = "PDF conversion failed"


@dataclass(frozen=True)
class Line:
    """One non-blank line of the referat text and the part it plays in the layout.

    ``role`` is title, item, section, field (an inline "Heading: text"), meta or
    body; ``fields`` holds the (label, value) pairs of a meta line (case and doc
    numbers, open status); ``paragraph`` counts the blank lines before it, so lines
    with no blank line between them share it (a web page sets them as one <p>).
    """

    text: str
    role: str = "body"
    fields: tuple[tuple[str, str], ...] = ()
    paragraph: int = 0


def _is_blank(line: str) -> bool:
    return not line.strip() and "\f" not in line


def classify(text: str, gold: dict[str, Any]) -> list[Line]:
    """Give every non-blank line of ``text`` its role, using the gold items' structure.

    The gold says which items exist, their numbers and titles, case numbers and
    sections, so headings are styled where the annotator saw them rather than where
    a heuristic guesses them; the text itself is kept exactly.
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    items = list(gold.get("items") or ())
    headings = _find_item_headings(lines, items)
    first = headings[0][1][0] if headings else len(lines)
    roles: dict[int, str] = _front_matter_roles(lines, first)
    fields: dict[int, tuple[tuple[str, str], ...]] = {}
    ends = [idxs[0] for _, idxs in headings[1:]] + [len(lines)]
    for (item, idxs), end in zip(headings, ends, strict=False):
        roles.update(_section_roles(lines, idxs[-1] + 1, end, item))
        fields.update(_meta_fields_after(lines, idxs[-1] + 1, end, item))
        roles.update(dict.fromkeys(idxs, "item"))
    roles.update(dict.fromkeys(fields, "meta"))
    roles.update(dict.fromkeys(_table_rows(lines), "row"))
    printed = _printed_furniture(lines)
    paragraphs = list(accumulate(map(_is_blank, lines)))
    return [
        Line(line, roles.get(i, "body"), fields.get(i, ()), paragraphs[i])
        for i, line in enumerate(lines)
        if not _is_blank(line) and i not in printed
    ]


def _table_rows(lines: Sequence[str]) -> set[int]:
    """Lines of a table: runs of ``TABLE_MIN_ROWS`` or more lines of two or more
    tab-separated cells (a line that ends in one tab and a number is a contents
    entry and its page)."""
    rows: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if line.count("\t") >= 2 or (
            "\t" in line and not re.search(r"\t\s*\d{1,3}\s*$", line)
        ):
            run.append(i)
            continue
        if len(run) >= TABLE_MIN_ROWS:
            rows.update(run)
        run = []
    return rows


def _printed_furniture(lines: Sequence[str]) -> set[int]:
    """Running headers and page markers typed into text copied out of a PDF.

    The DOCX gets a real header and ``Side X af Y`` footer, so these copies are
    left out; on the first page they stay, as the parser keeps them there too.
    """
    blocks = layout.paginate([Block(line) for line in lines])
    return layout.furniture(blocks) if blocks[0].page is not None else set()


def _find_item_headings(
    lines: Sequence[str], items: Sequence[dict[str, Any]]
) -> list[tuple[dict[str, Any], list[int]]]:
    """Find each gold item's heading line(s), in text order.

    Searched from the end backwards, so a table of contents that repeats the
    headings before the items is passed over.
    """
    found: list[tuple[dict[str, Any], list[int]]] = []
    cursor = len(lines)
    for item in reversed(items):
        number = str(item.get("number") or "").strip()
        title = str(item.get("title") or "").strip()
        hits = (_heading_at(lines, i, number, title) for i in range(cursor - 1, -1, -1))
        idxs = next((hit for hit in hits if hit), None)
        if idxs is None:
            logger.info(
                "item %s %r: no heading line found; left as text", number, title
            )
            continue
        found.append((item, idxs))
        cursor = idxs[0]
    return found[::-1]


def _heading_at(lines: Sequence[str], i: int, number: str, title: str) -> list[int]:
    """The line index(es) of the item's heading if its title starts on line ``i``.

    Either "Punkt 3: Title" / "147. Title (Lukket)" on one line (possibly glued to
    text before it, "Indholdsfortegnelse1. Fraværende"), or the title alone after a
    line ending in the number ("2." on its own line, or "Ingen.1." glued to the
    previous text as web pages print it). A long title may wrap onto further lines.
    """
    if not title:
        return []
    num, tit = re.escape(number), re.escape(title)
    numbered = rf"(?:.*[^\d\s])?{ITEM_PREFIX}{num}\s*[.:)]?\s*[-–:]?\s*{STATUS_PREFIX}"
    for last in range(i, min(i + MAX_TITLE_LINES, len(lines))):
        if _is_blank(lines[last]):
            return []
        text = " ".join(line.strip() for line in lines[i : last + 1])
        if re.fullmatch(numbered + tit + STATUS_SUFFIX, text):
            return list(range(i, last + 1))
        if number and re.fullmatch(tit + STATUS_SUFFIX, text):
            number_line = _number_line(lines, i, num)
            return [] if number_line is None else [*number_line, *range(i, last + 1)]
    return []


def _number_line(lines: Sequence[str], i: int, num: str) -> list[int] | None:
    """The number line before a title printed alone.

    [its index] if it holds only the number, [] if the number is glued to other
    text ("Ingen.1."), None if the line before does not end in the number.
    """
    prev = next((j for j in range(i - 1, -1, -1) if not _is_blank(lines[j])), None)
    text = lines[prev].strip() if prev is not None else ""
    if not re.search(rf"(?<!\d){num}[.:]?$", text):
        return None
    return [prev] if re.fullmatch(rf"{ITEM_PREFIX}{num}[.:]?", text) else []


def _front_matter_roles(lines: Sequence[str], end: int) -> dict[int, str]:
    """Roles before the first item: the document title and the meeting's headings."""
    roles = {
        i: "section"
        for i in range(end)
        if lines[i].strip().rstrip(":").strip() in FRONT_MATTER_HEADINGS
    }
    first = next(
        (
            i
            for i in range(end)
            if lines[i].strip() and not RE_PAGE_MARKER.fullmatch(lines[i].strip())
        ),
        None,
    )
    if (
        first is not None
        and first not in roles
        and len(lines[first]) <= TITLE_MAX_CHARS
    ):
        roles[first] = "title"
    return roles


def section_name(line: str) -> str:
    """The section a heading line names, decision headings normalised to Beslutning.

    >>> section_name("Beslutning i Økonomiudvalget den 1. oktober 2018:")
    'Beslutning'
    """
    text = line.strip().rstrip(":").strip()
    if len(text) <= TITLE_MAX_CHARS and RE_DECISION_HEADING.fullmatch(text):
        return "Beslutning"
    return text


def _section_roles(
    lines: Sequence[str], start: int, end: int, item: dict[str, Any]
) -> dict[int, str]:
    """Lines of an item naming one of the sections its gold lists.

    A heading with its text on the same line ("Sagen afgøres i: Byrådet") is a
    "field": printed with a bold label, as SBSYS exports do.
    """
    # portal and protocol exports print headings in capitals ("INDSTILLING")
    expected = {s.casefold() for s in item.get("sections", SECTION_HEADINGS)}
    roles = {}
    for i in range(start, end):
        label, colon, rest = lines[i].partition(":")
        if section_name(lines[i]).casefold() in expected:
            roles[i] = "section"
        elif colon and rest.strip() and section_name(label).casefold() in expected:
            roles[i] = "field"
    return roles


def meta_fields(
    line: str, known_numbers: frozenset[str]
) -> tuple[tuple[str, str], ...]:
    """Split a case-number line into (label, value) pairs, or () if it is not one.

    Every number must be one of the item's gold case/doc numbers, so an ordinary
    line that happens to hold a number is never mistaken for the item's header block.

    >>> meta_fields("Sag 306-2009-600   Åbent", frozenset({"306-2009-600"}))
    (('Sag', '306-2009-600'), ('Status', 'Åbent'))
    """
    text, pos, fields = line.strip(), 0, []
    while pos < len(text):
        match = RE_META_FIELD.match(text, pos)
        if match is None:
            return ()
        value = match["value"]
        if value not in OPEN_MARKERS and value not in known_numbers:
            return ()
        label = match["label"] or ("Status" if value in OPEN_MARKERS else "Sagsnr.")
        fields.append((label, value))
        pos = match.end()
    return tuple(fields)


def _meta_fields_after(
    lines: Sequence[str], start: int, end: int, item: dict[str, Any]
) -> dict[int, tuple[tuple[str, str], ...]]:
    """The block of case-number/status lines directly under an item heading."""
    numbers = [*item.get("case_numbers", ()), *item.get("doc_numbers", ())]
    known = frozenset(str(n).strip() for n in numbers)
    found: dict[int, tuple[tuple[str, str], ...]] = {}
    for i in range(start, end):
        if _is_blank(lines[i]):
            continue
        fields = meta_fields(lines[i], known)
        if not fields:
            break
        found[i] = fields
    return found


def running_header(gold: dict[str, Any]) -> str:
    """The body and date printed on every page: "Direktionen 28-09-2020"."""
    body = gold.get("body") or gold.get("municipality") or ""
    iso = gold.get("meeting_date")
    when = date.fromisoformat(iso).strftime("%d-%m-%Y") if iso else ""
    return f"{body} {when}".strip()


def fingerprint(txt_path: Path, gold_path: Path, layout: str) -> str:
    """A digest of everything a rendering depends on: inputs, layout and this code.

    Stored in the DOCX/PDF keywords and the HTML ``<meta name="keywords">``: it
    names what made a file and pairs a PDF with its DOCX. A file is rewritten only
    when its content changes (see ``_install``), so a stamp may be older than the
    renderer, which is what keeps unchanged binaries out of git.
    """
    digest = hashlib.sha256()
    for part in (txt_path.read_bytes(), gold_path.read_bytes(), layout.encode()):
        digest.update(hashlib.sha256(part).digest())
    digest.update(Path(__file__).read_bytes())
    return f"referat-render-{digest.hexdigest()[:16]}"


def _load(
    txt_path: Path, gold_path: Path, layout: str, layouts: Sequence[str]
) -> tuple[dict[str, Any], list[Line]]:
    """The gold and the classified lines of a rendering, its arguments checked first."""
    if layout not in layouts:
        raise ValueError(f"unknown layout {layout!r}; choose one of {layouts}")
    for path in (txt_path, gold_path):
        if not Path(path).is_file():
            raise MissingSource(path)
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    return gold, classify(Path(txt_path).read_text(encoding="utf-8"), gold)


def page_title(lines: Sequence[Line], gold: dict[str, Any]) -> str:
    """The document's title (DOCX property, HTML <title>): its title line if any."""
    title = next((line.text.strip() for line in lines if line.role == "title"), "")
    return title or f"Referat {running_header(gold)}"


def publisher(gold: dict[str, Any]) -> str:
    """Who publishes the minutes (DOCX author, the web site's name): "Skive Kommune"."""
    municipality = gold.get("municipality")
    return f"{municipality} Kommune" if municipality else ""


def runs(lines: Sequence[Line], joined: Collection[str]) -> Iterator[list[Line]]:
    """The lines one by one, except that consecutive lines of a ``joined`` role come
    as one run: a case-number block set as one table (blank lines in it or not),
    the lines of one paragraph of body text as one paragraph."""

    def key(line: Line) -> tuple[str, int]:
        return line.role, line.paragraph if line.role == "body" else 0

    for (role, _), group in groupby(lines, key=key):
        if role in joined:
            yield list(group)
        else:
            yield from ([line] for line in group)


def to_docx(txt_path: Path, gold_path: Path, out_path: Path, layout: str) -> Path:
    """Write ``txt_path`` as a Word document in ``layout`` (one of LAYOUTS).

    Each non-blank line becomes one paragraph with its text unchanged; the gold
    file says which lines are the title, item headings, sections and case numbers.
    """
    gold, lines = _load(txt_path, gold_path, layout, LAYOUTS)
    document = docx.Document()
    _set_up_styles(document)
    _set_up_page(document.sections[0], running_header(gold))
    props = document.core_properties
    props.title = page_title(lines, gold)
    props.author = publisher(gold)
    props.keywords = fingerprint(Path(txt_path), Path(gold_path), layout)
    _write_body(document, lines, layout)
    with _atomic_path(Path(out_path)) as tmp:
        document.save(str(tmp))
    return Path(out_path)


def _set_up_styles(document: docx.document.Document) -> None:
    """Give the styles a real font and black, bold headings.

    The default template's headings use theme fonts (Calibri Light), which win over
    an explicit font name unless the theme attributes are removed.
    """
    sizes = {"Normal": BODY_PT, "Title": 18, "Heading 1": 13, "Heading 2": 11}
    for name, size in sizes.items():
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = style.element.rPr.rFonts
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        if name != "Normal":
            style.font.bold = True
    document.styles["Normal"].paragraph_format.space_after = Pt(6)


def _set_up_page(section: docx.section.Section, header: str) -> None:
    """A4 portrait, with the running header and a "Side X af Y" footer."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(header).font.size = Pt(8)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("Side ", "PAGE", " af ", "NUMPAGES"):
        if text.isupper():
            _add_field(paragraph, text)
        else:
            paragraph.add_run(text).font.size = Pt(8)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) computed when the page is laid out.

    python-docx has no field API, so this writes the begin/instruction/separate/
    result/end runs that Word itself writes; LibreOffice reads them the same way.
    """
    for kind in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind == "result":
            run.text = "1"
            continue
        element = OxmlElement("w:instrText" if kind == "instr" else "w:fldChar")
        if kind == "instr":
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _write_body(
    document: docx.document.Document, lines: Sequence[Line], layout: str
) -> None:
    """Paragraphs in text order; in the table layout, meta blocks become tables."""
    tables = layout == "table"
    for run in runs(lines, ("meta", "row") if tables else ("row",)):
        if run[0].role == "row":
            _add_grid_table(document, [line.text.split("\t") for line in run])
        elif tables and run[0].role == "meta":
            _add_meta_table(document, [field for line in run for field in line.fields])
        else:
            _add_line(document, run[0], layout)


def _add_line(document: docx.document.Document, line: Line, layout: str) -> None:
    style, size = ROLE_FORMATS[line.role]
    if layout == "styles":
        paragraph = document.add_paragraph(style=style)
        size = None
    else:
        paragraph = document.add_paragraph()
    if line.role in ("title", "item", "section"):
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(12 if line.role == "item" else 6)
    if line.role == "field":
        label, _, rest = line.text.partition(":")
        paragraph.add_run(f"{label}:").bold = True
        _add_text(paragraph, rest, None)
    else:
        _add_text(paragraph, line.text, size)


def _add_text(paragraph: Paragraph, text: str, size: int | None) -> None:
    """Runs for ``text``, bold at ``size`` pt if given; a form feed (PDF-extracted
    text marks pages so) becomes a page break."""
    for k, part in enumerate(text.split("\f")):
        if k:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        if part:
            run = paragraph.add_run(part)
            if size:
                run.bold, run.font.size = True, Pt(size)


def _add_meta_table(
    document: docx.document.Document, fields: Sequence[tuple[str, str]]
) -> None:
    """Case number, doc number and status as a label | value table (Acadre, eDoc)."""
    table = document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for label, value in fields:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for column, width in zip(table.columns, META_COLUMNS, strict=True):
        column.width = width  # LibreOffice sizes columns by the grid, Word by cells
        for cell in column.cells:
            cell.width = width


def _add_grid_table(
    document: docx.document.Document, rows: Sequence[Sequence[str]]
) -> None:
    """A ruled table, one cell per tab-separated part, the first row bold (the
    column names), as minutes typed into a Word table are."""
    table = document.add_table(rows=0, cols=max(map(len, rows)))
    table.style = "Table Grid"
    table.autofit = False
    for k, row in enumerate(rows):
        for cell, text in zip(table.add_row().cells, row, strict=False):
            cell.paragraphs[0].add_run(text).bold = k == 0
    columns = range(len(table.columns))
    longest = [max(len(r[c]) if c < len(r) else 0 for r in rows) for c in columns]
    shares = [max(n, 10) ** 0.5 for n in longest]  # a number column stays narrow
    for column, share in zip(table.columns, shares, strict=True):
        column.width = width = Cm(TABLE_WIDTH_CM * share / sum(shares))
        for cell in column.cells:
            cell.width = width


def to_html(txt_path: Path, gold_path: Path, out_path: Path, layout: str) -> Path:
    """Write ``txt_path`` as a municipal CMS page in ``layout`` (one of HTML_LAYOUTS).

    Each non-blank line keeps its text (HTML-escaped) in an element of its own, or
    a line of its own in a paragraph or table row; the gold file says which lines
    are the title, item headings, sections and case numbers, as for the DOCX.
    """
    gold, lines = _load(txt_path, gold_path, layout, HTML_LAYOUTS)
    page = HTML_PAGE.format(
        stamp=fingerprint(Path(txt_path), Path(gold_path), layout),
        site=html.escape(publisher(gold)),
        title=html.escape(page_title(lines, gold)),
        content="\n".join(_html_content(lines, layout)),
    )
    with _atomic_path(Path(out_path)) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return Path(out_path)


def _html_content(lines: Sequence[Line], layout: str) -> Iterator[str]:
    """The front matter, then each agenda item in a block ending in "Til toppen"."""
    wrapper = "section" if layout == "tags" else "div"
    joined = ("meta", "body", "row") if layout == "strong" else ("row",)
    for k, group in enumerate(_by_item(lines)):
        if k:
            yield f'<{wrapper} class="punkt">'
        yield from (_html_run(run, layout) for run in runs(group, joined))
        if k:
            if group[-1].text.strip() != TO_TOP:  # SBSYS texts carry their own
                yield TO_TOP_LINK
            yield f"</{wrapper}>"


def _by_item(lines: Sequence[Line]) -> list[list[Line]]:
    """The front matter, then one list per agenda item: its heading line(s) and text."""
    groups: list[list[Line]] = [[]]
    for k, line in enumerate(lines):
        if line.role == "item" and (k == 0 or lines[k - 1].role != "item"):
            groups.append([])
        groups[-1].append(line)
    return groups


def _html_run(run: Sequence[Line], layout: str) -> str:
    """One element: a heading, a bold paragraph, a case-number table or text lines."""
    line, esc = run[0], html.escape
    if line.role == "row":
        rows = "".join(
            "<tr>"
            + "".join(f"<{tag}>{esc(c)}</{tag}>" for c in row.text.split("\t"))
            + "</tr>"
            for row, tag in zip(run, ("th", *["td"] * (len(run) - 1)), strict=True)
        )
        return f'<table class="tabel">{rows}</table>'
    if line.role == "meta" and layout == "strong":
        rows = "".join(
            f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
            for meta in run
            for label, value in meta.fields
        )
        return f'<table class="sagsdata">{rows}</table>'
    if line.role == "field":
        label, _, rest = line.text.partition(":")
        return f"<p><strong>{esc(label)}:</strong>{esc(rest)}</p>"
    if line.role == "title" or (layout == "tags" and line.role in HTML_TAGS):
        tag = HTML_TAGS[line.role]
        return f"<{tag}>{esc(line.text)}</{tag}>"
    if line.role in HTML_TAGS:
        return f"<p><strong>{esc(line.text)}</strong></p>"
    return "<p>" + "<br>".join(esc(ln.text) for ln in run) + "</p>"


@contextmanager
def _atomic_path(target: Path) -> Iterator[Path]:
    """A temp file next to ``target``, renamed onto it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ConversionFailed(
            None, "LibreOffice not found: install libreoffice-writer-nogui"
        )
    return exe


def to_pdf(docx_path: Path, out_dir: Path, timeout: float = 120) -> Path:
    """Convert a DOCX to ``out_dir/<stem>.pdf`` with headless LibreOffice.

    Each call gets its own LibreOffice profile, so parallel conversions do not fight
    over one, and converts into a staging folder that is renamed into place, so a
    failed or interrupted run leaves no partial PDF.
    """
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    if not docx_path.is_file():
        raise MissingSource(docx_path)
    if not zipfile.is_zipfile(docx_path):
        raise NotDocx(docx_path, "not a DOCX file (not a zip archive)")
    exe = _soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{docx_path.stem}.pdf"
    with (
        tempfile.TemporaryDirectory(prefix="referat-lo-profile-") as profile,
        tempfile.TemporaryDirectory(dir=out_dir, prefix=".render-") as staging,
    ):
        command = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
        command += ["--convert-to", "pdf", "--outdir", staging, str(docx_path)]
        stderr = _run_libreoffice(command, timeout, docx_path)
        produced = Path(staging) / target.name
        if not produced.is_file():
            raise ConversionFailed(
                docx_path, f"LibreOffice wrote no PDF: {stderr or 'no message'}"
            )
        os.replace(produced, target)
    return target


def _run_libreoffice(command: list[str], timeout: float, docx_path: Path) -> str:
    """Run LibreOffice in its own process group; return its stderr (noise removed).

    ``soffice`` is a wrapper that starts ``soffice.bin``; killing only the wrapper on
    a timeout would leave the real process running, hence the group kill.
    """
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    ) as proc:
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):  # it may have just finished
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionFailed(
                docx_path, f"LibreOffice timed out after {timeout:g} s"
            ) from None
    lines = err.decode("utf-8", "replace").splitlines()
    stderr = " | ".join(
        ln for ln in lines if ln.strip() and not any(n in ln for n in LO_NOISE)
    )
    if proc.returncode != 0:
        raise ConversionFailed(
            docx_path, f"LibreOffice exit {proc.returncode}: {stderr}"
        )
    return stderr


def auto_layout(stem: str, layouts: Sequence[str] = LAYOUTS) -> str:
    """The layout for ``auto``: cycle through ``layouts`` by document number."""
    index = int(stem) if stem.isdigit() else zlib.crc32(stem.encode())
    return layouts[index % len(layouts)]


def _content(path: Path) -> dict[str, bytes]:
    """A rendering's bytes with its fingerprint masked: a DOCX by zip member, since
    the zip entries also carry the time they were written."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {n: RE_STAMP.sub(b"", archive.read(n)) for n in archive.namelist()}
    return {"": RE_STAMP.sub(b"", path.read_bytes())}


def _install(staged: Path, target: Path, force: bool) -> bool:
    """Move ``staged`` onto ``target`` unless ``target`` holds the same rendering.

    A rendering is current when making it again gives the same content, its
    fingerprint aside: a change to the renderer that does not change a format's
    output (a new format, say) leaves that format's files alone. True if moved.
    """
    with suppress(OSError, zipfile.BadZipFile):  # unreadable: simply replaced
        if not force and target.is_file() and _content(target) == _content(staged):
            return False
    os.replace(staged, target)
    return True


def _pdf_pairs(docx_path: Path, pdf_path: Path) -> bool:
    """True when the PDF carries the fingerprint of the DOCX it was made from."""
    if not pdf_path.is_file():
        return False
    try:
        with pdfplumber.open(pdf_path) as pdf:
            pdf_stamp = pdf.metadata.get("Keywords")
        return docx.Document(str(docx_path)).core_properties.keywords == pdf_stamp
    except Exception:  # an unreadable rendering is simply made again
        return False


def render(
    txt_path: Path, layout: str = "auto", force: bool = False, html_layout: str = "auto"
) -> dict[Path, str | None]:
    """Render ``NNN.txt`` (with its ``NNN.json`` gold) to ``NNN.docx``, ``NNN.pdf``
    and ``NNN.html``.

    Returns the layout used for the PDF (with its DOCX) and for the HTML, or None
    for a rendering that was already current. The PDF, slow to make, is made only
    when its DOCX changed or it was not made from that DOCX.
    """
    gold_path = txt_path.with_suffix(".json")
    stem = txt_path.stem
    layout = auto_layout(stem) if layout == "auto" else layout
    if html_layout == "auto":
        html_layout = auto_layout(stem, HTML_LAYOUTS)
    docx_path, pdf_path, html_path = (
        txt_path.with_suffix(suffix) for suffix in (".docx", ".pdf", ".html")
    )
    with tempfile.TemporaryDirectory(dir=txt_path.parent, prefix=".render-") as tmp:
        staged = Path(tmp) / txt_path.name
        to_html(txt_path, gold_path, staged.with_suffix(".html"), html_layout)
        to_docx(txt_path, gold_path, staged.with_suffix(".docx"), layout)
        new_html = _install(staged.with_suffix(".html"), html_path, force)
        new_docx = _install(staged.with_suffix(".docx"), docx_path, force)
    new_pdf = new_docx or not _pdf_pairs(docx_path, pdf_path)
    if new_pdf:
        to_pdf(docx_path, txt_path.parent)
    return {
        pdf_path: layout if new_pdf else None,
        html_path: html_layout if new_html else None,
    }


# layouts of minute books: old files come out of migrations damaged, so their DOCX
# is also given as a truncated copy (zip directory and later parts lost)
CUT_LAYOUTS = ("protocol-",)


def to_truncated_docx(docx_path: Path, gold_path: Path) -> Path:
    """``NNN-cut.docx``: ``NNN.docx`` cut right after its ``word/document.xml``, as
    an interrupted copy leaves a Word file (central directory and the parts after
    the body lost), and ``NNN-cut.gold.json``, the gold of ``NNN`` naming it."""
    data = docx_path.read_bytes()
    with zipfile.ZipFile(docx_path) as package:
        members = sorted(package.infolist(), key=lambda info: info.header_offset)
    names = [info.filename for info in members]
    after = names.index("word/document.xml") + 1
    end = members[after].header_offset if after < len(members) else len(data)
    cut_path = docx_path.with_name(f"{docx_path.stem}-cut.docx")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold = {"source_file": cut_path.name, **gold}
    gold["notes"] = [
        *gold.get("notes", []),
        f"{cut_path.name}: {docx_path.name} cut after word/document.xml (zip directory"
        " and the later parts lost); the same gold applies",
    ]
    gold_out = docx_path.with_name(f"{docx_path.stem}-cut.gold.json")
    for path, content in (
        (cut_path, data[:end]),
        (gold_out, (json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode()),
    ):
        with _atomic_path(path) as staged:
            staged.write_bytes(content)
    return cut_path


def main(argv: Sequence[str] | None = None) -> int:
    """Render every ``NNN.txt`` with a gold ``NNN.json`` in a corpus folder.

    Example: ``python -m referat_nlp.render corpus/ --layout auto --html-layout auto``
    """
    parser = argparse.ArgumentParser(
        prog="python -m tools.render", description=main.__doc__
    )
    parser.add_argument("corpus", type=Path, help="folder with NNN.txt + NNN.json")
    parser.add_argument("--layout", choices=("auto", *LAYOUTS), default="auto")
    parser.add_argument(
        "--html-layout", choices=("auto", *HTML_LAYOUTS), default="auto"
    )
    parser.add_argument("--force", action="store_true", help="render even if current")
    args = parser.parse_args(argv)
    failures = 0
    for txt_path in sorted(args.corpus.glob("*.txt")):
        if not txt_path.with_suffix(".json").is_file():
            continue
        started = time.monotonic()
        try:
            written = render(txt_path, args.layout, args.force, args.html_layout)
        except RenderError as exc:
            print(exc, file=sys.stderr)
            failures += 1
            continue
        gold = json.loads(txt_path.with_suffix(".json").read_text(encoding="utf-8"))
        if str(gold.get("layout", "")).startswith(CUT_LAYOUTS):
            cut = to_truncated_docx(
                txt_path.with_suffix(".docx"), txt_path.with_suffix(".json")
            )
            written[cut] = "truncated"
        seconds = time.monotonic() - started
        for path, used in written.items():
            status = f"{used} {seconds:.1f} s" if used else "up to date"
            print(f"{path}  {status}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
