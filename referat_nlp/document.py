"""The data model: what a parsed referat is, and its JSON contract.

Every stage after the readers talks through these types, and the JSON written by
:meth:`Referat.to_json` is the contract other tools (the search index, notebooks,
external systems) read. Field names are fixed by that contract; bump
``SCHEMA_VERSION`` and note it in CHANGELOG.md when they change.

Every extracted value keeps ``start``/``end`` character offsets into
``Referat.text`` (the cleaned document text), so a reviewer can see why it was
extracted.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = "2"
# the versions a document may be written in and still be read (upgraded on load)
READABLE_VERSIONS = ("1", SCHEMA_VERSION)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionLabel(StrEnum):
    """What the body did with an item (the corpus label guide)."""

    APPROVED = "godkendt"
    NOTED = "taget_til_efterretning"
    POSTPONED = "udskudt"
    RECOMMENDED = "anbefalet"
    REJECTED = "afvist"
    DISCUSSED = "drøftet"
    FORWARDED = "oversendt"
    OTHER = "andet"
    NONE = "ingen"


class SourceFormat(StrEnum):
    """The reader a referat came through (PDF engines all give "pdf")."""

    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    HTML = "html"
    FIRSTAGENDA = "firstagenda"


class SectionKind(StrEnum):
    """A section's normalised heading: the closed set of kinds
    :mod:`referat_nlp.structure.sections` recognises (every decision heading is
    ``Beslutning``)."""

    RESUME = "Resume"
    RESUME_ACCENT = "Resumé"
    SUMMARY = "Sammendrag"
    BACKGROUND = "Baggrund"
    DECISION_TOPIC = "Beslutningstema"
    CASE = "Sagsfremstilling"
    CASE_SUPPLEMENT = "Supplerende sagsfremstilling"
    PRESENTATION = "Fremstilling"
    PROCEDURE = "Sagsprocedure"
    DESCRIPTION = "Sagsbeskrivelse"
    RECOMMENDATION = "Indstilling"
    ADMINISTRATION_RECOMMENDS = "Administrationen indstiller"
    DEPARTMENT_RECOMMENDS = "Forvaltningen indstiller"
    DIRECTORS_RECOMMEND = "Direktionen indstiller"
    ECONOMY = "Økonomi"
    STAFF = "Personale"
    LEGAL_BASIS = "Lovgrundlag"
    HISTORY = "Historik"
    DECIDED_BY = "Sagen afgøres af"
    DECIDED_IN = "Sagen afgøres i"
    DECISION_MADE_BY = "Beslutningen træffes af"
    ECONOMY_FUNDING = "Økonomiske konsekvenser og finansiering"
    ECONOMY_ORGANISATION = "Økonomi og organisatoriske konsekvenser"
    ECONOMIC_CONSEQUENCES = "Økonomiske konsekvenser"
    OTHER_CONSEQUENCES = "Øvrige konsekvenser"
    OTHER_MATTERS = "Øvrige forhold"
    COMMUNICATION = "Kommunikation"
    SCHEDULE = "Tidsplan"
    CONSULTATION = "Høring"
    CASE_HISTORY = "Sagens forløb"
    ATTACHMENTS = "Bilag"
    MINUTES = "Referat"
    DECISION = "Beslutning"


class DecisionMethod(StrEnum):
    """How a decision's label was found."""

    RULE = "rule"
    MODEL = "model"
    # a bare approval ("Godkendt") resolved against the item's Indstilling
    RESOLVED = "resolved"


class Vat(StrEnum):
    """Whether an amount is stated including or excluding moms."""

    INCLUDED = "inkl"
    EXCLUDED = "ekskl"


class SchemaVersionError(ValueError):
    """A document written with another version of the JSON contract."""


class OcrPage(_Model):
    """A page whose text came from OCR, and how well it was read.

    ``quality`` is the engine's mean word confidence (0-1); ``low_quality`` flags a
    page whose text a reviewer should check against the scan.
    """

    page: int
    engine: str = "tesseract"
    language: str = "dan"
    quality: float
    low_quality: bool = False


class Source(_Model):
    """Where the referat came from; ``pages`` is None for formats without pages,
    ``ocr`` lists the pages read by OCR."""

    path: str | None
    sha256: str
    format: SourceFormat
    pages: int | None = None
    ocr: tuple[OcrPage, ...] = ()


class Meeting(_Model):
    """One meeting's metadata, found in the header that opens it.

    ``start``/``end`` are the meeting's stretch of ``Referat.text``: the whole text
    for a referat of one meeting, one meeting's part in a minute book
    (forhandlingsprotokol) that holds several.
    """

    municipality: str | None = None
    body: str | None = None
    date: str | None = Field(default=None, description="YYYY-MM-DD")
    start_time: str | None = Field(default=None, description="HH:MM")
    end_time: str | None = None
    location: str | None = None
    participants: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    start: int = 0
    end: int | None = Field(default=None, description="None: to the end of the text")


class Span(_Model):
    """A labelled stretch of the document text (case number, date, person, …)."""

    label: str
    text: str
    start: int
    end: int
    value: str | None = Field(
        default=None, description="normalised value, e.g. an ISO date"
    )


