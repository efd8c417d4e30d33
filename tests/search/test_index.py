"""The search index: the search suite on both back ends, then SQLite-only behaviour.

The suite (``test_search_*``, ``test_relevance``) runs once against SQLite and once
against a real PostgreSQL server; the PostgreSQL runs skip when REFERAT_TEST_PG is
not set (CI sets it with ``.ci/postgres.sh``).
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from referat_nlp.document import Meeting, Referat, Source
from referat_nlp.errors import CorruptDocument, MissingFile, SearchError
from referat_nlp.pipeline import NEEDS_REVIEW, parse
from referat_nlp.search import index, postgres, sqlite, stemming
from referat_nlp.search import query as q
from referat_nlp.search.index import IndexStats
from referat_nlp.search.store import Ids, Store, document_rows
from referat_nlp.search.tables import INDEX_SCHEMA_VERSION, TABLE_COLUMNS
from tests import search_fixtures
from tests.search_fixtures import (
    PG_SKIP,
    SPECS,
    build,
    key_of,
    pg_dsn,
    referater,
    write_json,
)

ROOT = Path(__file__).resolve().parents[2]
json_folder = search_fixtures.json_folder  # the shared fixture, used by name


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


def keys(hits: Iterable[index.Hit]) -> list[str]:
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
    assert hit.attachment is None


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


# --- bilag that no item lists (Referat.attachments), on both back ends -----------

# The Faxe referat's meeting-level bilag; only its text has the word "fjernvarme".
BILAG = "Varmeplan.pdf"
N_BILAG = sum(len(s.bilag) for s in SPECS)


def test_search_finds_a_bilag_no_item_lists(db: str) -> None:
    hits = index.search(db, "fjernvarmen")
    assert [h.attachment for h in hits] == [BILAG]
    hit = hits[0]
    assert (hit.item_id, hit.item_number, hit.item_title) == (None, "", "")
    assert (hit.municipality, hit.body, hit.date) == (
        "Faxe",
        "Teknik- og Miljøudvalget",
        "2019-06-26",
    )
    assert (hit.decision_label, hit.decision_text, hit.page) == (None, None, None)
    assert (hit.source_path, hit.case_numbers) == ("faxe-tmu-2019.pdf", ())
    assert hit.sha256 == build(SPECS[2]).source.sha256
    assert "naturgas til **fjernvarme** i Haslev" in hit.snippet
    assert hit.score > 0
    assert hit.to_dict()["attachment"] == BILAG


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"body": "miljø"}, True),
        ({"municipality": "faxe", "date_from": "2019-06", "date_to": "2019"}, True),
        ({"body": "byråd"}, False),
        ({"municipality": "aalborg"}, False),
        ({"date_from": "2020"}, False),
        ({"date_to": "2019-05"}, False),
        ({"decision": "godkendt"}, False),
        ({"decision": "ingen"}, False),  # a NOT EXISTS test: bilag must not pass it
        ({"min_amount": 0}, False),
        ({"max_amount": 1e12}, False),
        ({"case": "19/8812"}, False),
    ],
)
def test_meeting_filters_keep_bilag_and_item_filters_drop_them(
    db: str, filters: dict, found: bool
) -> None:
    hits = index.search(db, "fjernvarme", **filters)
    assert [h.attachment for h in hits] == ([BILAG] if found else [])


def test_bilag_and_items_are_ranked_together(db: str) -> None:
    hits = index.search(db, "fjernvarme OR vindmølle OR affaldssortering")
    assert sorted(keys(h for h in hits if h.attachment is None)) == [
        "faxe-tmu-2019/2",
        "faxe-tmu-2019/4",
    ]
    assert [h.attachment for h in hits].count(BILAG) == 1
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_empty_query_lists_items_only(db: str) -> None:
    hits = index.search(db, "", municipality="faxe")
    assert sorted(keys(hits)) == [f"faxe-tmu-2019/{n}" for n in range(1, 5)]
    assert {h.attachment for h in hits} == {None}


# --- building and updating, on both back ends ------------------------------------


def sql(db: str, statement: str) -> list[tuple]:
    """Run one statement on either back end (committed); its rows, if any."""
    if index.is_postgres(db):
        import psycopg

        with psycopg.connect(db) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []
    with closing(sqlite3.connect(db)) as conn, conn:
        return conn.execute(statement).fetchall()


def count(db: str, table: str) -> int:
    return sql(db, f"SELECT count(*) FROM {table}")[0][0]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index location on each back end."""
    if request.param == "sqlite":
        return str(tmp_path / "r.db")
    return pg_dsn("test_build") or pytest.skip(PG_SKIP)


