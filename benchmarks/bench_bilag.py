"""Bilag grouping benchmark: ``python benchmarks/bench_bilag.py`` (about 15 seconds).

Builds one folder each of 1,000, 10,000 and 100,000 file names the way archives
name them (seeded, so every run gets the same names): dated minutes with their
bilag ("2019-03-14 Byrådet referat.pdf", "2019-03-14 Byrådet bilag 1 Budget.pdf"),
numbered ESDH files ("referat_123.pdf", "referat_123_bilag_1.pdf"), agenda-item
files ("Punkt 3 bilag 2.docx"), minutes with a folder of bilag named after them,
FirstAgenda exports, minutes with no minutes word in the name, and unrelated
files. Only the names exist: ``referat_nlp.archive.bilag.group`` groups ``(file, root)``
pairs without touching the disk. They come in path order, as ``discover.find``
yields them to ``batch``; ``--shuffled`` gives them in random order.

It reports, per size, the best of ``--repeat`` groupings, the growth against the
size 10 × smaller, and the time against a reference measured in the same run, since
the shared 2-core machine's load moves absolute times: one linear pass over the
same paths (each file's folder and stem into a dict). Its ratio stays level when
grouping is linear and grows 10 × per 10 × files when it is quadratic.

Target (issue 10): near-linear growth, 10–15 × the time for 10 × the files where
the quadratic grouping before it took about 100 × (0.5 s for 1,000 files, 8.2 s
for 4,000); held as grouping ÷ reference growing at most 1.5 × per 10 × the files
(quadratic: 10 ×), since on this machine even the linear reference takes 15–20 ×
from 10,000 to 100,000 files (memory and garbage collection).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from referat_nlp.archive import bilag

BODIES = (
    "Byrådet", "Økonomiudvalget", "ØU", "BU", "Teknik- og Miljøudvalget",
    "Børne- og Skoleudvalget", "Ældrerådet", "Kultur- og Fritidsudvalget",
)  # fmt: skip
TITLES = (
    "Budget", "Budgetopfølgning pr 29022024 - samlet oversigt", "Takstblad 2025",
    "Oversigt over udbud 2024-2025", "Kort", "Notat", "Høringssvar fra Ældrerådet",
    "Status på indkøbsstrategiens handleplan 2019 (004)-2", "Lokalplan 12",
)  # fmt: skip
SUFFIXES = (".pdf", ".pdf", ".pdf", ".docx", ".PDF", ".txt")
# growth of grouping ÷ the linear reference for 10 × the files: 1 when linear
TARGET_DRIFT = 1.5
ARCHIVE = Path("/arkiv")


def meeting(chance: random.Random) -> list[str]:
    """The file names of one meeting, in one of the archives' naming styles."""
    year, month, day = (
        chance.randint(*span) for span in ((2008, 2024), (1, 12), (1, 28))
    )
    date = f"{year}-{month:02d}-{day:02d}"
    body, suffix = chance.choice(BODIES), chance.choice(SUFFIXES)
    count, number = range(1, chance.randint(1, 7)), chance.randint(1, 99_999)
    styles: list[Callable[[], list[str]]] = [
        lambda: (
            [f"{date} {body} referat.pdf"]
            + [
                f"{date} {body} bilag {k} {chance.choice(TITLES)}{suffix}"
                for k in count
            ]
        ),
        lambda: (
            [f"referat_{number}{suffix}"]
            + [f"referat_{number}_bilag_{k}.pdf" for k in count]
        ),
        lambda: (
            [f"Punkt {number % 30} {chance.choice(TITLES)}.pdf"]
            + [f"Punkt {number % 30} bilag {k}.docx" for k in count]
        ),
        lambda: (
            [f"{body} {date}{suffix}"]
            + [f"{body} {date} bilag/{chance.choice(TITLES)} {k}.pdf" for k in count]
        ),
        lambda: (
            [f"Dagsorden med beslutninger {body} {date}{suffix}"]
            + [f"{chance.choice(TITLES)} ({k:03d})-2.docx" for k in count]
        ),
        lambda: (
            [f"{body.lower()}_{date}.json"]
            + [f"{body.lower()}_{date}_bilag_{k}.pdf" for k in count]
        ),
        lambda: (
            [f"{date} {body}{suffix}"] + [f"{date} {body} bilag {k}.pdf" for k in count]
        ),
    ]
    return chance.choice(styles)()


