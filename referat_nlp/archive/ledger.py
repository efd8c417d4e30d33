"""The run ledger: a SQLite file in OUT recording what happened to every input.

A batch run over an archive takes hours and will be interrupted. The ledger is
what makes a re-run cheap and exact: each input's row holds its sha256, status
(``done``, ``needs_review``, ``salvaged``, ``failed``, ``duplicate``, ``bilag``),
failure reason
and message (and the traceback of an internal error), duration, pages and the
extractor version. SQLite (in the standard
library) gives atomic transactions that survive ``kill -9``; WAL mode keeps commits
cheap.

JSONL shards are made exactly-once by the same transactions: a shard's committed
size is stored with the rows whose lines it holds, and on opening a run each shard
is cut back to that size, so lines written by work that was never committed (the
process died between the append and the commit) disappear with it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from enum import StrEnum
from pathlib import Path

from referat_nlp.errors import Reason

LEDGER_NAME = "_ledger.sqlite"


class Status(StrEnum):
    """What happened to one input (the ``status`` column)."""

    DONE = "done"
    FAILED = "failed"
    DUPLICATE = "duplicate"  # the same bytes as another input, parsed once
    BILAG = "bilag"  # read as an attachment of a referat
    # written and searchable, but segmentation found no agenda item: for a reviewer
    NEEDS_REVIEW = "needs_review"
    # written from what a damaged file still held (a "salvaged:" warning says what
    # was lost): kept apart from clean reads
    SALVAGED = "salvaged"


# what was written: a duplicate of one of these is not parsed again
WRITTEN = (Status.DONE, Status.NEEDS_REVIEW, Status.SALVAGED)
# statuses a re-run leaves alone when input and extractor are unchanged
FINISHED = frozenset({*WRITTEN, Status.DUPLICATE, Status.BILAG})

SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    group_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    error TEXT,
    duration REAL,
    pages INTEGER,
    extractor TEXT NOT NULL,
    output TEXT,
    related TEXT,
    updated REAL NOT NULL,
    error_detail TEXT
);
CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, size INTEGER NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One input's record. ``group_sha256`` covers the referat and its bilag;
    ``related`` is the original of a duplicate or the referat a bilag belongs to."""

    path: str
    sha256: str
    group_sha256: str
    status: Status
    extractor: str
    reason: Reason | None = None
    error: str | None = None
    duration: float | None = None
    pages: int | None = None
    output: str | None = None
    related: str | None = None
    error_detail: str | None = None  # an internal error's traceback
    updated: float = 0.0


COLUMNS = tuple(f.name for f in fields(Row))
_STATUS, _REASON = COLUMNS.index("status"), COLUMNS.index("reason")
_KEYS = frozenset(reason.value for reason in Reason)
# how ledgers before the Reason keys began their reasons (the errors' sentences,
# some with advice after them: "encrypted PDF: decrypt it first …")
_OLD_REASONS = {
    "no such file": Reason.MISSING, "unsupported file type": Reason.UNSUPPORTED,
    "empty file": Reason.EMPTY, "corrupt or truncated file": Reason.CORRUPT,
    "encrypted PDF": Reason.ENCRYPTED, "no text layer": Reason.NO_TEXT_LAYER,
    "OCR needs": Reason.OCR_UNAVAILABLE, "internal error": Reason.INTERNAL,
    "timeout": Reason.TIMEOUT, "memory limit": Reason.MEMORY,
    "worker died": Reason.WORKER_DIED,
}  # fmt: skip


def _row(values: tuple[object, ...]) -> Row:
    """A Row from its columns, with the status and reason as their enums."""
    found = list(values)
    found[_STATUS] = Status(str(found[_STATUS]))
    found[_REASON] = _reason(found[_REASON])
    return Row(*found)  # type: ignore[arg-type]


def _reason(text: object) -> Reason | None:
    """The Reason key of a stored reason; an older ledger's sentence is mapped by
    how it begins (anything else it wrote was an internal error's)."""
    if text is None:
        return None
    value = str(text)
    if value in _KEYS:
        return Reason(value)
    old = (r for start, r in _OLD_REASONS.items() if value.startswith(start))
    return next(old, Reason.INTERNAL)


