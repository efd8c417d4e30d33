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


def with_scanned_page(source: Path, target: Path, page: int) -> Path:
    """``source`` with a scanned copy of its page ``page`` (0-based) appended:
    a born-digital referat with a scanned bilag page at the end."""
    scan = scan_pdf(source, target.with_suffix(".scan.pdf"), pages=[page])
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
