"""Case and document numbers: formats, labels, distractors, and the real minutes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from referat_nlp.extract import case_numbers

# (text, [(label, matched text, value)])
LABELLED = [
    ("Sagsnr.: 2011-29298", [("case_number", "2011-29298", "2011-29298")]),
    ("Sagsnr: 330-2018-3619", [("case_number", "330-2018-3619", "330-2018-3619")]),
    ("Sag: 20-010677K", [("case_number", "20-010677K", "20-010677K")]),
    ("Sag nr. 20-010677k.", [("case_number", "20-010677k", "20-010677K")]),
    ("Sagsnummer: 25-009112", [("case_number", "25-009112", "25-009112")]),
    ("Sagsnr.: 12/27845", [("case_number", "12/27845", "12/27845")]),
    ("Sagsnr.:\t12/27845", [("case_number", "12/27845", "12/27845")]),
    ("J.nr. 00.01.00-A00-1-19", [("case_number", "00.01.00-A00-1-19", None)]),
    ("Journalnr.: 82.07.00-G01-1-19", [("case_number", "82.07.00-G01-1-19", None)]),
    ("J. nr.: 2012-28504.", [("case_number", "2012-28504", None)]),
    # typed minutes set the KLE facet off by a space; a journal label vouches for
    # the three dotted pairs that are also a date's shape
    ("J.nr. 01.02.15 P21", [("case_number", "01.02.15 P21", "01.02.15P21")]),
    ("J.nr. 18.15.00 Ø40\nTekst", [("case_number", "18.15.00 Ø40", "18.15.00Ø40")]),
    ("J.nr. 05.01.10\nØkonomi", [("case_number", "05.01.10", "05.01.10")]),
    ("Sag.nr.: 16/11583", [("case_number", "16/11583", None)]),
    ("ESDH-nr.: 2022-01234", [("case_number", "2022-01234", None)]),
    ("Sagsnr. 123456", [("case_number", "123456", None)]),
    ("Dok.nr.: 2012-202935", [("doc_number", "2012-202935", None)]),
    ("(se dok. nr. 2012-196779).", [("doc_number", "2012-196779", None)]),
    ("Dok. 2012-206127", [("doc_number", "2012-206127", None)]),
    (
        "Dok.nr.: 2012-205876, 2012-196779",
        [("doc_number", "2012-205876", None), ("doc_number", "2012-196779", None)],
    ),
    (
        "Sagsnr.: 2012-28504 og 2012-28505",
        [("case_number", "2012-28504", None), ("case_number", "2012-28505", None)],
    ),
    (
        "Sagsnr.: 2011-29298\nDok.nr.: 2012-202935",
        [("case_number", "2011-29298", None), ("doc_number", "2012-202935", None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labelled(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    found = case_numbers.find(text)
    assert [(s.label, s.text) for s in found] == [(lab, t) for lab, t, _ in expected]
    for span, (_, matched, value) in zip(found, expected, strict=True):
        assert text[span.start : span.end] == matched
        assert span.value == (value or matched)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Punkt 1: Program for dagen\n\n19/24995\n\nBaggrund", "19/24995"),
        ("Punkt 4: Lukket\n  20/16634  \n", "20/16634"),
        ("3. Takster 2013\n2012-31114\nSammendrag", "2012-31114"),
        ("Navn på sagen\n25-009112\n", "25-009112"),
    ],
)
def test_bare_line(text: str, number: str) -> None:
    (span,) = case_numbers.find(text)
    assert (span.label, span.text, span.value) == ("case_number", number, number)
    assert text[span.start : span.end] == number


def test_bare_lines_can_be_switched_off_for_bilag_text() -> None:
    text = "Bilag\n2012-208960\n2012-209266 - Notat om konferencen"
    assert [s.text for s in case_numbers.find(text)] == ["2012-208960"]
    assert case_numbers.find(text, bare_lines=False) == ()


def test_labelled_numbers_survive_bare_lines_off() -> None:
    text = "Bilag\nSagsnr.: 19/24995"
    (span,) = case_numbers.find(text, bare_lines=False)
    assert span.value == "19/24995"


def test_kle_number_needs_no_label() -> None:
    text = "Sagen journaliseres under 82.07.00-G01-1-19 i ESDH."
    (span,) = case_numbers.find(text)
    assert (span.text, span.start) == ("82.07.00-G01-1-19", 26)


def test_offset_shifts_positions() -> None:
    (span,) = case_numbers.find("Sagsnr.: 19/24995", offset=500)
    assert (span.start, span.end) == (509, 517)


@pytest.mark.parametrize(
    "text",
    [
        "Mødet den 28-09-2020 blev holdt.",
        "Mødet den 11.09.17 blev holdt.",
        "Dato: 2020-09-28",
        "\n28-09-2020\n",
        "\n2020-09-28\n",
        "\n11.09.17\n",
        "Skoleåret 2019/20 og skoleåret 2025/2026.",
        "\n2019/20\n",
        "\n2025/2026\n",
        "\n12/2020\n",
        "Budget 2020-2023 og overslagsår.",
        "\n2020-2023\n",
        "Ring på tlf. 43 35 10 00 eller 4335 1000.",
        "Der bevilges 1.316.000 kr. og 2-3 mio. kr.",
        "\n1.316.000\n",
        "Bilag\n2012-208960 - Hvordan udvikler vi det nære sundhedsvæsen?",
        "1 Åben Opsamlingsnotat fra temamødet 222359/12",
        "Sag 66 om klippekortordningen blev drøftet.",
        "Sagsnr. 2012-12-04",
        "Sagsnr. 05.01.10",
        "Der er 2.500 borgere på venteliste, se pkt. 19/20.",
        "Punkt 5 behandles som sag 12 på næste møde.",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert case_numbers.find(text) == ()


# --- the real minutes -------------------------------------------------------

BALLERUP = "ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_"
SYDDJURS = "syddjurs_puk_2013-06-20_referat"


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _docx_text(path: Path) -> str:
    """Paragraphs and table rows (cells joined by tabs) in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            lines.append(Paragraph(element, document).text)
        elif element.tag.endswith("}tbl"):
            for row in Table(element, document).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _gold(path: Path, numbers: set[str] | None = None) -> tuple[list[str], list[str]]:
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    chosen = [i for i in items if numbers is None or i["number"] in numbers]
    return (
        [n for i in chosen for n in i["case_numbers"]],
        [n for i in chosen for n in i["doc_numbers"]],
    )


