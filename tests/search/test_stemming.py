"""Danish folding and stemming for the search index."""

from __future__ import annotations

import pytest

from referat_nlp.search import stemming


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Aabenraa", "åbenrå"),
        ("AALBORG", "ålborg"),
        ("Idé", "ide"),
        ("Müller", "muller"),
        ("façade", "facade"),
        ("Øster Ålbæk", "øster ålbæk"),
        ("Ärø Östergade", "ærø østergade"),
        ("Å", "å"),
        ("a\u030a", "å"),  # å written as a + combining ring (NFD)
        ("ǻ", "å"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert stemming.fold(text) == folded


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Indkøbsaftaler for el-biler", ["indkøbsaftaler", "elbiler"]),
        ("Sagsnr. 18/18284", ["sagsnr", "18", "18284"]),
        ("1.316.000 kr.", ["1", "316", "000", "kr"]),
        ("Status på COVID-19-situationen", ["status", "covid", "19", "situationen"]),
        ("Teknik- og Miljøudvalget", ["teknik", "miljøudvalget"]),
        ("Skole-hjem-samarbejde", ["skolehjemsamarbejde"]),
        ("og i at det", []),
        ("snake_case", ["snake", "case"]),
    ],
)
def test_words(text: str, words: list[str]) -> None:
    assert stemming.words(text) == words


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("indkøbsaftaler", "indkøbsaftale"),
        ("godkendte", "godkendt"),
        ("Godkendelsen", "godkendelse"),
        ("Aabenraa", "Åbenrå"),
        ("skolerne", "skole"),
        ("Byrådet", "byråd"),
        ("el-ladestandere", "elladestandere"),
        ("budgetterne", "budgetter"),
    ],
)
def test_same_terms(one: str, other: str) -> None:
    assert stemming.terms(one) == stemming.terms(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("sø", "so"), ("får", "far"), ("bål", "bal"), ("æble", "able"), ("ø", "o")],
)
def test_ae_oe_aa_stay_letters_of_their_own(one: str, other: str) -> None:
    assert stemming.terms(one) != stemming.terms(other)


def test_words_with_digits_are_not_stemmed() -> None:
    # "p20ene" would lose "ene" if stemmed; PostgreSQL leaves such words alone too
    assert stemming.stem_words(["p20ene", "2019", "skolerne"]) == [
        "p20ene",
        "2019",
        "skol",
    ]


def test_shadow_text() -> None:
    text = "Byrådet godkendte indkøbsaftalerne for Aabenraa Kommune."
    assert stemming.shadow(text) == "byråd godkend indkøbsaftal åbenrå kommun"
