"""Danish normalisation and stemming for the search index.

Neither SQLite FTS5 nor a plain tokenizer knows Danish, so the index stores a
*shadow text*: every word folded and stemmed the way this module does it, and
queries go through the same functions. The PostgreSQL back end gets the folded
words unstemmed and stems them with its built-in ``danish`` configuration, which
runs the same Snowball algorithm.

Folding rules (Danish collation, DS 377):

* lower case; accents dropped (``idé`` → ``ide``, ``Müller`` → ``muller``);
* æ, ø and å stay letters of their own; ``ä``/``ö`` count as ``æ``/``ø``;
* ``aa`` counts as ``å`` (``Aabenraa`` → ``åbenrå``), for the old spelling;
* a letter–hyphen–letter compound is one word (``el-biler`` → ``elbiler``);
* the Snowball Danish stop words are dropped (PostgreSQL drops the same list).

Stemming uses PyStemmer: the Snowball project's own C implementation, maintained,
with wheels for every platform, and about ten times faster than the pure-Python
``snowballstemmer`` (which would itself use PyStemmer when it is installed). Speed
matters here because every word of every item passes through it at index time.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import Stemmer

# A word, or words joined by hyphens: "el-biler", "COVID-19-situationen". Letter
# compounds become one word; anything with digits splits, so "18/18284" is the
# words "18" "18284" and a case number is found as a phrase.
RE_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Characters that may need folding: anything outside ASCII except æ/ø/å ("é", "ä").
RE_FOLDABLE = re.compile(r"[^\x00-\x7fæøå]")
# The old double-a spelling of å: "Aabenraa", "Aalborg", "paa".
RE_AA = re.compile(r"aa")

# Snowball's Danish stop list, as shipped by Snowball and PostgreSQL (danish.stop).
# fmt: off
STOP_WORDS = frozenset({
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som", "på", "de", "med",
    "han", "af", "for", "ikke", "der", "var", "mig", "sig", "men", "et", "har", "om",
    "vi", "min", "havde", "ham", "hun", "nu", "over", "da", "fra", "du", "ud", "sin",
    "dem", "os", "op", "man", "hans", "hvor", "eller", "hvad", "skal", "selv", "her",
    "alle", "vil", "blev", "kunne", "ind", "når", "være", "dog", "noget", "ville", "jo",
    "deres", "efter", "ned", "skulle", "denne", "end", "dette", "mit", "også", "under",
    "have", "dig", "anden", "hende", "mine", "alt", "meget", "sit", "sine", "vor",
    "mod", "disse", "hvis", "din", "nogle", "hos", "blive", "mange", "ad", "bliver",
    "hendes", "været", "thi", "jer", "sådan",
})
# fmt: on
# Letters that Danish collation treats as æ and ø rather than as accented a and o.
DANISH_EQUIVALENTS = {"ä": "æ", "ö": "ø"}
KEPT_LETTERS = frozenset("æøå")
RING_ABOVE = "\u030a"  # kept, so that "ǻ" folds to "å", not "a"


@functools.cache
def _fold_table() -> dict[int, str]:
    """Map lower-case accented Latin letters to their base letter, keeping æ/ø/å."""
    table = {ord(k): v for k, v in DANISH_EQUIVALENTS.items()}
    for code in range(0xC0, 0x250):
        char = chr(code)
        if char in KEPT_LETTERS or code in table or not char.islower():
            continue
        kept = (
            c
            for c in unicodedata.normalize("NFKD", char)
            if c == RING_ABOVE or not unicodedata.combining(c)
        )
        base = unicodedata.normalize("NFC", "".join(kept))
        if base and base != char:
            table[code] = base
    return table


@functools.cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("danish", 100_000)


def fold(text: str) -> str:
    """Case and accent folding that keeps æ/ø/å: "Aabenraa Idé" → "åbenrå ide"."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    table = _fold_table()
    # re.sub with a callback beats str.translate here: few characters need folding.
    text = RE_FOLDABLE.sub(lambda m: table.get(ord(m[0]), m[0]), text.lower())
    return RE_AA.sub("å", text)


def words(text: str) -> list[str]:
    """Folded words without stop words: "Indkøbsaftaler for el-biler" → [indkøbsaftaler,
    elbiler]."""
    found: list[str] = []
    for token in RE_TOKEN.findall(fold(text)):
        if "-" not in token:
            found.append(token)
        elif (joined := token.replace("-", "")).isalpha():
            found.append(joined)
        else:
            found.extend(token.split("-"))
    return [w for w in found if w not in STOP_WORDS]


def stem_words(folded: Iterable[str]) -> list[str]:
    """Snowball-stem folded words; words with digits stay as they are.

    PostgreSQL's ``danish`` configuration sends words with digits ("p20", "2019")
    to the ``simple`` dictionary, unstemmed, so this does the same.
    """
    folded = list(folded)
    stems = _stemmer().stemWords(folded)
    return [s if w.isalpha() else w for w, s in zip(folded, stems, strict=True)]


def terms(text: str) -> list[str]:
    """Index terms: "godkendte indkøbsaftaler" → [godkend, indkøbsaftal]."""
    return stem_words(words(text))


def shadow(text: str) -> str:
    """The stemmed shadow text the SQLite index stores for ``text``."""
    return " ".join(terms(text))
