"""The evaluation command: per-group scores, the way a new archive is measured."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from referat_nlp.cli import main
from referat_nlp.evaluation.scoring import evaluate, format_report


def _two_layouts(tmp_path: Path, corpus_dir: Path) -> Path:
    """A gold folder with one Acadre sample and one per-item page."""
    for name in ("002.txt", "002.json", "023.txt", "023.json"):
        shutil.copy(corpus_dir / name, tmp_path / name)
    return tmp_path


def test_groups_are_scored_on_their_own(tmp_path: Path, corpus_dir: Path) -> None:
    report = evaluate([_two_layouts(tmp_path, corpus_dir)], group_by="layout")
    assert set(report.groups) == {"acadre", "per-item-page"}
    assert report.groups["per-item-page"].documents == 1
    pooled = report.fields["items"]
    parts = [g.fields["items"] for g in report.groups.values()]
    assert pooled.tp == sum(t.tp for t in parts)
    assert "sections" in report.fields
    table = format_report(report)
    assert "mean over groups" in table and "worst group" in table


def test_a_group_without_matched_items_shows_no_scores(
    tmp_path: Path, corpus_dir: Path
) -> None:
    folder = _two_layouts(tmp_path, corpus_dir)
    (folder / "023.txt").write_text("Ingen dagsorden her.\n", encoding="utf-8")
    report = evaluate([folder], group_by="municipality")
    row = next(
        line for line in format_report(report).splitlines() if "Frederikssund" in line
    )
    assert row.split()[2] == "0.000" and row.split()[3] == "–"


def test_cli_group_by(tmp_path: Path, corpus_dir: Path) -> None:
    folder = _two_layouts(tmp_path, corpus_dir)
    result = CliRunner().invoke(main, ["evaluate", str(folder), "--group-by", "format"])
    assert result.exit_code == 0, result.output
    assert "\ntxt " in result.output


def test_a_minute_book_is_scored_by_meeting_and_number(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """032 numbers each of its three meetings from 1: items are matched by both,
    and each meeting's date is scored."""
    from referat_nlp.pipeline import parse

    for name in ("032.txt", "032.json"):
        shutil.copy(corpus_dir / name, tmp_path / name)
    referat = parse(tmp_path / "032.txt")
    report = evaluate([tmp_path], parse=lambda _: referat)
    assert report.fields["items"].f1 == 1.0 and report.dates == [True] * 3
    one_meeting = referat.model_copy(
        update={
            "meetings": referat.meetings[:1],
            "items": tuple(i.model_copy(update={"meeting": 0}) for i in referat.items),
        }
    )
    flat = evaluate([tmp_path], parse=lambda _: one_meeting)
    assert flat.fields["items"].f1 < 0.6
    assert flat.dates == [True, False, False]
    assert any("missed item 2/1" in e for e in flat.errors)
