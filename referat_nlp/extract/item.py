"""Extraction: a segmented raw item → a filled :class:`Item`.

Picks this meeting's decision among the item's sections, finds case and document
numbers, amounts, dates and names, lists the attachments, and classifies the
decision. Everything keeps offsets into the document text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from referat_nlp.decisions import lemmas, rules
from referat_nlp.document import Amount, Attachment, Item, Meeting, Section, Span
from referat_nlp.extract import amounts, case_numbers, dates, names
from referat_nlp.extract.case_numbers import CASE_LABEL
from referat_nlp.structure.layout import Text
from referat_nlp.structure.sections import DECISION, heading_date
from referat_nlp.structure.segment import RE_META, RawItem, RawSection, is_status_line

if TYPE_CHECKING:
    from referat_nlp.decisions.model import LinearTextModel

# the Rødovre layout records the outcome under "Referat" instead of "Beslutning"
DECISION_KINDS = (DECISION, "Referat")
RECOMMENDATION_KINDS = (
    "Indstilling",
    "Administrationen indstiller",
    "Forvaltningen indstiller",
    "Direktionen indstiller",
)
# the start of a listed attachment: "2012-208960 - Title", "1\tÅben\tTitle\t222359/12",
# "Bilag 2: Title"; lines without such a prefix continue the one above
RE_ATTACHMENT_PREFIX = re.compile(
    r"^(?:bilag\s*\d+\s*[:.-]\s*|\d{1,3}\s+(?:åben|lukket)\s+|\d{4}[-–]\d{3,7}\s*[-–]\s*)",
    re.I,
)
RE_ATTACHMENT_SUFFIX = re.compile(r"(?<!\s)\s+\(?\d{3,7}/\d{2}\)?\s*$")
# "c. Konference den …": a sub-point of the item, after its own Bilag list
RE_SUBPOINT = re.compile(r"^[a-zæøå]\.\s")
NO_ATTACHMENTS = frozenset({"ingen", "ingen bilag", "intet", "-"})


def item(
    doc: Text,
    raw: RawItem,
    meeting: Meeting,
    classifier: LinearTextModel | None = None,
) -> Item:
    """Build the Item for one raw item of ``doc``; ``classifier`` decides the
    decision texts the rules leave open (None: the shipped model, loaded on the
    first decision, so a document without decisions never loads it)."""
    sections = tuple(_section(doc, s) for s in raw.sections)
    decision_span = _decision_span(doc, raw, meeting)
    body_text = doc.text[raw.body_start : raw.end]
    ids = case_numbers.find(_without_attachments(doc, raw), offset=raw.body_start)
    title, title_cases = case_numbers.split_title(raw.title)
    decision = None
    if decision_span is not None:
        start, end = decision_span
        model = classifier if classifier is not None else rules.load_model()
        text, proposal = doc.text[start:end], recommendation(sections)
        classified = rules.decide(text, proposal, model, title)
        decision = classified.model_copy(update={"start": start, "end": end})
    return Item(
        number=raw.number,
        title=title,
        case_numbers=_unique(
            [*title_cases, *(s.value or s.text for s in ids if s.label == CASE_LABEL)]
        ),
        doc_numbers=_unique(s.value or s.text for s in ids if s.label == "doc_number"),
        open=raw.open,
        sections=sections,
        decision=decision,
        amounts=_amounts(doc, raw, body_text),
        attachments=_attachments(sections),
        pages=raw.pages,
        start=raw.start,
        end=raw.end,
        entities=_entities(ids, body_text, raw.body_start),
    )


def _amounts(doc: Text, raw: RawItem, body_text: str) -> tuple[Amount, ...]:
    """The amounts of the item's text and of its sections printed elsewhere (a
    minute book's "Ad N." decisions stand after the last item)."""
    found = amounts.find(body_text, offset=raw.body_start)
    for s in raw.sections:
        if s.text_start >= raw.end:
            text = doc.text[s.text_start : s.text_end]
            found += amounts.find(text, offset=s.text_start)
    return found


def recommendation(sections: Sequence[Section]) -> str | None:
    """The item's Indstilling text, which a bare "Godkendt." decision refers to."""
    return next((s.text for s in sections if s.kind in RECOMMENDATION_KINDS), None)


def _section(doc: Text, raw: RawSection) -> Section:
    start, end = _strip(doc.text, raw.text_start, raw.text_end)
    return Section(
        heading=raw.heading,
        kind=raw.kind,
        text=doc.text[start:end],
        start=start,
        end=end,
    )


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of text[start:end] without its leading and trailing white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _decision_span(doc: Text, raw: RawItem, meeting: Meeting) -> tuple[int, int] | None:
    """This meeting's decision text, or the whole body of a heading-less item."""
    for kind in DECISION_KINDS:
        candidates = [s for s in raw.sections if s.kind == kind]
        if candidates:
            chosen = _this_meeting(candidates, meeting.date)
            span = _strip(doc.text, chosen.text_start, chosen.text_end)
            return span if span[0] < span[1] else None
    if raw.sections:
        return _headless(doc, raw)
    if raw.decision is not None:
        return raw.decision
    return _bare_body(doc, raw)


