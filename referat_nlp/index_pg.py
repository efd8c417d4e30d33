"""The PostgreSQL back end of the search index, for a server several people share.

Same tables, columns, filters and results as the SQLite index in
:mod:`referat_nlp.index` (which holds the shared logic and dispatches here for a
``postgresql://`` URL). The full-text part differs:

* ``items_fts`` stores the folded words (:func:`referat_nlp.stemming.words`:
  lower case, accents off, ``aa`` → ``å``, stop words out) and a generated
  ``document`` column ``to_tsvector('danish', …)`` with weights A–D for title,
  decision, text and attachments, under a GIN index. PostgreSQL's ``danish``
  configuration runs the same Snowball stemmer as PyStemmer.
* Ranking is ``ts_rank`` with the weights in the ratio of the SQLite BM25 weights
  (PostgreSQL has no BM25), normalised by document length.

Needs the ``postgres`` extra (psycopg 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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

# Rows buffered before one COPY per table: COPY is what makes bulk loads fast.
FLUSH_ITEMS = 2000
# Serialises index runs on one database (schema creation and id allocation).
LOCK_KEY = 0x7265666572  # "refer"
RE_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")  # "postgresql://u:secret@h/db"

_VECTOR = " || ".join(
    f"setweight(to_tsvector('danish', coalesce(\"{col}\", '')), '{weight}')"
    for col, weight in zip(FTS_COLUMNS, "ABCD", strict=True)
)
PG_SCHEMA = f"""
CREATE TABLE index_info (key text PRIMARY KEY, value text);
CREATE TABLE meetings (
    id bigint PRIMARY KEY, municipality text, body text, date text, start_time text,
    end_time text, location text, participants jsonb, absent jsonb, source_path text,
    source_format text, sha256 text NOT NULL, pages integer, schema_version text,
    json_path text, content_hash text, item_count integer, warnings jsonb,
    municipality_key text, body_key text);
CREATE INDEX meetings_sha256 ON meetings (sha256);
CREATE INDEX meetings_source_path ON meetings (source_path);
CREATE INDEX meetings_date ON meetings (date);
-- covers the body/municipality/date filters: a scan of it is 3× faster
CREATE INDEX meetings_filters ON meetings (municipality_key, body_key, date);
CREATE TABLE items (
    id bigint PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position integer, number text, title text, open boolean, first_page integer,
    pages jsonb, start_offset integer, end_offset integer);
CREATE INDEX items_meeting ON items (meeting_id);
CREATE TABLE sections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position integer, kind text, heading text, text text, start_offset integer,
    end_offset integer);
CREATE INDEX sections_item ON sections (item_id);
CREATE TABLE decisions (
    item_id bigint PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    label text, text text, confidence double precision, method text,
    start_offset integer, end_offset integer);
CREATE INDEX decisions_label ON decisions (label);
CREATE TABLE amounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position integer, text text, value_dkk numeric, currency text, value numeric,
    value_max numeric, approximate boolean, vat text, start_offset integer,
    end_offset integer);
CREATE INDEX amounts_item ON amounts (item_id, value_dkk);
CREATE INDEX amounts_value ON amounts (value_dkk);
CREATE TABLE case_numbers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind text, number text, key text);
CREATE INDEX case_numbers_item ON case_numbers (item_id, key);
CREATE INDEX case_numbers_key ON case_numbers (key);
CREATE TABLE attachments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position integer, title text, file text, sha256 text, text text);
CREATE INDEX attachments_item ON attachments (item_id);
CREATE TABLE items_fts (
    item_id bigint PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    title text, decision text, text text, attachments text,
    document tsvector GENERATED ALWAYS AS ({_VECTOR}) STORED);
CREATE VIEW item_overview AS
SELECT i.id, m.municipality, m.body, m.date, i.number, i.title,
       d.label AS decision_label, d.text AS decision_text,
       (SELECT string_agg(number, '; ' ORDER BY c.id) FROM case_numbers c
        WHERE c.item_id = i.id AND c.kind = 'case') AS case_numbers,
       (SELECT sum(value_dkk) FROM amounts a WHERE a.item_id = i.id) AS amounts_dkk,
       m.source_path, i.first_page
