"""Benchmark the search index: build speed and query latency at 100,000+ items.

Generates varied copies of the test referater (tests/search_fixtures.py): other
municipalities, bodies, dates over 20 years, item titles and texts recombined
from the fixtures' sentences plus compound words, amounts and case numbers. They
are written as JSONL shards and indexed from there, as ``referat-nlp index``
would. Then a fixed set of queries with filters runs repeatedly.

    python benchmarks/bench_index.py                 # 100,000 items, SQLite
    python benchmarks/bench_index.py --items 20000   # quicker
    python benchmarks/bench_index.py --pg postgresql://referat:referat@127.0.0.1/referat_test

Targets on the 2-core development machine (SQLite): build ≥ 2,000 items/s and
query p95 ≤ 50 ms at 100,000 items.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from referat_nlp.document import (  # noqa: E402
    Amount,
    Decision,
    DecisionLabel,
    Item,
    Meeting,
    Referat,
    Section,
    Source,
)
from referat_nlp.search import index  # noqa: E402
from referat_nlp.search import query as q  # noqa: E402
from tests.search_fixtures import SPECS  # noqa: E402

MUNICIPALITIES = (
    "Aabenraa", "Aalborg", "Aarhus", "Faxe", "Middelfart", "Brønderslev", "Rødovre",
    "Høje-Taastrup", "Hvidovre", "Hedensted", "Hørsholm", "Fredensborg", "Stevns",
    "Greve", "Ballerup", "Syddjurs", "Odense", "Esbjerg", "Vejle", "Køge",
)  # fmt: skip
BODIES = (
    "Byrådet", "Økonomiudvalget", "Teknik- og Miljøudvalget", "Børne- og Skoleudvalget",
    "Social- og Sundhedsudvalget", "Kultur- og Fritidsudvalget", "Ældrerådet",
    "Plan- og Boligudvalget", "Beskæftigelsesudvalget", "Direktionen",
)  # fmt: skip
STEMS = (
    "skole", "vej", "bolig", "affalds", "klima", "ældre", "dag", "idræts", "kultur",
    "miljø", "sundheds", "trafik", "havne", "natur", "energi", "bibliotek", "vand",
    "erhvervs", "plejecenter", "musik", "cykel", "kloak", "park", "borger",
)  # fmt: skip
HEADS = (
    "plan", "aftale", "bevilling", "pulje", "strategi", "rapport", "projekt",
    "ordning", "område", "center", "budget", "regulativ", "politik", "renovering",
)  # fmt: skip
ENDINGS = ("", "en", "er", "erne", "s")
PLACES = (
    "Aabybro", "Aalestrup", "Haderslev", "Kolding", "Vordingborg", "Nørresundby",
    "Tranbjerg", "Skærbæk", "Hundested", "Løgstør", "Ærøskøbing", "Rødby",
)  # fmt: skip
PARTIES = (
    "Handicaprådet", "Ældrerådet", "skolebestyrelsen", "MED-udvalget",
    "grundejerforeningen", "Landdistriktsrådet", "Ungdomsrådet", "borgerne",
)  # fmt: skip
# Our own sentence frames; {c} is a compound word, {p} a place, {g} a party.
TEMPLATES = (
    "{C} i {p} forventes afsluttet i løbet af året.",
    "Forvaltningen foreslår, at {c} prioriteres i budgetlægningen.",
    "Der er holdt møde med {g} om {c}.",
    "Projektet finansieres af {c} og {c}.",
    "Udvalget orienteres om status for {c} i {p}.",
    "Sagen har været i høring hos {g}, som støtter {c}.",
    "{C} evalueres efter to år, og resultatet forelægges udvalget.",
    "Administrationen vurderer, at {c} kan gennemføres inden for rammen.",
)
LABELS = (
    DecisionLabel.APPROVED, DecisionLabel.APPROVED, DecisionLabel.NOTED,
    DecisionLabel.RECOMMENDED, DecisionLabel.POSTPONED, DecisionLabel.DISCUSSED,
    DecisionLabel.REJECTED, DecisionLabel.OTHER,
)  # fmt: skip
DECISIONS = {
    DecisionLabel.APPROVED: "Indstillingen godkendt.",
    DecisionLabel.NOTED: "Orienteringen blev taget til efterretning.",
    DecisionLabel.RECOMMENDED: "Anbefales over for byrådet.",
    DecisionLabel.POSTPONED: "Punktet udsættes til næste møde.",
    DecisionLabel.DISCUSSED: "Udvalget drøftede sagen.",
    DecisionLabel.REJECTED: "Ikke godkendt.",
    DecisionLabel.OTHER: "Ingen bemærkninger.",
}
# (query, filters): typical searches, most with a filter
QUERIES: tuple[tuple[str, dict], ...] = (
    ("indkøbsaftaler", {}),
    ("godkendte", {"municipality": "Aalborg"}),
    ("svømmehal renovering", {"decision": "godkendt"}),
    ("Åbybro", {"date_from": "2015", "date_to": "2019"}),
    ("skolebusser", {"body": "skoleudvalg"}),
    ("klimaplan*", {}),
    ('"godkendte indstillingen"', {"date_from": "2020"}),
    ("affaldsordningen OR affaldsregulativet", {}),
    ("budgettet -anlæg", {"min_amount": 1_000_000}),
    ("trafikpolitik", {"max_amount": 500_000}),
    ("", {"case": "12/1932"}),
    ("anlægsbevilling", {"min_amount": 5_000_000, "max_amount": 20_000_000}),
    ("boligområder", {"decision": "anbefalet", "municipality": "Odense"}),
    ("elladestandere", {}),
    ("sundhedspolitikken", {"body": "sundhed", "date_to": "2012"}),
    ("vandplan", {"decision": "udskudt"}),
)


def sentence_pool() -> list[str]:
    """Every fixture sentence, to recombine into item texts."""
    pool = []
    for spec in SPECS:
        for item in spec.items:
            for _, text in item.sections:
                pool += [s.strip() + "." for s in text.split(". ") if s.strip()]
    return pool


def compound(rng: random.Random) -> str:
    return rng.choice(STEMS) + rng.choice(HEADS) + rng.choice(ENDINGS)


def make_item(
    rng: random.Random, pool: list[str], number: int, base: int
) -> tuple[Item, str]:
    """One agenda item of about 100 words; ``base`` is its offset in the referat.

    Two fixture sentences and several framed sentences with generated compound
    words, so a specific word is in a few percent of the items while "godkendt"
    is in about half, as in real minutes (Greve: 54 %).
    """
    title = f"{compound(rng).capitalize()} i {rng.choice(PLACES)}"
    framed = [
        rng.choice(TEMPLATES).format(
            C=compound(rng).capitalize(), c=compound(rng), p=rng.choice(PLACES),
            g=rng.choice(PARTIES),
        )
        for _ in range(rng.randint(4, 7))
    ]  # fmt: skip
    body = " ".join(rng.sample(pool, 2) + framed)
    value = rng.choice((75_000, 350_000, 1_200_000, 4_500_000, 18_500_000, 4.2e9))
    printed = f"{Decimal(value):,.0f} kr.".replace(",", ".")
    body += f" Udgiften er {printed}"
    label = rng.choice(LABELS)
    decision = DECISIONS[label]
    text = f"{number}. {title}\nSagsfremstilling\n{body}\nBeslutning\n{decision}\n"
    at, body_at, decision_at = (base + text.index(s) for s in (printed, body, decision))
    item = Item(
        number=str(number), title=title,
        case_numbers=(f"{rng.randint(10, 24)}/{rng.randint(1, 40000)}",),
        sections=(Section(heading="Sagsfremstilling", kind="Sagsfremstilling",
                          text=body, start=body_at, end=body_at + len(body)),
                  Section(heading="Beslutning", kind="Beslutning", text=decision,
                          start=decision_at, end=decision_at + len(decision))),
        decision=Decision(text=decision, label=label, method="rule",
                          start=decision_at, end=decision_at + len(decision)),
        amounts=(Amount(text=printed, value_dkk=Decimal(value), start=at,
                        end=at + len(printed)),),
        pages=(number,),
    )  # fmt: skip
    return item, text


def make_referat(rng: random.Random, pool: list[str], n: int) -> Referat:
    items, text = [], ""
    for number in range(1, rng.randint(2, 5) + 1):
        item, item_text = make_item(rng, pool, number, len(text))
        items.append(item)
        text += item_text
    day = f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Referat(
        source=Source(path=f"bench/{n:06d}.pdf", format="pdf",
                      sha256=hashlib.sha256(f"{n}{text}".encode()).hexdigest()),
        meeting=Meeting(municipality=rng.choice(MUNICIPALITIES),
                        body=rng.choice(BODIES), date=day),
        items=tuple(items), text=text,
    )  # fmt: skip


def write_shards(folder: Path, n_items: int, seed: int) -> tuple[int, int]:
    """Write JSONL shards with at least ``n_items`` items; (referater, items)."""
    rng, pool = random.Random(seed), sentence_pool()
    docs = items = 0
    shard = None
    while items < n_items:
        if docs % 2000 == 0:
            if shard:
                shard.close()
            shard = (folder / f"shard-{docs // 2000:03d}.jsonl").open("w")
        referat = make_referat(rng, pool, docs)
        shard.write(referat.to_json(indent=None) + "\n")
        docs, items = docs + 1, items + len(referat.items)
    if shard:
        shard.close()
    return docs, items


def match_counts(db: str) -> list[int]:
    """How many items each query's words match, before filters (SQLite)."""
    with sqlite3.connect(db) as conn:
        return [
            conn.execute(
                "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?",
                (q.to_fts5(node),),
            ).fetchone()[0]
            if (node := q.parse(text)) is not None
            else 0
            for text, _ in QUERIES
        ]


