"""Dates and times: numeric, written and ISO forms, clock times, and distractors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from referat_nlp.extract import dates

# (text, matched text, ISO value)
DATES = [
    ("Mødet den 28-09-2020 i lokale B", "28-09-2020", "2020-09-28"),
    ("Dato: 28.09.2020", "28.09.2020", "2020-09-28"),
    ("Dato: 04.12.2012 Side 3", "04.12.2012", "2012-12-04"),
    ("Sendt 28/9/2020 til høring", "28/9/2020", "2020-09-28"),
    ("DIR 28-9-20 - indkøb", "28-9-20", "2020-09-28"),
    ("Referat den 11.09.17 godkendt", "11.09.17", "2017-09-11"),
    ("Notat af 3.1.99 vedlagt", "3.1.99", "1999-01-03"),
    ("Notat af 3.1.69 vedlagt", "3.1.69", "2069-01-03"),
    ("Notat af 3.1.70 vedlagt", "3.1.70", "1970-01-03"),
    ("Mandag d. 28. september 2020 kl. 10", "28. september 2020", "2020-09-28"),
    ("holdt d. 28. sept. 2020 på rådhuset", "28. sept. 2020", "2020-09-28"),
    ("frist 1. okt. 2018", "1. okt. 2018", "2018-10-01"),
    ("Torsdag, 20 juni, 2019 - 18:00", "20 juni, 2019", "2019-06-20"),
    ("den 1.juli 2023", "1.juli 2023", "2023-07-01"),
    ("møde den 15. maj\n2023 kl. 17", "15. maj\n2023", "2023-05-15"),
    ("Dato 2020-09-28", "2020-09-28", "2020-09-28"),
    ("2025-10-01T17:30:00+02:00", "2025-10-01", "2025-10-01"),
    ("Skudår: 29-02-2024", "29-02-2024", "2024-02-29"),
]


@pytest.mark.parametrize(("text", "matched", "value"), DATES)
def test_dates(text: str, matched: str, value: str) -> None:
    found = [s for s in dates.find(text) if s.label == "date"]
    assert [(s.text, s.value) for s in found] == [(matched, value)]
    assert text[found[0].start : found[0].end] == matched


# (text, matched text, value)
TIMES = [
    ("Kl. 10.15-10.30 Øvrige sager", "10.15-10.30", "10:15-10:30"),
    ("kl. 10-10.15 Diverse", "10-10.15", "10:00-10:15"),
    ("Kl. 12-13 Temadrøftelse", "12-13", "12:00-13:00"),
    ("Mødet begynder Kl. 19:00.", "19:00", "19:00"),
    ("20. juni 2013 -kl. 10:30", "10:30", "10:30"),
    ("kl. 13.00 til kl. 15.00", "13.00 til kl. 15.00", "13:00-15:00"),
    ("kl. 9.00 – 10.00", "9.00 – 10.00", "09:00-10:00"),
    ("Torsdag, 20 juni, 2019 - 18:00", "18:00", "18:00"),
    ("fra 16:00 - 17:00 i salen", "16:00 - 17:00", "16:00-17:00"),
    ("2025-10-01T17:30:00+02:00", "17:30:00+02:00", "17:30"),
    ("Mødet starter kl. 8", "8", "08:00"),
]


@pytest.mark.parametrize(("text", "matched", "value"), TIMES)
def test_times(text: str, matched: str, value: str) -> None:
    found = [s for s in dates.find(text) if s.label == "time"]
    assert [(s.text, s.value) for s in found] == [(matched, value)]
    assert text[found[0].start : found[0].end] == matched


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2020",
        "30.02.2019",
        "32. januar 2020",
        "tirsdag den 27. maj",  # no year: no ISO value
        "00.01.00-A00-1-19",
        "Sagsnr. 2012-28504",
        "Sagsnr. 19/24995",
        "skoleåret 2019/20",
        "1.316.000 kr.",
        "Skatten er 24,59 pct.",
        "Punkt 1: Program",
        "Budget 2020-2023",
        "afsnit 6.1 og 10.30",
        "Version 1.2.3",
    ],
)
def test_not_dates_or_times(text: str) -> None:
    assert dates.find(text) == ()


def test_offset_shifts_positions() -> None:
    (span,) = dates.find("den 28-09-2020", offset=100)
    assert (span.start, span.end) == (104, 114)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mandag d. 28. september 2020 kl. 10:00", dt.date(2020, 9, 28)),
        ("04.12.2012", dt.date(2012, 12, 4)),
        ("2025-10-01T17:30:00+02:00", dt.date(2025, 10, 1)),
        ("Beslutning i Økonomiudvalget den 03-12-2018", dt.date(2018, 12, 3)),
        ("tirsdag den 27. maj", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert dates.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mandag d. 28. september 2020 kl. 10:00", ("10:00", None)),
        ("kl. 10.15-10.30", ("10:15", "10:30")),
        ("2025-10-01T17:30:00+02:00", ("17:30", None)),
        ("Mødedato 28-09-2020", None),
    ],
)
def test_parse_time(text: str, expected: tuple[str, str | None] | None) -> None:
    assert dates.parse_time(text) == expected


def test_meeting_dates_of_the_real_minutes(shared_corpus: Path) -> None:
    """The first date in the first 1500 characters is the meeting date."""
    right = total = 0
    for gold_path in sorted((shared_corpus / "dev").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        head = gold_path.with_suffix(".txt").read_text(encoding="utf-8")[:1500]
        found = dates.parse_date(head)
        total += 1
        right += (found.isoformat() if found else None) == gold["meeting_date"]
    assert right / total >= 0.95


@pytest.mark.parametrize(
    ("text", "span", "iso"),
    [
        (
            "Aar 1952, den 3. Marts, Kl. 19,30 holdt",
            "Aar 1952, den 3. Marts",
            "1952-03-03",
        ),
        ("År 1965 den 12. januar afholdtes", "År 1965 den 12. januar", "1965-01-12"),
        ("Aaret 1938 d. 1ste Juni", "Aaret 1938 d. 1ste Juni", "1938-06-01"),
        ("Mødet den 7/4 1952 i Skolen", "7/4 1952", "1952-04-07"),
        ("Mødet den 7/4-1952", "7/4-1952", "1952-04-07"),
        ("den 3die Marts 1952", "3die Marts 1952", "1952-03-03"),
        ("den 2den Februar 1944", "2den Februar 1944", "1944-02-02"),
        ("den 21de Juni 1950", "21de Juni 1950", "1950-06-21"),
    ],
)
def test_the_date_forms_of_old_minute_books(text: str, span: str, iso: str) -> None:
    found = [s for s in dates.find(text) if s.label == "date"]
    assert [(s.text, s.value) for s in found] == [(span, iso)]


@pytest.mark.parametrize(
    "text", ["skoleåret 2018/19", "sag 19/24995", "31/2 1952", "Aar 1952 blev"]
)
def test_no_old_style_date_where_there_is_none(text: str) -> None:
    assert not [s for s in dates.find(text) if s.label == "date"]


def test_a_clock_time_with_a_decimal_comma_after_kl() -> None:
    assert dates.parse_time("Kl. 19,30 holdt Sogneraadet Møde") == ("19:30", None)
