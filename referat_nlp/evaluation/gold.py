"""The gold annotations: which files are gold, and which documents each annotates.

A gold directory holds ``NNN.json`` beside the document(s) it annotates
(``NNN.txt``, ``NNN.pdf``, ``NNN.docx``, ``NNN.html``: one text in several
renderings), or ``<name>.gold.json`` whose ``source_file`` names them. A ``.json``
that is not gold (a FirstAgenda export is JSON too) is skipped: gold has ``items``
that each carry a ``decision_class``. The format is described in
``corpus/README.md``. Scoring (``evaluate``) and training (``train``) both read
gold through this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DOCUMENT_SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm")
GOLD_SUFFIX = ".gold.json"


@dataclass(frozen=True)
class GoldFile:
    """One gold annotation and the documents it annotates (in ``DOCUMENT_SUFFIXES``
    order for ``NNN.json``, as ``source_file`` lists them for ``.gold.json``)."""

    path: Path
    gold: dict[str, Any]
    documents: tuple[Path, ...]

    @property
    def municipality(self) -> str:
        """The unit of grouped cross-validation ("" when the gold names none)."""
        return str(self.gold.get("municipality") or "")

    def document(self, preference: Iterable[str]) -> Path | None:
        """The first document with a suffix in ``preference`` order, else None."""
        by_suffix = {doc.suffix.lower(): doc for doc in reversed(self.documents)}
        return next((by_suffix[s] for s in preference if s in by_suffix), None)


@dataclass(frozen=True)
class GoldDocument:
    """One document to parse and the gold annotation that scores it."""

    path: Path
    gold: dict[str, Any]
    group: str  # municipality: the unit of grouped cross-validation

    @property
    def layout(self) -> str:
        """The layout family the gold names, else the folder and the file format."""
        return str(
            self.gold.get("layout")
            or f"{self.path.parent.name}/{self.path.suffix.lstrip('.')}"
        )

    def key(self, group_by: str) -> str:
        """This document's group: "municipality", "layout" or "format"."""
        if group_by == "municipality":
            return self.group or "?"
        if group_by == "layout":
            return self.layout
        if group_by == "format":
            return self.path.suffix.lstrip(".").lower()
        raise ValueError(f"cannot group by {group_by!r}: municipality, layout, format")


def is_gold(data: object) -> bool:
    """Gold has items, each with its ``decision_class``."""
    items = data.get("items") if isinstance(data, dict) else None
    return isinstance(items, list) and all("decision_class" in i for i in items)


def gold_files(directory: Path) -> Iterator[GoldFile]:
    """Every gold file in ``directory``, in name order, with its documents: the
    renderings beside an ``NNN.json`` that exist, or what ``source_file`` names."""
    for path in sorted(Path(directory).glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not is_gold(gold):
            continue  # a source document (FirstAgenda export), not a gold file
        if path.name.endswith(GOLD_SUFFIX):
            yield GoldFile(path, gold, _named_sources(path, gold))
        else:
            yield GoldFile(path, gold, _beside(path, path.stem, DOCUMENT_SUFFIXES))


def _named_sources(path: Path, gold: dict[str, Any]) -> tuple[Path, ...]:
    """What ``source_file`` names; without it, the files of the gold's name (a
    FirstAgenda export ``<name>.json`` among them)."""
    sources = gold.get("source_file")
    if sources is None:
        stem = path.name.removesuffix(GOLD_SUFFIX)
        return _beside(path, stem, (*DOCUMENT_SUFFIXES, ".json"))
    names = [sources] if isinstance(sources, str) else sources
    return tuple(path.parent / name for name in names)


def _beside(path: Path, stem: str, suffixes: Iterable[str]) -> tuple[Path, ...]:
    """The files ``stem + suffix`` beside ``path`` that exist, in suffix order."""
    candidates = (path.with_name(stem + suffix) for suffix in suffixes)
    return tuple(doc for doc in candidates if doc.exists())


def gold_documents(directory: Path) -> Iterator[GoldDocument]:
    """Every (document, gold) pair in a gold directory, in name order."""
    for gold_file in gold_files(directory):
        for document in gold_file.documents:
            yield GoldDocument(document, gold_file.gold, gold_file.municipality)