def time_queries(db: str, rounds: int) -> list[float]:
    """Milliseconds per ``index.search`` call over all queries, ``rounds`` times."""
    for text, filters in QUERIES:  # warm the caches once
        index.search(db, text, **filters)
    times = []
    for _ in range(rounds):
        for text, filters in QUERIES:
            start = time.perf_counter()
            index.search(db, text, **filters)
            times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, db: str, shards: Path, rounds: int) -> None:
    start = time.perf_counter()
    stats = index.build(db, [shards], rebuild=True)
    seconds = time.perf_counter() - start
    times = sorted(time_queries(db, rounds))
    p95 = times[int(0.95 * (len(times) - 1))]
    hits = [len(index.search(db, t, **f)) for t, f in QUERIES]
    print(
        f"[{name}] indexed {stats.items:,} items in {seconds:.1f} s: "
        f"{stats.items / seconds:,.0f} items/s"
    )
    print(f"[{name}] {len(times)} queries ({len(QUERIES)} × {rounds}): "
          f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms; hits per query {hits}")  # fmt: skip
    if not index.is_postgres(db):
        print(f"[{name}] items matching each query's words: {match_counts(db)}")
    load = os.getloadavg()[0]
    print(f"[{name}] load average {load:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--pg", help="also benchmark this PostgreSQL URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shards = Path(tmp) / "json"
        shards.mkdir()
        start = time.perf_counter()
        docs, items = write_shards(shards, args.items, args.seed)
        print(f"generated {docs:,} referater, {items:,} items "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        report("sqlite", str(Path(tmp) / "bench.db"), shards, args.rounds)
        if args.pg:
            report("postgresql", args.pg, shards, args.rounds)


if __name__ == "__main__":
    main()
