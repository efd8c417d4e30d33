"""Pages that repeat another page of the file are read once."""

from __future__ import annotations

from referat_nlp.document import OcrPage
from referat_nlp.readers.blocks import BLANK, Block, Document
from referat_nlp.readers.repeats import without_repeats

MATTER = (
    "Der forelaa et Andragende fra Husmand Rasmus Hansen om Hjælp til Anskaffelse af "
    "en Ko da hans eneste Ko er død. Efter nogen Forhandling bevilgedes et Laan paa "
    "200 Kr. der tilbagebetales i Løbet af to Aar. Sognefoged Peder Jensen havde "
    "forespurgt om Sogneraadet vilde overtage Vedligeholdelsen af Stien fra Kirken."
)
OTHER = (
    "Regnskabet for Sognets Fattigvæsen fremlagdes og gennemgikkes af Kassereren, "
    "der redegjorde for de enkelte Poster. Udgifterne til Skolens nye Kakkelovn og "
    "til Vejenes Grusning blev drøftet, og Sogneraadet vedtog at søge Amtet om et "
    "Tilskud til Broen over Aaen ved Møllen, inden Foraarets Arbejder begynder."
)


def _document(*pages: str, ocr: tuple[int, ...] = ()) -> Document:
    blocks = [
        b for n, text in enumerate(pages, 1) for b in (Block(text, page=n), BLANK)
    ]
    return Document(
        "pdf", tuple(blocks), pages=len(pages),
        ocr=tuple(OcrPage(page=n, quality=0.9) for n in ocr),
    )  # fmt: skip


def _pages(document: Document) -> list[int]:
    return sorted({b.page for b in document.blocks if b.page is not None})


def test_a_scan_after_its_transcription_is_left_out() -> None:
    misread = MATTER.replace("Husmand", "Hnsmand").replace("Kirken", "Kirkeu")
    read = without_repeats(_document(MATTER, OTHER, misread, ocr=(3,)))
    assert _pages(read) == [1, 2] and read.ocr == ()
    assert read.warnings == (
        "page 3 repeats page 1 (a scan and its transcription, or a page filed twice):"
        " read once",
    )


def test_the_transcription_is_kept_when_the_scan_comes_first() -> None:
    read = without_repeats(_document(MATTER, MATTER, ocr=(1,)))
    assert _pages(read) == [2]


def test_different_and_short_pages_are_all_kept() -> None:
    document = _document(MATTER, OTHER, "Side 3", "Side 3")
    assert without_repeats(document) is document


def test_text_layer_pages_alike_are_all_kept() -> None:
    """Two born-digital pages alike are the document repeating itself (a long
    referat with the same standard text twice), not a second copy: both count."""
    document = _document(MATTER, OTHER, MATTER)
    assert without_repeats(document) is document
