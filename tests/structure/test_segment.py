"""Segmentation over the layouts real minutes use (texts written for these tests)."""

from __future__ import annotations

import random

import pytest

from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout, segment


def _clean(text: str) -> layout.Text:
    return layout.clean([Block(line) for line in text.split("\n")])


def _split(text: str) -> segment.Segmented:
    return segment.split(_clean(text))


def _titles(parts: segment.Segmented) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in parts.items]


PUNKT_WITH_TOC = """REFERAT Direktionen d. 07-02-2022

Mødedato Mandag d. 7. februar 2022 kl. 09:00

Indholdsfortegnelse

Status på budget.....\t3
Lukket.....\t4
Ny rengøringsstrategi.....\t5

Punkt 1: Status på budget

21/4410

Baggrund

Direktionen følger op på budgettet.

Beslutning Direktionen den 07-02-2022

Taget til efterretning.

Punkt 2: Lukket

22/118

Punkt 3: Ny rengøringsstrategi

20/9936

Sagsfremstilling

Strategien har fire spor:

1. Bedre planlægning af ruter

2. Grønne rengøringsmidler

Beslutning Direktionen den 07-02-2022

Punktet blev udskudt.
"""


def test_punkt_layout_with_toc_and_inner_list() -> None:
    parts = _split(PUNKT_WITH_TOC)
    assert _titles(parts) == [
        ("1", "Status på budget"),
        ("2", "Lukket"),
        ("3", "Ny rengøringsstrategi"),
    ]
    assert parts.toc == ("status på budget", "lukket", "ny rengøringsstrategi")
    assert parts.items[1].open is False
    assert [s.kind for s in parts.items[2].sections] == [
        "Sagsfremstilling",
        "Beslutning",
    ]


TITLES_WITH_CASE_NUMBERS = """Borgerrepræsentationen
Torsdag den 7. marts 2024 kl. 17.30

Indholdsfortegnelse
1. Valg af medlem til udvalget (2024-0051163)
2. Salg af ejendom (2024-0071935)

1. Valg af medlem til udvalget (2024-0051163)

Beslutning
Valgt uden afstemning.

2. Salg af ejendom (2024-0071935)
Lukket punkt.

Beslutning
Udsat.
"""


def test_contents_list_without_page_numbers() -> None:
    """Entries with no page number are a contents list when no body separates
    them; the items are the second run of the same numbers."""
    parts = _split(TITLES_WITH_CASE_NUMBERS)
    assert [item.number for item in parts.items] == ["1", "2"]
    assert [s.kind for s in parts.items[0].sections] == ["Beslutning"]
    assert parts.items[1].open is False  # "Lukket punkt." under the title


RUNNING_NUMBERS = """Økonomiudvalget - 12-05-2021

Referat
Dato:
Onsdag, 12 maj, 2021 - 17:00
212. Godkendelse af dagsorden

Beslutning

Godkendt.

213. Anlægsbevilling til ny daginstitution

Sagen afgøres af

Byrådet.

Beslutning

Anbefales.

214. Personalesag (Lukket)
215. Ejendomshandel (Lukket)
"""


def test_running_numbers_and_closed_items() -> None:
    parts = _split(RUNNING_NUMBERS)
    assert _titles(parts) == [
        ("212", "Godkendelse af dagsorden"),
        ("213", "Anlægsbevilling til ny daginstitution"),
        ("214", "Personalesag"),
        ("215", "Ejendomshandel"),
    ]
    assert [i.open for i in parts.items] == [None, None, False, False]


@pytest.mark.parametrize(
    "heading",
    [
        "Sag nr. {n}  {t}",
        "Dagsordenspunkt {n}: {t}",
        "Punkt nr. {n} {t}",
        "{n}) {t}",
        # the label and number on a line of their own, the title under them
        "Punkt {n}\n{t}",
        "Sag nr. {n}:\n\n{t}",
        # any label word, proven by the sections after it
        "§ {n}. {t}",
        "Emne {n}: {t}",
    ],
)
def test_other_item_labels(heading: str) -> None:
    """Minutes label items with other words ("Sag nr. 41", "Dagsordenspunkt 3")
    or close the number with a parenthesis; a list in an Indstilling stays text."""
    titles = ["Godkendelse af dagsorden", "Tilskud til musikfestival", "Eventuelt"]
    body = "Beslutning:\nGodkendt.\n"
    text = "Referat af amtsrådets møde tirsdag den 14. marts 1995\n\n" + "\n".join(
        f"{heading.format(n=n, t=title)}\n\nSagsfremstilling:\n"
        "Forvaltningen indstiller,\n1) at tilskuddet ydes,\n2) at sagen afsluttes.\n\n"
        f"{body}"
        for n, title in enumerate(titles, 41)
    )
    assert _titles(_split(text)) == [(str(n), t) for n, t in enumerate(titles, 41)]


