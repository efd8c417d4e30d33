"""Readers: a file (or bytes) in any supported format → a stream of text blocks.

Every reader yields :class:`Block` objects, one per printed line, in reading order,
with the page and the style information that layout cleanup and segmentation use
(bold, font size, heading level). A blank block (``text == ""``) marks a paragraph
break. Readers raise :mod:`referat_nlp.errors` for input they cannot read.

A PDF is read by one of two engines, a parameter of reading a PDF (not a format):
``pdfium`` (PDFium through pypdfium2; the default for ``parse``, ``batch`` and the
API, about 40 times faster) or ``pdfplumber`` (:mod:`referat_nlp.readers.pdf`).
Both give the same scores on every gold set.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from referat_nlp.errors import EmptyDocument, MissingFile, UnsupportedFormat
from referat_nlp.readers import repeats
from referat_nlp.readers.blocks import OCR_MODES, Block, Document, ocr_mode

__all__ = [
    "DEFAULT_PDF_ENGINE", "FORMATS", "OCR_MODES", "PDF_ENGINES", "Block", "Document",
    "check_pdf_engine", "detect_format", "read", "read_bytes",
]  # fmt: skip

# format name -> (module, suffixes); modules are imported on first use so that
# reading a .txt does not pay for pdfplumber or python-docx
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("referat_nlp.readers.pdf", (".pdf",)),
    "docx": ("referat_nlp.readers.docx", (".docx",)),
    "txt": ("referat_nlp.readers.text", (".txt", ".text")),
    "html": ("referat_nlp.readers.html", (".html", ".htm", ".xhtml")),
    "firstagenda": ("referat_nlp.readers.firstagenda", (".json",)),
}


# PDF engine -> module of its reader
PDF_ENGINES: dict[str, str] = {
    "pdfium": "referat_nlp.readers.pdfium",
    "pdfplumber": "referat_nlp.readers.pdf",
}
DEFAULT_PDF_ENGINE = "pdfium"


def check_pdf_engine(pdf_engine: str) -> str:
    """``pdf_engine`` if it names an engine, else ValueError (before reading)."""
    if pdf_engine not in PDF_ENGINES:
        raise ValueError(
            f"pdf_engine must be one of {tuple(PDF_ENGINES)}, not {pdf_engine!r}"
        )
    return pdf_engine


def detect_format(path: Path) -> str:
    """The format name for a file suffix, or raise UnsupportedFormat."""
    suffix = path.suffix.lower()
    for name, (_, suffixes) in FORMATS.items():
        if suffix in suffixes:
            return name
    raise UnsupportedFormat(path, f"'{suffix or path.name}' (supported: {_suffixes()})")


def _suffixes() -> str:
    return ", ".join(s for _, sfx in FORMATS.values() for s in sfx)


def _reader(fmt: str, pdf_engine: str) -> Callable[..., Document]:
    if fmt not in FORMATS:
        raise UnsupportedFormat(
            None, f"format '{fmt}' (supported: {', '.join(FORMATS)})"
        )
    module = PDF_ENGINES[pdf_engine] if fmt == "pdf" else FORMATS[fmt][0]
    reader: Callable[..., Document] = importlib.import_module(module).read
    return reader


def read(
    path: str | Path, *, ocr: bool | str = False, pdf_engine: str = DEFAULT_PDF_ENGINE
) -> Document:
    """Read a referat file into blocks, choosing the reader by suffix."""
    path = Path(path)
    if not path.is_file():
        raise MissingFile(path)
    fmt = detect_format(path)
    return read_bytes(
        path.read_bytes(), fmt, name=str(path), ocr=ocr, pdf_engine=pdf_engine
    )


def read_bytes(
    data: bytes,
    fmt: str,
    name: str = "<bytes>",
    *,
    ocr: bool | str = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
) -> Document:
    """Read a referat given as bytes in the named format ("pdf", "docx", …).

    ``ocr`` says which PDF pages are read by OCR: "never" (False), "auto" (True:
    pages without a usable text layer, scans) or "always" (every page with an
    image).
    """
    reader = _reader(fmt, check_pdf_engine(pdf_engine))
    how = ocr_mode(ocr)
    if not data.strip():
        raise EmptyDocument(name)
    if fmt != "pdf":
        return reader(data, name)
    document = reader(data, name, ocr=how) if how != "never" else reader(data, name)
    return repeats.without_repeats(document)