def test_build_tables_a_person_can_read(json_folder: Path, target: str) -> None:
    db = target
    stats = index.build(db, [json_folder / "json"])
    n_items = sum(len(s.items) for s in SPECS)
    assert (stats.added, stats.items, stats.bilag) == (len(SPECS), n_items, N_BILAG)
    expected = {
        "meetings": len(SPECS),
        "items": n_items,
        "items_fts": n_items + N_BILAG,
        "decisions": sum(1 for s in SPECS for i in s.items if i.label is not None),
        "amounts": sum(len(i.amounts) for s in SPECS for i in s.items),
        "case_numbers": sum(len(i.cases) for s in SPECS for i in s.items),
        "attachments": sum(len(i.attachments) for s in SPECS for i in s.items)
        + N_BILAG,
        "item_overview": n_items,
    }
    assert {table: count(db, table) for table in expected} == expected
    meeting_level = "SELECT title, file FROM attachments WHERE item_id IS NULL"
    assert sql(db, meeting_level) == [("Varmeplan", BILAG)]


def test_reindex_same_documents_changes_nothing(json_folder: Path, target: str) -> None:
    db = target
    index.build(db, [json_folder / "json"])
    stats = index.build(db, [json_folder / "json"])
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


# How a re-parsed document can differ from the indexed one and still replace it.
SOURCE_CHANGES = pytest.mark.parametrize(
    "source_change",
    [{}, {"sha256": "f" * 64}, {"path": "renamed.pdf"}],
    ids=["same-source", "same-path-new-hash", "same-hash-new-path"],
)
ROW_TABLES = ("meetings", "items", "attachments", "items_fts")


def row_counts(db: str) -> dict[str, int]:
    return {table: count(db, table) for table in ROW_TABLES}


def reindex_with(db: str, folder: Path, position: int, doc: Referat) -> IndexStats:
    """Index the fixture referater, then again with the one at ``position``
    replaced by ``doc``: a replacement, so no table may gain or lose rows."""
    index.build(db, [folder / "json"])
    before = row_counts(db)
    docs = referater()
    docs[position] = doc
    write_json(folder / "json", docs)
    stats = index.build(db, [folder / "json"])
    assert row_counts(db) == before
    return stats


@SOURCE_CHANGES
def test_changed_document_replaces_old(
    json_folder: Path, target: str, source_change: dict
) -> None:
    doc = _retitled(
        referater()[0], "Vandløbsregulativ for Hvidkilde Å", **source_change
    )
    stats = reindex_with(target, json_folder, 0, doc)
    assert (stats.updated, stats.unchanged) == (1, len(SPECS) - 1)
    assert keys(index.search(target, "vandløbsregulativ")) == ["aabenraa-oeu-2012/1"]
    assert index.search(target, '"godkendelse af dagsorden"') == []


@SOURCE_CHANGES
def test_changed_bilag_replaces_its_rows(
    json_folder: Path, target: str, source_change: dict
) -> None:
    faxe = referater()[2]
    bilag = faxe.attachments[0].model_copy(
        update={"text": "Solvarmeanlægget ved Haslev udvides med 4.000 m2."}
    )
    doc = faxe.model_copy(
        update={
            "attachments": (bilag,),
            "source": faxe.source.model_copy(update=source_change),
        }
    )
    assert reindex_with(target, json_folder, 2, doc).updated == 1
    assert index.search(target, "fjernvarme") == []
    assert [h.attachment for h in index.search(target, "solvarmeanlægget")] == [BILAG]


# --- a referat in which no item was found (batch writes it, needs_review) ---------

