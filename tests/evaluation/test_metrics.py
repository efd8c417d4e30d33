"""The one set of metrics behind evaluate and train."""

from __future__ import annotations

import pytest

from referat_nlp.evaluation.metrics import Tally, label_scores


def test_label_scores() -> None:
    result = label_scores(
        ["godkendt", "godkendt", "udskudt", "andet"],
        ["godkendt", "udskudt", "udskudt", "andet"],
    )
    assert result["accuracy"] == pytest.approx(0.75)
    assert result["per_label"]["godkendt"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": pytest.approx(2 / 3),
        "support": 2,
    }
    assert result["per_label"]["udskudt"]["precision"] == pytest.approx(0.5)
    assert result["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert result["confusion"] == {
        "labels": ["godkendt", "udskudt", "andet"],
        "matrix": [[1, 1, 0], [0, 1, 0], [0, 0, 1]],
    }


def test_macro_f1_counts_labels_only_predicted() -> None:
    """A label the gold never has, predicted once, lowers macro-F1 (its F1 is 0)."""
    result = label_scores(["godkendt", "godkendt"], ["godkendt", "udskudt"])
    assert set(result["per_label"]) == {"godkendt", "udskudt"}
    assert result["per_label"]["udskudt"]["recall"] == 0.0
    assert result["macro_f1"] == pytest.approx((2 / 3 + 0) / 2)


def test_no_labels() -> None:
    assert label_scores([], [])["accuracy"] is None


def test_tally_multiset() -> None:
    tally = Tally()
    missed = tally.add(["a", "a", "b"], ["a", "c"])
    assert (tally.tp, tally.fp, tally.fn) == (1, 2, 1)
    assert missed == {"c": 1}
    assert Tally().f1 == 1.0  # nothing expected, nothing predicted
