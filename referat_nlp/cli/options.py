"""Options that several commands share, defined once so they read the same."""

from __future__ import annotations

import click

from referat_nlp.readers import DEFAULT_PDF_ENGINE, OCR_MODES, PDF_ENGINES

pdf_engine = click.option(
    "--pdf-engine",
    type=click.Choice(list(PDF_ENGINES)),
    default=DEFAULT_PDF_ENGINE,
    show_default=True,
    help="PDF engine: pdfium (fast) or pdfplumber; both score the same.",
)


# "--ocr" alone is "auto"; "--ocr always" re-reads pages whose text layer exists
ocr = click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default="never",
    is_flag=False,
    flag_value="auto",
    show_default=True,
    help="Read PDF pages by OCR: auto (--ocr alone: pages with no usable text layer,"
    " scans or a garbled hidden OCR layer), always (every page holding an image) or"
    " never. Needs tesseract-ocr-dan (tesseract-ocr-script-frak for Fraktur) and"
    " pip install 'referat-nlp[ocr]'.",
)
