"""``referat-nlp index``: parsed referater (JSON) → a search index."""

from __future__ import annotations

import sys

import click

from referat_nlp.errors import ReferatError
from referat_nlp.search import index


@click.command("index")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--db",
    default="referater.db",
    show_default=True,
    help="SQLite file, or a postgresql:// URL for a PostgreSQL server.",
)
@click.option("--rebuild", is_flag=True, help="Start the index over.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Skip invalid files (named on stderr, exit 1) instead of stopping.",
)
def command(inputs: tuple[str, ...], db: str, rebuild: bool, keep_going: bool) -> None:
    """Load parsed referater into a search index (SQLite FTS5 or PostgreSQL).

    INPUTS are JSON files written by 'referat-nlp parse', JSONL files with one
    referat per line, or folders holding them; '-' reads JSON or JSONL from
    standard input. A document already in the index (same source path or same
    sha256) is replaced when it changed and skipped when it did not. The run is
    one transaction: if it stops on a bad file, the index is left as it was.

    \b
    Examples:
      referat-nlp index out/ --db referater.db
      referat-nlp parse corpus/ | referat-nlp index - --db referater.db
      referat-nlp index out/ --db postgresql://user:pw@localhost/referater --rebuild
    """
    try:
        stats = index.build(db, inputs, rebuild=rebuild, keep_going=keep_going)
    except ReferatError as err:
        click.echo(f"error: {err} (the index was not changed)", err=True)
        sys.exit(1)
    for error in stats.errors:
        click.echo(f"error: {error} (skipped)", err=True)
    click.echo(
        f"{db}: {stats.added} added, {stats.updated} updated, "
        f"{stats.unchanged} unchanged ({stats.items} items"
        + (f", {stats.bilag} unlisted bilag" if stats.bilag else "")
        + " written)"
        + (f", {len(stats.errors)} skipped" if stats.errors else ""),
        err=True,
    )
    if stats.errors:
        sys.exit(1)
