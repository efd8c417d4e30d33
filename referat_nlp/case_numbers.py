"""Case (sag/journal) numbers and document numbers printed in minutes.

The ESDH systems behind Danish minutes print case numbers in a few shapes:
``19/24995`` (year/serial, Høje-Taastrup, Acadre), ``2012-28504`` (eDoc),
``330-2018-3619``, ``25-009112`` / ``20-010677K`` (FirstAgenda/SBSYS) and KLE
journal numbers such as ``00.01.00-A00-1-19`` (emne.emne.emne-facet-serial-year).
Most of those shapes are also the shapes of dates, school years ("2019/20"),
ranges ("2020-2023") or bilag ids, so a number is taken only when

* it follows a label (``Sagsnr.``, ``Sag``, ``J.nr.``, ``Journalnr.`` … for case
  numbers; ``Dok.nr.``, ``Dok.`` for document numbers, which may list several:
  "Dok.nr.: 2012-205876, 2012-196779"), or
* it stands alone on its line in a case-number shape (the Høje-Taastrup layout
  prints "19/24995" on its own line under the item heading), or
* it is a full KLE journal number or a GetOrganized emne number
  (``EMN-2025-010561``), which nothing else resembles.

Bilag lists print attachment ids in the same shapes ("2012-208960 - Titel",
"1 Åben Notat 222359/12"); those are not case numbers. A line holding *only*
an id would pass the bare-line rule, so callers scanning the text of a Bilag
section should pass ``bare_lines=False`` (labelled numbers are still found).

Plain regular expressions are enough here; no library knows these formats.
"""

from __future__ import annotations

import re

from referat_nlp.document import Span

CASE_LABEL = "case_number"
DOC_LABEL = "doc_number"

# KLE journal number: "00.01.00-A00-1-19", "82.07.00-G01-1-19", "82.07.00-G01"
_KLE = r"\d{2}\.\d{2}\.\d{2}(?:-[A-ZÆØÅ]\d{2}(?:-\d{1,6}-\d{2})?)?"
_SHAPES = (
    _KLE,
    r"\d{3}-\d{4}-\d{1,7}",  # 330-2018-3619
    r"\d{2}-\d{6}[A-ZÆØÅ]?",  # 25-009112, 20-010677K
    r"\d{4}-\d{1,7}",  # 2012-28504, 2010-3082
    r"\d{2,4}/\d{1,7}",  # 19/24995, 12/27845
)
_NUMBER = (
    r"(?<![\w./-])(?:"
    + "|".join(_SHAPES)
    + r"|[A-ZÆØÅ]{0,5}-?\d[\dA-ZÆØÅ/.-]{0,28}[\dA-ZÆØÅ]|\d)(?![\w/-]|\.\w)"
)
RE_NUMBER = re.compile(_NUMBER, re.IGNORECASE)
# "Sagsnr.: 2011-29298", "J.nr. 82.07.00-G01-1-19", "Dok.nr.: 2012-205876, …"
RE_LABELLED = re.compile(
    r"""(?<![\w.])(?:
      (?P<doc>dok(?:ument)?\.?[^\S\n]?nr\b\.?|dokumentnummer\b|dok\.)
     |(?P<case>sags?[^\S\n]?nr\b\.?|sagsnummer\b|sags-?id\b\.?|sag\b
       |j\.[^\S\n]?nr\b\.?|jnr\b\.?|journal[^\S\n]?nr\b\.?|journalnummer\b)
    )[^\S\n]{0,3}:?[\s|:]{0,12}
    (?P<numbers>"""
    + _NUMBER
    + r"(?:[^\S\n]{0,3}(?:,|;|&|\bog\b)[^\S\n]{0,3}"
    + _NUMBER
    + r"){0,9})",
    re.IGNORECASE | re.VERBOSE,
)
# the only content of a line: "19/24995", "2012-28504", "25-009112"
RE_BARE_LINE = re.compile(
    r"^[^\S\n]{0,20}(?P<number>"
    + "|".join(_SHAPES[:3])
    + r"|\d{4}-\d{3,7}|\d{2}/\d{4,7})"
    r"[^\S\n]{0,20}$",
    re.MULTILINE,
)
# a full KLE number anywhere: "journalplan 00.01.00-A00-1-19"
RE_KLE = re.compile(r"(?<![\w.])\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,6}-\d{2}(?!\w)")
# a GetOrganized case ("emne") number anywhere: "jf. EMN-2025-010561"; nothing else
# has a case prefix, a four-digit year and a five-to-seven-digit serial
RE_EMNE = re.compile(r"(?<![\w-])(?:EMN|SAG)-(?:19|20)\d{2}-\d{5,7}(?![\w-])")
# date-shaped tokens are never case numbers: 28-09-2020, 11.09.17, 2020-09-28
RE_DATE_SHAPE = re.compile(
    r"\d{1,2}[-./]\d{1,2}[-./](?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2}"
)
# a year range or school year: 2020-2023, 2019/20, 2025/2026
RE_YEAR_RANGE = re.compile(r"(?:19|20)\d\d[-/](?:\d\d|(?:19|20)\d\d)")
# month/year on a line of its own: 12/2020
RE_MONTH_YEAR = re.compile(r"(?:0?[1-9]|1[0-2])/(?:19|20)\d\d")


