"""``referat-nlp batch``: archive-scale runs that resume, skip and isolate faults."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from referat_nlp.archive.engines import default_workers
from referat_nlp.archive.runs import ENGINES, Progress, Summary, batch
from referat_nlp.cli import options

PLAIN_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


@click.command("batch")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder: JSON per referat, _shard-*.jsonl, _ledger.sqlite.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=default_workers(),
    show_default="all cores",
    help="Worker processes.",
)
@click.option(
    "--engine", type=click.Choice(ENGINES), default="local", show_default=True
)
@click.option("--scheduler", help="Dask scheduler address (tcp://…); default: local.")
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Seconds per file."
)
@click.option(
    "--memory",
    "memory_mb",
    type=click.IntRange(min=256),
    default=1024,
    show_default=True,
    help="Memory cap per worker in MiB.",
)
@click.option("--retry-failed", is_flag=True, help="Parse failed inputs again.")
@options.pdf_engine
@options.ocr
@click.option("-q", "--quiet", is_flag=True, help="No progress and no summary.")
def command(sources: tuple[str, ...], out_dir: Path, **options: Any) -> None:
    """Parse a whole archive of referater (and their bilag) into OUT.

    SOURCES are folders (walked) or files. A re-run skips what the ledger in OUT
    records as done and unchanged, so an interrupted run is simply started again.
    Each file runs under a time limit and a memory cap; failures are recorded with
    their reason and the run goes on. Exit code 1 when any input failed. With
    --retry-failed, --ocr re-runs the scanned files an earlier run recorded as
    failed; OCR takes 1–2 s a page, so raise --timeout for long scans.

    \b
    Examples:
      referat-nlp batch archive/ --out out/
      referat-nlp batch archive/ --out out/ --retry-failed --timeout 300
      referat-nlp batch archive/ --out out/ --retry-failed --ocr
      referat-nlp batch archive/ --out out/ --engine dask --scheduler tcp://host:8786
    """
    quiet = options.pop("quiet")
    if options["engine"] == "local" and options["scheduler"]:
        raise click.UsageError("--scheduler needs --engine dask")
    with _progress(quiet) as progress:
        summary = batch(sources, out_dir, progress=progress, **options)
    if summary.total == 0:
        raise click.UsageError("no referat files found in the given sources")
    if not quiet:
        _report(summary)
    if summary.failed:
        sys.exit(1)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[Progress], None] | None]:
    """A tqdm bar on a terminal; otherwise a plain line every PLAIN_EVERY seconds."""
    if quiet:
        yield None
    elif sys.stderr.isatty():
        from tqdm import tqdm

        with tqdm(unit="file", dynamic_ncols=True) as bar:

            def update(p: Progress) -> None:
                bar.total = p.total
                rate = p.pages / max(p.elapsed, 1e-9)
                bar.set_postfix_str(f"{rate:.0f} pages/s", refresh=False)
                bar.update(p.done - bar.n)  # files/s and the ETA come from these

            yield update
    else:
        last = [time.monotonic()]

        def line(p: Progress) -> None:
            if time.monotonic() - last[0] >= PLAIN_EVERY or p.done >= p.total:
                last[0] = time.monotonic()
                rate = p.pages / max(p.elapsed, 1e-9)
                click.echo(f"{p.done}/{p.total} files, {rate:.0f} pages/s", err=True)

        yield line


def _report(summary: Summary) -> None:
    click.echo(
        f"processed {summary.processed} (needs review {summary.needs_review}, "
        f"salvaged {summary.salvaged}), "
        f"skipped {summary.skipped}, "
        f"duplicates {summary.duplicates}, bilag {summary.bilag}, "
        f"failed {sum(summary.failed.values())} of {summary.total} referater; "
        f"{summary.pages} pages in {summary.seconds:.1f} s "
        f"({summary.pages_per_second:.1f} pages/s; workers started in "
        f"{summary.startup_seconds:.1f} s)",
        err=True,
    )
    for reason, count in sorted(summary.failed.items()):
        click.echo(f"  {count} × {reason}", err=True)
