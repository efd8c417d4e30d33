"""What only the PostgreSQL back end has; the search suite itself runs on both back
ends in test_index.py. Skips without a server (REFERAT_TEST_PG, see .ci/postgres.sh).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from referat_nlp.errors import SearchError
from referat_nlp.search import index, postgres, stemming
from referat_nlp.search.tables import TABLE_COLUMNS
from tests.search_fixtures import PG_ENV, PG_SKIP, pg_dsn, referater, write_json

# Words that minutes use a lot, beside every word of the fixture referater.
VOCABULARY = """
beslutning beslutningen besluttede indstilling indstillingen indstillinger godkendt
godkendte godkendelse godkendelsen anbefales anbefalet anbefaler udsættes udsat
orientering orienteringen taget efterretning bevilling bevillingen anlægsbevilling
anlægsbevillinger tillægsbevilling budgettet budgetterne regnskab regnskabet
kommunalbestyrelsen byrådet økonomiudvalget udvalgets udvalgene sagsfremstilling
høring høringssvar høringssvaret lokalplan lokalplanen lokalplaner kommuneplantillæg
daginstitutioner daginstitutionerne skolerne ældreplejen plejecentrene borgerne
"""


@pytest.fixture(scope="module")
def conn():
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP)
    import psycopg

    with psycopg.connect(os.environ[PG_ENV]) as connection:
        yield connection


def test_pystemmer_and_postgresql_stem_alike(conn) -> None:
    """SQLite stems with PyStemmer, PostgreSQL with its own Snowball copy: both
    back ends find the same items only if the two agree."""
    words = set(VOCABULARY.split())
    for doc in referater():
        words |= set(stemming.words(doc.text))
    words = sorted(w for w in words if w.isalpha())
    ours = dict(zip(words, stemming.stem_words(words), strict=True))
    rows = conn.execute(
        "SELECT w, ts_lexize('danish_stem', w) FROM unnest(%s::text[]) AS w", (words,)
    ).fetchall()
    theirs = {w: (lex[0] if lex else None) for w, lex in rows}
    stop_words = {w for w, stem in theirs.items() if stem is None}
    assert not stop_words  # stemming.words() already dropped PostgreSQL's stop words
    assert {w: ours[w] for w in words if ours[w] != theirs[w]} == {}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The fixture referater indexed on PostgreSQL and on SQLite."""
    dsn = pg_dsn("test_pg_columns") or pytest.skip(PG_SKIP)
    folder = tmp_path_factory.mktemp("both")
    write_json(folder / "json")
    index.build(dsn, [folder / "json"])
    index.build(folder / "r.db", [folder / "json"])
    return dsn, folder / "r.db"


def test_schema_uses_a_gin_index_on_danish_tsvector(both: tuple[str, Path]) -> None:
    import psycopg

    with psycopg.connect(both[0]) as conn:
        indexdef = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'items_fts_document'"
            " AND schemaname = 'test_pg_columns'"
        ).fetchone()[0]
        generated = conn.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_schema = 'test_pg_columns' AND table_name = 'items_fts'"
            " AND column_name = 'document'"
        ).fetchone()[0]
    assert "USING gin (document)" in indexdef
    assert "to_tsvector('danish'::regconfig" in generated


def test_back_ends_have_the_same_tables_and_columns(both: tuple[str, Path]) -> None:
    """The shared tables are written once (index_schema) for both back ends."""
    dsn, db = both
    import psycopg

    tables = ("index_info", *TABLE_COLUMNS)
    with psycopg.connect(dsn) as conn:
        pg = {
            table: [
                name
                for (name,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = 'test_pg_columns' AND table_name = %s"
                    " ORDER BY ordinal_position",
                    (table,),
                )
            ]
            for table in tables
        }
    with closing(sqlite3.connect(db)) as conn:
        lite = {
            table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            for table in tables
        }
    assert pg == lite
    assert lite["attachments"][:3] == ["id", "meeting_id", "item_id"]


@pytest.mark.parametrize(
    ("table", "column", "pg_type", "nullable", "identity"),
    [
        ("meetings", "participants", "jsonb", "YES", "NO"),
        ("items", "open", "boolean", "YES", "NO"),
        ("sections", "id", "bigint", "NO", "YES"),
        ("decisions", "confidence", "double precision", "YES", "NO"),
        ("amounts", "value_dkk", "numeric", "YES", "NO"),
        ("attachments", "id", "bigint", "NO", "NO"),
        ("attachments", "meeting_id", "bigint", "NO", "NO"),
        ("attachments", "item_id", "bigint", "YES", "NO"),
        ("items_fts", "meeting_id", "bigint", "NO", "NO"),
    ],
)
def test_postgresql_column_types(
    both: tuple[str, Path],
    table: str,
    column: str,
    pg_type: str,
    nullable: str,
    identity: str,
) -> None:
    import psycopg

    with psycopg.connect(both[0]) as conn:
        row = conn.execute(
            "SELECT data_type, is_nullable, is_identity FROM information_schema.columns"
            " WHERE table_schema = 'test_pg_columns' AND table_name = %s"
            " AND column_name = %s",
            (table, column),
        ).fetchone()
    assert row == (pg_type, nullable, identity)


def test_build_leaves_planner_statistics(both: tuple[str, Path]) -> None:
    """Without statistics right after a bulk load, a meeting filter made the
    planner re-run the GIN scan once per meeting (seconds per query)."""
    import psycopg

    with psycopg.connect(both[0]) as conn:
        analysed = {
            table
            for (table,) in conn.execute(
                "SELECT DISTINCT tablename FROM pg_stats"
                " WHERE schemaname = 'test_pg_columns'"
            )
        }
    assert {"meetings", "items", "attachments", "items_fts"} <= analysed


def test_connection_errors_hide_the_password() -> None:
    if not os.environ.get(PG_ENV):
        pytest.skip(PG_SKIP)
    dsn = "postgresql://referat:hemmeligt@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(SearchError, match="cannot connect") as caught:
        index.search(dsn, "budget")
    assert "hemmeligt" not in str(caught.value)
    assert "postgresql://referat:…@127.0.0.1:1/nowhere" in str(caught.value)


def test_search_before_build_says_so() -> None:
    dsn = pg_dsn("test_pg_empty") or pytest.skip(PG_SKIP)
    with pytest.raises(SearchError, match="no index here"):
        index.search(dsn, "budget")


@pytest.mark.parametrize(
    ("dsn", "shown"),
    [
        ("postgresql://u:secret@h:5432/db", "postgresql://u:…@h:5432/db"),
        ("postgresql://h/db", "postgresql://h/db"),
        ("postgres://u@h/db", "postgres://u@h/db"),
    ],
)
def test_shown_dsn(dsn: str, shown: str) -> None:
    assert postgres.shown(dsn) == shown
