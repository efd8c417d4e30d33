"""Tests for referat_nlp.render: sample referater as DOCX (python-docx) and PDF
(LibreOffice), built the way ESDH systems print minutes, and as HTML, built the way
municipal CMSs publish them.

The referat below is written for these tests; the PDF tests need LibreOffice
(``soffice``), which CI installs, and are skipped with a reason where it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber
import pytest
from bs4 import BeautifulSoup, Tag
from docx.shared import Mm, Pt

from referat_nlp import readers
from referat_nlp.structure.layout import clean
from tools import render

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed; CI installs it",
)

# A long case description so the referat runs over more than one page and the
# NUMPAGES field must really be computed.
FILLER = "\n\n".join(
    f"Forvaltningen har i afsnit {n} gennemgået ruterne for indsamling og vurderer, "
    "at den nye ordning kan gennemføres med de eksisterende biler og mandskab."
    for n in range(1, 41)
)
REFERAT = f"""REFERAT Teknik- og Miljøudvalget
Mødedato: Tirsdag den 4. marts 2025 kl. 16:00
Mødested: Udvalgsværelse 2, Rådhuset

Indholdsfortegnelse
1. Godkendelse af dagsorden.....\t3
2. Ny ordning for haveaffald fra villaer og rækkehuse.....\t4

1. Godkendelse af dagsorden (B)

Sagsnr.: 25/1187   Dok.nr.: 25/1187-12   Åbent

Beslutning i Teknik- og Miljøudvalget den 4. marts 2025:

Godkendt.

2. Ny ordning for haveaffald fra
villaer og rækkehuse (B)

25/2210

Åbent

Sagen afgøres i: Byrådet

Sagsfremstilling

{FILLER}

Side 2 af 3

Økonomi

 • Udgiften på 1,2 mio. kr. afholdes inden for rammen til Vej & Park.

Indstilling

Forvaltningen indstiller, at ordningen anbefales over for Byrådet.

Beslutning i Teknik- og Miljøudvalget den 4. marts 2025:

Anbefales.

3. Køb af jord ved Bøgevej (Lukket)

