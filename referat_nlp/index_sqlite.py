"""The SQLite back end of the search index: one file, no server, FTS5.

FTS5 has no Danish stemmer and Python cannot register an FTS5 tokenizer, so
``items_fts`` holds a *shadow text*: title, decision, section text and attachment
text folded and stemmed by :mod:`referat_nlp.stemming` (``unicode61`` with
``remove_diacritics 0`` then only splits it, keeping æ/ø/å). Queries are rendered
for it by :func:`referat_nlp.query.to_fts5`; ranking is BM25 with column weights.

The SQL is written by hand rather than through sqlite-utils because the index needs
three things its table helpers do not give together: a whole run in one
transaction, an FTS table whose content differs from the stored columns, and one
schema shared with the PostgreSQL back end (:mod:`referat_nlp.index_pg`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from referat_nlp import query as q
from referat_nlp import stemming
from referat_nlp.errors import SearchError
from referat_nlp.index import (
    BM25_WEIGHTS,
    FTS_COLUMNS,
    INDEX_SCHEMA_VERSION,
    TABLE_COLUMNS,
    Dialect,
    Hit,
    IndexStats,
    Rows,
    index_documents,
    json_files,
    make_hits,
    read_documents,
    search_sql,
    skip_and_record,
)
from referat_nlp.query import Filters

SQLITE_SCHEMA = f"""
CREATE TABLE index_info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY, municipality TEXT, body TEXT, date TEXT, start_time TEXT,
    end_time TEXT, location TEXT, participants TEXT, absent TEXT, source_path TEXT,
    source_format TEXT, sha256 TEXT NOT NULL, pages INTEGER, schema_version TEXT,
    json_path TEXT, content_hash TEXT, item_count INTEGER, warnings TEXT,
    municipality_key TEXT, body_key TEXT);
CREATE INDEX meetings_sha256 ON meetings (sha256);
CREATE INDEX meetings_source_path ON meetings (source_path);
CREATE INDEX meetings_date ON meetings (date);
-- covers the body/municipality/date filters: a scan of it is 3× faster
CREATE INDEX meetings_filters ON meetings (municipality_key, body_key, date);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position INTEGER, number TEXT, title TEXT, open INTEGER, first_page INTEGER,
    pages TEXT, start_offset INTEGER, end_offset INTEGER);
CREATE INDEX items_meeting ON items (meeting_id);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position INTEGER, kind TEXT, heading TEXT, text TEXT, start_offset INTEGER,
    end_offset INTEGER);
CREATE INDEX sections_item ON sections (item_id);
CREATE TABLE decisions (
    item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    label TEXT, text TEXT, confidence REAL, method TEXT, start_offset INTEGER,
    end_offset INTEGER);
CREATE INDEX decisions_label ON decisions (label);
CREATE TABLE amounts (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position INTEGER, text TEXT, value_dkk REAL, currency TEXT, value REAL,
    value_max REAL, approximate INTEGER, vat TEXT, start_offset INTEGER,
    end_offset INTEGER);
CREATE INDEX amounts_item ON amounts (item_id, value_dkk);
CREATE INDEX amounts_value ON amounts (value_dkk);
CREATE TABLE case_numbers (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind TEXT, number TEXT, key TEXT);
CREATE INDEX case_numbers_item ON case_numbers (item_id, key);
CREATE INDEX case_numbers_key ON case_numbers (key);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position INTEGER, title TEXT, file TEXT, sha256 TEXT, text TEXT);
CREATE INDEX attachments_item ON attachments (item_id);
CREATE VIRTUAL TABLE items_fts USING fts5 (
    {", ".join(FTS_COLUMNS)}, tokenize = "unicode61 remove_diacritics 0");
CREATE VIEW item_overview AS
SELECT i.id, m.municipality, m.body, m.date, i.number, i.title,
       d.label AS decision_label, d.text AS decision_text,
       (SELECT group_concat(number, '; ') FROM case_numbers c
        WHERE c.item_id = i.id AND c.kind = 'case') AS case_numbers,
       (SELECT sum(value_dkk) FROM amounts a WHERE a.item_id = i.id) AS amounts_dkk,
       m.source_path, i.first_page
