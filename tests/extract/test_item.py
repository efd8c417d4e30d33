"""Item extraction: attachments listed under Bilag, this meeting's decision."""

from __future__ import annotations

import pytest

from referat_nlp import pipeline
from referat_nlp.document import DecisionLabel
from referat_nlp.extract.item import attachment_titles


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        (
            "Notat om vejplan\nKort over området",
            ["Notat om vejplan", "Kort over området"],
        ),
        (
            "2019-118233 - Notat om ventetid på genoptræning efter\nsundhedsloven\n"
            "c. Temadag om forebyggelse",
            ["Notat om ventetid på genoptræning efter sundhedsloven"],
        ),
        (
            "1\tÅben\tProjektbeskrivelse Kastbjerg Å\t124512/19\n"
            "2\tLukket\tLodsejeraftaler\t124513/19\nUnderskriftsside",
            ["Projektbeskrivelse Kastbjerg Å", "Lodsejeraftaler"],
        ),
        ("Bilag 1: Takstblad 2020\nBilag 2: Budget", ["Takstblad 2020", "Budget"]),
        ("Ingen bilag", []),
    ],
)
def test_attachment_titles(text: str, titles: list[str]) -> None:
    assert attachment_titles(text) == titles


MINUTES = """Økonomiudvalget - Referat
Dato: 27. november 2019

1. Budgetrevision 3

Indstilling
Direktøren indstiller, at revisionen godkendes.

Beslutning i Økonomiudvalget den 19. november 2019
Anbefales.

Beslutning
Indstillingen tiltrådt.

Bilag
Bilag 1 - Bevillingsoversigt
"""


def test_earlier_bodies_decision_is_not_this_meetings() -> None:
    item = pipeline.parse(MINUTES.encode(), "txt").items[0]
    assert item.decision is not None
    assert item.decision.text == "Indstillingen tiltrådt."
    assert [a.title for a in item.attachments] == ["Bevillingsoversigt"]


def test_decision_dated_this_meeting_wins() -> None:
    text = MINUTES.replace("Dato: 27. november 2019", "Dato: 19. november 2019")
    item = pipeline.parse(text.encode(), "txt").items[0]
    assert item.decision is not None and item.decision.text == "Anbefales."


def test_headingless_item_body_is_the_decision() -> None:
    text = (
        "Referat fra Ældrerådet\n\n1. Godkendelse af dagsorden\nGodkendt.\n\n"
        "2. Eventuelt\n"
    )
    items = pipeline.parse(text.encode(), "txt").items
    assert items[0].decision is not None and items[0].decision.text == "Godkendt."
    assert items[1].decision is None


HEADLESS = """Referat
Folkeoplysningsudvalget
Mødedato: 4. marts 2025

1. Ansøgning om tilskud til nyt klubhus

Sagsfremstilling
Bådeklubben søger om 300.000 kr. til et klubhus. Udvalget bevilgede i 2023
25.000 kr. til klubbens ungdomsafdeling.

Indstilling
Forvaltningen indstiller, at ansøgningen afslås.

Udvalget afslog ansøgningen.

2. Retningslinjer for lokaleanvisning

Sagsfremstilling
Retningslinjerne er fra 2016.

Indstilling
Forvaltningen indstiller, at udvalget drøfter udkastet.

3. Orientering om medlemstal

Sagsfremstilling
Medlemstallet er steget med 4 procent.
Byrådet vedtog den 3. maj 2022 en ny politik for foreningerne.
"""


def test_decision_with_no_heading_after_the_last_section() -> None:
    """The paragraph after the Indstilling that says what the body did is the
    decision; a proposal alone, or a dated act (history), is none."""
    first, second, third = pipeline.parse(HEADLESS.encode(), "txt").items
    assert first.decision is not None
    assert first.decision.text == "Udvalget afslog ansøgningen."
    assert first.decision.label is DecisionLabel.REJECTED
    assert second.decision is None
    assert third.decision is None