Sagsnr.: 25/3002   Lukket
"""
GOLD = {
    "municipality": "Egedal",
    "body": "Teknik- og Miljøudvalget",
    "meeting_date": "2025-03-04",
    "items": [
        {
            "number": "1",
            "title": "Godkendelse af dagsorden",
            "case_numbers": ["25/1187"],
            "doc_numbers": ["25/1187-12"],
            "open": True,
            "sections": ["Beslutning"],
        },
        {
            "number": "2",
            "title": "Ny ordning for haveaffald fra villaer og rækkehuse",
            "case_numbers": ["25/2210"],
            "doc_numbers": [],
            "open": True,
            "sections": [
                "Sagen afgøres i",
                "Sagsfremstilling",
                "Økonomi",
                "Indstilling",
                "Beslutning",
            ],
        },
        {
            "number": "3",
            "title": "Køb af jord ved Bøgevej",
            "case_numbers": ["25/3002"],
            "doc_numbers": [],
            "open": False,
            "sections": [],
        },
    ],
}
ITEM_LINES = (
    "1. Godkendelse af dagsorden (B)",
    "2. Ny ordning for haveaffald fra",
    "villaer og rækkehuse (B)",
    "3. Køb af jord ved Bøgevej (Lukket)",
)
SECTION_LINES = (
    "Beslutning i Teknik- og Miljøudvalget den 4. marts 2025:",
    "Sagsfremstilling",
    "Økonomi",
    "Indstilling",
)
META_ROWS = (
    [("Sagsnr.", "25/1187"), ("Dok.nr.", "25/1187-12"), ("Status", "Åbent")],
    [("Sagsnr.", "25/2210"), ("Status", "Åbent")],
    [("Sagsnr.", "25/3002"), ("Status", "Lukket")],
)
HEADER = "Teknik- og Miljøudvalget 04-03-2025"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _item(number: str, title: str, **extra: object) -> dict[str, object]:
    return {"number": number, "title": title, **extra}


def _write_sample(folder: Path, stem: str = "000") -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    txt, gold = folder / f"{stem}.txt", folder / f"{stem}.json"
    txt.write_text(REFERAT, encoding="utf-8")
    gold.write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return txt, gold


def _non_body(text: str, items: list[dict[str, object]]) -> list[tuple[str, str]]:
    lines = render.classify(text, {"items": items})
    return [(line.text, line.role) for line in lines if line.role != "body"]


@pytest.mark.parametrize(
    ("text", "items", "expected"),
    [
        (  # Høje-Taastrup style: "Punkt N:" and a bare case number line
            "Direktionen\nPunkt 1: Budget 2026\n21/0042\nBaggrund\nTekst.",
            [
                _item(
                    "1", "Budget 2026", case_numbers=["21/0042"], sections=["Baggrund"]
                )
            ],
            [
                ("Direktionen", "title"),
                ("Punkt 1: Budget 2026", "item"),
                ("21/0042", "meta"),
                ("Baggrund", "section"),
            ],
        ),
        (  # headings printed in capitals are the gold's sections too
            "Udvalget\n2. TRAFIKPLAN\nRESUMÉ\nTekst.\nINDSTILLING\nTekst.\n"
            "BESLUTNING\nAnbefales.",
            [
                _item(
                    "2", "TRAFIKPLAN", sections=["Resumé", "Indstilling", "Beslutning"]
                )
            ],
            [
                ("Udvalget", "title"),
                ("2. TRAFIKPLAN", "item"),
                ("RESUMÉ", "section"),
                ("INDSTILLING", "section"),
                ("BESLUTNING", "section"),
            ],
        ),
        (  # number on a line of its own, then the title
            "Ældrerådet\n4.\nHøring om busplan\nRådet drøftede planen.",
            [_item("4", "Høring om busplan")],
            [("Ældrerådet", "title"), ("4.", "item"), ("Høring om busplan", "item")],
        ),
        (  # number glued to the previous text: that line stays text
            "Ældrerådet\nFraværende: Ingen.2. \nValg af næstformand\nKarin blev valgt.",
            [_item("2", "Valg af næstformand")],
            [("Ældrerådet", "title"), ("Valg af næstformand", "item")],
        ),
        (  # a table of contents repeating the headings exactly is passed over
            "Referat\n1. Godkendelse af dagsorden\n2. Meddelelser\n\n"
            "1. Godkendelse af dagsorden\nGodkendt.\n2. Meddelelser\nIngen.",
            [_item("1", "Godkendelse af dagsorden"), _item("2", "Meddelelser")],
            [
                ("Referat", "title"),
                ("1. Godkendelse af dagsorden", "item"),
                ("2. Meddelelser", "item"),
            ],
        ),
        (  # a wrapped title with a status suffix; a bulleted web heading
            "1 af 4\nByrådet\n7. Salg af grund ved\nHavnevej (Lukket)\n"
            " • 8. Eventuelt\nIntet.",
            [_item("7", "Salg af grund ved Havnevej"), _item("8", "Eventuelt")],
            [
                ("Byrådet", "title"),
                ("7. Salg af grund ved", "item"),
                ("Havnevej (Lukket)", "item"),
                (" • 8. Eventuelt", "item"),
            ],
        ),
        (  # headings: decision variants, an inline field; a page line stays text
            "Byrådet\n1.Takster 2026\nSagen afgøres i: Byrådet\nIndstilling:\n"
            "Side 2 af 3\nBeslutning om takster følger.\n"
            "Beslutning i Byrådet den 3. maj 2024:\nGodkendt.",
            [
                _item(
                    "1",
                    "Takster 2026",
                    sections=["Sagen afgøres i", "Indstilling", "Beslutning"],
                )
            ],
            [
                ("Byrådet", "title"),
                ("1.Takster 2026", "item"),
                ("Sagen afgøres i: Byrådet", "field"),
                ("Indstilling:", "section"),
                ("Beslutning i Byrådet den 3. maj 2024:", "section"),
            ],
        ),
        (  # FirstAgenda's status before the title
            "Byrådet\n9. Lukket: Køb af ejendom\nSagsnr.: 24-000098",
            [_item("9", "Køb af ejendom", case_numbers=["24-000098"])],
            [
                ("Byrådet", "title"),
                ("9. Lukket: Køb af ejendom", "item"),
                ("Sagsnr.: 24-000098", "meta"),
            ],
        ),
        (  # a heading the gold does not list for the item is left as text
            "Byrådet\n3. Meddelelser\nØkonomi\nIngen.",
            [_item("3", "Meddelelser", sections=[])],
            [("Byrådet", "title"), ("3. Meddelelser", "item")],
        ),
    ],
)
def test_classify_roles(
    text: str, items: list[dict[str, object]], expected: list[tuple[str, str]]
) -> None:
    assert _non_body(text, items) == expected


def test_classify_keeps_every_nonblank_line_exactly() -> None:
    lines = render.classify(REFERAT, GOLD)
    assert [line.text for line in lines] == [
        ln for ln in REFERAT.split("\n") if ln.strip()
    ]


@pytest.mark.parametrize(
    ("line", "known", "expected"),
    [
        (
            "Sagsnr.: 330-2018-3619   Dok.nr.: 330-2018-500301   Åbent",
            {"330-2018-3619", "330-2018-500301"},
            (
                ("Sagsnr.", "330-2018-3619"),
                ("Dok.nr.", "330-2018-500301"),
                ("Status", "Åbent"),
            ),
        ),
        ("Sag 306-2009-600", {"306-2009-600"}, (("Sag", "306-2009-600"),)),
        ("Dok. 306-2019-263412", {"306-2019-263412"}, (("Dok.", "306-2019-263412"),)),
        (
            "J.nr. 00.01.00-A00-1-19",
            {"00.01.00-A00-1-19"},
            (("J.nr.", "00.01.00-A00-1-19"),),
        ),
        ("19/24995", {"19/24995"}, (("Sagsnr.", "19/24995"),)),
        ("Åbent", set(), (("Status", "Åbent"),)),
        ("19/24995", set(), ()),  # not one of the item's numbers
        ("Budget 2019", {"2019"}, ()),
        ("Kompetence: Økonomiudvalget", set(), ()),
    ],
)
def test_meta_fields(
    line: str, known: set[str], expected: tuple[tuple[str, str], ...]
) -> None:
    assert render.meta_fields(line, frozenset(known)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Beslutning", "Beslutning"),
        ("Beslutning:", "Beslutning"),
        ("Beslutning i Økonomiudvalget den 1. oktober 2018:", "Beslutning"),
        ("Beslutning Direktionen den 28-09-2020", "Beslutning"),
        ("Beslutning i Byrådet", "Beslutning"),
        (
            "Sundheds- og Forebyggelsesudvalgets beslutning den 4. december 2012",
            "Beslutning",
        ),
        ("Udvalgets beslutning", "Beslutning"),
        (
            "Beslutning om ny takst for madservice",
            "Beslutning om ny takst for madservice",
        ),
        (" Indstilling: ", "Indstilling"),
    ],
)
def test_section_name(line: str, expected: str) -> None:
    assert render.section_name(line) == expected


@pytest.mark.parametrize(
    ("gold", "expected"),
    [
        (
            {"body": "Direktionen", "meeting_date": "2020-09-28"},
            "Direktionen 28-09-2020",
        ),
        ({"body": "Byrådet", "meeting_date": None}, "Byrådet"),
        ({"municipality": "Faxe", "meeting_date": "2019-06-20"}, "Faxe 20-06-2019"),
    ],
)
def test_running_header(gold: dict[str, object], expected: str) -> None:
    assert render.running_header(gold) == expected


@pytest.mark.parametrize(
    ("stem", "expected"),
    [("000", "styles"), ("001", "bold"), ("002", "table"), ("013", "bold")],
)
def test_auto_layout_cycles_by_number(stem: str, expected: str) -> None:
    assert render.auto_layout(stem) == expected


@pytest.mark.parametrize(("stem", "expected"), [("000", "tags"), ("013", "strong")])
def test_auto_layout_cycles_html_layouts(stem: str, expected: str) -> None:
    assert render.auto_layout(stem, render.HTML_LAYOUTS) == expected


@pytest.fixture(scope="module")
def docx_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("docx")
    txt, gold = _write_sample(folder / "in")
    return {
        layout: render.to_docx(txt, gold, folder / f"{layout}.docx", layout)
        for layout in render.LAYOUTS
    }


def _paragraphs(path: Path) -> dict[str, docx.text.paragraph.Paragraph]:
    return {p.text: p for p in docx.Document(str(path)).paragraphs}


def test_styles_layout_uses_heading_styles(docx_files: dict[str, Path]) -> None:
    paragraphs = _paragraphs(docx_files["styles"])
    assert paragraphs["REFERAT Teknik- og Miljøudvalget"].style.name == "Title"
    assert {paragraphs[t].style.name for t in ITEM_LINES} == {"Heading 1"}
    assert {paragraphs[t].style.name for t in SECTION_LINES} == {"Heading 2"}
    assert paragraphs["Godkendt."].style.name == "Normal"
    assert paragraphs["Indholdsfortegnelse"].style.name == "Heading 2"


@pytest.mark.parametrize("layout", ["bold", "table"])
def test_bold_layouts_use_bold_runs_in_normal(
    docx_files: dict[str, Path], layout: str
) -> None:
    paragraphs = _paragraphs(docx_files[layout])
    assert {p.style.name for p in paragraphs.values()} == {"Normal"}
    for texts, size in ((ITEM_LINES, 13), (SECTION_LINES, 11)):
        runs = [r for t in texts for r in paragraphs[t].runs]
        assert {(r.bold, r.font.size) for r in runs} == {(True, Pt(size))}
    assert {r.bold for r in paragraphs["Godkendt."].runs} == {None}
    field = paragraphs["Sagen afgøres i: Byrådet"].runs
    assert [(r.text, r.bold) for r in field] == [
        ("Sagen afgøres i:", True),
        (" Byrådet", None),
    ]


def test_table_layout_puts_case_numbers_in_a_table_under_the_heading(
    docx_files: dict[str, Path],
) -> None:
    document = docx.Document(str(docx_files["table"]))
    rows = [
        [(r.cells[0].text, r.cells[1].text) for r in t.rows] for t in document.tables
    ]
    assert rows == list(META_ROWS)
    body = list(document.element.body)
    for heading, table in zip(
        (ITEM_LINES[0], ITEM_LINES[2], ITEM_LINES[3]), document.tables, strict=True
    ):
        at = next(i for i, el in enumerate(body) if el.xpath("string(.)") == heading)
        assert body[at + 1] is table._tbl
    assert "Åbent" not in _paragraphs(docx_files["table"])


@pytest.mark.parametrize("layout", ["styles", "bold"])
def test_non_table_layouts_keep_every_line_as_a_paragraph(
    docx_files: dict[str, Path], layout: str
) -> None:
    document = docx.Document(str(docx_files[layout]))
    assert not document.tables
    expected = [ln for ln in REFERAT.split("\n") if ln.strip()]
    assert [p.text for p in document.paragraphs] == expected


@pytest.mark.parametrize("layout", render.LAYOUTS)
def test_page_header_and_footer_fields(
    docx_files: dict[str, Path], layout: str
) -> None:
    document = docx.Document(str(docx_files[layout]))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert section.header.paragraphs[0].text == HEADER
    footer = section.footer.paragraphs[0]._p
    instructions = [el.text.strip() for el in footer.iter(f"{W}instrText")]
    kinds = [el.get(f"{W}fldCharType") for el in footer.iter(f"{W}fldChar")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert kinds == ["begin", "separate", "end"] * 2
    texts = "".join(el.text for el in footer.iter(f"{W}t"))
    assert texts == "Side 1 af 1"  # field results cached until LibreOffice lays out
    assert document.styles["Normal"].font.name == render.FONT
    assert document.core_properties.keywords.startswith("referat-render-")


def test_to_docx_rejects_unknown_layout_and_missing_input(tmp_path: Path) -> None:
    txt, gold = _write_sample(tmp_path)
    with pytest.raises(ValueError, match="unknown layout 'fancy'"):
        render.to_docx(txt, gold, tmp_path / "x.docx", "fancy")
    with pytest.raises(render.MissingSource, match=r"nope\.txt: no such file"):
        render.to_docx(tmp_path / "nope.txt", gold, tmp_path / "x.docx", "bold")
    assert not (tmp_path / "x.docx").exists()


def test_to_docx_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    txt, gold = _write_sample(tmp_path / "in")
    out = tmp_path / "out"

    def broken_save(self: object, path: str) -> None:
        Path(path).write_bytes(b"PK half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(docx.document.Document, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        render.to_docx(txt, gold, out / "000.docx", "bold")
    assert list(out.iterdir()) == []


@pytest.fixture(scope="module")
def pdf_files(docx_files: dict[str, Path]) -> dict[str, Path]:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it")
    return {
        layout: render.to_pdf(path, path.parent / "pdf" / layout)
        for layout, path in docx_files.items()
    }


def _lines(page: pdfplumber.page.Page) -> dict[str, list[dict[str, object]]]:
    return {line["text"]: line["chars"] for line in page.extract_text_lines()}


@needs_soffice
@pytest.mark.parametrize("layout", render.LAYOUTS)
def test_pdf_text_headings_and_footer(pdf_files: dict[str, Path], layout: str) -> None:
    with pdfplumber.open(pdf_files[layout]) as pdf:
        pages = pdf.pages
        n = len(pages)
        assert n >= 2
        texts = [page.extract_text() for page in pages]
        lines = {text: chars for page in pages for text, chars in _lines(page).items()}
    for page_no, text in enumerate(texts, start=1):
        assert text.splitlines()[0] == HEADER
        assert text.splitlines()[-1] == f"Side {page_no} af {n}"
    for heading in ITEM_LINES:
        chars = lines[heading]
        assert all("Bold" in c["fontname"] or c["size"] > 10.5 for c in chars), heading
    assert all("Bold" not in c["fontname"] for c in lines["Godkendt."])
    if layout == "table":
        assert "Sagsnr. 25/1187" in lines
        assert "Dok.nr. 25/1187-12" in lines


@needs_soffice
def test_to_pdf_reports_libreoffice_error_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "tom.docx"
    with zipfile.ZipFile(bad, "w") as archive:  # a zip, but not a Word document
        archive.writestr("hej.txt", "ikke et dokument")
    out = tmp_path / "out"
    with pytest.raises(render.ConversionFailed) as caught:
        render.to_pdf(bad, out)
    message = str(caught.value)
    assert message.startswith(f"{bad}: PDF conversion failed: LibreOffice")
    assert "could not be loaded" in message  # LibreOffice's own stderr
    assert list(out.iterdir()) == []


@needs_soffice
def test_to_pdf_times_out(tmp_path: Path, docx_files: dict[str, Path]) -> None:
    with pytest.raises(render.ConversionFailed, match=r"timed out after 0\.01 s"):
        render.to_pdf(docx_files["bold"], tmp_path, timeout=0.01)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (None, render.MissingSource, "no such file"),
        (b"Dette er ikke en docx-fil\n", render.NotDocx, "not a DOCX file"),
    ],
)
def test_to_pdf_rejects_non_docx_before_libreoffice(
    tmp_path: Path, content: bytes | None, error: type[Exception], message: str
) -> None:
    path = tmp_path / "referat.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=re.escape(f"{path}: ") + ".*" + message):
        render.to_pdf(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_to_pdf_without_libreoffice(
    tmp_path: Path, docx_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(render.ConversionFailed, match="LibreOffice not found"):
        render.to_pdf(docx_files["bold"], tmp_path)


@needs_soffice
def test_main_renders_corpus_with_all_layouts_and_skips_current(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for stem in ("000", "001", "002"):
        _write_sample(tmp_path, stem)
    (tmp_path / "003.txt").write_text("uden guld", encoding="utf-8")
    assert render.main([str(tmp_path)]) == 0
    first = [line.split()[:2] for line in capsys.readouterr().out.splitlines()]
    assert first == [
        [str(tmp_path / f"{stem}.{suffix}"), layout]
        for stem, pdf_layout, html_layout in (
            ("000", "styles", "tags"),
            ("001", "bold", "strong"),
            ("002", "table", "tags"),
        )
        for suffix, layout in (("pdf", pdf_layout), ("html", html_layout))
    ]
    assert not (tmp_path / "003.docx").exists()
    assert not (tmp_path / "003.html").exists()
    stamps = []
    for stem in ("000", "001", "002"):
        with pdfplumber.open(tmp_path / f"{stem}.pdf") as pdf:
            stamps.append(pdf.metadata["Keywords"])
        assert (
            docx.Document(str(tmp_path / f"{stem}.docx")).core_properties.keywords
            == stamps[-1]
        )
    assert len(set(stamps)) == 3  # the layout is part of the fingerprint
    files = sorted(p for p in tmp_path.iterdir() if p.suffix in {".docx", ".pdf"})
    before = {path: path.read_bytes() for path in files}
    # a renderer change that changes no output (another format, say) rewrites nothing
    monkeypatch.setattr(render, "fingerprint", lambda *args: f"referat-render-{0:016}")
    assert render.main([str(tmp_path)]) == 0
    second = capsys.readouterr().out.splitlines()
    assert [line.split(maxsplit=1)[1] for line in second] == ["up to date"] * 6
    assert {path: path.read_bytes() for path in files} == before


def test_main_leaves_a_native_html_sample_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A saved web page with gold (NNN.html + NNN.json, no NNN.txt) is a sample in
    its own right: render has no text to regenerate it from and must not touch it."""
    page = tmp_path / "022.html"
    page.write_text("<html><body><h1>Salg af grund</h1></body></html>", "utf-8")
    (tmp_path / "022.json").write_text(json.dumps({"items": []}), encoding="utf-8")
    before = page.read_bytes()
    assert render.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""
    assert page.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["022.html", "022.json"]


