"""Money amounts: every documented form, distractors, hostile input, real minutes."""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from referat_nlp.extract import amounts

D = Decimal

# (sentence, matched text, value_dkk)
FORMS = [
    ("Tilbagebetalingen udgør 1,25 mio. kr. i alt.", "1,25 mio. kr.", D("1250000")),
    ("Kommunen køber ind for 650 mio. kr. årligt.", "650 mio. kr.", D("650000000")),
    ("Kommunerne køber for 100 mia. kr. om året.", "100 mia. kr.", D("100000000000")),
    ("Der bevilges kr. 125.000 til projektet.", "kr. 125.000", D("125000")),
    ("Der bevilges 125.000 kr. til projektet.", "125.000 kr.", D("125000")),
    ("Prisen er 125.000,- kr. for hele året.", "125.000,- kr.", D("125000")),
    ("Tilskud til udflugten 15.000,-", "15.000,-", D("15000")),
    ("Kr. 125.000,- udbetales i marts.", "Kr. 125.000,-", D("125000")),
    (
        "Regnskabet viser kr. 1.234.567,50 i udgifter.",
        "kr. 1.234.567,50",
        D("1234567.5"),
    ),
    ("Et mindreforbrug på 271.697,53 kr. overføres.", "271.697,53 kr.", D("271697.53")),
    ("Rammen er t.kr. 500 i 2024.", "t.kr. 500", D("500000")),
    ("Rammen er 500 tkr. i 2024.", "500 tkr.", D("500000")),
    ("Rammen er 500 t.kr. i 2024.", "500 t.kr.", D("500000")),
    ("Tilskuddet er 39 t kr. pr. år.", "39 t kr.", D("39000")),
    (
        "Kontrakten lyder på DKK 3.000.000 ekskl. optioner.",
        "DKK 3.000.000",
        D("3000000"),
    ),
    (
        "Der er afsat 3 millioner kroner til formålet.",
        "3 millioner kroner",
        D("3000000"),
    ),
    ("Det koster en halv mio. kr. at gennemføre.", "en halv mio. kr.", D("500000")),
    ("Der overføres mere end én mio. kr. til næste år.", "én mio. kr.", D("1000000")),
    ("Der gives 1 mio.kr. til puljen.", "1 mio.kr.", D("1000000")),
    (
        "Der er bevilget 24,2 mio. kroner til anlægget.",
        "24,2 mio. kroner",
        D("24200000"),
    ),
    ("Udgiften er ca. 1.4 mio. kr. i alt.", "1.4 mio. kr.", D("1400000")),
    ("Udgiften er 0,233 mio. kr. i 2025.", "0,233 mio. kr.", D("233000")),
    ("Saldoen er 4.600.000,00 kr. ved årets udgang.", "4.600.000,00 kr.", D("4600000")),
    ("Billetten koster 100 kr. mere.", "100 kr.", D("100")),
    ("Beløbet er 250 DKK.", "250 DKK", D("250")),
    ("Beløbet er 250 kr", "250 kr", D("250")),
    (
        "Huslejen er 1\u00a0250\u00a0000 kr. årligt.",
        "1\u00a0250\u00a0000 kr.",
        D("1250000"),
    ),
    ("Prisen er 20 tusind kroner.", "20 tusind kroner", D("20000")),
    ("Anlægget koster 1,2 mia. kr.", "1,2 mia. kr.", D("1200000000")),
    ("Budgettet er 2,5 millioner kr.", "2,5 millioner kr.", D("2500000")),
]


@pytest.mark.parametrize(("sentence", "matched", "value"), FORMS)
def test_forms(sentence: str, matched: str, value: Decimal) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert amount.value_dkk == value
    assert amount.currency == "DKK"
    assert sentence[amount.start : amount.end] == matched


def test_offset_shifts_positions() -> None:
    sentence = "Udgiften er 2 mio. kr."
    (amount,) = amounts.find(sentence, offset=1000)
    assert (amount.start, amount.end) == (1012, 1022)
    assert amount.text == "2 mio. kr."


