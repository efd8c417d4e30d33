"""Decision verbs by lemma: what a sentence's main verb says the body did.

The outcome formulae in :mod:`referat_nlp.decisions.rules` name each verb family's
inflections by hand; minutes from archives nobody here has read use other verbs
("accepterede", "afslog", "diskuterede", "billigede") and other forms of known ones
("oversendtes", "vedtoges"). Here a verb is recognised by its lemma: each form is
looked up in ``data/outcome_verbs.tsv``, every form spaCy's Danish lookup table
(the ``spacy-lookups-data`` package) lists for the lemmas of :data:`TABLE_LEMMAS`,
written by ``python -m tools.lemmas``. A form the table lacks is read as the old
past passive (``-s`` after a past form) or as a particle verb (``over`` + ``sendt``).

The lemma also gives the tense: a form outside the lemma's infinitive, present,
present passive and imperative is past ("afslog", "godkendt", "vedtoges"). A past
outcome records an act; a present one usually proposes it ("at ansøgningen
afslås"), which is how a decision that stands with no heading is told from the
Indstilling before it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from referat_nlp.document import DecisionLabel

TABLE = Path(__file__).resolve().parent.parent / "data" / "outcome_verbs.tsv"

# the outcome each decision verb records, from the meaning of the verb in Danish
# (not from any one corpus); forwarding verbs are listed for their tense only:
# forwarding needs its "til <body>", which the rules' forwarding family reads
OUTCOME_LEMMAS: dict[str, DecisionLabel] = {
    **dict.fromkeys(
        (
            "godkende", "tiltræde", "vedtage", "bevilge", "bevillige", "bifalde",
            "imødekomme", "acceptere", "godtage", "billige", "stadfæste",
            "underskrive", "ratificere", "tilslutte", "følge", "støtte", "bakke",
        ),
        DecisionLabel.APPROVED,
    ),
    **dict.fromkeys(
        (
            "forkaste", "afvise", "afslå", "nedstemme", "underkende", "tilbagevise",
            "falde", "bortfalde",
        ),
        DecisionLabel.REJECTED,
    ),
    **dict.fromkeys(("udsætte", "udskyde", "afvente"), DecisionLabel.POSTPONED),
    "anbefale": DecisionLabel.RECOMMENDED,
    **dict.fromkeys(
        ("drøfte", "diskutere", "debattere", "gennemdrøfte"), DecisionLabel.DISCUSSED
    ),
    **dict.fromkeys(("notere", "kvittere", "tage"), DecisionLabel.NOTED),
    **dict.fromkeys(
        (
            "sende", "fremsende", "oversende", "videresende", "henvise", "videregive",
            "overgive", "overdrage",
        ),
        DecisionLabel.FORWARDED,
    ),
}  # fmt: skip
# verbs whose outcome needs a word after them: a reflexive ("tilsluttede sig",
# "noterede sig"; "tilslutte et anlæg" is no outcome), a particle ("bakkede op om")
# or the noun of a set phrase ("tog orienteringen til efterretning")
COMPLEMENTS: dict[str, frozenset[str]] = {
    "tilslutte": frozenset({"sig"}),
    "bakke": frozenset({"op"}),
    "notere": frozenset({"sig"}),
    "tage": frozenset({"efterretning", "orientering"}),
}
COMPLEMENT_WINDOW = 6
# reflexive verbs whose passive records the outcome without "sig" ("noteret");
# "tilsluttet" is also a house connected to the sewer
PASSIVE_OUTCOMES = frozenset({"notere"})
# words before a participle that make it an adjective ("de faldne bemærkninger");
# "det" is also a subject ("Det vedtoges …")
DETERMINERS = frozenset({"de", "den", "disse", "denne", "dens", "deres"})
# verbs that record an outcome only about a proposal, named on either side: an
# indstilling is followed ("Indstillingen blev fulgt", "fulgte forvaltningens
# anbefaling"; not "følger op på"), a motion falls ("Ændringsforslaget faldt";
# the costs "faldt" too)
PROPOSAL_VERBS: dict[str, tuple[str, ...]] = {
    "følge": ("indstilling", "anbefaling", "forslag"),
    "falde": ("forslag",),
    "bortfalde": ("forslag",),
}
# support verbs, whose outcome is the noun they give: "meddelte afslag på
# ansøgningen", "gav tilladelse til salget", "Tillægsbevillingen blev givet"
SUPPORT_LEMMAS = ("give", "meddele", "tildele")
SUPPORT_WINDOW = 3
OUTCOME_NOUNS: dict[str, DecisionLabel] = {
    "afslag": DecisionLabel.REJECTED,
    **dict.fromkeys(
        (
            "tilladelse",
            "dispensation",
            "tilsagn",
            "bevilling",
            "godkendelse",
            "tilslutning",
            "opbakning",
        ),
        DecisionLabel.APPROVED,
    ),
}
# a noun's definite and plural endings ("afslaget", "tilladelserne"); a compound
# ends in its last noun ("tillægsbevillingen", "landzonetilladelse")
NOUN_ENDINGS = ("", "n", "en", "t", "et", "r", "er", "ne", "ene", "rne", "erne")
# the lemmas whose forms data/outcome_verbs.tsv lists
TABLE_LEMMAS = (*OUTCOME_LEMMAS, *SUPPORT_LEMMAS)
# forms spaCy's table gives to a homonym: "tog" (train), "taget" (the roof)
IRREGULAR = {
    "tog": "tage", "taget": "tage", "tager": "tage", "tages": "tage", "faldet": "falde",
}  # fmt: skip
# negated, an approval or a recommendation is a rejection ("accepterede ikke
# ansøgningen", "blev ikke godkendt"); "ikke" must stand next to the verb
# ("Underskrevet, dog ikke af …" restricts who signed)
NEGATABLE = frozenset({DecisionLabel.APPROVED, DecisionLabel.RECOMMENDED})
# particles that form Danish particle verbs in one word ("oversende", "fremsende")
PARTICLES = ("videre", "gennem", "over", "frem", "til", "gen", "af", "ud")

RE_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# where a main clause ends: a subordinate clause ("…, når puljen er vedtaget",
# "…, som blev godkendt i 2022") or reported speech ("meddelte, at …")
# and, without a comma, a that-clause with its subject ("Rettes til, at Udvalget
# havde afslået …"; not "besluttede at udsætte sagen") or a relative clause ("det
# udkast som blev godkendt")
RE_SUBORDINATE = re.compile(
    r",\s*(?:at|når|hvis|som|der|fordi|da|idet|mens|selvom|inden|før|efter|hvor)\b"
    r"|\s(?:når|hvis|fordi|selvom|såfremt)\s"
    r"|\sat\s+(?=[A-ZÆØÅ]|(?:den|det|de|der|dette|disse|man|han|hun|vi|en|et)\b)"
    r"|\s(?:som|der)\s+(?=(?:blev|er|var|har|havde|bliver)\b)",
)
# sentence ends: ". " before a capital, or a line end after a full stop
RE_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


@cache
def _table() -> dict[str, str]:
    """Form → lemma for every form of the outcome lemmas (read once)."""
    pairs = (line.split("\t") for line in TABLE.read_text("utf-8").splitlines())
    return {form: lemma for form, lemma in pairs}


def lemma(word: str) -> str | None:
    """The outcome lemma of ``word`` ("afslog" → "afslå"), or None if it is none.

    Forms the table lacks: the old past passive ("vedtoges" → "vedtog" +s) and
    particle verbs written as one word ("oversendtes" → "over" + "sendtes").
    """
    word = word.lower()
    table = _table()
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word in table:
        return table[word]
    for passive in ("s", "es"):  # "sendtes", "vedtoges"
        if word.endswith(passive) and word.removesuffix(passive) in table:
            return table[word.removesuffix(passive)]
    for particle in PARTICLES:
        rest = word.removeprefix(particle)
        if rest != word and len(rest) > 3:
            base = lemma(rest)
            if base is not None and particle + base in OUTCOME_LEMMAS:
                return particle + base
    return None


def is_past(word: str, lemma_: str) -> bool:
    """Whether ``word`` is a past form of ``lemma_`` (preterite, participle, past
    passive): any form but the infinitive, present, present passive, imperative,
    present participle and verbal noun ("godkende", "godkender", "godkendes",
    "godkend", "godkendende", "godkenden")."""
    stem = lemma_[:-1] if lemma_.endswith("e") else lemma_
    present = {lemma_, lemma_ + "r", lemma_ + "s", lemma_ + "n", stem, stem + "es"}
    present |= {lemma_ + "nde", stem + "ende"}
    return word.lower() not in present


def main_clause(sentence: str) -> str:
    """The sentence up to its first subordinate clause."""
    cut = RE_SUBORDINATE.search(sentence)
    return sentence[: cut.start()] if cut else sentence


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (line breaks inside a sentence are kept)."""
    return [s for s in RE_SENTENCE_END.split(text) if s.strip()]


