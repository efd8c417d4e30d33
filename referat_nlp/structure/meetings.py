"""Minute books: one file, several meetings → one stretch of lines per meeting.

A forhandlingsprotokol holds a council's meetings one after another. Each opens
with a dated line that says a meeting was held ("Aar 1938, den 3. Marts, Kl. 19,30
holdt Sogneraadet Møde i …", "Mødet den 7/4 1938 …", "Tirsdag den 13. Maj 1952
Sogneraadsmøde") and ends with "Mødet hævet" and the members' signatures; item
numbers restart at every meeting. A modern referat is one meeting, and its header
dates it once, so a file is split only where two or more such openings stand.

The close ("Mødet hævet Kl. 21,15", "Hvorefter Mødet hævedes") and the signatures
after it belong to no item: a meeting's items end where its close begins, in a
modern referat too.

Some minute books are prose: no numbers, no titles, one paragraph per matter and the
decision in its last sentence. A meeting that opens with a dated line and in which
segmentation finds no items is read so (:func:`prose_items`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from referat_nlp.structure.layout import Line, Text
from referat_nlp.structure.segment import RawItem, Segmented
from referat_nlp.vocabulary import modern_spelling

# what may stand before the date of an opening line, read in modern spelling and
# lower case: nothing ("3. marts 1952. …", and "år 1938, den 3. marts" is one date),
# a weekday or "den" ("tirsdag den 13. maj 1952 …"), or a meeting word ("mødet den
# 7/4 1938", "ordinært sognerådsmøde den …"; OCR of Fraktur reads "Modet")
RE_BEFORE_DATE = re.compile(
    r"^\s*(?:(?:det\s+)?(?:(?:ekstra)?ordinære?t?\s+)?\w*m[øo]de[t]?\s+)?(?:\w+dag\s+)?"
    r"(?:d(?:en|\.)\s+)?"
)
# …and the line says that a meeting was held, before the date or soon after it
RE_MEETING_WORD = re.compile(r"\b(?:\w*m[øo]de[t]?|samledes|forsamlet)\b")
MEETING_WORD_CHARS = 50  # after the date
# "Mødet hævet Kl. 21,15", "Hvorefter Mødet hævedes.", "Mødet sluttede kl. 22."
RE_CLOSE = re.compile(
    r"^\W*(?:(?:hvorefter|derefter|og)\s+)?m[øo]det\s+(?:blev\s+)?"
    r"(?:hævet|hævedes|sluttet|sluttede|afsluttet|afsluttedes)\b"
)


# a paragraph of the header after the opening: who attended
RE_ATTENDANCE = re.compile(r"^\W*(?:til\s?stede|fraværende|afbud|mødt[e]?|deltagere)\b")
# a sentence ends at ". " before a capital ("… 1.845 Kr. Taget til Efterretning."),
# except after an ordinal ("fra 1. April") or an initial or a vowelless abbreviation
# ("J. P. Madsen", "Jens Kr. Mikkelsen", "Chr.", "Nr.") that no figure stands
# before; a capitalised noun of the old spelling ("… en Ko. Bevilget …") has a vowel
RE_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ])")
SHORT_LINE = 0.85  # of the widest line: a sentence ending here ends its paragraph
WRAPPED_WIDTH = 60  # narrower text is not taken for wrapped prose
RE_NO_SENTENCE_END = re.compile(
    r"(?:(?<![\d.])\s|^)(?:\d+|[A-ZÆØÅ][b-df-hj-np-tv-xz]{0,3})\.$"
)


@dataclass(frozen=True)
class MeetingText:
    """One meeting's part of the document: ``text`` holds the lines its header and
    items are read from (offsets stay those of the whole document); ``start`` and
    ``end`` are its stretch of the document text, close and signatures included;
    ``opening`` is the index in ``text.lines`` of the line that opens it, if one
    does (a modern referat's header has none)."""

    text: Text
    start: int
    end: int
    opening: int | None = None


def split(
    doc: Text, find_date: Callable[[str], tuple[int, int] | None]
) -> list[MeetingText]:
    """The meetings of ``doc`` in text order (always at least one).

    ``find_date`` gives the offsets of the first full date in a text, or None
    (the extraction stage's date finder, passed in so the date forms are written
    once).
    """
    lines = doc.lines
    openings = [i for i, line in enumerate(lines) if _opens(lines, i, find_date)]
    bounds = [0, *openings[1:], len(lines)]
    return [
        _meeting(doc, first, stop, (first or openings[0]) - first if openings else None)
        for first, stop in itertools.pairwise(bounds)
    ]


def _opens(
    lines: Sequence[Line], i: int, find_date: Callable[[str], tuple[int, int] | None]
) -> bool:
    """A paragraph that opens by dating a meeting."""
    if i and lines[i - 1].stripped:
        return False
    text = modern_spelling(lines[i].stripped).lower()
    if not RE_MEETING_WORD.search(text):
        return False  # most paragraphs: no need to look for a date
    date = find_date(text)
    if date is None or not RE_BEFORE_DATE.fullmatch(text, 0, date[0]):
        return False
    return bool(
        RE_MEETING_WORD.search(text, 0, date[0])
        or RE_MEETING_WORD.search(text, date[1], date[1] + MEETING_WORD_CHARS)
    )


def _meeting(doc: Text, first: int, stop: int, opening: int | None) -> MeetingText:
    """Lines ``first``..``stop`` as one meeting, its items ending at its close."""
    lines = doc.lines[first:stop]
    start = lines[0].start if lines else len(doc.text)
    end = doc.lines[stop].start if stop < len(doc.lines) else len(doc.text)
    close = _close(lines)
    if close is None:
        return MeetingText(Text(doc.text[:end], lines), start, end, opening)
    lines = lines[:close]
    return MeetingText(Text(doc.text[: lines[-1].end], lines), start, end, opening)


def _close(lines: Sequence[Line]) -> int | None:
    """Index of the meeting's last close line, if one opens a line."""
    for k in range(len(lines) - 1, 0, -1):
        if RE_CLOSE.match(modern_spelling(lines[k].stripped).lower()):
            return k
    return None


def prose_items(part: MeetingText) -> Segmented | None:
    """A prose meeting's items: every paragraph after the opening one (and after
    the attendance paragraphs below it) is one matter, numbered by position, with
    no title, its decision the paragraph's last sentence. None when the meeting
    has no opening line or no paragraph after it."""
    if part.opening is None:
        return None
    lines = part.text.lines
    body = _after_header(lines, part.opening)
    paragraphs = _paragraphs(lines, body)
    if not paragraphs:
        return None
    items = [
        _prose_item(part.text, n, first, last)
        for n, (first, last) in enumerate(paragraphs, 1)
    ]
    return Segmented(tuple(lines[:body]), items, ())


def _after_header(lines: Sequence[Line], opening: int) -> int:
    """The first line after the opening sentence and the attendance ones below it
    (each ends at a line that ends a sentence, or at a blank line)."""
    k = opening
    while True:
        while (
            k < len(lines) and lines[k].stripped and lines[k].stripped[-1] not in ".!?"
        ):
            k += 1
        k = min(k + 1, len(lines))
        following = next((j for j in range(k, len(lines)) if lines[j].stripped), None)
        if following is None or not RE_ATTENDANCE.match(
            lines[following].stripped.lower()
        ):
            return k
        k = following


def _paragraphs(lines: Sequence[Line], first: int) -> list[tuple[int, int]]:
    """(first, last) line index of each paragraph from line ``first`` on.

    A blank line ends a paragraph; so does, in wrapped text, a line that ends a
    sentence well short of the full line width: a scan whose dust hides the gaps
    between paragraphs still shows where each one stops.
    """
    width = max((len(line.stripped) for line in lines[first:]), default=0)
    short = SHORT_LINE * width if width >= WRAPPED_WIDTH else 0
    found: list[tuple[int, int]] = []
    open_paragraph = False
    for k in range(first, len(lines)):
        text = lines[k].stripped
        if not text:
            open_paragraph = False
            continue
        if open_paragraph:
            found[-1] = (found[-1][0], k)
        else:
            found.append((k, k))
        open_paragraph = not (text[-1] in ".!?" and len(text) < short)
    return found


def _prose_item(doc: Text, number: int, first: int, last: int) -> RawItem:
    start, end = doc.lines[first].start, doc.lines[last].end
    pages = tuple(sorted({ln.page for ln in doc.lines[first : last + 1] if ln.page}))
    return RawItem(
        number=str(number), title="", open=None, start=start, end=end,
        first_line=first, last_line=last, body_start=start, pages=pages,
        decision=(last_sentence(doc.text, start, end), end),
    )  # fmt: skip


def last_sentence(text: str, start: int, end: int) -> int:
    """Where the last sentence of ``text[start:end]`` begins."""
    for match in reversed(list(RE_SENTENCE_END.finditer(text, start, end))):
        if not RE_NO_SENTENCE_END.search(text, start, match.start()):
            return match.end()
    return start
