"""OCR of scanned pages: scans of corpus PDFs read back, per page, with clear errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from referat_nlp import readers
from referat_nlp.document import OcrPage, Referat
from referat_nlp.errors import NoTextLayer, OcrUnavailable
from referat_nlp.evaluation.gold import GoldDocument
from referat_nlp.evaluation.scoring import Report, score_document
from referat_nlp.pipeline import NEEDS_REVIEW, _quality_warning, parse
from referat_nlp.readers import ocr
from referat_nlp.readers.blocks import BLANK, Block, ocr_mode
from tests import badfiles
from tests.readers.scans import (
    FRAKTUR_FONT,
    fraktur_scan,
    garbage_lines,
    needs_fraktur_font,
    needs_tesseract,
    scan_pdf,
    with_hidden_text,
    with_scanned_page,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
FIELDS = ("items", "titles", "case_numbers", "amounts")
HINT = r"no text layer: needs OCR \(--ocr, with tesseract-ocr-dan installed\)"


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 dpi scans of two short corpus minutes (1 and 2 pages), a crooked one, and
    slightly crooked, dusty scans of the minute books 032 and 033."""
    folder = tmp_path_factory.mktemp("scans")
    for name in ("012", "008"):
        scan_pdf(CORPUS / f"{name}.pdf", folder / f"{name}.pdf")
    scan_pdf(CORPUS / "012.pdf", folder / "crooked.pdf", angle=0.8, speckle=0.05)
    for book in ("032", "033"):
        scan_pdf(
            CORPUS / f"{book}.pdf", folder / f"{book}.pdf", angle=0.4, speckle=0.02
        )
    return folder


def _scores(referat: Referat, name: str) -> dict[str, object]:
    """The evaluate machinery's scores of one referat against its gold."""
    gold = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    report = Report()
    score_document(report, referat, GoldDocument(CORPUS / f"{name}.pdf", gold, ""))
    scores = report.as_dict()
    fields = {f: scores["fields"][f]["f1"] for f in FIELDS}
    return fields | {"date": scores["meeting_date_accuracy"]}


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_ocr_off_names_the_fix(scans: Path, engine: str) -> None:
    with pytest.raises(NoTextLayer, match=rf"012\.pdf: {HINT}$"):
        parse(scans / "012.pdf", pdf_engine=engine)


@needs_tesseract
@pytest.mark.parametrize(("name", "engine"), [("012", "pdfium"), ("008", "pdfplumber")])
def test_ocr_finds_the_gold_items(scans: Path, name: str, engine: str) -> None:
    referat = parse(scans / f"{name}.pdf", pdf_engine=engine, ocr=True)
    assert _scores(referat, name) == dict.fromkeys((*FIELDS, "date"), 1.0)
    pages = "page 1" if name == "012" else "pages 1–2"
    assert f"{pages} read by OCR" in referat.warnings


@needs_tesseract
def test_a_scanned_minute_book_gives_its_meetings_and_items(scans: Path) -> None:
    """Three meetings on scanned pages: each dated, items numbered anew in each."""
    referat = parse(scans / "032.pdf", ocr=True)
    assert _scores(referat, "032") == dict.fromkeys((*FIELDS, "date"), 1.0)
    assert [m.date for m in referat.meetings] == [
        "1938-03-03",
        "1938-04-07",
        "1938-05-12",
    ]


@needs_tesseract
def test_crooked_dusty_scan_still_gives_the_items(scans: Path) -> None:
    referat = parse(scans / "crooked.pdf", ocr=True)
    scores = _scores(referat, "012")
    assert scores["items"] == 1.0 and scores["titles"] >= 0.85


@needs_tesseract
@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_scanned_page_appended_to_text_pages(tmp_path: Path, engine: str) -> None:
    """A scanned bilag page (012's first page) after 001's text pages."""
    mixed = with_scanned_page(
        CORPUS / "001.pdf", tmp_path / "mixed.pdf", page=0, scanned=CORPUS / "012.pdf"
    )
    plain = readers.read_bytes(
        (CORPUS / "001.pdf").read_bytes(), "pdf", pdf_engine=engine
    )
    document = readers.read_bytes(
        mixed.read_bytes(), "pdf", ocr=True, pdf_engine=engine
    )
    count = len(plain.blocks)
    assert document.blocks[:count] == plain.blocks
    assert {b.page for b in document.blocks[count:]} == {5, None}
    assert (document.pages, document.ocr_pages) == (5, (5,))
    bilag = readers.read_bytes((CORPUS / "012.pdf").read_bytes(), "pdf")
    printed = " ".join(b.text for b in bilag.blocks if b.page == 1).split()
    scanned = set(" ".join(b.text for b in document.blocks if b.page == 5).split())
    assert sum(word in scanned for word in printed) >= 0.95 * len(printed)