def test_a_label_word_without_evidence_or_before_a_year_is_no_item() -> None:
    """Attachment lists and years after a word are no items."""
    text = (
        "Referat af mødet den 3. marts 2021\n\n1. Budget\n\nBeslutning:\nGodkendt.\n\n"
        "Bilag 1 Notat om budgettet\nBilag 2 Tidsplan\n\n"
        "2. Kulturplan\n\nSagsfremstilling:\nKulturkommune 2017 fortsætter.\n"
        "Kulturkommune 2018 evalueres.\n\nBeslutning:\nGodkendt.\n"
    )
    assert _titles(_split(text)) == [("1", "Budget"), ("2", "Kulturplan")]


def test_a_bare_number_is_an_item_badge_only_before_a_heading() -> None:
    """A portal's number badge ("2" above an <h2> title) starts an item; a bare
    number above plain text is a page number."""
    lines = [
        Block("Referat"),
        Block("1"),
        Block("Dagsorden", heading=2),
        Block("Beslutning"),
        Block("Godkendt."),
        Block("2"),
        Block("Budget", heading=2),
        Block("Beslutning"),
        Block("Taget til efterretning."),
        Block("3"),
        Block("Tekst fortsætter her."),
    ]
    parts = segment.split(layout.clean(lines))
    assert _titles(parts) == [("1", "Dagsorden"), ("2", "Budget")]


GLUED = (
    "Referat fra møde i Ældrerådet torsdag den 3. marts 2016Deltagere:\n"
    "Rådets medlemmer\n\nFraværende:\nIngen.1. \nGodkendelse af referat\n"
    "Godkendt.2. \nHøring om madservice\n"
    "Rådet drøftede høringen og sender et svar.3.Eventuelt\nIntet.\n"
)


def test_numbers_glued_to_previous_line() -> None:
    parts = _split(GLUED)
    assert _titles(parts) == [
        ("1", "Godkendelse af referat"),
        ("2", "Høring om madservice"),
        ("3", "Eventuelt"),
    ]
    doc = layout.clean([Block(line) for line in GLUED.split("\n")])
    second = parts.items[1]
    assert doc.text[second.body_start : second.end].strip() == (
        "Rådet drøftede høringen og sender et svar."
    )


MEMBER_LIST = """1. Godkendelse af dagsorden

Beslutning

Godkendt.

2. Valg af formand

Sagsfremstilling

Følgende er valgt til rådet:

 3. Anne Bech (A)
 4. Karsten Holm (V)
 5. Lise Dahl (F)

Beslutning

Anne Bech blev valgt.
"""


def test_member_list_is_not_items() -> None:
    assert _titles(_split(MEMBER_LIST)) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Valg af formand"),
    ]


SUBPOINTS = """1. Siden sidst

1.1 Møde i Vejle
Formanden deltog.

1.2 Kursus
Tre medlemmer deltager.

2. Eventuelt
Intet.
"""


def test_subpoints_belong_to_parent() -> None:
    parts = _split(SUBPOINTS)
    assert _titles(parts) == [("1", "Siden sidst"), ("2", "Eventuelt")]


def test_open_marker_and_closed_part() -> None:
    text = (
        "1. Budgetopfølgning\nSagsnr.: 330-2021-101   Dok.nr.: 330-2021-9   Åbent\n\n"
        "Beslutning\n\nGodkendt.\n\nLUKKET MØDE\n\n"
        "2. Salg af grund\n\nBeslutning\n\nGodkendt.\n"
    )
    parts = _split(text)
    assert [(i.number, i.open) for i in parts.items] == [("1", True), ("2", False)]


