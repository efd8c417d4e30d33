"""Archive-scale batch runs: ``referat_nlp.batch(sources, out)``.

A run walks the sources, groups each referat with its bilag (:mod:`.bilag`),
skips what the ledger in OUT says is done and unchanged (:mod:`.ledger`), and has
an engine (:mod:`.engines`: local processes or Dask) parse the rest. Only this
process writes: each result becomes a JSON file mirroring the input tree (written
atomically), a line in a JSONL shard, and a ledger row, in that order, the last
two committed together. A run killed at any moment and started again therefore
ends with every input recorded exactly once and no half-written output.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from referat_nlp import export
from referat_nlp.archive import bilag, engines, ledger
from referat_nlp.archive.ledger import Ledger, Row, Shards, Status
from referat_nlp.archive.worker import (
    Outcome,
    Task,
    extractor_version,
    warm_up,
    work,
)
from referat_nlp.errors import InternalError, MissingFile, Reason
from referat_nlp.readers import DEFAULT_PDF_ENGINE, PDF_ENGINES, discover

ENGINES = ("local", "dask")


@dataclass
class Summary:
    """The end of a run, as the CLI prints it and the API returns it."""

    total: int = 0
    processed: int = 0  # written, needs_review included
    needs_review: int = 0  # written and searchable, but no agenda item found
    salvaged: int = 0  # written from what a damaged file still held
    skipped: int = 0
    duplicates: int = 0
    bilag: int = 0
    failed: dict[Reason, int] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0  # of the seconds, starting the workers
    peak_rss: dict[int, int] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": round(self.pages_per_second, 1)}


@dataclass(frozen=True, slots=True)
class Options:
    """A run's settings, checked once when made: a bad one refuses the run before
    any file is read, instead of failing every file the same way."""

    workers: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    timeout: float = 120.0
    memory_mb: int | None = 1024
    retry_failed: bool = False
    pdf_engine: str = DEFAULT_PDF_ENGINE
    ocr: bool | str = False
    extractor: str | None = None
    shard_lines: int = 1000

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be {rule}, not {getattr(self, name)!r}"
            for name, rule, ok in self._rules()
            if not ok
        ]
        if problems:
            raise ValueError("batch options: " + "; ".join(problems))

    def _rules(self) -> list[tuple[str, str, bool]]:
        def positive(value: float | None, optional: bool = True) -> bool:
            if value is None:
                return optional
            return not isinstance(value, bool) and value > 0

        return [
            ("engine", f"one of {ENGINES}", self.engine in ENGINES),
            (
                "pdf_engine",
                f"one of {tuple(PDF_ENGINES)}",
                self.pdf_engine in PDF_ENGINES,
            ),
            ("workers", "a positive integer or None", positive(self.workers)),
            ("timeout", "a positive number of seconds", positive(self.timeout, False)),
            ("memory_mb", "a positive number of MiB or None", positive(self.memory_mb)),
            ("shard_lines", "a positive integer", positive(self.shard_lines, False)),
            (
                "scheduler",
                "None unless engine is 'dask'",
                self.scheduler is None or self.engine == "dask",
            ),
        ]


@dataclass(frozen=True, slots=True)
class Progress:
    """Handed to the progress callback after every input."""

    done: int
    total: int
    pages: int
    elapsed: float


def batch(
    sources: Sequence[str | Path],
    out: str | Path,
    *,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    timeout: float = 120.0,
    memory_mb: int | None = 1024,
    retry_failed: bool = False,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
    ocr: bool | str = False,
    extractor: str | None = None,
    shard_lines: int = 1000,
    progress: Callable[[Progress], None] | None = None,
) -> Summary:
    """Parse every referat under ``sources`` into ``out``; return the summary.

    ``ocr`` ("never", "auto" or True, "always") reads PDF pages by OCR: in "auto"
    those without a usable text layer (scanned referater and bilag). It leaves the
    extractor version alone, since files with a usable text layer come out the
    same; so ``retry_failed=True, ocr=True`` re-parses exactly the scans an
    earlier run recorded as failed ("no text layer").

    >>> summary = batch(["archive/"], "out/", workers=2)  # doctest: +SKIP
    >>> summary.processed, summary.failed  # doctest: +SKIP
    (1184, {'encrypted PDF: decrypt it first (e.g. qpdf --decrypt)': 3})
    """
    options = Options(
        workers, engine, scheduler, timeout, memory_mb, retry_failed, pdf_engine, ocr,
        extractor, shard_lines,
    )  # fmt: skip
    missing = [s for s in sources if not Path(s).exists()]
    if missing:
        raise MissingFile(missing[0])
    pool = _engine(options)
    out_dir = Path(out)
    run = _Run(
        out_dir, extractor or extractor_version(pdf_engine), retry_failed, shard_lines
    )
    groups = bilag.group(discover.find(sources))
    targets = export.output_paths([(g.referat, g.root) for g in groups], out_dir)
    # largest first: the last files to finish are then small ones, so no worker sits
    # idle at the end while another parses a 300-page referat
    groups = sorted(groups, key=lambda g: -g.referat.stat().st_size)
    started = time.monotonic()
    try:
        tasks = run.plan(groups, targets, pdf_engine, ocr)
        for task, result in pool.map(work, tasks, warm_up):
            run.record(task, result)
            if progress is not None:
                pages, done = run.summary.pages, run.finished
                elapsed = time.monotonic() - started
                progress(Progress(done, len(groups), pages, elapsed))
    finally:
        run.close()
    run.summary.seconds = time.monotonic() - started
    run.summary.startup_seconds = pool.startup_seconds
    return run.summary


def _engine(options: Options) -> Any:
    if options.engine == "dask":
        return engines.DaskEngine(
            options.workers, options.timeout, options.memory_mb, options.scheduler
        )
    return engines.LocalEngine(options.workers, options.timeout, options.memory_mb)


def _status(result: Outcome) -> Status:
    """The ledger status of a written referat: a salvaged read is kept apart first
    (what it lacks may be why no item was found), then one without items."""
    if result.salvaged:
        return Status.SALVAGED
    return Status.NEEDS_REVIEW if result.needs_review else Status.DONE


def _stopped(task: Task, result: Any) -> Outcome:
    """The failed Outcome for an engine's Failure, or for a worker function that
    returned something other than an Outcome (a bug: recorded, not lost)."""
    if isinstance(result, engines.Failure):
        error = result.error
        if result.reason == Reason.INTERNAL:
            error = str(InternalError(task.path, error))
        return Outcome(
            ok=False, duration=result.seconds, reason=result.reason, error=error,
            error_detail=result.detail,
        )  # fmt: skip
    error = f"the worker returned {type(result).__name__}, not an Outcome"
    return Outcome(
        ok=False, duration=0.0, reason=Reason.INTERNAL,
        error=str(InternalError(task.path, error)),
    )  # fmt: skip


class _Run:
    """The bookkeeping of one run: which inputs go to the engine, and recording
    what comes back (output file, shard line, ledger rows)."""

    def __init__(
        self, out_dir: Path, extractor: str, retry_failed: bool, shard_lines: int
    ) -> None:
        self.out_dir = out_dir
        self.extractor = extractor
        self.retry_failed = retry_failed
        self.ledger = Ledger(out_dir)
        for stray in out_dir.rglob(".*.tmp"):  # left by a run killed mid-write
            stray.unlink()
        committed = self.ledger.shard_sizes()
        self.shards = Shards(out_dir, committed, "_shard", shard_lines)
        self.summary = Summary()
        self.finished = 0
        self._pending: dict[str, tuple[Path, str, str, tuple[Path, ...]]] = {}
        self._sha: dict[Path, str] = {}

    def close(self) -> None:
        self.ledger.close()

    def plan(
        self,
        groups: Sequence[bilag.Group],
        targets: dict[Path, Path],
        pdf_engine: str,
        ocr: bool | str = False,
    ) -> Iterator[Task]:
        """Tasks for the groups that need work; skips and duplicates are recorded."""
        self.summary.total = len(groups)
        originals = self.ledger.done_by_sha()
        for group in groups:
            sha = self._hash(group.referat)
            key = str(group.referat.resolve())
            group_sha = self._group_sha(group)
            row = self.ledger.get(key)
            if not ledger.needs_run(row, group_sha, self.extractor, self.retry_failed):
                self._count(skipped=1)
                continue
            original = originals.setdefault(sha, key)
            if original != key:
                self._commit(
                    [self._row(key, sha, group_sha, Status.DUPLICATE, related=original)]
                )
                self._count(duplicates=1)
                continue
            self._pending[str(group.referat)] = (
                targets[group.referat],
                key,
                group_sha,
                group.bilag,
            )
            yield Task(
                str(group.referat),
                str(group.root),
                tuple(map(str, group.bilag)),
                tuple(map(str, group.candidates)),
                pdf_engine,
                ocr,
            )

    def record(self, task: Task, result: Outcome | Any) -> None:
        """Write one result: output file, shard line, then the ledger rows at once."""
        target, key, group_sha, sure_bilag = self._pending.pop(task.path)
        sha = self._sha[Path(task.path)]
        if not isinstance(result, Outcome):  # no result: a Failure, or a bug
            result = _stopped(task, result)
        shards: dict[str, int] = {}
        rows = [
            self._row(
                str(p.resolve()), self._sha[p], group_sha, Status.BILAG, related=key
            )
            for p in sure_bilag
        ]
        if result.ok:
            export.write_text_atomic(target, f"{result.line}\n")
            shards.update([self.shards.append(result.line or "")])
            output = target.relative_to(self.out_dir).as_posix()
            rows.append(
                self._row(key, sha, group_sha, _status(result), result, output=output)
            )
            self._count(processed=1, pages=result.pages or 0, bilag=len(sure_bilag))
            self._count(
                needs_review=int(result.needs_review), salvaged=int(result.salvaged)
            )
            self.summary.peak_rss[result.pid] = max(
                result.peak_rss, self.summary.peak_rss.get(result.pid, 0)
            )
        else:
            target.unlink(missing_ok=True)  # an earlier run's output is now stale
            rows.append(self._row(key, sha, group_sha, Status.FAILED, result))
            reason = result.reason or Reason.INTERNAL
            self.summary.failed[reason] = self.summary.failed.get(reason, 0) + 1
            self.finished += 1
        self._commit(rows, shards)

    def _commit(self, rows: list[Row], shards: dict[str, int] | None = None) -> None:
        self.ledger.commit(rows, shards)

    def _row(
        self,
        key: str,
        sha: str,
        group_sha: str,
        status: Status,
        result: Outcome | None = None,
        output: str | None = None,
        related: str | None = None,
    ) -> Row:
        return Row(
            path=key,
            sha256=sha,
            group_sha256=group_sha,
            status=status,
            extractor=self.extractor,
            reason=result.reason if result else None,
            error=result.error if result else None,
            error_detail=result.error_detail if result else None,
            duration=round(result.duration, 3) if result else None,
            pages=result.pages if result else None,
            output=output,
            related=related,
        )

    def _count(self, **counts: int) -> None:
        for name, value in counts.items():
            setattr(self.summary, name, getattr(self.summary, name) + value)
        self.finished += counts.get("processed", 0) + counts.get("skipped", 0)
        self.finished += counts.get("duplicates", 0)

    def _hash(self, path: Path) -> str:
        if path not in self._sha:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(2**20), b""):
                    digest.update(chunk)
            self._sha[path] = digest.hexdigest()
        return self._sha[path]

    def _group_sha(self, group: bilag.Group) -> str:
        """One hash for the referat and every file that may become its bilag."""
        parts = [self._hash(group.referat)]
        parts += sorted(
            f"{p.name}:{self._hash(p)}" for p in group.bilag + group.candidates
        )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
