"""``referat-nlp evaluate``: score the pipeline against gold annotations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from referat_nlp.evaluation.scoring import evaluate, format_report


@click.command("evaluate")
@click.argument(
    "gold_dirs",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--errors", is_flag=True, help="List every miss after the scores.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    help="Only documents of this format (txt, pdf, docx, html …); repeatable.",
)
@click.option(
    "--group-by",
    type=click.Choice(["municipality", "layout", "format"]),
    help="Also score each municipality, layout family or format on its own.",
)
def command(
    gold_dirs: tuple[Path, ...],
    errors: bool,
    as_json: bool,
    formats: tuple[str, ...],
    group_by: str | None,
) -> None:
    """Parse every gold document in GOLD_DIRS and print precision/recall/F1 per field.

    A gold directory holds NNN.json beside NNN.txt/.pdf/.docx/.html, or <name>.gold.json
    naming its source file(s) (the format is described in corpus/README.md).

    \b
    Examples:
      referat-nlp evaluate corpus/
      referat-nlp evaluate ../shared/corpus/dev ../shared/corpus/real --errors
      referat-nlp evaluate corpus/ --format pdf --json > pdf-scores.json
      referat-nlp evaluate ../shared/corpus/dev corpus/ --group-by municipality
    """
    report = evaluate(gold_dirs, formats=formats or None, group_by=group_by)
    if as_json:
        data = report.as_dict()
        if errors:
            data["errors"] = report.errors
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, errors=errors))
