"""What the search back ends share: reading the JSON contract, turning a referat
into rows, deciding what to add, replace or skip, and the search SQL around the
full-text part. :mod:`referat_nlp.search.index` is the public API over it;
:mod:`referat_nlp.search.sqlite` and :mod:`referat_nlp.search.postgres` run it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import count
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from referat_nlp.document import Attachment, DecisionLabel, Referat
from referat_nlp.errors import CorruptDocument, MissingFile, ReferatError, SearchError
from referat_nlp.search import query as q
from referat_nlp.search import stemming
from referat_nlp.search.tables import INDEX_SCHEMA_VERSION, TABLE_COLUMNS

log = logging.getLogger(__name__)

STDIN = "-"
# FTS columns and their BM25 weights: a word in the title counts most. FTS5 folds the
# weights into the term frequency and normalises by the whole item's length, so the
# title weight must be high for a long item about the subject to beat a short one
# that mentions it once (the corpus relevance test "plejecentrenes").
FTS_COLUMNS = ("title", "decision", "text", "attachments")
BM25_WEIGHTS = (10.0, 2.0, 1.0, 0.5)


@dataclass(frozen=True)
class Hit:
    """One search result: an agenda item with its meeting, decision and snippet,
    or a bilag that no item lists.

    A bilag hit has ``attachment`` set (the bilag's file, or its title when it has
    none), ``item_id`` None, empty ``item_number`` and ``item_title``, no decision,
    page or case numbers, and a snippet from the bilag's text; ``source_path`` and
    ``sha256`` are those of its referat. A hit on a referat in which no item was
    found (``whole_document``) is like it, without ``attachment``, its snippet from
    the referat's text.
    """

    item_id: int | None
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
    attachment: str | None = None
    whole_document: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IndexStats:
    """What an index run did; ``items`` and ``bilag`` (bilag that no item lists)
    count the search units written; ``errors`` lists inputs skipped with
    ``keep_going``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    items: int = 0
    bilag: int = 0
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


# A search unit, as the full-text table gets it: (unit id, meeting id, title,
# decision, text, attachments). The unit id is the item's id, or minus the
# attachment id of a bilag that no item lists, so one id column names both; the
# whole-text unit of a referat without items takes the next attachment id too.
Unit = tuple[int, int, str, str, str, str]


@dataclass(frozen=True)
class Ids:
    """The next free ids of meetings, items and attachments; the indexer
    allocates them (not the database) so full-text rows can name their rows."""

    meeting: int
    item: int
    attachment: int

    def after(self, referat: Referat) -> Ids:
        """The next free ids once ``referat`` has taken its rows."""
        attachments = len(referat.attachments) + _whole_document(referat)
        attachments += sum(len(item.attachments) for item in referat.items)
        return Ids(
            self.meeting + len(referat.meetings), self.item + len(referat.items),
            self.attachment + attachments,
        )  # fmt: skip


# One table row: column name -> value. The back ends insert by column name (named
# placeholders, COPY in the schema's column order), so a row's keys are checked
# against ``TABLE_COLUMNS`` (tests/search/test_index.py) instead of trusting an order.
Row = dict[str, Any]


@dataclass
class Rows:
    """Table rows for one referat (table name -> rows keyed by column name, the
    tables of ``TABLE_COLUMNS``) plus the search units that feed the full-text
    index, with their original texts."""

    tables: dict[str, list[Row]]
    search: list[Unit]


def _whole_document(referat: Referat) -> bool:
    """A referat in which no item was found is searched as one unit, its text."""
    return not referat.items and bool(referat.text.strip())


