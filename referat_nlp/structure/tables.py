"""Minutes typed as a table: one row per agenda item.

Small councils (ældreråd, handicapråd, local committees) often write their minutes as
one Word table, "Pkt. | Emne | Referat | Ansvarlig". The readers give each table row as
one line with its cells separated by tabs (DOCX and HTML tables, PDF tables found by
their rules, Word's own plain-text export). Such rows carry no item heading a
numbering chain could find, so they are read as a table. A header row names the
columns (a table without one is an item's content: attachments, a budget). The
column whose cells are rising item numbers is the number (or the numbers lead the
title cells; with no numbers at all, a row's place, when the header names the decision
column), the next column is the title, and a column named like a section
heading (Referat, Beslutning, Indstilling …, also "Drøftelse/beslutning") is that
section of every row. With no decision column named, the column after the title
with the most text is the decision: what the body did is the long cell. Columns
of initials and dates ("Ansvarlig", "Frist") are left out of every section.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from referat_nlp.readers.blocks import CELL
from referat_nlp.structure import sections as sec
from referat_nlp.structure.layout import Line

# an item number cell: "1", "2.", "3)", "4a", "4.1" is a sub-row and no item
RE_NUMBER_CELL = re.compile(r"^(\d{1,3})[.)]?$")
# a title cell that carries its number: "1. Godkendelse af dagsorden"
RE_NUMBERED_TITLE = re.compile(r"^(\d{1,3})\s?[.)]\s*(\S.*)$")
# where a title cell goes on with its case number: "Høring … Sagsnr. 17/1342"
RE_TITLE_META = re.compile(
    r"(?<![\s,;(])[\s,;(]+(?=(?:sags?nr|sagsid|j\.?\s?nr|journalnr|dok\.?\s?nr)\b)",
    re.I,
)
MIN_ROWS = 2  # item rows a table needs to be the minutes
# the columns that hold each row's decision: "Beslutning" (and its synonyms), "Referat"
DECISION_KINDS = (sec.DECISION, "Referat")
SPLIT_HEADER = re.compile(r"/|&|\bog\b")


@dataclass(frozen=True)
class Cell:
    """A cell's text and its offsets in the document text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Column:
    """What a column holds: a section of each row (``kind``, under ``name``)."""

    index: int
    name: str
    kind: str


@dataclass(frozen=True)
class TableRow:
    """An agenda item read from a table row (and the rows that continue it)."""

    number: int
    title: Cell
    line: int  # the row's line index
    last_line: int  # the last line of its continuation rows
    sections: tuple[tuple[Column, Cell], ...]
    end: int  # offset of the end of its last cell


@dataclass(frozen=True)
class MinutesTable:
    """The item rows of a minutes table and the line of its header row."""

    first_line: int
    rows: tuple[TableRow, ...]


def cells(line: Line) -> list[Cell]:
    """The cells of a tab-separated line, each stripped, with offsets."""
    found: list[Cell] = []
    offset = line.start
    for part in line.text.split(CELL):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        found.append(Cell(text, offset + lead, offset + lead + len(text)))
        offset += len(part) + 1
    return found


def find(lines: Sequence[Line]) -> MinutesTable | None:
    """The first run of table rows that holds MIN_ROWS or more numbered items."""
    k = 0
    while k < len(lines):
        if CELL not in lines[k].text:
            k += 1
            continue
        end = k
        while end < len(lines) and (CELL in lines[end].text or not lines[end].stripped):
            end += 1
        table = _read(lines, [i for i in range(k, end) if lines[i].stripped])
        if table is not None:
            return table
        k = end
    return None


def _read(lines: Sequence[Line], run: Sequence[int]) -> MinutesTable | None:
    """The minutes table in the lines ``run`` (their indices), if it is one."""
    grid = [cells(lines[i]) for i in run]
    if _numbers(grid[0]):  # no header row: a list of attachments, a budget table
        return None
    header, body = grid[0], grid[1:]
    number_col = _number_column(body)
    title_col = 0 if number_col is None else number_col + 1
    columns = _columns(header, body, title_col)
    by_place = number_col is None and _unnumbered(header, body)
    rows: list[TableRow] = []
    for i, row in zip(run[1:], body, strict=True):
        place = len(rows) + 1 if by_place else None
        numbered = _row_number(row, number_col, title_col, place)
        if numbered is None:
            if rows and not _numbers(row):
                rows[-1] = _continued(rows[-1], i, row)
            continue
        number, title = numbered
        if rows and number <= rows[-1].number:
            break
        parts = tuple((c, row[c.index]) for c in columns if c.index < len(row))
        rows.append(TableRow(number, title, i, i, parts, row[-1].end))
    if len(rows) < MIN_ROWS or not any(p for r in rows for p in r.sections):
        return None
    return MinutesTable(run[0], tuple(rows))


