"""Plain-text minutes (text exported from a PDF or copied from a web page)."""

from __future__ import annotations

from referat_nlp.errors import CorruptDocument, EmptyDocument
from referat_nlp.readers.blocks import Block, Document

# a form feed is how pdftotext marks a page break
PAGE_BREAK = "\f"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else cp1252 as old Windows exports use."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorruptDocument(name, "not a text file (undecodable bytes)")


def read(data: bytes, name: str) -> Document:
    """One block per line; form feeds start a new page."""
    if b"\x00" in data[:4096]:
        raise CorruptDocument(name, "binary data in a text file")
    text = decode(data, name).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocument(name)
    pages = text.split(PAGE_BREAK)
    blocks = [
        Block(line, page=n if len(pages) > 1 else None)
        for n, page in enumerate(pages, start=1)
        for line in page.split("\n")
    ]
    return Document("txt", tuple(blocks), pages=len(pages) if len(pages) > 1 else None)
