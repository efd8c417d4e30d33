"""Loaders: JSON folder, JSONL shard, SQLite index and parquet give the same frames.

The bar of issue 6: JSON → frames → parquet → frames without loss, stable keys,
categorical labels and bodies, dates as datetimes.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from referat_nlp.analysis import frames
from referat_nlp.analysis.frames import meeting_key
from referat_nlp.document import DecisionLabel, Referat
from referat_nlp.errors import CorruptDocument, MissingFile, SearchError
from referat_nlp.export import write_json
from referat_nlp.search import index
from tests.frames_fixtures import CORPUS, corpus_json, sample_referat

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def json_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_json(tmp_path_factory)


@pytest.fixture(scope="module")
def corpus(json_dir: Path) -> frames.Frames:
    return frames.load(json_dir)


@pytest.fixture(scope="module")
def sample() -> frames.Frames:
    return frames.from_referats([sample_referat()])


def referats(folder: Path) -> list[Referat]:
    return [Referat.from_json(p.read_text()) for p in sorted(folder.glob("*.json"))]


def assert_same(a: frames.Frames, b: frames.Frames) -> None:
    for name, table in a.tables().items():
        pd.testing.assert_frame_equal(table, getattr(b, name), obj=name)


def test_tables_have_the_schema_columns_and_dtypes(corpus: frames.Frames) -> None:
    for name, table in corpus.tables().items():
        assert list(table.columns) == list(frames.SCHEMA[name]), name
    assert corpus.meetings["date"].dtype == "datetime64[us]"
    assert isinstance(corpus.meetings["body"].dtype, pd.CategoricalDtype)
    assert isinstance(corpus.meetings["municipality"].dtype, pd.CategoricalDtype)
    labels = corpus.decisions["label"].cat.categories
    assert list(labels) == [label.value for label in DecisionLabel]


def test_empty_input_gives_typed_empty_tables() -> None:
    empty = frames.from_referats([])
    for name, table in empty.tables().items():
        assert table.empty, name
        assert list(table.columns) == list(frames.SCHEMA[name])
    assert empty.decisions["label"].dtype == frames.LABELS


@pytest.mark.parametrize(
    ("table", "column", "row", "expected"),
    [
        ("meetings", "date", 0, pd.Timestamp("2020-02-03")),
        ("meetings", "municipality", 0, "Favrskov"),
        ("meetings", "n_items", 0, 2),
        ("meetings", "pages", 0, 4),
        ("meetings", "warnings", 0, "table of contents lists 3 items, 2 were found"),
        ("items", "first_page", 0, 2),
        ("items", "last_page", 0, 3),
        ("items", "open", 0, True),
        ("decisions", "label", 0, "anbefalet"),
        ("decisions", "confidence", 0, 0.9),
        ("amounts", "value_dkk", 0, 12_500_000.0),
        ("amounts", "value_max", 1, 3_000_000.0),
        ("amounts", "currency", 2, "EUR"),
        ("amounts", "vat", 2, "ekskl"),
        ("amounts", "approximate", 2, True),
        ("case_numbers", "kind", 0, "case"),
        ("case_numbers", "number", 0, "Sagsnr.: 20/ 1234"),
        ("case_numbers", "key", 0, "20/1234"),
        ("case_numbers", "kind", 1, "doc"),
        ("attachments", "text", 0, "Facade mod vest"),
        ("attachments", "title", 1, "Trafiktælling Vestergade"),
        ("attachments", "file", 1, "bilag/trafiktaelling-vestergade.pdf"),
        ("attachments", "position", 1, 0),
        ("participants", "name", 0, "Anne Holm (A)"),
        ("participants", "party", 0, "A"),
        ("participants", "status", 3, "absent"),
        ("participants", "party", 3, "V"),
    ],
)
def test_values(
    sample: frames.Frames, table: str, column: str, row: int, expected: object
) -> None:
    assert getattr(sample, table)[column].iloc[row] == expected


@pytest.mark.parametrize(
    ("table", "column", "row"),
    [
        ("items", "open", 1),
        ("items", "first_page", 1),
        ("decisions", "label", 1),
        ("amounts", "value_dkk", 2),
        ("participants", "party", 2),
        ("meetings", "end_time", 0),
        ("attachments", "item_id", 1),  # a bilag that no item lists
    ],
)
def test_missing_values_stay_missing(
    sample: frames.Frames, table: str, column: str, row: int
) -> None:
    assert pd.isna(getattr(sample, table)[column].iloc[row])


def test_keys_are_stable_and_join(sample: frames.Frames) -> None:
    sha = sample_referat().source.sha256
    assert sample.meetings["meeting_id"].tolist() == [sha[:16]]
    assert sample.items["item_id"].tolist() == [f"{sha[:16]}-000", f"{sha[:16]}-001"]
    assert frames.from_referats([sample_referat()]).items.equals(sample.items)
    for table in (sample.decisions, sample.amounts, sample.case_numbers):
        assert table["item_id"].isin(sample.items["item_id"]).all()
    assert sample.attachments["meeting_id"].tolist() == [sha[:16]] * 2
    assert sample.attachments["item_id"].iloc[0] == f"{sha[:16]}-000"


def test_nothing_is_dropped(json_dir: Path, corpus: frames.Frames) -> None:
    docs = referats(json_dir)
    items = [item for doc in docs for item in doc.items]
    texts = list(CORPUS.glob("[0-9][0-9][0-9].txt"))  # one JSON per corpus text
    assert len(docs) == len(texts) >= 21
    assert len(corpus.meetings) == sum(len(d.meetings) for d in docs) > len(docs)
    assert len(corpus.items) == len(items)
    assert len(corpus.decisions) == sum(i.decision is not None for i in items)
    assert len(corpus.amounts) == sum(len(i.amounts) for i in items)
    numbers = sum(len(i.case_numbers) + len(i.doc_numbers) for i in items)
    assert len(corpus.case_numbers) == numbers
    bilag = sum(len(i.attachments) for i in items)
    bilag += sum(len(d.attachments) for d in docs)
    assert len(corpus.attachments) == bilag
    people = sum(len(m.participants) + len(m.absent) for d in docs for m in d.meetings)
    assert len(corpus.participants) == people


def test_a_minute_book_gives_a_row_per_meeting(corpus: frames.Frames) -> None:
    """032 holds three meetings: rows "<sha>", "<sha>.1", "<sha>.2", and each item
    joins its own meeting, while item ids keep the source key and position."""
    book = corpus.meetings[corpus.meetings["municipality"] == "Sønder Omme"]
    source = book["meeting_id"].iloc[0]
    assert book["meeting_id"].tolist() == [source, f"{source}.1", f"{source}.2"]
    assert book["n_items"].tolist() == [4, 3, 4]
    items = corpus.items[corpus.items["item_id"].str.startswith(source)]
    assert items["meeting_id"].value_counts().sort_index().tolist() == [4, 3, 4]
    assert items["item_id"].tolist() == [f"{source}-{n:03d}" for n in range(11)]


def test_meetings_are_in_time_order(corpus: frames.Frames) -> None:
    assert corpus.meetings["date"].is_monotonic_increasing
    rank = {mid: n for n, mid in enumerate(corpus.meetings["meeting_id"])}
    ranks = corpus.items["meeting_id"].map(rank)
    order = list(zip(ranks, corpus.items["position"], strict=True))
    assert order == sorted(order)


def test_parquet_round_trip_is_lossless(
    corpus: frames.Frames, sample: frames.Frames, tmp_path: Path
) -> None:
    for name, loaded in (("corpus", corpus), ("sample", sample)):
        folder = loaded.to_parquet(tmp_path / name)
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"{table}.parquet" for table in frames.SCHEMA
        )
        assert_same(loaded, frames.load(folder))


def test_jsonl_shard_equals_json_folder(
    json_dir: Path, corpus: frames.Frames, tmp_path: Path
) -> None:
    shard = tmp_path / "shard.jsonl"
    lines = [doc.to_json(indent=None) for doc in referats(json_dir)]
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_same(corpus, frames.load(shard))


def test_sqlite_index_equals_json_folder(
    json_dir: Path, corpus: frames.Frames, tmp_path: Path
) -> None:
    db = tmp_path / "referater.db"
    index.build(db, [json_dir])
    assert_same(corpus, frames.load(db))


def test_sqlite_index_keeps_sample_details(tmp_path: Path) -> None:
    write_json(sample_referat(), tmp_path / "json" / "sample.json")
    index.build(tmp_path / "index.db", [tmp_path / "json"])
    assert_same(frames.load(tmp_path / "json"), frames.load(tmp_path / "index.db"))


def test_an_old_index_asks_for_a_rebuild(tmp_path: Path) -> None:
    write_json(sample_referat(), tmp_path / "json" / "sample.json")
    db = tmp_path / "index.db"
    index.build(db, [tmp_path / "json"])
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE index_info SET value = '1' WHERE key = 'schema'")
    with pytest.raises(SearchError, match=r"index schema 1 is old.*--rebuild"):
        frames.load(db)


def test_same_source_twice_is_one_meeting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("a", "b"):
        write_json(sample_referat(), tmp_path / f"{name}.json")
    write_json(sample_referat("other"), tmp_path / "c.json")
    with caplog.at_level(logging.WARNING, logger="referat_nlp.analysis.frames"):
        loaded = frames.load(tmp_path)
    assert len(loaded.meetings) == 2
    assert len(loaded.items) == 4
    assert "same source" in caplog.text


def test_bad_document_raises_or_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_json(sample_referat(), tmp_path / "good.json")
    (tmp_path / "bad.json").write_text(json.dumps({"items": []}), encoding="utf-8")
    with pytest.raises(CorruptDocument, match=r"bad\.json"):
        frames.load(tmp_path)
    with caplog.at_level(logging.WARNING, logger="referat_nlp.analysis.frames"):
        loaded = frames.load(tmp_path, keep_going=True)
    assert len(loaded.meetings) == 1
    assert "bad.json" in caplog.text


def test_run_logs_are_not_read(tmp_path: Path) -> None:
    write_json(sample_referat(), tmp_path / "good.json")
    (tmp_path / "_errors.jsonl").write_text('{"path": "x.pdf"}\n', encoding="utf-8")
    assert len(frames.load(tmp_path).meetings) == 1


@pytest.mark.parametrize("name", ["missing", "missing.json", "missing.db"])
def test_missing_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(MissingFile):
        frames.load(tmp_path / name)


def test_not_an_index(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(CorruptDocument, match="not a referat-nlp index"):
        frames.load(db)


def test_overview(sample: frames.Frames, corpus: frames.Frames) -> None:
    view = sample.overview()
    assert view["body"].tolist() == ["Teknik- og Miljøudvalget"] * 2
    assert view["year"].tolist() == [2020, 2020]
    assert view["case_numbers"].iloc[0] == "Sagsnr.: 20/ 1234"  # doc numbers left out
    assert view["max_amount_dkk"].iloc[0] == 12_500_000.0
    assert pd.isna(view["label"].iloc[1])  # a decision without a label
    full = corpus.overview()
    assert len(full) == len(corpus.items)
    without = ~full["item_id"].isin(corpus.decisions["item_id"])
    assert without.any()
    assert (full.loc[without, "label"] == "ingen").all()


def test_bilag_of_the_meeting_follow_its_items_bilag(tmp_path: Path) -> None:
    """Every source gives a meeting's bilag in one order: its items' bilag in item
    order, then those no item lists, each group by position."""
    early = sample_referat("early")
    late = sample_referat("late")
    late = late.model_copy(
        update={
            "meetings": (late.meeting.model_copy(update={"date": "2021-05-05"}),),
            "source": late.source.model_copy(update={"path": "samples/late.pdf"}),
        }
    )
    write_json(late, tmp_path / "json" / "late.json")
    write_json(early, tmp_path / "json" / "early.json")
    index.build(tmp_path / "index.db", [tmp_path / "json"])
    expected = [
        (meeting_key(doc.source.sha256), item)
        for doc in (early, late)
        for item in (f"{meeting_key(doc.source.sha256)}-000", None)
    ]
    for source in (tmp_path / "json", tmp_path / "index.db"):
        bilag = frames.load(source).attachments
        got = [
            (mid, None if pd.isna(iid) else iid)
            for mid, iid in zip(bilag["meeting_id"], bilag["item_id"], strict=True)
        ]
        assert got == expected, source


def test_repr_counts(sample: frames.Frames) -> None:
    assert repr(sample) == (
        "Frames(meetings=1, items=2, decisions=2, amounts=3, case_numbers=2,"
        " attachments=2, participants=4)"
    )


def test_benchmark_runs_and_stays_small() -> None:
    """A small run of benchmarks/bench_frames.py, so it cannot rot; the 100,000-item
    figures are in the README."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_frames.py"),
            *("--items", "3000", "--parquet", "--json", "--limit-mb", "1024"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["items"] >= 3000
    for name in ("jsonl", "parquet"):
        assert report["loads"][name]["items"] == report["items"]
        assert report["loads"][name]["peak_rss_mb"] < 1024


def test_top_level_names_load_lazily() -> None:
    """``referat_nlp.load`` and ``referat_nlp.case_history`` work, and importing
    the package (as the CLI does) does not import pandas."""
    code = (
        "import sys, referat_nlp, referat_nlp.cli\n"
        "assert 'pandas' not in sys.modules\n"
        "from referat_nlp.analysis import frames, history\n"
        "assert referat_nlp.load is frames.load\n"
        "assert referat_nlp.case_history is history.case_history\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
