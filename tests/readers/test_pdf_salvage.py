"""PDF salvage: a LibreOffice PDF cut short still gives the pages it holds whole.

The files are sample 034's PDF (made by LibreOffice from the DOCX, see
``tools/render.py``) cut where a failed copy would cut it. LibreOffice writes the
pages' contents first, then fonts, resources, page objects, page tree, catalog
and cross-reference table, so each cut below loses one more part of the end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import referat_nlp
from referat_nlp.archive.ledger import Ledger, Status
from referat_nlp.errors import CorruptDocument
from referat_nlp.readers import pdf_salvage

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
WHOLE = CORPUS / "034.pdf"
ENGINES = ("pdfium", "pdfplumber")


def _before(marker: bytes) -> Callable[[bytes], bytes]:
    """Cut the file right before the first line holding ``marker``."""
    return lambda data: data[: data.index(b"\n" + marker)]


def _after_last_object(data: bytes) -> bytes:
    return data[: data.rindex(b"endobj") + len(b"endobj")]


def _before_page(n: int) -> Callable[[bytes], bytes]:
    """Cut before the n-th page object (1-based)."""

    def cut(data: bytes) -> bytes:
        objects = pdf_salvage.whole_objects(data)
        page = sorted(o.number for o in objects.values() if o.type == b"Page")[n - 1]
        return _before(b"%d 0 obj" % page)(data)

    return cut


def _items(referat: referat_nlp.Referat) -> list[tuple[str, str, str | None]]:
    return [
        (i.number, i.title, i.decision.label.value if i.decision else None)
        for i in referat.items
    ]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("cut", "lost"),
    [
        (_after_last_object, "lost: the cross-reference table"),
        (_before_page(2), "2 of 3 pages rebuilt from their contents"),
        (_before_page(1), "3 of 3 pages rebuilt from their contents"),
    ],
)
def test_cut_pdf_gives_every_whole_page(
    tmp_path: Path, engine: str, cut: Callable[[bytes], bytes], lost: str
) -> None:
    whole = referat_nlp.parse(WHOLE, pdf_engine=engine)
    path = tmp_path / "cut.pdf"
    path.write_bytes(cut(WHOLE.read_bytes()))
    salvaged = referat_nlp.parse(path, pdf_engine=engine)
    assert _items(salvaged) == _items(whole)
    assert salvaged.meeting.date == whole.meeting.date
    (warning,) = [w for w in salvaged.warnings if w.startswith("salvaged:")]
    assert lost in warning


@pytest.mark.parametrize("engine", ENGINES)
def test_cut_before_the_font_resources_is_refused(tmp_path: Path, engine: str) -> None:
    """Without the resources that name the fonts, no page's text can be decoded:
    refused in one line, not guessed."""
    path = tmp_path / "cut.pdf"
    objects = pdf_salvage.whole_objects(WHOLE.read_bytes())
    fonts = next(
        o.number for o in objects.values() if pdf_salvage.RE_FONT_NAMES.match(o.body)
    )
    path.write_bytes(_before(b"%d 0 obj" % fonts)(WHOLE.read_bytes()))
    with pytest.raises(CorruptDocument, match=r"cut\.pdf: .*no page can be rebuilt"):
        referat_nlp.parse(path, pdf_engine=engine)


def test_rebuilt_file_is_a_new_pdf_with_a_map() -> None:
    rebuilt = pdf_salvage.rebuild(_before_page(1)(WHOLE.read_bytes()))
    assert rebuilt is not None
    assert rebuilt.data.startswith(b"%PDF-1.7")
    assert rebuilt.data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Catalog" in rebuilt.data


def test_nothing_whole_is_nothing_rebuilt() -> None:
    assert pdf_salvage.rebuild(b"%PDF-1.7\n1 0 obj\n<< /Type /Cat") is None


def test_batch_records_a_cut_pdf_as_salvaged(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "cut.pdf").write_bytes(_before_page(1)(WHOLE.read_bytes()))
    summary = referat_nlp.batch([source], tmp_path / "out", workers=1)
    assert (summary.salvaged, summary.failed) == (1, {})
    with Ledger(tmp_path / "out") as ledger:
        assert [r.status for r in ledger.rows()] == [Status.SALVAGED]