def test_sections_colon_subheadings_are_not_sections() -> None:
    text = (
        "1. Kulturplan\n\nResumé\n\nTidsplan:\nMaj: start\n\n"
        "Sagsfremstilling\n\nTekst.\n\n"
        "Beslutning i Kulturudvalget den 02-05-2019:\n\nDrøftet.\n"
    )
    kinds = [s.kind for s in _split(text).items[0].sections]
    assert kinds == ["Resumé", "Sagsfremstilling", "Beslutning"]


def test_no_items_in_plain_prose() -> None:
    parts = _split("Et notat om budgettet.\n\nDer er ingen punkter her.")
    assert parts.items == []


def test_plain_text_title_wrapped_before_its_first_section() -> None:
    """A heading font wraps a title sooner than body text, and a scan's OCR puts a
    paragraph gap after the heading: both are the same wrapped title."""
    text = (
        "1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n\n"
        "2. Forslag om længere åbningstid på de lokale biblioteker i\n"
        "sommerferien\n\nBeslutningstema\n\nForslaget behandles.\n\n"
        "3. Ansøgning om tilskud til renovering af spejderhytten ved\n"
        "skoven\nSagsnr.: 330-2021-102\n\nBeslutning\n\nGodkendt.\n"
    )
    assert _titles(_split(text)) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Forslag om længere åbningstid på de lokale biblioteker i sommerferien"),
        ("3", "Ansøgning om tilskud til renovering af spejderhytten ved skoven"),
    ]


def test_short_title_is_not_joined_to_the_line_after_it() -> None:
    """A title too short to have wrapped keeps the next line out: here the decision
    of minutes written without section headings."""
    text = "1. Meddelelser\nIngen.\n\nBilag\n\nOversigt.\n\n2. Eventuelt\nIntet.\n"
    assert _titles(_split(text))[0] == ("1", "Meddelelser")


# --- layouts of archives the rules were not written from (issue 9) -------------

ONE_ITEM_PAGE = """Egedal Kommune
Teknisk Udvalg, møde den 3. april 2025

Ny belysning på stien langs Søndersø

Sagsnr.: 25/3310

Åben

Sagsfremstilling
Stien er mørk om vinteren. Indstillingen nævner to muligheder:
1. lave pullerter
2. master med LED.

Indstilling
Forvaltningen indstiller, at løsning 2 vælges.

Beslutning
Godkendt.
"""


def test_a_page_with_one_unnumbered_item_is_one_item() -> None:
    parts = _split(ONE_ITEM_PAGE)
    assert _titles(parts) == [("1", "Ny belysning på stien langs Søndersø")]
    assert [s.kind for s in parts.items[0].sections] == [
        "Sagsfremstilling",
        "Indstilling",
        "Beslutning",
    ]


def test_a_numbered_agenda_is_not_taken_for_one_page() -> None:
    text = (
        "Referat\n\n"
        + ONE_ITEM_PAGE.replace("Ny belysning", "1. Ny belysning")
        + "\n2. Eventuelt\n\nBeslutning\nIntet.\n"
    )
    assert [n for n, _ in _titles(_split(text))] == ["1", "2"]


PORTAL = """Byrådet - Referat

4. Lokalplan for Skovvej
Punkt 4 (Åben)
Sagsnr.: EMN-2025-000311

Beslutning
Sendt til Teknik og Miljø.

INDSTILLING Borgmesteren indstiller, at planen vedtages.
Baggrund: Planen blev sendt i høring i marts.

5. Personalesag
Punkt 5 (Lukket)
"""


def test_portal_status_lines_and_inline_headings() -> None:
    parts = _split(PORTAL)
    assert _titles(parts) == [("4", "Lokalplan for Skovvej"), ("5", "Personalesag")]
    assert [i.open for i in parts.items] == [True, False]
    kinds = [(s.kind, s.heading) for s in parts.items[0].sections]
    assert kinds == [
        ("Beslutning", "Beslutning"),
        ("Indstilling", "Indstilling"),
        ("Baggrund", "Baggrund"),
    ]


