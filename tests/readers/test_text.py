"""Plain-text reader: lines, encodings, page breaks and what it refuses."""

from __future__ import annotations

import pytest

from referat_nlp import readers
from referat_nlp.errors import CorruptDocument, EmptyDocument


def test_lines_are_kept_verbatim() -> None:
    doc = readers.read_bytes(b"1. Godkendelse \r\nGodkendt.\n", "txt")
    assert [b.text for b in doc.blocks] == ["1. Godkendelse ", "Godkendt.", ""]
    assert doc.pages is None


def test_cp1252_fallback() -> None:
    doc = readers.read_bytes("Ældrerådet godkendte".encode("cp1252"), "txt")
    assert doc.blocks[0].text == "Ældrerådet godkendte"


def test_form_feed_starts_a_page() -> None:
    doc = readers.read_bytes(b"Side et\n\fSide to", "txt")
    assert doc.pages == 2
    assert [b.page for b in doc.blocks if b.text] == [1, 2]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyDocument),
        (b" \n\n", EmptyDocument),
        (b"\x00\x01\x02abc", CorruptDocument),
    ],
)
def test_bad_text(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        readers.read_bytes(data, "txt", name="x.txt")