def unrelated(chance: random.Random) -> str:
    return chance.choice(
        (
            f"noter {chance.randint(1, 999)}.pdf",
            f"{chance.randint(0, 99_999):05d}.pdf",
            f"{chance.choice(TITLES)} {chance.randint(1, 9_999)}.docx",
            f"scan{chance.randint(1, 9_999)}.PDF",
        )
    )


def folder(size: int, seed: int, shuffled: bool) -> list[tuple[Path, Path]]:
    """``size`` distinct ``(file, root)`` pairs in one folder, in path order as
    ``discover.find`` yields them (or shuffled: grouping must not rely on it)."""
    chance, where = random.Random(seed), ARCHIVE / "referater"
    found: dict[Path, None] = {}
    while len(found) < size:
        names = [unrelated(chance)] if chance.random() < 0.05 else meeting(chance)
        found.update(dict.fromkeys(where / name for name in names))
    pairs = sorted((path, ARCHIVE) for path in list(found)[:size])
    if shuffled:
        chance.shuffle(pairs)
    return pairs


def linear_pass(paths: list[Path]) -> dict[tuple[Path, str], Path]:
    """The reference: work that surely grows linearly, on the same path objects."""
    return {(path.parent, path.stem.casefold()): path for path in paths}


def best(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs: the least disturbed by the machine's load."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def per_tenfold(small: tuple[int, float], large: tuple[int, float]) -> float:
    """How many times a figure grows for 10 × the files, from ``(files, figure)``
    at two sizes (the sizes need not be 10 × apart)."""
    return (large[1] / small[1]) ** (1 / math.log10(large[0] / small[0]))


COLUMNS = ("files", "groups", "grouping", "µs/file", "per 10 ×", "reference", "÷ ref.")


def row(*cells: str) -> str:
    return " ".join(f"{cell:>10}" for cell in cells)


def measure(size: int, args: argparse.Namespace) -> tuple[int, float, float]:
    """``(groups, grouping seconds, reference seconds)`` for one folder."""
    found = folder(size, args.seed, args.shuffled)
    paths = [path for path, _ in found]
    groups = len(bilag.group(found))  # also a warm-up
    seconds = best(lambda: bilag.group(found), args.repeat)
    return groups, seconds, best(lambda: linear_pass(paths), args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000]
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of this many")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--shuffled", action="store_true", help="files in random, not path, order"
    )
    args = parser.parse_args()
    print(row(*COLUMNS))
    times: list[tuple[int, float]] = []
    ratios: list[tuple[int, float]] = []
    for size in args.sizes:
        groups, seconds, reference = measure(size, args)
        growth = f"{per_tenfold(times[-1], (size, seconds)):.1f} ×" if times else ""
        times.append((size, seconds))
        ratios.append((size, seconds / reference))
        cells = (f"{seconds:.3f} s", f"{seconds / size * 1e6:.1f}", growth)
        ref = (f"{reference:.3f} s", f"{seconds / reference:.1f} ×")
        print(row(f"{size:,}", f"{groups:,}", *cells, *ref))
    growth = max(itertools.starmap(per_tenfold, itertools.pairwise(times)), default=0)
    drift = max(itertools.starmap(per_tenfold, itertools.pairwise(ratios)), default=0)
    met = "met" if drift <= TARGET_DRIFT else "MISSED"
    print(
        f"time per 10 × the files: worst {growth:.1f} × "
        "(near-linear ≈ 10–15 ×, quadratic ≈ 100 ×)"
    )
    print(
        f"÷ ref. per 10 × the files: worst {drift:.2f} × "
        f"(target ≤ {TARGET_DRIFT} ×: {met}; linear ≈ 1 ×, quadratic ≈ 10 ×)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
