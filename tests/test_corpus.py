"""Consistency checks for the project's own sample corpus (corpus/NNN.txt + NNN.json).

A native web-page sample has ``NNN.html`` and no ``NNN.txt``; its visible text (tags
dropped, a line break at every block element) stands in for the text file.

The gold annotations are written by hand; these tests catch annotation slips (a title
or decision that is not in the text, an amount in the wrong item, a class outside the
label guide) before the corpus is used to train or score anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOC_IDS = sorted(p.stem for p in CORPUS.glob("[0-9][0-9][0-9].json"))

LABELS = frozenset(
    {
        "godkendt",
        "taget_til_efterretning",
        "udskudt",
        "anbefalet",
        "afvist",
        "drøftet",
        "oversendt",
        "andet",
        "ingen",
    }
)
SECTION_KINDS = frozenset(
    {
        "Resume",
        "Resumé",
        "Sammendrag",
        "Baggrund",
        "Beslutningstema",
        "Sagsfremstilling",
        "Indstilling",
        "Administrationen indstiller",
        "Økonomi",
        "Personale",
        "Lovgrundlag",
        "Historik",
        "Sagen afgøres af",
        "Sagen afgøres i",
        "Beslutningen træffes af",
        "Økonomiske konsekvenser og finansiering",
        "Økonomi og organisatoriske konsekvenser",
        "Økonomiske konsekvenser",
        "Supplerende Sagsfremstilling",
        "Bilag",
        "Referat",
        "Beslutning",
        "Fremstilling",
        "Sagsprocedure",
        "Sagsbeskrivelse",
        "Sagens forløb",
    }
)
DOC_KEYS = {
    "source_url": (type(None),),
    "municipality": (str,),
    "body": (str,),
    "meeting_date": (str, type(None)),
    "location": (str, type(None)),
    "items": (list,),
}
OPTIONAL_DOC_KEYS = {
    "notes": (list,),
    "participants": (list,),
    "absent": (list,),
    "start_time": (str, type(None)),
    "layout": (str,),
    "meetings": (list,),
}
# a minute book's meetings, in text order (the document keys give the first one's)
MEETING_KEYS = {
    "meeting_date": (str, type(None)),
    "start_time": (str, type(None)),
    "location": (str, type(None)),
    "participants": (list,),
    "absent": (list,),
}
# a document that publishes one agenda item as its own page (no item number printed)
ONE_ITEM_LAYOUT = "per-item-page"
TABLE_LAYOUTS = {"word-table", "word-table-no-numbers"}
# item titles printed with no number (as headings, in a table's first column): the
# title alone is the heading
UNNUMBERED_LAYOUTS = {"unnumbered-headings", "word-table-no-numbers"}
ITEM_KEYS = {
    "number": (str,),
    "title": (str,),
    "case_numbers": (list,),
    "doc_numbers": (list,),
    "open": (bool, type(None)),
    "decision_text": (str, type(None)),
    "decision_class": (str,),
    "amounts": (list,),
    "sections": (list,),
}
OPTIONAL_ITEM_KEYS = {"note": (str,), "meeting": (int,)}
AMOUNT_KEYS = {"text", "dkk", "dkk_max", "currency", "approximate", "vat"}
MIN_PER_CLASS = 6

# "2021-01-12": a meeting date in ISO form
RE_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "19:00"
RE_TIME = re.compile(r"^\d{2}:\d{2}$")
RE_SPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Runs of whitespace become one space, so PDF line wrapping does not matter."""
    return RE_SPACE.sub(" ", text).strip()