def test_amount_wrapped_over_a_line_break() -> None:
    text = "Heraf foreslås anvendt 1.316.000\nkr. til ejendomme."
    (amount,) = amounts.find(text)
    assert amount.text == "1.316.000\nkr."
    assert amount.value_dkk == D("1316000")


def test_magnitude_on_the_next_line() -> None:
    text = "tilsagn om en bevilling på 3,2\n    mio. kr. fordelt over perioden"
    (amount,) = amounts.find(text)
    assert amount.value_dkk == D("3200000")
    assert text[amount.start : amount.end] == "3,2\n    mio. kr."


@pytest.mark.parametrize(
    ("sentence", "matched", "approximate"),
    [
        ("Udgiften er ca. 2 mio. kr. årligt.", "2 mio. kr.", True),
        ("Udgiften er cirka 20.000 kr. årligt.", "20.000 kr.", True),
        ("Tilskud ca. 15.000,-", "15.000,-", True),
        ("Indkøb for op mod 100 mia. kr. om året.", "100 mia. kr.", True),
        ("Udgiften er 2 mio. kr. årligt.", "2 mio. kr.", False),
    ],
)
def test_approximate(sentence: str, matched: str, approximate: bool) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert amount.approximate is approximate


@pytest.mark.parametrize(
    ("sentence", "matched", "lower", "upper"),
    [
        ("Prisen skønnes til 2-3 mio. kr.", "2-3 mio. kr.", D(2_000_000), D(3_000_000)),
        ("Prisen er 2 - 3 mio. kr.", "2 - 3 mio. kr.", D(2_000_000), D(3_000_000)),
        (
            "Prisen er mellem 2 og 3 mio. kr. i alt.",
            "mellem 2 og 3 mio. kr.",
            D(2_000_000),
            D(3_000_000),
        ),
        (
            "Overskuddet ventes at blive ca. 150-160 mio. kr.",
            "150-160 mio. kr.",
            D(150_000_000),
            D(160_000_000),
        ),
        (
            "En pris på 500.000-1 mio. kr. er realistisk.",
            "500.000-1 mio. kr.",
            D(500_000),
            D(1_000_000),
        ),
        (
            "Prisen er 20.000 til 30.000 kr.",
            "20.000 til 30.000 kr.",
            D(20_000),
            D(30_000),
        ),
    ],
)
def test_ranges(sentence: str, matched: str, lower: Decimal, upper: Decimal) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert (amount.value_dkk, amount.value, amount.value_max) == (lower, lower, upper)


@pytest.mark.parametrize(
    ("sentence", "matched", "value"),
    [
        ("Resultatet blev -250.000 kr. i 2023.", "-250.000 kr.", D(-250_000)),
        ("Resultatet blev minus 2 mio. kr. i 2023.", "minus 2 mio. kr.", D(-2_000_000)),
        ("Afvigelse ÷ 45.000 kr.", "÷ 45.000 kr.", D(-45_000)),
        ("Afvigelse kr. -45.000 i alt.", "kr. -45.000", D(-45_000)),
    ],
)
def test_negatives(sentence: str, matched: str, value: Decimal) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert amount.value_dkk == value


@pytest.mark.parametrize(
    ("sentence", "matched", "vat"),
    [
        ("Firmaet tilbagebetalte 1,25 mio. kr. inkl. moms.", "1,25 mio. kr.", "inkl"),
        ("Prisen er 120.000 kr. ekskl.   moms.", "120.000 kr.", "ekskl"),
        ("Prisen er 120.000 kr. eksklusive moms.", "120.000 kr.", "ekskl"),
        ("Prisen er 120.000 kr. (inkl. moms).", "120.000 kr.", "inkl"),
        ("Prisen er 120.000 kr. + moms.", "120.000 kr.", "ekskl"),
        ("Prisen er 120.000 kr. i alt.", "120.000 kr.", None),
    ],
)
def test_vat(sentence: str, matched: str, vat: str | None) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert amount.vat == vat