def test_a_capitalised_unknown_heading_ends_the_decision() -> None:
    text = PORTAL.replace("INDSTILLING", "BESLUTNINGSFORSLAG FRA Ø")
    doc = layout.clean([Block(line) for line in text.split("\n")])
    decision = segment.split(doc).items[0].sections[0]
    assert doc.text[decision.text_start : decision.text_end].strip() == (
        "Sendt til Teknik og Miljø."
    )


@pytest.mark.parametrize("dash", ["-", "–"])
def test_a_dash_between_label_number_and_title_is_no_title(dash: str) -> None:
    text = "".join(
        f"Sag {n} {dash} {t}\nBeslutning\nGodkendt.\n\n"
        for n, t in [(1, "Dagsorden"), (2, "Budget 2024-2027"), (3, "Eventuelt")]
    )
    assert _titles(_split(text)) == [
        ("1", "Dagsorden"), ("2", "Budget 2024-2027"), ("3", "Eventuelt"),
    ]  # fmt: skip


def test_ad_number_alone_with_the_title_below() -> None:
    """ "Ad 2." on its own line and the title on the next, no agenda listed before
    and no section headings: each is an item; a decision under "Ad 3." is none."""
    text = (
        "Ældrerådet\n\nAd 1.\nGodkendelse af dagsorden\nGodkendt.\n\n"
        "Ad 2.\nBudget 2024 - høring\nRådet drøftede forslaget.\n\n"
        "Ad 3.\nEventuelt\nIntet.\n"
    )
    assert _titles(_split(text)) == [
        ("1", "Godkendelse af dagsorden"), ("2", "Budget 2024 - høring"),
        ("3", "Eventuelt"),
    ]  # fmt: skip
    answers = "Ad 1.\nVedtoges.\n\nAd 2.\nBevilget.\n\nAd 3.\nHenlagt.\n"
    assert segment.find_candidates(_clean(answers).lines) == []


def test_status_before_the_label() -> None:
    """ "Åbent punkt 1: …", "Lukket punkt 2: …": the status is printed before the
    label, and is no part of the title."""
    text = (
        "Åbent punkt 1: Dagsorden\nBeslutning\nGodkendt.\n\n"
        "Lukket punkt 2: Salg af grund\nBeslutning\nGodkendt.\n\n"
        "Åbent punkt 3: Eventuelt\nBeslutning\nIntet.\n"
    )
    parts = _split(text)
    assert _titles(parts) == [
        ("1", "Dagsorden"),
        ("2", "Salg af grund"),
        ("3", "Eventuelt"),
    ]
    assert [item.open for item in parts.items] == [True, False, True]


def test_status_prefix_before_the_title() -> None:
    parts = _split("Punkt 2 (Åben) Udvidelse af skolen\n\nBeslutning\nGodkendt.\n")
    assert _titles(parts) == [("2", "Udvidelse af skolen")]
    assert parts.items[0].open is True


def test_untitled_blocks_are_items_by_their_status_markers() -> None:
    text = (
        "Referat - Udvalget\n\nÅben\n\nIndstilling\nAt dagsordenen godkendes.\n\n"
        "Beslutning\nGodkendt.\n\nLukket\n\nBeslutning\nUdsat.\n\n"
        "Åben\n\nSagsfremstilling\nStatus.\n\nBeslutning\nTaget til efterretning.\n"
    )
    parts = _split(text)
    assert _titles(parts) == [("1", ""), ("2", ""), ("3", "")]
    assert [item.open for item in parts.items] == [True, False, True]
    assert [len(item.sections) for item in parts.items] == [2, 1, 2]


