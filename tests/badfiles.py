"""Builders for broken input files, made in code so no binary fixtures are committed.

Each builder writes one file the way real archives break them: cut-off downloads,
password-protected exports, empty placeholders, PDFs without pages, giant scanned
drawings, zip bombs posing as Word files, and PDFs whose content makes a parser
work forever. ``build_all`` returns ``{file name: failure reasons it may end with}``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from referat_nlp.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    Reason,
)

PASSWORD = "hemmelig"
LOOP_DEPTH, LOOP_FAN_OUT = 9, 10  # nested form drawings: 10 ** 9 in all
# PDFium keeps every drawn object, so a runaway file also grows by some 400 MB a
# second: whichever limit it meets first (time or memory) stops it
RUNAWAY = frozenset({Reason.TIMEOUT, Reason.MEMORY})
BOMB_BYTES = 600 * 2**20  # above the DOCX reader's 500 MiB expansion limit
HUGE_POINTS = 14400  # the largest page side the PDF format allows (200 inches)


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 must be the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + (
            data + b"\nendstream"
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page_pdf(content: bytes, size: int = 595, compress: bool = False) -> bytes:
    """A one-page PDF in Helvetica with the given content stream."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (size, size)
            + b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _stream(content, compress),
        ]
    )


def corrupt(path: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)


def truncated(path: Path, good_pdf: Path) -> None:
    data = good_pdf.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def encrypted(path: Path, good_pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(good_pdf) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner=PASSWORD, user=PASSWORD))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def zero_pages(path: Path) -> None:
    path.write_bytes(
        pdf_bytes(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
            ]
        )
    )


def huge_page(path: Path) -> None:
    """A 200 × 200 inch drawing (a lokalplan map) with scattered labels, no referat."""
    labels = [
        b"BT /F1 9 Tf %d %d Td (Matr.nr. %db) Tj ET"
        % (40 + (n * 613) % (HUGE_POINTS - 80), 40 + (n * 997) % (HUGE_POINTS - 80), n)
        for n in range(2000)
    ]
    path.write_bytes(one_page_pdf(b"\n".join(labels), size=HUGE_POINTS, compress=True))


def zip_bomb(path: Path) -> None:
    """A .docx whose document part inflates to 600 MiB of spaces."""
    chunk = b" " * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(BOMB_BYTES // len(chunk)):
                member.write(chunk)


def parser_loop(path: Path) -> None:
    """Form XObjects drawing the next one ten times, nine deep: 10⁹ drawings of one
    line in 1 kB; a reader works through it for hours."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /X 4 0 R >> >> /Contents %d 0 R >>"
        % (4 + LOOP_DEPTH),
    ]
    for depth in range(LOOP_DEPTH):
        last = depth == LOOP_DEPTH - 1
        content = b"0 0 m 1 1 l S" if last else b"/X Do " * LOOP_FAN_OUT
        resources = (
            b"" if last else b"/Resources << /XObject << /X %d 0 R >> >>" % (5 + depth)
        )
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] "
            + resources
            + b" /Length %d >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    objects.append(_stream(b"/X Do"))
    path.write_bytes(pdf_bytes(objects))


def build_all(folder: Path, good_pdf: Path) -> dict[str, frozenset[Reason]]:
    """Write every bad file into ``folder``; return name → expected failure reasons."""
    builders: dict[str, tuple[Callable[[Path], None], Reason | frozenset[Reason]]] = {
        "corrupt.pdf": (corrupt, CorruptDocument.code),
        "truncated.pdf": (lambda p: truncated(p, good_pdf), CorruptDocument.code),
        "encrypted.pdf": (lambda p: encrypted(p, good_pdf), EncryptedDocument.code),
        "empty.pdf": (empty, EmptyDocument.code),
        "zero-pages.pdf": (zero_pages, CorruptDocument.code),
        "zip-bomb.docx": (zip_bomb, CorruptDocument.code),
        "parser-loop.pdf": (parser_loop, RUNAWAY),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, (build, _) in builders.items():
        build(folder / name)
    return {
        name: frozenset([reason]) if isinstance(reason, Reason) else reason
        for name, (_, reason) in builders.items()
    }