def _outcomes(clause: str) -> list[tuple[DecisionLabel, bool]]:
    """(outcome, is past) for each decision verb of a main clause, in order."""
    tokens = [t.lower() for t in RE_TOKEN.findall(clause)]
    found = []
    for i, token in enumerate(tokens):
        base = lemma(token)
        if base is None or (label := _verb_outcome(base, tokens, i)) is None:
            continue
        if label in NEGATABLE and "ikke" in (
            *tokens[max(0, i - 2) : i],
            *tokens[i + 1 : i + 2],
        ):
            label = DecisionLabel.REJECTED
        found.append((label, is_past(token, base)))
    return found


def _verb_outcome(base: str, tokens: list[str], i: int) -> DecisionLabel | None:
    """The outcome the verb ``tokens[i]`` (lemma ``base``) records in its clause,
    or None when the words it needs are not there."""
    after = tokens[i + 1 : i + 1 + COMPLEMENT_WINDOW]
    before = tokens[max(0, i - COMPLEMENT_WINDOW) : i]
    if base in SUPPORT_LEMMAS:
        near = (*after[:SUPPORT_WINDOW], *before[-SUPPORT_WINDOW:])
        return next((OUTCOME_NOUNS[n] for t in near if (n := _noun(t))), None)
    if base in PROPOSAL_VERBS:
        nouns = PROPOSAL_VERBS[base]
        named = any(_ends_in(t, nouns) for t in (*before, *after))
        # "følger op på", and the participles "følgende forslag", "faldende"
        if not named or after[:1] == ["op"] or tokens[i].endswith("nde"):
            return None
    if _attributive(tokens, i):
        return None
    needed = COMPLEMENTS.get(base)
    if needed and needed.isdisjoint(after) and not _passive_alone(base, tokens[i]):
        return None
    return OUTCOME_LEMMAS[base]


