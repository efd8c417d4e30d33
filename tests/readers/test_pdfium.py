"""The PDFium fast path: same items as the pdfplumber path, clear errors, fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest

from referat_nlp import readers
from referat_nlp.document import Referat
from referat_nlp.errors import CorruptDocument, EncryptedDocument, NoTextLayer
from referat_nlp.pipeline import parse
from referat_nlp.readers import pdfium
from tests import badfiles

CORPUS_PDFS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("*.pdf"))


def _items(referat: Referat) -> list[tuple[object, ...]]:
    """What an item is, without offsets (the two readers may space text apart)."""
    return [
        (
            item.number,
            item.title,
            item.open,
            item.case_numbers,
            item.doc_numbers,
            tuple(s.kind for s in item.sections),
            item.decision.label if item.decision else None,
            " ".join(item.decision.text.split()) if item.decision else None,
            tuple(a.value_dkk for a in item.amounts),
            tuple(a.title for a in item.attachments),
            item.pages,
        )
        for item in referat.items
    ]


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_same_items_as_pdfplumber(path: Path) -> None:
    slow, fast = parse(path, pdf_engine="pdfplumber"), parse(path, pdf_engine="pdfium")
    assert _items(fast) == _items(slow)
    offsets = {"start", "end"}  # into each engine's text, which may differ in spacing
    assert fast.meeting.model_dump(exclude=offsets) == slow.meeting.model_dump(
        exclude=offsets
    )
    assert fast.source.pages == slow.source.pages


def test_same_items_on_real_minutes(shared_corpus: Path) -> None:
    """Real exports: same items; the page furniture between them may differ."""
    pdfs = sorted((shared_corpus / "real").glob("*.pdf"))
    assert pdfs
    for path in pdfs:
        slow, fast = (
            parse(path, pdf_engine="pdfplumber"),
            parse(path, pdf_engine="pdfium"),
        )
        assert [row[:8] for row in _items(fast)] == [row[:8] for row in _items(slow)]


def test_bold_and_size_per_run(tmp_path: Path) -> None:
    content = b"\n".join(
        [
            b"BT /F2 13 Tf 56 780 Td (3. Budgetopfoelgning pr. 30. juni) Tj ET",
            b"BT /F1 10 Tf 56 760 Td (Sagsnr. 24/2210) Tj ET",
            # a bold label before longer plain text: the line is not bold
            b"BT /F2 10 Tf 56 700 Td (Beslutning:) Tj /F1 10 Tf "
            b"(Godkendt med de bemaerkninger, der fremgik af droeftelsen.) Tj ET",
        ]
    )
    pdf = badfiles.pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            b"<< /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )
    blocks = [b for b in pdfium.read(pdf, "test.pdf").blocks if b.text]
    assert [(b.text[:12], b.bold, b.size) for b in blocks] == [
        ("3. Budgetopf", True, 13.0),
        ("Sagsnr. 24/2", False, 10.0),
        ("Beslutning:G", False, 10.0),
    ]
    assert blocks[0].top == pytest.approx(842 - 780 - 13, abs=0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Punkt 1\r\nGodkendt.", [(0, "Punkt 1"), (9, "Godkendt.")]),
        # PDFium joins a hyphenated word and marks the join
        ("bygnings\ufffevedligeholdelse", [(0, "bygnings-"), (9, "vedligeholdelse")]),
        ("mer\x02indtægt", [(0, "mer-"), (4, "indtægt")]),
        ("", [(0, "")]),
    ],
)
def test_lines(text: str, expected: list[tuple[int, str]]) -> None:
    assert list(pdfium._lines(text)) == expected


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (badfiles.corrupt, CorruptDocument),
        (badfiles.zero_pages, CorruptDocument),
        (lambda p: badfiles.truncated(p, CORPUS_PDFS[0]), CorruptDocument),
        (lambda p: badfiles.encrypted(p, CORPUS_PDFS[0]), EncryptedDocument),
        (lambda p: p.write_bytes(badfiles.one_page_pdf(b"0 0 m 9 9 l S")), NoTextLayer),
    ],
)
def test_bad_files(tmp_path: Path, build: object, error: type[Exception]) -> None:
    path = tmp_path / "bad.pdf"
    build(path)  # type: ignore[operator]
    with pytest.raises(error, match=r"bad\.pdf"):
        readers.read_bytes(path.read_bytes(), "pdf", str(path), pdf_engine="pdfium")


def _unloadable(data: bytes, pages: set[int]) -> bytes:
    """The PDF with the page objects of ``pages`` (1-based) no longer pages, as bit
    rot in an object's dictionary leaves them: PDFium cannot load them."""
    found = [m.start() for m in re.finditer(rb"/Type\s*/Page(?!s)", data)]
    out = bytearray(data)
    for number in pages:
        at = found[number - 1]
        out[at : at + 10] = b"/Type/Xxxx"
    return bytes(out)


def test_an_unloadable_page_is_skipped_and_named() -> None:
    data = CORPUS_PDFS[0].read_bytes()
    document = readers.read_bytes(_unloadable(data, {2}), "pdf", "p.pdf")
    whole = readers.read_bytes(data, "pdf", "p.pdf")
    assert document.warnings == ("salvaged: page 2 of 4 could not be read",)
    assert {b.page for b in document.blocks} == {b.page for b in whole.blocks} - {2}


def test_no_loadable_page_is_corrupt() -> None:
    data = CORPUS_PDFS[0].read_bytes()
    with pytest.raises(CorruptDocument, match=r"p\.pdf: .*no page can be read"):
        readers.read_bytes(_unloadable(data, {1, 2, 3, 4}), "pdf", "p.pdf")


def test_only_pages_with_a_ruled_table_are_read_again() -> None:
    """A table's grid is path objects; a page without one keeps PDFium's reading."""
    corpus = CORPUS_PDFS[0].parent
    for name, expected in (("038.pdf", [True, True]), ("001.pdf", [False] * 3)):
        pdf = pypdfium2.PdfDocument((corpus / name).read_bytes())
        try:
            found = [pdfium._has_grid(pdf, k) for k in range(len(pdf))]
        finally:
            pdf.close()
        assert found[: len(expected)] == expected