def document_rows(label: str, referat: Referat, ids: Ids) -> Rows:
    """Flatten a referat into rows with ids from ``ids`` upwards: a meetings row per
    meeting (a minute book holds several; they share the source columns), and each
    item, each bilag that no item lists and the text of a referat without items is
    a search unit."""
    mid = ids.meeting
    tables: dict[str, list[Row]] = {name: [] for name in TABLE_COLUMNS}
    attachment_ids = count(ids.attachment)
    search: list[Unit] = []
    unit_id = None
    if _whole_document(referat):
        unit_id = -next(attachment_ids)
        search.append((unit_id, mid, "", "", referat.text, ""))
    digest = content_hash(referat)
    tables["meetings"] += [
        _meeting_row(label, referat, (mid + k, k, digest), unit_id if k == 0 else None)
        for k in range(len(referat.meetings))
    ]
    search += [
        _item_rows(
            tables, item, (ids.item + position, mid + item.meeting, position),
            attachment_ids,
        )
        for position, item in enumerate(referat.items)
    ]  # fmt: skip
    for n, att in enumerate(referat.attachments):
        aid = next(attachment_ids)
        tables["attachments"].append(_attachment_row((aid, mid, None, n), att))
        search.append((-aid, mid, att.title, "", "", att.text or ""))
    return Rows(tables, search)


def _attachment_row(place: tuple[int, int, int | None, int], att: Attachment) -> Row:
    """``place`` is (attachment id, meeting id, item id or None, position)."""
    aid, mid, iid, position = place
    return {
        "id": aid, "meeting_id": mid, "item_id": iid, "position": position,
        "title": att.title, "file": att.file, "sha256": att.sha256, "text": att.text,
    }  # fmt: skip


def _meeting_row(
    label: str, referat: Referat, place: tuple[int, int, str], unit_id: int | None
) -> Row:
    """The row of the referat's meeting at ``place`` (row id, index in
    ``Referat.meetings``, the referat's content hash); ``unit_id`` names the
    whole-text unit of a referat without items (its text is kept then), else None."""
    mid, index, digest = place
    meeting, source = referat.meetings[index], referat.source
    items = sum(item.meeting == index for item in referat.items)
    return {
        "id": mid, "municipality": meeting.municipality, "body": meeting.body,
        "date": meeting.date, "start_time": meeting.start_time,
        "end_time": meeting.end_time, "location": meeting.location,
        "participants": json.dumps(meeting.participants, ensure_ascii=False),
        "absent": json.dumps(meeting.absent, ensure_ascii=False),
        "source_path": source.path, "source_format": source.format,
        "sha256": source.sha256, "pages": source.pages,
        "schema_version": referat.schema_version, "json_path": label,
        "content_hash": digest, "item_count": items,
        "warnings": json.dumps(referat.warnings, ensure_ascii=False),
        "municipality_key": " ".join(stemming.words(meeting.municipality or "")),
        "body_key": " ".join(stemming.words(meeting.body or "")),
        "text": referat.text if unit_id is not None else None, "unit_id": unit_id,
    }  # fmt: skip


def _item_rows(
    tables: dict[str, list[Row]],
    item: Any,
    place: tuple[int, int, int],
    attachment_ids: Iterator[int],
) -> Unit:
    """The rows of one item; ``place`` is (item id, meeting id, position)."""
    iid, mid, pos = place
    decision = item.decision
    tables["items"].append({
        "id": iid, "meeting_id": mid, "position": pos, "number": item.number,
        "title": item.title, "open": item.open,
        "first_page": item.pages[0] if item.pages else None,
        "pages": json.dumps(item.pages), "start_offset": item.start,
        "end_offset": item.end,
    })  # fmt: skip
    tables["sections"] += [
        {"item_id": iid, "position": n, "kind": s.kind, "heading": s.heading,
         "text": s.text, "start_offset": s.start, "end_offset": s.end}
        for n, s in enumerate(item.sections)
    ]  # fmt: skip
    if decision is not None:
        tables["decisions"].append({
            "item_id": iid, "label": decision.label.value if decision.label else None,
            "text": decision.text, "confidence": decision.confidence,
            "method": decision.method, "start_offset": decision.start,
            "end_offset": decision.end,
        })  # fmt: skip
    tables["amounts"] += [
        {"item_id": iid, "position": n, "text": a.text, "value_dkk": a.value_dkk,
         "currency": a.currency, "value": a.value, "value_max": a.value_max,
         "approximate": a.approximate, "vat": a.vat, "start_offset": a.start,
         "end_offset": a.end}
        for n, a in enumerate(item.amounts)
    ]  # fmt: skip
    numbers = [("case", c) for c in item.case_numbers]
    numbers += [("doc", d) for d in item.doc_numbers]
    tables["case_numbers"] += [
        {"item_id": iid, "kind": kind, "number": n, "key": q.case_key(n)}
        for kind, n in numbers
    ]
    tables["attachments"] += [
        _attachment_row((next(attachment_ids), mid, iid, n), att)
        for n, att in enumerate(item.attachments)
    ]
    decision_text = decision.text if decision else ""
    # The decision section repeats the decision; counting it twice would skew BM25.
    body = [s.text for s in item.sections if s.text.strip() != decision_text.strip()]
    body += [n for _, n in numbers]
    attached = [f"{a.title}\n{a.text or ''}" for a in item.attachments]
    return (
        iid, mid, item.title, decision_text, "\n".join(body), "\n".join(attached)
    )  # fmt: skip