# a proposal, not a decision: "Forvaltningen indstiller, at …", "- at sagen …"
RE_PROPOSAL = re.compile(
    r"\b(?:indstiller|indstilles|foreslår|foreslås)\b|^\W*at\s", re.IGNORECASE
)
# a date in a sentence: an act dated another day is history ("Byrådet vedtog
# politikken i 2021"), not this meeting's decision
RE_DATED = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}\.\s*[a-zæøå]{3,}\b")


def _headless(doc: Text, raw: RawItem) -> tuple[int, int] | None:
    """A decision that stands with no heading after the item's last section.

    Some minutes print Sagsfremstilling and Indstilling, then record what the body
    did in a paragraph of its own: "Udvalget afslog ansøgningen." It is the last
    run of whole lines of that section (each after a line ending a sentence) that
    says in the past tense that something was decided, with no proposal in it and
    no date (an act dated another day is history). None when there is no such run.
    """
    last = next((s for s in reversed(raw.sections) if s.kind != "Bilag"), None)
    if last is None:
        return None
    lines = [
        line
        for line in doc.lines[last.line :]
        if last.text_start <= line.start < last.text_end and line.stripped
    ]
    for previous, line in reversed(list(pairwise(lines))):
        if not previous.stripped.endswith((".", "!", "?")):
            continue
        span = _strip(doc.text, line.start, last.text_end)
        block = doc.text[span[0] : span[1]]
        if RE_PROPOSAL.search(block):
            return None
        sentences = lemmas.sentences(rules.normalise(block))
        if any(lemmas.records_act(s) and not RE_DATED.search(s) for s in sentences):
            return span
    return None


def _this_meeting(candidates: Sequence[RawSection], date: str | None) -> RawSection:
    """Among several decision sections, the one of this meeting.

    Items carry earlier bodies' decisions along ("Beslutning i Økonomiudvalget den
    19. november 2019"): a heading dated this meeting wins; headings dated another
    day are earlier decisions, so an undated one is preferred to them; with no
    meeting date to compare, the latest dated heading is this meeting's.
    """
    dated = [(dates.parse_date(heading_date(s.heading) or ""), s) for s in candidates]
    if date is not None:
        for when, section in dated:
            if when is not None and when.isoformat() == date:
                return section
        undated = [s for when, s in dated if when is None]
        if undated:
            return undated[0]
    known = [(when, s) for when, s in dated if when is not None]
    if known:
        return max(known, key=lambda pair: pair[0])[1]
    return candidates[0]


def _bare_body(doc: Text, raw: RawItem) -> tuple[int, int] | None:
    """Advisory-council minutes print the outcome with no heading: the body is it.

    Case-number and status lines at the top of the body are not part of it.
    """
    start = raw.body_start
    for line in doc.lines[raw.first_line :]:
        if line.end <= start:
            continue
        if line.start >= raw.end or (line.stripped and not _is_meta(line.stripped)):
            break
        start = line.end
    span = _strip(doc.text, start, raw.end)
    return span if span[0] < span[1] else None


def _is_meta(text: str) -> bool:
    return (
        bool(RE_META.match(text))
        or text.lower() in {"åben", "åbent", "lukket"}
        or is_status_line(text)
    )


def _without_attachments(doc: Text, raw: RawItem) -> str:
    """The item's body with its Bilag sections blanked: ids listed there are not cases.

    Blanking (not cutting) keeps offsets valid relative to ``raw.body_start``.
    """
    text = doc.text[raw.body_start : raw.end]
    for s in raw.sections:
        if s.kind == "Bilag":
            a, b = s.text_start - raw.body_start, s.text_end - raw.body_start
            text = text[:a] + " " * (b - a) + text[b:]
    return text


def _attachments(sections: Sequence[Section]) -> tuple[Attachment, ...]:
    titles = [
        title
        for section in sections
        if section.kind == "Bilag"
        for title in attachment_titles(section.text)
    ]
    return tuple(Attachment(title=t) for t in titles)


def attachment_titles(text: str) -> list[str]:
    """The titles listed in a Bilag section, one per attachment.

    Lists with numbered or id-prefixed entries may wrap an entry over two lines;
    a list without prefixes has one title per line.
    """
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not any(RE_ATTACHMENT_PREFIX.match(line) for line in lines):
        return [t for line in lines if (t := _clean_title(line))]
    titles: list[str] = []
    for line in lines:
        if RE_ATTACHMENT_PREFIX.match(line):
            titles.append(line)
        elif RE_SUBPOINT.match(line) or (
            titles and RE_ATTACHMENT_SUFFIX.search(titles[-1])
        ):
            break  # a sub-point, or text after an entry closed by its document id
        elif titles:
            titles[-1] = f"{titles[-1]} {line}"
    return [t for line in titles if (t := _clean_title(line))]


def _clean_title(line: str) -> str:
    title = RE_ATTACHMENT_SUFFIX.sub("", RE_ATTACHMENT_PREFIX.sub("", line)).strip()
    return "" if title.lower() in NO_ATTACHMENTS else title


def _entities(ids: Sequence[Span], body: str, offset: int) -> tuple[Span, ...]:
    found = [*ids, *dates.find(body, offset=offset), *names.find(body, offset=offset)]
    return tuple(sorted(found, key=lambda s: (s.start, s.end, s.label)))


def _unique(values: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))  # type: ignore[call-overload]
