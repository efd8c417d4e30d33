"""FirstAgenda Publication exports: one meeting as JSON, item texts as HTML.

Portals such as dagsordener.<kommune>.dk serve each meeting as a JSON object
(``Udvalg``, ``Moede``, ``Dagsordenpunkter[]`` with ``Punktnummer``, ``Navn``,
``SagsNummer`` and ``Felter[].Html``). We print it the way the portal's PDF does —
a header, then per item "N. Title", "Sagsnr.: …" and the HTML body — so the same
segmentation serves it as every other format. An export whose fields have the
wrong shape (a string where the portal writes an object or a list) is refused as
corrupt, naming the field.
"""

from __future__ import annotations

import json
from typing import Any

from referat_nlp.errors import CorruptDocument, UnsupportedFormat
from referat_nlp.readers.blocks import BLANK, Block, Document
from referat_nlp.readers.html import html_page
from referat_nlp.readers.text import decode

MAX_INT_DIGITS = 4000  # below sys.get_int_max_str_digits()'s default of 4,300


def read(data: bytes, name: str) -> Document:
    """Read a FirstAgenda meeting JSON; other JSON is rejected as unsupported."""
    meeting = _load(data, name)
    if not isinstance(meeting, dict) or "Dagsordenpunkter" not in meeting:
        raise UnsupportedFormat(name, "JSON that is not a FirstAgenda meeting export")
    try:
        blocks, warnings = _header(meeting), set[str]()
        for item in _objects(meeting, "Dagsordenpunkter"):
            blocks.extend(_item(item, warnings))
        metadata = _metadata(meeting)
    except Shape as exc:
        raise CorruptDocument(name, f"not a FirstAgenda export: {exc}") from None
    return Document(
        "firstagenda", tuple(blocks), metadata=metadata, warnings=tuple(warnings)
    )


def _load(data: bytes, name: str) -> object:
    """The JSON value; invalid JSON and nesting beyond Python's stack are refused
    as corrupt. An integer too long for ``int`` (Python refuses over 4,300 digits)
    stays text: no field we read is a number."""
    try:
        return json.loads(decode(data, name), parse_int=_integer)
    except json.JSONDecodeError as exc:
        raise CorruptDocument(
            name, f"invalid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc
    except RecursionError:
        raise CorruptDocument(name, "JSON nested too deeply to read") from None


def _integer(digits: str) -> int | str:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else digits


class Shape(Exception):
    """A field of the export does not have the portal's shape."""


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` as an object ({} when missing or null)."""
    value = parent.get(key) or {}
    if not isinstance(value, dict):
        raise Shape(f"'{key}' is a {type(value).__name__}, not an object")
    return value


def _objects(parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """``parent[key]`` as a list of objects ([] when missing or null)."""
    value = parent.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Shape(f"'{key}' is not a list of objects")
    return value


def _text(parent: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` that is set, as text (exports put numbers there too)."""
    value = next((parent[k] for k in keys if parent.get(k)), None)
    if isinstance(value, dict | list):
        raise Shape(f"'{keys[0]}' is a {type(value).__name__}, not text")
    return None if value is None else str(value)


def _name(parent: dict[str, Any], *keys: str) -> str | None:
    """A one-line field (committee, place) with its white space collapsed: exports
    pad names with runs of spaces."""
    text = _text(parent, *keys)
    return " ".join(text.split()) if text is not None else None


def _header(meeting: dict[str, Any]) -> list[Block]:
    moede = _object(meeting, "Moede")
    body = _name(_object(meeting, "Udvalg"), "Navn") or ""
    lines = [Block(body, heading=1, bold=True), BLANK]
    if date := _text(moede, "Dato"):
        lines.append(Block(f"Dato: {date}"))
    if place := _text(moede, "Sted"):
        lines.append(Block(f"Sted: {place}"))
    present, absent = _attendees(moede)
    if present:
        lines.append(Block("Deltagere: " + ", ".join(present)))
    if absent:
        lines.append(Block("Fraværende: " + ", ".join(absent)))
    return [*lines, BLANK]


def _attendees(moede: dict[str, Any]) -> tuple[list[str], list[str]]:
    present: list[str] = []
    absent: list[str] = []
    for person in _objects(moede, "Moededeltagere"):
        gone = person.get("Absent") or person.get("ParticipationCancelled")
        (absent if gone else present).append((_text(person, "Name") or "").strip())
    return [p for p in present if p], [a for a in absent if a]


def _item(item: dict[str, Any], warnings: set[str]) -> list[Block]:
    number = (_text(item, "Punktnummer", "Number") or "").strip()
    title = (_text(item, "Navn", "Caption") or "").strip()
    blocks = [Block(f"{number}. {title}", heading=1, bold=True), BLANK]
    case = (_text(item, "SagsNummer", "CaseNumber") or "").strip()
    if case:
        blocks += [Block(f"Sagsnr.: {case}"), BLANK]
    for felt in _objects(item, "Felter"):
        if html := _text(felt, "Html"):
            page = html_page(html)
            blocks += page.blocks
            warnings.update(page.warnings())
        elif text := _text(felt, "Tekst"):
            blocks += [Block(line) for line in text.splitlines()]
    return [*blocks, BLANK]


def _metadata(meeting: dict[str, Any]) -> dict[str, object]:
    moede = _object(meeting, "Moede")
    present, absent = _attendees(moede)
    return {
        "body": _name(_object(meeting, "Udvalg"), "Navn"),
        "date_text": _text(moede, "Dato", "MeetingBeginUtc"),
        "location": _name(moede, "Sted"),
        "participants": tuple(present),
        "absent": tuple(absent),
    }
