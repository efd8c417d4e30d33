"""The shipped JSON Schema matches the data model and rejects broken documents."""

from __future__ import annotations

import jsonschema
import pytest
from pydantic import ValidationError

from referat_nlp import schema
from referat_nlp.document import Meeting, Referat, Source


def test_shipped_schema_is_current() -> None:
    assert schema.SCHEMA_PATH.read_text(encoding="utf-8") == schema.render(), (
        "run: python -m referat_nlp.schema"
    )


def _minimal() -> dict[str, object]:
    return Referat(
        source=Source(path="a.txt", sha256="0" * 64, format="txt"), meeting=Meeting()
    ).to_dict()


def test_minimal_document_validates() -> None:
    schema.validate(_minimal())


@pytest.mark.parametrize(
    ("key", "value"),
    [("items", [{"number": "1"}]), ("surprise", 1), ("source", {"path": "a"})],
)
def test_broken_documents_fail(key: str, value: object) -> None:
    data = _minimal() | {key: value}
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(data)


def _with_item(**change: object) -> dict[str, object]:
    """A document with one item whose section, decision and amount can be changed."""
    item = {
        "number": "1",
        "title": "Budget",
        "sections": [
            {"heading": "Beslutning", "kind": "Beslutning", "text": "Godkendt.",
             "start": 0, "end": 9},
        ],
        "decision": {"text": "Godkendt.", "label": "godkendt", "method": "rule"},
        "amounts": [{"text": "5 mio. kr.", "value_dkk": 5_000_000, "start": 0,
                     "end": 10, "vat": "ekskl"}],
    }  # fmt: skip
    for path, value in change.items():
        part, key = path.split("__")
        target = item[part][0] if isinstance(item[part], list) else item[part]
        target[key] = value
    return _minimal() | {"items": [item]}


def test_closed_sets_are_enums_in_model_and_schema() -> None:
    schema.validate(_with_item())
    assert Referat.from_dict(_with_item()).items[0].decision.method == "rule"


@pytest.mark.parametrize(
    "change",
    [
        {"sections__kind": "Noget andet"},
        {"decision__method": "guess"},
        {"decision__label": "vedtaget"},
        {"amounts__vat": "maybe"},
    ],
    ids=["section kind", "decision method", "decision label", "vat"],
)
def test_values_outside_the_closed_sets_are_refused(change: dict) -> None:
    data = _with_item(**change)
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(data)
    with pytest.raises(ValidationError):
        Referat.from_dict(data)


def test_source_format_is_a_reader() -> None:
    data = _minimal()
    data["source"] = {**data["source"], "format": "odt"}
    with pytest.raises(ValidationError):
        Referat.from_dict(data)


def test_another_schema_version_is_refused_clearly() -> None:
    data = _minimal() | {"schema_version": "99"}
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(data)
    with pytest.raises(ValidationError, match=r"schema version '99' is not this"):
        Referat.from_dict(data)


def test_a_version_1_document_is_read_as_one_meeting() -> None:
    """Version 1 wrote one ``meeting``; it means a one-meeting version 2 document."""
    data = _minimal()
    data = {k: v for k, v in data.items() if k != "meetings"} | {
        "schema_version": "1",
        "meeting": {"municipality": "Skive", "date": "2019-11-26"},
        "items": [{"number": "1", "title": "Budget"}],
    }
    referat = Referat.from_dict(data)
    assert referat.schema_version == "2"
    assert referat.meeting.municipality == "Skive"
    assert referat.meeting_of(referat.items[0]) is referat.meetings[0]


def test_an_item_must_name_a_meeting_the_document_holds() -> None:
    data = _minimal() | {"items": [{"number": "1", "title": "Budget", "meeting": 1}]}
    with pytest.raises(ValidationError, match="names meeting 1"):
        Referat.from_dict(data)


def test_a_document_has_at_least_one_meeting() -> None:
    with pytest.raises(ValidationError):
        Referat.from_dict(_minimal() | {"meetings": []})
