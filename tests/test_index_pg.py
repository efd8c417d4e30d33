"""What only the PostgreSQL back end has; the search suite itself runs on both back
ends in test_index.py. Skips without a server (REFERAT_TEST_PG, see .ci/postgres.sh).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from referat_nlp import index, index_pg, stemming
from referat_nlp.errors import SearchError
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


def test_schema_uses_a_gin_index_on_danish_tsvector(tmp_path: Path) -> None:
    dsn = pg_dsn("test_pg_schema") or pytest.skip(PG_SKIP)
    write_json(tmp_path / "json")
    index.build(dsn, [tmp_path / "json"])
    import psycopg

    with psycopg.connect(dsn) as conn:
        indexdef = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'items_fts_document'"
            " AND schemaname = 'test_pg_schema'"
        ).fetchone()[0]
        generated = conn.execute(
            "SELECT generation_expression FROM information_schema.columns"
            " WHERE table_schema = 'test_pg_schema' AND table_name = 'items_fts'"
            " AND column_name = 'document'"
        ).fetchone()[0]
    assert "USING gin (document)" in indexdef
    assert "to_tsvector('danish'::regconfig" in generated


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
    assert index_pg.shown(dsn) == shown
