"""Case trajectories over the corpus, and the rules for linking items by title.

Corpus 017-021 (Favrskov) hold case 18/18284 in four meetings of three bodies,
postponed once and back again, and the same project in Handicaprådet under a
title without a case number; the expected labels come from the gold files.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from referat_nlp.analysis import frames, history
from referat_nlp.analysis.history import content_terms, refers_to
from referat_nlp.pipeline import parse
from referat_nlp.search import index
from tests.frames_fixtures import CORPUS, corpus_json, sample_referat

HINNERUP = "Ny daginstitution i Hinnerup - projektforslag og anlægsbevilling"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> frames.Frames:
    return frames.load(corpus_json(tmp_path_factory))


def gold_labels(case: str) -> list[tuple[str, str]]:
    """(meeting date, decision class) of the gold items that print ``case``."""
    rows = []
    for path in sorted(CORPUS.glob("[0-9][0-9][0-9].json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for item in gold["items"]:
            if case in item["case_numbers"]:
                rows.append((gold["meeting_date"], item["decision_class"]))
    return sorted(rows)


def test_case_travels_through_committee_finance_and_council(
    corpus: frames.Frames,
) -> None:
    trail = history.case_history("18/18284", corpus)
    assert list(trail.columns) == list(history.COLUMNS)
    assert trail["date"].is_monotonic_increasing
    numbered = trail[trail["match"] == "case_number"]
    assert list(numbered["body"]) == [
        "Børne- og Ungeudvalget",
        "Økonomiudvalget",
        "Økonomiudvalget",
        "Byrådet",
    ]
    dated = [(d.strftime("%Y-%m-%d"), str(label)) for d, label in zip(
        numbered["date"], numbered["label"], strict=True
    )]  # fmt: skip
    assert dated == gold_labels("18/18284")
    labels = list(numbered["label"])
    assert labels[1:3] == ["udskudt", "anbefalet"]  # postponed, and back again
    assert set(numbered["title"]) == {HINNERUP}
    assert numbered["similarity"].isna().all()


def test_item_without_case_number_is_linked_by_title_and_marked(
    corpus: frames.Frames,
) -> None:
    trail = history.case_history("18/18284", corpus)
    linked = trail[trail["match"] == "title"]
    assert list(linked["title"]) == ["Høring om ny daginstitution i Hinnerup"]
    assert list(linked["body"]) == ["Handicaprådet"]
    assert linked["case_numbers"].isna().all()
    assert 0 < linked["similarity"].iloc[0] < 1
    # it is placed in time between the two Økonomiudvalget meetings
    assert list(trail["body"])[1:4] == [
        "Økonomiudvalget",
        "Handicaprådet",
        "Økonomiudvalget",
    ]


def test_title_linking_can_be_switched_off(corpus: frames.Frames) -> None:
    trail = history.case_history("18/18284", corpus, link_titles=False)
    assert (trail["match"] == "case_number").all()
    assert len(trail) == 4


@pytest.mark.parametrize(
    ("case", "bodies"),
    [
        ("18/15540", ["Økonomiudvalget", "Byrådet"]),
        ("Sagsnr.: 18/ 18284", ["Børne- og Ungeudvalget", "Økonomiudvalget",
                                "Handicaprådet", "Økonomiudvalget", "Byrådet"]),
        ("18/1128", ["Økonomiudvalget"] * 4),
        ("98650/18", ["Økonomiudvalget"]),  # a document number finds its item
        ("17/99999", []),
    ],
)  # fmt: skip
def test_cases(corpus: frames.Frames, case: str, bodies: list[str]) -> None:
    assert list(history.case_history(case, corpus)["body"]) == bodies


def test_recurring_titles_are_not_linked(corpus: frames.Frames) -> None:
    """18/1128 is Økonomiudvalget's case for its agenda and announcements; the
    Handicaprådet's "Godkendelse af dagsorden" must not join it."""
    trail = history.case_history("18/1128", corpus)
    assert (trail["match"] == "case_number").all()


def test_empty_history_has_the_columns(corpus: frames.Frames) -> None:
    trail = history.case_history("00/0", corpus)
    assert trail.empty
    assert list(trail.columns) == list(history.COLUMNS)


def test_municipality_keeps_equal_case_numbers_apart() -> None:
    """Case numbers repeat across municipalities; ``municipality`` picks one."""
    a, b = sample_referat("a"), sample_referat("b")
    b = b.model_copy(
        update={"meetings": (b.meeting.model_copy(update={"municipality": "Skive"}),)}
    )
    both = frames.from_referats([a, b])
    assert len(history.case_history("20/1234", both)) == 2
    only = history.case_history("20/1234", both, municipality="Skive")
    assert list(only["municipality"]) == ["Skive"]