@pytest.fixture(scope="module")
def html_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    txt, gold = _write_sample(folder / "in")
    return {
        layout: render.to_html(txt, gold, folder / f"{layout}.html", layout)
        for layout in render.HTML_LAYOUTS
    }


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _texts(soup: BeautifulSoup, selector: str) -> list[str]:
    return [tag.get_text() for tag in soup.select(selector)]


def _printed_lines(element: Tag) -> list[str]:
    """The text lines of a paragraph or heading: <br> ends a line."""
    for br in element.find_all("br"):
        br.replace_with("\n")
    return element.get_text().split("\n")


def test_tags_layout_uses_heading_elements(html_files: dict[str, Path]) -> None:
    soup = _soup(html_files["tags"])
    assert _texts(soup, "article h1") == ["REFERAT Teknik- og Miljøudvalget"]
    assert _texts(soup, "article h2") == list(ITEM_LINES)
    assert set(_texts(soup, "article h3")) == {"Indholdsfortegnelse", *SECTION_LINES}
    assert not soup.select("article table")
    assert _texts(soup, "article strong") == ["Sagen afgøres i:"]  # a field label
    assert _texts(soup, "section.punkt > h2:first-child") == [
        ITEM_LINES[0],
        ITEM_LINES[1],
        ITEM_LINES[3],
    ]


