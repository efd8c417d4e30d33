"""Datasette plugin: Danish search in a referat-nlp index.

The index's FTS table holds stemmed, folded words (see :mod:`referat_nlp.search.index`),
so a query typed as printed ("godkendte indkøbsaftaler") must be turned into the
same form before FTS5 sees it. This plugin registers two SQL functions that the
canned query ``search`` in ``referat_nlp/data/datasette-metadata.json`` uses:

* ``danish_match(q)``: the FTS5 MATCH expression for a query (NULL when the query
  has only stop words, which matches nothing);
* ``danish_snippet(q, text)``: the best passage of ``text`` with matches marked.

Datasette loads it through the ``datasette`` entry point when referat-nlp is
installed with the ``datasette`` extra.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from referat_nlp.search import query as q


def danish_match(text: str | None) -> str | None:
    node = q.parse(text or "")
    return q.to_fts5(node) if node is not None else None


def danish_snippet(text: str | None, passage: str | None) -> str:
    return q.snippet([passage or ""], q.positive_terms(q.parse(text or "")))


@hookimpl  # type: ignore[untyped-decorator]  # datasette ships no types
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("danish_match", 1, danish_match, deterministic=True)
    conn.create_function("danish_snippet", 2, danish_snippet, deterministic=True)