def test_reads_a_path_and_defaults_to_the_index(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    source = corpus_json(tmp_path_factory)
    from_path = history.case_history("18/18284", source)
    monkeypatch.chdir(tmp_path)
    index.build(history.DEFAULT_INDEX, [source])
    pd.testing.assert_frame_equal(history.case_history("18/18284"), from_path)


@pytest.mark.parametrize(
    ("candidate", "case", "expected"),
    [
        ("Høring om ny daginstitution i Hinnerup", HINNERUP, True),
        ("Daginstitutioner i Hinnerup - høring", HINNERUP, True),
        ("Status på renovering af Hammel Svømmehal",
         "Renovering af Hammel Svømmehal - anlægsbevilling", True),
        ("Orientering om udbud af rengøring",
         "Udbud af rengøring på kommunens institutioner", True),
        ("Forslag til Lokalplan 1045 for boliger ved Søndergade",
         "Lokalplan 1045 for boliger ved Søndergade - endelig vedtagelse", True),
        # a title more specific than the case's may be another matter
        (HINNERUP, "Høring om ny daginstitution i Hinnerup", False),
        ("Renseanlæg Nord I/S budget 2026", "Renseanlæg Nord I/S årsregnskab 2024",
         False),
        ("Budget 2026", "Renseanlæg Nord I/S budget 2026", False),  # one word only
        ("Lokalplan 1046 for erhverv ved Industrivej",
         "Lokalplan 1045 for boliger ved Søndergade", False),
        ("Meddelelser", "Meddelelser", False),
        ("Godkendelse af dagsorden", "Godkendelse af dagsorden", False),
        ("Tilgængelighed på legepladser ved skoler og daginstitutioner", HINNERUP,
         False),
        ("Ny daginstitution i Søften", HINNERUP, False),
    ],
)  # fmt: skip
def test_refers_to(candidate: str, case: str, expected: bool) -> None:
    assert refers_to(content_terms(candidate), content_terms(case)) is expected


@pytest.mark.parametrize(
    ("title", "terms"),
    [
        ("Høring om ny daginstitution i Hinnerup", {"daginstitution", "hinnerup"}),
        ("Budget 2026-29 - 2. behandling", {"budg", "2026"}),  # stemmed
        ("Status på Kildevej I/S", {"kildevej"}),
    ],
)
def test_content_terms(title: str, terms: set[str]) -> None:
    assert content_terms(title) == terms


def leave_one_out(loaded: frames.Frames) -> Counter[str]:
    """Hide each numbered item's case numbers in turn and count where title
    linking puts it: ``correct`` (its own case), ``wrong`` (another case).

    Only cases with a title the hidden item's title could refer to are asked
    (no other case can link it), which keeps this to seconds.
    """
    numbers, view = loaded.case_numbers, loaded.overview()
    cases = numbers[numbers["kind"] == "case"].merge(
        view[["item_id", "municipality", "title"]], on="item_id"
    )
    counts: Counter[str] = Counter()
    for item_id, own in cases.groupby("item_id"):
        rest = cases[
            (cases["item_id"] != item_id)
            & (cases["municipality"] == own["municipality"].iloc[0])
        ]
        counts["items"] += 1
        counts["recoverable"] += bool(set(rest["key"]) & set(own["key"]))
        terms = content_terms(own["title"].iloc[0])
        keys = {
            key
            for key, title in zip(rest["key"], rest["title"], strict=True)
            if refers_to(terms, content_terms(title))
        }
        hidden = dataclasses.replace(
            loaded, case_numbers=numbers[numbers["item_id"] != item_id]
        )
        for key in keys:
            trail = history.case_history(key, hidden)
            if item_id in set(trail.loc[trail["match"] == "title", "item_id"]):
                counts["correct" if key in set(own["key"]) else "wrong"] += 1
    return counts


def test_leave_one_out_on_the_corpus(corpus: frames.Frames) -> None:
    counts = leave_one_out(corpus)
    assert counts["wrong"] == 0, counts
    # the 18/18284 and 18/15540 treatments find their way back; agenda and
    # announcement items (recurring titles) rightly do not
    assert counts["correct"] >= 6, counts


def test_leave_one_out_on_real_minutes(shared_corpus: Path) -> None:
    """Greve's FirstAgenda exports: 87 numbered items in six meetings."""
    files = sorted((shared_corpus / "real").glob("greve_*[0-9].json"))
    counts = leave_one_out(frames.from_referats(parse(p) for p in files))
    assert counts["items"] >= 80, counts
    assert counts["wrong"] == 0, counts