FROM items i JOIN meetings m ON m.id = i.meeting_id
LEFT JOIN decisions d ON d.item_id = i.id;
"""
SQLITE_DIALECT = Dialect(
    param=":{}",
    fts="SELECT rowid AS id, -bm25(items_fts, {}) AS score FROM items_fts"
    " WHERE items_fts MATCH :query".format(", ".join(map(str, BM25_WEIGHTS))),
    render=q.to_fts5,
)
DROP_ORDER = ("item_overview", "items_fts", *reversed(TABLE_COLUMNS), "index_info")


class SqliteStore:
    """The :class:`Store` for a SQLite file; ids are allocated by the caller."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def existing(self, sha256: str, path: str | None) -> list[tuple[int, str]]:
        sql = (
            "SELECT id, content_hash FROM meetings WHERE sha256 = ? OR source_path = ?"
        )
        return list(self.conn.execute(sql, (sha256, path)))

    def delete(self, meeting_ids: Sequence[int]) -> None:
        for mid in meeting_ids:
            self.conn.execute(
                "DELETE FROM items_fts WHERE rowid IN"
                " (SELECT id FROM items WHERE meeting_id = ?)",
                (mid,),
            )
            self.conn.execute("DELETE FROM meetings WHERE id = ?", (mid,))

    def insert(self, rows: Rows) -> None:
        for table, values in rows.tables.items():
            if table == "amounts":  # SQLite has no decimal type
                values = [_floats(row) for row in values]
            self.conn.executemany(_insert_sql(table, TABLE_COLUMNS[table]), values)
        self.conn.executemany(
            _insert_sql("items_fts", ("rowid", *FTS_COLUMNS)),
            [(iid, *map(stemming.shadow, texts)) for iid, *texts in rows.search],
        )

    def next_ids(self) -> tuple[int, int]:
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM meetings),"
            " (SELECT coalesce(max(id), 0) FROM items)"
        ).fetchone()
        return row[0] + 1, row[1] + 1


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _floats(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(float(v) if isinstance(v, Decimal) else v for v in row)


def _connect(db: str | Path, *, create: bool) -> sqlite3.Connection:
    """Open the SQLite index in autocommit mode (transactions are explicit)."""
    path = Path(db)
    if not create and not path.is_file():
        raise SearchError(path, "no index here; build one with 'referat-nlp index'")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def _schema_version(conn: sqlite3.Connection, db: str | Path) -> str | None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if "meetings" not in tables:
        return None
    if "index_info" not in tables:
        raise SearchError(db, "not a referat-nlp index")
    row = conn.execute("SELECT value FROM index_info WHERE key = 'schema'").fetchone()
    return row[0] if row else None


def _prepare(conn: sqlite3.Connection, db: str | Path, rebuild: bool) -> None:
    """Create the schema, or drop and recreate it for ``rebuild`` (in the open
    transaction, so a failed rebuild leaves the old index)."""
    version = _schema_version(conn, db)
    if version is not None and rebuild:
        for name in DROP_ORDER:
            kind = "VIEW" if name == "item_overview" else "TABLE"
            conn.execute(f"DROP {kind} IF EXISTS {name}")
        version = None
    if version is None:
        for statement in SQLITE_SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.executemany(
            "INSERT INTO index_info VALUES (?, ?)",
            [("schema", INDEX_SCHEMA_VERSION), ("stemmer", "snowball danish")],
        )
    elif version != INDEX_SCHEMA_VERSION:
        raise SearchError(
            db, f"index schema {version} is old; run again with --rebuild"
        )


def build(
    db: str | Path, paths: Iterable[str | Path], *, rebuild: bool, keep_going: bool
) -> IndexStats:
    """SQLite version of :func:`referat_nlp.index.build` (one transaction)."""
    stats = IndexStats()
    files = json_files(paths)  # a missing path fails before anything is written
    conn = _connect(db, create=True)
    try:
        conn.execute("BEGIN IMMEDIATE")
        _prepare(conn, db, rebuild)
        documents = read_documents(
            files, skip_and_record(stats.errors) if keep_going else None
        )
        index_documents(SqliteStore(conn), documents, stats)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return stats


def search(
    db: str | Path, node: q.Node | None, filters: Filters, limit: int
) -> list[Hit]:
    """SQLite version of :func:`referat_nlp.index.search` (arguments checked)."""
    conn = _connect(db, create=False)
    try:
        sql, params = search_sql(SQLITE_DIALECT, node, filters, limit)
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as err:
            raise SearchError(db, str(err)) from err
        return make_hits(conn, SQLITE_DIALECT, rows, node)
    finally:
        conn.close()