@needs_tesseract
@pytest.mark.parametrize("book", ["033", "012"])
def test_a_page_filed_as_text_and_as_scan_is_read_once(
    tmp_path: Path, book: str
) -> None:
    """The transcription (text layer) is kept, the scan of the same page left out."""
    twice = with_scanned_page(CORPUS / f"{book}.pdf", tmp_path / "twice.pdf", page=0)
    referat = parse(twice, ocr=True)
    assert _scores(referat, book) == dict.fromkeys((*FIELDS, "date"), 1.0)
    last = referat.source.pages
    assert referat.source.ocr == ()
    assert (
        f"page {last} repeats page 1 (a scan and its transcription, or a page"
        " filed twice): read once" in referat.warnings
    )


def test_mixed_pdf_without_ocr_reads_its_text_pages(tmp_path: Path) -> None:
    mixed = with_scanned_page(CORPUS / "001.pdf", tmp_path / "mixed.pdf", page=0)
    referat = parse(mixed)
    assert referat.source.pages == 5 and len(referat.items) == 8
    assert not any("OCR" in w for w in referat.warnings)


def test_blank_page_is_not_sent_to_ocr(tmp_path: Path) -> None:
    """A page with neither text nor a picture is blank, not a scan."""
    path = tmp_path / "lines.pdf"
    path.write_bytes(badfiles.one_page_pdf(b"0 0 m 9 9 l S"))
    with pytest.raises(NoTextLayer, match="OCR read no text either"):
        parse(path, ocr=True)


def test_missing_tesseract_is_a_clear_error(
    scans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/no/tesseract")
    with pytest.raises(
        OcrUnavailable,
        match=r"012\.pdf: OCR needs tesseract with Danish data: "
        r"apt install tesseract-ocr tesseract-ocr-dan$",
    ):
        parse(scans / "012.pdf", ocr=True)


def test_missing_wrapper_is_a_clear_error(
    scans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pytesseract", None)  # import fails
    with pytest.raises(OcrUnavailable, match=r"pip install 'referat-nlp\[ocr\]'"):
        parse(scans / "012.pdf", ocr=True)


def _table(*lines: tuple[int, int, int, str]) -> dict[str, list[object]]:
    """image_to_data's columns for (paragraph, top, height, text) word rows."""
    rows = [
        (5, 1, par, n, top, height, text)
        for n, (par, top, height, text) in enumerate(lines)
    ]
    names = ("level", "block_num", "par_num", "line_num", "top", "height", "text")
    table = {name: [row[k] for row in rows] for k, name in enumerate(names)}
    return table | {"conf": [95.0] * len(rows)}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # lines close together: one paragraph, even across Tesseract's paragraphs
        (
            [
                (1, 100, 40, "Forslag om længere åbningstid på"),
                (2, 150, 40, "bibliotekerne"),
            ],
            ["Forslag om længere åbningstid på", "bibliotekerne"],
        ),
        # a gap wider than PARAGRAPH_GAP line heights: a blank block
        (
            [(1, 100, 40, "Bilag"), (1, 200, 40, "Kort")],
            ["Bilag", "", "Kort"],
        ),
        # taller lines are not guessed to be headings (measured: no gain)
        (
            [(1, 100, 60, "Budget"), (1, 165, 40, "Sagen")],
            ["Budget", "Sagen"],
        ),
    ],
)
def test_page_blocks(
    lines: list[tuple[int, int, int, str]], expected: list[str]
) -> None:
    blocks = list(ocr.page_blocks(ocr.lines(_table(*lines)), 3))
    assert blocks[-1] == BLANK
    assert [b.text for b in blocks[:-1]] == expected
    assert not any(b.bold for b in blocks)
    assert {b.page for b in blocks[:-1] if b.text} == {3}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([("«", 36), ("51.", 96), ("Godkendelse", 95)], "• 51. Godkendelse"),
        ([("t", 0), ("55.", 95), ("Orientering", 96)], "• 55. Orientering"),
        ([("i", 93), ("2.", 96), ("kvartal", 96)], "i 2. kvartal"),  # a sure word
        ([("a", 20), ("Sagen", 96)], "a Sagen"),  # no number follows
        ([("+", 10)], "+"),
    ],
)
def test_doubtful_lone_glyph_before_a_number_is_a_bullet(
    words: list[tuple[str, float]], expected: str
) -> None:
    table = _table(*((1, 100, 40, word) for word, _ in words))
    table["line_num"] = [1] * len(words)
    table["conf"] = [conf for _, conf in words]
    assert [line.text for line in ocr.lines(table)] == [expected]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["|.", "Skrivelse", "fra", "Amtet"], "1. Skrivelse fra Amtet"),
        (["l.", "Regnskab"], "1. Regnskab"),
        (["ad", "l:", "Bevilget."], "ad 1: Bevilget."),
        (["I.", "Åbent", "møde"], "I. Åbent møde"),  # a roman part number stays
        (["|."], "|."),  # nothing follows: not an item
        (["Stemmer", "mod", "|."], "Stemmer mod |."),  # only where a line opens
    ],
)
def test_a_one_misread_as_a_bar_or_letter_opening_a_line(
    words: list[str], expected: str
) -> None:
    table = _table(*((1, 100, 40, word) for word in words))
    table["line_num"] = [1] * len(words)
    assert [line.text for line in ocr.lines(table)] == [expected]


