"""spaCy components: factories, span groups, extension values, entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from referat_nlp import components
from referat_nlp.document import Amount

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "Sagsnr.: 19/24995\n"
    "Mødet den 28-09-2020 kl. 10.15-10.30. ØDC betaler 1,25 mio. kr. inkl. moms "
    "til KL, jf. Birgit Elleby Jørgensen. Tidsstempel 2025-10-01T17:30:00+02:00"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return components.make_nlp()


def _spans(doc: Doc) -> list[tuple[str, str, object]]:
    return [(s.label_, s.text, s._.referat_value) for s in doc.spans["referat"]]


def test_make_nlp_has_all_components(nlp: Language) -> None:
    assert nlp.lang == "da"
    assert nlp.pipe_names == list(components.FACTORIES)


def test_spans_and_values(nlp: Language) -> None:
    doc = nlp(TEXT)
    assert _spans(doc) == [
        ("case_number", "19/24995", "19/24995"),
        ("date", "28-09-2020", "2020-09-28"),
        ("time", "10.15-10.30", "10:15-10:30"),
        ("ORG", "ØDC", None),
        ("MONEY", "1,25 mio. kr.", Decimal(1_250_000)),
        ("ORG", "KL", None),
        ("PERSON", "Birgit Elleby Jørgensen", None),
        ("date", "2025-10-01T17:30:00+02:00", "2025-10-01"),
        ("time", "2025-10-01T17:30:00+02:00", "17:30"),
    ]


def test_char_offsets_match_the_extractors(nlp: Language) -> None:
    """Spans cover whole tokens; they equal the extractor's offsets except where
    a token is longer than the result (the ISO timestamp is one token)."""
    doc = nlp(TEXT)
    spans = list(doc.spans["referat"])
    for span in spans:
        result = span._.referat
        assert TEXT[result.start : result.end] == result.text
        assert span.start_char <= result.start < result.end <= span.end_char
    exact = [s for s in spans if "T17" not in s.text]
    assert len(exact) == len(spans) - 2
    assert all(
        (s.start_char, s.end_char) == (s._.referat.start, s._.referat.end)
        for s in exact
    )


def test_amount_object_is_kept(nlp: Language) -> None:
    doc = nlp("Prisen er 1,25 mio. kr. inkl. moms.")
    (span,) = doc.spans["referat"]
    assert isinstance(span._.referat, Amount)
    assert span._.referat.vat == "inkl"
    assert span._.referat.value_dkk == Decimal(1_250_000)


def test_foreign_currency_value_is_the_amount_in_that_currency(nlp: Language) -> None:
    doc = nlp("Tilskud på 40.000 EUR fra EU-puljen.")
    (span,) = doc.spans["referat"]
    assert span._.referat.currency == "EUR"
    assert span._.referat_value == Decimal(40_000)


def test_spans_are_entity_compatible(nlp: Language) -> None:
    doc = nlp(TEXT)
    doc.ents = spacy.util.filter_spans(doc.spans["referat"])
    assert {e.label_ for e in doc.ents} >= {"MONEY", "ORG", "PERSON", "date"}


def test_single_component_on_a_blank_pipeline() -> None:
    nlp = spacy.blank("da")
    nlp.add_pipe("referat_case_numbers")
    doc = nlp("Sagsnr.: 2011-29298\nDok.nr.: 2012-205876, 2012-196779")
    assert _spans(doc) == [
        ("case_number", "2011-29298", "2011-29298"),
        ("doc_number", "2012-205876", "2012-205876"),
        ("doc_number", "2012-196779", "2012-196779"),
    ]


def test_existing_spans_in_the_group_are_kept() -> None:
    nlp = spacy.blank("da")
    nlp.add_pipe("referat_dates")
    doc = nlp.make_doc("Mødet den 28-09-2020 i Aarhus")
    doc.spans["referat"] = [doc.char_span(23, 29, label="GPE")]
    doc = nlp.get_pipe("referat_dates")(doc)
    assert [s.label_ for s in doc.spans["referat"]] == ["date", "GPE"]


def test_doc_serialisation_keeps_values(nlp: Language) -> None:
    doc = nlp("Der bevilges 271.697,53 kr. den 4. december 2012.")
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert _spans(restored) == _spans(doc)
    assert restored.spans["referat"][0]._.referat_value == Decimal("271697.53")


def test_pipe_over_several_texts(nlp: Language) -> None:
    texts = ["Udgift 2 mio. kr.", "Mødet 04.12.2012", "Intet at bemærke."]
    labels = [[s.label_ for s in doc.spans["referat"]] for doc in nlp.pipe(texts)]
    assert labels == [["MONEY"], ["date"], []]


def _run(code: str, extra_path: Path | None = None) -> str:
    paths = [str(ROOT)] + ([str(extra_path)] if extra_path else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return done.stdout.strip()


def test_extensions_are_not_registered_at_import() -> None:
    code = (
        "import referat_nlp.extract.amounts, referat_nlp.extract.case_numbers\n"
        "import referat_nlp.extract.dates, referat_nlp.extract.names\n"
        "import referat_nlp.components\n"
        "from spacy.tokens import Span\n"
        "print(Span.has_extension('referat'), Span.has_extension('referat_value'))"
    )
    assert _run(code) == "False False"


def test_entry_points_register_the_factories(tmp_path: Path) -> None:
    """The ``spacy_factories`` entry points in pyproject.toml, installed as a
    distribution's metadata, let spaCy find the components by name alone."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = pyproject["project"]["entry-points"]["spacy_factories"]
    assert set(entry_points) == set(components.FACTORIES)
    dist_info = tmp_path / "referat_nlp_entry_points-0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: referat-nlp-entry-points\nVersion: 0.0\n"
    )
    lines = [f"{name} = {target}" for name, target in entry_points.items()]
    (dist_info / "entry_points.txt").write_text(
        "[spacy_factories]\n" + "\n".join(lines) + "\n"
    )
    code = (
        "import spacy\n"
        "nlp = spacy.blank('da')\n"
        f"for name in {list(entry_points)!r}:\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('Sagsnr.: 19/24995 den 28-09-2020: 2 mio. kr. til KL')\n"
        "print(sorted({s.label_ for s in doc.spans['referat']}))"
    )
    assert _run(code, tmp_path) == "['MONEY', 'ORG', 'case_number', 'date']"
