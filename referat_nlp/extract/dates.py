"""Dates and clock times in Danish minutes, normalised to ISO.

Dates: ``28-09-2020``, ``28.09.2020``, ``28/9/20``, ``11.09.17``,
``28. september 2020``, ``d. 28. sept. 2020``, ``20 juni, 2019``, ISO
``2020-09-28`` and ISO timestamps ``2025-10-01T17:30:00+02:00`` (FirstAgenda
exports); and the forms of old minute books: ``3/3 1952``, ``den 3die Marts
1952`` and the year first, ``Aar 1952, den 3. Marts``. Day-month-year is the
only numeric order Danish minutes use; a two-digit year 00-69 is read as 20xx
and 70-99 as 19xx. Impossible dates (31-02-2020) are dropped, which also
disposes of KLE numbers ("00.01.00") and most decimal look-alikes. Dates
without a year ("tirsdag den 27. maj") are not returned: there is no ISO value
to give them.

Times: ``kl. 10.15-10.30``, ``Kl. 19:00``, ``kl. 10`` and bare colon times
(``18:00``); a dot time needs the ``kl.`` cue because "10.30" alone may as well
be a decimal or a section number.

Why not ``dateparser``: its ``search_dates`` returns no character offsets and
swallows neighbouring words ("den 28. september 2020 kl. 10:00 i"), its Danish
data misses abbreviations such as "sept.", and numeric formats still need the
patterns below. It also costs start-up time (measured: ~75 ms to import plus
~75 ms for the first parse, and it pulls in ``regex``, ``pytz`` and
``tzlocal``), where this module imports in a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import re

from referat_nlp.document import Span
from referat_nlp.vocabulary import MONTHS

DATE_LABEL = "date"
TIME_LABEL = "time"

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_HOUR = r"(?:[01]?\d|2[0-3])"
_MIN = r"[0-5]\d"

# 28-09-2020, 28.09.2020, 04.12.2012, 11.09.17, 28/9/20 (one separator throughout)
RE_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?P<d>\d{1,2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)"
    r"(?P<y>\d{4}|\d{2})(?![\w/-]|[.,]\d)"
)
# 2020-09-28, 2025-10-01T17:30:00+02:00
RE_ISO_DATE = re.compile(
    r"(?<![\w.-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    rf"(?:T(?P<time>(?P<h1>{_HOUR}):(?P<m1>{_MIN})(?::\d\d(?:\.\d{{1,6}})?)?"
    r"(?:Z|[+-]\d\d:?\d\d)?))?(?![\w-])"
)
# 28. september 2020, 28. sept. 2020, 20 juni, 2019, 1. oktober\n2018
# and the old ordinals: "den 1ste Marts 1932", "3die April 1948", "21de Juni 1950"
_ORDINAL = r"(?:\.|ste|den|die|de|te)?"
RE_TEXT_DATE = re.compile(
    rf"(?<![\w.])(?P<d>[0-3]?\d){_ORDINAL}[^\S\n]{{0,3}}(?P<month>{_MONTH})\b\.?,?"
    r"\s{1,3}(?P<y>\d{4})(?!\d)",
    re.IGNORECASE,
)
# the year first, as minute books open a meeting: "Aar 1952, den 3. Marts",
# "År 1965 den 12. januar", "Aaret 1938 d. 1ste Juni"
RE_YEAR_FIRST_DATE = re.compile(
    r"(?<!\w)(?:aar|år|aaret|året)[^\S\n]+(?P<y>\d{4}),?[^\S\n]+(?:den|d\.)"
    rf"[^\S\n]+(?P<d>[0-3]?\d){_ORDINAL}[^\S\n]{{0,3}}(?P<month>{_MONTH})\b\.?",
    re.IGNORECASE,
)
# day/month and a four-digit year after a space or a dash: "3/3 1952", "7/4-1952"
RE_SLASH_YEAR_DATE = re.compile(
    r"(?<![\w./-])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[^\S\n]|[^\S\n]?-[^\S\n]?)"
    r"(?P<y>1[89]\d\d|20\d\d)(?![\w/-]|[.,]\d)"
)
# kl. 10.15-10.30, Kl. 19:00, kl. 10-10.15, -kl. 10:30, kl. 13.00 til kl. 15.00,
# and Kl. 19,30 (old minute books)
RE_KL_TIME = re.compile(
    rf"\bkl\.?[^\S\n]{{0,3}}(?P<time>(?P<h1>{_HOUR})(?:[.:,](?P<m1>{_MIN}))?"
    rf"(?:[^\S\n]{{0,3}}(?:-|–|til)[^\S\n]{{0,3}}(?:kl\.?[^\S\n]{{0,3}})?"
    rf"(?P<h2>{_HOUR})(?:[.:,](?P<m2>{_MIN}))?)?)(?![\d:]|[.,]\d)",
    re.IGNORECASE,
)
# 18:00, 13:00-15:00 (a colon is cue enough)
RE_CLOCK = re.compile(
    rf"(?<![\w.:,])(?P<time>(?P<h1>{_HOUR}):(?P<m1>{_MIN})(?::\d\d)?"
    rf"(?:[^\S\n]{{0,3}}[-–][^\S\n]{{0,3}}(?P<h2>{_HOUR}):(?P<m2>{_MIN}))?)"
    r"(?![\w:]|[.,]\d)"
)


def _year(raw: str) -> int:
    """A four-digit year; two digits: 00-69 → 2000s, 70-99 → 1900s."""
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _date(match: re.Match[str]) -> dt.date | None:
    """The date of a date match, or None when it is impossible (31-02-2020)."""
    groups = match.groupdict()
    month = groups.get("month")
    month_number = MONTHS[month.lower()] if month else int(groups["m"])
    try:
        return dt.date(_year(groups["y"]), month_number, int(groups["d"]))
    except ValueError:
        return None


def _clock(hour: str, minute: str | None) -> str:
    return f"{int(hour):02d}:{minute or '00'}"


def _time_value(match: re.Match[str]) -> str:
    """ "HH:MM" or "HH:MM-HH:MM" for a time match."""
    start = _clock(match["h1"], match["m1"])
    if match.groupdict().get("h2"):
        return f"{start}-{_clock(match['h2'], match['m2'])}"
    return start


def _span(label: str, match: re.Match[str], value: str, group: str | int = 0) -> Span:
    return Span(
        label=label,
        text=match.group(group),
        start=match.start(group),
        end=match.end(group),
        value=value,
    )


def _date_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for regex in (
        RE_NUMERIC_DATE, RE_ISO_DATE, RE_TEXT_DATE, RE_YEAR_FIRST_DATE,
        RE_SLASH_YEAR_DATE,
    ):  # fmt: skip
        for match in regex.finditer(text):
            date = _date(match)
            if date is None:
                continue
            end_group = "d" if regex is RE_ISO_DATE else 0
            span = _span(DATE_LABEL, match, date.isoformat())
            if regex is RE_ISO_DATE:
                span = span.model_copy(
                    update={"end": match.end(end_group), "text": match[0][:10]}
                )
                if match["time"]:
                    spans.append(_span(TIME_LABEL, match, _time_value(match), "time"))
            spans.append(span)
    return spans


def _time_spans(text: str) -> list[Span]:
    return [
        _span(TIME_LABEL, match, _time_value(match), "time")
        for regex in (RE_KL_TIME, RE_CLOCK)
        for match in regex.finditer(text)
    ]


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Per label, keep the earliest and then longest of overlapping spans.

    Taken in start order, a span overlaps a kept one of its label exactly when it
    starts before the furthest end kept so far, so one pass decides (no pairwise
    comparison: a long document has thousands of dates)."""
    kept: list[Span] = []
    reach: dict[str, int] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= reach.get(span.label, span.start):
            kept.append(span)
            reach[span.label] = max(reach.get(span.label, 0), span.end)
    return kept


def find(text: str, offset: int = 0) -> tuple[Span, ...]:
    """Dates (label ``date``, value ``YYYY-MM-DD``) and times (label ``time``,
    value ``HH:MM`` or ``HH:MM-HH:MM``) in text order; offsets shifted by ``offset``.
    """
    spans = _without_overlaps(_date_spans(text) + _time_spans(text))
    if not offset:
        return tuple(spans)
    return tuple(
        s.model_copy(update={"start": s.start + offset, "end": s.end + offset})
        for s in spans
    )


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` ("Mandag d. 28. september 2020 kl. 10:00",
    "04.12.2012", "2025-10-01T17:30:00+02:00"), or None when there is none.
    """
    first = next((s for s in find(text) if s.label == DATE_LABEL), None)
    return dt.date.fromisoformat(first.value) if first and first.value else None


def parse_time(text: str) -> tuple[str, str | None] | None:
    """The first time in ``text`` as (start, end) "HH:MM" strings; end is None
    unless a range is given ("kl. 10.15-10.30" → ("10:15", "10:30")).
    """
    first = next((s for s in find(text) if s.label == TIME_LABEL), None)
    if first is None or first.value is None:
        return None
    start, _, end = first.value.partition("-")
    return start, end or None
