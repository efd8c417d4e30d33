"""The PostgreSQL back end of the search index, for a server several people share.

Same tables (:mod:`referat_nlp.search.tables`), filters and results as the SQLite
index; :mod:`referat_nlp.search.index` holds the shared logic and dispatches here for a
``postgresql://`` URL. The full-text part differs:

* ``items_fts`` has a row per search unit (an agenda item; a bilag that no item
  lists, under minus its attachment id; the text of a referat without items,
  under its meeting's ``unit_id``) with its meeting, the folded words
  (:func:`referat_nlp.search.stemming.words`: lower case, accents off, ``aa`` → ``å``,
  stop words out) and a generated ``document`` column ``to_tsvector('danish',
  …)`` with weights A–D for title, decision, text and attachments, under a GIN
  index. PostgreSQL's ``danish`` configuration runs the same Snowball stemmer as
  PyStemmer.
* Ranking is ``ts_rank`` with the weights in the ratio of the SQLite BM25 weights
  (PostgreSQL has no BM25), normalised by document length.

Needs the ``postgres`` extra (psycopg 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from referat_nlp.errors import SearchError
from referat_nlp.search import query as q
from referat_nlp.search import stemming, store
from referat_nlp.search.tables import INDEX_SCHEMA_VERSION, TABLE_COLUMNS, tables_ddl

# Rows buffered before one COPY per table: COPY is what makes bulk loads fast.
FLUSH_ITEMS = 2000
# Serialises index runs on one database (schema creation and id allocation).
LOCK_KEY = 0x7265666572  # "refer"
RE_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")  # "postgresql://u:secret@h/db"

_VECTOR = " || ".join(
    f"setweight(to_tsvector('danish', coalesce(\"{col}\", '')), '{weight}')"
    for col, weight in zip(store.FTS_COLUMNS, "ABCD", strict=True)
)
# One row per search unit: ``id`` is the item id, minus a meeting-level bilag's
# attachment id, or the unit id of a referat without items, so the rows cascade
# from their meeting (not from an item).
FTS_SCHEMA = f"""
CREATE TABLE items_fts (
    id bigint PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES meetings ON DELETE CASCADE,
    title text, decision text, text text, attachments text,
    document tsvector GENERATED ALWAYS AS ({_VECTOR}) STORED);
CREATE INDEX items_fts_meeting ON items_fts (meeting_id)"""
OVERVIEW_VIEW = """
CREATE VIEW item_overview AS
SELECT i.id, m.municipality, m.body, m.date, i.number, i.title,
       d.label AS decision_label, d.text AS decision_text,
       (SELECT string_agg(number, '; ' ORDER BY c.id) FROM case_numbers c
        WHERE c.item_id = i.id AND c.kind = 'case') AS case_numbers,
       (SELECT sum(value_dkk) FROM amounts a WHERE a.item_id = i.id) AS amounts_dkk,
       m.source_path, i.first_page
FROM items i JOIN meetings m ON m.id = i.meeting_id
LEFT JOIN decisions d ON d.item_id = i.id"""
PG_SCHEMA = ";\n".join((*tables_ddl("postgresql"), FTS_SCHEMA, OVERVIEW_VIEW))
GIN_INDEX = (
    "CREATE INDEX IF NOT EXISTS items_fts_document ON items_fts USING gin (document)"
)
# ts_rank weights are given as {D, C, B, A}: attachments, text, decision, title.
_WEIGHTS = store.BM25_WEIGHTS
_RANK_WEIGHTS = (
    "{" + ", ".join(f"{w / max(_WEIGHTS):.4f}" for w in _WEIGHTS[::-1]) + "}"
)
_TSQUERY = "to_tsquery('danish', %(query)s)"
PG_DIALECT = store.Dialect(
    param="%({})s",
    fts=f"SELECT f.id, f.meeting_id, ts_rank('{_RANK_WEIGHTS}', f.document, q, 1)"
    f" AS score FROM items_fts f, {_TSQUERY} q WHERE f.document @@ q",
    # Read from the row the match reads anyway; with statistics (see build) the
    # planner may also start from the meetings, through items_fts_meeting.
    unit_meeting="r.meeting_id",
    meeting_joins="",
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
    """The :class:`referat_nlp.search.store.Store` for PostgreSQL: rows are buffered and
    written with COPY, one per table, every ``FLUSH_ITEMS`` items."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.pending: list[store.Rows] = []
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

    def insert(self, rows: store.Rows) -> None:
        self.pending.append(rows)
        meeting = rows.tables["meetings"][0]
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
                            copy.write_row([row[column] for column in cols])
            columns = ", ".join(("id", "meeting_id", *store.FTS_COLUMNS))
            with cur.copy(f"COPY items_fts ({columns}) FROM STDIN") as copy:
                for rows in self.pending:
                    for uid, mid, *texts in rows.search:
                        words = (" ".join(stemming.words(t)) for t in texts)
                        copy.write_row((uid, mid, *words))
        self.pending, self.pending_keys, self.pending_items = [], set(), 0

    def next_ids(self) -> store.Ids:
        return store.next_ids(self.conn)


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
    store.check_schema(shown(dsn), _schema_version(conn))


def _schema_version(conn: Any) -> str | None:
    row = conn.execute("SELECT value FROM index_info WHERE key = 'schema'").fetchone()
    return row[0] if row else None


def build(
    dsn: str | Path, paths: Iterable[str | Path], *, rebuild: bool, keep_going: bool
) -> store.IndexStats:
    """PostgreSQL version of :func:`.index.build` (one transaction)."""
    stats = store.IndexStats()
    files = store.json_files(paths)
    with connect(dsn) as conn:  # commits on success, rolls back on an exception
        _prepare(conn, dsn, rebuild)
        pg = PgStore(conn)
        documents = store.read_documents(
            files, store.skip_and_record(stats.errors) if keep_going else None
        )
        store.index_documents(pg, documents, stats)
        pg.flush()
        # Built once after a bulk load rather than row by row: several times faster.
        conn.execute(GIN_INDEX)
        # Fresh statistics, or the planner guesses a filter matches a few meetings
        # and re-runs the GIN scan per meeting (8 s for one query after a bulk
        # load of 100,000 items, 60 ms with statistics).
        conn.execute(f"ANALYZE {', '.join(TABLES)}")
    return stats


def search(
    dsn: str | Path, node: q.Node | None, filters: q.Filters, limit: int
) -> list[store.Hit]:
    """PostgreSQL version of :func:`.index.search` (arguments checked)."""
    psycopg = _psycopg()
    with connect(dsn) as conn:
        if conn.execute("SELECT to_regclass('index_info') IS NULL").fetchone()[0]:
            raise SearchError(shown(dsn), "no index here; build one")
        store.check_schema(shown(dsn), _schema_version(conn))
        sql, params = store.search_sql(PG_DIALECT, node, filters, limit)
        try:
            rows = conn.execute(sql, params).fetchall()
        except psycopg.Error as err:
            raise SearchError(shown(dsn), str(err)) from err
        return store.make_hits(conn, PG_DIALECT, rows, node)
