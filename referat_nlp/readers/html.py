"""Web-published minutes (HTML pages from municipal CMSs and FirstAgenda)."""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag

from referat_nlp.readers.blocks import BLANK, Block, Document
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


def read(data: bytes, name: str) -> Document:
    """Parse HTML bytes into blocks."""
    return Document("html", tuple(html_blocks(decode(data, name))))


def html_blocks(markup: str) -> list[Block]:
    """Blocks for an HTML fragment or page; shared with the FirstAgenda reader."""
    soup = BeautifulSoup(markup, "lxml")
    root = soup.body or soup
    blocks: list[Block] = []
    for block in _walk(root):
        if block.text or (blocks and blocks[-1].text):
            blocks.append(block)
    return blocks


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
        elif child.name == "tr":
            yield from _flush(line)
            line = []
            cells = [_squash(c.get_text(" ")) for c in child.find_all(["td", "th"])]
            yield Block("\t".join(c for c in cells if c))
        elif child.name in BLOCK_TAGS or child.find([*BLOCK_TAGS, "br"]):
            yield from _flush(line)
            line = []
            yield from _walk(child)
            if child.name in {"p", "div", "table", "ul", "ol"}:
                yield BLANK
        else:
            line.append(child.get_text())
    yield from _flush(line)


def _is_chrome(tag: Tag) -> bool:
    """The site's banner, footer or menu around the minutes, by tag or ARIA role."""
    if tag.get("role") in CHROME_ROLES:
        return True
    return tag.name in PAGE_LANDMARK_TAGS and tag.find_parent(SECTIONING_TAGS) is None


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
