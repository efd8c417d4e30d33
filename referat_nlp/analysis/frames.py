"""Parsed referater as tidy pandas DataFrames, for analysts in Jupyter.

:func:`load` reads a folder of JSON outputs (``referat-nlp parse --out``), a JSONL
shard (one referat per line), the SQLite search index (``referat-nlp index``) or a
folder written by :meth:`Frames.to_parquet`, and returns the same :class:`Frames`
from each: seven tables with one row per meeting, item, decision, amount, case or
document number, attachment and attendee.

``attachments`` holds every bilag with its ``meeting_id`` and ``item_id``; a bilag
that no item lists (``Referat.attachments``, kept at the meeting level by batch
runs) has an empty ``item_id`` and its place among those bilag as ``position``,
so no bilag text is dropped.

Keys are stable, so frames loaded at different times (or from different sources)
join and compare: ``meeting_id`` is the first 16 hex digits of the source file's
SHA-256, and ``item_id`` is ``<meeting_id>-<position>`` (the item's 0-based place
in its referat, zero-padded). Labels, bodies and other short vocabularies are
categoricals (the decision label keeps all nine labels as categories, in the
contract's order, so counts and colours line up across subsets); meeting dates are
``datetime64``. Rows are in time order: meetings by date, the other tables by
their meeting and position.

Loading streams: one referat is parsed at a time and only the table columns are
kept, which is what keeps 100,000 items well under 1 GB
(``benchmarks/bench_frames.py``). Section texts and the document text stay in the
JSON and the search index; the frames hold what analyses count and plot.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from referat_nlp.document import Attachment, DecisionLabel, Meeting, Referat
from referat_nlp.errors import CorruptDocument, MissingFile, ReferatError
from referat_nlp.search.query import case_key
from referat_nlp.search.store import check_schema, read_documents

log = logging.getLogger(__name__)

KEY_DIGITS = 16
SQLITE_MAGIC = b"SQLite format 3\x00"
LABELS = pd.CategoricalDtype([label.value for label in DecisionLabel])
NUMBER_KINDS = pd.CategoricalDtype(["case", "doc"])
ATTENDANCE = pd.CategoricalDtype(["participant", "absent"])
VAT = pd.CategoricalDtype(["inkl", "ekskl"])
# A party letter printed after a name: "Jesper Fogh Riis (A)", "Mona Halberg (Ø)".
RE_PARTY = re.compile(r"(?<!\s)\s*+\(([A-ZÆØÅ]{1,2})\)\s*$")

# Table -> column -> dtype. "category" means categories taken from the data (sorted).
SCHEMA: dict[str, dict[str, Any]] = {
    "meetings": {
        "meeting_id": "str", "municipality": "category", "body": "category",
        "date": "datetime64[us]", "start_time": "str", "end_time": "str",
        "location": "str", "n_items": "int64", "source_path": "str",
        "source_format": "category", "sha256": "str", "pages": "Int64",
        "schema_version": "category", "warnings": "str",
    },
    "items": {
        "item_id": "str", "meeting_id": "str", "position": "int64", "number": "str",
        "title": "str", "open": "boolean", "first_page": "Int64", "last_page": "Int64",
    },
    "decisions": {
        "item_id": "str", "label": LABELS, "text": "str", "confidence": "float64",
        "method": "category",
    },
    "amounts": {
        "item_id": "str", "position": "int64", "text": "str", "value_dkk": "float64",
        "currency": "category", "value": "float64", "value_max": "float64",
        "approximate": "bool", "vat": VAT,
    },
    "case_numbers": {
        "item_id": "str", "position": "int64", "kind": NUMBER_KINDS, "number": "str",
        "key": "str",
    },
    "attachments": {  # item_id is missing for a bilag that no item lists
        "meeting_id": "str", "item_id": "str", "position": "int64", "title": "str",
        "file": "str", "sha256": "str", "text": "str",
    },
    "participants": {
        "meeting_id": "str", "status": ATTENDANCE, "position": "int64", "name": "str",
        "party": "category",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Frames:
    """The seven tables of a set of referater (see the module docstring)."""

    meetings: pd.DataFrame
    items: pd.DataFrame
    decisions: pd.DataFrame
    amounts: pd.DataFrame
    case_numbers: pd.DataFrame
    attachments: pd.DataFrame
    participants: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in :data:`SCHEMA` order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(df)}" for name, df in self.tables().items())
        return f"Frames({counts})"

    def to_parquet(self, path: str | Path) -> Path:
        """Write one ``<table>.parquet`` per table into the folder ``path``;
        :func:`load` (or :func:`read_parquet`) reads it back unchanged."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables().items():
            df.to_parquet(folder / f"{name}.parquet", engine="pyarrow", index=False)
        return folder

    def overview(self) -> pd.DataFrame:
        """One row per item with its meeting, decision, case numbers and largest
        amount: the table most questions start from.

        ``label`` is "ingen" for items without a decision (as the label guide
        says); ``max_amount_dkk`` is the largest DKK amount mentioned, not a sum,
        because minutes repeat the same amount in several sections.
        """
        meetings = self.meetings[["meeting_id", "municipality", "body", "date"]]
        out = self.items.merge(meetings, on="meeting_id", how="left")
        out["year"] = out["date"].dt.year.astype("Int64")
        decisions = self.decisions.rename(columns={"text": "decision_text"})
        out = out.merge(
            decisions[["item_id", "label", "decision_text"]], on="item_id", how="left"
        )
        out.loc[~out["item_id"].isin(self.decisions["item_id"]), "label"] = "ingen"
        cases = self.case_numbers[self.case_numbers["kind"] == "case"]
        joined = cases.groupby("item_id", sort=False)["number"].agg("; ".join)
        out["case_numbers"] = out["item_id"].map(joined)
        largest = self.amounts.groupby("item_id", sort=False)["value_dkk"].max()
        out["max_amount_dkk"] = out["item_id"].map(largest)
        return out


