"""Case (sag/journal) numbers and document numbers printed in minutes.

Each ESDH system prints its case numbers in a published format; ``SCHEMES`` names
them (KLE journal numbers such as ``00.32.00-S00-7-15``, GetOrganized's
``EMN-2025-010561``, regional journal numbers ``1-30-72-65-19``, WorkZone masks
``2009-1312/175-0001``, ``779-2019-01455``, SBSYS/FirstAgenda ``20-010677K``,
eDoc/KMD ``2019-0003542``, council numbers ``BR 84/03`` and Acadre's ``19/24995``)
and ``scheme()`` says which one a number is written in.
Most of those shapes are also the shapes of dates, school years ("2019/20"),
ranges ("2020-2023") or bilag ids, so a number is taken only when

* it follows a label (``Sagsnr.``, ``Sag``, ``J.nr.``, ``Journalnr.``,
  ``Sagsid.``, ``Vores ref.`` … for case numbers; ``Dok.nr.``, ``Dok.`` for
  document numbers, which may list several: "Dok.nr.: 2012-205876, 2012-196779"), or
* it stands alone on its line in a case-number shape (the Høje-Taastrup layout
  prints "19/24995" on its own line under the item heading), or
* it stands in parentheses after an item title (``split_title``), or
* it is a full KLE journal number or a GetOrganized emne number, which nothing
  else resembles.

Bilag lists print attachment ids in the same shapes ("2012-208960 - Titel",
"1 Åben Notat 222359/12"); those are not case numbers. A line holding *only*
an id would pass the bare-line rule, so callers scanning the text of a Bilag
section should pass ``bare_lines=False`` (labelled numbers are still found).

Plain regular expressions are enough here; no library knows these formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from referat_nlp.document import Span

CASE_LABEL = "case_number"
DOC_LABEL = "doc_number"


@dataclass(frozen=True)
class Scheme:
    """One published case-number format: its name, the systems that print it, its shape.

    ``anywhere`` schemes are distinctive enough to be taken in running text without
    a label; the others are taken after a label, alone on a line, or in parentheses
    after an item title.
    """

    name: str
    systems: str
    pattern: str
    example: str
    anywhere: bool = False


# KLE journal number: emne.emne.emne, then optional facet ("A00", "S00") and
# serial-year; full numbers are distinctive, the three-group form is not. Typed
# minutes before the ESDH systems set the facet off by a space ("01.02.15 P21")
_KLE = r"\d{2}\.\d{2}\.\d{2}(?:(?:-|[^\S\n])[A-ZÆØÅ]\d{2}(?:-\d{1,6}-\d{2})?)?"
SCHEMES: tuple[Scheme, ...] = (
    Scheme(
        "kle", "SBSYS, KMD Nova, Acadre and others (KLE journal plan)",
        _KLE, "00.32.00-S00-7-15",
    ),
    Scheme(
        "getorganized", "GetOrganized (emne and sag numbers)",
        r"(?:EMN|SAG)-(?:19|20)\d{2}-\d{5,7}", "EMN-2025-010561", anywhere=True,
    ),
    Scheme(
        "region", "regional journal plans (region-emne-facet-serial-year)",
        r"\d{1,2}-\d{1,2}-\d{1,3}-\d{1,4}-\d{2}", "1-30-72-65-19",
    ),
    Scheme(
        "workzone", "WorkZone (year-class/subnumber-sequence masks)",
        r"(?:19|20)\d{2}-\d{1,4}/\d{1,4}-\d{2,6}", "2009-1312/175-0001",
    ),
    Scheme(
        "municipal", "ESDH exports with the municipality code (code-year-serial)",
        r"\d{3}-(?:19|20)\d{2}-\d{1,7}", "779-2019-01455",
    ),
    Scheme(
        "sbsys", "SBSYS and FirstAgenda/Prepare (YY-serial, optional letter)",
        r"\d{2}-\d{6}[A-ZÆØÅ]?", "20-010677K",
    ),
    Scheme(
        "edoc", "eDoc, WorkZone and KMD (year-serial: 2012-28504, 2019-0003542)",
        r"\d{4}-\d{1,7}", "2019-0003542",
    ),
    Scheme(
        "council", "council item numbers (body letters, number/year: BR 84/03)",
        r"[A-ZÆØÅ]{2,4}[^\S\n]?\d{1,4}/(?:\d{2}|(?:19|20)\d{2})(?!\d)", "BR 84/03",
    ),
    Scheme(
        "acadre", "Acadre, WorkZone and eDoc (year/serial: 19/24995)",
        r"\d{2,4}/\d{1,7}", "19/24995",
    ),
)  # fmt: skip
_SHAPES = tuple(s.pattern for s in SCHEMES)
_BY_NAME = {s.name: s.pattern for s in SCHEMES}
_SCHEME_RES = tuple((s, re.compile(s.pattern)) for s in SCHEMES)


def scheme(number: str) -> Scheme | None:
    """The published format ``number`` (as printed or normalised) is written in.

    >>> scheme("EMN-2025-010561").name
    'getorganized'
    >>> scheme("BR 84/03").systems.startswith("council")
    True
    """
    text = number.strip()
    return next((s for s, rx in _SCHEME_RES if rx.fullmatch(text)), None) or next(
        (s for s, rx in _SCHEME_RES if rx.fullmatch(normalise(text))), None
    )


_NUMBER = (
    r"(?<![\w./-])(?:"
    + "|".join(_SHAPES)
    + r"|[A-ZÆØÅ]{0,5}-?\d[\dA-ZÆØÅ/.-]{0,28}[\dA-ZÆØÅ]|\d)(?![\w/-]|\.\w)"
)
RE_NUMBER = re.compile(_NUMBER, re.IGNORECASE)
# "Sagsnr.: 2011-29298", "Sag.nr.: 16/11583", "ESDH-nr.: 2022-01234",
# "J.nr. 82.07.00-G01-1-19", "Dok.nr.: 2012-205876, …"
RE_LABELLED = re.compile(
    r"""(?<![\w.])(?:
      (?P<doc>dok(?:ument)?\.?[^\S\n]?nr\b\.?|dokumentnummer\b|dok\.)
     |(?P<case>sags?\.?[^\S\n]?nr\b\.?|sagsnummer\b|sags-?id\b\.?|sag\b
       |esdh-?[^\S\n]?nr\b\.?
       |j\.[^\S\n]?nr\b\.?|jnr\b\.?|journal[^\S\n]?nr\b\.?|journalnummer\b
       |vores[^\S\n]ref\b\.?)
    )[^\S\n]{0,3}:?[\s|:]{0,12}
    (?P<numbers>"""
    + _NUMBER
    + r"(?:[^\S\n]{0,3}(?:,|;|&|\bog\b)[^\S\n]{0,3}"
    + _NUMBER
    + r"){0,9})",
    re.IGNORECASE | re.VERBOSE,
)
# a case-number shape that may stand alone on a line: every scheme, with the
# year-serial and year/serial forms held to serials long enough not to be counts
_STANDALONE = "|".join(
    [_BY_NAME[n] for n in ("kle", "getorganized", "region", "workzone", "municipal")]
    + [_BY_NAME["sbsys"], _BY_NAME["council"], r"\d{4}-\d{3,7}", r"\d{2}/\d{4,7}"]
)
# the only content of a line: "19/24995", "2012-28504", "25-009112"
RE_BARE_LINE = re.compile(
    r"^[^\S\n]{0,20}(?P<number>" + _STANDALONE + r")[^\S\n]{0,20}$", re.MULTILINE
)
# in parentheses at the end of an item title: "Salg af ejendom (2024-0071935)"
RE_TITLE_NUMBER = re.compile(
    r"(?<![^\S\n])[^\S\n]*+\((?:[^\S\n]*(?:sags?[^\S\n]?nr\.?|sag)[^\S\n]*:?)?[^\S\n]*"
    r"(?P<number>" + _STANDALONE + r")[^\S\n]*\)[^\S\n]*$",
    re.IGNORECASE,
)
# numbers taken anywhere: a full KLE number ("journalplan 00.01.00-A00-1-19") and
# the anywhere schemes (a GetOrganized "jf. EMN-2025-010561": nothing else has a
# case prefix, a four-digit year and a five-to-seven-digit serial)
RE_ANYWHERE = re.compile(
    r"(?<![\w.-])(?:\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d{1,6}-\d{2}|"
    + "|".join(s.pattern for s in SCHEMES if s.anywhere)
    + r")(?![\w-])"
)
# date-shaped tokens are never case numbers: 28-09-2020, 11.09.17, 2020-09-28
RE_DATE_SHAPE = re.compile(
    r"\d{1,2}[-./]\d{1,2}[-./](?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2}"
)
# the three dotted pairs of a KLE number: emne group, emne, subject
RE_KLE_GROUPS = re.compile(r"\d{2}\.\d{2}\.\d{2}")
# a year range or school year: 2020-2023, 2019/20, 2025/2026
RE_YEAR_RANGE = re.compile(r"(?:19|20)\d\d[-/](?:\d\d|(?:19|20)\d\d)")
# month/year on a line of its own: 12/2020
RE_MONTH_YEAR = re.compile(r"(?:0?[1-9]|1[0-2])/(?:19|20)\d\d")


def normalise(number: str) -> str:
    """Canonical form: no spaces, upper-case letters ("20-010677k" → "20-010677K")."""
    return re.sub(r"\s+", "", number).upper()


def _plausible(number: str, *, bare: bool, label: str) -> bool:
    """Reject dates, year ranges and counts that a label alone cannot vouch for.

    A journal label does vouch for a KLE number without its facet, whose three
    dotted pairs are also the shape of a date ("J.nr. 05.01.10").
    """
    if RE_DATE_SHAPE.fullmatch(number):
        return label.startswith("j") and bool(RE_KLE_GROUPS.fullmatch(number))
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


def split_title(title: str) -> tuple[str, tuple[str, ...]]:
    """An item title without the case number printed after it, and that number.

    Large councils print "Salg af ejendom på Vesterbro (2024-0071935)" in the
    agenda; the number is the item's case, the rest is its title.

    >>> split_title("Salg af ejendom (2024-0071935)")
    ('Salg af ejendom', ('2024-0071935',))
    """
    match = RE_TITLE_NUMBER.search(title)
    if match is None or not _plausible(match.group("number"), bare=True, label=""):
        return title, ()
    return title[: match.start()].rstrip(), (normalise(match.group("number")),)


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
    spans += [_span(CASE_LABEL, m) for m in RE_ANYWHERE.finditer(text)]
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
