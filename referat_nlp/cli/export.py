"""``referat-nlp export``: parsed referater (JSON) → files for other search engines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from referat_nlp.errors import ReferatError
from referat_nlp.search import elasticsearch

# --format value -> function(inputs, out_dir, index_name=, keep_going=) -> stats
EXPORTERS = {"es-bulk": elasticsearch.export}


@click.command("export")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORTERS)),
    default="es-bulk",
    show_default=True,
    help="es-bulk: Elasticsearch/OpenSearch Bulk API NDJSON + index mapping.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for mapping.json and bulk-NNNN.ndjson (old bulk files are removed).",
)
@click.option("--index-name", default="referater", show_default=True)
@click.option("--keep-going", is_flag=True, help="Skip invalid files (exit 1).")
def command(
    inputs: tuple[str, ...], fmt: str, out_dir: Path, index_name: str, keep_going: bool
) -> None:
    """Export agenda items for Elasticsearch or OpenSearch.

    INPUTS are JSON/JSONL files from 'referat-nlp parse' or folders of them ('-'
    reads standard input). Each item becomes one document with a stable id
    (source sha256 + item number), so loading a re-export updates, not duplicates.

    \b
    Examples:
      referat-nlp export --format es-bulk out/ --out es/
      curl -XPUT localhost:9200/referater -H 'Content-Type: application/json' \\
           --data-binary @es/mapping.json
      curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' \\
           --data-binary @es/bulk-0001.ndjson
    """
    try:
        stats = EXPORTERS[fmt](
            inputs, out_dir, index_name=index_name, keep_going=keep_going
        )
    except ReferatError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    for error in stats.errors:
        click.echo(f"error: {error} (skipped)", err=True)
    for path in stats.files:
        click.echo(str(path))
    bilag = f" and {stats.bilag} unlisted bilag" if stats.bilag else ""
    click.echo(
        f"{stats.items} items{bilag} in {len(stats.files) - 1} bulk files", err=True
    )
    if stats.errors:
        sys.exit(1)
