"""The search index's tables, written once and rendered for each back end.

SQLite (:mod:`referat_nlp.search.sqlite`) and PostgreSQL
(:mod:`referat_nlp.search.postgres`) hold the same tables and columns; only the column
types differ, because SQLite has no boolean, numeric, jsonb or identity columns.
So each column is written here once as ``"name type [constraints]"`` with a
neutral type from :data:`TYPES`, and :func:`tables_ddl` renders the ``CREATE
TABLE`` and ``CREATE INDEX`` statements for one back end. A type ``ref:<table>``
is a foreign key to that table's id, deleted with its row (``ON DELETE CASCADE``):
deleting a meeting deletes everything indexed from its referat.

The full-text table and the ``item_overview`` view stay with each back end: FTS5
against a tsvector column, ``group_concat`` against ``string_agg``.

Attachments are rows of their meeting; ``item_id`` is NULL for a bilag that no
item lists (``Referat.attachments``), which the search ranks beside the items.
A referat in which no agenda item was found keeps its full text in
``meetings.text`` and is one search unit (``meetings.unit_id``) beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Version 2: attachments carry meeting_id and a nullable item_id (meeting-level
# bilag), and the full-text table has a row per meeting-level bilag.
# Version 3: a referat in which no item was found is one search unit of its own
# (meetings.text and meetings.unit_id), so its text is searchable.
INDEX_SCHEMA_VERSION = "3"
BACKENDS = ("sqlite", "postgresql")
# Neutral type -> (SQLite, PostgreSQL). "id" is allocated by the indexer (so the
# full-text rows can name it before the row is written), "serial" by the database.
TYPES: dict[str, tuple[str, str]] = {
    "id": ("INTEGER PRIMARY KEY", "bigint PRIMARY KEY"),
    "serial": (
        "INTEGER PRIMARY KEY",
        "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    ),
    "ref": ("INTEGER", "bigint"),
    "int": ("INTEGER", "integer"),
    "text": ("TEXT", "text"),
    "real": ("REAL", "double precision"),
    "decimal": ("REAL", "numeric"),  # amounts in DKK; SQLite stores floats
    "bool": ("INTEGER", "boolean"),
    "json": ("TEXT", "jsonb"),
}


@dataclass(frozen=True)
class Table:
    """A table: its columns as one comma-separated spec, and its indexes
    (name suffix -> indexed columns)."""

    name: str
    spec: str
    indexes: dict[str, str] = field(default_factory=dict)

    def columns(self) -> list[tuple[str, str, str]]:
        """``(name, neutral type, constraints)`` per column, in order."""
        out = []
        for column in self.spec.split(","):
            name, kind, *rest = column.split()
            out.append((name, kind, " ".join(rest)))
        return out

    def written(self) -> tuple[str, ...]:
        """The columns the indexer writes: all but database-allocated ids."""
        return tuple(name for name, kind, _ in self.columns() if kind != "serial")

    def ddl(self, backend: str) -> list[str]:
        """``CREATE TABLE`` and ``CREATE INDEX`` statements for ``backend``."""
        at = BACKENDS.index(backend)
        columns = []
        for name, kind, rest in self.columns():
            base, _, parent = kind.partition(":")
            sql = " ".join(x for x in (name, TYPES[base][at], rest) if x)
            if parent:
                sql += f" REFERENCES {parent} ON DELETE CASCADE"
            columns.append(sql)
        statements = [f"CREATE TABLE {self.name} ({', '.join(columns)})"]
        statements += [
            f"CREATE INDEX {self.name}_{suffix} ON {self.name} ({indexed})"
            for suffix, indexed in self.indexes.items()
        ]
        return statements


# Parents before children: rows are written, and tables dropped in reverse, in
# this order.
TABLES = (
    Table("meetings", """
        id id, municipality text, body text, date text, start_time text,
        end_time text, location text, participants json, absent json,
        source_path text, source_format text, sha256 text NOT NULL, pages int,
        schema_version text, json_path text, content_hash text, item_count int,
        warnings json, municipality_key text, body_key text, text text,
        unit_id int""",
        # "filters" covers the body/municipality/date filters: a scan of it is 3×
        # faster than of the table
        {"sha256": "sha256", "source_path": "source_path", "date": "date",
         "filters": "municipality_key, body_key, date", "unit": "unit_id"}),
    Table("items", """
        id id, meeting_id ref:meetings NOT NULL, position int, number text,
        title text, open bool, first_page int, pages json, start_offset int,
        end_offset int""",
        {"meeting": "meeting_id"}),
    Table("sections", """
        id serial, item_id ref:items NOT NULL, position int, kind text,
        heading text, text text, start_offset int, end_offset int""",
        {"item": "item_id"}),
    Table("decisions", """
        item_id ref:items PRIMARY KEY, label text, text text, confidence real,
        method text, start_offset int, end_offset int""",
        {"label": "label"}),
    Table("amounts", """
        id serial, item_id ref:items NOT NULL, position int, text text,
        value_dkk decimal, currency text, value decimal, value_max decimal,
        approximate bool, vat text, start_offset int, end_offset int""",
        {"item": "item_id, value_dkk", "value": "value_dkk"}),
    Table("case_numbers", """
        id serial, item_id ref:items NOT NULL, kind text, number text, key text""",
        {"item": "item_id, key", "key": "key"}),
    Table("attachments", """
        id id, meeting_id ref:meetings NOT NULL, item_id ref:items, position int,
        title text, file text, sha256 text, text text""",
        {"meeting": "meeting_id", "item": "item_id"}),
)  # fmt: skip
# What the index is: its schema version and stemmer (the same on both back ends).
INDEX_INFO = Table("index_info", "key text PRIMARY KEY, value text")
# Columns written per table, in row order (ids of sections etc. are the db's).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.written() for t in TABLES}


def tables_ddl(backend: str) -> list[str]:
    """Every shared table's statements for ``backend`` ("sqlite", "postgresql")."""
    return [s for table in (INDEX_INFO, *TABLES) for s in table.ddl(backend)]