def _unnumbered(heading: str) -> str:
    """Four items under bare title headings, in the form ``heading`` gives them
    (``{n}`` the item's place, ``{L}`` its letter, ``{t}`` its title)."""
    items = [
        ("Godkendelse af dagsorden", ["Beslutning"], "Godkendt."),
        ("Budgetopfølgning", ["Resumé", "Sagsfremstilling", "Beslutning"], "Taget."),
        ("Ny belægning på Skolevej", ["Sagsfremstilling", "Beslutning"], "Godkendt."),
        ("Orientering om affald", ["Beslutning"], "Til efterretning."),
    ]
    parts = ["Referat - Teknisk Udvalg\n\nTil stede: Anne Hansen, Bo Jensen\n"]
    for n, (title, sections, decision) in enumerate(items, start=1):
        body = "".join(f"{s}\nTekst om sagen.\n" for s in sections[:-1])
        head = heading.format(n=n, L="ABCD"[n - 1], t=title)
        parts.append(f"{head}\nSagsnr.: 21/{n}\n{body}{sections[-1]}\n{decision}\n")
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("heading", "numbers"),
    [
        ("{t}", ["1", "2", "3", "4"]),
        ("0{n} {t}", ["1", "2", "3", "4"]),
        ("{n}.1.1 {t}", ["1.1.1", "2.1.1", "3.1.1", "4.1.1"]),
        ("Ad {n}.\n{t}", ["1", "2", "3", "4"]),
        ("Punkt 1.{n}\n{t}", ["1.1", "1.2", "1.3", "1.4"]),
        ("{L}. {t}", ["A", "B", "C", "D"]),
    ],
)
def test_items_found_by_their_sections_coming_round(
    heading: str, numbers: list[str]
) -> None:
    """No number the chain counts: an item begins under the title above the first
    section after the previous item's decision (items open with different
    sections); its number is the mark every title prints, else its place."""
    parts = _split(_unnumbered(heading))
    assert _titles(parts) == list(
        zip(numbers, ["Godkendelse af dagsorden", "Budgetopfølgning",
                      "Ny belægning på Skolevej", "Orientering om affald"], strict=True)
    )  # fmt: skip
    assert [len(item.sections) for item in parts.items] == [1, 3, 2, 1]


def test_one_item_decided_by_body_after_body_stays_one_item() -> None:
    """A one-item page with the decisions of three bodies: the headings differ, so
    the line between two of them ("Fraværende: …") is no title."""
    text = (
        "Byrådet\n\nAnlægsbevilling til Blåvandvej\n\nSagsfremstilling\nTekst.\n\n"
        "Beslutning i Teknikudvalget den 7. maj 2024\nAnbefales.\n\n"
        "Beslutning i Økonomiudvalget den 21. maj 2024\nAnbefales.\n\n"
        "Fraværende: Ida Skov\n\nBeslutning i Byrådet den 4. juni 2024\nGodkendt.\n"
    )
    parts = _split(text)
    assert _titles(parts) == [("1", "Anlægsbevilling til Blåvandvej")]
    assert len(parts.items[0].sections) == 4


def test_a_line_of_decision_text_is_no_title() -> None:
    """The line above a repeated section ends a sentence or runs on from the text
    above: the same item goes on (here, a revised Indstilling)."""
    text = (
        "Udvalget\n\nBudget 2023\nSagsfremstilling\nTekst.\nIndstilling\nAt A.\n"
        "Beslutning\nUdsat til næste møde.\nIndstilling\nAt B.\nBeslutning\n"
        "Godkendt.\n"
    )
    assert _titles(_split(text)) == [("1", "Budget 2023")]


def _pairwise_chain(
    pool: list[segment.Candidate],
) -> tuple[list[segment.Candidate], float]:
    """The chain by the plain O(n²) scan over every earlier candidate."""
    score = [c.score for c in pool]
    back: list[int | None] = [None] * len(pool)
    for j, cj in enumerate(pool):
        for i in range(j):
            skipped = _skipped(pool[i], cj)
            if pool[i].index < cj.index and skipped is not None:
                total = score[i] + cj.score - segment.GAP_PENALTY * skipped
                if total > score[j]:
                    score[j], back[j] = total, i
    if not pool:
        return [], 0.0
    end = max(range(len(pool)), key=lambda k: (score[k], k))
    chain, k = [], end
    while k is not None:
        chain.append(pool[k])
        k = back[k]
    return chain[::-1], score[end]


def _skipped(a: segment.Candidate, b: segment.Candidate) -> int | None:
    """How many item numbers lie between ``a`` and a successor ``b``, or None if
    ``b`` cannot follow ``a``: "2.1" follows any "1.N", "2.3" follows "2.2"."""
    gap = b.number - a.number
    if b.sub is None or a.sub is None:
        return gap - 1 if 1 <= gap <= segment.MAX_GAP else None
    if gap == 0 and 1 <= b.sub - a.sub <= segment.MAX_GAP:
        return b.sub - a.sub - 1
    if 1 <= gap <= segment.MAX_GAP and b.sub <= segment.MAX_GAP:
        return gap - 1 + b.sub - 1
    return None