def _documents(corpus: Path) -> list[tuple[str, str, tuple[list[str], list[str]]]]:
    """Every real text that prints case numbers (the Greve JSON keeps them in a
    field, so its item text has none), with the gold of the items it holds."""
    real = corpus / "real"
    ballerup_gold = real / f"{BALLERUP}referat.gold.json"
    syddjurs_gold = real / f"{SYDDJURS}.gold.json"
    return [
        ("000", (corpus / "dev/000.txt").read_text(), _gold(corpus / "dev/000.json")),
        ("ballerup", _pdf_text(real / f"{BALLERUP}referat.pdf"), _gold(ballerup_gold)),
        ("p1", _pdf_text(real / f"{BALLERUP}punkt1.pdf"), _gold(ballerup_gold, {"1"})),
        ("p2", _pdf_text(real / f"{BALLERUP}punkt2.pdf"), _gold(ballerup_gold, {"2"})),
        ("syddjurs.pdf", _pdf_text(real / f"{SYDDJURS}.pdf"), _gold(syddjurs_gold)),
        ("syddjurs.docx", _docx_text(real / f"{SYDDJURS}.docx"), _gold(syddjurs_gold)),
    ]


@pytest.mark.parametrize("label", ["case_number", "doc_number"])
def test_real_minutes_f1(shared_corpus: Path, label: str) -> None:
    """Per document, the multiset of found values against the items' gold."""
    tp = fp = fn = 0
    misses = []
    for name, text, (gold_cases, gold_docs) in _documents(shared_corpus):
        gold = Counter(gold_cases if label == "case_number" else gold_docs)
        found = Counter(s.value for s in case_numbers.find(text) if s.label == label)
        tp += sum((found & gold).values())
        fp += sum((found - gold).values())
        fn += sum((gold - found).values())
        if found != gold:
            misses.append((name, dict(found - gold), dict(gold - found)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert tp >= 10
    assert 2 * precision * recall / (precision + recall) >= 0.98, misses


def test_greve_item_text_has_no_case_numbers(shared_corpus: Path) -> None:
    """Greve prints its case numbers only in a JSON field: nothing in the HTML
    (dates, amounts, budget years, paragraph numbers) may be taken for one."""
    from bs4 import BeautifulSoup

    found = []
    for path in sorted((shared_corpus / "real").glob("greve_*[0-9].json")):
        meeting = json.loads(path.read_text(encoding="utf-8"))
        for item in meeting["Dagsordenpunkter"]:
            for field in item["Felter"]:
                text = BeautifulSoup(field["Html"] or "", "lxml").get_text("\n")
                found += [s.text for s in case_numbers.find(text)]
    assert found == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sagsid.: 24/1234", ["24/1234"]),
        ("Sags-ID: 2019-0003542", ["2019-0003542"]),
        ("Sagen, jf. EMN-2025-010561, blev behandlet i juni.", ["EMN-2025-010561"]),
        ("Se også SAG-2024-001877.", ["SAG-2024-001877"]),
        ("Bilag EMN-2025-01 og rute EMN-25-010561", []),
        ("Mødet den 2025-06-12 i lokale 2", []),
    ],
)
def test_getorganized_and_sagsid(text: str, expected: list[str]) -> None:
    found = [s.value for s in case_numbers.find(text) if s.label == "case_number"]
    assert found == expected


