"""Section headings of an agenda item: which lines start a section, and its name.

Danish minutes use a small, stable set of headings (Sagsfremstilling, Indstilling,
Beslutning …) but print the decision heading in many ways: "Beslutning",
"Beslutning Direktionen den 28-09-2020", "Beslutning i Økonomiudvalget den
1. oktober 2018:", "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012
Punkt 1". Every decision heading is normalised to the kind ``Beslutning``.
"""

from __future__ import annotations

import functools
import re

from referat_nlp.document import SectionKind
from referat_nlp.vocabulary import INLINE_HEADINGS, SECTION_HEADINGS

DECISION = SectionKind.DECISION.value

# the headings (vocabulary.SECTION_HEADINGS), matched case-insensitively
_BY_KEY = {h.lower(): h for h in SECTION_HEADINGS}

# a date printed after a decision heading: "den 3. maj 2021", or a bare
# "21-03-2019" / "21.03.2019"
_HEADING_DATE = r"(?:\s+den\s+\S.{3,30}?|\s+\d{1,2}[-./]\d{1,2}[-./]\d{2,4})"
# the decision's name: "Beslutning", or its synonyms "Afgørelse", "Konklusion"
_DECISION_WORD = r"(?:Beslutning|Afgørelse|Konklusion)"
# "Beslutning i Økonomiudvalget den 1. oktober 2018:", "Beslutning Direktionen den
# 28-09-2020", "Beslutning på mødet den 3. maj 2021", "Beslutning 21-03-2019",
# "Afgørelse:"
RE_DECISION_HEADING = re.compile(
    rf"^{_DECISION_WORD}(?:\s+(?:i|på|fra|af)\s+[^.:;]{{2,120}}?{_HEADING_DATE}?"
    rf"|\s+[A-ZÆØÅ][^:;]{{1,120}}?{_HEADING_DATE}|{_HEADING_DATE})?"
    r"(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$"
)
# "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 1",
# "Udvalgets beslutning", "Byrådets beslutning 21.03.2019:", "Nævnets afgørelse"
RE_POSSESSIVE_DECISION = re.compile(
    rf"^[A-ZÆØÅ][\w\-–,.() ]{{0,120}}?s\s+(?:beslutning|afgørelse){_HEADING_DATE}?"
    r"(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$"
)
# who proposes, as a heading of its own: "Direktøren indstiller", "Sekretariatet
# indstiller:" (one definite noun; "Administrationen indstiller" is a known heading)
RE_PROPOSER_HEADING = re.compile(
    r"^[A-ZÆØÅ][a-zæøå]{2,30}(?:en|et|ne)\s+indstiller\s*:?\s*$"
)
# who recommends, as typed minutes head it: "Økonomiudvalgets indstilling:",
# "Teknisk udvalgs indstilling den 3.4.1986:", "Forvaltningens indstilling"; the
# line holds no more than the recommender's name (a sentence "Byrådet godkendte
# Økonomiudvalgets indstilling." ends in a full stop)
RE_POSSESSIVE_RECOMMENDATION = re.compile(
    r"^[A-ZÆØÅ][\w\-–]*(?:\s+[\w\-–]+){0,4}?s\s+indstilling"
    r"(?:\s+den\s+\S.{3,30}?)?\s*:?\s*$"
)
RECOMMENDATION = SectionKind.RECOMMENDATION.value
# a date inside a decision heading, to pick this meeting's decision among earlier ones
RE_HEADING_DATE = re.compile(
    r"(?:den\s+(.+?)|\s(\d{1,2}[-./]\d{1,2}[-./]\d{2,4}))"
    r"(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$"
)
MAX_HEADING_LENGTH = 160


@functools.lru_cache(maxsize=65_536)  # segmentation asks again for the same lines
def heading_kind(line: str) -> str | None:
    """The normalised section name if ``line`` is a section heading, else None.

    >>> heading_kind("Beslutning i Økonomiudvalget den 1. oktober 2018:")
    'Beslutning'
    >>> heading_kind("Sagsfremstilling")
    'Sagsfremstilling'
    """
    text = " ".join(line.split())
    if not text or len(text) > MAX_HEADING_LENGTH:
        return None
    known = _BY_KEY.get(text.rstrip(":").strip().lower())
    if known is not None:
        return (
            DECISION if known in {"Beslutning", "Beslutninger"} else _canonical(known)
        )
    if (inline := inline_heading(text)) is not None:
        return DECISION if inline == "Beslutninger" else inline
    if RE_DECISION_HEADING.match(text) or RE_POSSESSIVE_DECISION.match(text):
        return DECISION
    if RE_POSSESSIVE_RECOMMENDATION.match(text) or RE_PROPOSER_HEADING.match(text):
        return RECOMMENDATION
    return None


def _canonical(heading: str) -> str:
    """Printed spelling of a known heading as the corpus writes it."""
    return heading[0].upper() + heading[1:]


# "Baggrund: Byrådet besluttede …", "INDSTILLING Teknik og Miljø indstiller, at …":
# a known heading with its text on the same line, after a colon or in capitals
RE_INLINE = re.compile(
    r"^(?P<colon>[A-ZÆØÅ][\w ,-]{2,60}?)\s?:[^\S\n]*(?=\S)"
    r"|^(?P<caps>[A-ZÆØÅ]{3,}(?:[ -](?:OG|[A-ZÆØÅ]{3,}))*)[^\S\n]+(?=[A-ZÆØÅ]?[a-zæøå])"
)
# "BESLUTNINGSFORSLAG FRA SF Byrådet beslutter, at …": a capitalised heading that no
# list knows, followed by its text; it ends the section above, whatever it is
RE_CAPS_BOUNDARY = re.compile(
    r"^[A-ZÆØÅ]{4,}(?:[ -][A-ZÆØÅ]+){1,6}[^\S\n]+(?=\S*[a-zæøå])"
)


def inline_heading(text: str) -> str | None:
    """The heading of a line that carries its value too ("Sagen afgøres i: Byrådet",
    "Baggrund: …", "INDSTILLING Teknik og Miljø indstiller …"), else None."""
    match = RE_INLINE.match(text)
    if match is None:
        return None
    name = (match.group("colon") or match.group("caps")).strip()
    if match.group("colon") is not None and name in INLINE_HEADINGS:
        return name
    if re.fullmatch(_DECISION_WORD, name.capitalize()):  # "Konklusion: Godkendt."
        return DECISION
    known = _BY_KEY.get(name.lower())
    return _canonical(known) if known is not None else None


def inline_value_start(text: str) -> int:
    """Where an inline heading line's value starts (after its colon or capitals)."""
    match = RE_INLINE.match(text)
    return match.end() if match else 0


def is_boundary(text: str) -> bool:
    """A capitalised unknown heading with its text: it ends the section above."""
    return bool(RE_CAPS_BOUNDARY.match(text))


def has_colon(line: str) -> bool:
    """Whether a heading is printed with a trailing colon (a style some exports use)."""
    return line.rstrip().endswith(":")


def heading_date(line: str) -> str | None:
    """The date text of a decision heading ("den 04.12.2012 Punkt 1" → "04.12.2012")."""
    match = RE_HEADING_DATE.search(" ".join(line.split()))
    return (match.group(1) or match.group(2)) if match else None