@pytest.mark.parametrize("seed", range(200))
def test_chain_equals_the_pairwise_scan(seed: int) -> None:
    """The linear chain gives what comparing every pair gives, ties included:
    repeated numbers, several candidates on one line, equal scores."""
    rng = random.Random(seed)
    pool, line = [], 0
    for _ in range(rng.randint(0, 60)):
        line += rng.choice([0, 1, 1, 2, 5])
        score = rng.choice([0.5, 1.0, 1.5, 2.0])
        number = rng.randint(1, 12)
        pool.append(
            segment.Candidate(line, number, "t", "numbered", line, line * 10, score)
        )
    assert segment._chain(pool) == _pairwise_chain(pool)


@pytest.mark.parametrize("seed", range(100))
def test_grouped_chain_equals_the_pairwise_scan(seed: int) -> None:
    """So for items numbered within groups, where numbering restarts."""
    rng = random.Random(seed)
    pool, line = [], 0
    for _ in range(rng.randint(0, 50)):
        line += rng.choice([0, 1, 1, 2, 5])
        score = rng.choice([0.5, 1.0, 1.5, 2.0])
        group, sub = rng.randint(1, 5), rng.randint(1, 6)
        pool.append(
            segment.Candidate(line, group, "t", "sub", line, line * 10, score, sub)
        )
    assert segment._chain(pool) == _pairwise_chain(pool)


GROUPED = """Indholdsfortegnelse
1 Åbne sager til beslutning 2
1.1 Godkendelse af dagsorden 2
1.2 Lokalplan 12.04 for Havnevej 2
2 Sager til orientering 3
2.1 Status for vandløb 3
3 Lukkede sager 3
3.1 Køb af jord 3

1 Åbne sager til beslutning

1.1 Godkendelse af dagsorden
Sagsnr.: 20/101
Beslutning
Godkendt.

1.2 Lokalplan 12.04 for Havnevej
Sagsnr.: 20/102
Indstilling
Administrationen indstiller,
1. at forslaget vedtages, og
2. at det sendes i høring.
Beslutning
Anbefales.

2 Sager til orientering

2.1 Status for vandløb
Sagsnr.: 20/103
Beslutning
Taget til efterretning.

3 Lukkede sager

3.1 Køb af jord
Beslutning
Godkendt.
"""


def test_items_numbered_within_groups() -> None:
    """The group headings are no items: they end the item before them and say
    whether the items under them are open."""
    parts = _split(GROUPED)
    assert _titles(parts) == [
        ("1.1", "Godkendelse af dagsorden"),
        ("1.2", "Lokalplan 12.04 for Havnevej"),
        ("2.1", "Status for vandløb"),
        ("3.1", "Køb af jord"),
    ]
    assert [item.open for item in parts.items] == [True, True, True, False]
    assert _decisions(GROUPED, parts)[1][-1] == "Anbefales."
    assert _decisions(GROUPED, parts)[2] == ["Taget til efterretning."]
    # the contents entries lend their titles to the items' scores, numbers dropped
    assert "lokalplan 12.04 for havnevej" in parts.toc


def test_numbered_points_inside_an_item_stay_its_parts() -> None:
    """ "6.1", "6.2" … under item 6 of a numbered agenda are its points, even when
    they outnumber the items and carry decisions of their own."""
    points = "".join(
        f"6.{k} Punkt om emne {k}\nBeslutning\nTaget til efterretning.\n\n"
        for k in range(1, 9)
    )
    text = (
        "5. Budget\nBeslutning\nGodkendt.\n\n6. Siden sidst\n\n"
        + points
        + "7. Eventuelt\nIntet.\n"
    )
    assert [n for n, _ in _titles(_split(text))] == ["5", "6", "7"]


