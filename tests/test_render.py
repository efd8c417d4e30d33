"""Tests for referat_nlp.render: sample referater as DOCX (python-docx) and PDF
(LibreOffice), built the way ESDH systems print minutes.

The referat below is written for these tests; the PDF tests need LibreOffice
(``soffice``), which CI installs, and are skipped with a reason where it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.shared import Mm, Pt

from referat_nlp import render
from referat_nlp.errors import CorruptDocument, MissingFile

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

 • Udgiften på 1,2 mio. kr. afholdes inden for rammen.

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
    with pytest.raises(MissingFile, match=r"nope\.txt: no such file"):
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
        (None, MissingFile, "no such file"),
        (b"Dette er ikke en docx-fil\n", CorruptDocument, "not a DOCX file"),
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
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for stem in ("000", "001", "002"):
        _write_sample(tmp_path, stem)
    (tmp_path / "003.txt").write_text("uden guld", encoding="utf-8")
    assert render.main([str(tmp_path)]) == 0
    first = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in first] == ["styles", "bold", "table"]
    assert not (tmp_path / "003.docx").exists()
    stamps = []
    for stem in ("000", "001", "002"):
        with pdfplumber.open(tmp_path / f"{stem}.pdf") as pdf:
            stamps.append(pdf.metadata["Keywords"])
        assert (
            docx.Document(str(tmp_path / f"{stem}.docx")).core_properties.keywords
            == stamps[-1]
        )
    assert len(set(stamps)) == 3  # the layout is part of the fingerprint
    assert render.main([str(tmp_path)]) == 0
    second = capsys.readouterr().out.splitlines()
    assert [line.split(maxsplit=1)[1] for line in second] == ["up to date"] * 3
