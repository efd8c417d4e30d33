"""The SQLite back end of the search index: one file, no server, FTS5.

FTS5 has no Danish stemmer and Python cannot register an FTS5 tokenizer, so
``items_fts`` holds a *shadow text* per search unit (an agenda item: title,
decision, section text and attachment text; a bilag that no item lists: its title
and text) folded and stemmed by :mod:`referat_nlp.search.stemming` (``unicode61`` with
``remove_diacritics 0`` then only splits it, keeping æ/ø/å). Its rowid is the
item id, or minus the bilag's attachment id. Queries are rendered for it by
:func:`referat_nlp.search.query.to_fts5`; ranking is BM25 with column weights.

The SQL is written by hand rather than through sqlite-utils because the index needs
three things its table helpers do not give together: a whole run in one
transaction, an FTS table whose content differs from the stored columns, and one
schema shared with the PostgreSQL back end (:mod:`referat_nlp.search.postgres`; the
tables are in :mod:`referat_nlp.search.tables`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from referat_nlp.errors import SearchError
from referat_nlp.search import query as q
from referat_nlp.search import stemming, store
from referat_nlp.search.query import Filters
from referat_nlp.search.tables import INDEX_SCHEMA_VERSION, TABLE_COLUMNS, tables_ddl

# The full-text table: one row per search unit, its rowid the unit id (an item's
# id, minus a meeting-level bilag's attachment id, or the unit id of a referat
# without items).
FTS_SCHEMA = f"""
CREATE VIRTUAL TABLE items_fts USING fts5 (
    {", ".join(store.FTS_COLUMNS)}, tokenize = "unicode61 remove_diacritics 0")"""
# SQLite 3.40 has no string_agg, so this view stays per back end.
OVERVIEW_VIEW = """
CREATE VIEW item_overview AS
SELECT i.id, m.municipality, m.body, m.date, i.number, i.title,
       d.label AS decision_label, d.text AS decision_text,
       (SELECT group_concat(number, '; ') FROM case_numbers c
        WHERE c.item_id = i.id AND c.kind = 'case') AS case_numbers,
       (SELECT sum(value_dkk) FROM amounts a WHERE a.item_id = i.id) AS amounts_dkk,
       m.source_path, i.first_page
FROM items i JOIN meetings m ON m.id = i.meeting_id
LEFT JOIN decisions d ON d.item_id = i.id"""
SQLITE_SCHEMA = (*tables_ddl("sqlite"), FTS_SCHEMA, OVERVIEW_VIEW)
SQLITE_DIALECT = store.Dialect(
    param=":{}",
    fts="SELECT rowid AS id, -bm25(items_fts, {}) AS score FROM items_fts"
    " WHERE items_fts MATCH :query".format(", ".join(map(str, store.BM25_WEIGHTS))),
    # A unit's meeting through its item row, or for a bilag unit (no item row)
    # its attachment row: coalesce looks that up only then, which keeps the
    # items' cost as before bilag units. An UNINDEXED meeting_id in items_fts
    # would cost 3× as much, as reading it reads the whole FTS5 row.
    unit_meeting="coalesce(i.meeting_id,"
    " (SELECT a.meeting_id FROM attachments a WHERE a.id = -r.id),"
    " (SELECT w.id FROM meetings w WHERE w.unit_id = r.id))",
    meeting_joins=" LEFT JOIN items i ON i.id = r.id",
    render=q.to_fts5,
)
# A meeting's search units, by rowid: the FTS5 index finds those fast, while a
# test on its unindexed meeting_id would read every row.
DELETE_UNITS = """
DELETE FROM items_fts WHERE rowid IN (
    SELECT id FROM items WHERE meeting_id = :meeting
    UNION ALL
    SELECT -id FROM attachments WHERE meeting_id = :meeting AND item_id IS NULL
    UNION ALL
    SELECT unit_id FROM meetings WHERE id = :meeting AND unit_id IS NOT NULL)"""
NO_INDEX = "no index here; build one with 'referat-nlp index'"
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
        """Delete meetings with their rows (cascading) and their search units (an
        FTS5 table has no foreign keys)."""
        for mid in meeting_ids:
            self.conn.execute(DELETE_UNITS, {"meeting": mid})
            self.conn.execute("DELETE FROM meetings WHERE id = ?", (mid,))

    def insert(self, rows: store.Rows) -> None:
        for table, values in rows.tables.items():
            if table == "amounts":  # SQLite has no decimal type
                values = [_floats(row) for row in values]
            self.conn.executemany(_insert_sql(table, TABLE_COLUMNS[table]), values)
        self.conn.executemany(
            _insert_sql("items_fts", ("rowid", *store.FTS_COLUMNS)),
            [
                dict(
                    zip(
                        ("rowid", *store.FTS_COLUMNS),
                        (uid, *map(stemming.shadow, texts)),
                        strict=True,
                    )
                )
                for uid, _, *texts in rows.search
            ],
        )

    def next_ids(self) -> store.Ids:
        return store.next_ids(self.conn)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT with a named placeholder per column (rows are mappings)."""
    marks = ", ".join(f":{column}" for column in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _floats(row: store.Row) -> store.Row:
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()}


def _connect(db: str | Path, *, create: bool) -> sqlite3.Connection:
    """Open the SQLite index in autocommit mode (transactions are explicit)."""
    path = Path(db)
    if not create and not path.is_file():
        raise SearchError(path, NO_INDEX)
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
        for statement in SQLITE_SCHEMA:
            conn.execute(statement)
        conn.executemany(
            "INSERT INTO index_info VALUES (?, ?)",
            [("schema", INDEX_SCHEMA_VERSION), ("stemmer", "snowball danish")],
        )
    else:
        store.check_schema(db, version)


def build(
    db: str | Path, paths: Iterable[str | Path], *, rebuild: bool, keep_going: bool
) -> store.IndexStats:
    """SQLite version of :func:`.index.build` (one transaction)."""
    stats = store.IndexStats()
    files = store.json_files(paths)  # a missing path fails before anything is written
    conn = _connect(db, create=True)
    try:
        conn.execute("BEGIN IMMEDIATE")
        _prepare(conn, db, rebuild)
        documents = store.read_documents(
            files, store.skip_and_record(stats.errors) if keep_going else None
        )
        store.index_documents(SqliteStore(conn), documents, stats)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return stats


def search(
    db: str | Path, node: q.Node | None, filters: Filters, limit: int
) -> list[store.Hit]:
    """SQLite version of :func:`.index.search` (arguments checked)."""
    conn = _connect(db, create=False)
    try:
        version = _schema_version(conn, db)
        if version is None:
            raise SearchError(db, NO_INDEX)
        store.check_schema(db, version)
        sql, params = store.search_sql(SQLITE_DIALECT, node, filters, limit)
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as err:
            raise SearchError(db, str(err)) from err
        return store.make_hits(conn, SQLITE_DIALECT, rows, node)
    finally:
        conn.close()
