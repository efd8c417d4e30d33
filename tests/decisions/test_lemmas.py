"""Decision verbs read by lemma: forms, tense, main clauses, negation.

Sentences are written for these tests in the style real minutes use; the verbs are
chosen outside the rules' hand-written families where the point is the lemma.
"""

from __future__ import annotations

import pytest

from referat_nlp.decisions import lemmas
from referat_nlp.document import DecisionLabel as L
from tools import lemmas as tool


@pytest.mark.parametrize(
    ("word", "lemma", "past"),
    [
        ("afslog", "afslå", True),
        ("afslås", "afslå", False),
        ("Accepterede", "acceptere", True),
        ("godkender", "godkende", False),
        ("godkendes", "godkende", False),
        ("godkendtes", "godkende", True),
        ("udsat", "udsætte", True),
        ("vedtoges", "vedtage", True),  # old past passive: past + es
        ("oversendtes", "oversende", True),  # particle verb the table lacks
        ("tog", "tage", True),  # the table reads it as the noun "tog"
    ],
)
def test_lemma_and_tense(word: str, lemma: str, past: bool) -> None:
    assert lemmas.lemma(word) == lemma
    assert lemmas.is_past(word, lemma) is past


@pytest.mark.parametrize("word", ["ansøgningen", "over", "udvalget", "sendetid", "gen"])
def test_words_that_are_no_decision_verb(word: str) -> None:
    assert lemmas.lemma(word) is None


@pytest.mark.parametrize(
    ("sentence", "outcomes"),
    [
        ("Udvalget afslog ansøgningen.", [L.REJECTED]),
        ("Forslaget blev accepteret af et enigt udvalg.", [L.APPROVED]),
        ("Udvalget accepterede ikke ansøgningen.", [L.REJECTED]),
        ("Planen blev ikke billiget.", [L.REJECTED]),
        ("Underskrevet, dog ikke af Anne Juhl.", [L.APPROVED]),
        ("Rådet diskuterede oplægget grundigt.", [L.DISCUSSED]),
        ("Udvalget tilsluttede sig indstillingen.", [L.APPROVED]),
        ("Byen fik tilsluttet fjernvarme.", []),  # no reflexive: no outcome
        ("Udvalget tog redegørelsen til efterretning.", [L.NOTED]),
        # the subordinate clause is not what the body did
        ("Klubben kan søge igen, når puljen er vedtaget.", []),
        ("Der er spørgsmål til det udkast som blev godkendt i maj.", []),
        ("Det blev rettet til at Udvalget havde afslået tilskuddet.", []),
        # an infinitive after "besluttede at" is the act
        ("Udvalget besluttede at udsætte sagen.", [L.POSTPONED]),
        # forwarding needs the rules' "til <body>"; it is left to them
        ("Sagen blev oversendt til Byrådet.", []),
        # support verbs take the outcome of the noun they give
        ("Udvalget meddelte afslag på ansøgningen.", [L.REJECTED]),
        ("Nævnet gav dispensation til carporten.", [L.APPROVED]),
        ("Landzonetilladelsen blev givet.", [L.APPROVED]),
        ("Udvalget gav ikke tilladelse til udvidelsen.", [L.REJECTED]),
        ("Foreningen gav en orientering om sæsonen.", []),
        # a proposal is followed or falls; the costs fall and plans are followed up
        ("Forvaltningens indstilling blev fulgt.", [L.APPROVED]),
        ("Ændringsforslaget faldt med 4 stemmer mod 9.", [L.REJECTED]),
        ("Udgifterne faldt med 3 procent.", []),
        ("Forvaltningen følger op på forslaget.", []),
        ("Følgende forslag blev drøftet.", [L.DISCUSSED]),
        # a participle before its noun is an adjective: "de faldne bemærkninger"
        ("Udvalget vedtog forslaget med de faldne bemærkninger.", [L.APPROVED]),
        ("Rådet drøftede den vedtagne plan.", [L.DISCUSSED]),
        # a reflexive verb's passive needs no "sig"
        ("Orienteringen blev noteret.", [L.NOTED]),
    ],
)
def test_main_outcomes(sentence: str, outcomes: list[L]) -> None:
    assert lemmas.main_outcomes(sentence) == outcomes


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("Udvalget afslog ansøgningen.", True),
        ("Sagen blev udsat til næste møde.", True),
        ("Fordelingen blev oversendt til Kultur- og Fritidsudvalget.", True),
        ("Forvaltningen indstiller, at ansøgningen afslås.", False),
        ("Ansøgningen afslås.", False),
        ("Udvalget drøfter processen.", False),
        ("Foreningerne har indberettet medlemstal.", False),
    ],
)
def test_records_act(sentence: str, act: bool) -> None:
    assert lemmas.records_act(sentence) is act


def test_shipped_table_is_the_tools_output() -> None:
    """data/outcome_verbs.tsv is what tools/lemmas.py writes from spaCy's table."""
    pytest.importorskip("spacy_lookups_data")
    pairs = tool.outcome_forms(tool.lookup_table(), lemmas.TABLE_LEMMAS)
    assert lemmas.TABLE.read_text("utf-8") == tool.render(pairs)
    assert set(lemmas.TABLE_LEMMAS) - {"oversende"} <= {lemma for _, lemma in pairs}


def test_verb_features_name_outcome_tense_and_clause() -> None:
    assert lemmas.verb_features(
        "Udvalget afslog ansøgningen, når puljen er vedtaget."
    ) == [
        "afvist",
        "afvist past main",
        "godkendt",
        "godkendt past sub",
    ]
    assert lemmas.verb_features("Forvaltningen indstiller, at planen godkendes.") == [
        "godkendt",
        "godkendt present sub",
    ]