@pytest.mark.parametrize(
    ("sentence", "matched", "currency", "value"),
    [
        ("Tilskuddet fra EU er € 40.000.", "€ 40.000", "EUR", D(40_000)),
        ("Tilskuddet fra EU er 40.000 EUR.", "40.000 EUR", "EUR", D(40_000)),
        ("Tilskuddet fra EU er 40.000 euro.", "40.000 euro", "EUR", D(40_000)),
        ("Tilskuddet fra EU er 1,5 mio. euro.", "1,5 mio. euro", "EUR", D(1_500_000)),
        ("Licensen koster USD 2.500 om året.", "USD 2.500", "USD", D(2_500)),
    ],
)
def test_other_currencies(
    sentence: str, matched: str, currency: str, value: Decimal
) -> None:
    (amount,) = amounts.find(sentence)
    assert amount.text == matched
    assert amount.currency == currency
    assert amount.value == value
    assert amount.value_dkk is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Budgettet for 2024 blev vedtaget i oktober 2023.",
        "Skatten hæves med 2 pct. fra næste år.",
        "Stigningen er 3,5 % i forhold til sidste år.",
        "Punkt 7 blev behandlet før punkt 12.",
        "Mødet blev holdt den 28.09.2020 kl. 10.15.",
        "Mødet begynder kl. 19:00 og slutter 21.30.",
        "Der er 1.250 elever og 75 lærere på skolen.",
        "Ring på tlf. 43 35 10 00 for at tilmelde dig.",
        "Tabel 2. Anlægsregnskab (1.000 kr.)",
        "Tabel 2. Anlægsregnskab (i 1.000 kr.)",
        "Beløb i 1.000 kr.",
        "Skoleåret 2019/20 og 2025/2026 er omfattet.",
        "Der afsættes 2 mio. til formålet.",  # no currency marker: corpus rule
        "Budget 162.000 og forbrug 127.266",
        "Indtægter i kr.\n156.343\n30.000",
        "Alle beløb i mio. kr. 2024-priser.",
        "Beløb i kr. 2022 2023",
        "Sagsnr. 2012-28504 og projekt nr. 650260.",
        "Skole,- Børne- og Ungeudvalget",
        "Tryk af 100 stk. T-shirts.",
        "Regnskab 2021-kr. er anvendt.",
    ],
)
def test_not_money(sentence: str) -> None:
    assert amounts.find(sentence) == ()


def test_several_amounts_in_text_order() -> None:
    text = (
        "Der bevilges 150.000 kr. i oktober og 150.000 kr. i januar, i alt 300.000 kr"
    )
    found = amounts.find(text)
    assert [a.value_dkk for a in found] == [D(150_000), D(150_000), D(300_000)]
    assert [a.start for a in found] == sorted(a.start for a in found)


def test_amount_followed_by_a_year() -> None:
    text = "Der er afsat 2,964 mio. kr. 2024 og 500 kr. 2025"
    assert [a.value_dkk for a in amounts.find(text)] == [D(2_964_000), D(500)]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.316.000", D(1_316_000)),
        ("271.697,53", D("271697.53")),
        ("1,25", D("1.25")),
        ("1.4", D("1.4")),
        ("2500", D(2500)),
        ("1\u00a0250", D(1250)),
    ],
)
def test_parse_number(raw: str, value: Decimal) -> None:
    assert amounts.parse_number(raw) == value


