"""Web-published minutes (HTML pages from municipal CMSs and FirstAgenda).

The reader walks the element tree recursively, as a page's structure (headings,
paragraphs, table rows) decides the lines. Real pages nest a few dozen levels; a
damaged or generated one (thousands of unclosed ``<font>`` tags) would exhaust the
stack and make the walk quadratic, so below ``MAX_DEPTH`` levels the elements are
read as plain text lines, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from referat_nlp.readers.blocks import BLANK, CELL, Block, Document
from referat_nlp.readers.text import decode

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "nav", "head", "template", "form"}
)
HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "section", "article", "header", "footer", "main",
     "ul", "ol", "table", "tbody", "thead", "blockquote", "pre", "dt", "dd", "dl",
     "body", "html"} | set(HEADING_TAGS)
)  # fmt: skip
STRONG_TAGS = frozenset({"strong", "b"})
# The site's own header and footer (name, address, "Kontakt | Cookies") are not the
# minutes: a <header>/<footer> outside these elements is the page's banner or
# contentinfo landmark (HTML-AAM), one inside them belongs to the content.
SECTIONING_TAGS = ("article", "aside", "main", "nav", "section")
PAGE_LANDMARK_TAGS = frozenset({"header", "footer"})
CHROME_ROLES = frozenset({"banner", "contentinfo", "navigation"})
# pages built of <div>s name the same landmarks in their class or id:
# "portal-footer", "breadcrumb-bar", "cookie-banner", "main-menu" (a word of the
# name, so "agenda-item__header" or "menuplan" is not one)
CHROME_CLASS_WORDS = frozenset(
    {"footer", "breadcrumb", "breadcrumbs", "cookie", "cookies", "navbar", "menu"}
)
RE_CLASS_WORD = re.compile(r"[a-z]+")
# deeper elements are read as plain text (the walk recurses once per level)
MAX_DEPTH = 100


@dataclass(frozen=True)
class Page:
    """An HTML page's blocks, and whether some of it was too deep to read whole."""

    blocks: list[Block]
    flattened: bool = False

    def warnings(self) -> tuple[str, ...]:
        if not self.flattened:
            return ()
        return (
            f"HTML nested more than {MAX_DEPTH} levels deep: the deeper part was"
            " read as plain text, without headings",
        )


def read(data: bytes, name: str) -> Document:
    """Parse HTML bytes into blocks."""
    page = html_page(decode(data, name))
    return Document("html", tuple(page.blocks), warnings=page.warnings())


def html_page(markup: str) -> Page:
    """Blocks for an HTML fragment or page; shared with the FirstAgenda reader."""
    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    flattened = _flatten_below(root, MAX_DEPTH)
    blocks: list[Block] = []
    for block in _walk(root):
        if block.text or (blocks and blocks[-1].text):
            blocks.append(block)
    return Page(blocks, flattened)


def _flatten_below(root: Tag, depth: int) -> bool:
    """Replace what is inside each element ``depth`` levels down by its text, one
    ``<br>``-separated line per block element; True if any was. Iterative: the
    tree may be far deeper than Python's stack."""
    stack, flattened = [(root, 0)], False
    while stack:
        tag, level = stack.pop()
        if level < depth:
            stack.extend((c, level + 1) for c in tag.contents if isinstance(c, Tag))
        elif any(isinstance(c, Tag) for c in tag.contents):
            lines = _text_lines(tag)
            tag.clear()
            for line in lines:
                tag.append(line)
                tag.append(Tag(name="br", can_be_empty_element=True))
            flattened = True
    return flattened


def _text_lines(tag: Tag) -> list[str]:
    """The text under ``tag``, a line per block element or ``<br>`` (``descendants``
    follows the parse order without recursion)."""
    lines, line = [], []
    for node in tag.descendants:
        if type(node) is NavigableString:
            line.append(str(node))
        elif isinstance(node, Tag) and (node.name in BLOCK_TAGS or node.name == "br"):
            lines.append(_squash("".join(line)))
            line = []
    lines.append(_squash("".join(line)))
    return [text for text in lines if text]


def _walk(node: Tag) -> Iterator[Block]:
    """Depth-first: inline runs become one line, block elements break lines."""
    line: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                line.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in SKIP_TAGS or _is_chrome(child):
            continue
        if child.name == "br":
            yield from _flush(line)
            line = []
        elif child.name in HEADING_TAGS or _is_strong_paragraph(child):
            yield from _flush(line)
            line = []
            yield Block(
                _squash(child.get_text(" ")),
                heading=HEADING_TAGS.get(child.name),
                bold=True,
            )
            yield BLANK
        elif child.name == "dl":
            yield from _flush(line)
            line = []
            yield from _definitions(child)
            yield BLANK
        elif child.name == "tr":
            yield from _flush(line)
            line = []
            cells = [_squash(c.get_text(" ")) for c in child.find_all(["td", "th"])]
            yield Block(CELL.join(c for c in cells if c))
        elif child.name in BLOCK_TAGS or child.find([*BLOCK_TAGS, "br"]):
            yield from _flush(line)
            line = []
            yield from _walk(child)
            if child.name in {"p", "div", "table", "ul", "ol"}:
                yield BLANK
        else:
            line.append(child.get_text())
    yield from _flush(line)


def _definitions(dl: Tag) -> Iterator[Block]:
    """A definition list as "term: value" lines ("Sagsnr.: 25/04417", "Mødedato:
    21.05.2025"): label and value are one fact, as a labelled line is in text."""
    term, values = "", list[str]()
    for child in dl.find_all(["dt", "dd"]):
        if child.name == "dt":
            yield from _definition(term, values)
            term, values = _squash(child.get_text(" ")), []
        else:
            values.append(_squash(child.get_text(" ")))
    yield from _definition(term, values)


def _definition(term: str, values: list[str]) -> Iterator[Block]:
    value = ", ".join(v for v in values if v)
    if term or value:
        label = term.rstrip(":")
        yield Block(f"{label}: {value}" if label and value else label or value)


def _is_chrome(tag: Tag) -> bool:
    """The site's banner, footer or menu around the minutes, by tag or ARIA role."""
    if tag.get("role") in CHROME_ROLES:
        return True
    outside = tag.find_parent(SECTIONING_TAGS) is None
    if tag.name in PAGE_LANDMARK_TAGS:
        return outside
    names = " ".join([*tag.get_attribute_list("class"), str(tag.get("id") or "")])
    names = names.lower()
    return outside and not CHROME_CLASS_WORDS.isdisjoint(RE_CLASS_WORD.findall(names))


def _is_strong_paragraph(tag: Tag) -> bool:
    """<p><strong>Indstilling</strong></p>: a heading written as a bold paragraph."""
    if tag.name in STRONG_TAGS:
        return False
    if tag.name != "p":
        return False
    text = tag.get_text().strip()
    strong = "".join(s.get_text() for s in tag.find_all(STRONG_TAGS)).strip()
    return bool(text) and text == strong


def _flush(parts: list[str]) -> Iterator[Block]:
    text = _squash("".join(parts))
    if text:
        yield Block(text)


def _squash(text: str) -> str:
    """Collapse HTML whitespace (newlines in the source are not line breaks)."""
    return " ".join(text.replace("\xa0", " ").split())