@pytest.mark.parametrize("scheme", case_numbers.SCHEMES, ids=lambda s: s.name)
def test_every_scheme_is_read_in_each_printed_position(
    scheme: case_numbers.Scheme,
) -> None:
    """Each named scheme's published example is a case number after a label, alone
    on its line and in parentheses after a title, and is named as its scheme."""
    want = case_numbers.normalise(scheme.example)
    for text in (f"Sagsnr.: {scheme.example}", f"Titel\n  {scheme.example}\nTekst"):
        found = [s.value for s in case_numbers.find(text)]
        assert found == [want], text
    title = f"Salg af ejendom på Vesterbro ({scheme.example})"
    assert case_numbers.split_title(title) == ("Salg af ejendom på Vesterbro", (want,))
    assert case_numbers.scheme(scheme.example) is scheme
    assert case_numbers.scheme(want) is scheme


@pytest.mark.parametrize("scheme", case_numbers.SCHEMES, ids=lambda s: s.name)
def test_only_distinctive_schemes_are_taken_in_running_text(
    scheme: case_numbers.Scheme,
) -> None:
    text = f"Sagen, jf. {scheme.example}, blev behandlet i juni."
    found = [s.value for s in case_numbers.find(text)]
    full_kle = scheme.name == "kle"  # the full KLE form is distinctive, its prefix not
    expected = [case_numbers.normalise(scheme.example)]
    assert found == (expected if scheme.anywhere or full_kle else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vores ref.: 2023-0004518", ["2023-0004518"]),
        ("Sag: RR 45/23", ["RR45/23"]),
        ("Sagsnummer: 23012345", ["23012345"]),
        ("J. nr.: 00.32.00-S00-7-15", ["00.32.00-S00-7-15"]),
        ("Sagsnr.: 1-15-4-12-23", ["1-15-4-12-23"]),
        # council numbers cited in running text refer to earlier decisions
        ("jf. BR 287/23 og BR 412/23", []),
        ("Jeres ref.: 2023-0004518", []),
    ],
)
def test_regional_and_council_labels(text: str, expected: list[str]) -> None:
    assert [s.value for s in case_numbers.find(text)] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Valg af medlem (2024-0051163)", ("Valg af medlem", ("2024-0051163",))),
        ("Valg af medlem (Sagsnr. 24/1234)", ("Valg af medlem", ("24/1234",))),
        # parentheses that are no case number stay in the title
        ("Budget 2025 (2. behandling)", ("Budget 2025 (2. behandling)", ())),
        ("Skoleåret (2024/25)", ("Skoleåret (2024/25)", ())),
        ("Plan for 2020-2023 (2020-2023)", ("Plan for 2020-2023 (2020-2023)", ())),
        ("Møde (12/2020)", ("Møde (12/2020)", ())),
    ],
)
def test_split_title(title: str, expected: tuple[str, tuple[str, ...]]) -> None:
    assert case_numbers.split_title(title) == expected
