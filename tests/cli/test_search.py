"""The index, search and export commands, through the click group."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from referat_nlp.cli import main
from tests import search_fixtures
from tests.search_fixtures import PG_SKIP, SPECS, pg_dsn, referater

json_folder = search_fixtures.json_folder  # the shared fixture, used by name


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, json_folder: Path) -> str:
    """An index of the fixture referater, built through the CLI on each back end."""
    if request.param == "sqlite":
        target = str(json_folder / "referater.db")
    else:
        target = pg_dsn("test_cli") or pytest.skip(PG_SKIP)
    result = run("index", str(json_folder / "json"), "--db", target, "--rebuild")
    assert result.exit_code == 0, result.stderr
    return target


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_index_reports_what_it_did(db: str, json_folder: Path) -> None:
    result = run("index", str(json_folder / "json"), "--db", db)
    assert result.exit_code == 0
    assert f"0 added, 0 updated, {len(SPECS)} unchanged" in result.stderr
    assert result.stdout == ""


def test_index_stops_on_a_bad_file_and_keeps_the_index(
    db: str, json_folder: Path
) -> None:
    (json_folder / "json" / "zz.json").write_text("{")
    result = run("index", str(json_folder / "json"), "--db", db, "--rebuild")
    assert result.exit_code == 1
    assert "zz.json: corrupt or truncated file" in result.stderr
    assert "the index was not changed" in result.stderr
    assert "Traceback" not in result.output
    assert run("search", "indkøbsaftaler", "--db", db).exit_code == 0


def test_index_keep_going(json_folder: Path) -> None:
    (json_folder / "json" / "zz.json").write_text("{")
    db = str(json_folder / "r.db")
    result = run("index", str(json_folder / "json"), "--db", db, "--keep-going")
    assert result.exit_code == 1
    assert "zz.json" in result.stderr
    assert f"{len(SPECS)} added" in result.stderr
    assert "1 skipped" in result.stderr


def test_index_reads_jsonl_from_stdin(json_folder: Path) -> None:
    lines = "".join(doc.to_json(indent=None) + "\n" for doc in referater())
    result = run("index", "-", "--db", str(json_folder / "r.db"), stdin=lines)
    assert result.exit_code == 0, result.stderr
    items = sum(len(spec.items) for spec in SPECS)
    bilag = sum(len(spec.bilag) for spec in SPECS)
    assert f"{len(SPECS)} added" in result.stderr
    assert f"({items} items, {bilag} unlisted bilag written)" in result.stderr


def test_index_missing_input(json_folder: Path) -> None:
    result = run("index", str(json_folder / "nope"), "--db", str(json_folder / "r.db"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_search_prints_ranked_hits(db: str) -> None:
    result = run("search", "indkøbsaftaler", "--db", db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "1. Aabenraa · Økonomiudvalget · 2012-03-14 · "
        "item 2: Fælleskommunale indkøbsaftaler 2012-2014"
    )
    assert lines[1].startswith(
        "   godkendt · case 12/4471 · aabenraa-oeu-2012.pdf, page 2"
    )
    assert "**indkøbsaftaler**" in lines[2]
    assert lines[3].startswith("2. Aalborg · Byrådet · 2009-11-23 · item 3:")


def test_search_prints_a_bilag_no_item_lists(db: str) -> None:
    result = run("search", "fjernvarme", "--db", db)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "1. Faxe · Teknik- og Miljøudvalget · 2019-06-26 · "
        "bilag 'Varmeplan.pdf' (no agenda item)"
    )
    assert lines[1].startswith("   faxe-tmu-2019.pdf · score ")
    assert "naturgas til **fjernvarme** i Haslev" in lines[2]
    assert len(lines) == 3


def test_search_json_tells_bilag_from_items(db: str) -> None:
    result = run("search", "fjernvarme OR vindmølle", "--db", db, "--json")
    hits = {h["attachment"]: h for h in json.loads(result.stdout)}
    assert set(hits) == {None, "Varmeplan.pdf"}
    bilag, item = hits["Varmeplan.pdf"], hits[None]
    assert (bilag["item_id"], bilag["item_number"], bilag["decision_label"]) == (
        None,
        "",
        None,
    )
    assert (item["item_number"], item["decision_label"]) == ("4", "afvist")
    assert isinstance(item["item_id"], int)


def test_search_json(db: str) -> None:
    result = run("search", "svømmehal", "--db", db, "--json", "--decision", "godkendt")
    hits = json.loads(result.stdout)
    assert [(h["municipality"], h["body"], h["item_number"]) for h in hits] == [
        ("Aabenraa", "Byrådet", "1")
    ]
    assert set(hits[0]) >= {"score", "snippet", "source_path", "page", "decision_text"}


@pytest.mark.parametrize(
    ("args", "titles"),
    [
        (["--case", "18/18284"], ["Ny indkøbspolitik"]),
        (["godkendt", "--municipality", "aalborg", "--to", "2009-12"],
         ["Ny aftale om kontorartikler", "Navngivning af vej i Aabybro"]),
        (["--min-amount", "1e9"], ["Budget 2010 - 2. behandling"]),
        (["skole*", "--body", "skoleudvalg", "--from", "2021"],
         ["Skolebuskørsel fra næste skoleår", "Kvalitetsrapport for skolerne 2020/21"]),
    ],
)  # fmt: skip
def test_search_filters(db: str, args: list[str], titles: list[str]) -> None:
    result = run("search", *args, "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    assert sorted(h["item_title"] for h in json.loads(result.stdout)) == sorted(titles)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['"skole', "--db", "x.db"], "query syntax: a quoted phrase is not closed"),
        (["budget -", "--db", "x.db", "--from", "2019-1"], "use YYYY, YYYY-MM"),
        (["og", "--db", "x.db"], "give QUERY words"),
        (["budget", "--decision", "vedtaget"], "Invalid value for '--decision'"),
    ],
)
def test_search_usage_errors(args: list[str], message: str) -> None:
    result = run("search", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_search_without_index(tmp_path: Path) -> None:
    result = run("search", "budget", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "no index here" in result.stderr


def test_search_no_hits(db: str) -> None:
    result = run("search", "vindmøllepark", "--db", db)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no hits\n")


def test_export_writes_mapping_and_bulk(json_folder: Path) -> None:
    out = json_folder / "es"
    result = run(
        "export", "--format", "es-bulk", str(json_folder / "json"), "--out", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(out / "mapping.json"),
        str(out / "bulk-0001.ndjson"),
    ]
    items = sum(len(spec.items) for spec in SPECS)
    bilag = sum(len(spec.bilag) for spec in SPECS)
    assert f"{items} items and {bilag} unlisted bilag in 1 bulk files" in result.stderr


def test_commands_have_examples_in_their_help() -> None:
    for name in ("index", "search", "export"):
        result = run(name, "--help")
        assert result.exit_code == 0
        assert f"referat-nlp {name} " in result.stdout