def load(path: str | Path, *, keep_going: bool = False) -> Frames:
    """Load referater from ``path`` into :class:`Frames`.

    ``path`` is a folder of ``*.json``/``*.jsonl`` files (run logs named ``_*`` are
    skipped), one JSON or JSONL file, a SQLite index built by ``referat-nlp
    index``, or a folder written by :meth:`Frames.to_parquet`. A document that is
    not a valid referat raises :class:`CorruptDocument`; with ``keep_going`` it is
    logged and skipped.

    >>> frames = load("out/")  # doctest: +SKIP
    >>> frames.decisions["label"].value_counts()  # doctest: +SKIP
    """
    source = Path(path)
    if not source.exists():
        raise MissingFile(source)
    if source.is_dir() and (source / "meetings.parquet").is_file():
        return read_parquet(source)
    if source.is_file() and _is_sqlite(source):
        return read_sqlite(source)
    on_error = _log_and_skip if keep_going else None
    return from_referats(referat for _, referat in read_documents([source], on_error))


def from_referats(referats: Iterable[Referat]) -> Frames:
    """Frames from referat objects, e.g. ``from_referats([parse("a.pdf")])``.

    The same source file twice (equal SHA-256) is one meeting: later copies are
    logged and dropped, so a folder holding two runs over one file counts it once.
    """
    builder = _Builder()
    for referat in referats:
        builder.add(referat)
    return _frames({name: pd.DataFrame(cols) for name, cols in builder.columns.items()})


def read_parquet(path: str | Path) -> Frames:
    """Frames from a folder written by :meth:`Frames.to_parquet`."""
    folder = Path(path)
    tables = {}
    for name in SCHEMA:
        file = folder / f"{name}.parquet"
        if not file.is_file():
            raise MissingFile(file)
        tables[name] = pd.read_parquet(file, engine="pyarrow")
    return _frames(tables)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _log_and_skip(err: ReferatError) -> None:
    log.warning("skipped %s", err)


def meeting_key(sha256: str, index: int = 0) -> str:
    """The ``meeting_id`` of a source file's meeting at ``index``: its SHA-256,
    shortened, and for the later meetings of a minute book ".<index>"."""
    return sha256[:KEY_DIGITS] + (f".{index}" if index else "")