def content_hash(referat: Referat) -> str:
    """Hash of the referat's JSON: tells a changed (re-parsed) document apart."""
    return hashlib.sha256(referat.to_json(indent=None).encode()).hexdigest()


# --- building: shared by the back ends -----------------------------------------------


class Store(Protocol):
    """What :func:`index_documents` needs from a back end, inside one transaction."""

    def existing(self, sha256: str, path: str | None) -> list[tuple[int, str]]: ...
    def delete(self, meeting_ids: Sequence[int]) -> None: ...
    def insert(self, rows: Rows) -> None: ...
    def next_ids(self) -> Ids: ...


def index_documents(
    store: Store, documents: Iterator[tuple[str, Referat]], stats: IndexStats
) -> None:
    """Add, replace or skip each document (same source path or same sha256 = same).

    An unchanged document (same JSON) is skipped; a changed one replaces every row of
    the old one, so re-indexing never duplicates.
    """
    ids = store.next_ids()
    for label, referat in documents:
        old = store.existing(referat.source.sha256, referat.source.path)
        digest = content_hash(referat)
        if len(old) == len(referat.meetings) and all(h == digest for _, h in old):
            stats.unchanged += 1
            continue
        store.delete([mid for mid, _ in old])
        store.insert(document_rows(label, referat, ids))
        ids = ids.after(referat)
        stats.items += len(referat.items)
        stats.bilag += len(referat.attachments)
        if old:
            stats.updated += 1
        else:
            stats.added += 1
        log.info("indexed %s (%d items)", label, len(referat.items))


def next_ids(conn: Any) -> Ids:
    """The next free ids in an index (a sqlite3 or psycopg connection)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM meetings),"
        " (SELECT coalesce(max(id), 0) FROM items),"
        " (SELECT coalesce(max(id), 0) FROM (SELECT id FROM attachments"
        "  UNION ALL SELECT -unit_id FROM meetings WHERE unit_id IS NOT NULL) u)"
    ).fetchone()
    return Ids(*(n + 1 for n in row))


def check_schema(where: object, version: str | None) -> None:
    """Refuse an index of another schema version: its tables differ from ours."""
    if version != INDEX_SCHEMA_VERSION:
        raise SearchError(
            where,
            f"index schema {version} is old (now {INDEX_SCHEMA_VERSION});"
            " run 'referat-nlp index' again with --rebuild",
        )


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

    ``fts`` selects ``id`` and ``score`` (higher is better) of the search units
    matching the ``:query`` parameter (see :data:`Unit` for the ids);
    ``unit_meeting`` is the meeting id of such a unit ``r`` after the joins in
    ``meeting_joins``; ``param`` formats a named parameter.
    """

    param: str  # ":{}" or "%({})s"
    fts: str
    unit_meeting: str
    meeting_joins: str
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
BILAG_SELECT = """
SELECT a.id, m.municipality, m.body, m.date, a.title, a.file, a.text,
       m.source_path, m.sha256
FROM attachments a
JOIN meetings m ON m.id = a.meeting_id
WHERE a.id IN ({ids})
"""


