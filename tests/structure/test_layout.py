"""Layout cleanup: running headers, page numbers, hyphenation, offsets."""

from __future__ import annotations

import textwrap

from referat_nlp.readers.blocks import Block
from referat_nlp.structure import layout


def _pages(*pages: list[str]) -> list[Block]:
    return [Block(text, page=n) for n, lines in enumerate(pages, 1) for text in lines]


def test_running_header_dropped_after_first_page() -> None:
    header = ["Teknikudvalget", "Referat", "Dato: 14.03.2022"]
    blocks = _pages(
        [*header, "Side 1", "1. Godkendelse af dagsorden", "Godkendt."],
        [*header, "Side 2", "2. Vejplan", "Tekst om vejplanen."],
        [*header, "Side 3", "3. Eventuelt", "Intet."],
    )
    text = layout.clean(blocks).text
    assert text.count("Dato: 14.03.2022") == 1
    assert "Side 2" not in text
    assert "Side 3" not in text
    assert "2. Vejplan" in text


def test_first_pages_foot_is_furniture_but_a_header_only_page_is_kept() -> None:
    """Text copied out of a typed protocol: each page line ends the page before
    (paginate's cut), so the first page's foot is the next page's header; a first
    page that is only the header block keeps it (it names body and date)."""
    body = "Tekst om sagen.\nMere tekst om sagen.\n"
    pages = (
        f"1. Regnskab\n{body}Godkendt.\n"
        "Kommunalbestyrelsen 22.4.1986 - side 2\n"
        f"2. Vejplan\n{body}Tekst.\n"
        "Kommunalbestyrelsen 22.4.1986 - side 3\n"
        f"3. Eventuelt\n{body}Intet.\n"
    )
    text = layout.clean([Block(line) for line in pages.splitlines()]).text
    assert "side 2" not in text and "side 3" not in text
    assert "Godkendt.\n2. Vejplan" in text
    header = ["Teknikudvalget", "Dato: 14.03.2022", "Side 1"]
    blocks = _pages(header, ["Teknikudvalget", "Dato: 14.03.2022", "Side 2", "Tekst."])
    assert "Dato: 14.03.2022" in layout.clean(blocks).text


def test_footer_page_numbers_removed() -> None:
    blocks = _pages(
        ["1. Punkt", "Tekst.", "Side 1 af 2"], ["Mere tekst.", "Side 2 af 2"]
    )
    assert "af 2" not in layout.clean(blocks).text


def test_hyphenated_line_break_rejoined() -> None:
    blocks = _pages(["Der afsættes midler til bygnings-", "vedligeholdelse i 2023."])
    assert "bygningsvedligeholdelse i 2023." in layout.clean(blocks).text


def test_hyphen_kept_before_conjunction_and_short_stems() -> None:
    blocks = _pages(
        [
            "Sagen behandles i Teknik-",
            "og Miljøudvalget. Der er ikke-",
            "planlagte opgaver.",
        ]
    )
    text = layout.clean(blocks).text
    assert "Teknik-\nog Miljøudvalget" in text
    assert "ikke-planlagte" in text


def test_unpaged_text_is_kept_verbatim() -> None:
    blocks = [Block("Side 1"), Block("bygnings-"), Block("vedligeholdelse")]
    assert layout.clean(blocks).text == "Side 1\nbygnings-\nvedligeholdelse"


def test_offsets_point_into_text() -> None:
    doc = layout.clean(
        [Block("Til toppen"), Block("første"), Block(""), Block("anden")]
    )
    assert doc.text == "første\n\nanden"
    for line in doc.lines:
        assert doc.text[line.start : line.end] == line.text


COLLAPSED = (
    "Referat Økonomiudvalget Fraværende: Ida Holm 1. Godkendelse af dagsorden "
    "Sagsnr.: 11/1043 Åben Beslutning Godkendt. 2. Salg af grund Sagsnr.: 10/6671 "
    "Åben Sagsfremstilling Grunden er udbudt pr. 30. april. Der er kommet to bud, "
    "og det højeste er fra en lokal virksomhed. Indstilling "
    "Forvaltningen indstiller, at grunden sælges. Beslutning Godkendt."
)


def test_a_collapsed_page_is_cut_where_its_lines_began() -> None:
    lines = [line.text for line in layout.clean([Block(COLLAPSED, page=1)]).lines]
    assert lines[1:5] == [
        "1. Godkendelse af dagsorden",
        "Sagsnr.: 11/1043",
        "Åben",
        "Beslutning",
    ]
    assert any(
        line.startswith("Grunden er udbudt pr. 30. april. Der") for line in lines
    )
    assert lines[-2:] == ["Beslutning", "Godkendt."]


def test_a_collapsed_page_wrapped_over_pdf_lines_is_unfolded() -> None:
    wrapped = textwrap.wrap(COLLAPSED, 80)
    lines = [b.text for b in layout.unfold([Block(w, page=1) for w in wrapped])]
    assert "1. Godkendelse af dagsorden" in lines and "2. Salg af grund" in lines


def test_a_long_ordinary_paragraph_is_left_whole() -> None:
    text = "Udvalget drøftede sagen. " * 20 + "Beslutning om budget følger."
    assert [b.text for b in layout.unfold([Block(text, page=1)])] == [text]
