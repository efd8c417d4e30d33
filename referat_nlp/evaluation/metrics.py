"""The metrics every score of the project is computed with: precision, recall and
F1 of a field (multiset comparison), and accuracy, macro-F1, per-label scores and
the confusion matrix of decision labels.

``referat-nlp evaluate`` and ``referat-nlp train`` (grouped cross-validation) both
use these, so a macro-F1 in the README means one thing. Macro-F1 averages over the
labels that occur in the gold or the predictions (as scikit-learn does with
``labels`` left open): predicting a label the gold never has costs a zero F1 for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from referat_nlp.document import DecisionLabel

LABEL_ORDER: tuple[str, ...] = tuple(label.value for label in DecisionLabel)


@dataclass
class Tally:
    """Counts for precision/recall/F1 of one field. With nothing expected and
    nothing predicted a field is perfect (precision and recall 1)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(
        self, predicted: Iterable[object], expected: Iterable[object]
    ) -> Counter[object]:
        """Count a multiset comparison; return what was missed (for --errors)."""
        p, e = Counter(predicted), Counter(expected)
        hit = sum((p & e).values())
        self.tp += hit
        self.fp += sum(p.values()) - hit
        self.fn += sum(e.values()) - hit
        return e - p

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def label_scores(
    gold: Sequence[str], predicted: Sequence[str], order: Sequence[str] = LABEL_ORDER
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label precision/recall/F1/support and the confusion
    matrix (rows gold, columns predicted) over the labels present, in ``order``.

    A label never predicted has precision 0, one never in the gold recall 0 (no
    division by zero counts as perfect here, unlike a field's :class:`Tally`).
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predicted")
    present = set(gold) | set(predicted)
    labels = [x for x in order if x in present] + sorted(present - set(order))
    if not labels:
        return {"n": 0, "accuracy": None, "macro_f1": None, "per_label": {},
                "confusion": {"labels": [], "matrix": []}}  # fmt: skip
    pairs = Counter(zip(gold, predicted, strict=True))
    per_label = {label: _one_label(pairs, label) for label in labels}
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True))
        / len(gold),
        "macro_f1": sum(s["f1"] for s in per_label.values()) / len(labels),
        "per_label": per_label,
        "confusion": {
            "labels": labels,
            "matrix": [[pairs[(g, p)] for p in labels] for g in labels],
        },
    }


def _one_label(pairs: Counter[tuple[str, str]], label: str) -> dict[str, Any]:
    tp = pairs[(label, label)]
    predicted = sum(n for (_, p), n in pairs.items() if p == label)
    support = sum(n for (g, _), n in pairs.items() if g == label)
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}