def item_key(source_id: str, position: int) -> str:
    """The ``item_id`` of the item at ``position`` (0-based) of a referat whose
    first meeting has the key ``source_id``."""
    return f"{source_id}-{position:03d}"


# --- from referat objects ----------------------------------------------------------


class _Builder:
    """Column lists per table, filled one referat at a time, so a large archive
    never holds more than one referat object besides the columns."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {
            name: {column: [] for column in columns} for name, columns in SCHEMA.items()
        }
        self.seen: set[str] = set()

    def row(self, table: str, *values: Any) -> None:
        for column, value in zip(self.columns[table].values(), values, strict=True):
            column.append(value)

    def add(self, referat: Referat) -> None:
        key = meeting_key(referat.source.sha256)
        if key in self.seen:
            log.warning("%s: same source as an earlier referat; skipped", key)
            return
        self.seen.add(key)
        mids = [
            meeting_key(referat.source.sha256, k) for k in range(len(referat.meetings))
        ]
        counts = Counter(item.meeting for item in referat.items)
        for k, (mid, meeting) in enumerate(zip(mids, referat.meetings, strict=True)):
            self._meeting((mid, counts[k]), referat, meeting)
        for position, item in enumerate(referat.items):
            self._item(item_key(key, position), mids[item.meeting], position, item)
        self._attachments(key, None, referat.attachments)

    def _meeting(self, place: tuple[str, int], referat: Referat, m: Meeting) -> None:
        """One meeting's row; ``place`` is its key and its number of items."""
        (mid, items), src = place, referat.source
        self.row(
            "meetings", mid, m.municipality, m.body, m.date, m.start_time, m.end_time,
            m.location, items, src.path, src.format, src.sha256,
            src.pages, referat.schema_version, _lines(referat.warnings),
        )  # fmt: skip
        for status, names in (("participant", m.participants), ("absent", m.absent)):
            for position, name in enumerate(names):
                party = RE_PARTY.search(name)
                self.row(
                    "participants", mid, status, position, name,
                    party[1] if party else None,
                )  # fmt: skip

    def _item(self, iid: str, mid: str, position: int, item: Any) -> None:
        pages = item.pages or (None,)
        self.row(
            "items", iid, mid, position, item.number, item.title, item.open,
            pages[0], pages[-1],
        )  # fmt: skip
        d = item.decision
        if d is not None:
            label = d.label.value if d.label else None
            self.row("decisions", iid, label, d.text, d.confidence, d.method)
        for n, a in enumerate(item.amounts):
            self.row(
                "amounts", iid, n, a.text, _float(a.value_dkk), a.currency,
                _float(a.value), _float(a.value_max), a.approximate, a.vat,
            )  # fmt: skip
        numbers = [("case", c) for c in item.case_numbers]
        numbers += [("doc", c) for c in item.doc_numbers]
        for n, (kind, number) in enumerate(numbers):
            self.row("case_numbers", iid, n, kind, number, case_key(number))
        self._attachments(mid, iid, item.attachments)

    def _attachments(
        self, mid: str, iid: str | None, attachments: Iterable[Attachment]
    ) -> None:
        """Bilag of an item, or of the meeting when ``iid`` is None."""
        for n, a in enumerate(attachments):
            self.row("attachments", mid, iid, n, a.title, a.file, a.sha256, a.text)


def _lines(texts: Iterable[str]) -> str | None:
    """Warnings as one text, a line each; None when there are none."""
    return "\n".join(texts) or None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


# --- from the SQLite index ---------------------------------------------------------

