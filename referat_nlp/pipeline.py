"""The pipeline: read → clean layout → segment → extract, in that order.

``parse`` is the one entry point the CLI, batch runs and notebooks share.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from referat_nlp import readers
from referat_nlp.document import Referat, Source
from referat_nlp.errors import MissingFile
from referat_nlp.extract import item, meeting
from referat_nlp.structure import layout, segment

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
    ocr: bool = False,
    classifier: LinearTextModel | None = None,
) -> Referat:
    """Parse a referat file (or its bytes plus a format name) into a :class:`Referat`.

    ``pdf_engine`` picks the PDF engine: "pdfium" (the default, as in ``batch``)
    or "pdfplumber" (slower; the same scores on every gold set). ``ocr`` reads PDF pages
    that have no text layer (scans) with Tesseract; it needs ``tesseract-ocr-dan``
    and ``pip install 'referat-nlp[ocr]'``, and the referat then warns which pages
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
    )
    return build(document, src, classifier)


def build(
    document: readers.Document,
    source: Source,
    classifier: LinearTextModel | None = None,
) -> Referat:
    """Turn a reader's output into a Referat (the part after reading)."""
    text = layout.clean(document.blocks)
    parts = segment.split(text)
    after_header = parts.items[0].start if parts.items else 0
    head = meeting.extract(parts.header, document.metadata, text.text[after_header:])
    items = tuple(item.item(text, raw, head, classifier) for raw in parts.items)
    warnings = (
        document.warnings + _warnings(parts, items) + _ocr_warning(document.ocr_pages)
    )
    for warning in warnings:
        log.warning("%s: %s", source.path, warning)
    return Referat(
        source=source, meeting=head, items=items, text=text.text, warnings=warnings
    )


def _warnings(parts: segment.Segmented, items: tuple[object, ...]) -> tuple[str, ...]:
    """Facts a reviewer should know: nothing found, or a TOC that disagrees."""
    warnings = []
    if not items:
        warnings.append(NEEDS_REVIEW)
    if parts.toc and len(parts.toc) != len(items):
        warnings.append(
            f"table of contents lists {len(parts.toc)} items, {len(items)} were found"
        )
    return tuple(warnings)


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
