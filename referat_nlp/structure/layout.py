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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from referat_nlp.readers.blocks import Block
from referat_nlp.structure.sections import heading_kind
from referat_nlp.vocabulary import SECTION_HEADINGS

# "Side 3 af 14", "Side! 1 af! 6" is left alone (docplayer transcripts keep it in text)
RE_PAGE_NUMBER = re.compile(
    r"^\s*+(?:side\s+\d++(?:\s*+(?:af|/)\s*+\d+)?|\d++\s*+(?:af|of|/)\s*+\d+|-?\s*+\d{1,3}\s*+-?)\s*$",
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


def clean(blocks: Sequence[Block]) -> Text:
    """Drop page furniture, rejoin hyphenated words and build the document text."""
    if not any(b.page is not None for b in blocks):
        blocks = paginate(blocks)
    running = running_lines(blocks)
    drop = furniture(blocks, running)
    kept = [b for i, b in enumerate(blocks) if i not in drop and not _is_debris(b)]
    return build(unfold(join_hyphenated(kept)))


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


def build(blocks: Iterable[Block]) -> Text:
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
    return Text("\n".join(line.text for line in lines), tuple(lines))


def _shape(text: str) -> str:
    """A line with its digits masked, so "Side 3" and "Side 4" repeat as one shape."""
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


def running_lines(blocks: Sequence[Block]) -> set[str]:
    """Shapes of the lines that open (or close) most pages, peeled layer by layer.

    The first line of at least half of the pages is a running line; so is the
    line after it, once the first is peeled off, and so on for a few lines; the
    same from the bottom. Peeling keeps content out: "Sagsnr.: …" opens many
    pages when each item starts a new page, but only below the item heading.
    Section headings are never running lines ("Referat" is also a title word).
    """
    pages = _page_shapes(blocks)
    if len(pages) < 2:
        return set()
    threshold = max(2, (len(pages) + 1) // 2)
    running: set[str] = set()
    for sequences in (pages, [seq[::-1] for seq in pages]):
        depth = [0] * len(sequences)
        for _ in range(EDGE_LINES):
            counts = Counter(
                seq[d] for seq, d in zip(sequences, depth, strict=True) if d < len(seq)
            )
            layer = {s for s, n in counts.items() if s is not None and n >= threshold}
            if not layer:
                break
            running |= layer
            depth = [
                d + 1 if d < len(seq) and seq[d] in layer else len(seq)
                for seq, d in zip(sequences, depth, strict=True)
            ]
    return running


def _page_shapes(blocks: Sequence[Block]) -> list[list[str | None]]:
    """Per page, the shapes of its lines; None for a line that cannot be furniture."""
    pages: dict[int, list[str | None]] = {}
    for block in blocks:
        text = block.text.strip()
        if block.page is None or not text or RE_PAGE_NUMBER.match(text):
            continue
        content = heading_kind(text) not in (None, "Referat") or len(text) > MAX_RUNNING
        pages.setdefault(block.page, []).append(None if content else _edge_key(block))
    return list(pages.values())


def _edge_key(block: Block) -> str:
    """The shape, plus the height on the page where the reader knows it.

    A running header sits at the same height on every page; a "Status Åbent" line
    that ends several pages sits wherever the text happened to stop.
    """
    shape = _shape(block.text)
    return shape if block.top is None else f"{shape}@{round(block.top)}"


def furniture(blocks: Sequence[Block], running: set[str] | None = None) -> set[int]:
    """Indices of running lines and page numbers where they stand: at page edges.

    Only the unbroken run of furniture at the top and at the bottom of a page is
    dropped, so that a "Sagsnr." line that happens to open many pages (each item
    on a new page) is kept. The first page keeps its running lines: it is often
    the only place that states the committee and meeting date. Its foot, below
    content, does not (in text copied out of a PDF, the marker that ends page 1
    is page 2's header).
    """
    if running is None:
        running = running_lines(blocks)
    first_page = next((b.page for b in blocks if b.page is not None), None)
    # found by shape and height, dropped by shape: a last page set in another
    # section style prints the same header a little lower
    shapes = {key.rsplit("@", 1)[0] for key in running}
    drop: set[int] = set()
    for page, indices in _by_page(blocks).items():
        top = _edge_run(blocks, indices, shapes)
        bottom = _edge_run(blocks, indices[::-1], shapes)
        drop |= {
            i for i in top if page != first_page or RE_PAGE_NUMBER.match(blocks[i].text)
        }
        lines = sum(1 for i in indices if blocks[i].text.strip())
        drop |= bottom if page != first_page or len(top) < lines else set()
    return drop


def _edge_run(
    blocks: Sequence[Block], order: Sequence[int], shapes: set[str]
) -> set[int]:
    """The furniture lines met from one page edge before the first content line."""
    run: set[int] = set()
    for i in order:
        text = blocks[i].text
        if not text.strip():
            continue
        if not (RE_PAGE_NUMBER.match(text) or _shape(text) in shapes):
            break
        run.add(i)
    return run


def _by_page(blocks: Sequence[Block]) -> dict[int, list[int]]:
    pages: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        if block.page is not None:
            pages.setdefault(block.page, []).append(i)
    return pages


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


# --- collapsed text -------------------------------------------------------------
# Text from older PDFs and transcript services can lose its line breaks: a page is
# one line, with item headings, case-number labels, status markers and section
# headings standing mid-line. Such a block is cut where a line would have started,
# so segmentation sees the structure again.

_HEADINGS = "|".join(
    re.escape(h[0].upper() + h[1:])
    for h in sorted(SECTION_HEADINGS, key=len, reverse=True)
)
_LABEL = r"(?:Sags?\.? ?nr|J\. ?nr|Journalnr|Dok\. ?nr)\.?:? "
# "… april. 3. Ansøgning om …", "… Godkendt. Punkt 4 …": an item number after a
# sentence end or before its case-number label; "Sagsnr.: 11/0219", "J.nr. …": the
# label itself
RE_FOLD_ITEM = re.compile(
    r"(?<=[.!?:)] )(?=(?:\d{1,3}\.|Punkt \d{1,3}) [A-ZÆØÅ])"
    r"|(?<= )(?=(?:\d{1,3}\.|Punkt \d{1,3}) [A-ZÆØÅ][^.:]{0,150}? " + _LABEL + ")"
    r"|(?<= )(?=" + _LABEL + ")"
)
# "… Åben Sagsfremstilling Vinteren …": a status marker or a section heading after a
# sentence end, a number or a marker, followed by its text
RE_FOLD_HEADING = re.compile(
    r"(?:(?<=[.!?:] )|(?<=\d )|(?<=Åben )|(?<=Åbent )|(?<=Lukket ))"
    r"(?P<word>Åbent?|Lukket|" + _HEADINGS + r")(?= [A-ZÆØÅ0-9])"
)
COLLAPSED_MIN = 300  # characters: a block this long may be a collapsed page
COLLAPSED_CUES = 3  # cut points a collapsed page shows at least
WRAPPED_MIN = 60  # characters: a shorter line was not wrapped, it ended there


def unfold(blocks: Sequence[Block]) -> list[Block]:
    """Cut collapsed pages (one long line holding items and headings) into lines.

    A PDF wraps such a line over many visual lines, so the unit is a paragraph:
    consecutive non-blank blocks of one page and style, joined with spaces.
    """
    out: list[Block] = []
    for paragraph in _paragraphs(blocks):
        text = " ".join(b.text.strip() for b in paragraph)
        cuts = _fold_points(text) if len(text) >= COLLAPSED_MIN else []
        if len(cuts) < COLLAPSED_CUES:
            out.extend(paragraph)
            continue
        bounds = [0, *cuts, len(text)]
        out.extend(
            replace(paragraph[0], text=text[a:b].strip())
            for a, b in pairwise(bounds)
            if text[a:b].strip()
        )
    return out


def _paragraphs(blocks: Sequence[Block]) -> Iterator[list[Block]]:
    """Runs of wrapped lines: non-blank blocks of one page and style, each but the
    last long enough to have wrapped (a short line ends its paragraph)."""
    run: list[Block] = []
    for block in blocks:
        key = (block.page, block.bold, block.size, block.heading)
        if run and (
            not block.text.strip()
            or key != (run[0].page, run[0].bold, run[0].size, run[0].heading)
            or len(run[-1].text.strip()) < WRAPPED_MIN
        ):
            yield run
            run = []
        if not block.text.strip():
            yield [block]
        else:
            run.append(block)
    if run:
        yield run


def _fold_points(text: str) -> list[int]:
    """Offsets where a collapsed line would have broken: before items, labels and
    headings, and after a heading or status marker (its text starts a new line)."""
    points = {m.start() for m in RE_FOLD_ITEM.finditer(text)}
    for match in RE_FOLD_HEADING.finditer(text):
        points |= {match.start(), match.end("word")}
    return sorted(p for p in points if 0 < p < len(text))
