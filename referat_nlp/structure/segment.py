"""Segmentation: the cleaned lines of a referat → header, table of contents, items.

Finding agenda items is a choice among candidates. Any line that starts like an
item ("Punkt 7: …", "147. …", "1.Valg …", a lone "2." with the title below, or a
number glued to the previous sentence, "Ingen.1.") is a candidate; numbered lists
inside an item ("1. Stærkt samarbejde om indkøb") are candidates too. The items
are the best-scoring chain of candidates in one numbering style whose numbers rise
by one (small gaps allowed), where a candidate scores for the evidence real item
headings carry: bold or heading style, a case-number or section heading right
after it, a status marker, or a matching table-of-contents entry.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from referat_nlp.structure import sections as sec
from referat_nlp.structure import tables
from referat_nlp.structure.layout import Line, Text
from referat_nlp.vocabulary import MONTHS

# "Punkt 7: Status 2019 …", "Pkt. 3 Godkendelse", and the other words minutes
# label an item with: "Sag nr. 41  Godkendelse …", "Dagsordenspunkt 3: …",
# "Punkt nr. 5 …", "Sag 3 – Budget"
_ITEM_LABEL = r"(?:Punkt|Pkt\.?|Dagsordens?punkt|Sag)(?:\s+nr\.?)?"
# the status some exports print before the label: "Åbent punkt 1: …", "Lukket punkt 5"
_STATUS_WORD = r"(?:åben|åbent|lukket)"
_STATUS_LABEL = rf"(?:{_STATUS_WORD}\s+)?"
RE_STATUS_LABEL = re.compile(rf"^\s*(?:[•·▪*]\s*)?({_STATUS_WORD})\s", re.I)
# "Ad 3.", "Ad punkt 3", "Ad. pkt. 3": an item's number restated (its label word
# optional)
_AD = r"ad\.?[^\S\n]+"
_PUNKT_WORD = r"(?:(?:punkt|pkt\.?)[^\S\n]*)?"
RE_PUNKT = re.compile(
    r"^\s*(?:[•·▪*]\s*)?"
    + _STATUS_LABEL
    + _ITEM_LABEL
    + r"\s+(\d{1,4})\s*(?:[:.)]|[–-](?=\s))?\s+(\S(?:.*\S)?)\s*$",
    re.I,
)
# "147. Godkendelse af dagsorden", "1.Valg af mødeleder." but not "6.1 Tandklinikker"
RE_NUMBERED = re.compile(
    r"^\s*(?:[•·▪*]\s*)?(\d{1,4})\s?(?:\.(?!\d)|\)(?=\s))\s*(\S(?:.*\S)?)\s*$"
)
# "1.2 Forslag til lokalplan …": items numbered within numbered groups ("1 Åbne
# sager til beslutning", "2 Sager til orientering"); the group is the number, the
# item's place in it ``sub``
RE_SUBNUMBERED = re.compile(
    r"^[^\S\n]*(\d{1,2})\.([1-9]\d?)\.?[^\S\n]+(\S(?:.*\S)?)\s*$"
)
# the heading of such a group: "2 Sager til orientering", "3. Lukkede sager"
RE_GROUP_HEADING = re.compile(
    r"^[^\S\n]*(\d{1,2})\.?[^\S\n]+[A-ZÆØÅ]\S*(?:[^\S\n]+\S+){0,8}\s*$"
)
# any other word labelling a number: "§ 5. Title", "Emne 3: Title", "Nr. 12 Title";
# a chain keeps to one label word, and a label earns its items only by the evidence
# that follows them (sections, case numbers), as every heading style does
RE_LABELLED = re.compile(
    r"^\s*(?P<label>§|[A-ZÆØÅ][a-zæøå]{1,15}\.?)[^\S\n]*(?:nr\.?[^\S\n]*)?(\d{1,4})"
    r"[^\S\n]*[:.)]?[^\S\n]+(\S(?:.*\S)?)\s*$"
)
RE_YEAR = re.compile(r"1[89]\d\d|20\d\d")
# words that number other things: attachments, pages, rooms, times, paragraphs of a
# law, an old minute book's decision blocks ("Ad 3. Vedtoges"), the known labels
NOT_ITEM_LABELS = frozenset(
    {
        "ad", "bilag", "side", "kl", "stk", "tlf", "lokale", "mødelokale", "uge",
        "nr", "punkt", "pkt", "sag", "dagsordenspunkt", "dagsordenpunkt", "kapitel",
        "afsnit", "bind", "år", "lov", "fase", "etape", "område", "model", "scenarie",
    }
)  # fmt: skip
# "2. " alone on a line, the title on the next line (Middelfart); so "Punkt 3",
# "Sag nr. 41:" (web pages that set the number apart from the title)
RE_NUMBER_ALONE = re.compile(r"^\s*(\d{1,4})\.\s*$")
# a number without its dot, alone: an item badge only when a heading follows it
# ("<span>2</span><h2>Skoledistrikter …</h2>"); elsewhere bare numbers are pages
RE_BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
RE_PUNKT_ALONE = re.compile(r"^\s*" + _ITEM_LABEL + r"\s+(\d{1,4})\s*[:.]?\s*$", re.I)
# "Ad 3." alone, the title on the next line (a minute book's "Ad 3." above its
# decision, "Vedtoges.", gives no title)
RE_AD_ALONE = re.compile(
    r"^[^\S\n]*" + _AD + _PUNKT_WORD + r"(\d{1,3})[^\S\n]*[.:)]?\s*$", re.I
)
# "Indholdsfortegnelse1. Fraværende", "Ingen.1. ": a number glued to what precedes it;
# not the minutes of a time or the part of a number ("kl. 17:00. Mødested: …",
# "kl. 17.00.", "punkt 3.1.")
RE_GLUED = re.compile(
    r"(?:(?<=[a-zæøå])|(?<=[^\d\s][.:]))(\d{1,3})\.(?!\d)\s*+(\S(?:.*\S)?)?\s*$"
)
# table of contents: "Indholdsfortegnelse", "INDHOLDSFORTEGNELSE", "Dagsordenpunkter"
RE_TOC_HEADING = re.compile(r"^\s*(indholdsfortegnelse|indhold)\b", re.I)
# a TOC entry ends in a page number after dot leaders, a tab or a space:
# "Økonomi.....\t5"
RE_TOC_ENTRY = re.compile(r"(?:(?<!\.)\.{3,}+|…|(?<!\s)\s)\s*+\d{1,3}\s*+$")
# the page number (and its dot leaders) closing a TOC entry
RE_TOC_PAGE = re.compile(r"(?:(?<!\.)\.{3,}+|…)?(?<!\s)\s*+\d{1,3}\s*$")
# lines a TOC may hold besides entries
RE_TOC_LABEL = re.compile(
    r"^\s*(punkt\s*nr\.?.*side|(?:åbent?|lukket)\s+(?:referat|møde|dagsorden))\s*$",
    re.I,
)
# status markers: "(Lukket)", "Lukket: Orientering", "Åbent", "Åben sag"
RE_CLOSED_SUFFIX = re.compile(r"(?<!\s)\s*+\((?:lukket|lukket punkt)\)\s*$", re.I)
# "Godkendelse af dagsorden (B)": B/O/D/I mark beslutning, orientering, drøftelse …
RE_KIND_SUFFIX = re.compile(r"(?<!\s)\s*+\((?:B|O|D|I)\)\s*$")
RE_OPEN_SUFFIX = re.compile(r"(?<!\s)\s*+\((?:åben|åbent|åbent punkt)\)\s*$", re.I)
RE_CLOSED_PREFIX = re.compile(r"^(?:lukket\s*(?:punkt)?\s*:|\(lukket\))\s*", re.I)
# portal exports print the status before the title: "Punkt 2 (Åben) Udvidelse af …"
RE_OPEN_PREFIX = re.compile(r"^\((?:åben|åbent)\)\s*", re.I)
# "Punkt 1 (Åben)" under "1. Spørgetime …": the status line of the item above
RE_STATUS_ONLY = re.compile(r"^\((?:åben|åbent|lukket)(?:\s+punkt)?\)$", re.I)
# "Åbent punkt", "Lukket punkt.", "Lukket sag" ending a line
RE_OPEN_MARKER = re.compile(r"(?:^|\s)(?:åben|åbent)(?:\s+(?:punkt|sag))?\.?\s*$", re.I)
RE_CLOSED_MARKER = re.compile(r"(?:^|\s)lukket(?:\s+(?:punkt|sag))?\.?\s*$", re.I)
# meeting parts: everything after "LUKKET MØDE" is closed unless marked otherwise;
# so a group of items headed "3 Lukkede sager" or "1 Åbne sager til beslutning"
RE_PART = re.compile(
    r"^[^\S\n]*(?:\d{1,2}\.?[^\S\n]+)?(åbent?|åbne|lukket|lukkede)[^\S\n]+"
    r"(?:møde|referat|dagsorden|del|sager|punkter)(?:[^\S\n]+til[^\S\n]+\w+)?\s*$",
    re.I,
)
# a line with an item's case or document number: "Sagsnr.: 330-2018-3619", "19/24995"
RE_META = re.compile(
    r"^\s*(?:(?:sags?nr|sag|j\.?\s?nr|journalnr|dok(?:\.?\s?nr)?|initialer|sagsforløb|"
    r"kompetence|status)\b\.?:?|\d{2,4}[-/]\d{3,6}(?:[-/]\d+)?\s*$|\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2})",
    re.I,
)
# "Dorthe Adelsbech (V)": a member list entry with a party letter, not an item
RE_MEMBER = re.compile(r"^[A-ZÆØÅ][\w.\-]*(?:\s+[A-ZÆØÅ][\w.\-]*)+\s*\([A-ZÆØÅ]{1,2}\)")
# a date in a line: "møde den 6. november 2023", "12.03.2024"
RE_DATED_LINE = re.compile(
    r"\b\d{1,2}\.\s*(?:"
    + "|".join(MONTHS)
    + r")\b|\b\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b",
    re.I,
)
# a line ending so cannot end a title: it wraps ("… Skatten for" / "1937-38.")
RE_OPEN_END = re.compile(
    r"(?:[,–-]|\b(?:af|angående|angaaende|at|de|den|der|det|efter|eller|en|et|for|"
    r"fra|i|med|mellem|mod|og|om|over|på|paa|samt|til|under|ved|vedrørende))$",
    re.I,
)
# a chain of this many headings, each followed by a section heading or case-number
# line, is the items even when section headings stand before its first (an item
# whose heading was misread: OCR's "Indholdsfortegnelsel. Fraværende"); a numbered
# list inside a one-item page's indstilling has no such evidence after its points
MIN_CHAIN = 3
MAX_TITLE = 200
# a heading with no text before the next numbered line is a listed agenda title
# more often than an item: between equal candidates the one with text wins
BODILESS_PENALTY = 0.25
LOOKAHEAD = 5  # non-blank lines after a heading searched for evidence
WRAP_WIDTH = 50  # a plain-text title line this long may have wrapped


@dataclass
class Candidate:
    """A line that may start an agenda item."""

    index: int  # line index of the heading (the number's line)
    number: int
    title: str
    style: str  # "punkt", "numbered" or "label <word>": a chain keeps to one style
    title_index: int  # line index holding the title
    start: int  # offset of the number in the document text
    score: float = 0.0
    sub: int | None = None  # "2.3": the item's place in group ``number``
    printed: str | None = None  # a mark no chain counts: "1.1.1", "B"

    @property
    def label(self) -> str:
        """The item number as printed: "7", or "2.3" within a group."""
        if self.printed is not None:
            return self.printed
        return str(self.number) if self.sub is None else f"{self.number}.{self.sub}"


@dataclass
class RawSection:
    heading: str
    kind: str
    start: int  # offset of the heading line
    text_start: int
    text_end: int
    line: int


@dataclass
class RawItem:
    """An item as segmentation finds it, before extraction fills it in."""

    number: str
    title: str
    open: bool | None
    start: int
    end: int
    first_line: int
    last_line: int
    body_start: int  # offset after the title
    sections: list[RawSection] = field(default_factory=list)
    pages: tuple[int, ...] = ()
    # a decision found without a heading: a prose minute book's last sentence
    decision: tuple[int, int] | None = None


@dataclass
class Segmented:
    header: tuple[Line, ...]
    items: list[RawItem]
    toc: tuple[str, ...]


def split(doc: Text) -> Segmented:
    """Split a cleaned document into its header, table of contents and items."""
    lines = doc.lines
    toc_lines = table_of_contents(lines)
    toc_titles = tuple(
        _toc_title(lines[i].text)
        for i in sorted(toc_lines)
        if RE_TOC_ENTRY.search(lines[i].stripped)
        and not RE_TOC_HEADING.match(lines[i].text)
    )
    candidates = [c for c in find_candidates(lines) if c.index not in toc_lines]
    listed, restating = agenda_list(lines, candidates)
    if listed:
        toc_lines |= {k for c in listed for k in range(c.index, c.title_index + 1)}
        toc_titles += tuple(_norm(c.title) for c in listed)
        candidates = sorted(
            [c for c in candidates if c.index not in toc_lines] + restating,
            key=lambda c: (c.index, c.start),
        )
    for candidate in candidates:
        candidate.score = _score(candidate, lines, toc_titles)
    chain = best_chain(candidates)
    headings = _section_lines(lines, toc_lines)
    before = [k for k in headings if not chain or k < chain[0].title_index]
    if before and len(headings) >= 2 and not _proven(chain, lines):
        chain = _unnumbered(lines, headings, before[0]) or chain
    table = tables.find(lines)
    if table is not None and (not chain or table.first_line < chain[0].index):
        chain = [_row_candidate(row) for row in table.rows]
        items = [_row_item(lines, row) for row in table.rows]
        first = table.first_line  # the header row names columns, not the meeting
    else:
        items = [_build_item(doc, chain, n) for n in range(len(chain))]
        first = chain[0].index if chain else len(lines)
    for item, c in zip(items, chain, strict=True):
        if c.style == "status":  # an untitled block: its marker is no title
            item.title, item.open = "", not RE_CLOSED_MARKER.search(c.title)
    header = tuple(line for i, line in enumerate(lines[:first]) if i not in toc_lines)
    _apply_parts(items, doc, chain, header, toc_lines)
    _answer_blocks(doc, items)
    return Segmented(header, items, toc_titles)


# --- the agenda listed first, then the referat under "Ad 1. Title" headings ----

# "Ad 1. Godkendelse …", "Ad pkt. 3 - Budget", "Ad punkt 2: …", "Ad. 4) …"
RE_AD_HEADING = re.compile(
    r"^[^\S\n]*" + _AD + _PUNKT_WORD + r"(\d{1,3})[^\S\n]*[.:)–-]?[^\S\n]*", re.I
)


def agenda_list(
    lines: Sequence[Line], candidates: Sequence[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """The agenda listed before the referat restates it item by item, and the
    "Ad N. Title" headings that restate it.

    Small councils and boards list the agenda first ("1. Godkendelse af
    dagsorden", line after line, no text between) and then write the referat
    under headings that repeat the listed titles: "1. Godkendelse af dagsorden"
    again, or "Ad 1. Godkendelse af dagsorden". When most entries of such a list
    come back later as a heading with text under it, the list is the agenda, as
    a table of contents is; the "Ad N." headings become candidates (an old minute
    book's "Ad 1. Vedtoges." restates no title and stays a decision, see
    :func:`_answer_blocks`).
    """
    ads = _ad_headings(lines)
    later: dict[int, list[Candidate]] = {}
    for c in sorted([*candidates, *ads], key=lambda c: c.index):
        if _has_body(lines, c):
            later.setdefault(c.number, []).append(c)
    listed: list[Candidate] = []
    restating: list[Candidate] = []
    for run in _bodiless_runs(lines, candidates):
        again = [_restatement(c, later.get(c.number, [])) for c in run]
        found = [c for c in again if c is not None]
        if len(found) >= max(2, ANSWERED_SHARE * len(run)):
            listed += run
            restating += [c for c in found if c.style == "ad"]
    return listed, restating


def _ad_headings(lines: Sequence[Line]) -> list[Candidate]:
    found = []
    for k, line in enumerate(lines):
        m = RE_AD_HEADING.match(line.text)
        if m is not None and (title := line.text[m.end() :].strip()):
            start = line.start + _indent(line.text)
            found.append(Candidate(k, int(m[1]), title, "ad", k, start))
    return found


def _bodiless_runs(
    lines: Sequence[Line], candidates: Sequence[Candidate]
) -> list[list[Candidate]]:
    """Runs of two or more candidates numbered one up from the other with no
    text between them (a wrapped title line at most): listed titles."""
    runs: list[list[Candidate]] = []
    run: list[Candidate] = []
    for c in candidates:
        if run and c.number == run[-1].number + 1 and _adjacent(lines, run[-1], c):
            run.append(c)
            continue
        if len(run) >= 2:
            runs.append(run)
        run = [c]
    if len(run) >= 2:
        runs.append(run)
    return runs


def _adjacent(lines: Sequence[Line], a: Candidate, b: Candidate) -> bool:
    between = [line for line in lines[a.title_index + 1 : b.index] if line.stripped]
    return len(between) <= 1 and all(len(x.stripped) < WRAP_WIDTH for x in between)


def _has_body(lines: Sequence[Line], c: Candidate) -> bool:
    """Whether text that is no numbered line follows the candidate's title."""
    following = _next_text(lines, c.title_index)
    return bool(following) and _leading_number(following) is None


def _restatement(listed: Candidate, later: Sequence[Candidate]) -> Candidate | None:
    """The first heading after the list with the listed entry's number, if it
    repeats the listed title."""
    first = next((c for c in later if c.index > listed.title_index), None)
    if first is None or not _same_title(_norm(first.title), _norm(listed.title)):
        return None
    return first


def _same_title(restated: str, listed: str) -> bool:
    """Whether an "Ad N." heading repeats the listed title, perhaps cut short or
    run on ("Ad 4. Budget" for "Budget 2016 - 1. behandling")."""
    short, long = sorted((restated, listed), key=len)
    return len(short) >= min(len(long), 8) and long.startswith(short)


# --- minute books: the items listed first, then "Ad 1. …", "Ad 2. …" -----------

# "Ad 1. Vedtoges.", "ad 3: Bevilget Kr. 150,--"
RE_ANSWER = re.compile(r"^\s*[Aa]d[^\S\n]+(\d{1,3})[^\S\n]*[.:]\s*")
ANSWERED_SHARE = 0.8  # of the items an answer list must answer to be one


def _answer_blocks(doc: Text, items: list[RawItem]) -> None:
    """Old minute books list the items and then record the decisions in one run of
    "Ad N." blocks, so segmentation finds them all inside the last item. When such
    a run after the last heading answers most of the items (one "Ad 1./Ad 2." pair
    inside a decision of a modern referat does not), each block becomes the
    Beslutning of the item with its number and the last item ends before the run."""
    if len(items) < 2:
        return
    last = items[-1]
    answers = [
        (k, int(m[1]), m.end())
        for k in range(last.first_line + 1, last.last_line + 1)
        if (m := RE_ANSWER.match(doc.lines[k].text))
    ]
    by_number = {int(item.number): item for item in items if item.number.isdigit()}
    answered = {n for _, n, _ in answers if n in by_number}
    if len(answered) < max(2, ANSWERED_SHARE * len(items)):
        return
    first_line, run_end = answers[0][0], last.end
    end = doc.lines[first_line].start
    while end > last.body_start and doc.text[end - 1].isspace():
        end -= 1
    last.end, last.last_line = max(end, last.body_start), first_line - 1
    last.sections = [s for s in last.sections if s.start < last.end]
    for section in last.sections:  # what it printed before the run ends there
        section.text_end = min(section.text_end, last.end)
    stops = [doc.lines[k].start - 1 for k, _, _ in answers[1:]] + [run_end]
    for (k, number, prefix), stop in zip(answers, stops, strict=True):
        if number not in by_number:
            continue
        line = doc.lines[k]
        by_number[number].sections.append(RawSection(
            heading=line.text[: prefix].strip(), kind=sec.DECISION, start=line.start,
            text_start=line.start + prefix, text_end=max(stop, line.start + prefix),
            line=k,
        ))  # fmt: skip


# --- one item per page --------------------------------------------------------


def _section_lines(lines: Sequence[Line], toc: set[int]) -> list[int]:
    """Indices of section heading lines; "Referat" is also a document's title."""
    return [
        k
        for k, line in enumerate(lines)
        if k not in toc and sec.heading_kind(line.stripped) not in (None, "Referat")
    ]


def _proven(chain: Sequence[Candidate], lines: Sequence[Line]) -> bool:
    """Whether ``chain`` is items beyond doubt: MIN_CHAIN or more headings, each
    followed by an item's evidence."""
    proven = [c for c in chain if _evidence_follows(lines, c.title_index)]
    return len(proven) >= MIN_CHAIN


def _single_item(lines: Sequence[Line], first_section: int) -> Candidate | None:
    """The one item of a page that publishes a single agenda item.

    Items begin before their sections, so a document with section headings, the
    first of them before any item heading, is one item: its title is the
    nearest line above that heading which is neither a case-number or status line
    nor a dated meeting line; it carries no printed number, so it is item 1.
    """
    for k in range(first_section - 1, max(first_section - 2 * LOOKAHEAD, 0) - 1, -1):
        text = lines[k].stripped
        if not text or RE_META.match(text) or _is_marker(text) or _has_date(text):
            continue
        if len(text) > MAX_TITLE or RE_NUMBERED.match(text):
            return None
        return Candidate(k, 1, text, "page", k, lines[k].start + _indent(lines[k].text))
    return None


def _status_blocks(lines: Sequence[Line], first_section: int) -> list[Candidate]:
    """Untitled items: repeated "Åben"/"Lukket" markers, each opening its sections.

    Web pages whose collapsible item titles were lost still print one status
    marker per item before its sections; two or more such blocks are the items,
    numbered by position.
    """
    found: list[Candidate] = []
    for k, line in enumerate(lines):
        if _is_marker(line.stripped) and _heading_follows(lines, k):
            number = len(found) + 1
            found.append(Candidate(k, number, line.stripped, "status", k, line.start))
    return found if len(found) >= 2 and found[0].index < first_section else []


def _unnumbered(
    lines: Sequence[Line], headings: Sequence[int], first_section: int
) -> list[Candidate]:
    """The items of a referat that numbers none of them: titled items that repeat
    their sections, untitled blocks under status markers, or one item per page."""
    cycles = _section_cycles(lines, headings)
    blocks = _status_blocks(lines, first_section)
    if len(cycles) >= max(2, len(blocks)):
        return _numbered_by_mark(cycles)
    page_item = _single_item(lines, first_section)
    return blocks or ([page_item] if page_item is not None else [])


def _heading_follows(lines: Sequence[Line], k: int) -> bool:
    following = (line.stripped for line in lines[k + 1 :])
    return sec.heading_kind(next((t for t in following if t), "")) is not None


def _is_marker(text: str) -> bool:
    """A short "Åben"/"Lukket punkt" line: an item's status marker."""
    return len(text) < 25 and bool(
        RE_OPEN_MARKER.search(text) or RE_CLOSED_MARKER.search(text)
    )


def _has_date(text: str) -> bool:
    """ "Plan- og Miljøudvalget, møde den 6. november 2023": a meeting line."""
    return bool(RE_DATED_LINE.search(text))


# --- items without numbers: the same sections over again ---------------------

# a mark before a title that no chain counts: "01 Godkendelse …", "1.1.1 …",
# "B. …", "IV) …"
RE_MARK = re.compile(
    r"^[^\S\n]*(?:(\d{1,3}(?:\.\d{1,3}){0,2})\.?|([A-Z]|[IVX]{1,4})[.)])[^\S\n]+(?=\S)"
)
# a mark alone on the line above such a title: "Ad 1.", "Punkt 2.1", "3."
RE_MARK_ALONE = re.compile(
    rf"^(?:{_AD})?" + _PUNKT_WORD + r"(\d{1,3}(?:\.\d{1,3}){0,2})[.:)]?$", re.I
)
# what stands between an item's title and its first section: case-number and
# status lines, blanks
TITLE_GAP = 2 * LOOKAHEAD


def _section_cycles(lines: Sequence[Line], headings: Sequence[int]) -> list[Candidate]:
    """Items printed as bare title headings, found by their sections coming round.

    Such a referat gives the chain no number to count, but every item runs
    through the same few sections. When a section kind comes round again inside
    an item, the next item has begun: at the first section after the item's last
    decision (items open with different sections: Resumé, Sagsfremstilling or only
    a Beslutning), under a title line. With no title line there it is the same
    item going on: a second body's Beslutning, a revised Indstilling.
    """
    kinds = [sec.heading_kind(lines[k].stripped) for k in headings]
    first = _cycle_title(lines, headings[0], -1)
    if first is None:
        return []
    found = [first]
    seen = {kinds[0]}  # the kinds of the current item, so far
    decided = 0 if kinds[0] == sec.DECISION else None  # its last decision
    for j in range(1, len(kinds)):
        if kinds[j] in seen:
            o = _opener(kinds, decided, j)
            title = _cycle_title(lines, headings[o], headings[o - 1])
            if title is not None and not _decided_again(lines, headings, o, title):
                found.append(title)
                seen, decided = set(kinds[o:j]), None
        seen.add(kinds[j])
        if kinds[j] == sec.DECISION:
            decided = j
    return found


def _opener(kinds: Sequence[str | None], decided: int | None, j: int) -> int:
    """The section that opens the item whose section ``j`` repeats one of the item
    before, last decided at ``decided``: the first after that decision (an
    attachment list right after the decision is still the item's), else ``j``."""
    if decided is None:
        return j
    o = decided + 1
    while o < j and kinds[o] == "Bilag":
        o += 1
    return o


def _decided_again(
    lines: Sequence[Line], headings: Sequence[int], o: int, title: Candidate
) -> bool:
    """Whether decision ``o`` right after another is the same item decided by the
    next body: its heading names another body or date ("Beslutning i
    Økonomiudvalget den 21. maj" after "… i Plan- og Teknikudvalget den 7. maj"),
    or ``title`` is all the decision above holds ("Anbefales"). Two items decided
    at one meeting print the same decision heading."""
    before, this = (lines[headings[i]].stripped for i in (o - 1, o))
    if not sec.heading_kind(before) == sec.heading_kind(this) == sec.DECISION:
        return False
    before, this = _norm(before), _norm(this)
    above = lines[headings[o - 1] + 1 : title.index]
    return before != this or not any(line.stripped for line in above)


def _cycle_title(lines: Sequence[Line], k: int, floor: int) -> Candidate | None:
    """The title line above section heading ``k`` (and below line ``floor``),
    past case-number and status lines, or None if the line there is no title."""
    t = k - 1
    while t > max(floor, k - TITLE_GAP) and _between_title_and_section(lines[t]):
        t -= 1
    if t <= floor or not lines[t].stripped:
        return None
    top = t
    while top - 1 > floor and RE_OPEN_END.search(lines[top - 1].stripped):
        top -= 1  # "Anlægsbevilling til renovering af broen over" / "Kornerup Å"
    mark = RE_MARK_ALONE.match(lines[top - 1].stripped) if top - 1 > floor else None
    text = " ".join(lines[i].stripped for i in range(top, t + 1))
    if not _is_title(lines, top, t, text, marked=mark is not None):
        return None
    first = top - 1 if mark is not None else top
    start = lines[first].start + _indent(lines[first].text)
    printed = mark[1] if mark else None
    return Candidate(first, 0, text, "cycle", t, start, printed=printed)


def _between_title_and_section(line: Line) -> bool:
    text = line.stripped
    return not text or bool(RE_META.match(text)) or _is_marker(text)


def _is_title(
    lines: Sequence[Line], top: int, last: int, text: str, marked: bool
) -> bool:
    """Whether lines ``top``..``last`` (joined: ``text``) read as a title: short,
    no sentence, set apart from the text above by a heading style, a blank line or
    a mark."""
    first, end = lines[top], lines[last]
    mark = RE_MARK.match(text)
    words = text[mark.end() :] if mark else text
    if len(text) > MAX_TITLE or not words[:1].isupper() or _structural(text):
        return False
    if sec.is_boundary(text) or is_status_line(text):
        return False
    if marked or first.bold or first.heading is not None:
        return True
    above = lines[top - 1].stripped if top > 0 else ""
    return end.stripped[-1] not in ".:;,!?" and not above


def _numbered_by_mark(cycles: list[Candidate]) -> list[Candidate]:
    """Number the items by the marks they all print ("Ad 1." above the title,
    "01" or "B." before it), or else by their place."""
    labelled = all(c.printed for c in cycles)
    marks = [RE_MARK.match(c.title) for c in cycles]
    marked = not labelled and all(marks)
    for n, (c, mark) in enumerate(zip(cycles, marks, strict=True), start=1):
        c.number = n
        if not labelled:
            c.printed = None
        if marked and mark is not None:
            c.printed = (mark[1] or mark[2]).lstrip("0") or "0"
            c.title = c.title[mark.end() :]
    return cycles


# --- table of contents -------------------------------------------------------


def table_of_contents(lines: Sequence[Line]) -> set[int]:
    """Indices of table-of-contents lines (entries, their labels and wraps)."""
    toc: set[int] = set()
    for i, line in enumerate(lines):
        if RE_TOC_HEADING.match(line.text) and i not in toc:
            toc |= _toc_from(lines, i)
    return toc


def _toc_from(lines: Sequence[Line], heading: int) -> set[int]:
    found = (
        {heading} if not RE_TOC_HEADING.sub("", lines[heading].text).strip() else set()
    )
    numbers: set[str] = set()
    i = heading + 1
    while i < len(lines):
        text = lines[i].stripped
        if not text:
            i += 1
            continue
        number = _leading_number(text)
        if number is not None and number in numbers and not RE_TOC_ENTRY.search(text):
            break  # the first item again: the TOC is over
        if RE_TOC_ENTRY.search(text) or RE_TOC_LABEL.match(text):
            found.add(i)
            if number is not None:
                numbers.add(number)
        elif _next_is_entry(lines, i) or (
            number is not None and _next_numbered(lines, i)
        ):
            found.add(i)  # an entry wrapped over two lines, or a list of titles
            if number is not None:
                numbers.add(number)
        else:
            break
        i += 1
    return found


def _next_is_entry(lines: Sequence[Line], i: int) -> bool:
    for line in lines[i + 1 : i + 3]:
        if line.stripped:
            return (
                bool(RE_TOC_ENTRY.search(line.stripped))
                and _leading_number(line.stripped) is None
            )
    return False


def _next_numbered(lines: Sequence[Line], i: int) -> bool:
    """The next non-blank line starts with an item number too.

    A contents list without page numbers ("1. Title (2024-0051163)" line after
    line) is told from the items by having no body between its entries.
    """
    return _leading_number(_next_text(lines, i)) is not None


def _next_text(lines: Sequence[Line], i: int) -> str:
    """The next non-blank line after line ``i``, stripped ("" at the end)."""
    return next((line.stripped for line in lines[i + 1 :] if line.stripped), "")


def _leading_number(text: str) -> str | None:
    """The item number a line starts with: "7" for "7. Budget", "2.3" for "2.3 …"."""
    match = RE_PUNKT.match(text) or RE_NUMBERED.match(text)
    if match:
        return match.group(1)
    match = RE_SUBNUMBERED.match(text)
    return f"{match[1]}.{match[2]}" if match else None


def _toc_title(text: str) -> str:
    """A contents entry's title, without its number and page: "1.2 Forslag … 2"."""
    text = RE_TOC_PAGE.sub("", text.strip())
    match = RE_PUNKT.match(text) or RE_NUMBERED.match(text)
    if match is None and (sub := RE_SUBNUMBERED.match(text)):
        return _norm(sub[3])
    return _norm(match.group(2) if match else text)


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".:")


