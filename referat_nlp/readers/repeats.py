"""Pages that repeat another page of the same file, read once.

Archives file a scanned minute-book page together with its typed transcription, or
scan a page twice; read as they are, every item and amount on it would count twice.
A page whose words are, for the most part, those of an earlier page (compared as
bags of words, so OCR's misreadings of a few words do not hide the match) is the
same page: the transcription (a text layer) is kept over the OCR'd scan, and
otherwise the first copy, and a warning names what was left out.

Only pairs with an OCR'd page are compared: two text-layer pages alike are a
document that repeats itself (a standard text, the same case on two agendas),
not a second copy, and comparing every pair of a 300-page born-digital PDF
would cost more than reading it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from referat_nlp.readers.blocks import Block, Document
from referat_nlp.vocabulary import RE_WORD, modern_spelling

MIN_WORDS = 40  # a shorter page (a title page, a signature page) is not compared
SAME_SHARE = 0.8  # of the smaller page's words found in the other


def without_repeats(document: Document) -> Document:
    """``document`` with each page that repeats another left out once."""
    scanned = set(document.ocr_pages)
    if not scanned:
        return document
    pages = _pages(document.blocks)
    words = {number: _words(blocks) for number, blocks in pages.items()}
    dropped: dict[int, int] = {}
    numbers = sorted(n for n, w in words.items() if sum(w.values()) >= MIN_WORDS)
    for k, later in enumerate(numbers):
        for earlier in numbers[:k]:
            if earlier in dropped or later in dropped:
                continue
            if earlier not in scanned and later not in scanned:
                continue
            if _same(words[earlier], words[later]):
                keep, drop = _keeper(document, earlier, later)
                dropped[drop] = keep
    if not dropped:
        return document
    blocks = tuple(b for n, bs in pages.items() if n not in dropped for b in bs)
    notes = tuple(
        f"page {drop} repeats page {keep} (a scan and its transcription, or a page"
        " filed twice): read once"
        for drop, keep in sorted(dropped.items())
    )
    return replace(
        document,
        blocks=blocks,
        ocr=tuple(p for p in document.ocr if p.page not in dropped),
        warnings=document.warnings + notes,
    )


def _pages(blocks: tuple[Block, ...]) -> dict[int, list[Block]]:
    """Blocks by page; a block without a page (a paragraph break) goes with the
    page before it."""
    pages: dict[int, list[Block]] = {}
    current = 0
    for block in blocks:
        current = block.page if block.page is not None else current
        pages.setdefault(current, []).append(block)
    return pages


def _words(blocks: list[Block]) -> Counter[str]:
    text = modern_spelling(" ".join(b.text for b in blocks)).lower()
    return Counter(w for w in RE_WORD.findall(text) if len(w) > 1)


def _same(a: Counter[str], b: Counter[str]) -> bool:
    shared = sum((a & b).values())
    return shared >= SAME_SHARE * min(sum(a.values()), sum(b.values()))


def _keeper(document: Document, earlier: int, later: int) -> tuple[int, int]:
    """(kept, dropped): a text-layer page over an OCR'd one, else the first."""
    scanned = set(document.ocr_pages)
    if earlier in scanned and later not in scanned:
        return later, earlier
    return earlier, later
