"""Meeting header: labelled fields in their common layouts."""

from __future__ import annotations

import pytest

from referat_nlp.extract import meeting
from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout


def _meeting(text: str) -> meeting.Meeting:
    doc = layout.clean([Block(line) for line in text.split("\n")])
    return meeting.extract(doc.lines)


def test_labels_with_values_on_the_same_line() -> None:
    m = _meeting(
        "REFERAT Direktionen d. 07-02-2022\n\n"
        "Mødedato Mandag d. 7. februar 2022 kl. 09:00\n\nMødested Mødelokale 4\n\n"
        "Mødedeltagere Anne Holm, Bo Krogh og Cecilie Dam\n"
    )
    assert (m.body, m.date, m.start_time, m.location) == (
        "Direktionen",
        "2022-02-07",
        "09:00",
        "Mødelokale 4",
    )
    assert m.participants == ("Anne Holm", "Bo Krogh", "Cecilie Dam")


def test_labels_with_values_below() -> None:
    m = _meeting(
        "Teknikudvalget\nReferat\ntirsdag den 4. marts 2014, kl. 13:00\n"
        "i Mødecenter B, Lokale 12 på Kalundborg Rådhus\n\n"
        "Tilstede\nLis Ravn (A) - formand\nOle Sand (V)\n\n"
        "Afbud/Fraværende\nPia Kure (F)\n"
    )
    assert m.body == "Teknikudvalget"
    assert m.date == "2014-03-04"
    assert m.location == "Mødecenter B, Lokale 12 på Kalundborg Rådhus"
    assert m.municipality == "Kalundborg"
    assert m.participants == ("Lis Ravn", "Ole Sand")
    assert m.absent == ("Pia Kure",)


def test_location_label_does_not_swallow_next_line() -> None:
    m = _meeting(
        "Mødedato: 31. august 2023\nMødested: Rådhuset, Torvet 1\nDagsordenpunkter\n"
    )
    assert m.location == "Rådhuset, Torvet 1"


def test_body_noise_removed() -> None:
    m = _meeting("Referat fra møde i Ældrerådet torsdag den 15. august 2013\n")
    assert m.body == "Ældrerådet"
    assert m.date == "2013-08-15"


@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("Referat fra mødet i Assens Ældreråd torsdag den 19. maj 2016", "Ældrerådet"),
        ("Referat fra Handicaprådets møde den 23. november 2021", "Handicaprådet"),
        ("Referat fra SeniorRådsmøde nr. 118", "Seniorrådet"),
        (
            "Referat af ekstraordinært møde i ældrerådet tirsdag den 27. maj",
            "Ældrerådet",
        ),
        ("Byråd 2022-2025", "Byrådet"),
        ("Byrådet 31-10-2018", "Byrådet"),
        ("Teknisk Udvalg, møde den 3. april 2025", "Teknisk Udvalg"),
        ("Borgerrepræsentationen", "Borgerrepræsentationen"),
        (
            "Det fælles landdistriktsråd - Dagsordener og referater",
            "Det fælles landdistriktsråd",
        ),
    ],
)
def test_body_named_in_definite_form(line: str, body: str) -> None:
    assert meeting.clean_body(line) == body


def test_person_named_like_a_town_is_not_the_municipality() -> None:
    text = (
        "Kommunalbestyrelsen\nDeltagere: Ole Vind (A)\nFraværende: Karin Lemvig (C)\n"
    )
    assert meeting.municipality(text) is None
    assert meeting.municipality(text + "Vordingborg Kommune\n") == "Vordingborg"