def test_strong_layout_uses_bold_paragraphs_and_case_tables(
    html_files: dict[str, Path],
) -> None:
    soup = _soup(html_files["strong"])
    assert _texts(soup, "article h1") == ["REFERAT Teknik- og Miljøudvalget"]
    assert not soup.select("article h2, article h3")
    bold = _texts(soup, "article p > strong")
    assert [t for t in bold if t in ITEM_LINES] == list(ITEM_LINES)
    assert set(bold) == {
        "Indholdsfortegnelse",
        "Sagen afgøres i:",
        *ITEM_LINES,
        *SECTION_LINES,
    }
    rows = [
        [(tr.th.get_text(), tr.td.get_text()) for tr in table.find_all("tr")]
        for table in soup.select("article table")
    ]
    assert rows == list(META_ROWS)
    assert "Mødedato: Tirsdag den 4. marts 2025 kl. 16:00" in _printed_lines(
        soup.select_one("article h1 + p")
    )


@pytest.mark.parametrize("layout", render.HTML_LAYOUTS)
def test_html_keeps_every_line_unchanged(
    html_files: dict[str, Path], layout: str
) -> None:
    soup = _soup(html_files[layout])
    elements = soup.select("article > *:not(.punkt), .punkt > *:not(.til-toppen)")
    printed = [
        line
        for element in elements
        if element.name != "table"
        for line in _printed_lines(element)
    ]
    meta = {"Sagsnr.: 25/1187   Dok.nr.: 25/1187-12   Åbent", "25/2210", "Åbent"}
    meta.add("Sagsnr.: 25/3002   Lukket")
    expected = [ln for ln in REFERAT.split("\n") if ln.strip()]
    if layout == "strong":  # case numbers are in the tables
        expected = [ln for ln in expected if ln not in meta]
    assert printed == expected
    assert "Vej &amp; Park" in html_files[layout].read_text(encoding="utf-8")


