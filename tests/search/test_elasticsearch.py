"""Elasticsearch/OpenSearch export, checked against the Bulk API format rules.

Bulk API (NDJSON): every line is one JSON object and ends with a newline, including
the last; an action line ({"index"|"create"|"update"|"delete": {metadata}}) is
followed by a source line except for "delete"; ``_id`` is at most 512 bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from referat_nlp.errors import CorruptDocument
from referat_nlp.pipeline import parse
from referat_nlp.search import elasticsearch
from tests.search_fixtures import SPECS, referater, write_json

ACTIONS = {"index", "create", "update", "delete"}
FIELD_TYPES = {"text", "keyword", "date", "boolean", "integer", "double"}
N_ITEMS = sum(len(spec.items) for spec in SPECS)
N_BILAG = sum(len(spec.bilag) for spec in SPECS)  # bilag that no item lists


def parse_bulk(path: Path) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(action, source) pairs; fails on anything the Bulk API would refuse."""
    raw = path.read_bytes()
    assert raw.endswith(b"\n"), "a bulk body must end with a newline"
    lines = raw.decode("utf-8").split("\n")[:-1]
    pairs, pos = [], 0
    while pos < len(lines):
        action = json.loads(lines[pos])
        assert isinstance(action, dict) and len(action) == 1
        ((kind, meta),) = action.items()
        assert kind in ACTIONS
        assert isinstance(meta["_index"], str) and isinstance(meta["_id"], str)
        assert 0 < len(meta["_id"].encode()) <= 512
        source = None if kind == "delete" else json.loads(lines[pos + 1])
        assert source is None or isinstance(source, dict)
        pairs.append((action, source))
        pos += 1 if kind == "delete" else 2
    return pairs


def check_against_mapping(value: Any, mapping: dict[str, Any], where: str) -> None:
    """A source fits a strict mapping: only declared fields, values of their type."""
    if "properties" in mapping:
        items = value if isinstance(value, list) else [value]
        for item in items:
            assert isinstance(item, dict), where
            for key, sub in item.items():
                assert key in mapping["properties"], f"{where}.{key} is not mapped"
                check_against_mapping(sub, mapping["properties"][key], f"{where}.{key}")
        return
    kind = mapping["type"]
    for v in value if isinstance(value, list) else [value]:
        if v is None:
            continue
        ok = {
            "text": isinstance(v, str),
            "keyword": isinstance(v, str),
            "date": isinstance(v, str) and len(v) == 10 and v[4] == v[7] == "-",
            "boolean": isinstance(v, bool),
            "integer": isinstance(v, int) and not isinstance(v, bool),
            "double": isinstance(v, int | float) and not isinstance(v, bool),
        }[kind]
        assert ok, f"{where}: {v!r} is not a {kind}"


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    write_json(tmp_path / "json")
    elasticsearch.export([tmp_path / "json"], tmp_path / "es")
    return tmp_path / "es"


def test_bulk_file_follows_the_bulk_api(exported: Path) -> None:
    pairs = parse_bulk(exported / "bulk-0001.ndjson")
    assert len(pairs) == N_ITEMS + N_BILAG
    assert {next(iter(a)) for a, _ in pairs} == {"index"}
    assert {a["index"]["_index"] for a, _ in pairs} == {"referater"}
    ids = [a["index"]["_id"] for a, _ in pairs]
    assert len(set(ids)) == len(ids)


def test_sources_fit_the_mapping(exported: Path) -> None:
    mapping = json.loads((exported / "mapping.json").read_text())
    for _, source in parse_bulk(exported / "bulk-0001.ndjson"):
        check_against_mapping(source, mapping["mappings"], "source")


def test_mapping_uses_the_danish_analyzer(exported: Path) -> None:
    mapping = json.loads((exported / "mapping.json").read_text())["mappings"]
    assert mapping["dynamic"] == "strict"
    leaves = list(_leaves(mapping))
    assert {leaf["type"] for _, leaf in leaves} <= FIELD_TYPES
    texts = {name: leaf for name, leaf in leaves if leaf["type"] == "text"}
    assert {"title", "decision_text", "sections.text", "attachments.text"} <= set(texts)
    assert {leaf["analyzer"] for leaf in texts.values()} == {"danish"}