class _VisibleText(HTMLParser):
    """The text a browser shows: scripts and styles dropped, block elements on lines."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "br",
            "tr",
            "td",
            "th",
            "table",
            "header",
            "footer",
            "nav",
            "main",
            "article",
            "aside",
            "section",
            "button",
            "form",
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._hidden += tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def source_text(doc_id: str) -> str:
    """NNN.txt, or for a native web-page sample the visible text of NNN.html."""
    txt = CORPUS / f"{doc_id}.txt"
    if txt.is_file():
        return txt.read_text(encoding="utf-8")
    parser = _VisibleText()
    parser.feed((CORPUS / f"{doc_id}.html").read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.parts)


def load(doc_id: str) -> tuple[dict, str]:
    gold = json.loads((CORPUS / f"{doc_id}.json").read_text(encoding="utf-8"))
    return gold, collapse(source_text(doc_id))


def heading_variants(item: dict) -> list[str]:
    """The ways an item heading is printed in the layouts the corpus uses."""
    n, t = item["number"], collapse(item["title"])
    return [
        f"Punkt {n}: {t}",
        f"Punkt {n} (Åben) {t}",
        f"Punkt {n} (Lukket) {t}",
        f"Punkt {n} {t}",
        f"Pkt. {n}. {t}",
        f"Sag nr. {n} {t}",
        f"{n} {t}",
        f"{n}. Lukket: {t}",
        f"{n}. Lukket punkt: {t}",
        f"{n}. LUKKET PUNKT: {t}",  # a protocol printed in capitals
        f"{n}. {t}",
        f"{n}.{t}",
    ]


def item_spans(gold: dict, text: str) -> list[tuple[int, int]]:
    """Locate each item's heading, searching backwards so a table of contents that
    repeats the headings before the items is skipped.

    Items with no printed heading are located otherwise: a one-item page is the
    whole text, and items without title or number end where their decision ends.
    """
    items = gold["items"]
    if gold.get("layout") == ONE_ITEM_LAYOUT and len(items) == 1:
        return [(0, len(text))]
    if not any(item["title"] for item in items):
        return spans_by_decisions(items, text)
    if "meetings" in gold:
        return minute_book_spans(items, text)
    starts: list[int] = [0] * len(items)
    limit = len(text)
    for i in range(len(items) - 1, -1, -1):
        variants = heading_variants(items[i])
        if gold.get("layout") in UNNUMBERED_LAYOUTS:
            variants = [collapse(items[i]["title"])]
        found = [text.rfind(v, 0, limit) for v in variants]
        pos = max(found)
        assert pos >= 0, f"heading of item {items[i]['number']} not found"
        starts[i] = pos
        limit = pos
    ends = [*starts[1:], len(text)]
    return list(zip(starts, ends, strict=True))


def minute_book_spans(items: list[dict], text: str) -> list[tuple[int, int]]:
    """Spans of a minute book's items: numbering restarts at every meeting, and the
    decisions may follow the whole list ("Ad 1. …"), so each item runs from its
    heading (searched forwards) to the first heading of the next meeting."""
    starts, pos = [], 0
    for item in items:
        found = [text.find(v, pos) for v in heading_variants(item)]
        pos = min(f for f in found if f >= 0)
        starts.append(pos)
    meeting_starts = {}
    for item, start in zip(items, starts, strict=True):
        meeting_starts.setdefault(item["meeting"], start)
    return [
        (start, meeting_starts.get(item["meeting"] + 1, len(text)))
        for item, start in zip(items, starts, strict=True)
    ]


def spans_by_decisions(items: list[dict], text: str) -> list[tuple[int, int]]:
    """Spans of untitled items: each runs from the end of the previous item's
    decision to the end of its own, the last to the end of the text."""
    spans, start = [], 0
    for item in items:
        assert item["decision_text"] is not None, "untitled item without decision"
        decision = collapse(item["decision_text"])
        found = text.find(decision, start)
        assert found >= 0, f"decision of item {item['number']} not found"
        spans.append((start, found + len(decision)))
        start = found + len(decision)
    spans[-1] = (spans[-1][0], len(text))
    return spans


def all_items() -> list[tuple[str, dict]]:
    out = []
    for doc_id in DOC_IDS:
        gold, _ = load(doc_id)
        out.extend((doc_id, item) for item in gold["items"])
    return out


def test_corpus_has_documents_numbered_from_001() -> None:
    assert DOC_IDS, "corpus is empty"
    assert [f"{i:03d}" for i in range(1, len(DOC_IDS) + 1)] == DOC_IDS
    for doc_id in DOC_IDS:
        native = (CORPUS / f"{doc_id}.html").is_file()
        assert (CORPUS / f"{doc_id}.txt").is_file() or native, doc_id


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_document_keys_and_types(doc_id: str) -> None:
    gold, text = load(doc_id)
    for key, types in DOC_KEYS.items():
        assert key in gold, key
        assert isinstance(gold[key], types), key
    for key in set(gold) - set(DOC_KEYS):
        assert key in OPTIONAL_DOC_KEYS, f"unknown key {key}"
        assert isinstance(gold[key], OPTIONAL_DOC_KEYS[key]), key
    if gold["meeting_date"] is not None:
        assert RE_ISO_DATE.match(gold["meeting_date"])
    if gold.get("start_time") is not None:
        assert RE_TIME.match(gold["start_time"])
    for name in [*gold.get("participants", []), *gold.get("absent", [])]:
        assert collapse(name) in text, name
    if gold["location"] is not None:
        # a location printed over several lines is given with ", " separators
        for part in gold["location"].split(", "):
            assert collapse(part) in text, part
    fewest = 1 if gold.get("layout") == ONE_ITEM_LAYOUT else 4
    assert fewest <= len(gold["items"]) <= 12
    check_meetings(gold, text)


def check_meetings(gold: dict, text: str) -> None:
    """A minute book lists its meetings; the document keys are the first one's, and
    every item names a meeting, in order."""
    if "meetings" not in gold:
        assert all("meeting" not in item for item in gold["items"])
        return
    meetings = gold["meetings"]
    assert len(meetings) >= 2
    for meeting in meetings:
        assert set(meeting) == set(MEETING_KEYS), meeting
        for key, types in MEETING_KEYS.items():
            assert isinstance(meeting[key], types), key
        assert meeting["meeting_date"] is None or RE_ISO_DATE.match(
            meeting["meeting_date"]
        )
        for name in [*meeting["participants"], *meeting["absent"]]:
            assert collapse(name) in text, name
        assert meeting["location"] is None or collapse(meeting["location"]) in text
    first = meetings[0]
    assert gold["meeting_date"] == first["meeting_date"]
    assert gold.get("start_time") == first["start_time"]
    assert gold["location"] == first["location"]
    indexes = [item["meeting"] for item in gold["items"]]
    assert indexes == sorted(indexes)
    assert set(indexes) == set(range(len(meetings)))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_item_keys_and_types(doc_id: str) -> None:
    gold, _ = load(doc_id)
    for item in gold["items"]:
        for key, types in ITEM_KEYS.items():
            assert key in item, (item.get("number"), key)
            assert isinstance(item[key], types), (item["number"], key)
        for key in set(item) - set(ITEM_KEYS):
            assert key in OPTIONAL_ITEM_KEYS, (item["number"], key)
        assert item["decision_class"] in LABELS, item["number"]
        assert (item["decision_class"] == "ingen") == (item["decision_text"] is None)
        if item["decision_text"] is not None:
            assert item["decision_text"] == item["decision_text"].strip()
            assert item["decision_text"]
        assert item["title"] == item["title"].strip()
        assert set(item["sections"]) <= SECTION_KINDS, item["number"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_item_numbers_increase(doc_id: str) -> None:
    gold, _ = load(doc_id)
    by_meeting: dict[int, list[tuple[int, ...]]] = {}
    for item in gold["items"]:  # a minute book numbers each meeting from 1
        number = tuple(int(part) for part in item["number"].split("."))  # "2.3"
        by_meeting.setdefault(item.get("meeting", 0), []).append(number)
    for numbers in by_meeting.values():
        assert numbers == sorted(set(numbers))


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_item_texts_occur_in_their_item(doc_id: str) -> None:
    gold, text = load(doc_id)
    spans = item_spans(gold, text)
    # a minutes table names its sections once, as the columns of its header row
    header = text[: spans[0][0]] if gold.get("layout") in TABLE_LAYOUTS else ""
    for item, (start, end) in zip(gold["items"], spans, strict=True):
        span = text[start:end]
        assert collapse(item["title"]) in span, item["number"]
        if item["decision_text"] is not None:
            assert collapse(item["decision_text"]) in span, item["number"]
        for number in [*item["case_numbers"], *item["doc_numbers"]]:
            assert number in span, (item["number"], number)
        headings = (header + span).casefold()
        for kind in item["sections"]:
            # portal exports print some headings in capitals ("INDSTILLING")
            if kind != "Beslutning":
                assert kind.casefold() in headings, (item["number"], kind)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_amounts_in_text_order_within_item(doc_id: str) -> None:
    gold, text = load(doc_id)
    for item, (start, end) in zip(gold["items"], item_spans(gold, text), strict=True):
        pos = start
        for amount in item["amounts"]:
            assert set(amount) <= AMOUNT_KEYS, amount
            found = text.find(collapse(amount["text"]), pos, end)
            assert found >= 0, (item["number"], amount["text"])
            pos = found + 1


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_amount_values(doc_id: str) -> None:
    gold, _ = load(doc_id)
    for item in gold["items"]:
        for amount in item["amounts"]:
            if amount.get("currency", "DKK") == "DKK":
                assert isinstance(amount["dkk"], float), amount
            else:
                assert amount["dkk"] is None, amount
            if "dkk_max" in amount:
                assert amount["dkk_max"] > amount["dkk"], amount
            assert amount.get("vat") in (None, "inkl", "ekskl"), amount


def test_every_class_has_enough_examples() -> None:
    counts = Counter(item["decision_class"] for _, item in all_items())
    for label in LABELS - {"ingen"}:
        assert counts[label] >= MIN_PER_CLASS, (label, counts[label])
    assert counts["ingen"] >= 1


def test_case_and_doc_numbers_are_kept_apart() -> None:
    for doc_id, item in all_items():
        assert not set(item["case_numbers"]) & set(item["doc_numbers"]), doc_id


def test_every_document_names_its_layout_family() -> None:
    """``evaluate --group-by layout`` groups by this key, so none may lack it."""
    for doc_id in DOC_IDS:
        gold, _ = load(doc_id)
        assert gold.get("layout"), doc_id
