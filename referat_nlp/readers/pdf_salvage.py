"""Salvage: the readable pages of a PDF whose end is lost.

A PDF keeps its map (the cross-reference table and the trailer that names the
catalog) at the end, and office suites write the page tree last too: LibreOffice
writes each page's content stream first, then the fonts, then the page objects,
the page tree and the catalog. A file cut short by a failed copy or an old
migration therefore loses its map and often its page tree while the pages'
contents and fonts, earlier in the file, are intact. PDFium refuses such a file.

:func:`rebuild` writes a new PDF from the objects that are still whole (each
found by its ``N G obj … endobj`` bracket, as repair tools scan for them): with
the catalog and page tree whole, only a new map; with page objects whose tree is
lost, a new tree over them; with neither, one page per content stream (in file
order, which is page order), given the file's font resources. What was lost is
described, so the reader can say so in a ``salvaged:`` warning.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from referat_nlp.errors import CorruptDocument
from referat_nlp.readers.salvage import SALVAGED

RE_OBJECT = re.compile(rb"(?<![0-9])(\d{1,9})\s+(\d{1,5})\s+obj\b")
RE_ENDOBJ = re.compile(rb"\bendobj\b")
RE_TYPE = re.compile(rb"/Type\s*/(\w+)")
RE_PARENT = re.compile(rb"/Parent\s+(\d+)\s+\d+\s+R")
RE_ROOT_PAGES = re.compile(rb"/Pages\s+(\d+)\s+\d+\s+R")
RE_CONTENTS = re.compile(rb"/Contents\s+(\d+)\s+\d+\s+R")
RE_RESOURCES = re.compile(rb"/Resources\s+(\d+)\s+\d+\s+R")
RE_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
RE_REF = re.compile(rb"(?<![0-9])(\d++)\s++\d++\s++R")  # linear on digit runs
RE_FONT_RESOURCES = re.compile(rb"/Font\s*(?:\d+\s+\d+\s+R|<<)")
RE_FONT_NAMES = re.compile(rb"^\s*<<\s*(?:/[\w.+-]+\s+\d+\s+\d+\s+R\s*)+>>\s*$")
A4 = b"[0 0 595.3 841.9]"  # the page size when the pages' own are lost


@dataclass(frozen=True)
class Rebuilt:
    """A readable PDF made of the whole objects, and what the original lost."""

    data: bytes
    lost: str


@dataclass(frozen=True)
class PdfObject:
    number: int
    body: bytes  # between "obj" and "endobj"

    @property
    def type(self) -> bytes | None:
        head = self.body.split(b"stream", 1)[0]
        match = RE_TYPE.search(head)
        return match[1] if match else None


def salvage(data: bytes, name: str, reason: str) -> tuple[bytes, str]:
    """The rebuilt PDF a reader opens instead of ``data``, which it could not
    open for ``reason``, and the ``salvaged:`` warning that says what was lost;
    CorruptDocument naming ``reason`` when nothing can be rebuilt."""
    rebuilt = rebuild(data)
    if rebuilt is None:
        raise CorruptDocument(
            name, f"unreadable PDF ({reason}); no page can be rebuilt from what is left"
        )
    return (
        rebuilt.data,
        f"{SALVAGED}: the PDF is cut short or damaged; lost: {rebuilt.lost}",
    )


def whole_objects(data: bytes) -> dict[int, PdfObject]:
    """Every object of ``data`` that ends in ``endobj`` before the next object
    begins (one cut by the file's end, or overrun, is left out); a later copy of
    an object number wins, as in an incremental update."""
    starts = list(RE_OBJECT.finditer(data))
    found: dict[int, PdfObject] = {}
    limits = [m.start() for m in starts[1:]] + [len(data)] if starts else []
    for match, limit in zip(starts, limits, strict=True):
        end = RE_ENDOBJ.search(data, match.end(), limit)
        if end is not None:
            number = int(match[1])
            found[number] = PdfObject(number, data[match.end() : end.start()])
    return found


def rebuild(data: bytes) -> Rebuilt | None:
    """A new PDF from the whole objects of a damaged one, or None when no page
    can be made of them."""
    objects = whole_objects(data)
    if not objects:
        return None
    catalog = next((o for o in objects.values() if o.type == b"Catalog"), None)
    if catalog is not None and _tree_whole(catalog, objects):
        return Rebuilt(_write(objects, catalog.number), "the cross-reference table")
    return _new_tree(objects)


def _tree_whole(catalog: PdfObject, objects: dict[int, PdfObject]) -> bool:
    """Whether the catalog's page tree and every page it lists are whole."""
    root = RE_ROOT_PAGES.search(catalog.body)
    if root is None or int(root[1]) not in objects:
        return False
    kids = RE_KIDS.search(objects[int(root[1])].body)
    refs = [int(r) for r in RE_REF.findall(kids[1])] if kids else []
    return bool(refs) and all(r in objects for r in refs)


def _new_tree(objects: dict[int, PdfObject]) -> Rebuilt | None:
    """A new page tree: a page per surviving content stream, in file order (page
    order), its own page object where that survived, else a new one on A4 with
    the file's font resources. The surviving pages' lost parent number is reused,
    so their ``/Parent`` points at the new tree."""
    pages = {_contents(o): o for o in objects.values() if o.type == b"Page"}
    contents = {o.number for o in objects.values() if _is_page_content(o)}
    contents |= {c for c in pages if c is not None}
    if not contents:
        return None
    survivor = next(iter(pages.values()), None)
    parent = RE_PARENT.search(survivor.body) if survivor else None
    tree = (
        int(parent[1]) if parent and int(parent[1]) not in objects else _free(objects)
    )
    resources = _resources(survivor, objects)
    added: dict[int, bytes] = {}
    kids = []
    for content in sorted(contents):
        if content in pages:
            kids.append(pages[content].number)
        elif resources is not None:
            page = _free(objects, added, [tree])
            added[page] = (
                b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources %s "
                b"/Contents %d 0 R >>" % (tree, A4, resources, content)
            )
            kids.append(page)
    if not kids:
        return None
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    added[tree] = b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox %s >>" % (
        refs,
        len(kids),
        A4,
    )
    catalog = _free(objects, added, [tree])
    added[catalog] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    made = sum(1 for k in kids if k not in objects)
    lost = "the page tree, the catalog and the cross-reference table"
    if made:
        lost += f"; {made} of {len(kids)} pages rebuilt from their contents, on A4"
    return Rebuilt(_write(objects, catalog, added), lost)