# --- candidates --------------------------------------------------------------


def find_candidates(lines: Sequence[Line]) -> list[Candidate]:
    """Every line that could start an item, in document order."""
    found: list[Candidate] = []
    for i in range(len(lines)):
        candidate = _candidate(lines, i)
        if candidate is not None and not _is_date_like(candidate.title):
            found.append(candidate)
    return found


def _candidate(lines: Sequence[Line], i: int) -> Candidate | None:
    line = lines[i]
    text = line.text
    for style, pattern in (("punkt", RE_PUNKT), ("numbered", RE_NUMBERED)):
        match = pattern.match(text)
        if match and RE_STATUS_ONLY.match(match.group(2)):
            return None
        if match:
            status = RE_STATUS_LABEL.match(text) if style == "punkt" else None
            title = f"({status[1]}) {match[2]}" if status else match[2]  # RE_*_PREFIX
            start = line.start + _indent(text)
            return Candidate(i, int(match[1]), title, style, i, start)
    match = RE_SUBNUMBERED.match(text)
    if match:
        number, sub, title = int(match[1]), int(match[2]), match[3]
        start = line.start + _indent(text)
        return Candidate(i, number, title, "sub", i, start, sub=sub)
    match = RE_LABELLED.match(text)
    label = match.group("label").rstrip(".").lower() if match else ""
    if (
        match
        and label not in NOT_ITEM_LABELS
        and not RE_YEAR.fullmatch(match.group(2))  # "Kulturkommune 2017 …"
        and not RE_STATUS_ONLY.match(match.group(3))
    ):
        return Candidate(
            i, int(match.group(2)), match.group(3), f"label {label}", i,
            line.start + _indent(text), score=-0.5,
        )  # fmt: skip
    match = RE_NUMBER_ALONE.match(text)
    if match:
        return _with_next_title(
            lines, i, int(match.group(1)), line.start + _indent(text)
        )
    match = RE_BARE_NUMBER.match(text)
    if match and _heading_next(lines, i):
        return _with_next_title(
            lines, i, int(match.group(1)), line.start + _indent(text)
        )
    match = RE_PUNKT_ALONE.match(text) or RE_AD_ALONE.match(text)
    if match:
        start = line.start + _indent(text)
        style = "punkt" if match.re is RE_PUNKT_ALONE else "ad"
        return _with_next_title(lines, i, int(match.group(1)), start, style=style)
    match = RE_GLUED.search(text)
    if match and len(text) < 400:
        start = line.start + match.start(1)
        if match.group(2):
            return Candidate(
                i, int(match.group(1)), match.group(2), "numbered", i, start, score=-0.5
            )
        return _with_next_title(lines, i, int(match.group(1)), start, glued=True)
    return None


