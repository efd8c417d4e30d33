"""Layout cleanup: blocks from a reader → the document text and its lines.

What this removes or repairs is what PDF exports put between the reader and the
words: running headers and footers repeated on every page ("Direktionen
28-09-2020", "Side 3 af 14"), bare page numbers, words split by end-of-line
hyphens, and web-page debris ("Til toppen"). The result is one string, the
document text that every offset in the JSON points into, plus its lines with the
style facts that segmentation needs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from referat_nlp.readers.blocks import Block
from referat_nlp.sections import heading_kind

# "Side 3 af 14", "Side! 1 af! 6" is left alone (docplayer transcripts keep it in text)
RE_PAGE_NUMBER = re.compile(
    r"^\s*(?:side\s+\d+(?:\s*(?:af|/)\s*\d+)?|\d+\s*(?:af|of|/)\s*\d+|-?\s*\d{1,3}\s*-?)\s*$",
    re.IGNORECASE,
)
# in text extracted from a PDF, the printed page markers: "Side 3", "5 of 7"
RE_PAGE_MARKER = re.compile(
    r"(?:^|\s)(?:side\s+\d+(?:\s*(?:af|/)\s*\d+)?|\d+\s+(?:af|of)\s+\d+)\s*$", re.I
)
# lines a CMS page adds around the minutes ("Til toppen" = back to top)
DEBRIS = frozenset({"til toppen", "hent som fil:", "print", "del på facebook"})
# how many lines at the top and bottom of a page may belong to a running header/footer
EDGE_LINES = 6
# running headers are short; a long repeated line is content
MAX_RUNNING = 100
# conjunctions after a line-end hyphen mean "Teknik- og Miljøudvalget", not a split word
KEEP_HYPHEN_BEFORE = frozenset({"og", "eller", "samt", "til", "i", "&"})


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the cleaned document text with its offsets and style."""

    text: str
    start: int
    end: int
    page: int | None = None
    bold: bool = False
    size: float | None = None
    heading: int | None = None

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True, slots=True)
class Text:
    """The cleaned document: the full string and its lines, in order."""

    text: str
    lines: tuple[Line, ...]
    running: tuple[str, ...] = ()


def clean(blocks: Sequence[Block]) -> Text:
    """Drop page furniture, rejoin hyphenated words and build the document text."""
    if not any(b.page is not None for b in blocks):
        blocks = paginate(blocks)
    running = running_lines(blocks)
    kept = [b for b in _without_furniture(blocks, running) if not _is_debris(b)]
    return build(join_hyphenated(kept), running=tuple(sorted(running)))


def paginate(blocks: Sequence[Block]) -> Sequence[Block]:
    """Give text copied out of a PDF its pages back, from printed page markers.

    Text from ``pdftotext`` or a copy-paste still carries the running header
    ("ReferatForTeknik- og Miljøudvalget Side 2") but no page breaks; a new page
    starts after each marker line. With fewer than two markers nothing changes.
    """
    if sum(1 for b in blocks if RE_PAGE_MARKER.search(b.text)) < 2:
        return blocks
    page, since = 1, 0
    paged = []
    for block in blocks:
        paged.append(Block(block.text, page, block.bold, block.size, block.heading))
        since += 1
        # "5 of 7" then "ReferatFor… Side 4": one header, so one page break
        if RE_PAGE_MARKER.search(block.text) and since > EDGE_LINES // 2:
            page, since = page + 1, 0
    return paged


def build(blocks: Iterable[Block], running: tuple[str, ...] = ()) -> Text:
    """Join block texts with newlines, recording each line's offsets."""
    lines: list[Line] = []
    offset = 0
    for block in blocks:
        end = offset + len(block.text)
        lines.append(
            Line(
                block.text,
                offset,
                end,
                block.page,
                block.bold,
                block.size,
                block.heading,
            )
        )
        offset = end + 1
    return Text("\n".join(line.text for line in lines), tuple(lines), running)


def _shape(text: str) -> str:
    """A line with its digits masked, so "Side 3" and "Side 4" repeat as one shape."""
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def running_lines(blocks: Sequence[Block]) -> set[str]:
    """Shapes of lines at the page edges that repeat on at least half of the pages.

    Section headings are never running lines: on short pages "Beslutning i
    Økonomiudvalget den …" can sit at an edge of most pages.
    """
    pages: dict[int, list[str]] = {}
    for block in blocks:
        text = block.text.strip()
        if block.page is not None and text and heading_kind(text) is None:
            pages.setdefault(block.page, []).append(_shape(text))
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for shapes in pages.values():
        counts.update(set(shapes[:EDGE_LINES] + shapes[-EDGE_LINES:]))
    threshold = max(2, (len(pages) + 1) // 2)
    return {
        shape
        for shape, n in counts.items()
        if n >= threshold and len(shape) <= MAX_RUNNING
    }


def _without_furniture(blocks: Sequence[Block], running: set[str]) -> Iterable[Block]:
    """Drop running lines after their first page, and bare page numbers everywhere.

    The first page keeps its copy: it is often the only place that states the
    committee and meeting date.
    """
    first_page = next((b.page for b in blocks if b.page is not None), None)
    for block in blocks:
        paged = block.page is not None
        if paged and block.page != first_page and _shape(block.text) in running:
            continue
        if paged and RE_PAGE_NUMBER.match(block.text):
            continue
        yield block


def _is_debris(block: Block) -> bool:
    return block.text.strip().lower() in DEBRIS


def join_hyphenated(blocks: Sequence[Block]) -> list[Block]:
    """Rejoin "bygnings-" + "vedligeholdelse" split at a line end (PDF text only).

    Only paged sources (PDF) wrap lines; text from DOCX, HTML or TXT keeps its
    hyphens as written. Blank lines and page furniture between the halves are
    skipped over, since a word can be split across a page break.
    """
    out: list[Block] = []
    pending: Block | None = None
    for block in blocks:
        if pending is not None and block.text.strip():
            joined = _join(pending, block)
            if joined is not None:
                block, pending = joined, None
            else:
                out.append(pending)
                pending = None
        if pending is None and block.page is not None and _ends_split(block.text):
            pending = block
            continue
        if pending is None:
            out.append(block)
    if pending is not None:
        out.append(pending)
    return out


def _ends_split(text: str) -> bool:
    stripped = text.rstrip()
    return len(stripped) > 2 and stripped[-1] == "-" and stripped[-2].isalpha()


def _join(first: Block, second: Block) -> Block | None:
    head = first.text.rstrip()
    tail = second.text.lstrip()
    next_word = tail.split(maxsplit=1)[0] if tail else ""
    if not next_word[:1].islower() or next_word.lower() in KEEP_HYPHEN_BEFORE:
        return None
    if first.bold != second.bold:
        return None
    word = head.rsplit(maxsplit=1)[-1]
    # "ikke-planlagte", "e-handel", "SKI-aftaler": a short or capitalised stem is a
    # real hyphenated compound, not a word the typesetter broke
    keep = len(word) <= 5 or any(c.isupper() for c in word[1:])
    text = head + tail if keep else head[:-1] + tail
    return Block(text, first.page, first.bold, first.size, first.heading)
