"""What a batch worker does with one referat: parse it and its bilag.

Everything here runs in a worker process (local or on a Dask cluster), so tasks
and outcomes are plain, picklable values, and a bad file never raises out of
:func:`work`: it comes back as a failed :class:`Outcome` with the reason.
"""

from __future__ import annotations

import logging
import os
import resource
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from referat_nlp.archive import bilag
from referat_nlp.errors import InternalError, Reason, ReferatError, why
from referat_nlp.readers.salvage import SALVAGED

# an invented two-item referat: parsing it loads what the pipeline loads lazily
WARM_UP_TEXT = """Referat

1. Godkendelse af dagsorden

Beslutning
Godkendt.

2. Meddelelser

Beslutning
Taget til efterretning.
"""


@dataclass(frozen=True, slots=True)
class Task:
    """One referat to parse, with its bilag; plain strings so any engine can ship it."""

    path: str
    root: str
    bilag: tuple[str, ...]
    candidates: tuple[str, ...]
    pdf_engine: str
    ocr: bool | str = False  # OCR pages without a text layer (scans), bilag too


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back: the JSON texts, or why there are none."""

    ok: bool
    duration: float
    pages: int | None = None
    line: str | None = None
    bilag: tuple[str, ...] = ()
    reason: Reason | None = None
    error: str | None = None
    error_detail: str | None = None  # the traceback of an internal error
    pid: int = 0
    peak_rss: int = 0
    needs_review: bool = False  # written, but no agenda item was found
    salvaged: bool = False  # written from what a damaged file still held


def work(task: Task) -> Outcome:
    """Parse one referat and its bilag (runs in a worker; never raises for a file:
    an unforeseen exception in any stage is an internal error, with its traceback,
    and the worker goes on with the next file)."""
    from referat_nlp.pipeline import parse

    started = time.perf_counter()
    try:
        referat = parse(task.path, pdf_engine=task.pdf_engine, ocr=task.ocr)
        root = Path(task.root)
        listed = bilag.listed_names(referat, [Path(c) for c in task.candidates])
        files = [
            bilag.read(path, root, task.pdf_engine, task.ocr)
            for path in (*map(Path, task.bilag), *listed)
        ]
        referat, unmatched = bilag.attach(referat, files)
    except ReferatError as exc:
        return _failed(started, exc.code, str(exc))
    except Exception as exc:  # any stage's bug: recorded per file
        error = str(InternalError(task.path, why(exc)))
        return _failed(started, Reason.INTERNAL, error, traceback.format_exc())
    if unmatched:
        names = ", ".join(a.file or a.title for a in unmatched)
        warning = f"bilag not matched to an item (kept at meeting level): {names}"
        referat = referat.model_copy(
            update={
                "attachments": tuple(unmatched),
                "warnings": (*referat.warnings, warning),
            }
        )
    return Outcome(
        ok=True,
        duration=time.perf_counter() - started,
        pages=referat.source.pages,
        line=referat.to_json(indent=None),
        bilag=tuple(f.file for f in files),
        needs_review=not referat.items,
        salvaged=any(w.startswith(SALVAGED) for w in referat.warnings),
        pid=os.getpid(),
        peak_rss=_peak_rss(),
    )


def warm_up() -> None:
    """Load the pipeline, the PDF reader and lazily loaded models in a new worker,
    so that its first file is timed as work, not as loading."""
    # warnings are kept in each referat's JSON; a worker has no terminal to show them
    logging.getLogger("referat_nlp").setLevel(logging.ERROR)
    import referat_nlp.readers.pdfium  # noqa: F401
    from referat_nlp.pipeline import parse

    parse(WARM_UP_TEXT.encode(), "txt", name="<warm-up>")


def _failed(
    started: float, reason: Reason, error: str, detail: str | None = None
) -> Outcome:
    elapsed = time.perf_counter() - started
    return Outcome(
        ok=False, duration=elapsed, reason=reason, error=error, error_detail=detail,
        pid=os.getpid(), peak_rss=_peak_rss(),
    )  # fmt: skip


def _peak_rss() -> int:
    """This worker's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def extractor_version(pdf_engine: str) -> str:
    """What made an output: package and schema version and the PDF engine."""
    from importlib.metadata import PackageNotFoundError, version

    from referat_nlp.document import SCHEMA_VERSION

    try:
        package = version("referat-nlp")
    except PackageNotFoundError:
        package = "dev"
    return f"referat-nlp {package}; schema {SCHEMA_VERSION}; pdf {pdf_engine}"
