"""``referat-nlp case``: the timeline of a case, from JSON, the index or parquet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from referat_nlp.analysis import frames
from referat_nlp.cli import main
from referat_nlp.cli.case import format_timeline
from referat_nlp.search import index
from tests.frames_fixtures import corpus_json


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_json(tmp_path_factory)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_timeline(source: Path) -> None:
    result = run("case", "18/18284", str(source))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "18/18284 · Favrskov · 5 treatments (1 linked by title)"
    meetings = lines[1::2]
    assert [line[:10] for line in meetings] == [
        "2018-09-03", "2018-09-17", "2018-10-08", "2018-10-15", "2018-10-31",
    ]  # fmt: skip
    assert "udskudt" in meetings[1]
    assert "Høring om ny daginstitution i Hinnerup  [linked by title" in meetings[2]
    assert meetings[4].split()[1:5] == ["Byrådet", "pkt.", "3", "godkendt"]
    decisions = lines[2::2]
    assert decisions[-1].strip() == "Godkendt."
    assert decisions[1].strip().startswith("Udsættes. Administrationen bedes")
    assert result.stderr == ""


def test_json(source: Path) -> None:
    result = run("case", "Sagsnr.: 18/18284", str(source), "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["date"] == "2018-09-03"
    assert [row["match"] for row in rows].count("title") == 1
    assert rows[0]["similarity"] is None
    assert isinstance(rows[2]["similarity"], float)
    assert rows[-1]["label"] == "godkendt"


@pytest.mark.parametrize(
    ("options", "treatments"),
    [
        ((), 5),
        (("--no-titles",), 4),
        (("--municipality", "Favrskov"), 5),
    ],
)
def test_options(source: Path, options: tuple[str, ...], treatments: int) -> None:
    result = run("case", "18/18284", str(source), "--json", *options)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == treatments


def test_other_municipality_has_no_such_case(source: Path) -> None:
    result = run("case", "18/18284", str(source), "--municipality", "Skive")
    assert result.exit_code == 1
    assert "no items with case number 18/18284" in result.stderr
    assert result.stdout == ""


def test_default_path_is_the_index(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    index.build("referater.db", [source])
    result = run("case", "18/15540")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "18/15540 · Favrskov · 2 treatments"


def test_parquet_folder(source: Path, tmp_path: Path) -> None:
    folder = frames.load(source).to_parquet(tmp_path / "pq")
    assert run("case", "18/18284", str(folder)).stdout == (
        run("case", "18/18284", str(source)).stdout
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("case", "18/18284", "no/such/path"), 1, "no such file"),
        (("case",), 2, "Missing argument 'CASE'"),
        (("case", "18/18284", ".", "--bogus"), 2, "No such option"),
    ],
)
def test_errors(args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr


def test_listed_in_help() -> None:
    result = run("--help")
    assert "case" in result.stdout.split("Commands:")[1]


def test_long_decisions_are_cut_to_one_line() -> None:
    row = {
        "date": None, "municipality": "Favrskov", "body": "Byrådet", "number": "7",
        "title": "Kort titel", "label": None, "match": "case_number",
        "similarity": None, "decision_text": "Første linje " + "ord " * 40 + "\nAnden",
    }  # fmt: skip
    lines = format_timeline("1/2", [row])
    assert lines[1].startswith("????-??-??  Byrådet  pkt.    7  -")
    assert lines[2].strip().startswith("Første linje ord")
    assert lines[2].endswith("…")
    assert "Anden" not in "\n".join(lines)
