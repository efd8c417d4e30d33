"""Minute books: a file of several meetings is split at the lines that open them."""

from __future__ import annotations

import pytest

from referat_nlp.pipeline import _first_date
from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout, meetings
from referat_nlp.structure.layout import Text


def _text(text: str) -> Text:
    return layout.clean([Block(line) for line in text.split("\n")])


def _split(text: str) -> list[meetings.MeetingText]:
    return meetings.split(_text(text), _first_date)


def _first_lines(parts: list[meetings.MeetingText]) -> list[str]:
    return [
        next(line.stripped for line in p.text.lines if line.stripped) for p in parts
    ]


@pytest.mark.parametrize(
    "opening",
    [
        "Aar 1952, den 3. Marts, Kl. 19,30 holdt Sogneraadet Møde i Skolen.",
        "Mødet den 3/3 1952 Kl. 19,30 i Skolen.",
        "Tirsdag den 13. Maj 1952 Kl. 20 Sogneraadsmøde paa Kroen.",
        "Det ordinære Sogneraadsmøde den 7/4-1952.",
        "3. Marts 1952. Sogneraadet samledes i Skolen.",
        "År 1965 den 12. januar holdt sognerådet møde.",
        "Ekstraordinært Møde den 1ste Juni 1950 Kl. 14.",
    ],
)
def test_each_opening_form_starts_a_meeting(opening: str) -> None:
    text = (
        f"Aar 1952, den 4. Februar holdt Sogneraadet Møde.\n\n1. Regnskab.\nGodkendt."
        f"\n\n{opening}\n\n1. Skrivelse fra Amtet.\nTaget til Efterretning."
    )
    assert _first_lines(_split(text))[1] == opening


@pytest.mark.parametrize(
    "line",
    [
        # an item that refers to a meeting, a sub-point, a decision that dates one
        "1. Godkendelse af referat fra mødet den 23. juni 2016",
        "6.1 Formandsmødet den 4. september 2013",
        "Den 21. september 2020 godkendte direktionen, at der afholdes en temadag.",
        # a table-of-contents entry
        "Program for direktionsmøde 15-03-2021.....\t3",
        # the meeting word too far from the date
        "Den 3. marts 2021 besluttede udvalget at udsætte sagen til et senere møde.",
    ],
)
def test_lines_that_only_mention_a_meeting_do_not_split(line: str) -> None:
    text = (
        f"Byrådet\nMøde den 2. marts 2021 kl. 17.00\n\n1. Budget\n\n{line}\n\n"
        "2. Eventuelt\nIntet."
    )
    assert len(_split(text)) == 1


def test_one_opening_is_one_meeting() -> None:
    """A modern referat dates its meeting once: it is not split there."""
    parts = _split("Byrådet\n\nMødet den 5. maj 2020 kl. 17.00\n\n1. Budget\nGodkendt.")
    assert len(parts) == 1 and parts[0].start == 0


def test_meetings_cover_the_text_and_end_before_their_close() -> None:
    text = (
        "Aar 1938, den 3. Marts holdt Sogneraadet Møde.\n\n1. Regnskab.\nGodkendt.\n\n"
        "Mødet hævet Kl. 21,15.\nJ. Mikkelsen.   P. Andersen.\n\n"
        "Mødet den 7/4 1938 i Skolen.\n\n1. Skrivelse.\nUdsat.\n\n"
        "Hvorefter Mødet hævedes.\nJ. Mikkelsen."
    )
    doc = _text(text)
    parts = meetings.split(doc, _first_date)
    assert [(p.start, p.end) for p in parts] == [
        (0, text.index("Mødet den")), (text.index("Mødet den"), len(doc.text)),
    ]  # fmt: skip
    for part in parts:  # the close and the signatures are outside the items' lines
        assert not any("hæve" in line.text for line in part.text.lines)
        assert part.text.text.rstrip().endswith(("Godkendt.", "Udsat."))


PROSE = (
    "Aar 1929, den 14. Januar, Kl. 19 holdt Sogneraadet Møde i Skolen.\n"
    "Fraværende: Hans Olsen.\n\n"
    "Der forelaa et Andragende fra Husmand Rasmus Hansen om Hjælp til en Ko. "
    "Bevilget 200 Kr.\n\n"
    "Formanden oplæste en Skrivelse fra Amtet. Andelen udgør 1.845 Kr. Taget til "
    "Efterretning.\n\n"
    "Mødet hævet.\nChr. Rasmussen   L. Pedersen"
)


def test_a_prose_meeting_is_one_item_per_paragraph() -> None:
    (part,) = _split(PROSE)
    parts = meetings.prose_items(part)
    assert parts is not None
    assert parts.header[-1].text == "Fraværende: Hans Olsen."
    doc = part.text.text
    got = [(i.number, i.title, doc[i.decision[0] : i.decision[1]]) for i in parts.items]
    assert got == [
        ("1", "", "Bevilget 200 Kr."),
        ("2", "", "Taget til Efterretning."),
    ]


def test_a_modern_referat_is_not_read_as_prose() -> None:
    (part,) = _split("Byrådet\n\nReferat\n\nSagen blev drøftet. Intet at bemærke.")
    assert part.opening is None and meetings.prose_items(part) is None


def test_wrapped_prose_splits_where_a_short_line_ends_a_sentence() -> None:
    """OCR of a dusty scan: no blank lines, but each matter's last line is short."""
    wide = "x" * 80
    text = (
        "Aar 1929, den 14. Januar holdt Sogneraadet Møde.\n"
        f"Der forelaa et Andragende om Hjælp {wide}\nBevilget.\n"
        f"Skrivelse fra Amtet angaaende Vejene {wide}\n"
        "og Broerne. Taget til Efterretning.\n"
    )
    (part,) = _split(text)
    parts = meetings.prose_items(part)
    assert parts is not None and len(parts.items) == 2


@pytest.mark.parametrize(
    ("sentences", "last"),
    [
        ("Andelen udgør 1.845 Kr. Taget til Efterretning.", "Taget til Efterretning."),
        (
            "Stien overtages fra 1. April at regne.",
            "Stien overtages fra 1. April at regne.",
        ),
        ("Valgt blev Jens Kr. Mikkelsen.", "Valgt blev Jens Kr. Mikkelsen."),
        ("Regnskabet fremlagdes. Det blev godkendt.", "Det blev godkendt."),
        ("Formanden oplyste: Tilskud er bevilget.", "Tilskud er bevilget."),
        ("Bevilget.", "Bevilget."),
    ],
)
def test_last_sentence(sentences: str, last: str) -> None:
    assert sentences[meetings.last_sentence(sentences, 0, len(sentences)) :] == last
