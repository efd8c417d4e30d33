"""``referat-nlp parse``: referat files → the JSON contract."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from referat_nlp import export
from referat_nlp.cli import options
from referat_nlp.document import Referat
from referat_nlp.errors import InternalError, ReferatError, why
from referat_nlp.pipeline import parse
from referat_nlp.readers import FORMATS, discover


@click.command("parse")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write DIR/<name>.json per input instead of printing.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    help="Format of '-' (standard input).",
)
@click.option("--compact", is_flag=True, help="One line of JSON per referat.")
@options.pdf_engine
@options.ocr
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def command(
    inputs: tuple[str, ...],
    out_dir: Path | None,
    fmt: str | None,
    compact: bool,
    pdf_engine: str,
    ocr: str,
    quiet: bool,
) -> None:
    """Parse referat files (PDF, DOCX, TXT, HTML, FirstAgenda JSON) into JSON.

    INPUTS are files or folders (walked for supported files); '-' reads standard
    input and needs --format. One input prints its JSON to stdout; with several,
    each referat is printed as one JSON line. A file that cannot be read is named
    on stderr with the reason; the others are still parsed, and the exit code is 1.
    No input ends the command with a traceback: an unforeseen failure is named as
    an internal error, in one line like any other.

    \b
    Examples:
      referat-nlp parse corpus/001.txt
      referat-nlp parse corpus/ --out out/
      referat-nlp parse scanned.pdf --ocr
      referat-nlp parse minutes.pdf --pdf-engine pdfplumber
      cat referat.pdf | referat-nlp parse - --format pdf
    """
    if "-" in inputs:
        if fmt is None:
            raise click.UsageError("reading '-' needs --format")
        _emit(
            parse(
                sys.stdin.buffer.read(),
                fmt,
                name="<stdin>",
                ocr=ocr,
                pdf_engine=pdf_engine,
            ),
            out_dir,
            None,
            compact,
        )
        return
    found = list(discover.find(inputs))
    targets = export.output_paths(found, out_dir) if out_dir else {}
    failures: list[str] = []
    single = len(found) == 1 and not compact
    for file, _ in found:
        try:
            referat = _parse(file, ocr, pdf_engine)
        except ReferatError as exc:
            failures.append(str(exc))
            click.echo(f"error: {exc}", err=True)
            continue
        _emit(referat, out_dir, targets.get(file), compact or not single)
    _summary(len(found), failures, quiet)


def _parse(file: Path, ocr: str, pdf_engine: str) -> Referat:
    """``parse``, with any exception but a typed one turned into InternalError."""
    try:
        return parse(file, ocr=ocr, pdf_engine=pdf_engine)
    except ReferatError:
        raise
    except Exception as exc:  # a bug: one line naming the file, the run goes on
        raise InternalError(file, why(exc)) from exc


def _emit(
    referat: Referat, out_dir: Path | None, target: Path | None, compact: bool
) -> None:
    if out_dir is not None:
        export.write_json(referat, target or out_dir / "stdin.json")
    else:
        click.echo(referat.to_json(indent=None if compact else 2))


def _summary(total: int, failures: list[str], quiet: bool) -> None:
    if total == 0:
        raise click.UsageError("no referat files found in the given inputs")
    if not quiet and total > 1:
        click.echo(f"parsed {total - len(failures)} of {total} files", err=True)
    if failures:
        if total > 1:
            click.echo(f"{len(failures)} failed:", err=True)
            for line in failures:
                click.echo(f"  {line}", err=True)
        sys.exit(1)
