"""Benchmark :func:`referat_nlp.analysis.frames.load`: peak memory and time, 100k items.

Parses the bundled ``corpus/*.txt`` once, then writes varied copies of that JSON
(other municipalities and bodies, dates over 20 years, varied titles, case numbers
and amounts, a fresh source hash per copy, the full document text kept) as JSONL
shards of about 10,000 items, as batch runs write them. Each load then runs in a
fresh Python process that reports its peak resident memory (VmHWM), so
the figure includes the interpreter, pandas and pyarrow, and nothing from the
generator.

    python benchmarks/bench_frames.py                    # 100,000 items, JSONL
    python benchmarks/bench_frames.py --items 20000      # quicker
    python benchmarks/bench_frames.py --parquet --sqlite # the other sources too
    python benchmarks/bench_frames.py --json             # one JSON line

Target (issue 6): loading 100,000 items stays under 1 GB. Exit code 1 when a load
goes over ``--limit-mb``.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNICIPALITIES = (
    "Favrskov", "Aarhus", "Skive", "Kalundborg", "Vordingborg", "Solrød", "Køge",
    "Tårnby", "Gladsaxe", "Norddjurs", "Assens", "Glostrup", "Rudersdal", "Odense",
    "Vejle", "Esbjerg", "Aalborg", "Greve", "Ballerup", "Syddjurs",
)  # fmt: skip
BODIES = (
    "Byrådet", "Økonomiudvalget", "Teknik- og Miljøudvalget", "Børne- og Ungeudvalget",
    "Social- og Sundhedsudvalget", "Kultur- og Fritidsudvalget", "Handicaprådet",
    "Plan- og Boligudvalget", "Beskæftigelsesudvalget", "Ældrerådet",
)  # fmt: skip
TITLE_SUFFIXES = ("", " - etape 2", " - fornyet behandling", " 2. del", " - tillæg")
SHARD_ITEMS = 10_000
YEARS = 20


def corpus_documents() -> list[dict[str, Any]]:
    """The corpus texts parsed as the JSON contract (dicts)."""
    from referat_nlp.pipeline import parse

    paths = sorted((ROOT / "corpus").glob("[0-9][0-9][0-9].txt"))
    return [parse(path).to_dict() for path in paths]


def varied(doc: dict[str, Any], copy_no: int) -> dict[str, Any]:
    """A copy of ``doc`` that looks like another meeting."""
    out = copy.deepcopy(doc)
    seed = f"{copy_no}:{doc['source']['sha256']}"
    out["source"]["sha256"] = hashlib.sha256(seed.encode()).hexdigest()
    out["source"]["path"] = f"archive/{copy_no:05d}/{Path(doc['source']['path']).name}"
    meeting = out["meetings"][0]
    meeting["municipality"] = MUNICIPALITIES[copy_no % len(MUNICIPALITIES)]
    meeting["body"] = BODIES[(copy_no // 3) % len(BODIES)]
    year = 2005 + copy_no % YEARS
    month, day = 1 + copy_no % 12, 1 + copy_no % 28
    meeting["date"] = f"{year}-{month:02d}-{day:02d}"
    for n, item in enumerate(out["items"]):
        item["title"] += TITLE_SUFFIXES[(copy_no + n) % len(TITLE_SUFFIXES)]
        item["case_numbers"] = [
            f"{year % 100:02d}/{(copy_no * 37 + n) % 99999}"
            for _ in item["case_numbers"]
        ]
        for amount in item["amounts"]:
            if amount["value_dkk"] is not None:
                amount["value_dkk"] *= 1 + (copy_no % 9) / 10
    return out


def write_shards(folder: Path, items: int) -> tuple[int, int]:
    """JSONL shards with at least ``items`` items; returns (referater, items)."""
    docs = corpus_documents()
    written = referater = 0
    shard, handle = 0, None
    while written < items:
        for doc in docs:
            if handle is None or written >= (shard + 1) * SHARD_ITEMS:
                if handle is not None:
                    handle.close()
                    shard += 1
                handle = (folder / f"shard-{shard:03d}.jsonl").open(
                    "w", encoding="utf-8"
                )
            handle.write(json.dumps(varied(doc, referater), ensure_ascii=False) + "\n")
            written += len(doc["items"])
            referater += 1
            if written >= items:
                break
    if handle is not None:
        handle.close()
    return referater, written


def peak_rss_kb() -> int:
    """This process's peak resident memory in KiB.

    Linux's VmHWM belongs to the process image and starts afresh at exec, whereas
    ``ru_maxrss`` carries over the parent's peak at fork time (the generator's).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(source: str) -> dict[str, Any]:
    """In this process: import, load ``source``, report time and peak memory."""
    from referat_nlp.analysis import frames

    base = peak_rss_kb()
    start = time.perf_counter()
    loaded = frames.load(source)
    seconds = time.perf_counter() - start
    peak = peak_rss_kb()
    size = sum(int(df.memory_usage(deep=True).sum()) for df in loaded.tables().values())
    return {
        "items": len(loaded.items),
        "meetings": len(loaded.meetings),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "after_import_mb": round(base / 1024, 1),
        "frames_mb": round(size / 2**20, 1),
    }


def measure_in_child(source: Path) -> dict[str, Any]:
    """:func:`measure` in a fresh interpreter, so its peak is the load's own."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def prepare_extra(
    folder: Path, sources: dict[str, Path], args: argparse.Namespace
) -> None:
    """Write the parquet and SQLite copies that were asked for."""
    if args.parquet:
        from referat_nlp.analysis import frames

        sources["parquet"] = frames.load(sources["jsonl"]).to_parquet(
            folder / "parquet"
        )
    if args.sqlite:
        from referat_nlp.search import index

        index.build(folder / "index.db", [sources["jsonl"]])
        sources["sqlite"] = folder / "index.db"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--limit-mb", type=float, default=1024)
    parser.add_argument("--parquet", action="store_true", help="also from parquet")
    parser.add_argument("--sqlite", action="store_true", help="also from SQLite")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-frames-") as tmp:
        folder = Path(tmp)
        (folder / "jsonl").mkdir()
        referater, items = write_shards(folder / "jsonl", args.items)
        sources = {"jsonl": folder / "jsonl"}
        prepare_extra(folder, sources, args)
        results = {name: measure_in_child(path) for name, path in sources.items()}
    report = {"referater": referater, "items": items, "loads": results}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{items} items in {referater} referater")
        for name, r in results.items():
            print(
                f"{name:8} {r['seconds']:7.1f} s  peak {r['peak_rss_mb']:7.1f} MB"
                f"  (after imports {r['after_import_mb']} MB,"
                f" frames {r['frames_mb']} MB)"
            )
    over = [n for n, r in results.items() if r["peak_rss_mb"] > args.limit_mb]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
