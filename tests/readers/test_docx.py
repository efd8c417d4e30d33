"""DOCX reader: heading styles, bold runs, tables in order, headers not in the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from referat_nlp import pipeline, readers
from referat_nlp.errors import CorruptDocument
from tests.documents import build_docx


@pytest.mark.parametrize("layout", ["styles", "bold"])
def test_headings_and_table(tmp_path: Path, layout: str) -> None:
    doc = readers.read(build_docx(tmp_path / "r.docx", layout))
    by_text = {b.text: b for b in doc.blocks}
    heading = by_text["2. Renovering af broen over Vejle Å ved Skovvej"]
    assert heading.bold
    assert (heading.heading == 1) == (layout == "styles")
    assert "Sagsnr.:\t21/20417" in by_text
    assert not any("Side 1" in b.text for b in doc.blocks)  # footer not in body


@pytest.mark.parametrize("layout", ["styles", "bold"])
def test_parse_docx(tmp_path: Path, layout: str) -> None:
    referat = pipeline.parse(build_docx(tmp_path / "r.docx", layout))
    assert [(i.number, i.case_numbers) for i in referat.items] == [
        ("1", ("22/1031",)),
        ("2", ("21/20417",)),
        ("3", ("22/2210",)),
    ]
    assert referat.meeting.date == "2022-03-08"
    second = referat.items[1]
    assert second.decision is not None
    assert second.decision.text == "Anbefales over for Økonomiudvalget."
    assert [a.value_dkk for a in second.amounts] == [2_400_000, 2_400_000]


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"This is a plain text file renamed to .docx")
    with pytest.raises(CorruptDocument, match=r"broken\.docx: .*must be a zip"):
        readers.read(path)


def test_styles_part_without_its_content_type(tmp_path: Path) -> None:
    """A package whose [Content_Types].xml no longer names word/styles.xml (as a
    damaged migration leaves it) reads with default styles and says so; before,
    python-docx failed on the first paragraph's style."""
    import re
    import zipfile

    whole = build_docx(tmp_path / "r.docx", "styles")
    damaged = tmp_path / "unstyled.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = re.sub(
                    rb'<Override PartName="/word/styles.xml"[^>]*/>', b"", data
                )
            target.writestr(info, data)
    doc = readers.read(damaged)
    assert any("styles.xml" in w and "default styles" in w for w in doc.warnings)
    referat = pipeline.parse(damaged)
    assert [i.number for i in referat.items] == ["1", "2", "3"]