@pytest.mark.parametrize("layout", render.HTML_LAYOUTS)
def test_html_page_furniture_and_fingerprint(
    html_files: dict[str, Path], layout: str
) -> None:
    soup = _soup(html_files[layout])
    assert soup.find("meta", charset=True)["charset"] == "utf-8"
    assert soup.html["lang"] == "da"
    assert soup.title.get_text() == "REFERAT Teknik- og Miljøudvalget"
    assert soup.find("meta", attrs={"name": "author"})["content"] == "Egedal Kommune"
    stamp = soup.find("meta", attrs={"name": "keywords"})["content"]
    txt = html_files[layout].parent / "in" / "000.txt"
    assert stamp == render.fingerprint(txt, txt.with_suffix(".json"), layout)
    assert soup.select_one("body > header").get_text() == "Egedal Kommune"
    assert "Egedal Kommune" in soup.select_one("body > footer").get_text()
    assert len(soup.select("body > nav, main > nav")) == 2
    links = soup.select(".punkt > :last-child > a[href='#top']")
    assert [a.get_text() for a in links] == ["Til toppen"] * 3


SITE_FURNITURE = ("Til toppen", "Egedal Kommune", "Kontakt | Cookies", "Forside")


def test_html_reader_sees_only_the_minutes(html_files: dict[str, Path]) -> None:
    """Menu, site header and footer and "Til toppen" do not reach the text."""
    for layout, path in html_files.items():
        text = clean(readers.read(path).blocks).text
        lines = [line for line in text.split("\n") if line]
        if layout == "tags":
            assert lines == [
                " ".join(ln.split()) for ln in REFERAT.split("\n") if ln.strip()
            ]
        else:
            assert lines[0] == "REFERAT Teknik- og Miljøudvalget"
            assert lines[-2:] == ["Sagsnr.\t25/3002", "Status\tLukket"]
        assert not set(SITE_FURNITURE) & set(lines)


