"""Relevance check: Danish queries over the bundled corpus, parsed and indexed.

The corpus ``.txt`` files go through the real parser once, the index is built from
its JSON, and each query must put the items a reader of the minutes would expect
first. Expected items were chosen by reading ``corpus/NNN.txt`` (never by printing
search results) and are named by corpus document and item number as printed, e.g.
``("003", "344")``. The suite runs on SQLite and on PostgreSQL (skipped unless
REFERAT_TEST_PG is set, see ``.ci/postgres.sh``), like ``test_index.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from referat_nlp.pipeline import parse
from referat_nlp.search import index
from tests.search_fixtures import PG_SKIP, pg_dsn

ItemKey = tuple[str, str]  # (corpus document, item number as printed)


@pytest.fixture(scope="session")
def corpus_json(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus texts parsed once, as the JSON ``referat-nlp parse --out`` writes."""
    folder = tmp_path_factory.mktemp("corpus_json")
    for path in sorted(corpus_dir.glob("*.txt")):
        (folder / f"{path.stem}.json").write_text(parse(path).to_json(), "utf-8")
    return folder


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    corpus_json: Path,
) -> str:
    """An index of the parsed corpus on each back end."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("corpus_index") / "referater.db")
    else:
        target = pg_dsn("test_search_corpus") or pytest.skip(PG_SKIP)
    index.build(target, [corpus_json], rebuild=True)
    return target


def ranked(db: str, text: str, filters: dict) -> list[ItemKey]:
    hits = index.search(db, text, **filters)
    return [(Path(h.source_path or "").stem, h.item_number) for h in hits]


# (query, filters, groups of items expected first: each group fills the next ranks,
# in any order within the group)
RELEVANCE = [
    # Inflected forms: the query's form is not the one printed.
    pytest.param(
        "kunstgræsbanerne", {}, [{("007", "215"), ("015", "6")}], id="plural-definite"
    ),
    pytest.param(
        "takstbladene", {}, [{("003", "345"), ("015", "4")}], id="plural-of-singular"
    ),
    pytest.param(
        "trafikplanerne",
        {},
        [{("007", "216"), ("011", "7"), ("020", "5")}],
        id="plural-definite-in-titles",
    ),
    pytest.param(
        "kommunegarantien",
        {},
        [{("003", "347"), ("016", "5"), ("018", "4"), ("020", "2")}],
        id="definite-singular",
    ),
    pytest.param(
        "cykelstier",
        {},
        [{("019", "3")}, {("006", "4")}],  # title "cykelsti" before "cykelstien" text
        id="plural-title-first",
    ),
    pytest.param(
        "plejecentrenes",
        {},
        [{("004", "2")}, {("004", "6"), ("010", "4")}],  # plejecentre in the title
        id="genitive-plural",
    ),
    pytest.param(
        "biblioteket",
        {},
        # in titles; then in passing
        [{("003", "349"), ("014", "8")}, {("019", "4"), ("043", "3")}],
        id="definite-singular-titles-first",
    ),
    pytest.param(
        "vintertjenesten",
        {},
        # titles, then text only
        [{("005", "416"), ("013", "8")}, {("002", "3"), ("042", "2")}],
        id="definite-compound-titles-first",
    ),
    # Compounds: hyphenated or closed, and the first part of a compound.
    pytest.param("el-scooter", {}, [{("009", "2")}], id="hyphenated-compound"),
    pytest.param("elscooter", {}, [{("009", "2")}], id="closed-compound"),
    pytest.param("medorganisationen", {}, [{("001", "5")}], id="closed-for-hyphenated"),
    pytest.param(
        "fjernvarme*",
        {},
        [{("016", "5"), ("018", "4"), ("020", "2")}],  # Fjernvarme, fjernvarmeledninger
        id="compound-first-part",
    ),
    pytest.param(
        "vaccination*",
        {},
        [{("016", "3")}, {("001", "2")}],  # vaccinationsindsatsen in the title
        id="compound-prefix-title-first",
    ),
    # Old "aa" spellings of words printed with "å", and the other way round.
    pytest.param("Lilleaavej", {}, [{("019", "3")}], id="aa-street"),
    pytest.param("Allingaabro", {}, [{("005", "414")}], id="aa-town"),
    pytest.param("Kastbjerg Aa", {}, [{("005", "413")}], id="aa-river"),
    pytest.param(
        "aabningstider", {}, [{("003", "349"), ("014", "8")}], id="aa-inflected"
    ),
    pytest.param(
        "Års",
        {},
        [{("006", "6")}, {("006", "4"), ("006", "7")}],  # "Aars Vest" in a title
        id="å-for-printed-aa",
    ),
    pytest.param("Ålestrup", {}, [{("006", "7")}], id="å-for-printed-aa-town"),
]


# Relevance bugs reported to the lead: query → (back end, what goes wrong).
@pytest.mark.parametrize(("text", "filters", "groups"), RELEVANCE)
def test_relevance(db: str, text: str, filters: dict, groups: list) -> None:
    hits = ranked(db, text, filters)
    start = 0
    for group in groups:
        assert set(hits[start : start + len(group)]) == group, hits
        start += len(group)


# (query, filters, every item expected): filters must leave nothing else.
FILTERED = [
    # Case and document numbers, as a filter and as query text.
    pytest.param(
        "",
        {"case": "18/18284"},
        {("017", "3"), ("018", "3"), ("019", "2"), ("020", "3")},
        id="case-across-meetings",
    ),
    pytest.param(
        "18/18284",
        {},
        {("017", "3"), ("018", "3"), ("019", "2"), ("020", "3")},
        id="case-as-query-text",
    ),
    pytest.param(
        "", {"case": "Sagsnr.: 18/15540"}, {("018", "4"), ("020", "2")}, id="sagsnr"
    ),
    pytest.param("", {"case": "779-2019-01455"}, {("003", "344")}, id="sbsys-case"),
    pytest.param("", {"case": "Dok.nr.: 98650/18"}, {("018", "3")}, id="doc-number"),
    pytest.param("", {"case": "06.02.03-P20-2-18"}, {("005", "413")}, id="kle-jnr"),
    # Amount ranges (DKK).
    pytest.param(
        "",
        {"min_amount": 20_000_000, "max_amount": 25_000_000},
        {("006", "6"), ("018", "4"), ("020", "2")},
        id="amount-range-only",
    ),
    pytest.param(
        "anlægsbevilling",
        {"min_amount": 10_000_000, "max_amount": 30_000_000},
        # not Hinnerup's 34,6 mio. nor 9,8 mio.; 029's one-item page: 12,7 mio.
        {("006", "6"), ("013", "5"), ("029", "1")},
        id="amount-range-with-words",
    ),
    pytest.param(
        "kommunegaranti",
        {"max_amount": 5_000_000},
        {("003", "347")},  # "mellem 2 og 3 mio. kr."
        id="amount-max",
    ),
    # Decisions.
    pytest.param(
        "kommunegaranti",
        {"decision": "godkendt"},
        {("016", "5"), ("020", "2")},
        id="decision-godkendt",
    ),
    pytest.param(
        "daginstitution", {"decision": "udskudt"}, {("018", "3")}, id="decision-udskudt"
    ),
    pytest.param(
        "",
        {"decision": "afvist", "municipality": "Favrskov"},
        {("017", "5"), ("020", "4")},
        id="decision-and-municipality",
    ),
    # Body, municipality and meeting dates.
    pytest.param(
        "daginstitution",
        {"body": "Byrådet"},
        {("006", "6"), ("020", "3")},
        id="body",
    ),
    pytest.param("kommunegaranti", {"body": "økonomi"}, {("018", "4")}, id="body-part"),
    pytest.param(
        "kommunegaranti",
        {"municipality": "Favrskov"},
        {("018", "4"), ("020", "2")},
        id="municipality",
    ),
    pytest.param(
        "daginstitution",
        {"date_from": "2018-09-10", "date_to": "2018-10-20"},
        {("018", "3"), ("019", "2"), ("021", "2"), ("021", "3")},
        id="date-range",
    ),
    pytest.param(
        "budgetopfølgning",
        {"date_to": "2018"},
        # 024: Lemvig 2011, 038: Faaborg-Midtfyn 2017, "budgetopfølgningen"
        {("018", "2"), ("024", "2"), ("038", "9")},
        id="date-to-year",
    ),
]


@pytest.mark.parametrize(("text", "filters", "expected"), FILTERED)
def test_filtered(db: str, text: str, filters: dict, expected: set) -> None:
    hits = ranked(db, text, filters)
    assert set(hits) == expected, hits
    assert len(hits) == len(expected), hits