class Section(_Model):
    """One headed part of an item, e.g. Sagsfremstilling or Beslutning.

    ``heading`` is the heading as printed ("Beslutning i Økonomiudvalget den
    1. oktober 2018:"); ``kind`` is its normalised name ("Beslutning").
    """

    heading: str
    kind: SectionKind
    text: str
    start: int
    end: int


class Decision(_Model):
    """The decision recorded for this meeting; ``label`` is None until classified."""

    text: str
    label: DecisionLabel | None = None
    confidence: float | None = None
    method: DecisionMethod | None = None
    start: int | None = None
    end: int | None = None


class Amount(_Model):
    """A money expression; ``value_dkk`` is None for other currencies."""

    text: str
    value_dkk: Decimal | None
    start: int
    end: int
    currency: str = "DKK"
    value: Decimal | None = None
    value_max: Decimal | None = Field(default=None, description="upper end of a range")
    approximate: bool = False
    vat: Vat | None = Field(default=None, description="None when not stated")

    @field_serializer("value_dkk", "value", "value_max")
    def _decimal_as_number(self, v: Decimal | None) -> float | int | None:
        if v is None:
            return None
        return int(v) if v == v.to_integral_value() else float(v)


class Attachment(_Model):
    """A bilag listed under an item (or, in batch runs, a bilag file)."""

    title: str
    file: str | None = None
    sha256: str | None = None
    text: str | None = None


class Item(_Model):
    """One agenda item (dagsordenspunkt); ``meeting`` is its meeting's index in
    ``Referat.meetings`` (numbering restarts at every meeting of a minute book)."""

    number: str
    title: str
    case_numbers: tuple[str, ...] = ()
    doc_numbers: tuple[str, ...] = ()
    open: bool | None = None
    sections: tuple[Section, ...] = ()
    decision: Decision | None = None
    amounts: tuple[Amount, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    pages: tuple[int, ...] = ()
    start: int = 0
    end: int = 0
    entities: tuple[Span, ...] = ()
    meeting: int = 0

    def section(self, kind: str) -> Section | None:
        """The first section of ``kind`` (normalised name), or None."""
        return next((s for s in self.sections if s.kind == kind), None)


class Referat(_Model):
    """A parsed referat: source, its meetings, items and the text they point into.

    Most referater hold one meeting; a minute book holds several, in text order,
    and each item names its meeting by index. ``Referat(meeting=...)`` is accepted
    for the one-meeting case, and ``referat.meeting`` is the first meeting.
    """

    schema_version: str = Field(
        default=SCHEMA_VERSION, json_schema_extra={"const": SCHEMA_VERSION}
    )
    source: Source
    meetings: tuple[Meeting, ...] = Field(min_length=1)
    items: tuple[Item, ...] = ()
    attachments: tuple[Attachment, ...] = Field(
        default=(), description="bilag found beside the referat that no item lists"
    )
    text: str = ""
    warnings: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _one_meeting(cls, data: Any) -> Any:
        """``meeting=`` (the one-meeting form, and version 1's only field) becomes
        ``meetings``; a version 1 document is read as version 2, as it means the
        same with one meeting."""
        if isinstance(data, dict) and "meeting" in data and "meetings" not in data:
            data = {k: v for k, v in data.items() if k != "meeting"} | {
                "meetings": (data["meeting"],)
            }
        if isinstance(data, dict) and data.get("schema_version") == "1":
            data = data | {"schema_version": SCHEMA_VERSION}
        return data

    @field_validator("schema_version")
    @classmethod
    def _this_version(cls, version: str) -> str:
        """A document of another contract version is not read as this one: its
        fields may mean something else."""
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"schema version {version!r} is not this version's ({SCHEMA_VERSION!r})"
                "; parse the source again with this referat-nlp"
            )
        return version

    @model_validator(mode="after")
    def _items_in_meetings(self) -> Referat:
        """An item names a meeting this referat holds."""
        for item in self.items:
            if not 0 <= item.meeting < len(self.meetings):
                raise ValueError(
                    f"item {item.number!r} names meeting {item.meeting}, but there"
                    f" are {len(self.meetings)}"
                )
        return self

    @property
    def meeting(self) -> Meeting:
        """The first (in most referater the only) meeting."""
        return self.meetings[0]

    def meeting_of(self, item: Item) -> Meeting:
        """The meeting ``item`` was treated at."""
        return self.meetings[item.meeting]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimals as numbers, enums as their values)."""
        return self.model_dump(mode="json")

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON contract as a string: ``json.dumps(to_dict())``, UTF-8 kept.

        Indented output is pydantic's serializer, the same text in a fifth of the
        time (the json module has no C encoder for indented output; tested equal);
        one-line output keeps the json module's separators, which content hashes
        and JSONL shards already hold.
        """
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False)
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Referat:
        """Validate and load a dict written by :meth:`to_dict`."""
        return cls.model_validate(data)

    @classmethod
    def from_json(cls, text: str) -> Referat:
        """Validate and load JSON written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the contract, as shipped in ``referat_nlp/schema``."""
    schema = Referat.model_json_schema(mode="serialization")
    schema["$id"] = f"https://referat-nlp/schema/referat-v{SCHEMA_VERSION}.json"
    return schema
