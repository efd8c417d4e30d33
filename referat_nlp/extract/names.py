"""People and organisations: participant lists and names in item text.

Everything here is rule-based; there is no statistical NER model (none for
Danish is installed, and the minutes are too few to train one). What the rules
do, and therefore what they miss:

* ``split_people`` splits a participant/absentee list ("Lars Holte, Jørgen
  Lerhard og Kathrine Seier Skastrup", one "Lolan Ottesen (A) - formand" per
  line, "Afbud: Jann Larsen") into names, dropping labels, party letters and
  roles. It trusts the list: any capitalised entry is taken as a name.
* ``find`` labels ``ORG`` for the names in ``data/organisations.txt`` (matched
  case-sensitively, so "KL" is found but "kl." is not), for "<municipality>
  Kommune" built from ``data/municipalities.tsv``, for names ending in a company
  form ("Strandparken I/S"), for single words ending in -styrelsen,
  -ministeriet, -direktoratet, -tilsynet or -nævnet, and for "Fonden <Name>".
  Committees and councils of the municipality itself (Økonomiudvalget,
  Byrådet) are not labelled.
* ``find`` labels ``PERSON`` for a first name from ``data/first_names.txt``
  followed by one to three capitalised words ("Birgit Elleby Jørgensen"). A
  first name alone ("Peter deltager") is not labelled, nor is a person whose
  first name is not on the list.

The municipality names come from :mod:`referat_nlp.vocabulary`, read on first
use, not at import.
"""

from __future__ import annotations

import re
from functools import cache

from referat_nlp.document import Span
from referat_nlp.vocabulary import data_lines, municipality_names

ORG_LABEL = "ORG"
PERSON_LABEL = "PERSON"

# list labels before names: "Afbud:", "Fraværende", "Mødedeltagere", "Til stede:"
RE_PEOPLE_LABEL = re.compile(
    r"^[^\S\n]*(?:afbud(?:[^\S\n]+fra)?|afbud/fraværende|fraværende|fravær"
    r"|deltagere|mødedeltagere|deltog[^\S\n]+ikke|ikke[^\S\n]+til[^\S\n]+stede"
    r"|til[^\S\n]+stede|tilstede|medlemmer|sekretær|referent)\b[^\S\n]*:?",
    re.IGNORECASE | re.MULTILINE,
)
# list separators: "A, B og C", "A; B", "A & B"
RE_LIST_SEPARATOR = re.compile(r"(?<!\s)\s*+(?:[,;&]|\bog\b)\s*")
# a party letter closing one name before the next on the same line:
# "Jesper Mathiesen (A) Ole Bjerregaard (V)"
RE_AFTER_PARTY = re.compile(r"(?<=\))[^\S\n]+(?=[A-ZÆØÅ])")
# party letters "(A)", "(V)", "(UP1)"
RE_PARTY = re.compile(r"(?<!\s)\s*+\([A-ZÆØÅ]{1,3}\d?\)")
# roles after a name: "- formand", "(næstformand)", ", borgmester"
ROLES = (
    "formand",
    "næstformand",
    "borgmester",
    "viceborgmester",
    "rådmand",
    "sekretær",
    "referent",
    "ordstyrer",
    "kasserer",
    "udvalgsformand",
    "medlem",
    "suppleant",
)
RE_ROLE = re.compile(
    r"(?<!\s)\s*+(?:[-–,]\s*|\(\s*)(?:" + "|".join(ROLES) + r")\b\.?\s*\)?",
    re.IGNORECASE,
)
# a role used as a label before a name: "Formand: Hanne Berg"
RE_ROLE_PREFIX = re.compile(r"^\s*(?:" + "|".join(ROLES) + r")\s*:\s*", re.IGNORECASE)
# entries of a list that are not people
NOT_PEOPLE = frozenset({"ingen", "alle", "intet", "ingen afbud", "alle mødt", *ROLES})
_NAME_WORD = r"[A-ZÆØÅ][a-zæøåäöüéè]+(?:-[A-ZÆØÅ][a-zæøåäöüéè]+)?"
# a middle name may be an initial or, in older lists, abbreviated: "Jens Kr. Mikkelsen"
RE_NAME_ENTRY = re.compile(
    rf"{_NAME_WORD}(?:[^\S\n]+(?:[A-ZÆØÅ][a-zæøå]{{0,3}}\.(?!\w)|{_NAME_WORD}|"
    r"(?:la|von|van|de)\b)){0,5}"
)
# street names look like surnames: "Niels Petersensvej"
RE_STREET = re.compile(r"(?:vej|gade|allé|alle|stræde|plads|torv|vænge|boulevard)$")
# words that follow a first name without being a surname ("Karen Kommune")
NOT_SURNAMES = frozenset(
    {
        "Kommune",
        "Region",
        "Byråd",
        "Byrådet",
        "Center",
        "Centret",
        "Afdeling",
        "Skole",
        "Skolen",
        "Udvalget",
        "Rådhus",
        "Fonden",
    }
)
# company forms: "Strandparken I/S", "Rambøll Danmark A/S"
RE_COMPANY = re.compile(
    r"(?<![\w/])(?:[A-ZÆØÅ][\w&.-]{0,40}[^\S\n]){1,4}"
    r"(?:A/S|I/S|ApS|P/S|K/S|a\.m\.b\.a\.)(?![\w/])"
)
# agencies and boards as one word: "Sundhedsstyrelsen", "Planklagenævnet"
RE_AGENCY = re.compile(
    r"(?<!\w)[A-ZÆØÅ][a-zæøå-]{0,40}"
    r"(?:(?<![Bb]e)styrelsen|ministeriet|direktoratet|tilsynet|nævnet)(?!\w)"
)
# "Fonden Hjerteløbet", "Fonden for Socialt Ansvar"
RE_FOUNDATION = re.compile(
    r"(?<!\w)Fonden(?:[^\S\n]+(?:for|til)\b)?(?:[^\S\n]+[A-ZÆØÅ][\w-]{0,40}){1,4}"
)


