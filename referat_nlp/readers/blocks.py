"""The readers' output: text blocks with page and style, and their document."""

from __future__ import annotations

from dataclasses import dataclass, field

from referat_nlp.document import OcrPage

# when PDF pages are read by OCR: never; pages with no usable text layer; every
# page that holds an image
OCR_MODES = ("never", "auto", "always")


def ocr_mode(ocr: bool | str) -> str:
    """The OCR mode an ``ocr`` argument names: True is "auto", False "never"."""
    if isinstance(ocr, bool):
        return "auto" if ocr else "never"
    if ocr not in OCR_MODES:
        raise ValueError(f"ocr must be one of {OCR_MODES}, not {ocr!r}")
    return ocr


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
# between the cells of a table row: every reader gives a row as one line so
CELL = "\t"
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
    ocr: tuple[OcrPage, ...] = ()  # pages whose text came from OCR, and how well
    metadata: dict[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what the reader could only partly read

    @property
    def ocr_pages(self) -> tuple[int, ...]:
        """The numbers (from 1) of the pages OCR read."""
        return tuple(page.page for page in self.ocr)
