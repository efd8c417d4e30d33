"""The readers' output: text blocks with page and style, and their document."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Block:
    """One printed line of a document.

    ``heading`` is a heading level declared by the source (Word's "Heading 1", HTML
    ``<h2>``), ``bold``/``size`` what the glyphs look like; segmentation uses both,
    because many ESDH exports mark headings only by a bold or larger font. ``top``
    tells running headers (always at the same height) from content.
    """

    text: str
    page: int | None = None
    bold: bool = False
    size: float | None = None
    heading: int | None = None
    top: float | None = None  # distance from the page top (PDF points), if known


BLANK = Block("")
# a vertical gap this many times the line height starts a new paragraph (the rule
# of every reader that places lines on a page: text layer, PDFium, OCR)
PARAGRAPH_GAP = 0.8


@dataclass(frozen=True, slots=True)
class Document:
    """What a reader returns: the blocks plus facts the format states outright.

    ``metadata`` holds header fields a structured source gives directly (the
    FirstAgenda export has the meeting date and place as fields), keyed like
    :class:`referat_nlp.document.Meeting`. ``warnings`` say what was read only in
    part (e.g. an HTML page nested too deeply, read below some depth as plain
    text); they end up in ``Referat.warnings``.
    """

    format: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    ocr_pages: tuple[int, ...] = ()  # pages whose text came from OCR, numbered from 1
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what the reader could only partly read
