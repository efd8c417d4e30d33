"""``referat-nlp case``: one case's path through the meetings, as a timeline.

pandas is imported when the command runs, not when this module is imported, so
``referat-nlp --help`` (which imports every command to list it) stays fast.
"""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Any

import click

from referat_nlp.errors import ReferatError

DEFAULT_PATH = "referater.db"  # the default of ``referat-nlp index``
DECISION_WIDTH = 100
TITLE_WIDTH = 70


@click.command("case")
@click.argument("case")
@click.argument("path", required=False, default=DEFAULT_PATH)
@click.option("--municipality", help="Only this municipality (case numbers repeat).")
@click.option("--no-titles", is_flag=True, help="Do not link items by title.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def command(
    case: str, path: str, municipality: str | None, no_titles: bool, as_json: bool
) -> None:
    """Print every treatment of CASE (a case number), oldest first.

    PATH is the search index (default referater.db), a folder of referat JSON, a
    JSONL shard or a parquet folder. Items printed without a case number are
    linked by title when that is unambiguous, and marked "linked by title".

    \b
    Examples:
      referat-nlp case 18/18284
      referat-nlp case 18/18284 out/ --municipality Favrskov
      referat-nlp case "Sagsnr. 18/18284" referater.db --json
    """
    from referat_nlp.analysis.history import case_history

    try:
        trail = case_history(
            case, path, municipality=municipality, link_titles=not no_titles
        )
    except ReferatError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    if trail.empty:
        click.echo(f"no items with case number {case} in {path}", err=True)
        sys.exit(1)
    rows: list[dict[str, Any]] = [
        {str(key): value for key, value in row.items()}
        for row in trail.astype(object).where(trail.notna(), None).to_dict("records")
    ]
    if as_json:
        click.echo(json.dumps([_jsonable(row) for row in rows], ensure_ascii=False))
        return
    for line in format_timeline(case, rows):
        click.echo(line)


def format_timeline(case: str, rows: list[dict[str, Any]]) -> list[str]:
    """A heading, then two lines per treatment: meeting and item, decision."""
    linked = sum(row["match"] == "title" for row in rows)
    towns = ", ".join(dict.fromkeys(str(row["municipality"]) for row in rows))
    heading = f"{case} · {towns} · {len(rows)} treatments"
    lines = [heading + (f" ({linked} linked by title)" if linked else "")]
    width = max(len(str(row["body"])) for row in rows)
    for row in rows:
        date = "????-??-??" if row["date"] is None else f"{row['date']:%Y-%m-%d}"
        label = row["label"] or "-"
        title = textwrap.shorten(str(row["title"]), TITLE_WIDTH, placeholder=" …")
        mark = ""
        if row["match"] == "title":
            mark = f"  [linked by title, similarity {row['similarity']:.2f}]"
        lines.append(
            f"{date}  {row['body']!s:{width}}  pkt. {row['number']:>4}  "
            f"{label:22}  {title}{mark}"
        )
        lines.append(f"{'':12}{_decision(row['decision_text'])}")
    return lines


def _decision(text: object) -> str:
    """The decision's first line, shortened; "(no decision)" when there is none."""
    if text is None:
        return "(no decision)"
    first = str(text).strip().splitlines()[0]
    return textwrap.shorten(first, DECISION_WIDTH, placeholder=" …")


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """Dates as YYYY-MM-DD, numbers as numbers, the rest as text (None stays)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key == "date" and value is not None:
            value = f"{value:%Y-%m-%d}"
        elif not isinstance(value, int | float | bool | None):
            value = str(value)
        out[key] = value
    return out
