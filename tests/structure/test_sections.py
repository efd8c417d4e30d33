"""Section headings: which printed lines start a section, and their normalised kind."""

from __future__ import annotations

import pytest

from referat_nlp.structure import sections


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Sagsfremstilling", "Sagsfremstilling"),
        ("Indstilling", "Indstilling"),
        ("Administrationen indstiller", "Administrationen indstiller"),
        (
            "Økonomiske konsekvenser og finansiering",
            "Økonomiske konsekvenser og finansiering",
        ),
        ("Resumé", "Resumé"),
        ("Bilag", "Bilag"),
        ("Beslutning", "Beslutning"),
        ("Beslutning:", "Beslutning"),
        ("Beslutning Teknikudvalget den 14-03-2022", "Beslutning"),
        ("Beslutning i Økonomiudvalget den 2. maj 2019:", "Beslutning"),
        ("Beslutning i Kultur- og Fritidsudvalget (KFU) den 10-04-2013", "Beslutning"),
        (
            "Social- og Sundhedsudvalgets beslutning den 03.02.2015 Punkt 4",
            "Beslutning",
        ),
        ("Udvalgets beslutning", "Beslutning"),
        ("Byrådets beslutning:", "Beslutning"),
        ("Sagen afgøres i: Byrådet", "Sagen afgøres i"),
        # the decision's synonyms, and a date printed without "den"
        ("Afgørelse:", "Beslutning"),
        ("Nævnets afgørelse", "Beslutning"),
        ("Konklusion", "Beslutning"),
        # a synonym with the decision on its line
        ("Konklusion: Rådet tog orienteringen til efterretning.", "Beslutning"),
        ("KONKLUSION Udvalget godkendte planen.", "Beslutning"),
        ("Afgørelse: Ansøgningen imødekommes.", "Beslutning"),
        ("Beslutning 21-03-2019", "Beslutning"),
        ("Byrådets beslutning 21.03.2019:", "Beslutning"),
        # a proposer named alone on the heading line
        ("Direktøren indstiller", "Indstilling"),
        ("Sekretariatet indstiller:", "Indstilling"),
        # who recommends, as typed minutes head it
        ("Økonomiudvalgets indstilling:", "Indstilling"),
        ("Teknisk udvalgs indstilling", "Indstilling"),
        ("Børne- og Ungeudvalgets indstilling den 3.4.1986:", "Indstilling"),
    ],
)
def test_headings(line: str, kind: str) -> None:
    assert sections.heading_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "Beslutning om ny skolestruktur blev truffet i 2019, og den gælder fortsat.",
        "Byrådet traf beslutning om sagen.",
        "Sagsforløb: ØK/BY",
        "Sagsnr.: 21/10442",
        "Godkendt.",
        "",
        "Indstillingen godkendt",
        "Byrådet godkendte Økonomiudvalgets indstilling.",
        "Konklusionen er klar.",
        "Konklusionen: Rådet er enigt.",
        "Afgørelsen blev anket til Planklagenævnet.",
        "Kultur og Fritid indstiller, at udvalget godkender planen.",
        "Udvalget tiltrådte i sit møde den 3. maj forvaltningens indstilling",
    ],
)
def test_not_headings(line: str) -> None:
    assert sections.heading_kind(line) is None


def test_heading_date_ignores_item_suffix() -> None:
    line = "Økonomiudvalgets beslutning den 04.12.2012 Punkt 2"
    assert sections.heading_date(line) == "04.12.2012"
    assert sections.heading_date("Beslutning i Byrådet 21.03.2019:") == "21.03.2019"
    assert sections.heading_date("Beslutning") is None
