"""OCR for PDF pages without a text layer (scanned minutes and bilag), opt-in.

Tesseract reads Danish well with its ``dan`` model; we reach it through
``pytesseract``, a small, maintained wrapper that runs the ``tesseract`` binary and
parses its TSV output, rather than binding the C++ API ourselves. A page is rendered
with PDFium (already our fast PDF engine) at scanning resolution and read with
``image_to_data``, whose line numbers and boxes keep the printed lines; a paragraph
break is a wide vertical gap, as in the text-layer readers. Headings are not marked:
Tesseract cannot see bold, and marking lines clearly taller than the body as bold
measured no better on the scanned corpus (titles F1 0.957 either way before the
plain-text wrapped-title rule was widened, with
paragraph breaks from gaps; Tesseract's own paragraphs split wrapped titles and did
worse, 0.950), while it flagged body lines with "Å" and "j" as headings. Only
pages that have no text but do hold an image are read, so a born-digital referat
with scanned bilag pages appended keeps its text layer for the rest. Both PDF
readers call :func:`fill`.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import ImageFilter

from referat_nlp.document import OcrPage
from referat_nlp.errors import CorruptDocument, OcrUnavailable
from referat_nlp.readers.blocks import BLANK, PARAGRAPH_GAP, Block
from referat_nlp.vocabulary import danish_share

log = logging.getLogger(__name__)

LANGUAGE = "dan"
DPI = 300  # what archives scan at; Tesseract's accuracy drops below ~200 dpi
SCALE = DPI / 72  # PDF points → pixels
# a 3×3 median filter takes specks of dust off a scan (they broke item numbers
# apart in our dusty test scans) and costs ~0.15 s a page; strokes are wider
DESPECKLE = 3
TESSERACT_OPTIONS = "--psm 3"  # automatic page segmentation (columns, blocks)
# Tesseract has no bullet in its Danish model: it reads "•" as a one-character word
# it is unsure of ("«", "+", "t", "e" at confidence 0–71, where real words score
# 90+). Such a word before a number ("« 51. Godkendelse af dagsorden") is put back
# as the bullet, so segmentation sees the line as the text layer gives it.
BULLET_CONFIDENCE = 80
RE_NUMBER_START = re.compile(r"\d")  # "51." after the bullet
# the figure 1 read as a bar or a letter where a line opens with an item number or
# an "Ad" decision: "|. Skrivelse …", "l. Regnskab …", "ad l: Bevilget" ("I." stays:
# it may be a roman part number, "I. Åbent møde")
RE_MISREAD_ONE = re.compile(r"[|l]([.:])")
THREADS_VARIABLE = "OMP_THREAD_LIMIT"
WORD_LEVEL = 5  # image_to_data rows: 1 page, 2 block, 3 paragraph, 4 line, 5 word
# a page's text layer of this many words whose share of Danish function words is
# below USABLE_SHARE is not Danish running text: real minutes' pages, title pages and
# tables of contents included, have 0.08 or more (median 0.29, over the corpus and
# ../shared PDFs); a garbled layer has 0.02, English 0.04
MIN_WORDS = 30
USABLE_SHARE = 0.05
# mean word confidence: a page read below LOW_QUALITY is flagged for review; below
# FRAKTUR_RETRY it is read again with the Fraktur model when that is installed
# (clean scans of our samples read at 0.9 or more, dusty ones at 0.8-0.9)
LOW_QUALITY = 0.6
FRAKTUR_RETRY = 0.88
FRAKTUR_NAMES = ("Fraktur", "script/Fraktur")


@dataclass(frozen=True, slots=True)
class Line:
    """One line Tesseract found: its text and vertical extent (pixels)."""

    text: str
    top: int
    height: int


def fill(
    pages: Sequence[list[Block]], data: bytes, name: str, how: str = "auto"
) -> tuple[list[Block], tuple[OcrPage, ...]]:
    """All pages' blocks, OCR'd where ``how`` says so, and the pages OCR read.

    "auto" reads the pages whose text layer is missing or unusable (a hidden OCR
    layer of garbage, text that is not Danish: see :func:`usable`) and keeps the
    OCR only where it reads as more Danish than the layer; "always" reads every
    page that holds an image.
    """
    wanted = [
        i for i, blocks in enumerate(pages) if how == "always" or not usable(blocks)
    ]
    filled = list(pages)
    done: list[OcrPage] = []
    if wanted:
        import pypdfium2 as pdfium

        try:  # pdfplumber read it; PDFium, which renders it, may still refuse it
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(name, f"cannot render PDF for OCR ({exc})") from exc
        try:
            for index in wanted:
                read = _page(pdf, index, name)
                if read is not None and (
                    how == "always" or _better(read[0], pages[index])
                ):
                    filled[index], _ = read
                    done.append(read[1])
        finally:
            pdf.close()
    return [b for blocks in filled for b in blocks], tuple(done)


def usable(blocks: Sequence[Block]) -> bool:
    """Whether a page's text layer can be read as it is: it has text, and a page
    of running text reads as Danish (its share of function words is that of real
    minutes' title pages or more, which a garbled or foreign layer is not)."""
    text = " ".join(b.text for b in blocks)
    if not text.strip():
        return False
    return len(text.split()) < MIN_WORDS or danish_share(text) >= USABLE_SHARE


def _better(read: Sequence[Block], layer: Sequence[Block]) -> bool:
    """OCR replaces a text layer only when it reads as more Danish."""
    if not any(b.text for b in layer):
        return True
    share = danish_share(" ".join(b.text for b in read))
    return share > danish_share(" ".join(b.text for b in layer))


def _page(pdf: Any, index: int, name: str) -> tuple[list[Block], OcrPage] | None:
    """One page read by OCR with how well it was read, or None for a page with no
    image (truly blank)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        images = page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])  # forms too
        if next(images, None) is None:
            return None
        tesseract = available(name)
        image = page.render(scale=SCALE, grayscale=True).to_pil()
        image = image.filter(ImageFilter.MedianFilter(DESPECKLE))
        table, language, quality = _best_read(tesseract, image, name, index)
        log.debug(
            "%s: page %d read by OCR (%s, %.2f)", name, index + 1, language, quality
        )
        read = OcrPage(
            page=index + 1, language=language, quality=quality,
            low_quality=quality < LOW_QUALITY,
        )  # fmt: skip
        return list(page_blocks(lines(table), index + 1)), read
    finally:
        page.close()


def _best_read(
    tesseract: Any, image: Any, name: str, index: int
) -> tuple[dict[str, list[Any]], str, float]:
    """The page read with the Danish model, and, when that reads it poorly and
    Tesseract has Fraktur data, read again with Fraktur first: the better read
    (by confidence) wins. Printed minute books of the 19th century are in Fraktur.
    Returns the read, its language and its confidence."""
    table = _read(tesseract, image, LANGUAGE, name, index)
    quality = confidence(table)
    fraktur = _fraktur(str(tesseract.pytesseract.tesseract_cmd))
    if fraktur is None or quality >= FRAKTUR_RETRY:
        return table, LANGUAGE, quality
    language = f"{fraktur}+{LANGUAGE}"
    second = _read(tesseract, image, language, name, index)
    if (again := confidence(second)) > quality:
        return second, language, again
    return table, LANGUAGE, quality


def _read(
    tesseract: Any, image: Any, language: str, name: str, index: int
) -> dict[str, list[Any]]:
    try:
        with _one_thread():
            table: dict[str, list[Any]] = tesseract.image_to_data(
                image,
                lang=language,
                config=TESSERACT_OPTIONS,
                output_type=tesseract.Output.DICT,
            )
    except tesseract.TesseractError as exc:
        raise CorruptDocument(name, f"OCR failed on page {index + 1}") from exc
    return table


def confidence(table: dict[str, list[Any]]) -> float:
    """Tesseract's mean confidence in the words it read, 0-1 (0 without words)."""
    scores = [
        float(conf)
        for conf, text, level in zip(
            table["conf"], table["text"], table["level"], strict=True
        )
        if level == WORD_LEVEL and str(text).strip() and float(conf) >= 0
    ]
    return round(sum(scores) / len(scores) / 100, 3) if scores else 0.0


def _fraktur(command: str) -> str | None:
    """The name of Tesseract's Fraktur data if installed ("Fraktur" or
    "script/Fraktur", Debian's tesseract-ocr-script-frak), else None."""
    return next((n for n in FRAKTUR_NAMES if n in _languages(command)), None)


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run Tesseract single-threaded unless the user said otherwise.

    Its OpenMP threads fight the batch workers (one per core) and each other: on a
    busy 2-core machine a page took 11 s with the default threads and 2.3 s with
    one. The variable is set only around the call, for the tesseract child process.
    """
    if THREADS_VARIABLE in os.environ:
        yield
        return
    os.environ[THREADS_VARIABLE] = "1"
    try:
        yield
    finally:
        os.environ.pop(THREADS_VARIABLE, None)


def available(name: str) -> Any:
    """The pytesseract module, once Tesseract and its Danish data are known to be
    there; else :class:`OcrUnavailable` naming the file and the fix."""
    try:
        import pytesseract
    except ImportError as exc:
        raise OcrUnavailable(name, "pip install 'referat-nlp[ocr]'") from exc
    if LANGUAGE not in _languages(str(pytesseract.pytesseract.tesseract_cmd)):
        raise OcrUnavailable(name)
    return pytesseract


@lru_cache(maxsize=4)
def _languages(command: str) -> frozenset[str]:
    """The languages the Tesseract at ``command`` has data for (none if missing).

    Read from ``tesseract --list-langs`` directly: pytesseract's own list keeps
    only lower-case names and so drops the script models ("Fraktur").
    """
    try:
        done = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        log.debug("no usable tesseract at %s", command)
        return frozenset()
    if done.returncode != 0:
        return frozenset()
    names = done.stdout.splitlines()[1:]  # after "List of available languages …"
    return frozenset(name.strip() for name in names if name.strip())


def lines(table: dict[str, list[Any]]) -> list[Line]:
    """Tesseract's words grouped into lines, top to bottom.

    Tesseract's own block order can put a page's running header after the text
    below it (seen on a scanned table of contents), and layout cleanup looks for
    running headers at the page's edges; minutes are set in one column, so the
    page order is the reading order.
    """
    return sorted(_grouped(table), key=lambda line: line.top)


def _grouped(table: dict[str, list[Any]]) -> Iterator[Line]:
    """Words grouped into lines, in Tesseract's order."""
    key: tuple[int, int, int] | None = None
    words: list[int] = []
    for row, level in enumerate(table["level"]):
        if level != WORD_LEVEL or not str(table["text"][row]).strip():
            continue
        here = (table["block_num"][row], table["par_num"][row], table["line_num"][row])
        if key is not None and here != key:
            yield _line(table, words)
            words = []
        key = here
        words.append(row)
    if key is not None:
        yield _line(table, words)


def _line(table: dict[str, list[Any]], words: list[int]) -> Line:
    top = min(table["top"][w] for w in words)
    bottom = max(table["top"][w] + table["height"][w] for w in words)
    texts = [str(table["text"][w]).strip() for w in words]
    if _misread_bullet(table, words, texts):
        texts[0] = "•"
    at = 1 if len(texts) > 1 and texts[0].lower() == "ad" else 0
    if len(texts) > at + 1 and (one := RE_MISREAD_ONE.fullmatch(texts[at])):
        texts[at] = "1" + one[1]  # "|. Skrivelse fra Amtet", "ad l: Bevilget"
    return Line(" ".join(texts), top, bottom - top)


def _misread_bullet(
    table: dict[str, list[Any]], words: list[int], texts: list[str]
) -> bool:
    """A lone, doubtful one-character word before a number: a bullet misread."""
    return (
        len(texts) > 1
        and len(texts[0]) == 1
        and not texts[0].isdigit()
        and float(table["conf"][words[0]]) < BULLET_CONFIDENCE
        and RE_NUMBER_START.match(texts[1]) is not None
    )


def page_blocks(found: list[Line], number: int) -> Iterator[Block]:
    """Blocks for one OCR'd page, a blank block where a wide vertical gap opens."""
    previous: Line | None = None
    for line in found:
        if (
            previous is not None
            and line.top - (previous.top + previous.height)
            > previous.height * PARAGRAPH_GAP
        ):
            yield BLANK
        previous = line
        yield Block(line.text, page=number, top=round(line.top / SCALE, 1))
    yield BLANK
