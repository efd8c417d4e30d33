"""The trained decision model: TF-IDF word and character n-grams + logistic regression.

Training uses scikit-learn (a well-kept, standard implementation of TF-IDF and a
multinomial logistic regression); prediction does not. The fitted weights are
exported to plain JSON (vocabularies, idf, coefficients, intercepts, classes; the
arrays as base64 float64 bytes, see :func:`encode_array`) and
:class:`LinearTextModel` predicts from them with numpy alone, so the CLI starts
fast and no pickle is ever loaded. The tokenisers below are used by both sides,
which keeps the two predictions equal.

Inputs are the normalised decision text and a *hint*: a short category derived
from the item's Indstilling (what it asked for), one-hot encoded.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from referat_nlp.decisions import lemmas

if TYPE_CHECKING:
    from scipy.sparse import spmatrix

FORMAT = "referat-nlp/linear-text-model/v2"
# v1 stored the arrays as JSON lists of floats; it is still read
READABLE_FORMATS = frozenset({FORMAT, "referat-nlp/linear-text-model/v1"})
# the arrays' byte layout in v2: little-endian IEEE float64, whatever the machine
ARRAY_DTYPE = "<f8"

RE_DIGIT = re.compile(r"\d")
# a word of two or more letters/digits: "godkendt", "efterretning", "00"
RE_WORD = re.compile(r"\b\w\w+\b")


def encode_array(array: np.ndarray) -> dict[str, Any]:
    """An array as JSON: its shape and its float64 bytes in base64. Exact, like the
    float lists of v1, and parsed about 10 × faster (the JSON reader no longer
    turns 150,000 decimal numbers into floats when the CLI starts); no pickle."""
    data = np.ascontiguousarray(array, dtype=ARRAY_DTYPE)
    return {
        "dtype": ARRAY_DTYPE,
        "shape": list(data.shape),
        "base64": base64.b64encode(data.tobytes()).decode("ascii"),
    }


def decode_array(value: dict[str, Any] | list[Any]) -> np.ndarray:
    """The array :func:`encode_array` wrote (or a v1 float list)."""
    if isinstance(value, list):
        return np.asarray(value, dtype=float)
    if value.get("dtype") != ARRAY_DTYPE:
        raise ValueError(f"unsupported array dtype {value.get('dtype')!r}")
    raw = base64.b64decode(value["base64"], validate=True)
    return np.frombuffer(raw, dtype=ARRAY_DTYPE).reshape(value["shape"]).astype(float)


def _prepare(text: str) -> str:
    """Lower case and digits folded to 0: dates and item numbers carry no label."""
    return RE_DIGIT.sub("0", text.lower())


def word_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Word n-grams, e.g. "taget til efterretning" -> "taget", "taget til", …"""
    tokens = RE_WORD.findall(_prepare(text))
    low, high = ngram_range
    return [
        " ".join(tokens[i : i + n])
        for n in range(low, high + 1)
        for i in range(len(tokens) - n + 1)
    ]


