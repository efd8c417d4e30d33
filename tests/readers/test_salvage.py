"""Salvage of Word files whose zip directory is lost: truncated copies and lost
chunks, made here from the corpus DOCX renderings (python-docx writes them)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from referat_nlp import pipeline
from referat_nlp.archive.ledger import Ledger, Status
from referat_nlp.errors import CorruptDocument
from referat_nlp.readers import salvage

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
LIMIT = 500 * 2**20


def _body_end(data: bytes) -> int:
    """Where word/document.xml's compressed data ends in the archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    header = data[info.header_offset : info.header_offset + 30]
    name_len, extra_len = (
        int.from_bytes(header[26:28], "little"),
        int.from_bytes(header[28:30], "little"),
    )
    return info.header_offset + 30 + name_len + extra_len + info.compress_size


def test_an_intact_archive_is_read_whole() -> None:
    data = (CORPUS / "001.docx").read_bytes()
    found = salvage.zip_members(data, LIMIT)
    with zipfile.ZipFile(CORPUS / "001.docx") as archive:
        assert found.members == {
            i.filename: archive.read(i) for i in archive.infolist()
        }
    assert found.damaged == ()


@pytest.mark.parametrize("name", ["001", "012", "024"])
def test_a_truncated_docx_gives_the_same_items_with_a_warning(name: str) -> None:
    data = (CORPUS / f"{name}.docx").read_bytes()
    whole = pipeline.parse(CORPUS / f"{name}.docx")
    cut = data[: _body_end(data) + 10]  # the cut right after the body
    salvaged = pipeline.parse(cut, "docx", name=f"{name}-cut.docx")
    assert salvaged.items == whole.items
    [warning] = [w for w in salvaged.warnings if w.startswith("salvaged:")]
    lost = set(warning.split("(lost: ", 1)[1].rstrip(")").split(", "))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        after_cut = {
            i.filename for i in archive.infolist() if i.header_offset > len(cut)
        }
    assert lost and lost <= after_cut  # what the cut took, and nothing read whole
    assert not any(w.startswith("salvaged:") for w in whole.warnings)


def test_a_cut_inside_the_body_is_refused_in_one_line() -> None:
    data = (CORPUS / "001.docx").read_bytes()
    cut = data[: _body_end(data) - 200]
    with pytest.raises(CorruptDocument, match=r"cut\.docx: corrupt or truncated file"):
        pipeline.parse(cut, "docx", name="cut.docx")


def test_a_damaged_member_is_dropped_not_half_read() -> None:
    """A CRC that does not match means the bytes changed: the member is lost."""
    data = bytearray((CORPUS / "001.docx").read_bytes())
    end = _body_end(bytes(data))
    data[end - 50] ^= 0xFF  # inside the body's compressed data
    found = salvage.zip_members(bytes(data[: end + 10]), LIMIT)
    assert "word/document.xml" not in found.members


def test_a_salvaged_read_is_counted_apart_in_a_batch(tmp_path: Path) -> None:
    import referat_nlp

    source = tmp_path / "in"
    source.mkdir()
    data = (CORPUS / "001.docx").read_bytes()
    (source / "cut.docx").write_bytes(data[: _body_end(data) + 10])
    (source / "whole.docx").write_bytes(data)
    (source / "other.txt").write_text((CORPUS / "002.txt").read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    summary = referat_nlp.batch([source], out, workers=1)
    assert (summary.processed, summary.salvaged, summary.failed) == (3, 1, {})
    with Ledger(out) as ledger:
        status = {Path(r.path).name: r.status for r in ledger.rows()}
    assert status == {
        "cut.docx": Status.SALVAGED,
        "whole.docx": Status.DONE,
        "other.txt": Status.DONE,
    }


@pytest.mark.parametrize("book", ["032", "033"])
def test_the_corpus_minute_books_cut_copies_read_in_full(book: str) -> None:
    """``NNN-cut.docx`` (made by ``python -m tools.render``) has lost its zip
    directory and every part after the body; its gold is ``NNN``'s."""
    cut = CORPUS / f"{book}-cut.docx"
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(cut)
    whole, salvaged = pipeline.parse(CORPUS / f"{book}.docx"), pipeline.parse(cut)
    assert [(i.meeting, i.number, i.title) for i in salvaged.items] == [
        (i.meeting, i.number, i.title) for i in whole.items
    ]
    assert any(w.startswith("salvaged:") for w in salvaged.warnings)
