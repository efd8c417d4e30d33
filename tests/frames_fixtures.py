"""Data for the frames, history, plots and case-CLI tests.

``corpus_json`` parses the bundled ``corpus/*.txt`` once per test session (the
same JSON ``referat-nlp parse corpus/*.txt --out DIR`` writes). ``sample_referat``
is built in code, written for these tests, and holds what the corpus lacks in one
place: a euro amount, VAT, a range, an unclassified decision, party letters,
attachment text, a bilag that no item lists, pages and a warning.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from referat_nlp.document import (
    Amount,
    Attachment,
    Decision,
    DecisionLabel,
    Item,
    Meeting,
    Referat,
    Source,
)
from referat_nlp.export import write_json
from referat_nlp.pipeline import parse

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@cache
def _parsed(folder: Path) -> Path:
    for path in sorted(CORPUS.glob("[0-9][0-9][0-9].txt")):
        write_json(parse(path), folder / f"{path.stem}.json")
    return folder


def corpus_json(factory: pytest.TempPathFactory) -> Path:
    """A folder with one JSON per corpus text, parsed once per session."""
    return _parsed(factory.getbasetemp() / "corpus-json")


def sample_referat(sha: str = "sample") -> Referat:
    """One meeting with two items; ``sha`` seeds the source hash (the meeting key)."""
    return Referat(
        source=Source(
            path="samples/sample.pdf",
            sha256=hashlib.sha256(sha.encode()).hexdigest(),
            format="pdf",
            pages=4,
        ),
        meeting=Meeting(
            municipality="Favrskov",
            body="Teknik- og Miljøudvalget",
            date="2020-02-03",
            start_time="16:00",
            location="Mødelokale 1",
            participants=("Anne Holm (A)", "Bo Nørgaard (V)", "Carl Vinther"),
            absent=("Bo Nørgaard (V)",),
        ),
        items=(
            Item(
                number="1",
                title="Renovering af Hadsten Skole - anlægsbevilling",
                case_numbers=("Sagsnr.: 20/ 1234",),
                doc_numbers=("4567/20",),
                open=True,
                decision=Decision(
                    text="Anbefales over for Byrådet.",
                    label=DecisionLabel.RECOMMENDED,
                    confidence=0.9,
                    method="rule",
                ),
                amounts=(
                    Amount(
                        text="12,5 mio. kr.",
                        value_dkk=Decimal("12500000"),
                        value=Decimal("12.5"),
                        start=10,
                        end=23,
                    ),
                    Amount(
                        text="2-3 mio. kr.",
                        value_dkk=Decimal("2000000"),
                        value=Decimal("2"),
                        value_max=Decimal("3000000"),
                        start=30,
                        end=42,
                    ),
                    Amount(
                        text="40.000 EUR",
                        value_dkk=None,
                        currency="EUR",
                        value=Decimal("40000"),
                        approximate=True,
                        vat="ekskl",
                        start=50,
                        end=60,
                    ),
                ),
                attachments=(
                    Attachment(
                        title="Tegninger",
                        file="bilag1.pdf",
                        sha256="ab" * 32,
                        text="Facade mod vest",
                    ),
                ),
                pages=(2, 3),
            ),
            Item(
                number="2",
                title="Eventuelt",
                open=None,
                decision=Decision(text="Intet at bemærke."),
            ),
        ),
        attachments=(
            Attachment(
                title="Trafiktælling Vestergade",
                file="bilag/trafiktaelling-vestergade.pdf",
                sha256="cd" * 32,
                text="Døgntrafik 4.200 køretøjer",
            ),
        ),
        warnings=("table of contents lists 3 items, 2 were found",),
    )


def meeting(
    seed: str,
    body: str,
    date: str,
    labels: tuple[str | None, ...],
    amounts: tuple[tuple[str, int], ...] = (),
    municipality: str = "Favrskov",
) -> Referat:
    """A meeting whose items have these decision labels (None: no decision);
    ``amounts`` (text, DKK) all go to the first item."""
    items = tuple(
        Item(
            number=str(n),
            title=f"Punkt {n} på mødet {seed}",
            decision=None
            if label is None
            else Decision(text="Beslutningstekst.", label=DecisionLabel(label)),
            amounts=tuple(
                Amount(text=text, value_dkk=Decimal(value), start=0, end=len(text))
                for text, value in amounts
            )
            if n == 1
            else (),
        )
        for n, label in enumerate(labels, 1)
    )
    return Referat(
        source=Source(
            path=f"{seed}.pdf",
            sha256=hashlib.sha256(seed.encode()).hexdigest(),
            format="pdf",
        ),
        meeting=Meeting(municipality=municipality, body=body, date=date),
        items=items,
    )
