"""Options that several commands share, defined once so they read the same."""

from __future__ import annotations

import click

from referat_nlp.readers import DEFAULT_PDF_ENGINE, PDF_ENGINES

pdf_engine = click.option(
    "--pdf-engine",
    type=click.Choice(list(PDF_ENGINES)),
    default=DEFAULT_PDF_ENGINE,
    show_default=True,
    help="PDF engine: pdfium (fast) or pdfplumber; both score the same.",
)
