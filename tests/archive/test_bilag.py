"""Bilag: grouping files with their referat, reading them, matching them to items."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from referat_nlp.archive import bilag
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
        # a tie in shared beginning goes to the first minutes in file order …
        (
            [
                "ØU 2024-03 referat.pdf",
                "ØU 2024-03 referat.docx",
                "ØU 2024-03 bilag 1.pdf",
            ],
            {
                "ØU 2024-03 referat.docx": (["ØU 2024-03 bilag 1.pdf"], []),
                "ØU 2024-03 referat.pdf": ([], []),
            },
        ),
        # … names differing in case only tie too …
        (
            [
                "byrådet 2024-05 referat.pdf",
                "Byrådet 2024-05 referat.pdf",
                "BYRÅDET 2024-05 bilag.pdf",
            ],
            {
                "Byrådet 2024-05 referat.pdf": (["BYRÅDET 2024-05 bilag.pdf"], []),
                "byrådet 2024-05 referat.pdf": ([], []),
            },
        ),
        # … and exports come before other minutes, whatever their names
        (
            [
                "vestby_2024-03-20 referat.pdf",
                "vestby_2024-03-20.json",
                "vestby_2024-03-20_bilag_1.pdf",
            ],
            {
                "vestby_2024-03-20.json": (["vestby_2024-03-20_bilag_1.pdf"], []),
                "vestby_2024-03-20 referat.pdf": ([], []),
            },
        ),
        # a nested folder belongs to the file its nearest named folder is named after
        (
            ["BU 2024-02.pdf", "BU 2024-02 bilag/kort/a.pdf", "BU 2024-02 bilag/b.pdf"],
            {
                "BU 2024-02.pdf": (
                    ["BU 2024-02 bilag/b.pdf", "BU 2024-02 bilag/kort/a.pdf"],
                    [],
                )
            },
        ),
    ],
)
def test_group(tmp_path: Path, files: list[str], expected: dict) -> None:
    _touch(tmp_path, *files)
    assert _groups(tmp_path) == expected


def _reference_folder_bilag(found: list[tuple[Path, Path]]) -> dict:
    """The folder rule walked file by file, folder by folder (as before issue 10)."""
    stems = {(f.parent, bilag._norm(f.stem)): f for f, _ in found}
    claimed = defaultdict(list)
    for file, root in found:
        for folder in file.relative_to(root).parents:
            absolute = root / folder
            name = bilag._norm(bilag._without_bilag(absolute.name))
            owner = stems.get((absolute.parent, name))
            if folder.parts and owner is not None and owner != file:
                claimed[owner].append(file)
                break
    return claimed


def _reference_split_folder(files: list[Path]) -> Iterator[tuple]:
    """Every file compared with every referat: quadratic, but plainly the rules."""
    exports = [f for f in files if f.suffix.lower() in bilag.EXPORT_SUFFIXES]
    named = [
        f for f in files if bilag.RE_BILAG_NAME.search(f.stem) and f not in exports
    ]
    minutes = exports + [
        f
        for f in files
        if bilag.RE_MINUTES_NAME.search(f.stem) and f not in named + exports
    ]
    others = [f for f in files if f not in named and f not in minutes]
    referater, sure = (minutes, named + others) if minutes else (others, named)
    owned: dict[Path, list[Path]] = {r: [] for r in referater}
    for file in sure:
        owner = _reference_owner(file, referater)
        if owner is None:
            owned[file] = []
        else:
            owned[owner].append(file)
    alone = [f for f in owned if f in others]
    ambiguous = 1 < len(alone) <= bilag.MAX_CANDIDATES
    for referat, files_of in owned.items():
        siblings = tuple(f for f in alone if f != referat) if ambiguous else ()
        yield referat, files_of, siblings


def _reference_owner(file: Path, referater: list[Path]) -> Path | None:
    if len(referater) == 1:
        return referater[0]
    name = file.stem.casefold()
    shared = {r: _reference_shared(name, r.stem.casefold()) for r in referater}
    best = max(referater, key=shared.__getitem__, default=None)
    return best if best is not None and shared[best] >= bilag.MIN_SHARED else None


def _reference_shared(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


# name pieces that make many shared beginnings, ties, case folds and bilag words
PIECES = (
    "2019-03-14", "2019-03", "20", " ", "_", "-", "ØU", "øu", "BU", "Byrådet",
    "referat", "Referat", "bilag", "BILAG", "dagsorden", "protokol", "Punkt",
    "1", "2", "12", "ß", "SS", "bilagsliste", "a", "ab",
)  # fmt: skip
SUFFIXES = (".pdf", ".PDF", ".docx", ".json", ".JSON", ".txt", "")


def _random_found(seed: int, n: int) -> list[tuple[Path, Path]]:
    """``n`` files of random names in two folders, some in folders named after a
    file (and below them); some found twice, some from a source inside another."""
    chance, root = random.Random(seed), Path("/arkiv")

    def name(pieces: int) -> str:
        return "".join(chance.choice(PIECES) for _ in range(pieces)).strip() or "x"

    found = []
    for _ in range(n):
        folder = root / chance.choice(("a", "b"))
        if chance.random() < 0.15:
            folder /= name(chance.randint(1, 3))
            if chance.random() < 0.3:
                folder /= chance.choice(("bilag", "kort"))
        file = folder / (name(chance.randint(1, 6)) + chance.choice(SUFFIXES))
        found.append((file, root))
    found += chance.sample(found, n // 50)
    found += [(f, root / "a") for f, _ in found[: n // 5] if f.parts[2] == "a"]
    chance.shuffle(found)
    return found


def _as_tuples(groups: list[bilag.Group]) -> list[tuple]:
    return [(g.referat, g.root, g.bilag, g.candidates) for g in groups]


@pytest.mark.parametrize("seed", range(4))
def test_group_equals_the_plain_rules_on_random_folders(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _random_found(seed, 300)
    grouped = _as_tuples(bilag.group(found))
    monkeypatch.setattr(bilag, "_folder_bilag", _reference_folder_bilag)
    monkeypatch.setattr(bilag, "_split_folder", _reference_split_folder)
    assert grouped == _as_tuples(bilag.group(found))
    assert sum(len(g[2]) for g in grouped) > 20  # the rules had bilag to place


def test_group_of_a_large_folder_equals_the_plain_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More unclaimed files than MAX_CANDIDATES: none get candidates."""
    chance, root = random.Random(7), Path("/arkiv")
    plain = [p for p in PIECES if not bilag.RE_MINUTES_NAME.search(p)]
    names = [
        f"{chance.randrange(10**6):06d} {chance.choice(plain)}" for _ in range(600)
    ]
    found = [(root / f"{n}.pdf", root) for n in names]
    grouped = _as_tuples(bilag.group(found))
    monkeypatch.setattr(bilag, "_split_folder", _reference_split_folder)
    assert grouped == _as_tuples(bilag.group(found))
    assert len(grouped) > bilag.MAX_CANDIDATES and not any(g[3] for g in grouped)


def test_grouping_compares_names_with_neighbours_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each bilag name is compared with at most two referat names (its neighbours
    in sorted order), not with all of them: the work is not quadratic."""
    root, meetings = Path("/arkiv"), 400
    found = []
    for n in range(meetings):
        stem = f"{2000 + n // 12}-{n % 12 + 1:02d}-{n % 28 + 1:02d} Byrådet {n}"
        found += [(root / f"{stem} referat.pdf", root)]
        found += [(root / f"{stem} bilag {k}.pdf", root) for k in (1, 2)]
    calls = []

    def counted(a: str, b: str) -> int:
        calls.append((a, b))
        return shared_start(a, b)

    shared_start = bilag._shared_start
    monkeypatch.setattr(bilag, "_shared_start", counted)
    groups = bilag.group(found)
    assert len(groups) == meetings
    assert all(
        [p.name for p in g.bilag]
        == [g.referat.name.replace("referat", f"bilag {k}") for k in (1, 2)]
        for g in groups
    )
    assert len(calls) <= 2 * 2 * meetings  # comparing all: 2 × 400 × 400


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