def _with_next_title(
    lines: Sequence[Line],
    i: int,
    number: int,
    start: int,
    glued: bool = False,
    style: str = "numbered",
) -> Candidate | None:
    """A number alone on its line: the title is the next non-blank line (not a
    section heading: "Punkt 3" above "Beslutning" has lost its title)."""
    for j in range(i + 1, min(i + 5, len(lines))):
        title = lines[j].stripped
        if title:
            if RE_NUMBERED.match(title) or RE_NUMBER_ALONE.match(title):
                return None
            if style != "numbered" and (
                sec.heading_kind(title) is not None or RE_META.match(title)
            ):
                return None
            if style == "ad" and title.endswith("."):  # "Ad 1." / "Vedtoges."
                return None
            return Candidate(
                i, number, title, style, j, start, score=-0.5 if glued else 0.0
            )
    return None


def _heading_next(lines: Sequence[Line], i: int) -> bool:
    """The next non-blank line is marked as a heading by its reader (HTML h1-h6)."""
    following = next((line for line in lines[i + 1 :] if line.stripped), None)
    return following is not None and following.heading is not None


def _is_date_like(title: str) -> bool:
    """ "24. juni – 26. juni 2019": a date at a line start, not an item."""
    first = re.split(r"[\s,.]", title.lower(), maxsplit=1)[0]
    return first in MONTHS


