"""Search index: parsed referater (the JSON contract) → tables + full-text search.

The index is built from JSON files only (a folder of ``*.json`` written by
:meth:`Referat.to_json`, or ``*.jsonl`` shards with one referat per line), so it
can be rebuilt without re-parsing a single PDF. A person can read every table in
it (``meetings``, ``items``, ``sections``, ``decisions``, ``amounts``,
``case_numbers``, ``attachments``; the view ``item_overview``), for instance in
Datasette.

This module holds the public API (:func:`build`, :func:`search`, :class:`Hit`) and
what the back ends share: reading the JSON, turning a referat into rows, deciding
what to add, replace or skip, and the search SQL around the full-text part. The
back ends are :mod:`referat_nlp.index_sqlite` (a file; the default) and
:mod:`referat_nlp.index_pg` (a ``postgresql://`` URL). Queries and filters are
parsed by :mod:`referat_nlp.query`, words normalised by :mod:`referat_nlp.stemming`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from referat_nlp import query as q
from referat_nlp import stemming
from referat_nlp.document import DecisionLabel, Referat
from referat_nlp.errors import CorruptDocument, MissingFile, ReferatError, SearchError

log = logging.getLogger(__name__)

INDEX_SCHEMA_VERSION = "1"
STDIN = "-"
# FTS columns and their BM25 weights: a word in the title counts most. FTS5 folds the
# weights into the term frequency and normalises by the whole item's length, so the
# title weight must be high for a long item about the subject to beat a short one
# that mentions it once (the corpus relevance test "plejecentrenes").
FTS_COLUMNS = ("title", "decision", "text", "attachments")
BM25_WEIGHTS = (10.0, 2.0, 1.0, 0.5)

# Columns written per table, in row order; ids of sections etc. are left to the db.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "meetings": (
        "id", "municipality", "body", "date", "start_time", "end_time", "location",
        "participants", "absent", "source_path", "source_format", "sha256", "pages",
        "schema_version", "json_path", "content_hash", "item_count", "warnings",
        "municipality_key", "body_key",
    ),
    "items": (
        "id", "meeting_id", "position", "number", "title", "open", "first_page",
        "pages", "start_offset", "end_offset",
    ),
    "sections": (
        "item_id", "position", "kind", "heading", "text", "start_offset", "end_offset",
    ),
    "decisions": (
        "item_id", "label", "text", "confidence", "method", "start_offset",
        "end_offset",
    ),
    "amounts": (
        "item_id", "position", "text", "value_dkk", "currency", "value", "value_max",
        "approximate", "vat", "start_offset", "end_offset",
    ),
    "case_numbers": ("item_id", "kind", "number", "key"),
    "attachments": ("item_id", "position", "title", "file", "sha256", "text"),
}  # fmt: skip


@dataclass(frozen=True)
class Hit:
    """One search result: an agenda item with its meeting, decision and snippet."""

    item_id: int
    score: float
    municipality: str | None
    body: str | None
    date: str | None
    item_number: str
    item_title: str
    decision_label: str | None
    decision_text: str | None
    snippet: str
    source_path: str | None
    page: int | None
    sha256: str
    case_numbers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IndexStats:
    """What an index run did; ``errors`` lists inputs skipped with ``keep_going``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    items: int = 0
    errors: list[str] = field(default_factory=list)


# --- reading the JSON contract -------------------------------------------------------


def json_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``*.json``/``*.jsonl`` files under ``paths`` (``-`` = standard input);
    names starting with ``_`` (run logs such as ``_errors.jsonl``) are skipped in
    folders."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".json", ".jsonl") and not p.name.startswith("_")
            )
        elif path.is_file() or str(path) == STDIN:
            found.append(path)
        else:
            raise MissingFile(path)
    return found


def read_documents(
    paths: Iterable[str | Path], on_error: Callable[[ReferatError], None] | None = None
) -> Iterator[tuple[str, Referat]]:
    """Yield ``(label, referat)``; the label is the file, or ``file:line`` in JSONL.

    ``-`` reads standard input: one JSON document, or JSONL (as printed by
    ``referat-nlp parse`` with several inputs). A file that is not a valid referat
    raises :class:`CorruptDocument`, or is passed to ``on_error`` and skipped.
    """
    for path in json_files(paths):
        try:
            if str(path) == STDIN:
                text = sys.stdin.read()
                lines = path.suffix == ".jsonl" or not _one_document(text)
            else:
                text = path.read_text(encoding="utf-8")
                lines = path.suffix == ".jsonl"
        except UnicodeDecodeError as err:
            _fail(CorruptDocument(path, f"not UTF-8 ({err.reason})"), on_error)
            continue
        chunks = enumerate(text.splitlines(), 1) if lines else [(0, text)]
        for number, chunk in chunks:
            label = f"{path}:{number}" if lines else str(path)
            if not chunk.strip():
                continue
            try:
                yield label, _load(label, chunk)
            except CorruptDocument as err:
                _fail(err, on_error)