def test_to_html_rejects_unknown_layout_and_missing_input(tmp_path: Path) -> None:
    txt, gold = _write_sample(tmp_path)
    with pytest.raises(ValueError, match="unknown layout 'bold'"):
        render.to_html(txt, gold, tmp_path / "x.html", "bold")
    with pytest.raises(render.MissingSource, match=r"nope\.json: no such file"):
        render.to_html(txt, tmp_path / "nope.json", tmp_path / "x.html", "tags")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    ("change", "moved"),
    [
        (lambda page: page, False),  # the same page
        (
            lambda page: re.sub(
                "referat-render-[0-9a-f]+", "referat-render-" + "0" * 16, page
            ),
            False,
        ),
        (lambda page: page.replace("Godkendt.", "Godkendt med ændringer."), True),
    ],
)
def test_install_skips_a_current_rendering(
    tmp_path: Path,
    html_files: dict[str, Path],
    change: Callable[[str], str],
    moved: bool,
) -> None:
    """Current means: the same content, whatever fingerprint the file carries."""
    target = tmp_path / "000.html"
    target.write_text(
        change(html_files["tags"].read_text(encoding="utf-8")), encoding="utf-8"
    )
    before = target.read_bytes()
    staged = tmp_path / "staged.html"
    shutil.copy(html_files["tags"], staged)
    assert render._install(staged, target, force=False) is moved
    assert staged.exists() is not moved
    assert (target.read_bytes() == before) is not moved
    assert render._install(shutil.copy(html_files["tags"], staged), target, force=True)


