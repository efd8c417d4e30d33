"""The Danish words the stages share, in one place: months, weekdays, section
headings, function words and municipality names.

Dates, segmentation, section detection and the meeting head all recognise the same
words; keeping the tables here means a spelling added for one stage (an old
abbreviation, a heading) is known to all of them. The municipality names are read
from ``data/municipalities.tsv`` on first use, not at import.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from referat_nlp.document import SectionKind

DATA_DIR = Path(__file__).resolve().parent / "data"

# the double-a of pre-1948 spelling ("Sogneraadet", "Tiltraadt", "Aabenraa")
RE_DOUBLE_A = re.compile(r"aa|Aa|AA")


def modern_spelling(text: str) -> str:
    """The double-a of pre-1948 spelling as å ("Tiltraadt" → "Tiltrådt"), so the
    stages read old minutes with the words they know; case is kept, and so is the
    length of the text minus one character per double-a (offsets are not kept:
    use it for matching, not for spans)."""
    return RE_DOUBLE_A.sub(lambda m: "å" if m[0] == "aa" else "Å", text)


# Danish function words (articles, pronouns, prepositions, conjunctions, auxiliaries):
# a closed class that makes up about a third of Danish running text, whatever its
# subject or decade (median 0.29 over our PDF pages), and almost none of a garbled
# text layer or of another language, so their share tells whether a page's text
# is Danish at all
FUNCTION_WORDS = frozenset((
    "ad", "af", "alle", "alt", "andre", "at", "blev", "blive", "bliver", "da", "de",
    "dem", "den", "denne", "der", "deres", "det", "dette", "dig", "din", "disse",
    "dog", "du", "efter", "eller", "en", "end", "er", "et", "for", "fra", "ham", "han",
    "hans", "har", "havde", "have", "hende", "hendes", "her", "hos", "hun", "hvad",
    "hvis", "hvor", "i", "ikke", "ind", "jeg", "jer", "jo", "kan", "kunne", "man",
    "mange", "med", "meget", "men", "mig", "min", "mod", "ned", "noget", "nogle", "nu",
    "når", "og", "også", "om", "op", "os", "over", "på", "sig", "sin", "sine", "sit",
    "skal", "skulle", "som", "så", "sådan", "til", "ud", "under", "var", "vi", "vil",
    "ville", "vor", "være", "været",
))  # fmt: skip
RE_WORD = re.compile(r"[^\W\d_]+")


def danish_share(text: str) -> float:
    """The share of ``text``'s words that are Danish function words (0 without
    words); old spelling is read as modern ("paa" is "på")."""
    words = RE_WORD.findall(modern_spelling(text).lower())
    return sum(w in FUNCTION_WORDS for w in words) / len(words) if words else 0.0


# month name or abbreviation (lower case) -> month number
MONTHS: dict[str, int] = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# section headings as printed in ESDH exports and CMS pages: the section kinds of
# the contract, and "Beslutninger" (a kind of Beslutning)
SECTION_HEADINGS: tuple[str, ...] = (*(k.value for k in SectionKind), "Beslutninger")
# headings that some exports print with their value on the same line
# ("Sagen afgøres i: Udvalget for plan, udvikling og kultur")
INLINE_HEADINGS: tuple[str, ...] = (
    "Sagen afgøres af", "Sagen afgøres i", "Beslutningen træffes af",
)  # fmt: skip


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a file in ``data/``."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def municipality_names() -> tuple[tuple[str, str], ...]:
    """(short name, official name) of the 98 municipalities, e.g.
    ("København", "Københavns Kommune")."""
    rows = (line.split("\t") for line in data_lines("municipalities.tsv"))
    return tuple((short, official) for short, official in rows)


@cache
def municipalities() -> tuple[str, ...]:
    """The 98 municipalities' short names ("Høje-Taastrup", "København")."""
    return tuple(short for short, _ in municipality_names())