def test_lines_come_top_to_bottom_whatever_tesseracts_block_order() -> None:
    """A running header Tesseract put in a later block still opens the page."""
    table = _table(
        (1, 300, 40, "5. Evaluering af træningstilbud"), (1, 40, 30, "Header")
    )
    table["block_num"] = [1, 2]
    assert [line.text for line in ocr.lines(table)] == [
        "Header",
        "5. Evaluering af træningstilbud",
    ]


def test_words_joined_into_lines() -> None:
    table = _table((1, 100, 40, "Sag"), (1, 100, 40, "nr."))
    table["line_num"] = [1, 1]
    assert [line.text for line in ocr.lines(table)] == ["Sag nr."]
    blocks = list(ocr.page_blocks(ocr.lines(table), 1))
    assert blocks == [Block("Sag nr.", page=1, top=round(100 / ocr.SCALE, 1)), BLANK]


# --- modes, quality, Fraktur -------------------------------------------------------


def test_ocr_modes() -> None:
    assert [ocr_mode(v) for v in (True, False, "auto", "always", "never")] == [
        "auto", "never", "auto", "always", "never",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="ocr must be one of"):
        ocr_mode("sometimes")


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        ("", False),
        (" ".join(garbage_lines()), False),  # a failed hidden OCR layer
        # English is not Danish running text either
        (
            " ".join(["The committee approved the budget and noted the report."] * 4),
            False,
        ),
        ((CORPUS / "033.txt").read_text(encoding="utf-8"), True),
        ("Side 3 af 7", True),  # too short to judge: kept
    ],
)
def test_a_usable_text_layer(text: str, usable: bool) -> None:
    assert ocr.usable([Block(line) for line in text.split("\n")]) is usable


def test_confidence_is_the_mean_over_read_words() -> None:
    table = {
        "level": [4, 5, 5, 5, 5], "text": ["", "Mødet", "hævet", " ", "x"],
        "conf": [-1, 96, 90, -1, 30],
    }  # fmt: skip
    assert ocr.confidence(table) == 0.72


@pytest.fixture(scope="module")
def layered(tmp_path_factory: pytest.TempPathFactory, scans: Path) -> dict[str, Path]:
    """The scan of 033 with a garbage hidden text layer, and with a good one."""
    folder = tmp_path_factory.mktemp("layered")
    text = (CORPUS / "033.txt").read_text(encoding="utf-8").splitlines()
    return {
        "garbage": with_hidden_text(
            scans / "033.pdf", folder / "garbage.pdf", garbage_lines()
        ),
        "good": with_hidden_text(scans / "033.pdf", folder / "good.pdf", text),
    }


@needs_tesseract
def test_auto_reads_a_page_whose_hidden_layer_is_garbage(layered: dict) -> None:
    kept = parse(layered["garbage"], ocr="never")
    assert not kept.items and NEEDS_REVIEW in kept.warnings
    referat = parse(layered["garbage"], ocr="auto")
    assert _scores(referat, "033") == dict.fromkeys((*FIELDS, "date"), 1.0)
    (page,) = referat.source.ocr
    assert (page.page, page.engine, page.language) == (1, "tesseract", "dan")
    assert 0.6 <= page.quality <= 1 and not page.low_quality


@needs_tesseract
def test_auto_keeps_a_good_layer_and_always_reads_the_scan(layered: dict) -> None:
    assert parse(layered["good"], ocr="auto").source.ocr == ()
    assert [p.page for p in parse(layered["good"], ocr="always").source.ocr] == [1]


def test_low_quality_pages_are_flagged() -> None:
    pages = (
        OcrPage(page=1, quality=0.93),
        OcrPage(page=4, quality=0.41, low_quality=True),
    )
    assert _quality_warning(pages) == (
        "low OCR quality on page 4 (0.41): check against the scan",
    )


needs_fraktur = pytest.mark.skipif(
    not FRAKTUR_FONT.is_file() or ocr._fraktur("tesseract") is None,
    reason="needs fonts-stix and tesseract-ocr-script-frak (CI installs them)",
)


@needs_tesseract
@needs_fraktur_font
@needs_fraktur
def test_a_page_printed_in_fraktur_is_read_with_the_fraktur_model(
    tmp_path: Path,
) -> None:
    """The Danish model reads blackletter poorly; the page is read again with
    Fraktur first, and that read is kept. Measured: items F1 1.0, dates 1.0."""
    text = (CORPUS / "032.txt").read_text(encoding="utf-8")
    referat = parse(fraktur_scan(text, tmp_path / "fraktur.pdf"), ocr=True)
    assert {p.language for p in referat.source.ocr} == {"Fraktur+dan"}
    scores = _scores(referat, "032")
    assert scores["items"] >= 0.9 and scores["date"] == 1.0