# Its text has words no fixture item has ("vandløbsregulativ", "Tude Å").
NO_ITEMS_TEXT = (
    "Referat af møde i Landdistriktsrådet\n"
    "Rådet drøftede forslaget til nyt vandløbsregulativ for Tude Å og bad om en\n"
    "orientering om grødeskæringen på næste møde.\n"
)


def _without_items() -> Referat:
    return Referat(
        source=Source(
            path="slagelse-ldr-2022.pdf", format="pdf", pages=1,
            sha256=hashlib.sha256(NO_ITEMS_TEXT.encode()).hexdigest(),
        ),
        meeting=Meeting(
            municipality="Slagelse", body="Landdistriktsrådet", date="2022-05-10"
        ),
        text=NO_ITEMS_TEXT,
        warnings=(NEEDS_REVIEW,),
    )  # fmt: skip


@pytest.fixture
def with_unitless(json_folder: Path) -> Path:
    """The fixture referater and, after them, one in which no item was found."""
    write_json(json_folder / "json", [*referater(), _without_items()])
    return json_folder


def test_referat_without_items_is_found_by_its_text(
    with_unitless: Path, target: str
) -> None:
    stats = index.build(target, [with_unitless / "json"])
    assert stats.added == len(SPECS) + 1
    (hit,) = index.search(target, "vandløbsregulativet")
    assert hit.whole_document and hit.attachment is None
    assert (hit.item_id, hit.item_number, hit.item_title, hit.page) == (
        None, "", "", None,
    )  # fmt: skip
    assert (hit.municipality, hit.body, hit.date, hit.source_path) == (
        "Slagelse", "Landdistriktsrådet", "2022-05-10", "slagelse-ldr-2022.pdf",
    )  # fmt: skip
    assert "nyt **vandløbsregulativ** for Tude Å" in hit.snippet
    assert hit.score > 0
    # the other units keep their ids: the bilag and the items are found as before
    assert [h.attachment for h in index.search(target, "fjernvarme")] == [BILAG]
    assert count(target, "items_fts") == sum(len(s.items) for s in SPECS) + N_BILAG + 1


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"municipality": "slagelse", "date_from": "2022"}, True),
        ({"body": "landdistrikt"}, True),
        ({"municipality": "faxe"}, False),
        ({"decision": "ingen"}, False),
        ({"case": "19/8812"}, False),
    ],
)
def test_meeting_filters_keep_a_whole_document_and_item_filters_drop_it(
    with_unitless: Path, filters: dict, found: bool
) -> None:
    db = str(with_unitless / "r.db")
    index.build(db, [with_unitless / "json"])
    hits = index.search(db, "grødeskæring", **filters)
    assert [h.whole_document for h in hits] == ([True] if found else [])
    assert index.search(db, "", municipality="slagelse") == []


def test_whole_document_units_are_replaced_and_deleted(
    with_unitless: Path, target: str
) -> None:
    index.build(target, [with_unitless / "json"])
    before = row_counts(target)
    stats = index.build(target, [with_unitless / "json"])
    assert (stats.added, stats.unchanged, row_counts(target)) == (
        0, len(SPECS) + 1, before,
    )  # fmt: skip
    ((mid,),) = sql(target, "SELECT id FROM meetings WHERE municipality = 'Slagelse'")
    with store(target) as slagelse:
        slagelse.delete([mid])
    assert row_counts(target) == {
        **before, "meetings": before["meetings"] - 1,
        "items_fts": before["items_fts"] - 1,
    }  # fmt: skip
    assert index.search(target, "vandløbsregulativ") == []
    # ids of later bilag do not meet the freed unit id
    index.build(target, [with_unitless / "json"])
    assert len(index.search(target, "vandløbsregulativ OR fjernvarme")) == 2


@contextmanager
def store(db: str) -> Iterator[Store]:
    """The back end's store on ``db``, committed on leaving."""
    if index.is_postgres(db):
        with postgres.connect(db) as conn:
            yield postgres.PgStore(conn)
        return
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        yield sqlite.SqliteStore(conn)


