"""Which files are gold and which documents each annotates."""

from __future__ import annotations

import json
from pathlib import Path

from referat_nlp.evaluation.gold import gold_documents, gold_files

ITEM = {"number": "1", "decision_class": "godkendt"}


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_renderings_beside_and_named_sources(tmp_path: Path) -> None:
    _write(tmp_path / "001.json", {"municipality": "Greve", "items": [ITEM]})
    for suffix in (".html", ".txt", ".pdf"):
        (tmp_path / f"001{suffix}").write_text("x")
    _write(tmp_path / "m.gold.json", {"source_file": ["m.docx", "m.pdf"], "items": []})
    _write(tmp_path / "m.json", {"meeting": {}, "agenda": []})  # an export, not gold
    found = {f.path.name: f for f in gold_files(tmp_path)}
    assert sorted(found) == ["001.json", "m.gold.json"]
    assert [d.name for d in found["001.json"].documents] == [
        "001.txt",
        "001.pdf",
        "001.html",
    ]
    assert found["001.json"].municipality == "Greve"
    assert found["m.gold.json"].document((".txt", ".pdf")) == tmp_path / "m.pdf"
    assert found["m.gold.json"].document((".txt",)) is None
    pairs = [(d.path.name, d.group) for d in gold_documents(tmp_path)]
    assert pairs == [
        ("001.txt", "Greve"), ("001.pdf", "Greve"), ("001.html", "Greve"),
        ("m.docx", ""), ("m.pdf", ""),
    ]  # fmt: skip


def test_a_gold_json_without_documents_is_still_gold(tmp_path: Path) -> None:
    """Training reads its labels even when no document lies beside it."""
    _write(tmp_path / "002.json", {"items": [ITEM]})
    [found] = gold_files(tmp_path)
    assert found.documents == () and list(gold_documents(tmp_path)) == []


def test_a_gold_json_without_source_file_names_its_files(tmp_path: Path) -> None:
    _write(tmp_path / "ud.gold.json", {"items": [ITEM]})
    _write(tmp_path / "ud.json", {"meeting": {}, "agenda": []})
    [found] = gold_files(tmp_path)
    assert found.documents == (tmp_path / "ud.json",)