def _score(c: Candidate, lines: Sequence[Line], toc_titles: tuple[str, ...]) -> float:
    line = lines[c.index]
    score = c.score + 1.0
    if line.heading is not None or line.bold:
        score += 1.0
    if _evidence_follows(lines, c.title_index):
        score += 1.5
    if RE_CLOSED_SUFFIX.search(c.title) or RE_CLOSED_PREFIX.match(c.title):
        score += 1.0
    if toc_titles and _norm(c.title) in toc_titles:
        score += 1.0
    if not _has_body(lines, c):  # a listed title, unless no item has text
        score -= BODILESS_PENALTY
    if len(c.title) > MAX_TITLE:
        score -= 2.5
    elif len(c.title) > 120:
        score -= 1.0
    if c.title[:1].islower():
        score -= 1.0
    if RE_MEMBER.match(c.title):
        score -= 2.0
    return score


def _evidence_follows(lines: Sequence[Line], index: int) -> bool:
    """A section heading or a case-number line soon after the title."""
    seen = 0
    for line in lines[index + 1 :]:
        text = line.stripped
        if not text:
            continue
        if is_status_line(text) or sec.heading_kind(text) is not None:
            return True
        if RE_NUMBERED.match(text) or RE_PUNKT.match(text):
            return False
        if RE_META.match(text):
            return True
        if RE_OPEN_MARKER.search(text) and len(text) < 80:
            return True
        seen += 1
        if seen >= LOOKAHEAD:
            return False
    return False


