"""PDF minutes through pdfplumber, keeping font weight and size for headings.

Heading detection needs to know which lines are bold or larger, which plain text
extraction loses; pdfplumber's ``extract_text_lines(return_chars=True)`` keeps each
line's characters with their font name and size. Pages are closed as we go: a
300-page referat otherwise holds every page's objects in memory.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Iterator
from typing import Any

from referat_nlp.document import OcrPage
from referat_nlp.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from referat_nlp.readers import pdf_salvage
from referat_nlp.readers.blocks import BLANK, PARAGRAPH_GAP, Block, Document, ocr_mode

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
        lines = page.extract_text_lines(return_chars=True)
        pages.append(list(page_blocks(lines, number)))
        page.close()
    return pages


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
