"""The pipeline: read → clean layout → segment → extract, in that order.

``parse`` is the one entry point the CLI, batch runs and notebooks share.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from referat_nlp import readers
from referat_nlp.document import Item, Meeting, OcrPage, Referat, Source
from referat_nlp.errors import MissingFile
from referat_nlp.extract import dates, item, meeting
from referat_nlp.structure import layout, meetings, segment

if TYPE_CHECKING:
    from referat_nlp.decisions.model import LinearTextModel

log = logging.getLogger(__name__)
# the warning of a readable referat in which segmentation found no item: it is kept
# (text, meeting, search) and a reviewer filters on the "needs_review:" prefix
NEEDS_REVIEW = "needs_review: no agenda items found"


def parse(
    source: str | Path | bytes,
    format: str | None = None,
    *,
    name: str | None = None,
    pdf_engine: str = readers.DEFAULT_PDF_ENGINE,
    ocr: bool | str = False,
    classifier: LinearTextModel | None = None,
) -> Referat:
    """Parse a referat file (or its bytes plus a format name) into a :class:`Referat`.

    ``pdf_engine`` picks the PDF engine: "pdfium" (the default, as in ``batch``)
    or "pdfplumber" (slower; the same scores on every gold set). ``ocr`` reads PDF pages
    with Tesseract: "never" (False), "auto" (True: pages with no usable text layer,
    scans) or "always" (every page holding an image); it needs ``tesseract-ocr-dan``
    and ``pip install 'referat-nlp[ocr]'``; ``Source.ocr`` records each OCR'd
    page's language and quality, and the referat warns which pages
    were OCR'd.

    ``classifier`` is the decision model for texts the rules leave open: one
    trained with ``referat-nlp train`` and loaded with ``LinearTextModel.load``;
    by default the model shipped in ``models/``.

    >>> referat = parse("corpus/001.txt")  # doctest: +SKIP
    >>> referat.items[0].title  # doctest: +SKIP
    'Godkendelse af dagsorden'
    """
    readers.check_pdf_engine(pdf_engine)
    if isinstance(source, bytes):
        if format is None:
            raise TypeError("parse(bytes) needs format='pdf', 'docx', 'txt', 'html', …")
        data, path = source, None
    else:
        path = Path(source)
        if not path.is_file():
            raise MissingFile(path)
        data, format = path.read_bytes(), format or readers.detect_format(path)
    document = readers.read_bytes(
        data,
        format,
        name=str(path) if path else name or "<bytes>",
        ocr=ocr,
        pdf_engine=pdf_engine,
    )
    src = Source(
        path=str(path) if path is not None else name,
        sha256=hashlib.sha256(data).hexdigest(),
        format=document.format,
        pages=document.pages,
        ocr=document.ocr,
    )
    return build(document, src, classifier)


def build(
    document: readers.Document,
    source: Source,
    classifier: LinearTextModel | None = None,
) -> Referat:
    """Turn a reader's output into a Referat (the part after reading): each
    meeting of the text (a minute book holds several) is segmented on its own."""
    text = layout.clean(document.blocks)
    heads: list[Meeting] = []
    items: list[Item] = []
    warnings = list(document.warnings)
    for index, part in enumerate(meetings.split(text, _first_date)):
        parts = segment.split(part.text)
        if not parts.items:
            parts = meetings.prose_items(part) or parts
        head = _meeting_head(document, part, parts, heads[0] if heads else None)
        items += [
            item.item(part.text, raw, head, classifier).model_copy(
                update={"meeting": index}
            )
            for raw in parts.items
        ]
        heads.append(head)
        warnings += _toc_warning(parts)
    if not items:
        warnings.append(NEEDS_REVIEW)
    warnings += _ocr_warning(document.ocr_pages) + _quality_warning(document.ocr)
    for warning in warnings:
        log.warning("%s: %s", source.path, warning)
    return Referat(
        source=source,
        meetings=tuple(heads),
        items=tuple(items),
        text=text.text,
        warnings=tuple(warnings),
    )


def _first_date(text: str) -> tuple[int, int] | None:
    """Where the first full date of ``text`` stands (the meeting splitter's cue)."""
    span = next((s for s in dates.find(text) if s.label == dates.DATE_LABEL), None)
    return (span.start, span.end) if span else None


def _meeting_head(
    document: readers.Document,
    part: meetings.MeetingText,
    parts: segment.Segmented,
    first: Meeting | None,
) -> Meeting:
    """One meeting's fields from its header; a later meeting of a minute book
    takes the council from the first (the volume's title names it once), and the
    reader's metadata describes the file's first meeting only."""
    after_header = parts.items[0].start if parts.items else part.start
    head = meeting.extract(
        parts.header,
        document.metadata if first is None else None,
        part.text.text[after_header:],
    )
    update: dict[str, object] = {"start": part.start, "end": part.end}
    if first is not None:
        update |= {
            "municipality": head.municipality or first.municipality,
            "body": head.body or first.body,
        }
    return head.model_copy(update=update)


def _toc_warning(parts: segment.Segmented) -> tuple[str, ...]:
    """A table of contents that disagrees with the items found: a reviewer checks."""
    found = len(parts.items)
    if parts.toc and len(parts.toc) != found:
        return (f"table of contents lists {len(parts.toc)} items, {found} were found",)
    return ()


def _quality_warning(pages: tuple[OcrPage, ...]) -> tuple[str, ...]:
    """Pages OCR read with low confidence: their text needs checking by eye."""
    low = [f"{p.page} ({p.quality:.2f})" for p in pages if p.low_quality]
    if not low:
        return ()
    return (f"low OCR quality on page {', '.join(low)}: check against the scan",)


def _ocr_warning(pages: tuple[int, ...]) -> tuple[str, ...]:
    """ "pages 1–3, 7 read by OCR": text a reviewer should check against the scan."""
    if not pages:
        return ()
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    spans = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    noun = "page" if len(pages) == 1 else "pages"
    return (f"{noun} {', '.join(spans)} read by OCR",)
