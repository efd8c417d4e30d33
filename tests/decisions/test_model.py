"""The linear text model: tokenisers, JSON round trip, numpy = scikit-learn."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from referat_nlp.decisions import model
from referat_nlp.decisions.model import FORMAT, LinearTextModel, ModelConfig
from referat_nlp.decisions.rules import DEFAULT_MODEL_DIR

TRAIN = [
    ("Godkendt med en mindre rettelse.", "godkendt", "godkendt"),
    ("Udvalget godkendte planen.", "godkendt", "godkendt"),
    ("Planen vedtages som fremlagt.", "none", "godkendt"),
    (
        "Orienteringen tages til efterretning.",
        "taget_til_efterretning",
        "taget_til_efterretning",
    ),
    ("Status taget til efterretning.", "none", "taget_til_efterretning"),
    (
        "Rapporten blev taget til efterretning.",
        "taget_til_efterretning",
        "taget_til_efterretning",
    ),
    ("Sagen udsættes til næste møde.", "godkendt", "udskudt"),
    ("Punktet blev udsat.", "none", "udskudt"),
    ("Rådet anbefaler forslaget.", "none", "anbefalet"),
    ("Anbefales over for Byrådet.", "anbefalet", "anbefalet"),
    ("Der arbejdes videre med messen.", "none", "andet"),
    ("Formanden tilmelder rådet.", "none", "andet"),
]
PROBE = [
    ("Godkendt.", "none"),
    ("Taget til efterretning med bemærkninger.", "taget_til_efterretning"),
    ("Udsættes.", "godkendt"),
    ("Anbefales.", "drøftet"),  # a hint never seen in training
    ("Et helt andet emne med ukendte ord 2024.", "none"),
    ("", "none"),
]


@pytest.fixture(scope="module")
def fitted() -> model.FittedModel:
    texts, hints, labels = zip(*TRAIN, strict=True)
    return model.fit(texts, hints, labels, ModelConfig(seed=7))


WORD_CASES = [
    ("Taget til efterretning.", (1, 1), ["taget", "til", "efterretning"]),
    ("Taget til efterretning", (2, 2), ["taget til", "til efterretning"]),
    ("Møde 12. maj 2023", (1, 1), ["møde", "00", "maj", "0000"]),
    ("I", (1, 2), []),
]


@pytest.mark.parametrize(("text", "ngram_range", "expected"), WORD_CASES)
def test_word_ngrams(
    text: str, ngram_range: tuple[int, int], expected: list[str]
) -> None:
    assert model.word_ngrams(text, ngram_range) == expected


CHAR_CASES = [
    ("Ja", (2, 3), [" j", "ja", "a ", " ja", "ja "]),
    ("ø", (2, 5), [" ø", "ø ", " ø "]),
    ("Ad 1", (3, 3), [" ad", "ad ", " 0 "]),
]


@pytest.mark.parametrize(("text", "ngram_range", "expected"), CHAR_CASES)
def test_char_wb_ngrams(
    text: str, ngram_range: tuple[int, int], expected: list[str]
) -> None:
    assert model.char_wb_ngrams(text, ngram_range) == expected


@pytest.mark.parametrize(
    "text",
    ["Indstillingen godkendt med denne bemærkning: x", "a bb ccc dddd eeeee", "ø æ å"],
)
def test_char_wb_matches_scikit_learn(text: str) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    reference = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    assert model.char_wb_ngrams(text, (2, 5)) == reference(text.lower())


def test_numpy_prediction_equals_scikit_learn(fitted: model.FittedModel) -> None:
    texts, hints = zip(*PROBE, strict=True)
    model = fitted.export()
    expected = fitted.predict_proba(texts, hints)
    assert model.classes == tuple(fitted.estimator.classes_)
    np.testing.assert_allclose(
        model.predict_proba(texts, hints), expected, rtol=0, atol=1e-12
    )


def test_json_round_trip(fitted: model.FittedModel, tmp_path: Path) -> None:
    texts, hints = zip(*PROBE, strict=True)
    model = fitted.export({"trained": "2024-01-01"})
    path = tmp_path / "model.json"
    model.save(path)
    loaded = LinearTextModel.load(path)
    assert loaded.to_dict() == model.to_dict()
    np.testing.assert_array_equal(
        loaded.predict_proba(texts, hints), model.predict_proba(texts, hints)
    )
    assert json.loads(path.read_text("utf-8"))["format"] == FORMAT


def test_predict_one_returns_best_class(fitted: model.FittedModel) -> None:
    model = fitted.export()
    label, confidence = model.predict_one("Sagen udsættes.", "none")
    assert label == "udskudt"
    assert confidence == pytest.approx(
        model.predict_proba(["Sagen udsættes."], ["none"]).max()
    )


def test_binary_model_matches_scikit_learn() -> None:
    texts = ["Godkendt.", "Udvalget godkendte.", "Udsættes.", "Sagen udsat."]
    hints = ["none"] * 4
    fitted = model.fit(texts, hints, ["godkendt", "godkendt", "udskudt", "udskudt"])
    probe = ["Godkendt i dag.", "Punktet udsættes."]
    np.testing.assert_allclose(
        fitted.export().predict_proba(probe, ["none"] * 2),
        fitted.predict_proba(probe, ["none"] * 2),
        rtol=0,
        atol=1e-12,
    )


def test_wrong_format_is_refused() -> None:
    with pytest.raises(ValueError, match="not a"):
        LinearTextModel.from_dict({"format": "pickle"})


def test_config_round_trip() -> None:
    config = ModelConfig(seed=3, C=2.5, word_ngrams=(1, 3))
    assert ModelConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "model.json").is_file(), reason="no shipped model"
)
def test_shipped_model_loads_and_predicts() -> None:
    model = LinearTextModel.load(DEFAULT_MODEL_DIR / "model.json")
    assert {"godkendt", "taget_til_efterretning", "andet"} <= set(model.classes)
    assert "ingen" not in model.classes
    proba = model.predict_proba(
        ["Orienteringen blev taget til efterretning."], ["none"]
    )
    assert proba.shape == (1, len(model.classes))
    assert proba.sum() == pytest.approx(1.0)
    config = json.loads((DEFAULT_MODEL_DIR / "config.json").read_text("utf-8"))
    assert config["config"]["seed"] == model.meta["seed"]


def test_arrays_are_stored_exactly_as_float64_bytes() -> None:
    array = np.array([[0.1, -2.5e-300, 1 / 3], [np.pi, 0.0, -1e300]])
    encoded = model.encode_array(array)
    assert encoded["dtype"] == "<f8" and encoded["shape"] == [2, 3]
    assert json.loads(json.dumps(encoded)) == encoded
    np.testing.assert_array_equal(model.decode_array(encoded), array)


def test_a_v1_model_with_float_lists_still_loads(
    fitted: model.FittedModel, tmp_path: Path
) -> None:
    texts, hints = zip(*PROBE, strict=True)
    current = fitted.export()
    v1 = current.to_dict() | {
        "format": "referat-nlp/linear-text-model/v1",
        "coef": current.coef.tolist(),
        "intercept": current.intercept.tolist(),
        "blocks": [b.to_dict() | {"idf": b.idf.tolist()} for b in current.blocks],
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps(v1), "utf-8")
    np.testing.assert_array_equal(
        LinearTextModel.load(path).predict_proba(texts, hints),
        current.predict_proba(texts, hints),
    )


def test_an_array_of_another_dtype_is_refused() -> None:
    encoded = model.encode_array(np.zeros(3)) | {"dtype": "<f4"}
    with pytest.raises(ValueError, match="dtype"):
        model.decode_array(encoded)


def test_verb_block_generalises_to_a_verb_it_never_saw() -> None:
    """The "verbs" block gives an unseen rejection verb the weight of known ones:
    trained on "afvist" texts, a model reads "afslog" as a rejection too."""
    texts = [
        "Ansøgningen blev afvist.",
        "Forslaget blev forkastet af udvalget.",
        "Indstillingen blev godkendt.",
        "Planen blev vedtaget.",
    ] * 3
    labels = ["afvist", "afvist", "godkendt", "godkendt"] * 3
    hints = ["none"] * len(texts)
    with_verbs = model.fit(texts, hints, labels).export()
    assert [b.analyzer for b in with_verbs.blocks] == ["word", "char_wb", "verbs"]
    assert with_verbs.predict_one("Udvalget afslog det.", "none")[0] == "afvist"
    assert with_verbs.predict_one("Udvalget accepterede det.", "none")[0] == "godkendt"