@cache
def organisations() -> tuple[str, ...]:
    """The organisation gazetteer (``data/organisations.txt``)."""
    return tuple(data_lines("organisations.txt"))


@cache
def first_names() -> frozenset[str]:
    """Known Danish first names (``data/first_names.txt``)."""
    return frozenset(data_lines("first_names.txt"))


def _alternation(words: tuple[str, ...] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _starts_with(*groups: tuple[str, ...] | frozenset[str]) -> str:
    """A lookahead for the first characters the words can start with: the regex
    engine then rejects most positions of a text at once instead of trying every
    alternative of a list of hundreds of names there (about 2.5 × faster)."""
    first = sorted({word[0] for words in groups for word in words if word})
    return f"(?=[{''.join(re.escape(c) for c in first)}])"


@cache
def _gazetteer_regex() -> re.Pattern[str]:
    # "KL", "Klagenævnet for Udbud", "Greve Kommune", "Københavns Kommune"
    short = tuple(short for short, _ in municipality_names())
    official = tuple(off for _, off in municipality_names())
    stems, officials = _alternation(short), _alternation(official)
    return re.compile(
        rf"{_starts_with(short, official, organisations())}"
        rf"(?<![\w/])(?:{officials}|(?:{stems})s?[^\S\n]+[Kk]ommune"
        rf"|{_alternation(organisations())})(?![\w/])"
    )


@cache
def _person_regex() -> re.Pattern[str]:
    # "Birgit Elleby Jørgensen", "Lars K. Hansen", "Anne-Mette Due-Larsen"
    first = _alternation(first_names())
    return re.compile(
        rf"{_starts_with(first_names())}(?<![\w-])(?:{first})(?:-{_NAME_WORD})?"
        rf"(?:[^\S\n]+(?:{_NAME_WORD}|[A-ZÆØÅ]\.)){{1,3}}(?![\w-])"
    )


def _org_spans(text: str) -> list[Span]:
    regexes = (_gazetteer_regex(), RE_COMPANY, RE_AGENCY, RE_FOUNDATION)
    return [
        Span(label=ORG_LABEL, text=m.group(), start=m.start(), end=m.end())
        for regex in regexes
        for m in regex.finditer(text)
    ]


def _person_spans(text: str) -> list[Span]:
    spans = []
    for match in _person_regex().finditer(text):
        words = list(re.finditer(r"\S+", match.group()))
        while words and (
            words[-1].group() in NOT_SURNAMES or RE_STREET.search(words[-1].group())
        ):
            words.pop()
        if len(words) < 2:
            continue
        end = match.start() + words[-1].end()
        spans.append(
            Span(
                label=PERSON_LABEL,
                text=text[match.start() : end],
                start=match.start(),
                end=end,
            )
        )
    return spans


def find(text: str, offset: int = 0) -> tuple[Span, ...]:
    """Organisations (``ORG``) and persons (``PERSON``) in ``text``, in text order.

    Of overlapping candidates the earlier, then longer, one wins, and an ORG
    beats a PERSON at the same place ("Karen Blixen A/S" is one ORG).
    """
    candidates = sorted(
        _org_spans(text) + _person_spans(text),
        key=lambda s: (s.start, -s.end, s.label != ORG_LABEL),
    )
    kept: list[Span] = []
    for span in candidates:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    if not offset:
        return tuple(kept)
    return tuple(
        s.model_copy(update={"start": s.start + offset, "end": s.end + offset})
        for s in kept
    )


def _entries(text: str) -> list[str]:
    """The raw entries of a list: comma/og-separated, else one per line."""
    text = RE_PEOPLE_LABEL.sub("", text)
    text = RE_AFTER_PARTY.sub("\n", text) if "," not in text else text
    if re.search(r"[,;&]|\bog\b", text):
        return RE_LIST_SEPARATOR.split(" ".join(text.split()))
    return text.splitlines()


def _without_title(entry: str) -> str:
    """ "Sogneraadsformand Jens Kr. Mikkelsen" → "Jens Kr. Mikkelsen": a word before
    a known first name that is no name itself is a title (office or trade)."""
    first, _, rest = entry.partition(" ")
    given = rest.split(" ", 1)[0]
    if " " in rest and first not in first_names() and given in first_names():
        return rest
    return entry


def _clean(entry: str, keep_party: bool) -> str | None:
    """The name in one list entry, or None when the entry is not a person."""
    entry = RE_ROLE.sub("", RE_ROLE_PREFIX.sub("", entry)).strip(" \t-–:.")
    if not keep_party:
        entry = RE_PARTY.sub("", entry).strip()
    if entry.lower() in NOT_PEOPLE or any(c.isdigit() for c in entry):
        return None
    match = RE_NAME_ENTRY.match(_without_title(entry))
    if match is None:
        return None
    if " " not in match.group() and match.group() not in first_names():
        return None  # a lone capitalised word is a name only if a known first name
    return entry if keep_party else match.group()


def split_people(text: str, *, keep_party: bool = False) -> tuple[str, ...]:
    """The names in a participant or absentee list, in order, without duplicates.

    "Lars Holte, Jørgen Lerhard og Kathrine Seier Skastrup" → three names;
    "Lolan Ottesen (A) - formand" → "Lolan Ottesen" ("Lolan Ottesen (A)" with
    ``keep_party=True``); "Afbud: Jann Larsen" → "Jann Larsen". A comma-separated
    list may wrap over lines; without commas every line is one entry.
    """
    names: list[str] = []
    for entry in _entries(text):
        name = _clean(entry, keep_party)
        if name and name not in names:
            names.append(name)
    return tuple(names)
