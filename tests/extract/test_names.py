"""Participant lists, organisations and persons, and the municipality list."""

from __future__ import annotations

import pytest

from referat_nlp import vocabulary
from referat_nlp.extract import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lars Holte, Jørgen Lerhard og Kathrine Seier Skastrup",
            ("Lars Holte", "Jørgen Lerhard", "Kathrine Seier Skastrup"),
        ),
        (
            "Hanne Bak, Ib Lund, Sofie Dahl Krogh\nNielsen, Anders Ravn",
            ("Hanne Bak", "Ib Lund", "Sofie Dahl Krogh Nielsen", "Anders Ravn"),
        ),
        (
            "Mette Holm (A) - formand\nJens Bak (V) - næstformand\nOle Rye (F)",
            ("Mette Holm", "Jens Bak", "Ole Rye"),
        ),
        (
            "Peter Lund (A) Susanne Berg (V)\nKarin Vestergaard (C)",
            ("Peter Lund", "Susanne Berg", "Karin Vestergaard"),
        ),
        ("Afbud: Jann Larsen", ("Jann Larsen",)),
        ("Ikke til stede: Tina Holm (A)", ("Tina Holm",)),
        ("Fraværende:\nBirte Dahl\nKim Skov", ("Birte Dahl", "Kim Skov")),
        ("Formand: Hanne Berg, næstformand: Ib Lund", ("Hanne Berg", "Ib Lund")),
        ("Hanne Berg (formand), Ib Lund; Pia Bach & Bo Riis", None),
        ("Afbud/Fraværende\nSekretær\nMie Holm Andresen", ("Mie Holm Andresen",)),
        (
            "Til Stede: Sogneraadsformand Jens Kr. Mikkelsen, Niels Chr. Sørensen og "
            "Gaardejer Peder Andersen.",
            ("Jens Kr. Mikkelsen", "Niels Chr. Sørensen", "Peder Andersen"),
        ),
        ("Ingen", ()),
        ("Ingen afbud", ()),
        ("", ()),
    ],
)
def test_split_people(text: str, expected: tuple[str, ...] | None) -> None:
    if expected is None:
        expected = ("Hanne Berg", "Ib Lund", "Pia Bach", "Bo Riis")
    assert names.split_people(text) == expected


def test_split_people_keeps_party_on_request() -> None:
    text = "Mette Holm (A) - formand\nJens Bak (V)"
    assert names.split_people(text, keep_party=True) == (
        "Mette Holm (A)",
        "Jens Bak (V)",
    )


def test_split_people_drops_duplicates() -> None:
    assert names.split_people("Ole Rye, Ole Rye og Ib Lund") == ("Ole Rye", "Ib Lund")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sagen forelægges ØDC inden mødet.", [("ORG", "ØDC")]),
        ("Aftalen er indgået via SKI.", [("ORG", "SKI")]),
        ("Kommunen er medlem af POGI.", [("ORG", "POGI")]),
        ("KL har udsendt en vejledning.", [("ORG", "KL")]),
        ("Mødet holdes kl. 10 hos KKR.", [("ORG", "KKR")]),
        ("Busplanen er aftalt med Movia.", [("ORG", "Movia")]),
        ("Tilskud til VIF.", [("ORG", "VIF")]),
        (
            "Klagen blev sendt til Klagenævnet for Udbud.",
            [("ORG", "Klagenævnet for Udbud")],
        ),
        ("Projektet støttes af Region Midtjylland.", [("ORG", "Region Midtjylland")]),
        ("Samarbejde med Hedensted Kommune.", [("ORG", "Hedensted Kommune")]),
        ("Samarbejde med Københavns Kommune.", [("ORG", "Københavns Kommune")]),
        ("Samarbejde med Greve kommune.", [("ORG", "Greve kommune")]),
        ("Regnskab for Strandparken I/S.", [("ORG", "Strandparken I/S")]),
        ("Kontrakt med Nordisk Byg A/S.", [("ORG", "Nordisk Byg A/S")]),
        ("Svar fra Sundhedsstyrelsen.", [("ORG", "Sundhedsstyrelsen")]),
        ("Afgørelse fra Planklagenævnet.", [("ORG", "Planklagenævnet")]),
        ("Tilskud fra Fonden Grønne Byer.", [("ORG", "Fonden Grønne Byer")]),
        ("Peter Holm deltager.", [("PERSON", "Peter Holm")]),
        (
            "Koordinator Birgit Elleby Jørgensen fra centret.",
            [("PERSON", "Birgit Elleby Jørgensen")],
        ),
        ("Spørgsmål fra Lars K. Hansen.", [("PERSON", "Lars K. Hansen")]),
        ("Oplæg ved Anne-Mette Due.", [("PERSON", "Anne-Mette Due")]),
        (
            "Mette Holm og Ole Rye fra KL deltog.",
            [("PERSON", "Mette Holm"), ("PERSON", "Ole Rye"), ("ORG", "KL")],
        ),
    ],
)
def test_find(text: str, expected: list[tuple[str, str]]) -> None:
    found = names.find(text)
    assert [(s.label, s.text) for s in found] == expected
    for span in found:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "text",
    [
        "Mødet begynder kl. 10.",  # "kl." is not KL
        "Peter deltager i mødet.",  # a first name alone
        "Per 1. januar 2024 overgår opgaven.",
        "Adressen er Niels Petersensvej 4.",
        "Kommunalbestyrelsen og Bestyrelsen godkendte.",
        "Økonomiudvalget anbefaler forslaget.",
        "Tage stilling til sagen.",
        "Skole,- Børne- og Ungeudvalget",
    ],
)
def test_find_distractors(text: str) -> None:
    assert names.find(text) == ()


def test_find_offset() -> None:
    (span,) = names.find("Svar fra KL.", offset=40)
    assert (span.start, span.end) == (49, 51)


def test_municipalities() -> None:
    municipalities = vocabulary.municipalities()
    assert len(municipalities) == 98
    assert len(set(municipalities)) == 98
    assert {"Høje-Taastrup", "Brønderslev", "København", "Aarhus"} <= set(
        municipalities
    )


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        _ = names.NO_SUCH_LIST
