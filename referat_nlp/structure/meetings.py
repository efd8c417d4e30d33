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
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from referat_nlp.structure.layout import Line, Text
from referat_nlp.vocabulary import modern_spelling

# what may stand before the date of an opening line, read in modern spelling and
# lower case: nothing ("3. marts 1952. …", and "år 1938, den 3. marts" is one date),
# a weekday or "den" ("tirsdag den 13. maj 1952 …"), or a meeting word ("mødet den
# 7/4 1938", "ordinært sognerådsmøde den …")
RE_BEFORE_DATE = re.compile(
    r"^\s*(?:(?:det\s+)?(?:(?:ekstra)?ordinære?t?\s+)?\w*møde[t]?\s+)?(?:\w+dag\s+)?"
    r"(?:d(?:en|\.)\s+)?"
)
# …and the line says that a meeting was held, before the date or soon after it
RE_MEETING_WORD = re.compile(r"\b(?:\w*møde[t]?|samledes|forsamlet)\b")
MEETING_WORD_CHARS = 50  # after the date
# "Mødet hævet Kl. 21,15", "Hvorefter Mødet hævedes.", "Mødet sluttede kl. 22."
RE_CLOSE = re.compile(
    r"^\W*(?:(?:hvorefter|derefter|og)\s+)?mødet\s+(?:blev\s+)?"
    r"(?:hævet|hævedes|sluttet|sluttede|afsluttet|afsluttedes)\b"
)


@dataclass(frozen=True)
class MeetingText:
    """One meeting's part of the document: ``text`` holds the lines its header and
    items are read from (offsets stay those of the whole document); ``start`` and
    ``end`` are its stretch of the document text, close and signatures included."""

    text: Text
    start: int
    end: int


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
    if len(openings) < 2:
        openings = []
    bounds = [0, *openings[1:], len(lines)]
    return [_meeting(doc, first, stop) for first, stop in itertools.pairwise(bounds)]


def _opens(
    lines: Sequence[Line], i: int, find_date: Callable[[str], tuple[int, int] | None]
) -> bool:
    """A paragraph that opens by dating a meeting."""
    if i and lines[i - 1].stripped:
        return False
    text = modern_spelling(lines[i].stripped).lower()
    date = find_date(text)
    if date is None or not RE_BEFORE_DATE.fullmatch(text, 0, date[0]):
        return False
    return bool(
        RE_MEETING_WORD.search(text, 0, date[0])
        or RE_MEETING_WORD.search(text, date[1], date[1] + MEETING_WORD_CHARS)
    )


def _meeting(doc: Text, first: int, stop: int) -> MeetingText:
    """Lines ``first``..``stop`` as one meeting, its items ending at its close."""
    lines = doc.lines[first:stop]
    start = lines[0].start if lines else len(doc.text)
    end = doc.lines[stop].start if stop < len(doc.lines) else len(doc.text)
    close = _close(lines)
    if close is None:
        return MeetingText(Text(doc.text[:end], lines), start, end)
    lines = lines[:close]
    return MeetingText(Text(doc.text[: lines[-1].end], lines), start, end)


def _close(lines: Sequence[Line]) -> int | None:
    """Index of the meeting's last close line, if one opens a line."""
    for k in range(len(lines) - 1, 0, -1):
        if RE_CLOSE.match(modern_spelling(lines[k].stripped).lower()):
            return k
    return None