def _one_document(text: str) -> bool:
    """Whether ``text`` is one JSON value (not JSON lines)."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _fail(err: ReferatError, on_error: Callable[[ReferatError], None] | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


def _load(label: object, text: str) -> Referat:
    try:
        return Referat.from_json(text)
    except json.JSONDecodeError as err:
        raise CorruptDocument(label, f"not JSON ({err})") from err
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise CorruptDocument(label, f"not a referat: {where}: {first['msg']}") from err


# --- rows -----------------------------------------------------------------------------


@dataclass
class Rows:
    """Table rows for one referat (keyed like ``TABLE_COLUMNS``) plus, per item,
    the original texts that feed the full-text index: (item_id, title, decision,
    text, attachments)."""

    tables: dict[str, list[tuple[Any, ...]]]
    search: list[tuple[int, str, str, str, str]]


def document_rows(label: str, referat: Referat, meeting_id: int, item_id: int) -> Rows:
    """Flatten a referat into rows; items get ids ``item_id``, ``item_id + 1`` …"""
    meeting, source = referat.meeting, referat.source
    tables: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLE_COLUMNS}
    tables["meetings"].append((
        meeting_id, meeting.municipality, meeting.body, meeting.date,
        meeting.start_time, meeting.end_time, meeting.location,
        json.dumps(meeting.participants, ensure_ascii=False),
        json.dumps(meeting.absent, ensure_ascii=False), source.path, source.format,
        source.sha256, source.pages, referat.schema_version, label,
        content_hash(referat), len(referat.items),
        json.dumps(referat.warnings, ensure_ascii=False),
        " ".join(stemming.words(meeting.municipality or "")),
        " ".join(stemming.words(meeting.body or "")),
    ))  # fmt: skip
    search = []
    for position, item in enumerate(referat.items):
        search.append(
            _item_rows(tables, item, item_id + position, meeting_id, position)
        )
    return Rows(tables, search)


def _item_rows(
    tables: dict[str, list[tuple[Any, ...]]], item: Any, iid: int, mid: int, pos: int
) -> tuple[int, str, str, str, str]:
    decision = item.decision
    tables["items"].append((
        iid, mid, pos, item.number, item.title, item.open,
        item.pages[0] if item.pages else None, json.dumps(item.pages),
        item.start, item.end,
    ))  # fmt: skip
    for n, s in enumerate(item.sections):
        tables["sections"].append((iid, n, s.kind, s.heading, s.text, s.start, s.end))
    if decision is not None:
        tables["decisions"].append((
            iid, decision.label.value if decision.label else None, decision.text,
            decision.confidence, decision.method, decision.start, decision.end,
        ))  # fmt: skip
    for n, a in enumerate(item.amounts):
        tables["amounts"].append((
            iid, n, a.text, a.value_dkk, a.currency, a.value, a.value_max,
            a.approximate, a.vat, a.start, a.end,
        ))  # fmt: skip
    numbers = [("case", c) for c in item.case_numbers]
    numbers += [("doc", d) for d in item.doc_numbers]
    tables["case_numbers"] += [(iid, kind, n, q.case_key(n)) for kind, n in numbers]
    for n, att in enumerate(item.attachments):
        tables["attachments"].append(
            (iid, n, att.title, att.file, att.sha256, att.text)
        )
    decision_text = decision.text if decision else ""
    # The decision section repeats the decision; counting it twice would skew BM25.
    body = [s.text for s in item.sections if s.text.strip() != decision_text.strip()]
    body += [n for _, n in numbers]
    attached = [f"{a.title}\n{a.text or ''}" for a in item.attachments]
    return (iid, item.title, decision_text, "\n".join(body), "\n".join(attached))


def content_hash(referat: Referat) -> str:
    """Hash of the referat's JSON: tells a changed (re-parsed) document apart."""
    return hashlib.sha256(referat.to_json(indent=None).encode()).hexdigest()


# --- building: shared by the back ends -----------------------------------------------


class Store(Protocol):
    """What :func:`index_documents` needs from a back end, inside one transaction."""

    def existing(self, sha256: str, path: str | None) -> list[tuple[int, str]]: ...
    def delete(self, meeting_ids: Sequence[int]) -> None: ...
    def insert(self, rows: Rows) -> None: ...
    def next_ids(self) -> tuple[int, int]: ...


