"""Readers: a file (or bytes) in any supported format → a stream of text blocks.

Every reader yields :class:`Block` objects, one per printed line, in reading order,
with the page and the style information that layout cleanup and segmentation use
(bold, font size, heading level). A blank block (``text == ""``) marks a paragraph
break. Readers raise :mod:`referat_nlp.errors` for input they cannot read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from referat_nlp.errors import EmptyDocument, MissingFile, UnsupportedFormat
from referat_nlp.readers.blocks import Block, Document

__all__ = [
    "FORMATS", "PDF_ENGINES", "Block", "Document", "detect_format", "read",
    "read_bytes",
]  # fmt: skip

# format name -> (module, suffixes); modules are imported on first use so that
# reading a .txt does not pay for pdfplumber or python-docx
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("referat_nlp.readers.pdf", (".pdf",)),
    "pdfium": ("referat_nlp.readers.pdfium", ()),  # the fast PDF engine, by name only
    "docx": ("referat_nlp.readers.docx", (".docx",)),
    "txt": ("referat_nlp.readers.text", (".txt", ".text")),
    "html": ("referat_nlp.readers.html", (".html", ".htm", ".xhtml")),
    "firstagenda": ("referat_nlp.readers.firstagenda", (".json",)),
}


OCR_FORMATS = frozenset({"pdf", "pdfium"})  # readers that can OCR a page
PDF_ENGINES = ("pdf", "pdfium")  # the readers a PDF can go through


def detect_format(path: Path) -> str:
    """The format name for a file suffix, or raise UnsupportedFormat."""
    suffix = path.suffix.lower()
    for name, (_, suffixes) in FORMATS.items():
        if suffix in suffixes:
            return name
    raise UnsupportedFormat(path, f"'{suffix or path.name}' (supported: {_suffixes()})")


def _suffixes() -> str:
    return ", ".join(s for _, sfx in FORMATS.values() for s in sfx)


def _reader(fmt: str) -> Callable[[bytes, str], Document]:
    if fmt not in FORMATS:
        raise UnsupportedFormat(
            None, f"format '{fmt}' (supported: {', '.join(FORMATS)})"
        )
    reader: Callable[[bytes, str], Document] = importlib.import_module(
        FORMATS[fmt][0]
    ).read
    return reader


def read(path: str | Path, *, ocr: bool = False) -> Document:
    """Read a referat file into blocks, choosing the reader by suffix."""
    path = Path(path)
    if not path.is_file():
        raise MissingFile(path)
    fmt = detect_format(path)
    return read_bytes(path.read_bytes(), fmt, name=str(path), ocr=ocr)


def read_bytes(
    data: bytes, fmt: str, name: str = "<bytes>", *, ocr: bool = False
) -> Document:
    """Read a referat given as bytes in the named format ("pdf", "docx", …).

    ``ocr`` lets the PDF readers OCR pages that have no text layer (scans).
    """
    reader = _reader(fmt)
    if not data.strip():
        raise EmptyDocument(name)
    if ocr and fmt in OCR_FORMATS:
        return reader(data, name, ocr=True)
    return reader(data, name)
