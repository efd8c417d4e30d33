"""Minutes typed as a table, one row per item (texts written for these tests)."""

from __future__ import annotations

from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout, segment, tables


def _split(text: str) -> segment.Segmented:
    return segment.split(layout.clean([Block(line) for line in text.split("\n")]))


def _titles(parts: segment.Segmented) -> list[tuple[str, str]]:
    return [(item.number, item.title) for item in parts.items]


TABLE_MINUTES = """Referat af møde i Handicaprådet

Deltagere: Bo Holm, Lis Dam
Afbud: Per Kure

Nr.\tPunkt\tDrøftelse/beslutning\tOpfølgning
1\tGodkendelse af dagsorden\tGodkendt.\t
2\tHøring om parkering, sagsnr. 24/1187\tRådet kan ikke tilslutte sig.\tBH
3\tTilgængelighedspris\tUdsat til næste møde.\tLD
\t\tRådet ønsker flere indstillinger.\t

Næste møde: 3. juni
"""


def test_each_row_is_an_item_and_the_decision_column_its_decision() -> None:
    parts = _split(TABLE_MINUTES)
    assert _titles(parts) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Høring om parkering"),  # the case label is not title
        ("3", "Tilgængelighedspris"),
    ]
    text = layout.clean([Block(line) for line in TABLE_MINUTES.split("\n")]).text
    decisions = [
        [(s.heading, s.kind, text[s.text_start : s.text_end]) for s in i.sections]
        for i in parts.items
    ]
    assert decisions[1] == [
        (
            "Drøftelse/beslutning",
            "Beslutning",
            "Rådet kan ikke tilslutte sig.",
        )
    ]  # "BH" in the follow-up column is in no section
    assert decisions[2][0][2] == "Udsat til næste møde."
    assert "Rådet ønsker" in text[parts.items[2].start : parts.items[2].end]
    assert [line.stripped for line in parts.header if line.stripped][-1] == (
        "Afbud: Per Kure"  # the header row is not the meeting's
    )


def test_numbers_leading_the_title_cells_and_an_unnamed_decision_column() -> None:
    text = (
        "Dagsorden\tReferat\n"
        "1. Valg af referent\tKim.\n"
        "2. Budget 2025\tBudgettet blev godkendt med én ændring af puljen.\n"
    )
    parts = _split(text)
    assert _titles(parts) == [
        ("1", "Valg af referent"),
        ("2", "Budget 2025"),
    ]
    assert [s.kind for s in parts.items[1].sections] == ["Referat"]
    widest = _split(
        "Pkt.\tEmne\tNoter\n1\tA\tGodkendt uden bemærkninger.\n2\tB\tIntet."
    )
    assert [(s.heading, s.kind) for s in widest.items[0].sections] == [
        ("Noter", "Beslutning")  # no column named: the long cells are the decision
    ]


def test_a_table_without_header_or_inside_an_item_is_content() -> None:
    attachments = "1\tÅben\tNotat om temamødet\t222359/12\n2\tÅben\tPolitik\t73288/09\n"
    assert (
        tables.find(layout.clean([Block(x) for x in attachments.split("\n")]).lines)
        is None
    )
    inside = (
        "1. Budgetopfølgning\n\nSagsfremstilling\n\nTabellen viser forbruget:\n"
        "Pkt.\tOmråde\tBeslutning\n1\tVeje\tGodkendt\n2\tParker\tGodkendt\n\n"
        "Beslutning\n\nTaget til efterretning.\n\n2. Eventuelt\n\nIntet.\n"
    )
    assert [i.title for i in _split(inside).items] == ["Budgetopfølgning", "Eventuelt"]


def test_rows_without_numbers_are_items_by_their_place() -> None:
    """A table headed "Emne | Drøftelse og beslutning" numbers no row; the header
    names the decision column, and a row with an empty title cell continues the
    row above."""
    text = (
        "Referat\n\nEmne\tDrøftelse og beslutning\n"
        "Godkendelse af dagsorden\tGodkendt.\n"
        "Høring om ledsagelse Sagsnr. 19/2231\tRådet kan ikke anbefale udkastet.\n"
        "\tHøringssvaret sendes senest den 22. marts.\nEventuelt\tIntet.\n"
    )
    parts = _split(text)
    assert _titles(parts) == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Høring om ledsagelse"),
        ("3", "Eventuelt"),
    ]
    assert [[s.kind for s in i.sections] for i in parts.items] == [["Beslutning"]] * 3


def test_an_unnumbered_table_naming_no_decision_is_content() -> None:
    """Two columns of no item numbers and no decision column: a list of
    attachments or a budget inside the text, not the minutes."""
    text = "Bilag\tBeskrivelse\nNotat\tOm temamødet\nPolitik\tUdkast til politik\n"
    assert tables.find(layout.clean([Block(x) for x in text.split("\n")]).lines) is None


def test_falling_numbers_end_the_items() -> None:
    text = "Pkt.\tEmne\tReferat\n1\tA\tGodkendt.\n2\tB\tGodkendt.\n1\tC\tIntet.\n"
    assert [i.title for i in _split(text).items] == ["A", "B"]