def _attributive(tokens: list[str], i: int) -> bool:
    """A participle set before its noun is an adjective, no act: "med de faldne
    bemærkninger", "den vedtagne plan", "de godkendte takster"."""
    return i > 0 and tokens[i - 1] in DETERMINERS and tokens[i].endswith("e")


def _passive_alone(base: str, token: str) -> bool:
    """ "Orienteringen blev noteret", "noteres": the passive of a reflexive verb
    needs no "sig" (only for verbs whose passive means the outcome)."""
    return base in PASSIVE_OUTCOMES and token.endswith(("t", "s"))


def _ends_in(token: str, nouns: tuple[str, ...]) -> bool:
    """Whether ``token`` is one of ``nouns``, inflected or as a compound's end."""
    return any(token.endswith(n + e) for n in nouns for e in NOUN_ENDINGS)


def _noun(token: str) -> str | None:
    """The outcome noun ``token`` is a form of ("afslaget" → "afslag"), or None."""
    return next((n for n in OUTCOME_NOUNS if _ends_in(token, (n,))), None)


def main_outcomes(sentence: str) -> list[DecisionLabel]:
    """The outcomes the verbs of the sentence's main clause record, forwarding
    aside (it needs the rules' "til <body>")."""
    return [
        label
        for label, _ in _outcomes(main_clause(sentence))
        if label is not DecisionLabel.FORWARDED
    ]


def names_outcome(clause: str) -> bool:
    """Whether a decision verb stands in ``clause``, in any tense or voice."""
    return bool(_outcomes(clause))


def records_act(sentence: str) -> bool:
    """Whether the sentence's main clause says, in the past, that something was
    decided ("Udvalget afslog ansøgningen", "Sagen blev udsat"), as a decision
    does and a proposal ("at ansøgningen afslås") does not."""
    return any(past for _, past in _outcomes(main_clause(sentence)))


def verb_features(text: str) -> list[str]:
    """What the decision verbs of ``text`` record, as features for the model: the
    outcome and its tense, "main" or "sub" clause ("afvist past main", "godkendt
    present sub"), so that a verb the training data never showed, or an inflection
    of one, weighs as the known verbs of its outcome do."""
    features = []
    for sentence in sentences(text):
        main = main_clause(sentence)
        for clause, where in ((main, "main"), (sentence[len(main) :], "sub")):
            for label, past in _outcomes(clause):
                tense = "past" if past else "present"
                features += [label.value, f"{label.value} {tense} {where}"]
    return features