def test_deleting_a_meeting_deletes_its_bilag(json_folder: Path, target: str) -> None:
    db = target
    index.build(db, [json_folder / "json"])
    ((mid,),) = sql(db, "SELECT id FROM meetings WHERE municipality = 'Faxe'")
    before = row_counts(db)
    with store(db) as faxe:
        faxe.delete([mid])
    faxe_rows = {"meetings": 1, "items": 4, "attachments": 1, "items_fts": 4 + 1}
    assert row_counts(db) == {t: before[t] - faxe_rows[t] for t in ROW_TABLES}
    assert sql(db, f"SELECT id FROM attachments WHERE meeting_id = {mid}") == []
    assert index.search(db, "fjernvarme OR vindmølle") == []


def test_rebuild_starts_over(json_folder: Path, target: str) -> None:
    db = target
    index.build(db, [json_folder / "json"])
    one = json_folder / "json" / "000.json"
    stats = index.build(db, [one], rebuild=True)
    assert (stats.added, count(db, "meetings")) == (1, 1)


def test_bad_file_mid_run_leaves_the_old_index(json_folder: Path, target: str) -> None:
    db = target
    index.build(db, [json_folder / "json"])
    docs = referater()
    docs[0] = _retitled(docs[0], "Vandløbsregulativ")
    write_json(json_folder / "json", docs)  # 000.json changed: would be updated …
    (json_folder / "json" / "004.json").write_text('{"schema_version": "1", "sour')
    with pytest.raises(CorruptDocument, match=r"004\.json"):
        index.build(db, [json_folder / "json"])  # … but 004.json fails after it
    assert index.search(db, "vandløbsregulativ") == []
    assert count(db, "meetings") == len(SPECS)
    with pytest.raises(CorruptDocument):
        index.build(db, [json_folder / "json"], rebuild=True)
    assert count(db, "meetings") == len(SPECS)


def test_keep_going_skips_bad_files(json_folder: Path, target: str) -> None:
    (json_folder / "json" / "bad.json").write_text('{"meeting": {}}')
    stats = index.build(target, [json_folder / "json"], keep_going=True)
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


def test_underscore_files_in_folders_are_run_logs(json_folder: Path) -> None:
    (json_folder / "json" / "_errors.jsonl").write_text('{"file": "x.pdf"}\n')
    assert index.build(json_folder / "r.db", [json_folder / "json"]).added == len(SPECS)


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


def test_old_schema_asks_for_rebuild(json_folder: Path, target: str) -> None:
    """An index written with an older schema (here 1, before meeting-level bilag)
    is refused by both build and search until it is rebuilt."""
    db = target
    index.build(db, [json_folder / "json"])
    sql(db, "UPDATE index_info SET value = '1' WHERE key = 'schema'")
    now = INDEX_SCHEMA_VERSION
    message = rf"index schema 1 is old \(now {now}\); run 'referat-nlp index' again"
    with pytest.raises(SearchError, match=f"{message} with --rebuild"):
        index.build(db, [json_folder / "json"])
    with pytest.raises(SearchError, match=message):
        index.search(db, "fjernvarme")
    assert index.build(db, [json_folder / "json"], rebuild=True).added == len(SPECS)
    assert [h.attachment for h in index.search(db, "fjernvarme")] == [BILAG]


def test_fts_holds_the_stemmed_shadow_text(json_folder: Path) -> None:
    db = str(json_folder / "r.db")
    index.build(db, [json_folder / "json"])
    titles = sql(
        db, "SELECT f.title FROM items_fts f JOIN items i ON i.id = f.rowid"
        " WHERE i.title LIKE 'Anlægsbevilling%' LIMIT 1",
    )  # fmt: skip
    assert titles == [("anlægsbevilling renovering åbenrå svømmehal",)]


def test_fts_row_of_a_bilag_has_minus_its_attachment_id(json_folder: Path) -> None:
    db = str(json_folder / "r.db")
    index.build(db, [json_folder / "json"])
    ((aid, text),) = sql(db, "SELECT id, text FROM attachments WHERE item_id IS NULL")
    rows = sql(
        db, f"SELECT title, decision, text, attachments FROM items_fts"
        f" WHERE rowid = {-aid}",
    )  # fmt: skip
    assert rows == [("varmeplan", "", "", stemming.shadow(text))]


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