# Index columns per table, as this module names them; children of items are joined
# to their meeting's sha256 and the item's position to build the stable keys.
_SQL_SCHEMA = "SELECT value FROM index_info WHERE key = 'schema'"
_SQL_MEETINGS = """
SELECT id, sha256, municipality, body, date, start_time, end_time, location, item_count,
       source_path, source_format, pages, schema_version, warnings, participants, absent
FROM meetings ORDER BY id"""
_SQL_CHILD = """
SELECT m.sha256 AS sha256, i.position AS item_position, {columns}
FROM {table} t JOIN items i ON i.id = t.item_id JOIN meetings m ON m.id = i.meeting_id
ORDER BY t.rowid"""
_SQL_ITEMS = """
SELECT m.sha256 AS sha256, i.meeting_id AS meeting_row, i.position, i.number, i.title,
       i.open, i.pages
FROM items i JOIN meetings m ON m.id = i.meeting_id ORDER BY i.id"""
_CHILD_COLUMNS = {
    "decisions": "t.label, t.text, t.confidence, t.method",
    "amounts": (
        "t.position, t.text, t.value_dkk, t.currency, t.value, t.value_max,"
        " t.approximate, t.vat"
    ),
    "case_numbers": "t.kind, t.number, t.key",
}
# Attachments belong to a meeting; the item (and its position) is missing for a
# bilag that no item lists.
_SQL_ATTACHMENTS = """
SELECT m.sha256 AS sha256, t.meeting_id AS meeting_row, i.position AS item_position,
       t.position, t.title, t.file, t.sha256 AS file_sha256, t.text
FROM attachments t JOIN meetings m ON m.id = t.meeting_id
LEFT JOIN items i ON i.id = t.item_id
ORDER BY t.id"""


def read_sqlite(path: str | Path) -> Frames:
    """Frames from a SQLite index built by :func:`referat_nlp.search.index.build`.

    Reads the index's plain tables (not the full-text shadow), so the frames are
    those :func:`load` gives for the JSON the index was built from. An index of
    an older schema raises :class:`SearchError` (rebuild it).
    """
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            version = conn.execute(_SQL_SCHEMA).fetchone()
            check_schema(path, version[0] if version else None)
            meetings = pd.read_sql_query(_SQL_MEETINGS, conn)
            items = pd.read_sql_query(_SQL_ITEMS, conn)
            children = {
                table: pd.read_sql_query(
                    _SQL_CHILD.format(table=table, columns=columns), conn
                )
                for table, columns in _CHILD_COLUMNS.items()
            }
            attachments = pd.read_sql_query(_SQL_ATTACHMENTS, conn)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as err:
        raise CorruptDocument(path, f"not a referat-nlp index ({err})") from err
    keys = _sql_meeting_keys(meetings)
    tables = {
        "meetings": _sql_meetings(meetings, keys),
        "items": _sql_items(items, keys),
        "participants": _sql_participants(meetings, keys),
    }
    for table, df in children.items():
        tables[table] = _sql_child(table, df)
    tables["attachments"] = _sql_attachments(attachments, keys)
    return _frames(tables)


def _sql_meeting_keys(meetings: pd.DataFrame) -> pd.Series:
    """Row id → ``meeting_id``: a minute book's meetings are rows of one source, in
    id order, so their place among those rows is their index in the referat."""
    index = meetings.groupby("sha256", sort=False).cumcount()
    keys = [
        meeting_key(sha, k) for sha, k in zip(meetings["sha256"], index, strict=True)
    ]
    return pd.Series(keys, index=meetings["id"])