def index_documents(
    store: Store, documents: Iterator[tuple[str, Referat]], stats: IndexStats
) -> None:
    """Add, replace or skip each document (same source path or same sha256 = same).

    An unchanged document (same JSON) is skipped; a changed one replaces every row of
    the old one, so re-indexing never duplicates.
    """
    meeting_id, item_id = store.next_ids()
    for label, referat in documents:
        old = store.existing(referat.source.sha256, referat.source.path)
        if len(old) == 1 and old[0][1] == content_hash(referat):
            stats.unchanged += 1
            continue
        store.delete([mid for mid, _ in old])
        store.insert(document_rows(label, referat, meeting_id, item_id))
        meeting_id, item_id = meeting_id + 1, item_id + len(referat.items)
        stats.items += len(referat.items)
        if old:
            stats.updated += 1
        else:
            stats.added += 1
        log.info("indexed %s (%d items)", label, len(referat.items))


def skip_and_record(errors: list[str]) -> Callable[[ReferatError], None]:
    """An ``on_error`` for ``keep_going`` runs: log the bad file, note it, go on."""

    def record(err: ReferatError) -> None:
        log.warning("%s", err)
        errors.append(str(err))

    return record


# --- searching: shared by the back ends ----------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between back ends.

    ``fts`` selects ``id`` and ``score`` (higher is better) of the items matching
    the ``:query`` parameter; ``param`` formats a named parameter.
    """

    param: str  # ":{}" or "%({})s"
    fts: str
    render: Any  # query.Node -> str

    def p(self, name: str) -> str:
        return self.param.format(name)


HIT_SELECT = """
SELECT i.id, m.municipality, m.body, m.date, i.number, i.title, d.label, d.text,
       m.source_path, i.first_page, m.sha256
