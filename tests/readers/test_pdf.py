"""PDF reader on PDFs LibreOffice made from Word files, and on broken PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from referat_nlp import pipeline, readers
from referat_nlp.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from tests.documents import (
    SOFFICE,
    build_encrypted_pdf,
    build_pdf,
    build_scanned_pdf,
)

needs_office = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed"
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf(tmp_path_factory.mktemp("pdf") / "referat.pdf", layout="bold")


@needs_office
def test_pages_and_bold_headings(pdf: Path) -> None:
    doc = readers.read(pdf)
    assert doc.pages == 3
    by_text = {b.text: b for b in doc.blocks}
    heading = by_text["3. Vintertjeneste på private fællesveje"]
    assert heading.bold and heading.page == 3
    assert not by_text["Udsat."].bold


@needs_office
def test_parse_pdf_items_and_provenance(pdf: Path) -> None:
    referat = pipeline.parse(pdf)
    assert referat.source.format == "pdf"
    assert referat.source.pages == 3
    assert [(i.number, i.title, i.pages) for i in referat.items] == [
        ("1", "Godkendelse af dagsorden", (1,)),
        ("2", "Renovering af broen over Vejle Å ved Skovvej", (2,)),
        ("3", "Vintertjeneste på private fællesveje", (3,)),
    ]
    assert referat.items[2].decision is not None
    assert referat.items[2].decision.text == "Udsat."
    # every offset points at its own text in the document text
    for item in referat.items:
        for section in item.sections:
            assert referat.text[section.start : section.end] == section.text


@needs_office
def test_encrypted(tmp_path: Path) -> None:
    path = build_encrypted_pdf(tmp_path / "locked.pdf")
    with pytest.raises(EncryptedDocument, match=r"locked\.pdf: encrypted PDF"):
        readers.read(path)


@needs_office
def test_scanned_has_no_text_layer(tmp_path: Path) -> None:
    path = build_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(
        NoTextLayer,
        match=r"scan\.pdf: no text layer: needs OCR \(--ocr, with tesseract-ocr-dan",
    ):
        readers.read(path)


@needs_office
def test_truncated(pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    data = pdf.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptDocument, match=r"cut\.pdf: corrupt or truncated"):
        readers.read(path)


def test_garbage_with_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(CorruptDocument, match=r"junk\.pdf"):
        readers.read(path)