PATHOLOGICAL = {
    "digits": "1" * 100_000,
    "thousands": "1.000" * 20_000,
    "nbsp groups": "100\u00a0" * 25_000,
    "spaced digits": "1 " * 50_000,
    "markers": "kr. " * 25_000,
    "between": "mellem 2 og " * 9_000,
    "dashes": "2-" * 50_000,
    "minus": "minus " * 16_000,
    "whitespace": "1" + " " * 100_000 + "kr",
    "words": "en halv " * 12_000,
    "price suffix": "1,-" * 33_000,
    "newlines": "1\n" * 50_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_is_fast(text: str) -> None:
    started = time.perf_counter()
    amounts.find(text)
    assert time.perf_counter() - started < 2.0


# --- the real minutes -------------------------------------------------------

PDF_STEMS = (
    "ballerup_sundheds-og-forebyggelsesudvalget_2012-12-04_referat",
    "syddjurs_puk_2013-06-20_referat",
)
BLOCK_TAGS = ("p", "li", "div", "h1", "h2", "h3", "h4", "br", "tr", "td", "th", "u")


def _html_text(html: str) -> str:
    """FirstAgenda item HTML as text: a line break after block elements only,
    so that "1<span>20.000 kr.</span>" stays one figure."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(BLOCK_TAGS):
        tag.append("\n")
    return soup.get_text()


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _gold_values(items: list[dict]) -> list[float]:
    return [a["dkk"] for item in items for a in item["amounts"]]


def _real_documents(corpus: Path) -> list[tuple[str, str, list[float]]]:
    """(name, text, gold amounts) per dev document, PDF and Greve item."""
    docs = []
    for gold_path in sorted((corpus / "dev").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        docs.append((gold_path.stem, text, _gold_values(gold["items"])))
    real = corpus / "real"
    for stem in PDF_STEMS:
        gold = json.loads((real / f"{stem}.gold.json").read_text(encoding="utf-8"))
        text = _pdf_text(real / f"{stem}.pdf")
        docs.append((stem, text, _gold_values(gold["items"])))
    for gold_path in sorted(real.glob("greve_*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        by_number = {item["number"]: item for item in gold["items"]}
        raw_path = gold_path.with_name(gold_path.name.replace(".gold", ""))
        raw = json.loads(raw_path.read_text(encoding="utf-8"))
        for item in raw["Dagsordenpunkter"]:
            text = "\n".join(_html_text(f["Html"] or "") for f in item["Felter"])
            gold_item = by_number.get(item["Punktnummer"])
            values = _gold_values([gold_item]) if gold_item else []
            docs.append((f"{gold_path.stem}#{item['Punktnummer']}", text, values))
    return docs


def _found_values(text: str) -> list[float]:
    """Found DKK values; a range counts as both ends, as the gold annotates it."""
    values = []
    for amount in amounts.find(text):
        if amount.value_dkk is not None:
            values.append(float(amount.value_dkk))
            if amount.value_max is not None:
                values.append(float(amount.value_max))
    return values


def test_real_minutes_f1(shared_corpus: Path) -> None:
    """Multiset of exact values per document (per item for Greve) against gold."""
    tp = fp = fn = 0
    misses = []
    for name, text, gold in _real_documents(shared_corpus):
        found, expected = Counter(_found_values(text)), Counter(gold)
        tp += sum((found & expected).values())
        fp += sum((found - expected).values())
        fn += sum((expected - found).values())
        if found != expected:
            misses.append((name, dict(found - expected), dict(expected - found)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert tp > 200, "the real corpus should hold a few hundred amounts"
    assert f1 >= 0.95, (precision, recall, misses)


@pytest.mark.parametrize(
    ("text", "span", "dkk"),
    [
        ("et Beløb af 325 Kr. 50 Øre til", "325 Kr. 50 Øre", Decimal("325.50")),
        ("Kassebeholdning 1.212 Kr. 37 Øre.", "1.212 Kr. 37 Øre", Decimal("1212.37")),
        ("Betaling 75 Øre pr. Time", "75 Øre", Decimal("0.75")),
        ("Kr. 12,50 til Porto", "Kr. 12,50", Decimal("12.50")),
    ],
)
def test_ore_in_old_minutes(text: str, span: str, dkk: Decimal) -> None:
    found = amounts.find(text)
    assert [(a.text, a.value_dkk) for a in found] == [(span, dkk)]


def test_no_ore_is_added_to_an_amount_in_millions() -> None:
    (found,) = [a for a in amounts.find("2 mio. kr. 50 øre") if "mio" in a.text]
    assert found.value_dkk == Decimal(2_000_000)