def test_a_kommune_line_names_a_municipality_the_list_lacks() -> None:
    """The 275 municipalities of 1970-2006 are not in the list of today's 98; their
    minutes name them in a header line, often in capitals."""
    assert meeting.municipality("HVALSØ KOMMUNE\n\nKOMMUNALBESTYRELSEN\n") == "Hvalsø"
    assert meeting.municipality("Nørre Alslev Kommune\nØkonomiudvalget\n") == (
        "Nørre Alslev"
    )
    assert meeting.municipality("IKAST-BRANDE KOMMUNE\n") == "Ikast-Brande"
    # the counties of 1970-2006 hold council minutes too
    assert meeting.municipality("VEJLE AMT\nAmtsrådet\nDamhaven 12, Vejle\n") == (
        "Vejle Amt"
    )
    assert meeting.municipality("Ribe Amtskommune\n") == "Ribe Amt"
    # a sentence about a municipality is no header line
    assert meeting.municipality("Vi samarbejder med Hvalsø Kommune om ruten.\n") is None


def test_a_labelled_body_field_names_the_body() -> None:
    header = layout.clean(
        [Block("Referat"), Block("Udvalg: Børne- og Uddannelsesudvalget")]
    ).lines
    assert meeting.body(header) == "Børne- og Uddannelsesudvalget"


def test_a_region_named_in_the_header_is_the_host() -> None:
    """Regional councils meet in a town ("Regionshuset Viborg"); the region hosts."""
    text = "Region Midtjylland\nRegionsrådet\nRegionshuset Viborg, mødesal 1\n"
    assert meeting.municipality(text) == "Region Midtjylland"
    assert meeting.municipality("Regionshuset Viborg\n") == "Viborg"


def test_a_parish_council_minute_book_names_its_parish_and_council() -> None:
    m = _meeting(
        "Forhandlingsprotokol for Vester Egede Sogneraad\n\n"
        "Aar 1952, den 3. Marts, Kl. 19,30 holdt Sogneraadet Møde i Skolen.\n"
        "Fraværende: Husmand Søren Jakobsen."
    )
    assert (m.municipality, m.body, m.date) == (
        "Vester Egede",
        "Sognerådet",
        "1952-03-03",
    )


def test_a_minute_books_opening_line_gives_time_place_and_body() -> None:
    """No labels: the dated sentence that opens the meeting says it all."""
    m = _meeting(
        "Aar 1938 den 12te Maj, Kl. 19,30 holdt Sogneraadet ordinært Møde paa "
        "Sønder Omme Kro."
    )
    assert (m.date, m.start_time, m.location, m.body) == (
        "1938-05-12", "19:30", "Sønder Omme Kro", "Sognerådet",
    )  # fmt: skip
    later = _meeting("Mødet den 7/4 1938 Kl. 19,30 i Sønder Omme Skole.")
    assert (later.date, later.start_time, later.location) == (
        "1938-04-07", "19:30", "Sønder Omme Skole",
    )  # fmt: skip


def test_a_labelled_place_wins_over_the_dated_line() -> None:
    m = _meeting("Byrådet\nMandag den 4. maj 2020 kl. 17 i Byrådssalen\nSted: Rådhuset")
    assert (m.location, m.start_time) == ("Rådhuset", "17:00")


def test_an_old_spelling_does_not_change_a_modern_body_name() -> None:
    assert _meeting("Aarhus Byråd\n\nDato: 21. februar 2024").body == "Byrådet"


CARRIED = """Sagsfremstilling
Vejen skal have ny belægning.

Beslutning i Plan- og Teknikudvalget den 7. maj 2024
Anbefales.

Beslutning i {body} den 4. juni 2024
Godkendt.

Beslutning i Økonomiudvalget den 21. maj 2024
Anbefales.
"""


@pytest.mark.parametrize(
    ("header", "body", "date"),
    [
        # the heading that names the page's own body dates the meeting
        ("Varde Kommune\n\nByrådet\n", "Byrådet", "2024-06-04"),
        # with no body to match, the latest decision: earlier ones are carried along
        ("Varde Kommune\n", "Kommunalbestyrelsen", "2024-06-04"),
    ],
)
def test_a_page_without_a_meeting_line_is_dated_by_its_decision(
    header: str, body: str, date: str
) -> None:
    doc = layout.clean([Block(line) for line in header.split("\n")])
    m = meeting.extract(doc.lines, body_text=CARRIED.format(body=body))
    assert m.date == date