def _sql_meetings(df: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    out = df.rename(columns={"item_count": "n_items"})
    out.insert(0, "meeting_id", out.pop("id").map(keys))
    out["warnings"] = out["warnings"].map(lambda w: _lines(json.loads(w or "[]")))
    return out


def _sql_items(df: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    out = df.copy()
    sources = out.pop("sha256").str[:KEY_DIGITS]
    out.insert(0, "meeting_id", out.pop("meeting_row").map(keys))
    out.insert(0, "item_id", _sql_item_ids(sources, out["position"]))
    out["open"] = out["open"].map(lambda v: None if pd.isna(v) else bool(v))
    pages = out.pop("pages").map(lambda p: json.loads(p or "[]") or [None])
    out["first_page"], out["last_page"] = pages.str[0], pages.str[-1]
    return out


def _sql_item_ids(meeting_ids: pd.Series, positions: pd.Series) -> pd.Series:
    return meeting_ids + "-" + positions.astype("int64").astype(str).str.zfill(3)


def _sql_child(table: str, df: pd.DataFrame) -> pd.DataFrame:
    meeting_ids = df.pop("sha256").str[:KEY_DIGITS]
    out = df.copy()
    out.insert(0, "item_id", _sql_item_ids(meeting_ids, out.pop("item_position")))
    if table == "case_numbers":  # the index keeps the contract's order in its ids
        out.insert(1, "position", out.groupby("item_id", sort=False).cumcount())
    if table == "amounts":
        out["approximate"] = out["approximate"].astype(bool)
    return out


def _sql_attachments(df: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    sources = df.pop("sha256").str[:KEY_DIGITS]
    positions = df.pop("item_position")
    listed = positions.notna()
    out = df.rename(columns={"file_sha256": "sha256"})
    items = _sql_item_ids(sources[listed], positions[listed])
    out.insert(0, "item_id", items.reindex(out.index))
    out.insert(0, "meeting_id", out.pop("meeting_row").map(keys))
    return out


def _sql_participants(meetings: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    rows = []
    for row, participants, absent in meetings[
        ["id", "participants", "absent"]
    ].itertuples(index=False):
        for status, names in (("participant", participants), ("absent", absent)):
            for position, name in enumerate(json.loads(names or "[]")):
                party = RE_PARTY.search(name)
                rows.append((keys[row], status, position, name, party and party[1]))
    return pd.DataFrame(rows, columns=list(SCHEMA["participants"]))


# --- typing and ordering -----------------------------------------------------------


def _frames(tables: dict[str, pd.DataFrame]) -> Frames:
    """Apply the schema's dtypes and the canonical row order to every table."""
    typed = {name: _typed(name, tables[name]) for name in SCHEMA}
    meetings = typed["meetings"].sort_values(
        ["date", "start_time", "meeting_id"], na_position="last", kind="stable"
    )
    meeting_rank = pd.Series(range(len(meetings)), index=meetings["meeting_id"])
    items = _ordered(typed["items"], typed["items"]["meeting_id"].map(meeting_rank))
    item_rank = pd.Series(range(len(items)), index=items["item_id"])
    out = {"meetings": meetings.reset_index(drop=True), "items": items}
    for name in ("decisions", "amounts", "case_numbers"):
        out[name] = _ordered(typed[name], typed[name]["item_id"].map(item_rank))
    # a meeting's bilag: its items' in item order, then those no item lists
    bilag = typed["attachments"]
    bilag = bilag.assign(_item=bilag["item_id"].map(item_rank).to_numpy())
    out["attachments"] = _ordered(
        bilag, bilag["meeting_id"].map(meeting_rank), "_item"
    ).drop(columns="_item")
    people = typed["participants"]
    out["participants"] = _ordered(
        people, people["meeting_id"].map(meeting_rank), "status"
    )
    return Frames(**out)


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with exactly the schema's columns and dtypes (empty tables too)."""
    schema = SCHEMA[name]
    out = df.reindex(columns=list(schema))
    for column, dtype in schema.items():
        if isinstance(dtype, str) and dtype == "category":
            out[column] = out[column].astype(_data_categories(out[column]))
        elif str(dtype).startswith("datetime"):
            out[column] = pd.to_datetime(out[column], format="ISO8601").astype(dtype)
        else:
            out[column] = out[column].astype(dtype)
    return out


def _data_categories(values: pd.Series) -> pd.CategoricalDtype:
    """Categories from the data, sorted, as strings: the same for every source."""
    present = values.dropna().astype("str").unique()
    return pd.CategoricalDtype(pd.Index(sorted(present), dtype="str"))


def _ordered(df: pd.DataFrame, rank: pd.Series, *extra: str) -> pd.DataFrame:
    """Rows sorted by their parent's rank, then ``extra`` columns and position."""
    keys = ["_rank", *extra, *(["position"] if "position" in df else [])]
    ordered = df.assign(_rank=rank.to_numpy()).sort_values(keys, kind="stable")
    return ordered.drop(columns="_rank").reset_index(drop=True)