FROM items i JOIN meetings m ON m.id = i.meeting_id
LEFT JOIN decisions d ON d.item_id = i.id
"""
GIN_INDEX = (
    "CREATE INDEX IF NOT EXISTS items_fts_document ON items_fts USING gin (document)"
)
# ts_rank weights are given as {D, C, B, A}: attachments, text, decision, title.
_RANK_WEIGHTS = (
    "{" + ", ".join(f"{w / max(BM25_WEIGHTS):.4f}" for w in BM25_WEIGHTS[::-1]) + "}"
)
_TSQUERY = "to_tsquery('danish', %(query)s)"
PG_DIALECT = Dialect(
    param="%({})s",
    fts=f"SELECT f.item_id AS id, ts_rank('{_RANK_WEIGHTS}', f.document, q, 1)"
    f" AS score FROM items_fts f, {_TSQUERY} q WHERE f.document @@ q",
    render=q.to_tsquery,
)
TABLES = ("index_info", *TABLE_COLUMNS, "items_fts")


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise SearchError(
            "postgresql", 'needs psycopg: pip install "referat-nlp[postgres]"'
        ) from None
    return psycopg


def shown(dsn: str | Path) -> str:
    """The DSN as error messages show it: the password replaced by "…"."""
    return RE_PASSWORD.sub(r"\1:…@", str(dsn))


def connect(dsn: str | Path) -> Any:
    """Open a connection; a failure names the server (without the password)."""
    psycopg = _psycopg()
    try:
        return psycopg.connect(str(dsn))
    except psycopg.OperationalError as err:
        raise SearchError(shown(dsn), f"cannot connect: {err}") from err


class PgStore:
    """The :class:`referat_nlp.index.Store` for PostgreSQL: rows are buffered and
    written with COPY, one per table, every ``FLUSH_ITEMS`` items."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.pending: list[Rows] = []
        self.pending_keys: set[str | None] = set()
        self.pending_items = 0

    def existing(self, sha256: str, path: str | None) -> list[tuple[int, str]]:
        if sha256 in self.pending_keys or (path and path in self.pending_keys):
            self.flush()
        sql = "SELECT id, content_hash FROM meetings"
        sql += " WHERE sha256 = %s OR source_path = %s"
        return list(self.conn.execute(sql, (sha256, path)))

    def delete(self, meeting_ids: Sequence[int]) -> None:
        if meeting_ids:
            self.conn.execute(
                "DELETE FROM meetings WHERE id = ANY(%s)", (list(meeting_ids),)
            )

    def insert(self, rows: Rows) -> None:
        self.pending.append(rows)
        row = rows.tables["meetings"][0]
        meeting = dict(zip(TABLE_COLUMNS["meetings"], row, strict=True))
        self.pending_keys |= {meeting["sha256"], meeting["source_path"]}
        self.pending_items += len(rows.search)
        if self.pending_items >= FLUSH_ITEMS:
            self.flush()

    def flush(self) -> None:
        with self.conn.cursor() as cur:
            for table, cols in TABLE_COLUMNS.items():
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for rows in self.pending:
                        for row in rows.tables[table]:
                            copy.write_row(row)
            with cur.copy(
                f"COPY items_fts (item_id, {', '.join(FTS_COLUMNS)}) FROM STDIN"
            ) as copy:
                for rows in self.pending:
                    for iid, *texts in rows.search:
                        copy.write_row(
                            (iid, *(" ".join(stemming.words(t)) for t in texts))
                        )
        self.pending, self.pending_keys, self.pending_items = [], set(), 0

    def next_ids(self) -> tuple[int, int]:
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM meetings),"
            " (SELECT coalesce(max(id), 0) FROM items)"
        ).fetchone()
        return row[0] + 1, row[1] + 1


def _prepare(conn: Any, dsn: str | Path, rebuild: bool) -> None:
    """Create the schema, or drop and recreate it (inside the run's transaction)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
    exists = conn.execute("SELECT to_regclass('index_info') IS NOT NULL").fetchone()[0]
    if exists and rebuild:
        conn.execute("DROP VIEW IF EXISTS item_overview")
        conn.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)} CASCADE")
        exists = False
    if not exists:
        conn.execute(PG_SCHEMA)
        conn.execute(
            "INSERT INTO index_info VALUES (%s, %s), (%s, %s)",
            ("schema", INDEX_SCHEMA_VERSION, "stemmer", "snowball danish"),
        )
        return
    row = conn.execute("SELECT value FROM index_info WHERE key = 'schema'").fetchone()
    if row is None or row[0] != INDEX_SCHEMA_VERSION:
        raise SearchError(shown(dsn), "index schema is old; run again with --rebuild")


def build(
    dsn: str | Path, paths: Iterable[str | Path], *, rebuild: bool, keep_going: bool
) -> IndexStats:
    """PostgreSQL version of :func:`referat_nlp.index.build` (one transaction)."""
    stats = IndexStats()
    files = json_files(paths)
    with connect(dsn) as conn:  # commits on success, rolls back on an exception
        _prepare(conn, dsn, rebuild)
        store = PgStore(conn)
        documents = read_documents(
            files, skip_and_record(stats.errors) if keep_going else None
        )
        index_documents(store, documents, stats)
        store.flush()
        # Built once after a bulk load rather than row by row: several times faster.
        conn.execute(GIN_INDEX)
    return stats


def search(
    dsn: str | Path, node: q.Node | None, filters: q.Filters, limit: int
) -> list[Hit]:
    """PostgreSQL version of :func:`referat_nlp.index.search` (arguments checked)."""
    psycopg = _psycopg()
    with connect(dsn) as conn:
        if conn.execute("SELECT to_regclass('items_fts') IS NULL").fetchone()[0]:
            raise SearchError(shown(dsn), "no index here; build one")
        sql, params = search_sql(PG_DIALECT, node, filters, limit)
        try:
            rows = conn.execute(sql, params).fetchall()
        except psycopg.Error as err:
            raise SearchError(shown(dsn), str(err)) from err
        return make_hits(conn, PG_DIALECT, rows, node)