TABLE_TEXT = (
    "Referat af Ældrerådet\n\nIndhold.....\t2\n\n"
    "Pkt.\tEmne\tReferat\n1\tDagsorden\tGodkendt.\n2\tBudget\tTaget til efterretning.\n"
)
TABLE_GOLD = {"municipality": "Assens", "body": "Ældrerådet", "items": []}


@pytest.mark.parametrize("layout", render.LAYOUTS)
def test_rows_of_tab_separated_cells_become_a_ruled_table(
    tmp_path: Path, layout: str
) -> None:
    """Lines of three or more cells set as one Word table (a contents entry with
    its page after one tab stays a paragraph); the readers give the rows back."""
    txt, gold = tmp_path / "t.txt", tmp_path / "t.json"
    txt.write_text(TABLE_TEXT, encoding="utf-8")
    gold.write_text(json.dumps(TABLE_GOLD), encoding="utf-8")
    out = render.to_docx(txt, gold, tmp_path / "t.docx", layout)
    document = docx.Document(str(out))
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows][1] == [
        "1",
        "Dagsorden",
        "Godkendt.",
    ]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert "Indhold.....\t2" in [p.text for p in document.paragraphs]
    rows = [b.text for b in readers.read(out).blocks if b.text.count("\t") == 2]
    assert rows == [line for line in TABLE_TEXT.splitlines() if line.count("\t") == 2]


