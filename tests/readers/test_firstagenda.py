"""FirstAgenda JSON exports: header, items and their HTML bodies."""

from __future__ import annotations

import copy
import json

import pytest

from referat_nlp import pipeline, readers
from referat_nlp.errors import CorruptDocument, UnsupportedFormat

MEETING = {
    "Udvalg": {"Navn": "Teknik- og Miljøudvalget"},
    "Moede": {
        "Dato": "2024-02-06T16:00:00+01:00",
        "Sted": "Mødelokale 3",
        "Moededeltagere": [
            {"Name": "Ida Berg", "Absent": False},
            {"Name": "Ole Friis", "Absent": True},
        ],
    },
    "Dagsordenpunkter": [
        {
            "Punktnummer": "1",
            "Navn": "Godkendelse af dagsorden",
            "SagsNummer": "",
            "Felter": [{"Html": "<h3>Beslutning</h3><p>Godkendt.</p>"}],
        },
        {
            "Punktnummer": "2",
            "Navn": "Lukket: Ekspropriation",
            "SagsNummer": "24-001234",
            "Felter": [{"Html": "<p>Godkendt.</p>"}],
        },
        {
            "Punktnummer": "3",
            "Navn": "Vejnavn til ny udstykning",
            "SagsNummer": "24-004321",
            "Felter": [
                {
                    "Html": "<h3>Beslutning</h3><p>Udsættes.</p><h3>Fremstilling</h3>"
                    "<h4>Indstilling</h4><p>Administrationen indstiller, at "
                    "vejnavnet godkendes.</p>"
                }
            ],
        },
    ],
}


def test_meeting_and_items() -> None:
    referat = pipeline.parse(json.dumps(MEETING).encode(), "firstagenda")
    assert referat.meeting.date == "2024-02-06"
    assert referat.meeting.start_time == "16:00"
    assert referat.meeting.location == "Mødelokale 3"
    assert referat.meeting.participants == ("Ida Berg",)
    assert referat.meeting.absent == ("Ole Friis",)
    items = referat.items
    assert [(i.number, i.title, i.open) for i in items] == [
        ("1", "Godkendelse af dagsorden", None),
        ("2", "Ekspropriation", False),
        ("3", "Vejnavn til ny udstykning", None),
    ]
    assert items[1].case_numbers == ("24-001234",)
    assert items[1].decision is not None and items[1].decision.text == "Godkendt."
    assert items[2].decision is not None and items[2].decision.text == "Udsættes."
    assert [s.kind for s in items[2].sections] == [
        "Beslutning",
        "Fremstilling",
        "Indstilling",
    ]


def test_other_json_is_refused() -> None:
    with pytest.raises(UnsupportedFormat, match="not a FirstAgenda"):
        readers.read_bytes(b'{"items": []}', "firstagenda", name="gold.json")
    with pytest.raises(CorruptDocument, match="invalid JSON"):
        readers.read_bytes(b'{"Dagsordenpunkter": [', "firstagenda", name="cut.json")


def test_a_padded_committee_name_is_collapsed_and_fast() -> None:
    """Exports pad names with white space; 200 kB of it once took 42 s (issue 10)."""
    meeting = copy.deepcopy(MEETING)
    meeting["Udvalg"]["Navn"] = "Teknik- og\tMiljøudvalget" + " " * 200_000
    referat = pipeline.parse(json.dumps(meeting).encode(), "firstagenda")
    assert referat.meeting.body == "Teknik- og Miljøudvalget"
