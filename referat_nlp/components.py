"""spaCy pipeline components wrapping the rule-based extractors.

Four factories, usable in any spaCy pipeline (``nlp.add_pipe("referat_amounts")``):

* ``referat_amounts`` — money (label ``MONEY``), :mod:`referat_nlp.extract.amounts`
* ``referat_case_numbers`` — ``case_number`` / ``doc_number``,
  :mod:`referat_nlp.extract.case_numbers`
* ``referat_dates`` — ``date`` / ``time``, :mod:`referat_nlp.extract.dates`
* ``referat_names`` — ``ORG`` / ``PERSON``, :mod:`referat_nlp.extract.names`

Each adds its spans to the span group ``doc.spans["referat"]`` rather than to
``doc.ents``, because the extractors' results may overlap (a date inside a
case-number line, an ISO timestamp that is both a date and a time) and
``doc.ents`` forbids overlaps. The spans are ordinary labelled spans, so
``doc.ents = spacy.util.filter_spans(doc.spans["referat"])`` turns them into
entities when wanted. A span covers whole tokens (``alignment_mode="expand"``);
the extractor's exact result, with its character offsets, is in
``span._.referat`` (an :class:`~referat_nlp.document.Amount` or
:class:`~referat_nlp.document.Span`) and its normalised value in
``span._.referat_value`` (``Decimal`` for amounts, strings otherwise).

The factories are registered when this module is imported (spaCy's decorator
does that) and, for installed packages, through the ``spacy_factories`` entry
points in ``pyproject.toml``, so ``spacy.blank("da").add_pipe("referat_dates")``
works without importing anything from ``referat_nlp`` first. The ``Span``
extension attributes are registered when a component is created, never at import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from referat_nlp.document import Amount, Span
from referat_nlp.extract import amounts, case_numbers, dates, names

SPAN_KEY = "referat"
MONEY_LABEL = "MONEY"
EXTENSIONS = ("referat", "referat_value")

Extractor = Callable[[str], Iterable[Amount | Span]]


def register_extensions() -> None:
    """Register ``Span._.referat`` and ``Span._.referat_value`` once.

    Both are getters over ``doc.user_data`` keyed by offsets *and label*:
    spaCy keys plain extension values by character offsets only, which would
    let a date and a time on the same token overwrite each other. The stored
    payload is the result's JSON, so ``Doc.to_bytes`` (and multiprocess
    ``nlp.pipe``) keep working.
    """
    for name, getter in zip(EXTENSIONS, (_get_result, _get_value), strict=True):
        if not SpacySpan.has_extension(name):
            SpacySpan.set_extension(name, getter=getter)


def _key(span: SpacySpan) -> str:
    return f"{SPAN_KEY}:{span.start_char}:{span.end_char}:{span.label_}"


def _get_result(span: SpacySpan) -> Amount | Span | None:
    stored = span.doc.user_data.get(_key(span))
    if stored is None:
        return None
    kind, payload = stored
    model = Amount if kind == "amount" else Span
    return model.model_validate_json(payload)


def _get_value(span: SpacySpan) -> Decimal | str | None:
    result = _get_result(span)
    return _value(result) if result is not None else None


def _label(result: Amount | Span) -> str:
    return result.label if isinstance(result, Span) else MONEY_LABEL


def _value(result: Amount | Span) -> Decimal | str | None:
    if isinstance(result, Amount):
        return result.value_dkk if result.value_dkk is not None else result.value
    return result.value


class ExtractorComponent:
    """A pipeline component running one extractor over ``doc.text``."""

    def __init__(self, name: str, extract: Extractor) -> None:
        self.name = name
        self.extract = extract
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        group = list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
        for result in self.extract(doc.text):
            span = doc.char_span(
                result.start, result.end, label=_label(result), alignment_mode="expand"
            )
            if span is None:
                continue
            kind = "amount" if isinstance(result, Amount) else "span"
            doc.user_data[_key(span)] = (kind, result.model_dump_json())
            group.append(span)
        group.sort(key=lambda s: (s.start_char, s.end_char))
        doc.spans[SPAN_KEY] = group
        return doc


@Language.factory("referat_amounts")
def make_amounts(nlp: Language, name: str) -> ExtractorComponent:
    """Money amounts normalised to DKK (``span._.referat_value``)."""
    return ExtractorComponent(name, amounts.find)


@Language.factory("referat_case_numbers")
def make_case_numbers(nlp: Language, name: str) -> ExtractorComponent:
    """Case numbers (``case_number``) and document numbers (``doc_number``)."""
    return ExtractorComponent(name, case_numbers.find)


@Language.factory("referat_dates")
def make_dates(nlp: Language, name: str) -> ExtractorComponent:
    """Dates (ISO value) and clock times ("HH:MM")."""
    return ExtractorComponent(name, dates.find)


@Language.factory("referat_names")
def make_names(nlp: Language, name: str) -> ExtractorComponent:
    """Organisations (``ORG``) and persons (``PERSON``) from rules and gazetteers."""
    return ExtractorComponent(name, names.find)


FACTORIES = (
    "referat_amounts",
    "referat_case_numbers",
    "referat_dates",
    "referat_names",
)


def make_nlp() -> Language:
    """A blank Danish pipeline with all four components (no model download)."""
    import spacy

    nlp = spacy.blank("da")
    for factory in FACTORIES:
        nlp.add_pipe(factory)
    return nlp