# --- the chain ---------------------------------------------------------------

GAP_PENALTY = 0.8  # per item number skipped between two chain members
MAX_GAP = 3


def best_chain(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The highest-scoring run of candidates in one style with rising numbers.

    Points numbered "6.1", "6.2" inside item 6 of a chain 1, 2, … 7 are that
    item's parts, not the items, however many there are.
    """
    chains = []
    for style in dict.fromkeys(c.style for c in candidates):
        chain, score = _chain([c for c in candidates if c.style == style])
        if score > 0.0:
            chains.append((score, chain))
    chains.sort(key=lambda sc: -sc[0])  # stable: ties keep the first style
    best = chains[0][1] if chains else []
    if best and best[0].sub is not None:
        outer = next((ch for _, ch in chains if ch[0].sub is None), [])
        if outer and all(_inside_item(c, outer) for c in best):
            return outer
    return best


def _inside_item(c: Candidate, chain: Sequence[Candidate]) -> bool:
    """Whether "N.M" stands in the body of item N of ``chain``."""
    for k, item in enumerate(chain):
        after = chain[k + 1].index if k + 1 < len(chain) else None
        if item.number == c.number and item.index < c.index:
            return after is None or c.index < after
    return False


def _chain(pool: Sequence[Candidate]) -> tuple[list[Candidate], float]:
    """Dynamic programming over candidates in document order.

    A candidate's predecessor has a number 1 to MAX_GAP below its own and stands on
    an earlier line, so only the best-scoring earlier candidate of each of those
    numbers needs to be looked at: linear in the candidates (a large council's
    minutes have thousands). Ties go to the earliest candidate, as a pairwise scan
    in document order would give.
    """
    score = [c.score for c in pool]
    back: list[int | None] = [None] * len(pool)
    best_of: dict[_Key, int] = {}  # item number -> best candidate on earlier lines
    this_line: list[int] = []  # candidates on the current line, not yet eligible
    for j, cj in enumerate(pool):
        if this_line and pool[this_line[0]].index < cj.index:
            for i in this_line:
                for key in _keys(pool[i]):
                    _keep_best(best_of, score, key, i)
            this_line = []
        for key, skipped in _predecessors(cj):
            before = best_of.get(key)
            if before is None:
                continue
            total = score[before] + cj.score - GAP_PENALTY * skipped
            kept = back[j]
            tie_earlier = kept is not None and before < kept
            if total > score[j] or (total == score[j] and tie_earlier):
                score[j], back[j] = total, before
        this_line.append(j)
    if not pool:
        return [], 0.0
    end = max(range(len(pool)), key=lambda k: (score[k], k))
    chain: list[Candidate] = []
    k: int | None = end
    while k is not None:
        chain.append(pool[k])
        k = back[k]
    return chain[::-1], score[end]


# an item number as the chain looks it up: (7, None) for "7.", (2, 3) for "2.3",
# and (2, 0) for "any item of group 2"
_Key = tuple[int, int | None]


def _keys(c: Candidate) -> tuple[_Key, ...]:
    """The numbers a later chain member may look ``c`` up by."""
    if c.sub is None:
        return ((c.number, None),)
    return ((c.number, c.sub), (c.number, 0))


def _predecessors(c: Candidate) -> Iterable[tuple[_Key, int]]:
    """The numbers the item before ``c`` may have, each with the count of item
    numbers skipped: "7." follows "6." (or "5." …); "2.3" follows "2.2", and "2.1"
    follows any item of group 1: numbering restarts in each group."""
    for gap in range(1, MAX_GAP + 1):
        if c.sub is None:
            yield (c.number - gap, None), gap - 1
            continue
        if c.sub - gap >= 1:
            yield (c.number, c.sub - gap), gap - 1
        if c.sub <= MAX_GAP:
            yield (c.number - gap, 0), gap - 1 + c.sub - 1


def _keep_best(best_of: dict[_Key, int], score: list[float], key: _Key, i: int) -> None:
    """Record candidate ``i`` for its number if it scores higher than the one kept
    (the earlier one stays on a tie)."""
    kept = best_of.get(key)
    if kept is None or score[i] > score[kept]:
        best_of[key] = i


# --- items -------------------------------------------------------------------


def _row_candidate(row: tables.TableRow) -> Candidate:
    return Candidate(
        row.line, row.number, row.title.text, "table", row.line, row.title.start
    )


def _row_item(lines: Sequence[Line], row: tables.TableRow) -> RawItem:
    """The item of a minutes table's row: its cells are its title and sections."""
    title, is_open = _title_and_status(row.title.text)
    return RawItem(
        number=str(row.number),
        title=title,
        open=is_open,
        start=lines[row.line].start + _indent(lines[row.line].text),
        end=row.end,
        first_line=row.line,
        last_line=row.last_line,
        body_start=row.title.end,
        sections=[
            RawSection(col.name, col.kind, cell.start, cell.start, cell.end, row.line)
            for col, cell in row.sections
        ],
        pages=_pages(lines[row.line : row.last_line + 1]),
    )


def _build_item(doc: Text, chain: Sequence[Candidate], n: int) -> RawItem:
    """The item from its heading up to the next item's number (maybe mid-line)."""
    lines = doc.lines
    c = chain[n]
    end = chain[n + 1].start if n + 1 < len(chain) else len(doc.text)
    while end > c.start and doc.text[end - 1].isspace():
        end -= 1
    last = _line_at(lines, end, c.index)
    nxt = chain[n + 1] if n + 1 < len(chain) else None
    while last > c.title_index and _opens_next(lines[last].text, c, nxt):
        last -= 1  # "LUKKET MØDE" opens the next part; it is no item's text
        while last > c.title_index and not lines[last].stripped:
            last -= 1
        end = min(end, lines[last].end)
    title_end = _title_end(lines, c)
    wrapped = (lines[k].stripped for k in range(c.title_index + 1, title_end + 1))
    title, is_open = _title_and_status(" ".join([c.title, *filter(None, wrapped)]))
    if is_open is None:
        is_open = _meta_status(lines, title_end + 1, last)
    item = RawItem(
        number=c.label,
        title=title,
        open=is_open,
        start=c.start,
        end=max(end, lines[title_end].end),
        first_line=c.index,
        last_line=last,
        body_start=lines[title_end].end,
        pages=_pages(lines[c.index : last + 1]),
    )
    item.sections = find_sections(lines, title_end + 1, last, end)
    return item


def _opens_next(text: str, c: Candidate, nxt: Candidate | None) -> bool:
    """Whether a line ending item ``c`` belongs to what follows it: a meeting part
    ("LUKKET MØDE") or the heading of the group the next item opens ("2 Sager til
    orientering" before "2.1 …")."""
    if RE_PART.match(text):
        return True
    if nxt is None or nxt.sub is None or nxt.number == c.number:
        return False
    match = RE_GROUP_HEADING.match(text)
    return match is not None and int(match[1]) == nxt.number


def _line_at(lines: Sequence[Line], offset: int, first: int) -> int:
    """Index of the line holding the character just before ``offset``."""
    k = first
    while k + 1 < len(lines) and lines[k + 1].start < offset:
        k += 1
    return k


def _title_and_status(title: str) -> tuple[str, bool | None]:
    """Strip status markers off a title: "Personalesag (Lukket)" → closed."""
    title = RE_KIND_SUFFIX.sub("", title)
    if RE_CLOSED_SUFFIX.search(title):
        return RE_CLOSED_SUFFIX.sub("", title), False
    if RE_CLOSED_PREFIX.match(title):
        return RE_CLOSED_PREFIX.sub("", title), False
    if RE_OPEN_SUFFIX.search(title):
        return RE_OPEN_SUFFIX.sub("", title), True
    if RE_OPEN_PREFIX.match(title):
        return RE_OPEN_PREFIX.sub("", title), True
    if title.strip().lower() == "lukket":
        return title.strip(), False
    return title.strip(), None


def _title_end(lines: Sequence[Line], c: Candidate) -> int:
    """The last line of a title that wraps onto the next line(s).

    With style information, a wrapped title continues in the same bold/heading
    style. Plain text (PDF text without fonts, OCR) shows a wrap as a long title
    line followed, without a blank, by one short line and then (after at most one
    blank: a scan's paragraph gap) the item's case-number line or first section
    heading; or by one short line when the long one stops where no title can end,
    on a preposition, article or comma ("… om Hjælp til" / "Brændsel.").
    "Long" is measured for a heading font, which wraps sooner than body text.
    """
    first = lines[c.title_index]
    k = c.title_index
    while (first.bold or first.heading is not None) and k + 1 < len(lines):
        nxt = _next_styled(lines, k + 1, first)
        if nxt is None or not _continues(lines[nxt], first):
            break
        k = nxt
    if k > c.title_index:
        return k
    nxt = c.title_index + 1
    open_end = bool(RE_OPEN_END.search(first.stripped))
    if open_end and nxt + 1 < len(lines) and not lines[nxt].stripped:
        nxt += 1  # a title cut off mid-phrase goes on past a scan's stray gap
    after = nxt + 1 if nxt + 1 < len(lines) and lines[nxt + 1].stripped else nxt + 2
    if (
        len(first.stripped) >= WRAP_WIDTH
        and nxt < len(lines)
        and _plain_text(lines[nxt].stripped)
        and len(lines[nxt].stripped) < WRAP_WIDTH
        and (open_end or (after < len(lines) and _structural(lines[after].stripped)))
    ):
        return nxt
    return c.title_index


def _next_styled(lines: Sequence[Line], k: int, first: Line) -> int | None:
    """The next line, or for a heading style or bold font of a known size the next
    paragraph: a title set as two heading paragraphs is one title."""
    if lines[k].stripped or (first.heading is None and first.size is None):
        return k
    following = k + 1
    return following if following < len(lines) and lines[following].stripped else None


def _continues(line: Line, first: Line) -> bool:
    same_style = (line.bold, line.heading, line.size) == (
        first.bold,
        first.heading,
        first.size,
    )
    return bool(line.stripped) and same_style and _plain_text(line.stripped)


def _plain_text(text: str) -> bool:
    """Not a heading, a meta line, a status marker or another item's start."""
    return bool(text) and not (
        sec.heading_kind(text)
        or RE_META.match(text)
        or _is_marker(text)
        or RE_NUMBERED.match(text)
        or RE_PUNKT.match(text)
    )


def _structural(text: str) -> bool:
    return bool(text) and bool(sec.heading_kind(text) or RE_META.match(text))


def _meta_status(lines: Sequence[Line], first: int, last: int) -> bool | None:
    """An "Åbent"/"Lukket" marker among the lines before the first section."""
    seen = 0
    for line in lines[first : last + 1]:
        text = line.stripped
        if not text:
            continue
        if sec.heading_kind(text) is not None or seen >= LOOKAHEAD:
            return None
        if is_status_line(text):
            return not RE_CLOSED_SUFFIX.search(text)
        if len(text) < 120 and (RE_META.match(text) or len(text) < 25):
            if RE_OPEN_MARKER.search(text):
                return True
            if RE_CLOSED_MARKER.search(text):
                return False
        seen += 1
    return None


def is_status_line(text: str) -> bool:
    """ "Punkt 1 (Åben)": a status line printed under the item's heading."""
    match = RE_PUNKT.match(text)
    return match is not None and bool(RE_STATUS_ONLY.match(match.group(2)))


def _pages(lines: Sequence[Line]) -> tuple[int, ...]:
    return tuple(sorted({line.page for line in lines if line.page is not None}))


def find_sections(
    lines: Sequence[Line], first: int, last: int, end: int
) -> list[RawSection]:
    """Section headings between two line indices, each running to the next heading.

    Some exports print sub-headings such as "Tidsplan:" inside a section; when most
    headings in the item are printed without a colon, colon-ended lines are not
    taken as headings (decision headings excepted, they keep their colon).
    """
    found = [
        (k, kind)
        for k in range(first, last + 1)
        if (kind := sec.heading_kind(lines[k].stripped)) is not None
    ]
    styled = [k for k, _ in found if lines[k].heading is not None]
    plain = [k for k, _ in found if not sec.has_colon(lines[k].stripped)]
    keep = []
    for k, kind in found:
        if styled and lines[k].heading is None and kind != sec.DECISION:
            continue
        is_inline = sec.inline_heading(lines[k].stripped) is not None
        if (
            sec.has_colon(lines[k].stripped)
            and kind != sec.DECISION
            and len(plain) * 2 >= len(found)
            and not is_inline
        ):
            continue
        keep.append((k, kind))
    stops = sorted(
        {k for k, _ in keep}
        | {k for k in range(first, last + 1) if sec.is_boundary(lines[k].stripped)}
    )
    return [_section(lines, k, kind, stops, end) for k, kind in keep]


def _section(
    lines: Sequence[Line], k: int, kind: str, stops: Sequence[int], end: int
) -> RawSection:
    """A section from its heading line to the next heading or boundary line."""
    heading = lines[k].stripped
    inline = sec.inline_heading(heading)
    if inline is not None:
        indent = _indent(lines[k].text)
        text_start = lines[k].start + indent + sec.inline_value_start(heading)
        heading = inline
    else:
        text_start = min(lines[k].end + 1, end)
    after = bisect.bisect_right(stops, k)  # stops are sorted: the first one after k
    stop = lines[stops[after]].start - 1 if after < len(stops) else end
    text_end = max(stop, text_start)
    return RawSection(
        heading, kind, lines[k].start + _indent(lines[k].text), text_start, text_end, k
    )


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _apply_parts(
    items: list[RawItem],
    doc: Text,
    chain: Sequence[Candidate],
    header: Sequence[Line],
    toc: set[int],
) -> None:
    """Items under "LUKKET MØDE" are closed, under "Åbent referat" open.

    An item's own marker wins over the part it stands in.
    """
    state = _part_state(line.stripped for line in header)
    for n, item in enumerate(items):
        if item.open is None and state is not None:
            item.open = state
        nxt = chain[n + 1].index if n + 1 < len(chain) else len(doc.lines)
        between = (
            doc.lines[k].stripped
            for k in range(item.last_line + 1, nxt)
            if k not in toc
        )
        state = _part_state(between, state)


def _part_state(texts: Iterable[str], state: bool | None = None) -> bool | None:
    for text in texts:
        match = RE_PART.match(text)
        if match:
            state = match.group(1).lower().startswith("åb")
    return state