DATASETTE_METADATA = ROOT / "referat_nlp" / "data" / "datasette-metadata.json"


def _canned_search(db: Path, words: str) -> list[sqlite3.Row]:
    """Run Datasette's canned ``search`` query as Datasette would, plugin included."""
    from referat_nlp.search.datasette import prepare_connection

    metadata = json.loads(DATASETTE_METADATA.read_text(encoding="utf-8"))
    sql = metadata["databases"]["referater"]["queries"]["search"]["sql"]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    prepare_connection(conn)
    try:
        return conn.execute(sql, {"q": words}).fetchall()
    finally:
        conn.close()


def test_datasette_search_ranks_like_the_index(json_folder: Path) -> None:
    """The canned query uses the index's BM25 weights and finds meeting-level bilag."""
    pytest.importorskip("datasette", reason="datasette is not installed (extra)")
    db = json_folder / "referater.db"
    index.build(db, [json_folder / "json"])
    for words in ("godkendte", "fjernvarme", "indkøbsaftaler"):
        rows = _canned_search(db, words)
        hits = index.search(db, words)
        assert [(r["id"], r["bilag"]) for r in rows] == [
            (h.item_id, h.attachment) for h in hits
        ]
        assert [r["score"] for r in rows] == [round(h.score, 3) for h in hits]
    [bilag] = _canned_search(db, "fjernvarme")
    assert (bilag["bilag"], bilag["title"]) == ("Varmeplan.pdf", "Varmeplan")
    assert "**fjernvarme**" in bilag["snippet"].lower()


def test_datasette_serves_a_search_page(json_folder: Path) -> None:
    pytest.importorskip("datasette", reason="datasette is not installed (extra)")
    db = json_folder / "referater.db"
    index.build(db, [json_folder / "json"])
    plugins = json_folder / "plugins"
    plugins.mkdir()  # the entry point only exists once the package is installed
    (plugins / "referat.py").write_text(
        "from referat_nlp.search.datasette import prepare_connection  # noqa\n"
    )
    port = _free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata",
               str(DATASETTE_METADATA), "--plugins-dir", str(plugins),
               "-h", "127.0.0.1", "-p", str(port)]  # fmt: skip
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


# --- rows keyed by column name -------------------------------------------------------


@pytest.mark.parametrize("name", ["004.txt", "017.pdf", "031.docx"])
def test_row_keys_are_the_schema_columns(name: str) -> None:
    """Every row the index builds names exactly its table's columns, and every table
    gets rows from a corpus referat (a missing or misspelled column fails here, not
    as a value in the wrong column)."""
    rows = document_rows("x.json", parse(ROOT / "corpus" / name), Ids(1, 1, 1))
    assert set(rows.tables) == set(TABLE_COLUMNS)
    for table, table_rows in rows.tables.items():
        for row in table_rows:
            assert tuple(row) == TABLE_COLUMNS[table], table
    filled = {table for table, table_rows in rows.tables.items() if table_rows}
    assert filled >= {"meetings", "items", "sections", "decisions", "case_numbers"}


def test_a_minute_book_is_indexed_as_its_meetings(tmp_path: Path, target: str) -> None:
    """Each meeting of a minute book (corpus/032: three parish council meetings)
    is a meetings row, and an item is found with its own meeting's date."""
    book = parse(ROOT / "corpus" / "032.txt")
    write_json(tmp_path / "json", [book])
    index.build(target, [tmp_path / "json"])
    assert count(target, "meetings") == 3
    assert sorted(sql(target, "SELECT date, item_count FROM meetings")) == [
        ("1938-03-03", 4), ("1938-04-07", 3), ("1938-05-12", 4),
    ]  # fmt: skip
    (hit,) = index.search(target, "Kakkelovn")
    assert (hit.date, hit.item_number, hit.body) == ("1938-04-07", "2", "Sognerådet")
    dated = index.search(target, "Skytteforening", date_from="1938-05-01")
    assert [(h.date, h.item_number) for h in dated] == [("1938-05-12", "1")]
    stats = index.build(target, [tmp_path / "json"])
    assert (stats.added, stats.updated, stats.unchanged) == (0, 0, 1)
    assert count(target, "meetings") == 3
