"""End to end: the corpus in every format, and the real minutes in ../shared.

The bars are those of issue 2: item number + title F1 ≥ 0.97, meeting date
accuracy ≥ 0.95 and case-number recall ≥ 0.97, in TXT, DOCX, PDF and HTML alike
(the corpus renderings of ``tools.render``: Word, LibreOffice PDF and CMS pages).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from referat_nlp import pipeline
from referat_nlp.decisions.model import ModelConfig, fit
from referat_nlp.document import Referat
from referat_nlp.evaluation.scoring import Report, evaluate
from referat_nlp.schema import validate
from tests.readers.scans import needs_tesseract, scan_pdf


def _assert_bar(report: Report, documents: int) -> None:
    assert report.failed == []
    assert report.documents >= documents
    data = report.as_dict()
    assert data["fields"]["items"]["f1"] >= 0.97, report.errors
    assert data["fields"]["titles"]["f1"] >= 0.97, report.errors
    assert data["meeting_date_accuracy"] >= 0.95, report.errors
    assert data["fields"]["case_numbers"]["recall"] >= 0.97, report.errors


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_corpus_per_format(corpus_dir: Path, fmt: str) -> None:
    _assert_bar(evaluate([corpus_dir], formats=[fmt]), documents=12)


def test_shared_dev_text(shared_corpus: Path) -> None:
    _assert_bar(evaluate([shared_corpus / "dev"]), documents=29)


def test_shared_real_files(shared_corpus: Path) -> None:
    """The real PDF, DOCX and FirstAgenda JSON files, each with its own gold."""
    report = evaluate([shared_corpus / "real"])
    _assert_bar(report, documents=9)
    assert report.as_dict()["fields"]["doc_numbers"]["recall"] >= 0.97


def test_parse_bytes_equals_parse_path(corpus_dir: Path) -> None:
    path = corpus_dir / "001.txt"
    from_path = pipeline.parse(path)
    from_bytes = pipeline.parse(path.read_bytes(), "txt", name=str(path))
    assert from_bytes.to_dict() == from_path.to_dict()


def test_json_round_trip_and_schema(corpus_dir: Path) -> None:
    referat = pipeline.parse(corpus_dir / "002.txt")
    data = json.loads(referat.to_json())
    validate(data)
    assert Referat.from_json(referat.to_json()) == referat
    assert data["schema_version"] == "2"
    assert set(data["source"]) >= {"path", "sha256", "format", "pages"}
    assert len(data["meetings"]) == 1
    assert set(data["meetings"][0]) >= {
        "municipality",
        "body",
        "date",
        "start_time",
        "location",
        "participants",
        "absent",
    }
    item = data["items"][0]
    assert set(item) >= {
        "number",
        "title",
        "case_numbers",
        "doc_numbers",
        "open",
        "sections",
        "decision",
        "amounts",
        "attachments",
        "pages",
        "meeting",
    }


def test_offsets_trace_back_to_text(corpus_dir: Path) -> None:
    referat = pipeline.parse(corpus_dir / "004.txt")
    text = referat.text
    for item in referat.items:
        assert text[item.start :].startswith(item.number)
        for section in item.sections:
            assert text[section.start : section.end] == section.text
        if item.decision is not None and item.decision.start is not None:
            assert text[item.decision.start : item.decision.end] == item.decision.text
        for amount in item.amounts:
            assert text[amount.start : amount.end] == amount.text


def test_bytes_need_a_format() -> None:
    with pytest.raises(TypeError, match="format"):
        pipeline.parse(b"1. Punkt")


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ((), ()),
        ((2,), ("page 2 read by OCR",)),
        ((1, 2, 3), ("pages 1–3 read by OCR",)),
        ((1, 2, 5, 7, 8), ("pages 1–2, 5, 7–8 read by OCR",)),
    ],
)
def test_ocr_warning_names_the_pages(
    pages: tuple[int, ...], expected: tuple[str, ...]
) -> None:
    assert pipeline._ocr_warning(pages) == expected


@needs_tesseract
def test_parse_bytes_with_ocr(tmp_path: Path, corpus_dir: Path) -> None:
    scan = scan_pdf(corpus_dir / "012.pdf", tmp_path / "scan.pdf")
    referat = pipeline.parse(scan.read_bytes(), "pdf", name="scan.pdf", ocr=True)
    assert len(referat.items) == 9 and referat.source.format == "pdf"
    assert referat.warnings == ("page 1 read by OCR",)


def test_a_classifier_can_be_passed_in(corpus_dir: Path) -> None:
    """``parse(..., classifier=)`` uses the given model for the decision texts the
    rules leave open, instead of the shipped one; rule decisions stay as they are."""
    shipped = pipeline.parse(corpus_dir / "030.txt")
    by_model = [i for i in shipped.items if i.decision and i.decision.method == "model"]
    assert by_model, "the sample needs a decision that the model decides"
    texts = [
        "Sagen udsættes til næste møde.",
        "Udsat.",
        "Godkendt.",
        "Indstillingen godkendt.",
    ]
    labels = ["udskudt", "udskudt", "godkendt", "godkendt"]
    own = fit(texts, ["none"] * 4, labels, ModelConfig(seed=1)).export()
    mine = pipeline.parse(corpus_dir / "030.txt", classifier=own)
    for before, after in zip(shipped.items, mine.items, strict=True):
        assert before.decision is not None and after.decision is not None
        if before.decision.method == "model":
            assert after.decision.label.value in {"udskudt", "godkendt"}
            assert after.decision.method == "model"
        else:
            assert after.decision == before.decision


@pytest.mark.parametrize("name", ["004.txt", "017.pdf", "031.docx", "025.html"])
def test_indented_json_is_the_json_modules_text(corpus_dir: Path, name: str) -> None:
    """``to_json`` writes with pydantic's serializer for speed; the text is what
    ``json.dumps`` of the contract dict gives (amounts, confidences, Danish text)."""
    referat = pipeline.parse(corpus_dir / name)
    expected = json.dumps(referat.to_dict(), ensure_ascii=False, indent=2)
    assert referat.to_json() == expected
    assert referat.to_json(indent=None) == json.dumps(
        referat.to_dict(), ensure_ascii=False
    )


def test_a_minute_book_is_read_as_its_meetings(corpus_dir: Path) -> None:
    """032 holds three meetings of a parish council; numbering restarts at each."""
    referat = pipeline.parse(corpus_dir / "032.txt")
    assert [m.date for m in referat.meetings] == [
        "1938-03-03",
        "1938-04-07",
        "1938-05-12",
    ]
    assert {m.body for m in referat.meetings} == {"Sognerådet"}
    assert [(i.meeting, i.number) for i in referat.items] == [
        (0, "1"), (0, "2"), (0, "3"), (0, "4"), (1, "1"), (1, "2"), (1, "3"),
        (2, "1"), (2, "2"), (2, "3"), (2, "4"),
    ]  # fmt: skip
    spans = [(m.start, m.end) for m in referat.meetings]
    assert spans[0][0] == 0 and spans[-1][1] == len(referat.text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    for item in referat.items:
        meeting = referat.meeting_of(item)
        assert meeting.start <= item.start < item.end <= meeting.end
    last = referat.items[3]
    assert last.decision is not None and last.decision.text == "Intet."


def test_a_meeting_close_and_signatures_are_no_items_text() -> None:
    text = (
        "Byrådet\nMøde den 5. maj 2020 kl. 17.00\n\n1. Budget\nGodkendt.\n\n"
        "2. Eventuelt\nIntet.\n\nMødet hævet kl. 18.10.\nAnne Holm   Bo Dahl\n"
    )
    referat = pipeline.parse(text.encode(), "txt")
    assert referat.items[-1].decision is not None
    assert referat.items[-1].decision.text == "Intet."
    assert len(referat.meetings) == 1
