"""Bilag: grouping files with their referat, reading them, matching them to items."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from referat_nlp import bilag
from referat_nlp.pipeline import parse

# an invented referat in the layout of Danish ESDH exports, listing bilag by title
REFERAT = """Egebjerg Kommune

Referat

Økonomiudvalget

Mødedato: Tirsdag den 12. marts 2024
Mødetidspunkt: 15:00
Mødested: Mødelokale 2, Rådhuset


1. Status på indkøbsstrategiens handleplan 2024

Sagsnr.: 24/1180

Sagsfremstilling
Administrationen giver en status på arbejdet med handleplanen for indkøb.

Indstilling
Direktionen indstiller, at orienteringen tages til efterretning.

Beslutning
Taget til efterretning.

Bilag
Status på indkøbsstrategiens handleplan 2024
Oversigt over udbud 2024-2025


2. Budgetopfølgning pr. 29. februar 2024

Sagsnr.: 24/2210

Sagsfremstilling
Forvaltningen forventer et samlet mindreforbrug på 4,2 mio. kr.

Indstilling
Direktionen indstiller, at budgetopfølgningen godkendes.

Beslutning
Godkendt.

Bilag
Budgetopfølgning pr. 29.02.2024 - samlet oversigt
"""


def _touch(root: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        paths.append(path)
    return paths


def _groups(root: Path) -> dict[str, tuple[list[str], list[str]]]:
    found = [(p, root) for p in sorted(root.rglob("*")) if p.is_file()]
    return {
        g.referat.relative_to(root).as_posix(): (
            sorted(p.relative_to(root).as_posix() for p in g.bilag),
            sorted(p.relative_to(root).as_posix() for p in g.candidates),
        )
        for g in bilag.group(found)
    }


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # a meeting folder: the minutes are named so, the rest are its bilag
        (
            ["ou/Referat ØU 12-03-2024.pdf", "ou/Oversigt over udbud.docx"],
            {"ou/Referat ØU 12-03-2024.pdf": (["ou/Oversigt over udbud.docx"], [])},
        ),
        # a folder named after the minutes file holds its bilag
        (
            ["2024-03-12 ØU.pdf", "2024-03-12 ØU/notat.pdf", "2024-03-12 ØU/kort.pdf"],
            {
                "2024-03-12 ØU.pdf": (
                    ["2024-03-12 ØU/kort.pdf", "2024-03-12 ØU/notat.pdf"],
                    [],
                )
            },
        ),
        # … also when the folder adds the word "bilag"
        (
            ["ØU 12-03-2024.docx", "ØU 12-03-2024 bilag/a.pdf"],
            {"ØU 12-03-2024.docx": (["ØU 12-03-2024 bilag/a.pdf"], [])},
        ),
        # "Bilag" files go to the minutes whose name they share most of
        (
            ["BU 2024-01.pdf", "BU 2024-01 bilag 1.pdf", "KU 2024-01.pdf"],
            {
                "BU 2024-01.pdf": (["BU 2024-01 bilag 1.pdf"], ["KU 2024-01.pdf"]),
                "KU 2024-01.pdf": ([], ["BU 2024-01.pdf"]),
            },
        ),
        # no names to go by: every file is a referat, siblings are candidates
        (
            ["001.pdf", "002.pdf"],
            {"001.pdf": ([], ["002.pdf"]), "002.pdf": ([], ["001.pdf"])},
        ),
        # a lone bilag-named file is still an input, never dropped
        (["bilag 4.pdf"], {"bilag 4.pdf": ([], [])}),
        # several minutes in one folder: a file goes to the one it shares a name
        # beginning with; an export is always minutes; a stranger stands alone
        (
            [
                "egebjerg_oeu_2024-03-12_referat.pdf",
                "egebjerg_oeu_2024-03-12_punkt3.pdf",
                "egebjerg_bu_2024-03-14_referat.docx",
                "vestby_byraad_2024-03-20.json",
                "noter.pdf",
            ],
            {
                "egebjerg_oeu_2024-03-12_referat.pdf": (
                    ["egebjerg_oeu_2024-03-12_punkt3.pdf"],
                    [],
                ),
                "egebjerg_bu_2024-03-14_referat.docx": ([], []),
                "vestby_byraad_2024-03-20.json": ([], []),
                "noter.pdf": ([], []),
            },
        ),
    ],
)
def test_group(tmp_path: Path, files: list[str], expected: dict) -> None:
    _touch(tmp_path, *files)
    assert _groups(tmp_path) == expected


@pytest.mark.parametrize(
    ("file_name", "title", "expected"),
    [
        (
            "Status på indkøbsstrategiens handleplan 2024 (004)-2.docx",
            "Status på indkøbsstrategiens handleplan 2024",
            True,
        ),
        (
            "Bilag 2 - Oversigt over udbud 2024-2025.pdf",
            "Oversigt over udbud 2024-2025",
            True,
        ),
        ("bilag_3_Takstblad_2025.pdf", "Takstblad 2025", True),
        # file names cannot hold "/" or ":" and lose dots
        (
            "Budgetopfølgning pr 29022024 - samlet oversigt.pdf",
            "Budgetopfølgning pr. 29.02.2024 - samlet oversigt",
            True,
        ),
        # a name cut by the path-length limit still names its title
        (
            "Høringssvar fra Ældrerådet vedrørende kvalitet.pdf",
            "Høringssvar fra Ældrerådet vedrørende kvalitetsstandarder for hjemmehjælp",
            True,
        ),
        ("Takstblad 2024.pdf", "Takstblad 2025", False),
        (
            "Oversigt over udbud.pdf",
            "Status på indkøbsstrategiens handleplan 2024",
            False,
        ),
        ("Kort.pdf", "Kortbilag", False),
    ],
)
def test_matches(file_name: str, title: str, expected: bool) -> None:
    assert bilag.matches(title, bilag.name_keys(Path(file_name))) is expected


def _docx(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.add_paragraph("Handleplanen har fire indsatsområder.")
    table = document.add_table(rows=2, cols=2)
    for row, (area, status) in enumerate(
        [("Indsats", "Status"), ("Fælles udbud", "I gang")]
    ):
        table.cell(row, 0).text, table.cell(row, 1).text = area, status
    document.save(path)
    return path


def test_read_docx_keeps_tables(tmp_path: Path) -> None:
    read = bilag.read(_docx(tmp_path / "sub" / "plan.docx"), tmp_path, "pdfium")
    assert read.file == "sub/plan.docx"
    assert read.text == (
        "Handleplanen har fire indsatsområder.\n\nIndsats\tStatus\nFælles udbud\tI gang"
    )
    assert len(read.sha256) == 64 and read.error is None


def test_read_unreadable_bilag_keeps_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "skadet.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    read = bilag.read(broken, tmp_path, "pdfium")
    assert read.text is None
    assert read.error is not None and "corrupt" in read.error


def test_attach_to_items_and_keep_the_rest(tmp_path: Path) -> None:
    (tmp_path / "referat.txt").write_text(REFERAT, encoding="utf-8")
    referat = parse(tmp_path / "referat.txt")
    plan = _docx(tmp_path / "Status på indkøbsstrategiens handleplan 2024 (004)-2.docx")
    budget = tmp_path / "Budgetopfølgning pr 29022024 - samlet oversigt.txt"
    budget.write_text("Samlet mindreforbrug 4,2 mio. kr.", encoding="utf-8")
    other = tmp_path / "Kørselsgodtgørelse.txt"
    other.write_text("Satser for 2024", encoding="utf-8")
    files = [bilag.read(p, tmp_path, "pdfium") for p in (plan, budget, other)]
    linked, unmatched = bilag.attach(referat, files)
    first, second = linked.items
    assert [(a.title, a.file) for a in first.attachments] == [
        ("Status på indkøbsstrategiens handleplan 2024", plan.name),
        ("Oversigt over udbud 2024-2025", None),  # listed, no file: title kept
    ]
    assert "Fælles udbud\tI gang" in (first.attachments[0].text or "")
    assert second.attachments[0].file == budget.name
    assert second.attachments[0].text == "Samlet mindreforbrug 4,2 mio. kr."
    assert [(a.title, a.file, a.text) for a in unmatched] == [
        ("Kørselsgodtgørelse", other.name, "Satser for 2024")
    ]
    assert referat.items[0].attachments[0].file is None  # the input is unchanged


def test_listed_names_picks_matching_siblings(tmp_path: Path) -> None:
    (tmp_path / "referat.txt").write_text(REFERAT, encoding="utf-8")
    referat = parse(tmp_path / "referat.txt")
    siblings = [
        Path("Oversigt over udbud 2024-2025.pdf"),
        Path("ØU 2024-04-09.pdf"),
    ]
    assert bilag.listed_names(referat, siblings) == siblings[:1]
