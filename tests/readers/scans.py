"""Scanned-minutes fixtures made from the corpus PDFs: image-only PDFs, built by code.

A page is rendered with PDFium at scanner resolution to a grey picture (optionally
turned a little and speckled, as a sheet fed crooked through an old scanner comes
out) and the pictures are saved as a PDF with Pillow: no text layer, as a scan.
The benchmark (benchmarks/bench_ocr.py) builds its scans with the same code.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

DPI = 300


def scan_pdf(
    source: Path,
    target: Path,
    *,
    pages: Sequence[int] | None = None,
    dpi: int = DPI,
    angle: float = 0.0,
    speckle: float = 0.0,
) -> Path:
    """Write an image-only copy of ``source`` (its 0-based ``pages``) to ``target``."""
    pdf = pdfium.PdfDocument(source)
    try:
        wanted = range(len(pdf)) if pages is None else pages
        images = [_scan(pdf[i], dpi, angle, speckle, seed=i) for i in wanted]
    finally:
        pdf.close()
    images[0].save(
        target, "PDF", save_all=True, append_images=images[1:], resolution=dpi
    )
    return target


def _scan(
    page: pdfium.PdfPage, dpi: int, angle: float, speckle: float, seed: int
) -> Image.Image:
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    page.close()
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if speckle:
        image = _speckled(image, speckle, random.Random(seed))
    return image


def _speckled(image: Image.Image, share: float, rng: random.Random) -> Image.Image:
    """Dark 2×2 dots at random places, ``share`` per 100 pixels: dust on the glass."""
    pixels = image.load()
    width, height = image.size
    for _ in range(int(width * height * share / 100)):
        x, y = rng.randrange(width - 2), rng.randrange(height - 2)
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            pixels[x + dx, y + dy] = rng.randrange(0, 120)
    return image


def with_scanned_page(
    source: Path, target: Path, page: int, scanned: Path | None = None
) -> Path:
    """``source`` with a scan of page ``page`` (0-based) of ``scanned`` (by default
    ``source`` itself) appended: a born-digital referat with a scanned bilag page at
    the end, or a page filed both as text and as a scan."""
    scan = scan_pdf(scanned or source, target.with_suffix(".scan.pdf"), pages=[page])
    pdf, extra = pdfium.PdfDocument(source), pdfium.PdfDocument(scan)
    try:
        pdf.import_pages(extra)
        pdf.save(target)
    finally:
        extra.close()
        pdf.close()
    scan.unlink()
    return target


def _tesseract_reads_danish() -> bool:
    from referat_nlp.errors import OcrUnavailable
    from referat_nlp.readers import ocr

    try:
        ocr.available("<probe>")
    except OcrUnavailable:
        return False
    return True


needs_tesseract = pytest.mark.skipif(
    not _tesseract_reads_danish(),
    reason="OCR needs tesseract-ocr-dan and pytesseract (CI installs them)",
)


# --- Fraktur: a printed page set in blackletter ----------------------------------

# STIX (Debian fonts-stix) has Unicode's Mathematical Fraktur letters: blackletter
# shapes for A-Z and a-z, so a text written in them prints as Fraktur does; æ, ø,
# å and figures keep the font's roman forms, as some Fraktur founts set them.
FRAKTUR_FONT = Path("/usr/share/fonts/opentype/stix/STIXGeneral-Regular.otf")
_FRAKTUR_CAPITALS = {"C": 0x212D, "H": 0x210C, "I": 0x2111, "R": 0x211C, "Z": 0x2128}
needs_fraktur_font = pytest.mark.skipif(
    not FRAKTUR_FONT.is_file(), reason="Fraktur test pages need fonts-stix"
)


def fraktur(text: str) -> str:
    """``text`` in Mathematical Fraktur code points (letters A-Z, a-z only)."""
    out = []
    for char in text:
        if "A" <= char <= "Z":
            code = _FRAKTUR_CAPITALS.get(char, 0x1D504 + ord(char) - ord("A"))
            out.append(chr(code))
        elif "a" <= char <= "z":
            out.append(chr(0x1D51E + ord(char) - ord("a")))
        else:
            out.append(char)
    return "".join(out)


def fraktur_scan(text: str, target: Path, *, width: int = 64) -> Path:
    """An image-only PDF of ``text`` printed in Fraktur: A4 pages at 300 dpi, lines
    wrapped at ``width`` characters, a blank line kept as a paragraph gap."""
    import textwrap

    from PIL import ImageDraw, ImageFont

    font = ImageFont.truetype(str(FRAKTUR_FONT), 42)
    rows: list[str] = []
    for line in text.split("\n"):
        rows += textwrap.wrap(line, width) or [""]
    per_page, pitch = 50, 62
    pages = []
    for first in range(0, len(rows), per_page):
        image = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(image)
        for n, row in enumerate(rows[first : first + per_page]):
            draw.text((220, 240 + n * pitch), fraktur(row), font=font, fill=0)
        pages.append(image)
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return target


def with_hidden_text(source: Path, target: Path, lines: Sequence[str]) -> Path:
    """``source`` (a scan) with ``lines`` laid over its first page as invisible
    text, as scanners' OCR software adds a hidden text layer (sometimes garbage)."""
    import ctypes

    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(source)
    try:
        page = pdf[0]
        for n, line in enumerate(lines):
            size = ctypes.c_float(10)
            text = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", size)
            chars = ctypes.create_string_buffer((line + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(
                text, ctypes.cast(chars, ctypes.POINTER(raw.FPDF_WCHAR))
            )
            raw.FPDFTextObj_SetTextRenderMode(text, raw.FPDF_TEXTRENDERMODE_INVISIBLE)
            raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, 50, 780 - n * 14)
            raw.FPDFPage_InsertObject(page.raw, text)
        raw.FPDFPage_GenerateContent(page.raw)
        pdf.save(target)
    finally:
        pdf.close()
    return target


def garbage_lines(count: int = 25, seed: int = 3) -> list[str]:
    """Lines of consonant runs: what a failed OCR layer holds instead of words."""
    rng = random.Random(seed)
    consonants = "bcdfghjklmnpqrstvwxz"
    words = [
        "".join(rng.choice(consonants) for _ in range(rng.randint(2, 9)))
        for _ in range(12 * count)
    ]
    return [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
