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


CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_a_ruled_table_reads_row_by_row(engine: str) -> None:
    """038.pdf is a Word table (LibreOffice's rendering): line by line its cells
    would interleave; each row comes as one line of tab-separated cells, and the
    row broken over the page break is one row."""
    doc = readers.read(CORPUS / "038.pdf", pdf_engine=engine)
    rows = [b.text.split("\t") for b in doc.blocks if "\t" in b.text]
    assert rows[0][:3] == ["Pkt.", "Emne", "Referat"]
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 12)]
    assert rows[1][1:3] == [
        "Godkendelse af dagsorden",
        "Dagsordenen blev godkendt med et ekstra punkt under eventuelt om busplanen.",
    ]
    broken = rows[10]  # item 10 runs from page 1 onto page 2
    assert broken[1] == "Evaluering af Seniormessen 2016 i Ringe Hallen"
    assert broken[2].endswith("annonceres på kommunens infoskærme.")
    assert not any(b.text.startswith("\t") for b in doc.blocks)


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_a_tight_table_keeps_every_row(engine: str) -> None:
    """043.pdf's two-column table has rows as tall as their text: the glyphs of
    the header and first row stick out of their rules, and must not be lost."""
    doc = readers.read(CORPUS / "043.pdf", pdf_engine=engine)
    rows = [b.text.split("\t") for b in doc.blocks if "\t" in b.text]
    assert rows[0] == ["Emne", "Drøftelse og beslutning"]
    assert rows[1] == ["Godkendelse af dagsorden", "Dagsordenen blev godkendt."]
    assert len(rows) == 9  # the header and eight items


def test_broken_row_is_joined_to_the_row_before_the_page_break() -> None:
    from referat_nlp.readers.blocks import Block
    from referat_nlp.readers.pdf import join_broken_row

    before = [Block("2\tBudget\tBudgettet blev\tBH", page=1), Block("Side 1", page=1)]
    after = [Block("Side 2", page=2), Block("\t2026\tgodkendt.", page=2)]
    join_broken_row(before, after)
    assert before[0].text == "2\tBudget 2026\tBudgettet blev godkendt.\tBH"
    assert [b.text for b in after] == ["Side 2"]
    numbered = [Block("3\tEventuelt\tIntet.", page=2)]
    join_broken_row(before, numbered)  # a row of its own: left as it is
    assert [b.text for b in numbered] == ["3\tEventuelt\tIntet."]