def _numbers(row: Sequence[Cell]) -> bool:
    return any(RE_NUMBER_CELL.match(c.text) for c in row[:2])


def _unnumbered(header: Sequence[Cell], body: Sequence[Sequence[Cell]]) -> bool:
    """Whether a table numbers no row but is still the minutes: "Emne | Drøftelse
    og beslutning", a title cell and the decision cell of each item. Only a header
    that names the decision column tells it from a table inside an item (a budget,
    a list of attachments), which has no decision column."""
    if len(header) < 2 or any(RE_NUMBERED_TITLE.match(row[0].text) for row in body):
        return False
    return any(_header_kind(cell.text) in DECISION_KINDS for cell in header[1:])


def _number_column(body: Sequence[Sequence[Cell]]) -> int | None:
    """The column (of the first two) whose cells are item numbers in most rows."""
    for col in (0, 1):
        numbered = sum(
            1 for row in body if len(row) > col and RE_NUMBER_CELL.match(row[col].text)
        )
        if numbered * 2 > len(body) and numbered >= MIN_ROWS:
            return col
    return None


def _row_number(
    row: Sequence[Cell], number_col: int | None, title_col: int, place: int | None
) -> tuple[int, Cell] | None:
    """The item number and title cell of ``row``, None for a row of no item; in a
    table that numbers no row, a titled row is item ``place``."""
    if title_col >= len(row) or not row[title_col].text:
        return None
    title = row[title_col]
    if place is not None:
        return place, _title(title)
    if number_col is not None:
        match = RE_NUMBER_CELL.match(row[number_col].text)
        return (int(match[1]), _title(title)) if match else None
    match = RE_NUMBERED_TITLE.match(title.text)
    if match is None:
        return None
    start = title.start + match.start(2)
    return int(match[1]), _title(Cell(match[2], start, title.end))


def _title(cell: Cell) -> Cell:
    """The title part of a title cell: up to a case-number label in it."""
    match = RE_TITLE_META.search(cell.text)
    if match is None:
        return cell
    return Cell(cell.text[: match.start()], cell.start, cell.start + match.start())


def _columns(
    header: Sequence[Cell], body: Sequence[Sequence[Cell]], title_col: int
) -> list[Column]:
    """The section columns after the title: named by the header, else the decision
    is the column with the most text."""
    named = [
        Column(k, cell.text, kind)
        for k, cell in enumerate(header)
        if k > title_col and (kind := _header_kind(cell.text)) is not None
    ]
    if any(c.kind in DECISION_KINDS for c in named):
        return named
    widths: dict[int, int] = {}
    for row in body:
        for k, cell in enumerate(row):
            if k > title_col:
                widths[k] = widths.get(k, 0) + len(cell.text)
    taken = {c.index for c in named}
    free = [k for k in widths if k not in taken and widths[k]]
    if not free:
        return named
    widest = max(free, key=lambda k: widths[k])
    name = header[widest].text if widest < len(header) else ""
    return sorted([*named, Column(widest, name, sec.DECISION)], key=lambda c: c.index)


def _header_kind(text: str) -> str | None:
    """The section a column name names: "Referat", "Drøftelse/beslutning"."""
    kind = sec.heading_kind(text)
    if kind is not None:
        return kind
    for part in map(str.strip, SPLIT_HEADER.split(text)):
        if part and (kind := sec.heading_kind(part.capitalize())) is not None:
            return kind
    return None


def _continued(row: TableRow, line: int, more: Sequence[Cell]) -> TableRow:
    """``row`` spanning a row that continues it (no number, no title of its own);
    its sections stay those of its own row."""
    return TableRow(
        row.number, row.title, row.line, line, row.sections, max(row.end, more[-1].end)
    )