def _leaves(mapping: dict[str, Any], prefix: str = ""):
    for name, field in mapping["properties"].items():
        if "properties" in field:
            yield from _leaves(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def all_ids(folder: Path) -> list[str]:
    return [
        action["index"]["_id"]
        for path in sorted(folder.glob("bulk-*.ndjson"))
        for action, _ in parse_bulk(path)
    ]


def test_reexport_gives_the_same_ids_and_only_new_files(
    exported: Path, tmp_path: Path
) -> None:
    first = all_ids(exported)
    stats = elasticsearch.export([tmp_path / "json"], exported, batch_items=10)
    bulk_files = sorted(exported.glob("bulk-*.ndjson"))
    assert bulk_files == stats.files[1:]  # no file left from the first export
    assert len(bulk_files) > 1
    assert all_ids(exported) == first


def test_id_is_sha256_and_item_number() -> None:
    doc = referater()[0]
    assert elasticsearch.item_ids(doc)[1] == f"{doc.source.sha256}-2"


def test_repeated_item_numbers_get_distinct_ids() -> None:
    doc = referater()[0]
    twice = doc.model_copy(update={"items": (doc.items[0], doc.items[0])})
    sha = doc.source.sha256
    assert elasticsearch.item_ids(twice) == [f"{sha}-1", f"{sha}-1-2"]


def test_source_carries_the_item(exported: Path) -> None:
    sources = [s for _, s in parse_bulk(exported / "bulk-0001.ndjson")]
    item = next(s for s in sources if s["title"].startswith("Fælleskommunale"))
    assert item["municipality"] == "Aabenraa"
    assert item["date"] == "2012-03-14"
    assert item["decision_label"] == "godkendt"
    assert item["case_numbers"] == ["12/4471"]
    assert item["amounts_dkk"] == [2400000.0]
    assert item["attachments"][0]["title"] == "Oversigt over aftaler"
    assert item["kind"] == "item"


def test_a_bilag_no_item_lists_is_a_document(exported: Path) -> None:
    pairs = parse_bulk(exported / "bulk-0001.ndjson")
    bilag = [(a, s) for a, s in pairs if s["kind"] == "bilag"]
    assert len(bilag) == N_BILAG == 1
    ((action, source),) = bilag
    faxe = referater()[2]
    assert action["index"]["_id"] == f"{faxe.source.sha256}-bilag-1"
    assert (source["municipality"], source["date"]) == ("Faxe", "2019-06-26")
    assert source["title"] == "Varmeplan"
    text = faxe.attachments[0].text
    assert source["attachments"] == [
        {"title": "Varmeplan", "file": "Varmeplan.pdf", "text": text}
    ]
    assert "item_number" not in source and "decision_label" not in source


def test_bad_input_stops_unless_keep_going(tmp_path: Path) -> None:
    write_json(tmp_path / "json")
    (tmp_path / "json" / "zz.json").write_text("not json")
    with pytest.raises(CorruptDocument):
        elasticsearch.export([tmp_path / "json"], tmp_path / "es")
    stats = elasticsearch.export([tmp_path / "json"], tmp_path / "es", keep_going=True)
    assert (stats.items, stats.bilag) == (N_ITEMS, N_BILAG)
    assert len(stats.errors) == 1


def test_a_minute_books_items_carry_their_own_meeting() -> None:
    """corpus/032 holds three meetings, each numbered from 1."""
    book = parse(Path(__file__).resolve().parents[2] / "corpus" / "032.txt")
    sha = book.source.sha256
    ids = elasticsearch.item_ids(book)
    assert ids[:5] == [f"{sha}-1", f"{sha}-2", f"{sha}-3", f"{sha}-4", f"{sha}-m2-1"]
    assert len(set(ids)) == len(ids)
    dates = [
        elasticsearch.item_source(book, item, n)["date"]
        for n, item in enumerate(book.items)
    ]
    assert dates == ["1938-03-03"] * 4 + ["1938-04-07"] * 3 + ["1938-05-12"] * 4