def normalise(number: str) -> str:
    """Canonical form: no spaces, upper-case letters ("20-010677k" → "20-010677K")."""
    return re.sub(r"\s+", "", number).upper()


def _plausible(number: str, *, bare: bool, label: str) -> bool:
    """Reject dates, year ranges and counts that a label alone cannot vouch for."""
    if RE_DATE_SHAPE.fullmatch(number):
        return False
    if RE_YEAR_RANGE.fullmatch(number):
        return False
    if bare and RE_MONTH_YEAR.fullmatch(number):
        return False
    if number.isdigit():
        # "Sag 66" is another body's agenda item; "Sagsnr. 123456" is a case
        return not bare and label != "sag" and len(number) >= 4
    return any(c.isdigit() for c in number)


def _span(label: str, match: re.Match[str], group: str | int = 0) -> Span:
    text = match.group(group)
    return Span(
        label=label,
        text=text,
        start=match.start(group),
        end=match.end(group),
        value=normalise(text),
    )


def _labelled(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in RE_LABELLED.finditer(text):
        label = DOC_LABEL if match.group("doc") else CASE_LABEL
        word = (match.group("case") or "").lower()
        base = match.start("numbers")
        for number in RE_NUMBER.finditer(match.group("numbers")):
            if not _plausible(number.group(), bare=False, label=word):
                continue
            spans.append(
                Span(
                    label=label,
                    text=number.group(),
                    start=base + number.start(),
                    end=base + number.end(),
                    value=normalise(number.group()),
                )
            )
    return spans


def find(text: str, offset: int = 0, *, bare_lines: bool = True) -> tuple[Span, ...]:
    """Case numbers (label ``case_number``) and document numbers (``doc_number``).

    ``offset`` is added to every ``start``/``end``. ``bare_lines=False`` turns off
    the rule that a line holding only a case-number shape is a case number: use
    it on Bilag (attachment list) text, whose ids look the same.
    """
    spans = _labelled(text)
    if bare_lines:
        spans += [
            _span(CASE_LABEL, m, "number")
            for m in RE_BARE_LINE.finditer(text)
            if _plausible(m.group("number"), bare=True, label="")
        ]
    spans += [_span(CASE_LABEL, m) for m in RE_KLE.finditer(text)]
    spans += [_span(CASE_LABEL, m) for m in RE_EMNE.finditer(text)]
    ordered: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):  # stable: labelled first
        if not ordered or span.start >= ordered[-1].end:
            ordered.append(span)
    if not offset:
        return tuple(ordered)
    return tuple(
        s.model_copy(update={"start": s.start + offset, "end": s.end + offset})
        for s in ordered
    )
