"""Write ``referat_nlp/data/outcome_verbs.tsv``: every form of the decision verbs.

The forms come from spaCy's Danish lemma lookup table (the ``spacy-lookups-data``
package, a dev dependency): for each lemma of
:data:`referat_nlp.decisions.lemmas.TABLE_LEMMAS`, every form the table maps to
it. The shipped file holds only those (a few hundred lines), so parsing needs
neither the 98 MB package nor the half second it takes to load the table.

Regenerate after changing the lexicon: ``python -m tools.lemmas``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from referat_nlp.decisions.lemmas import TABLE, TABLE_LEMMAS


def lookup_table() -> dict[str, str]:
    """spaCy's Danish form → lemma table."""
    import spacy_lookups_data  # type: ignore[import-untyped]
    from spacy.util import load_language_data

    table = load_language_data(spacy_lookups_data.da["lemma_lookup"])
    assert isinstance(table, dict), "a lookup table is a JSON object"
    return {str(form): str(lemma) for form, lemma in table.items()}


def outcome_forms(
    table: dict[str, str], lemmas: Iterable[str]
) -> list[tuple[str, str]]:
    """(form, lemma) for every form of ``lemmas``, each lemma also a form of itself."""
    wanted = set(lemmas)
    pairs = {(form.lower(), lemma) for form, lemma in table.items() if lemma in wanted}
    pairs |= {(lemma, lemma) for lemma in wanted}
    return sorted(pairs)


def render(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{form}\t{lemma}\n" for form, lemma in pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    text = render(outcome_forms(lookup_table(), TABLE_LEMMAS))
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10))} forms of {len(TABLE_LEMMAS)} lemmas")


if __name__ == "__main__":
    main()
