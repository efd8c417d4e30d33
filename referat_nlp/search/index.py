"""Search index: parsed referater (the JSON contract) → tables + full-text search.

The index is built from JSON files only (a folder of ``*.json`` written by
:meth:`Referat.to_json`, or ``*.jsonl`` shards with one referat per line), so it
can be rebuilt without re-parsing a single PDF. A person can read every table in
it (``meetings``, ``items``, ``sections``, ``decisions``, ``amounts``,
``case_numbers``, ``attachments``; the view ``item_overview``), for instance in
Datasette. The tables are defined once in :mod:`referat_nlp.search.tables`.

The search units are the agenda items, the bilag that no item lists
(``Referat.attachments``, kept at the meeting level by batch runs) and the whole
text of a referat in which no item was found (written by ``batch`` with a
``needs_review`` warning, so that nothing readable is lost to search): all are
rows of one full-text table, so one ranking orders them. A bilag unit has the bilag's
title and text; meeting filters (body, municipality, dates) apply to it, item
filters (decision, amounts, case number) leave it out, and an empty query lists
items only.

This module is the public API (:func:`build`, :func:`search`; hits are
:class:`~referat_nlp.search.store.Hit`); what the back ends share is in
:mod:`referat_nlp.search.store`. The back ends are :mod:`referat_nlp.search.sqlite`
(a file; the default) and :mod:`referat_nlp.search.postgres` (a ``postgresql://``
URL). Queries and filters are parsed by :mod:`referat_nlp.search.query`, words
normalised by :mod:`referat_nlp.search.stemming`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from referat_nlp.errors import SearchError
from referat_nlp.search import query as q
from referat_nlp.search.store import Hit, IndexStats

__all__ = ["Hit", "IndexStats", "build", "is_postgres", "search"]


# --- the public API ------------------------------------------------------------------


def is_postgres(db: str | Path) -> bool:
    """True for a PostgreSQL URL (``postgresql://…``), False for a SQLite file."""
    return str(db).startswith(("postgresql://", "postgres://"))


def _backend(db: str | Path) -> Any:
    """The back-end module for ``db``, imported on first use so that SQLite users
    never import the PostgreSQL driver."""
    if is_postgres(db):
        from referat_nlp.search import postgres

        return postgres
    from referat_nlp.search import sqlite

    return sqlite


def build(
    db: str | Path,
    paths: Iterable[str | Path],
    *,
    rebuild: bool = False,
    keep_going: bool = False,
) -> IndexStats:
    """Index the referat JSON under ``paths`` into ``db`` in one transaction.

    ``db`` is a SQLite file or a ``postgresql://`` URL. Without ``keep_going`` the
    first bad file aborts the run and the index stays as it was; with it, bad
    files are skipped and listed in ``IndexStats.errors``.
    """
    return _backend(db).build(db, paths, rebuild=rebuild, keep_going=keep_going)  # type: ignore[no-any-return]


def search(
    db: str | Path,
    query: str,
    *,
    decision: str | None = None,
    body: str | None = None,
    municipality: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_amount: float | None = None,
    max_amount: float | None = None,
    case: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Search the index; best hits first (BM25 on SQLite, ts_rank on PostgreSQL).

    Hits are agenda items and bilag that no item lists (:attr:`Hit.attachment`
    set), in one ranking. ``query`` uses the syntax in :mod:`referat_nlp.search.query`
    (an empty query lists the newest items matching the filters). The decision,
    amount and case filters keep items only. ``body`` and ``municipality`` match part of
    the name ("økonomi" finds Økonomiudvalget), ``date_from``/``date_to`` take
    YYYY[-MM[-DD]], amounts are DKK, ``case`` is a case or document number.
    Raises :class:`SearchError` for bad syntax, bad filters or a missing index.
    """
    filters = q.Filters.checked(
        decision=decision, body=body, municipality=municipality, date_from=date_from,
        date_to=date_to, min_amount=min_amount, max_amount=max_amount, case=case,
    )  # fmt: skip
    node = q.parse(query)
    if node is None and filters == q.Filters():
        raise SearchError(
            f"query {query!r}", "nothing to search for: give words or a filter"
        )
    return _backend(db).search(db, node, filters, limit)  # type: ignore[no-any-return]
