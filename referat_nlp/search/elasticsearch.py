"""Elasticsearch/OpenSearch export: Bulk API NDJSON plus an index mapping.

For users who already run Elasticsearch or OpenSearch, ``referat-nlp export
--format es-bulk`` writes, from the same JSON files the SQLite index reads:

* ``mapping.json``: settings and mappings for ``PUT /<index>``; every text field
  uses the built-in ``danish`` analyzer (Snowball Danish stemming and stop words),
  and ``"dynamic": "strict"`` so a document that does not fit is refused;
* ``bulk-0001.ndjson`` …: Bulk API bodies, an ``index`` action line and a source
  line per agenda item and per bilag that no item lists, about ``BATCH_ITEMS``
  items per file (whole referater) so that each file stays a sensible request
  size.

A bilag that no item lists (``Referat.attachments``, kept at the meeting level by
batch runs) is a document of its own, as in the SQLite and PostgreSQL indexes, so
a search there reaches its text too: ``kind`` is ``"bilag"`` (``"item"`` for
agenda items), ``title`` is the bilag's title and ``attachments`` holds the bilag;
it has the meeting's fields and no item number, decision, sections or amounts.

Document ids are ``<sha256 of the source file>-<item number>``, and
``<sha256>-bilag-<n>`` for the n-th bilag no item lists: the same source gives the
same ids on every run, so loading a re-export updates documents in place instead
of adding copies.

    curl -XPUT localhost:9200/referater -H 'Content-Type: application/json' \\
         --data-binary @out/mapping.json
    curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' \\
         --data-binary @out/bulk-0001.ndjson
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referat_nlp.document import Attachment, Item, Meeting, Referat
from referat_nlp.search.store import read_documents, skip_and_record

BATCH_ITEMS = 5000
MAPPING_FILE = "mapping.json"
BULK_GLOB = "bulk-*.ndjson"

_TEXT = {"type": "text", "analyzer": "danish"}
_RAW = {"raw": {"type": "keyword", "ignore_above": 512}}
_TEXT_AND_KEYWORD = {**_TEXT, "fields": _RAW}
_KEYWORD = {"type": "keyword"}
MAPPING: dict[str, Any] = {
    "settings": {"number_of_shards": 1},
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "kind": _KEYWORD,
            "referat_sha256": _KEYWORD,
            "source_path": _KEYWORD,
            "source_format": _KEYWORD,
            "municipality": _KEYWORD,
            "body": _KEYWORD,
            "date": {"type": "date", "format": "yyyy-MM-dd"},
            "item_number": _KEYWORD,
            "item_position": {"type": "integer"},
            "title": _TEXT_AND_KEYWORD,
            "open": {"type": "boolean"},
            "decision_label": _KEYWORD,
            "decision_text": _TEXT,
            "sections": {
                "properties": {"kind": _KEYWORD, "heading": _TEXT, "text": _TEXT}
            },
            "case_numbers": _KEYWORD,
            "doc_numbers": _KEYWORD,
            "amounts": {
                "properties": {"text": _KEYWORD, "value_dkk": {"type": "double"}}
            },
            "amounts_dkk": {"type": "double"},
            "attachments": {
                "properties": {"title": _TEXT, "file": _KEYWORD, "text": _TEXT}
            },
            "pages": {"type": "integer"},
        },
    },
}


@dataclass
class ExportStats:
    """Files written, items and meeting-level bilag exported; ``errors`` lists
    skipped inputs."""

    files: list[Path] = field(default_factory=list)
    items: int = 0
    bilag: int = 0
    errors: list[str] = field(default_factory=list)


def _meeting_fields(
    referat: Referat, kind: str, meeting: Meeting | None = None
) -> dict[str, Any]:
    """The fields every document of a referat has, from ``meeting`` (an item's, in a
    minute book) or the first."""
    meeting = meeting or referat.meeting
    return {
        "kind": kind,
        "referat_sha256": referat.source.sha256,
        "source_path": referat.source.path,
        "source_format": referat.source.format,
        "municipality": meeting.municipality,
        "body": meeting.body,
        "date": meeting.date,
    }


def item_source(referat: Referat, item: Item, position: int) -> dict[str, Any]:
    """The document body for one agenda item (fields as in :data:`MAPPING`)."""
    decision = item.decision
    return {
        **_meeting_fields(referat, "item", referat.meeting_of(item)),
        "item_number": item.number,
        "item_position": position,
        "title": item.title,
        "open": item.open,
        "decision_label": decision.label.value if decision and decision.label else None,
        "decision_text": decision.text if decision else None,
        "sections": [
            {"kind": s.kind, "heading": s.heading, "text": s.text}
            for s in item.sections
        ],
        "case_numbers": list(item.case_numbers),
        "doc_numbers": list(item.doc_numbers),
        "amounts": [
            {"text": a.text, "value_dkk": _number(a.value_dkk)} for a in item.amounts
        ],
        "amounts_dkk": [
            float(a.value_dkk) for a in item.amounts if a.value_dkk is not None
        ],
        "attachments": [_attachment(a) for a in item.attachments],
        "pages": list(item.pages),
    }


def bilag_source(referat: Referat, bilag: Attachment) -> dict[str, Any]:
    """The document body for a bilag that no item lists."""
    return {
        **_meeting_fields(referat, "bilag"),
        "title": bilag.title,
        "attachments": [_attachment(bilag)],
    }


def _attachment(a: Attachment) -> dict[str, Any]:
    return {"title": a.title, "file": a.file, "text": a.text}


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def item_ids(referat: Referat) -> list[str]:
    """Stable ids: ``<sha256>-<item number>``, in a minute book's later meetings
    ``<sha256>-m<meeting>-<item number>`` (numbering restarts at each); a number
    printed twice in one meeting gets ``-2``, ``-3`` … in order, so every id is
    unique."""
    seen: dict[str, int] = {}
    ids = []
    for item in referat.items:
        meeting = f"m{item.meeting + 1}-" if item.meeting else ""
        key = f"{referat.source.sha256}-{meeting}{item.number}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(key + (f"-{seen[key]}" if seen[key] > 1 else ""))
    return ids


def bulk_lines(referat: Referat, index_name: str) -> Iterator[str]:
    """Action and source lines (no newline inside either) for one referat: its
    items, then the bilag that no item lists."""
    sources = [
        item_source(referat, item, position)
        for position, item in enumerate(referat.items)
    ]
    sources += [bilag_source(referat, bilag) for bilag in referat.attachments]
    ids = item_ids(referat)
    ids += [
        f"{referat.source.sha256}-bilag-{n}"
        for n in range(1, len(referat.attachments) + 1)
    ]
    for doc_id, source in zip(ids, sources, strict=True):
        action = {"index": {"_index": index_name, "_id": doc_id}}
        yield json.dumps(action, ensure_ascii=False)
        yield json.dumps(source, ensure_ascii=False)


def export(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    index_name: str = "referater",
    batch_items: int = BATCH_ITEMS,
    keep_going: bool = False,
) -> ExportStats:
    """Write ``mapping.json`` and ``bulk-NNNN.ndjson`` files into ``out_dir``.

    Old ``bulk-*.ndjson`` files there are removed first, so the folder always
    holds exactly one export. A bad input stops the export (raises) unless
    ``keep_going``, which skips it and lists it in ``ExportStats.errors``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stats = ExportStats()
    for old in out.glob(BULK_GLOB):
        old.unlink()
    mapping_path = out / MAPPING_FILE
    mapping_path.write_text(json.dumps(MAPPING, indent=2) + "\n", encoding="utf-8")
    stats.files.append(mapping_path)
    on_error = skip_and_record(stats.errors) if keep_going else None
    batch: list[str] = []
    for _, referat in read_documents(paths, on_error):
        batch.extend(bulk_lines(referat, index_name))
        stats.items += len(referat.items)
        stats.bilag += len(referat.attachments)
        if len(batch) >= 2 * batch_items:
            _write_batch(out, batch, stats)
    if batch:
        _write_batch(out, batch, stats)
    return stats


def _write_batch(out: Path, batch: list[str], stats: ExportStats) -> None:
    path = out / f"bulk-{len(stats.files):04d}.ndjson"
    path.write_text("\n".join(batch) + "\n", encoding="utf-8")
    stats.files.append(path)
    batch.clear()