FROM items i
JOIN meetings m ON m.id = i.meeting_id
LEFT JOIN decisions d ON d.item_id = i.id
WHERE i.id IN ({ids})
"""


def search_sql(
    dialect: Dialect, node: q.Node | None, filters: q.Filters, limit: int
) -> tuple[str, dict[str, Any]]:
    """The ranking query: ids and scores of the best ``limit`` items.

    It selects ids only; :func:`make_hits` fetches the details of the few it
    returns. With words, filters on an item are EXISTS tests on the id, so the
    full-text match drives the query (an ``IN`` on the FTS5 rowid would re-run
    the match per value); without words, the newest meetings come first.
    """
    items, meetings, params = filter_sql(dialect, filters)
    if node is None:
        sql = "SELECT i.id, 0.0 FROM items i JOIN meetings m ON m.id = i.meeting_id"
        where = [_item_in(test) for test in items] + meetings
        order = "m.date DESC, i.id DESC"
    else:
        sql = f"SELECT r.id, r.score FROM ({dialect.fts}) r"
        where = [_item_test(test, "r.id") for test in items]
        if meetings:
            sql += " JOIN items i ON i.id = r.id"
            matching = " AND ".join(meetings)
            where.append(
                f"i.meeting_id IN (SELECT m.id FROM meetings m WHERE {matching})"
            )
        order = "r.score DESC, r.id DESC"
        params["query"] = dialect.render(node)
    if where:
        sql += " WHERE " + " AND ".join(where)
    params["limit"] = limit
    return f"{sql} ORDER BY {order} LIMIT {dialect.p('limit')}", params


def _item_in(test: tuple[bool, str, str]) -> str:
    """An item test as ``i.id IN (…)``: fast when the items table drives."""
    negated, table, condition = test
    return (
        f"i.id {'NOT ' if negated else ''}IN (SELECT x.item_id FROM {table} x"
        f" WHERE {condition})"
    )


def _item_test(test: tuple[bool, str, str], item_id: str) -> str:
    """An item test as a correlated EXISTS: fast when the full-text match drives."""
    negated, table, condition = test
    return (
        f"{'NOT ' if negated else ''}EXISTS (SELECT 1 FROM {table} x"
        f" WHERE x.item_id = {item_id} AND ({condition}))"
    )


def filter_sql(
    dialect: Dialect, f: q.Filters
) -> tuple[list[tuple[bool, str, str]], list[str], dict[str, Any]]:
    """Filters as item tests (negated?, table, condition on ``x``), conditions on
    meetings ``m``, and their parameters."""
    p = dialect.p
    items: list[tuple[bool, str, str]] = []
    if f.decision == DecisionLabel.NONE.value:  # no decision, or labelled "ingen"
        items.append(
            (True, "decisions", f"x.label IS NULL OR x.label <> {p('decision')}")
        )
    elif f.decision:
        items.append((False, "decisions", f"x.label = {p('decision')}"))
    bounds = [f"x.value_dkk >= {p('min_amount')}"] if f.min_amount is not None else []
    if f.max_amount is not None:
        bounds.append(f"x.value_dkk <= {p('max_amount')}")
    if bounds:
        items.append((False, "amounts", " AND ".join(bounds)))
    if f.case:
        items.append((False, "case_numbers", f"x.key = {p('case')}"))
    meetings = [
        f"m.{name}_key LIKE '%%' || {p(name)} || '%%'"
        for name in ("body", "municipality")
        if getattr(f, name)
    ]
    if f.date_from:
        meetings.append(f"m.date >= {p('date_from')}")
    if f.date_to:
        meetings.append(f"m.date <= {p('date_to')}")
    return items, meetings, {k: v for k, v in asdict(f).items() if v is not None}


def make_hits(
    conn: Any, dialect: Dialect, ranked: list[Any], node: q.Node | None
) -> list[Hit]:
    """:class:`Hit` objects for the ranked ``(id, score)`` rows, in their order,
    with snippets and case numbers."""
    if not ranked:
        return []
    marks = ", ".join(dialect.p(f"i{n}") for n in range(len(ranked)))
    params = {f"i{n}": row[0] for n, row in enumerate(ranked)}
    rows = {r[0]: r for r in conn.execute(HIT_SELECT.format(ids=marks), params)}
    texts: dict[int, list[str]] = {iid: [] for iid in rows}
    cases: dict[int, list[str]] = {iid: [] for iid in rows}
    for table in ("sections", "attachments"):
        sql = f"SELECT item_id, text FROM {table} WHERE item_id IN ({marks})"
        for iid, text in conn.execute(sql + " ORDER BY item_id, position", params):
            texts[iid].append(text or "")
    sql = f"SELECT item_id, number FROM case_numbers WHERE item_id IN ({marks})"
    for iid, number in conn.execute(sql + " AND kind = 'case' ORDER BY id", params):
        cases[iid].append(number)
    terms = q.positive_terms(node)
    return [
        Hit(
            item_id=iid, score=round(float(score), 6), municipality=r[1], body=r[2],
            date=r[3], item_number=r[4], item_title=r[5], decision_label=r[6],
            decision_text=r[7], source_path=r[8], page=r[9], sha256=r[10],
            snippet=q.snippet([r[7] or "", *texts[iid], r[5]], terms),
            case_numbers=tuple(cases[iid]),
        )
        for iid, score in ranked
        if (r := rows.get(iid)) is not None
    ]  # fmt: skip


# --- the public API ------------------------------------------------------------------


def is_postgres(db: str | Path) -> bool:
    """True for a PostgreSQL URL (``postgresql://…``), False for a SQLite file."""
    return str(db).startswith(("postgresql://", "postgres://"))


def _backend(db: str | Path) -> Any:
    """The back-end module for ``db`` (imported late: both import this module)."""
    if is_postgres(db):
        from referat_nlp import index_pg

        return index_pg
    from referat_nlp import index_sqlite

    return index_sqlite


def build(
    db: str | Path,
    paths: Iterable[str | Path],
    *,
    rebuild: bool = False,
    keep_going: bool = False,
) -> IndexStats:
    """Index the referat JSON under ``paths`` into ``db`` in one transaction.

    ``db`` is a SQLite file or a ``postgresql://`` URL. Without ``keep_going`` the
    first bad file aborts the run and the index stays as it was; with it, bad
    files are skipped and listed in ``IndexStats.errors``.
    """
    return _backend(db).build(db, paths, rebuild=rebuild, keep_going=keep_going)  # type: ignore[no-any-return]


def search(
    db: str | Path,
    query: str,
    *,
    decision: str | None = None,
    body: str | None = None,
    municipality: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_amount: float | None = None,
    max_amount: float | None = None,
    case: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Search the index; best hits first (BM25 on SQLite, ts_rank on PostgreSQL).

    ``query`` uses the syntax in :mod:`referat_nlp.query` (an empty query lists the
    newest items matching the filters). ``body`` and ``municipality`` match part of
    the name ("økonomi" finds Økonomiudvalget), ``date_from``/``date_to`` take
    YYYY[-MM[-DD]], amounts are DKK, ``case`` is a case or document number.
    Raises :class:`SearchError` for bad syntax, bad filters or a missing index.
    """
    filters = q.Filters.checked(
        decision=decision, body=body, municipality=municipality, date_from=date_from,
        date_to=date_to, min_amount=min_amount, max_amount=max_amount, case=case,
    )  # fmt: skip
    node = q.parse(query)
    if node is None and filters == q.Filters():
        raise SearchError(
            f"query {query!r}", "nothing to search for: give words or a filter"
        )
    return _backend(db).search(db, node, filters, limit)  # type: ignore[no-any-return]