def test_html_sets_the_rows_as_a_table(tmp_path: Path) -> None:
    txt, gold = tmp_path / "t.txt", tmp_path / "t.json"
    txt.write_text(TABLE_TEXT, encoding="utf-8")
    gold.write_text(json.dumps(TABLE_GOLD), encoding="utf-8")
    page = _soup(render.to_html(txt, gold, tmp_path / "t.html", "tags"))
    table = page.find("table", class_="tabel")
    assert isinstance(table, Tag)
    assert [th.get_text() for th in table.find_all("th")] == ["Pkt.", "Emne", "Referat"]
    assert len(table.find_all("tr")) == 3


def test_table_rows_of_two_or_more_cells_but_not_contents_entries() -> None:
    """A two-column minutes table ("Emne | Drøftelse og beslutning") is a table; a
    contents list's "Title<TAB>page" lines are not, but a table's "I alt" row that
    ends in a figure still is."""
    lines = [
        "Emne\tBeslutning", "Godkendelse\tGodkendt.", "Eventuelt\tIntet.", "",
        "1. Godkendelse af dagsorden\t2", "2. Eventuelt\t3", "",
        "Område\tBudget\tAfvigelse", "I alt\t6.000\t0",
    ]  # fmt: skip
    assert render._table_rows(lines) == {0, 1, 2, 7, 8}