def search_sql(
    dialect: Dialect, node: q.Node | None, filters: q.Filters, limit: int
) -> tuple[str, dict[str, Any]]:
    """The ranking query: ids and scores of the best ``limit`` search units.

    It selects ids only; :func:`make_hits` fetches the details of the few it
    returns. With words, filters on an item are EXISTS tests on the id, so the
    full-text match drives the query (an ``IN`` on the FTS5 rowid would re-run
    the match per value), and they leave bilag units (negative ids) out; meeting
    filters test the unit's meeting against one ``IN`` list of meetings. Without
    words, the newest meetings' items come first.
    """
    items, meetings, params = filter_sql(dialect, filters)
    if node is None:
        sql = "SELECT i.id, 0.0 FROM items i JOIN meetings m ON m.id = i.meeting_id"
        where = [_item_in(test) for test in items] + meetings
        order = "m.date DESC, i.id DESC"
    else:
        sql = f"SELECT r.id, r.score FROM ({dialect.fts}) r"
        where = ["r.id > 0"] if items else []
        where += [_item_test(test, "r.id") for test in items]
        if meetings:
            sql += dialect.meeting_joins
            matching = " AND ".join(meetings)
            where.append(
                f"{dialect.unit_meeting} IN"
                f" (SELECT m.id FROM meetings m WHERE {matching})"
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
    with snippets and case numbers (negative ids are bilag units)."""
    terms = q.positive_terms(node)
    hits = _item_hits(conn, dialect, [r[0] for r in ranked if r[0] > 0], terms)
    hits |= _bilag_hits(conn, dialect, [-r[0] for r in ranked if r[0] < 0], terms)
    hits |= _document_hits(conn, dialect, [r[0] for r in ranked if r[0] < 0], terms)
    return [
        replace(hit, score=round(float(score), 6))
        for uid, score in ranked
        if (hit := hits.get(uid)) is not None
    ]


def _marks(dialect: Dialect, ids: list[int]) -> tuple[str, dict[str, int]]:
    """Placeholders and parameters for ``IN (…)`` over ``ids``."""
    marks = ", ".join(dialect.p(f"i{n}") for n in range(len(ids)))
    return marks, {f"i{n}": uid for n, uid in enumerate(ids)}


def _item_hits(
    conn: Any, dialect: Dialect, ids: list[int], terms: list[q.Term]
) -> dict[int, Hit]:
    """Hits for these items by id (score 0 until ranked)."""
    if not ids:
        return {}
    marks, params = _marks(dialect, ids)
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
    return {
        iid: Hit(
            item_id=iid, score=0.0, municipality=r[1], body=r[2], date=r[3],
            item_number=r[4], item_title=r[5], decision_label=r[6],
            decision_text=r[7], source_path=r[8], page=r[9], sha256=r[10],
            snippet=q.snippet([r[7] or "", *texts[iid], r[5]], terms),
            case_numbers=tuple(cases[iid]),
        )
        for iid, r in rows.items()
    }  # fmt: skip


def _bilag_hits(
    conn: Any, dialect: Dialect, ids: list[int], terms: list[q.Term]
) -> dict[int, Hit]:
    """Hits for these meeting-level bilag, keyed by their unit id (minus the
    attachment id)."""
    if not ids:
        return {}
    marks, params = _marks(dialect, ids)
    return {
        -r[0]: Hit(
            item_id=None, score=0.0, municipality=r[1], body=r[2], date=r[3],
            item_number="", item_title="", decision_label=None, decision_text=None,
            snippet=q.snippet([r[6] or "", r[4]], terms), source_path=r[7],
            page=None, sha256=r[8], attachment=r[5] or r[4],
        )
        for r in conn.execute(BILAG_SELECT.format(ids=marks), params)
    }  # fmt: skip


DOCUMENT_SELECT = """
SELECT unit_id, municipality, body, date, text, source_path, sha256
FROM meetings WHERE unit_id IN ({ids})
"""


def _document_hits(
    conn: Any, dialect: Dialect, ids: list[int], terms: list[q.Term]
) -> dict[int, Hit]:
    """Hits for the whole-text units among these (negative) unit ids."""
    if not ids:
        return {}
    marks, params = _marks(dialect, ids)
    return {
        r[0]: Hit(
            item_id=None, score=0.0, municipality=r[1], body=r[2], date=r[3],
            item_number="", item_title="", decision_label=None, decision_text=None,
            snippet=q.snippet([r[4] or ""], terms), source_path=r[5], page=None,
            sha256=r[6], whole_document=True,
        )
        for r in conn.execute(DOCUMENT_SELECT.format(ids=marks), params)
    }  # fmt: skip