MINUTE_BOOK = """Aar 1952, den 7. April holdt Sogneraadet Møde i Skolen.

Dagsorden:
1. Protokollen fra sidste Møde.
2. Skrivelse fra Amtsraadet angaaende Vejbidrag.
3. Andragende fra Enke Marie Pedersen om Hjælp til Brændsel.

Ad 1. Protokollen oplæstes og godkendtes.
Ad 2. Amtsraadet meddeler, at Bivejen istandsættes. Vedtoges.
ad 3: Bevilget Kr. 150,-- til Brændsel.

P. Chr. Madsen    Jens Olsen
"""


def _decisions(text: str, parts: segment.Segmented) -> list[list[str]]:
    return [
        [text[s.text_start : s.text_end].strip() for s in item.sections]
        for item in parts.items
    ]


def test_a_minute_books_ad_blocks_are_the_decisions_of_the_listed_items() -> None:
    parts = _split(MINUTE_BOOK)
    assert [number for number, _ in _titles(parts)] == ["1", "2", "3"]
    assert _decisions(MINUTE_BOOK, parts) == [
        ["Protokollen oplæstes og godkendtes."],
        ["Amtsraadet meddeler, at Bivejen istandsættes. Vedtoges."],
        ["Bevilget Kr. 150,-- til Brændsel.\n\nP. Chr. Madsen    Jens Olsen"],
    ]
    last = parts.items[-1]
    assert MINUTE_BOOK[last.start : last.end] == last_line(MINUTE_BOOK, "3. Andragende")


def last_line(text: str, prefix: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(prefix))


def test_ad_points_inside_one_decision_of_many_items_stay_where_they_are() -> None:
    text = "\n".join(
        [f"{n}. Punkt nummer {n}\nBeslutning\nGodkendt.\n" for n in range(1, 6)]
        + ["6. Pejlemærker\nBeslutning\nAd 1. Taget til efterretning.\n"
           "Ad 2. Udvalget besluttede pejlemærkerne."]
    )  # fmt: skip
    parts = _split(text)
    assert len(parts.items) == 6
    assert [len(item.sections) for item in parts.items] == [1] * 6
    assert _decisions(text, parts)[5] == [
        "Ad 1. Taget til efterretning.\nAd 2. Udvalget besluttede pejlemærkerne."
    ]


def test_a_section_printed_before_the_ad_run_ends_where_the_run_begins() -> None:
    text = MINUTE_BOOK.replace(
        "Brændsel.\n\nAd 1.",
        "Brændsel.\nSagsfremstilling\nFormanden bød velkommen.\n\nAd 1.",
    )
    last = _split(text).items[-1]
    own, answer = last.sections
    assert (own.kind, answer.heading) == ("Sagsfremstilling", "ad 3:")
    assert own.text_end <= last.end
    assert text[own.text_start : own.text_end].strip() == "Formanden bød velkommen."


AGENDA_THEN_REFERAT = """Lokalrådet for Hvidbjerg

Referat af møde den 3. marts 2016

Dagsorden
1. Godkendelse af dagsorden
2. Trafiksikkerhed ved skolen
3. Ansøgning om tilskud til byfest
4. Eventuelt

{h1} Godkendelse af dagsorden
Godkendt.

{h2} Trafiksikkerhed ved skolen
Sagsnr.: 16/2231
Vejafdelingen har målt hastigheden på Skolevej.
Konklusion: Rådet beder vejafdelingen om et forslag til hastighedsdæmpning.

{h3} Ansøgning om tilskud
Byfesten søger 5.000 kr.
Konklusion: Bevilget.

{h4} Eventuelt
Intet.
"""


@pytest.mark.parametrize(
    "heading", ["Ad {n}.", "{n}.", "Ad pkt. {n} –", "Ad punkt {n}:", "Ad. {n})"]
)
def test_an_agenda_listed_first_is_not_the_items_that_restate_it(heading: str) -> None:
    """The referat under headings that repeat the listed agenda ("Ad 3." with the
    title cut short too) has the items; the list is the agenda."""
    text = AGENDA_THEN_REFERAT.format(
        **{f"h{n}": heading.format(n=n) for n in range(1, 5)}
    )
    parts = _split(text)
    assert [number for number, _ in _titles(parts)] == ["1", "2", "3", "4"]
    assert parts.items[2].title == "Ansøgning om tilskud"
    assert _decisions(text, parts)[1:3] == [
        ["Rådet beder vejafdelingen om et forslag til hastighedsdæmpning."],
        ["Bevilget."],
    ]
    first = parts.items[0]
    assert text[first.start : first.end].endswith("Godkendt.")
    assert parts.toc[-4:] == (
        "godkendelse af dagsorden", "trafiksikkerhed ved skolen",
        "ansøgning om tilskud til byfest", "eventuelt",
    )  # fmt: skip
    assert not any(line.stripped[:2] in {"1.", "2."} for line in parts.header)


