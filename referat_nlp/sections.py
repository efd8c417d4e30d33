"""Section headings of an agenda item: which lines start a section, and its name.

Danish minutes use a small, stable set of headings (Sagsfremstilling, Indstilling,
Beslutning …) but print the decision heading in many ways: "Beslutning",
"Beslutning Direktionen den 28-09-2020", "Beslutning i Økonomiudvalget den
1. oktober 2018:", "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012
Punkt 1". Every decision heading is normalised to the kind ``Beslutning``.
"""

from __future__ import annotations

import re

DECISION = "Beslutning"

# headings as printed in ESDH exports and CMS pages; matched case-insensitively
STANDARD_HEADINGS: tuple[str, ...] = (
    "Resume", "Resumé", "Sammendrag", "Baggrund", "Beslutningstema", "Sagsfremstilling",
    "Supplerende sagsfremstilling", "Fremstilling", "Sagsprocedure", "Sagsbeskrivelse",
    "Indstilling", "Administrationen indstiller", "Forvaltningen indstiller",
    "Direktionen indstiller", "Økonomi", "Personale", "Lovgrundlag", "Historik",
    "Sagen afgøres af", "Sagen afgøres i", "Beslutningen træffes af",
    "Økonomiske konsekvenser og finansiering",
    "Økonomi og organisatoriske konsekvenser",
    "Økonomiske konsekvenser", "Øvrige konsekvenser", "Øvrige forhold", "Kommunikation",
    "Tidsplan", "Høring", "Sagens forløb", "Bilag", "Referat", "Beslutning",
    "Beslutninger",
)  # fmt: skip
_BY_KEY = {h.lower(): h for h in STANDARD_HEADINGS}
# headings that some exports print with their value on the same line
# ("Sagen afgøres i: Udvalget for plan, udvikling og kultur")
INLINE_HEADINGS: tuple[str, ...] = (
    "Sagen afgøres af", "Sagen afgøres i", "Beslutningen træffes af",
)  # fmt: skip

# "Beslutning i Økonomiudvalget den 1. oktober 2018:", "Beslutning Direktionen den
# 28-09-2020", "Beslutning på mødet den 3. maj 2021", "Beslutning:"
RE_DECISION_HEADING = re.compile(
    r"^Beslutning(?:\s+(?:i|på|fra|af)\s+[^.:;]{2,120}?(?:\s+den\s+\S.{3,30}?)?"
    r"|\s+[A-ZÆØÅ][^:;]{1,120}?\s+den\s+\S.{3,30}?|\s+den\s+\S.{3,30}?)?"
    r"(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$"
)
# "Sundheds- og Forebyggelsesudvalgets beslutning den 04.12.2012 Punkt 1",
# "Udvalgets beslutning", "Byrådets beslutning:"
RE_POSSESSIVE_DECISION = re.compile(
    r"^[A-ZÆØÅ][\w\-–,.() ]{0,120}?s\s+beslutning(?:\s+den\s+\S.{3,30}?)?"
    r"(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$"
)
# a date inside a decision heading, to pick this meeting's decision among earlier ones
RE_HEADING_DATE = re.compile(r"den\s+(.+?)(?:\s+(?:Punkt|pkt\.?)\s*\d+)?\s*:?\s*$")
MAX_HEADING_LENGTH = 160


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
        return inline
    if RE_DECISION_HEADING.match(text) or RE_POSSESSIVE_DECISION.match(text):
        return DECISION
    return None


def _canonical(heading: str) -> str:
    """Printed spelling of a known heading as the corpus writes it."""
    return heading[0].upper() + heading[1:]


def inline_heading(text: str) -> str | None:
    """The heading of "Sagen afgøres i: Byrådet" (its value follows on the line)."""
    for heading in INLINE_HEADINGS:
        if text.lower().startswith(heading.lower() + ":"):
            return heading
    return None


def has_colon(line: str) -> bool:
    """Whether a heading is printed with a trailing colon (a style some exports use)."""
    return line.rstrip().endswith(":")


def heading_date(line: str) -> str | None:
    """The date text of a decision heading ("den 04.12.2012 Punkt 1" → "04.12.2012")."""
    match = RE_HEADING_DATE.search(" ".join(line.split()))
    return match.group(1) if match else None