def char_wb_ngrams(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams inside space-padded words (robust to inflection)."""
    low, high = ngram_range
    grams: list[str] = []
    for word in _prepare(text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def verb_outcomes(text: str, ngram_range: tuple[int, int]) -> list[str]:
    """The decision verbs' outcomes, tense and clause (:func:`lemmas.verb_features`);
    ``ngram_range`` is unused (a block's analyzers share one signature)."""
    return lemmas.verb_features(text)


ANALYZERS: dict[str, Callable[[str, tuple[int, int]], list[str]]] = {
    "word": word_ngrams,
    "char_wb": char_wb_ngrams,
    "verbs": verb_outcomes,
}


@dataclass(frozen=True)
class ModelConfig:
    """Hyperparameters of one training run (stored in config.json)."""

    seed: int = 13
    C: float = 10.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 1
    sublinear_tf: bool = True
    class_weight: str | None = "balanced"
    hint_weight: float = 1.0
    max_iter: int = 5000
    verb_features: bool = True  # the "verbs" block (lemmas.verb_features)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        data = dict(data)
        for key in ("word_ngrams", "char_ngrams"):
            if key in data:
                data[key] = tuple(data[key])
        return cls(**data)


@dataclass(frozen=True)
class TfidfBlock:
    """One TF-IDF feature block: an analyzer, its vocabulary and idf weights."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear_tf: bool

    def transform(self, text: str) -> np.ndarray:
        """The L2-normalised TF-IDF vector of one text."""
        vector = np.zeros(len(self.vocabulary))
        indices, values = self.nonzero(text)
        vector[indices] = values
        return vector

    def nonzero(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The non-zero entries of :meth:`transform`: their indices and values. A
        text has a few hundred n-grams against a vocabulary of tens of thousands,
        so the model's scores are taken over these alone."""
        counts = Counter(ANALYZERS[self.analyzer](text, self.ngram_range))
        found = [
            (i, c)
            for g, c in counts.items()
            if (i := self.vocabulary.get(g)) is not None
        ]
        indices = np.array([i for i, _ in found], dtype=np.intp)
        tf = np.array([float(c) for _, c in found])
        if self.sublinear_tf:
            tf = 1.0 + np.log(tf)
        values = tf * self.idf[indices]
        norm = np.linalg.norm(values)
        return indices, (values / norm if norm > 0 else values)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "sublinear_tf": self.sublinear_tf,
            "vocabulary": self.vocabulary,
            "idf": encode_array(self.idf),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TfidfBlock:
        return cls(
            analyzer=data["analyzer"],
            ngram_range=(data["ngram_range"][0], data["ngram_range"][1]),
            vocabulary={str(k): int(v) for k, v in data["vocabulary"].items()},
            idf=decode_array(data["idf"]),
            sublinear_tf=bool(data["sublinear_tf"]),
        )


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


@dataclass(frozen=True)
class LinearTextModel:
    """A trained model as plain arrays; predicts with numpy only."""

    classes: tuple[str, ...]
    blocks: tuple[TfidfBlock, ...]
    hints: tuple[str, ...]
    hint_weight: float
    coef: np.ndarray
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def features(self, text: str, hint: str) -> np.ndarray:
        """The feature vector: each TF-IDF block, then the one-hot hint."""
        onehot = np.zeros(len(self.hints))
        if hint in self.hints:
            onehot[self.hints.index(hint)] = self.hint_weight
        return np.concatenate([*(b.transform(text) for b in self.blocks), onehot])

    def scores(self, text: str, hint: str) -> np.ndarray:
        """The decision function of one text: ``features(text, hint) @ coef.T +
        intercept``, summed over the non-zero features only."""
        total = self.intercept.copy()
        offset = 0
        for block in self.blocks:
            indices, values = block.nonzero(text)
            total += self.coef[:, offset + indices] @ values
            offset += len(block.vocabulary)
        if hint in self.hints:
            total += self.coef[:, offset + self.hints.index(hint)] * self.hint_weight
        return total

    def predict_proba(self, texts: Sequence[str], hints: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in ``classes`` order."""
        scores = np.vstack(
            [self.scores(t, h) for t, h in zip(texts, hints, strict=True)]
        ).reshape(len(texts), -1)
        if len(self.classes) == 2:  # binary logistic regression: one score column
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        return _softmax(scores)

    def predict_one(self, text: str, hint: str) -> tuple[str, float]:
        """The most probable class of one text and its probability."""
        proba = self.predict_proba([text], [hint])[0]
        best = int(np.argmax(proba))
        return self.classes[best], float(proba[best])

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "classes": list(self.classes),
            "blocks": [b.to_dict() for b in self.blocks],
            "hints": list(self.hints),
            "hint_weight": self.hint_weight,
            "coef": encode_array(self.coef),
            "intercept": encode_array(self.intercept),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearTextModel:
        if data.get("format") not in READABLE_FORMATS:
            raise ValueError(f"not a {FORMAT} model: format={data.get('format')!r}")
        return cls(
            classes=tuple(data["classes"]),
            blocks=tuple(TfidfBlock.from_dict(b) for b in data["blocks"]),
            hints=tuple(data["hints"]),
            hint_weight=float(data["hint_weight"]),
            coef=decode_array(data["coef"]),
            intercept=decode_array(data["intercept"]),
            meta=dict(data.get("meta", {})),
        )

    def save(self, path: Path) -> None:
        """Write the weights as JSON (arrays as exact float64 bytes)."""
        path.write_text(
            json.dumps(self.to_dict(), ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass
class FittedModel:
    """The scikit-learn objects of a training run (never stored; see export)."""

    config: ModelConfig
    vectorizers: list[Any]
    hints: tuple[str, ...]
    estimator: Any

    def matrix(self, texts: Sequence[str], hints: Sequence[str]) -> spmatrix:
        """The same features as :meth:`LinearTextModel.features`, as a sparse matrix."""
        from scipy.sparse import csr_matrix, hstack

        onehot = np.zeros((len(hints), len(self.hints)))
        for row, hint in enumerate(hints):
            if hint in self.hints:
                onehot[row, self.hints.index(hint)] = self.config.hint_weight
        blocks = [v.transform(texts) for v in self.vectorizers]
        matrix: spmatrix = hstack([*blocks, csr_matrix(onehot)]).tocsr()
        return matrix

    def predict_proba(self, texts: Sequence[str], hints: Sequence[str]) -> np.ndarray:
        """scikit-learn's probabilities, columns in ``estimator.classes_`` order."""
        result: np.ndarray = self.estimator.predict_proba(self.matrix(texts, hints))
        return result

    def export(self, meta: dict[str, Any] | None = None) -> LinearTextModel:
        """The weights as a :class:`LinearTextModel`."""
        names, ranges = zip(*feature_blocks(self.config), strict=True)
        blocks = tuple(
            TfidfBlock(
                analyzer=name,
                ngram_range=ngram_range,
                vocabulary={str(k): int(i) for k, i in vec.vocabulary_.items()},
                idf=np.asarray(vec.idf_, dtype=float),
                sublinear_tf=self.config.sublinear_tf,
            )
            for name, ngram_range, vec in zip(
                names, ranges, self.vectorizers, strict=True
            )
        )
        return LinearTextModel(
            classes=tuple(str(c) for c in self.estimator.classes_),
            blocks=blocks,
            hints=self.hints,
            hint_weight=self.config.hint_weight,
            coef=np.ascontiguousarray(self.estimator.coef_, dtype=float),
            intercept=np.ascontiguousarray(self.estimator.intercept_, dtype=float),
            meta=dict(meta or {}),
        )


def _analyze(
    analyzer: Callable[[str, tuple[int, int]], list[str]],
    ngram_range: tuple[int, int],
    text: str,
) -> list[str]:
    return analyzer(text, ngram_range)


def feature_blocks(config: ModelConfig) -> list[tuple[str, tuple[int, int]]]:
    """The TF-IDF blocks a configuration asks for: (analyzer name, n-gram range)."""
    blocks = [("word", config.word_ngrams), ("char_wb", config.char_ngrams)]
    return [*blocks, ("verbs", (1, 1))] if config.verb_features else blocks


def fit(
    texts: Sequence[str],
    hints: Sequence[str],
    labels: Sequence[str],
    config: ModelConfig | None = None,
) -> FittedModel:
    """Fit the vectorisers and the logistic regression; deterministic per seed."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    config = config or ModelConfig()
    vectorizers = [
        TfidfVectorizer(
            analyzer=partial(_analyze, ANALYZERS[name], ngram_range),
            min_df=config.min_df,
            sublinear_tf=config.sublinear_tf,
            dtype=np.float64,
        )
        for name, ngram_range in feature_blocks(config)
    ]
    for vectorizer in vectorizers:
        vectorizer.fit(texts)
    estimator = LogisticRegression(
        C=config.C,
        class_weight=config.class_weight,
        max_iter=config.max_iter,
        random_state=config.seed,
    )
    fitted = FittedModel(config, vectorizers, tuple(sorted(set(hints))), estimator)
    estimator.fit(fitted.matrix(texts, hints), list(labels))
    return fitted