def test_items_with_text_win_over_a_listed_agenda_worded_otherwise() -> None:
    """An agenda list whose titles the referat words otherwise is not the agenda
    by restatement, but its bodiless entries still lose to the headings with text."""
    text = AGENDA_THEN_REFERAT.format(
        **{f"h{n}": f"{n}." for n in range(1, 5)}
    ).replace("2. Trafiksikkerhed ved skolen\n3. Ansøgning om tilskud til byfest",
              "2. Trafik\n3. Byfest", 1)  # fmt: skip
    parts = _split(text)
    assert [number for number, _ in _titles(parts)] == ["1", "2", "3", "4"]
    assert _decisions(text, parts)[0] == []
    first = parts.items[0]
    assert text[first.start : first.end] == "1. Godkendelse af dagsorden\nGodkendt."


def test_a_minute_book_whose_meetings_list_the_same_agenda_keeps_both_lists() -> None:
    """Numbering restarts at every meeting of a minute book: a second meeting
    listing the same titles restates nothing (its list has no text under it)."""
    text = MINUTE_BOOK + "\n" + MINUTE_BOOK.replace("7. April", "5. Maj")
    lines = layout.clean([Block(line) for line in text.split("\n")]).lines
    assert segment.agenda_list(lines, segment.find_candidates(lines)) == ([], [])


def test_a_plain_title_that_stops_on_a_preposition_wraps() -> None:
    """OCR text has no fonts: a long title line ending where no title can end
    ("… om Hjælp til") goes on on the next line, also before the next item."""
    parts = _split(
        "Dagsorden:\n"
        "1. Andragende fra Husmand Chr. Nielsen, Stakroge, om Hjælp til\nBrændsel.\n"
        "2. Forslag om Anskaffelse af ny Kakkelovn til Omme Skole.\n"
        "3. Meddelelser fra formanden om status på arbejdet med planen\nIngen.\n"
        "4. Ansøgning fra Sønder Omme Skytteforening om Tilskud til en\n\n"
        "Skydebane.\n"
    )
    assert _titles(parts) == [
        ("1", "Andragende fra Husmand Chr. Nielsen, Stakroge, om Hjælp til Brændsel."),
        ("2", "Forslag om Anskaffelse af ny Kakkelovn til Omme Skole."),
        ("3", "Meddelelser fra formanden om status på arbejdet med planen"),
        # a stray gap (OCR) inside a title cut off mid-phrase
        ("4", "Ansøgning fra Sønder Omme Skytteforening om Tilskud til en Skydebane."),
    ]


def test_a_chain_of_proven_items_survives_a_misread_first_heading() -> None:
    """OCR read item 1's number as "l", so its sections stand before any heading;
    the items after it, each with its sections, are still the items."""
    body = "Sagsfremstilling\nTekst.\n\nBeslutning\nGodkendt.\n\n"
    text = (
        "Referat\n\nIndholdsfortegnelsel. Fraværende\n\n"
        + body
        + "".join(f"{n}. Punkt nummer {n}\n\n{body}" for n in (2, 3, 4))
    )
    assert [n for n, _ in _titles(_split(text))] == ["2", "3", "4"]


def test_a_list_in_a_one_item_pages_indstilling_is_no_chain() -> None:
    text = (
        "Lokalplan for Stationsbyen\n\nSagsfremstilling\nPlanen udlægger boliger.\n\n"
        "Indstilling\nForvaltningen indstiller, at\n1. planen vedtages\n"
        "2. der afsættes midler\n3. sagen sendes i høring\n\nBeslutning\nGodkendt.\n"
    )
    assert _titles(_split(text)) == [("1", "Lokalplan for Stationsbyen")]
