"""The search index: the search suite on both back ends, then SQLite-only behaviour.

The suite (``test_search_*``, ``test_relevance``) runs once against SQLite and once
against a real PostgreSQL server; the PostgreSQL runs skip when REFERAT_TEST_PG is
not set (CI sets it with ``.ci/postgres.sh``).
"""

from __future__ import annotations

import ast
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from referat_nlp import index
from referat_nlp import query as q
from referat_nlp.errors import CorruptDocument, MissingFile, SearchError
from tests.search_fixtures import (
    PG_SKIP,
    SPECS,
    build,
    key_of,
    pg_dsn,
    referater,
    write_json,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An index of the fixture referater on each back end."""
    folder = tmp_path_factory.mktemp("search")
    write_json(folder / "json")
    if request.param == "sqlite":
        target = str(folder / "referater.db")
    else:
        target = pg_dsn("test_index") or pytest.skip(PG_SKIP)
    index.build(target, [folder / "json"], rebuild=True)
    return target


def keys(hits: list[index.Hit]) -> list[str]:
    return [key_of(h.municipality, h.date, h.item_number) for h in hits]


# (query, filters, items expected first, in any order among themselves)
RELEVANCE = [
    ("indkøbsaftaler", {}, {"aabenraa-oeu-2012/2", "aalborg-byraad-2009/3"}),
    ("indkøbsaftale", {}, {"aabenraa-oeu-2012/2", "aalborg-byraad-2009/3"}),
    ("svømmehallen", {}, {"aabenraa-oeu-2012/3", "aabenraa-byraad-2012/1"}),
    ("Åbenrå svømmehal", {}, {"aabenraa-oeu-2012/3", "aabenraa-byraad-2012/1"}),
    ("aabenraa", {}, {"aabenraa-oeu-2012/3", "aabenraa-byraad-2012/1"}),
    ("åbybro", {}, {"aalborg-byraad-2009/4"}),
    ("elladestandere", {}, {"faxe-tmu-2019/1"}),
    ("el-ladestander", {}, {"faxe-tmu-2019/1"}),
    ("affaldssorteringen", {}, {"faxe-tmu-2019/2"}),
    ("skolebusser", {}, {"broenderslev-bsu-2021/2"}),
    ("daginstitutioner", {}, {"broenderslev-bsu-2021/3"}),
    ("18/18284", {}, {"htk-direktion-2020/1"}),
    (
        '"godkendte indstillingen"',
        {},
        {"aalborg-byraad-2009/3", "htk-direktion-2020/1"},
    ),
    (
        "renovering",
        {"min_amount": 1_000_000, "max_amount": 20_000_000},
        {"aabenraa-oeu-2012/3", "aabenraa-byraad-2012/1", "broenderslev-bsu-2021/3"},
    ),
]


@pytest.mark.parametrize(("text", "filters", "expected"), RELEVANCE)
def test_relevance(db: str, text: str, filters: dict, expected: set[str]) -> None:
    hits = keys(index.search(db, text, **filters))
    assert set(hits[: len(expected)]) == expected, hits


@pytest.mark.parametrize(
    ("text", "filters", "expected"),
    [
        ("svømmehal", {"decision": "anbefalet"}, ["aabenraa-oeu-2012/3"]),
        ("svømmehal", {"body": "byråd"}, ["aabenraa-byraad-2012/1"]),
        ("svømmehal", {"body": "ØKONOMI"}, ["aabenraa-oeu-2012/3"]),
        (
            "godkendt",
            {"municipality": "Aalborg", "date_to": "2009"},
            ["aalborg-byraad-2009/3", "aalborg-byraad-2009/4"],
        ),
        ("", {"case": "18/18284"}, ["htk-direktion-2020/1"]),
        (
            "",
            {"case": "Sagsnr. 12/1932"},
            ["aabenraa-oeu-2012/3", "aabenraa-byraad-2012/1"],
        ),
        ("", {"decision": "oversendt"}, ["htk-direktion-2020/3"]),
        ("", {"decision": "ingen"}, ["aabenraa-oeu-2012/5"]),
        ("", {"min_amount": 4e9}, ["aalborg-byraad-2009/1"]),
        ("", {"max_amount": 100_000}, ["htk-direktion-2020/1"]),
        (
            "",
            {"date_from": "2023", "date_to": "2023-12"},
            ["roedovre-senior-2023/1", "roedovre-senior-2023/2"],
        ),
        (
            "skole*",
            {"municipality": "brønderslev"},
            ["broenderslev-bsu-2021/1", "broenderslev-bsu-2021/2"],
        ),
        ("svømmehal -nedslidt", {}, ["aabenraa-byraad-2012/1"]),
        ("svømmehal NOT nedslidte", {}, ["aabenraa-byraad-2012/1"]),
        ("(vindmølle OR madservice) -drøftede", {}, ["faxe-tmu-2019/4"]),
    ],
)
def test_search_filters(db: str, text: str, filters: dict, expected: list[str]) -> None:
    assert sorted(keys(index.search(db, text, **filters))) == sorted(expected)


def test_search_hit_fields(db: str) -> None:
    hit = index.search(db, "indkøbsaftaler", municipality="aabenraa")[0]
    assert (hit.municipality, hit.body, hit.date) == (
        "Aabenraa",
        "Økonomiudvalget",
        "2012-03-14",
    )
    assert (hit.item_number, hit.decision_label) == ("2", "godkendt")
    assert hit.item_title == "Fælleskommunale indkøbsaftaler 2012-2014"
    assert hit.decision_text == "Indstillingen godkendt."
    assert (hit.source_path, hit.page, hit.case_numbers) == (
        "aabenraa-oeu-2012.pdf",
        2,
        ("12/4471",),
    )
    assert "**indkøbsaftaler**" in hit.snippet
    assert hit.score > 0


def test_search_ranks_title_matches_first(db: str) -> None:
    # "skolebuskørsel" is in one title and no text; "skoler" only in text elsewhere
    hits = keys(index.search(db, "skole*"))
    assert hits[0] == "broenderslev-bsu-2021/2"


def test_search_limit(db: str) -> None:
    assert len(index.search(db, "godkendt", limit=3)) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"ikke lukket', "quoted phrase is not closed"),
        ("skole AND", "AND needs a search term after it"),
        ("-budget", "need a term to exclude from"),
        ("(skole OR dagtilbud", "'(' is not closed"),
        ("skole)", "no matching '('"),
        ("OR skole", "OR needs a search term before it"),
        ("og i", "nothing to search for"),
    ],
)
def test_search_bad_query(db: str, text: str, message: str) -> None:
    with pytest.raises(SearchError, match=re.escape(message)):
        index.search(db, text)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"decision": "vedtaget"}, "use one of godkendt"),
        ({"date_from": "14-03-2012"}, "use YYYY"),
    ],
)
def test_search_bad_filter(db: str, filters: dict, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        index.search(db, "budget", **filters)


# --- building and updating, on both back ends ------------------------------------


def count(db: str, table: str) -> int:
    sql = f"SELECT count(*) FROM {table}"
    if index.is_postgres(db):
        import psycopg

        with psycopg.connect(db) as conn:
            return conn.execute(sql).fetchone()[0]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_json(tmp_path / "json")
    return tmp_path


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index location on each back end."""
    if request.param == "sqlite":
        return str(tmp_path / "r.db")
    return pg_dsn("test_build") or pytest.skip(PG_SKIP)


def test_build_tables_a_person_can_read(folder: Path, target: str) -> None:
    db = target
    stats = index.build(db, [folder / "json"])
    n_items = sum(len(s.items) for s in SPECS)
    assert (stats.added, stats.items) == (len(SPECS), n_items)
    expected = {
        "meetings": len(SPECS),
        "items": n_items,
        "items_fts": n_items,
        "decisions": sum(1 for s in SPECS for i in s.items if i.label is not None),
        "amounts": sum(len(i.amounts) for s in SPECS for i in s.items),
        "case_numbers": sum(len(i.cases) for s in SPECS for i in s.items),
        "attachments": sum(len(i.attachments) for s in SPECS for i in s.items),
        "item_overview": n_items,
    }
    assert {table: count(db, table) for table in expected} == expected


def test_reindex_same_documents_changes_nothing(folder: Path, target: str) -> None:
    db = target
    index.build(db, [folder / "json"])
    stats = index.build(db, [folder / "json"])
    assert (stats.added, stats.updated, stats.unchanged) == (0, 0, len(SPECS))
    assert count(db, "items") == sum(len(s.items) for s in SPECS)


def _retitled(doc, title: str, **source: str):
    item = doc.items[0].model_copy(update={"title": title})
    return doc.model_copy(
        update={
            "items": (item, *doc.items[1:]),
            "source": doc.source.model_copy(update=source),
        }
    )


@pytest.mark.parametrize(
    "source_change",
    [{}, {"sha256": "f" * 64}, {"path": "renamed.pdf"}],
    ids=["same-source", "same-path-new-hash", "same-hash-new-path"],
)
def test_changed_document_replaces_old(
    folder: Path, target: str, source_change: dict
) -> None:
    db = target
    index.build(db, [folder / "json"])
    docs = referater()
    docs[0] = _retitled(docs[0], "Vandløbsregulativ for Hvidkilde Å", **source_change)
    write_json(folder / "json", docs)
    stats = index.build(db, [folder / "json"])
    assert (stats.updated, stats.unchanged) == (1, len(SPECS) - 1)
    assert count(db, "meetings") == len(SPECS)
    assert keys(index.search(db, "vandløbsregulativ")) == ["aabenraa-oeu-2012/1"]
    assert index.search(db, '"godkendelse af dagsorden"') == []


def test_rebuild_starts_over(folder: Path, target: str) -> None:
    db = target
    index.build(db, [folder / "json"])
    one = folder / "json" / "000.json"
    stats = index.build(db, [one], rebuild=True)
    assert (stats.added, count(db, "meetings")) == (1, 1)


def test_bad_file_mid_run_leaves_the_old_index(folder: Path, target: str) -> None:
    db = target
    index.build(db, [folder / "json"])
    docs = referater()
    docs[0] = _retitled(docs[0], "Vandløbsregulativ")
    write_json(folder / "json", docs)  # 000.json changed: would be updated …
    (folder / "json" / "004.json").write_text('{"schema_version": "1", "sour')
    with pytest.raises(CorruptDocument, match=r"004\.json"):
        index.build(db, [folder / "json"])  # … but 004.json fails after it
    assert index.search(db, "vandløbsregulativ") == []
    assert count(db, "meetings") == len(SPECS)
    with pytest.raises(CorruptDocument):
        index.build(db, [folder / "json"], rebuild=True)
    assert count(db, "meetings") == len(SPECS)


def test_keep_going_skips_bad_files(folder: Path, target: str) -> None:
    (folder / "json" / "bad.json").write_text('{"meeting": {}}')
    stats = index.build(target, [folder / "json"], keep_going=True)
    assert stats.added == len(SPECS)
    assert len(stats.errors) == 1
    assert "bad.json" in stats.errors[0]
    assert "not a referat" in stats.errors[0]


def test_jsonl_shards_and_stdin(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = referater()
    shard = tmp_path / "part-1.jsonl"
    shard.write_text("".join(d.to_json(indent=None) + "\n" for d in docs[:3]))
    monkeypatch.setattr(
        "sys.stdin", _Stdin("\n".join(d.to_json(None) for d in docs[3:]))
    )
    stats = index.build(target, [shard, "-"])
    assert (stats.added, count(target, "meetings")) == (len(docs), len(docs))


class _Stdin:
    def __init__(self, text: str) -> None:
        self.text = text

    def read(self) -> str:
        return self.text


def test_labels_name_the_line_of_a_bad_jsonl_record(tmp_path: Path) -> None:
    shard = tmp_path / "part.jsonl"
    shard.write_text(referater()[0].to_json(indent=None) + "\n{oops}\n")
    with pytest.raises(CorruptDocument, match=r"part\.jsonl:2: corrupt"):
        index.build(tmp_path / "r.db", [shard])


def test_underscore_files_in_folders_are_run_logs(folder: Path) -> None:
    (folder / "json" / "_errors.jsonl").write_text('{"file": "x.pdf"}\n')
    assert index.build(folder / "r.db", [folder / "json"]).added == len(SPECS)


def test_missing_input_and_missing_index(tmp_path: Path) -> None:
    with pytest.raises(MissingFile):
        index.build(tmp_path / "r.db", [tmp_path / "nope"])
    assert not (tmp_path / "r.db").exists()
    with pytest.raises(SearchError, match="no index here"):
        index.search(tmp_path / "r.db", "budget")


def test_other_sqlite_files_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE meetings (x)")
    with pytest.raises(SearchError, match="not a referat-nlp index"):
        index.build(db, [])


def test_old_schema_asks_for_rebuild(folder: Path) -> None:
    db = folder / "r.db"
    index.build(db, [folder / "json"])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE index_info SET value = '0' WHERE key = 'schema'")
    with pytest.raises(SearchError, match="--rebuild"):
        index.build(db, [folder / "json"])
    assert index.build(db, [folder / "json"], rebuild=True).added == len(SPECS)


def test_fts_holds_the_stemmed_shadow_text(folder: Path) -> None:
    db = folder / "r.db"
    index.build(db, [folder / "json"])
    with sqlite3.connect(db) as conn:
        title = conn.execute(
            "SELECT f.title FROM items_fts f JOIN items i ON i.id = f.rowid"
            " WHERE i.title LIKE 'Anlægsbevilling%' LIMIT 1"
        ).fetchone()[0]
    assert title == "anlægsbevilling renovering åbenrå svømmehal"


# --- pieces ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fts5", "tsquery"),
    [
        ("godkendte", '"godkend"', "('godkendte')"),
        ('"kommunal indkøbsaftale"', '"kommunal indkøbsaftal"', None),
        ("skole OR dagtilbud", '("skol" OR "dagtilbud")', None),
        ("budget -anlæg", '("budg") NOT "anlæg"', "(('budget') & !('anlæg'))"),
        ("skole*", '"skol"*', "('skole':*)"),
        ("18/18284", '"18 18284"', "('18' <-> '18284')"),
        ("Aabenraa og el-biler", '("åbenrå" AND "elbil")', None),
    ],
)
def test_query_rendering(text: str, fts5: str, tsquery: str | None) -> None:
    node = q.parse(text)
    assert node is not None
    assert q.to_fts5(node) == fts5
    if tsquery is not None:
        assert q.to_tsquery(node) == tsquery


@pytest.mark.parametrize(
    ("words", "marked"),
    [("indkøbsaftaler", "indkøbsaftaler"), ("aftaler*", "Aftalerne"), ("mio", "mio")],
)
def test_snippet_marks_matches_in_the_original_text(words: str, marked: str) -> None:
    text = build(SPECS[0]).items[1].sections[0].text
    snippet = q.snippet([text], q.positive_terms(q.parse(words)), size=6)
    assert f"**{marked}**" in snippet
    assert snippet.startswith("… ")  # the window does not start at the first word


def test_snippet_prefers_the_passage_with_most_terms() -> None:
    texts = ["Budget for daginstitutionen.", "Skolens budget og skolebussen."]
    snippet = q.snippet(texts, q.positive_terms(q.parse("skole budget")))
    assert snippet == "**Skolens** **budget** og skolebussen."


def _imports(module: str) -> set[str]:
    tree = ast.parse((ROOT / "referat_nlp" / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "referat_nlp":
            found |= {f"referat_nlp.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return {name for name in found if name.startswith("referat_nlp")}


@pytest.mark.parametrize(
    "module", ["index", "index_sqlite", "index_pg", "query", "stemming", "export_es"]
)
def test_search_side_reads_only_the_json_contract(module: str) -> None:
    """The index is built from JSON, never from parser internals."""
    allowed = {
        "document",
        "errors",
        "index",
        "index_pg",
        "index_sqlite",
        "query",
        "stemming",
    }
    assert _imports(module) <= {f"referat_nlp.{name}" for name in allowed}


# --- Datasette --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, tries: int = 60) -> str:
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"no answer from {url}")


def test_datasette_serves_a_search_page(folder: Path) -> None:
    pytest.importorskip("datasette", reason="datasette is not installed (extra)")
    db = folder / "referater.db"
    index.build(db, [folder / "json"])
    plugins = folder / "plugins"
    plugins.mkdir()  # the entry point only exists once the package is installed
    (plugins / "referat.py").write_text(
        "from referat_nlp.datasette_plugin import prepare_connection  # noqa\n"
    )
    port = _free_port()
    metadata = ROOT / "referat_nlp" / "data" / "datasette-metadata.json"
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata",
               str(metadata), "--plugins-dir", str(plugins), "-h", "127.0.0.1",
               "-p", str(port)]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        term = urllib.parse.quote("godkendte indkøbsaftaler")
        page = _get(f"http://127.0.0.1:{port}/referater/search?q={term}")
        rows = json.loads(
            _get(f"http://127.0.0.1:{port}/referater/search.json?q={term}&_shape=array")
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Fælleskommunale indkøbsaftaler 2012-2014" in page
    assert [r["title"] for r in rows][:1] == [
        "Fælleskommunale indkøbsaftaler 2012-2014"
    ]
