"""FirstAgenda Publication exports: one meeting as JSON, item texts as HTML.

Portals such as dagsordener.<kommune>.dk serve each meeting as a JSON object
(``Udvalg``, ``Moede``, ``Dagsordenpunkter[]`` with ``Punktnummer``, ``Navn``,
``SagsNummer`` and ``Felter[].Html``). We print it the way the portal's PDF does —
a header, then per item "N. Title", "Sagsnr.: …" and the HTML body — so the same
segmentation serves it as every other format.
"""

from __future__ import annotations

import json
from typing import Any

from referat_nlp.errors import CorruptDocument, UnsupportedFormat
from referat_nlp.readers.blocks import BLANK, Block, Document
from referat_nlp.readers.html import html_blocks
from referat_nlp.readers.text import decode


def read(data: bytes, name: str) -> Document:
    """Read a FirstAgenda meeting JSON; other JSON is rejected as unsupported."""
    try:
        meeting = json.loads(decode(data, name))
    except json.JSONDecodeError as exc:
        raise CorruptDocument(
            name, f"invalid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc
    if not isinstance(meeting, dict) or "Dagsordenpunkter" not in meeting:
        raise UnsupportedFormat(name, "JSON that is not a FirstAgenda meeting export")
    blocks = [*_header(meeting)]
    for item in meeting.get("Dagsordenpunkter") or []:
        blocks.extend(_item(item))
    return Document("firstagenda", tuple(blocks), metadata=_metadata(meeting))


def _header(meeting: dict[str, Any]) -> list[Block]:
    moede = meeting.get("Moede") or {}
    body = (meeting.get("Udvalg") or {}).get("Navn") or ""
    lines = [Block(body, heading=1, bold=True), BLANK]
    if moede.get("Dato"):
        lines.append(Block(f"Dato: {moede['Dato']}"))
    if moede.get("Sted"):
        lines.append(Block(f"Sted: {moede['Sted']}"))
    present, absent = _attendees(moede)
    if present:
        lines.append(Block("Deltagere: " + ", ".join(present)))
    if absent:
        lines.append(Block("Fraværende: " + ", ".join(absent)))
    return [*lines, BLANK]


def _attendees(moede: dict[str, Any]) -> tuple[list[str], list[str]]:
    present: list[str] = []
    absent: list[str] = []
    for person in moede.get("Moededeltagere") or []:
        gone = person.get("Absent") or person.get("ParticipationCancelled")
        (absent if gone else present).append(str(person.get("Name", "")).strip())
    return [p for p in present if p], [a for a in absent if a]


def _item(item: dict[str, Any]) -> list[Block]:
    number = str(item.get("Punktnummer") or item.get("Number") or "").strip()
    title = str(item.get("Navn") or item.get("Caption") or "").strip()
    blocks = [Block(f"{number}. {title}", heading=1, bold=True), BLANK]
    case = str(item.get("SagsNummer") or item.get("CaseNumber") or "").strip()
    if case:
        blocks += [Block(f"Sagsnr.: {case}"), BLANK]
    for felt in item.get("Felter") or []:
        if felt.get("Html"):
            blocks += html_blocks(felt["Html"])
        elif felt.get("Tekst"):
            blocks += [Block(line) for line in str(felt["Tekst"]).splitlines()]
    return [*blocks, BLANK]


def _metadata(meeting: dict[str, Any]) -> dict[str, object]:
    moede = meeting.get("Moede") or {}
    present, absent = _attendees(moede)
    return {
        "body": (meeting.get("Udvalg") or {}).get("Navn"),
        "date_text": moede.get("Dato") or moede.get("MeetingBeginUtc"),
        "location": moede.get("Sted"),
        "participants": tuple(present),
        "absent": tuple(absent),
    }