# columns added after the first ledgers were written: (name, SQL type)
ADDED_COLUMNS = (("error_detail", "TEXT"),)


class Ledger:
    """The SQLite ledger of one output folder (one writer: the process running it)."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / LEDGER_NAME
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._add_columns()

    def _add_columns(self) -> None:
        """Bring a ledger written by an earlier version up to date, so a run can
        resume in it (its rows stay as they are)."""
        have = {row[1] for row in self._db.execute("PRAGMA table_info(inputs)")}
        for name, kind in ADDED_COLUMNS:
            if name not in have:
                self._db.execute(f"ALTER TABLE inputs ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str) -> Row | None:
        cursor = self._db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM inputs WHERE path = ?", (path,)
        )
        found = cursor.fetchone()
        return _row(found) if found else None

    def rows(self) -> list[Row]:
        """Every row, by path (tests and reports)."""
        cursor = self._db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM inputs ORDER BY path"
        )
        return [_row(found) for found in cursor]

    def done_by_sha(self) -> dict[str, str]:
        """sha256 → path of inputs already processed, to spot duplicates of them."""
        cursor = self._db.execute(
            "SELECT sha256, path FROM inputs WHERE status IN (?, ?, ?) ORDER BY path",
            WRITTEN,
        )
        return dict(reversed(cursor.fetchall()))

    def shard_sizes(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT name, size FROM shards").fetchall())

    def commit(self, rows: Iterable[Row], shards: dict[str, int] | None = None) -> None:
        """Record rows and the shard sizes that hold their lines, all or nothing."""
        now = time.time()
        with self._transaction():
            self._db.executemany(
                f"INSERT OR REPLACE INTO inputs ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COLUMNS))})",
                [(*astuple(row)[:-1], now) for row in rows],
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO shards (name, size) VALUES (?, ?)",
                list((shards or {}).items()),
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


def needs_run(
    row: Row | None, group_sha256: str, extractor: str, retry_failed: bool
) -> bool:
    """Whether an input must be (re)processed given its ledger row.

    Unchanged input and extractor: finished rows are skipped, failed ones only
    with ``retry_failed``. A changed file or a new extractor version always runs.
    """
    if row is None or row.group_sha256 != group_sha256 or row.extractor != extractor:
        return True
    return row.status not in FINISHED and (row.status != Status.FAILED or retry_failed)


class Shards:
    """Append-only JSONL files (``_shard-00001.jsonl`` …) cut at ``max_lines``.

    The ``_`` prefix keeps ``referat-nlp index OUT`` from reading a referat twice
    (once from its JSON file, once from its shard line); pass the shards
    themselves to bulk-load them.
    """

    def __init__(
        self, out_dir: Path, committed: dict[str, int], prefix: str, max_lines: int
    ) -> None:
        self.out_dir, self.prefix, self.max_lines = out_dir, prefix, max_lines
        self.sizes = {n: s for n, s in committed.items() if n.startswith(prefix)}
        for stray in out_dir.glob(f"{prefix}-*.jsonl"):
            if stray.name not in self.sizes:
                stray.unlink()  # written by a run that died before committing it
        for name, size in self.sizes.items():
            _truncate(out_dir / name, size)
        self.current = max(self.sizes, default=None)
        self.lines = _count_lines(out_dir / self.current) if self.current else 0

    def append(self, line: str) -> tuple[str, int]:
        """Append one line (flushed, not yet committed); return the shard and size."""
        if self.current is None or self.lines >= self.max_lines:
            self.current = f"{self.prefix}-{len(self.sizes) + 1:05d}.jsonl"
            self.lines = 0
        path = self.out_dir / self.current
        with path.open("ab") as handle:
            handle.write(line.encode("utf-8") + b"\n")
            size = handle.tell()
        self.sizes[self.current] = size
        self.lines += 1
        return self.current, size


def _truncate(path: Path, size: int) -> None:
    if path.exists() and path.stat().st_size > size:
        with path.open("r+b") as handle:
            handle.truncate(size)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