def _contents(page: PdfObject) -> int | None:
    match = RE_CONTENTS.search(page.body)
    return int(match[1]) if match else None


def _resources(page: PdfObject | None, objects: dict[int, PdfObject]) -> bytes | None:
    """A surviving page's resources, else :func:`_font_resources`."""
    match = RE_RESOURCES.search(page.body) if page else None
    if match and int(match[1]) in objects:
        return b"%d 0 R" % int(match[1])
    return _font_resources(objects)


def _font_resources(objects: dict[int, PdfObject]) -> bytes | None:
    """The resources the pages used: a whole dictionary with a /Font entry, else
    a resources dictionary made over a whole font-name dictionary (/F1 20 0 R …)."""
    for o in objects.values():
        if b"stream" not in o.body and RE_FONT_RESOURCES.search(o.body):
            return b"%d 0 R" % o.number
    for o in objects.values():
        if RE_FONT_NAMES.match(o.body):
            return b"<< /Font %d 0 R >>" % o.number
    return None


def _is_page_content(o: PdfObject) -> bool:
    """A stream that draws text (BT … Tf … ET) and is no font, image or form."""
    head, _, rest = o.body.partition(b"stream")
    if not rest or RE_TYPE.search(head) or b"/Length1" in head or b"/Subtype" in head:
        return False
    raw = rest.lstrip(b"\r\n")
    if b"/FlateDecode" in head:
        try:
            raw = zlib.decompressobj().decompress(raw)
        except zlib.error:
            return False
    return _draws_text(raw[:200_000])


def _draws_text(content: bytes) -> bool:
    """A text object that sets a font: BT, then Tf, then ET (found in one pass)."""
    begin = content.find(b"BT")
    font = content.find(b"Tf", begin) if begin >= 0 else -1
    return font >= 0 and content.find(b"ET", font) >= 0


def _free(*used: Iterable[int]) -> int:
    """An object number above every one found or added so far."""
    return max((n for numbers in used for n in numbers), default=0) + 1


def _write(
    objects: dict[int, PdfObject], root: int, added: dict[int, bytes] | None = None
) -> bytes:
    """A PDF holding ``objects`` and ``added``, with a fresh map naming ``root``."""
    bodies = {n: o.body for n, o in objects.items()} | {
        n: b" " + body + b"\n" for n, body in (added or {}).items()
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj" % number + bodies[number] + b"endobj\n"
    size = max(offsets) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number]
            if number in offsets
            else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        xref,
    )
    return bytes(out)
