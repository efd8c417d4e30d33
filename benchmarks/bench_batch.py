"""Batch throughput benchmark: ``python benchmarks/bench_batch.py`` (a few minutes).

Builds N realistic PDFs (corpus minutes rendered DOCX → LibreOffice → PDF with
``tools.render``, then concatenated to 10–60 pages each) and reports, in one
run and against references measured in the same run:

* raw ``pypdfium2`` text extraction pages/s on the same files (the reference);
* end-to-end pages/s of ``referat_nlp.batch`` with 1 and 2 workers, as ratios to it
  and to each other;
* the same run on Dask (a ``LocalCluster`` of 2 worker processes) against the local
  engine's 2 workers: what the scheduler costs;
* peak RSS per worker, for N and for 10 × N documents (flat means no growth);
* the wall time of ``referat-nlp parse`` on one small PDF, against a bare Python
  start, and the modules that cost most at import (``python -X importtime``).

Targets (issue 4, 2-core machine): 1 worker ≥ 0.25 × raw PDFium, 2 workers ≥ 1.7 ×
1 worker, peak RSS ≤ 300 MB per worker and flat, parse start-up ≤ 1 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2

import referat_nlp
from referat_nlp.archive.runs import Summary
from tools import render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PAGES = (10, 60)  # pages per benchmark document
TARGETS = {"e2e/raw": 0.25, "2w/1w": 1.7, "rss_mb": 300, "startup_s": 1.0}


def render_minutes(work: Path, count: int) -> list[Path]:
    """Render ``count`` corpus minutes afresh: python-docx, then LibreOffice."""
    pdfs = []
    for txt in sorted(CORPUS.glob("*.txt"))[:count]:
        gold = txt.with_suffix(".json")
        docx_path = render.to_docx(
            txt, gold, work / f"{txt.stem}.docx", render.auto_layout(txt.stem)
        )
        pdfs.append(render.to_pdf(docx_path, work))
    return pdfs


def build_documents(rendered: list[Path], folder: Path, n: int) -> int:
    """Write ``n`` PDFs of 10–60 pages, each minutes after minutes; return pages."""
    folder.mkdir(parents=True, exist_ok=True)
    chance = random.Random(4)
    sources = [pypdfium2.PdfDocument(p) for p in rendered]
    total = 0
    for number in range(n):
        target, document = chance.randint(*PAGES), pypdfium2.PdfDocument.new()
        while len(document) < target:
            source = chance.choice(sources)
            document.import_pages(
                source, list(range(min(len(source), target - len(document))))
            )
        document.save(folder / f"referat-{number:05d}.pdf")
        total += len(document)
        document.close()
    for source in sources:
        source.close()
    return total


def copies(folder: Path, target: Path, times: int) -> None:
    """``times`` byte-distinct copies of every PDF (a comment after %%EOF), so the
    run sees new documents, not duplicates."""
    target.mkdir(parents=True, exist_ok=True)
    for n in range(times):
        for pdf in sorted(folder.glob("*.pdf")):
            data = pdf.read_bytes() + f"\n% copy {n}\n".encode()
            (target / f"{pdf.stem}-{n}.pdf").write_bytes(data)


def raw_pdfium(folder: Path) -> float:
    """Pages/s of plain PDFium text extraction, page by page, in this process."""
    pages, started = 0, time.perf_counter()
    for path in sorted(folder.glob("*.pdf")):
        document = pypdfium2.PdfDocument(path)
        for page in document:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    return pages / (time.perf_counter() - started)


def run_batch(folder: Path, out: Path, workers: int, engine: str = "local") -> Summary:
    summary = referat_nlp.batch([folder], out, workers=workers, engine=engine)
    if summary.failed:
        raise SystemExit(f"benchmark inputs failed: {summary.failed}")
    return summary


def spin(loops: int = 20_000_000) -> None:
    """Pure-Python CPU work, for the machine's own parallel speed-up."""
    total = 0
    for n in range(loops):
        total += n


def machine_scaling() -> float:
    """How much faster two busy processes finish two units of work than one does
    (2.0 on two idle cores; less when other jobs share the machine)."""
    context = multiprocessing.get_context("spawn")

    def timed(count: int) -> float:
        processes = [context.Process(target=spin) for _ in range(count)]
        started = time.perf_counter()
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        return time.perf_counter() - started

    return 2 * timed(1) / timed(2)


def startup(pdf: Path) -> tuple[float, float]:
    """Best-of-3 wall seconds of ``referat-nlp parse`` on one PDF and of bare Python."""

    def best(command: list[str]) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        return min(times)

    parse = best([sys.executable, "-m", "referat_nlp", "parse", str(pdf)])
    return parse, best([sys.executable, "-c", "pass"])


def import_costs(pdf: Path, top: int = 8) -> list[tuple[str, float]]:
    """The most expensive top-level imports of a parse run (cumulative seconds)."""
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "referat_nlp",
        "parse",
        str(pdf),
    ]
    stderr = subprocess.run(command, capture_output=True, text=True).stderr
    costs: dict[str, float] = {}
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 2:  # a module imported at the top level
            costs[match.group(3)] = int(match.group(1)) / 1e6
    return sorted(costs.items(), key=lambda kv: -kv[1])[:top]


def steady_rate(summary: Summary) -> float:
    """Pages/s once the workers are up: what an hours-long run sees."""
    return summary.pages / (summary.seconds - summary.startup_seconds)


def mb(summary: Summary) -> list[int]:
    return sorted(round(rss / 2**20) for rss in summary.peak_rss.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="documents (N)")
    parser.add_argument("--flat", type=int, default=10, help="RSS run: N × this")
    parser.add_argument(
        "--render", type=int, default=8, help="corpus minutes to render"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        rendered = render_minutes(work / "rendered", args.render)
        pages = build_documents(rendered, work / "in", args.docs)
        took = time.perf_counter() - started
        print(f"built {args.docs} PDFs, {pages} pages ({took:.0f} s)")
        raw = raw_pdfium(work / "in")
        one = run_batch(work / "in", work / "out1", 1)
        cores = machine_scaling()
        two = run_batch(work / "in", work / "out2", 2)
        copies(work / "in", work / "many", args.flat)
        many = run_batch(work / "many", work / "out3", 2)
        dask = run_batch(work / "in", work / "out-dask", 2, "dask")
        parse_s, python_s = startup(rendered[0])
        imports = import_costs(rendered[0])
        report(raw, cores, (one, two, many, dask), (parse_s, python_s), imports)


def report(
    raw: float,
    cores: float,
    runs: tuple[Summary, Summary, Summary, Summary],
    start: tuple[float, float],
    imports: list[tuple[str, float]],
) -> None:
    """Print the figures, each against its reference, and the targets met."""
    (one, two, many, dask), (parse_s, python_s) = runs, start
    e2e, scale = one.pages_per_second / raw, two.pages_per_second / one.pages_per_second
    steady = steady_rate(two) / steady_rate(one)
    rss = max(mb(one) + mb(two) + mb(many))
    rows = [
        ("raw pypdfium2 text (reference)", f"{raw:,.0f} pages/s", ""),
        ("batch, 1 worker", f"{one.pages_per_second:,.0f} pages/s", f"{e2e:.2f} × raw"),
        ("two busy processes vs one (machine)", f"{cores:.2f} ×", "2.00 if idle"),
        (
            "batch, 2 workers",
            f"{two.pages_per_second:,.0f} pages/s",
            f"{scale:.2f} × 1 worker ({scale / cores:.2f} of the machine's)",
        ),
        (
            "… both after worker start-up",
            f"{steady_rate(one):,.0f} / {steady_rate(two):,.0f}",
            f"{steady:.2f} × (start-up {one.startup_seconds:.1f} / "
            f"{two.startup_seconds:.1f} s)",
        ),
        (
            "batch, Dask LocalCluster, 2 workers",
            f"{dask.pages_per_second:,.0f} pages/s",
            f"{dask.pages_per_second / two.pages_per_second:.2f} × local 2 workers"
            f" (cluster start-up {dask.startup_seconds:.1f} s)",
        ),
        (f"peak RSS per worker, {two.total} docs", f"{mb(two)} MB", ""),
        (f"peak RSS per worker, {many.total} docs", f"{mb(many)} MB", ""),
        (
            "referat-nlp parse, one small PDF",
            f"{parse_s:.2f} s",
            f"bare python {python_s:.2f} s",
        ),
    ]
    for name, value, ratio in rows:
        print(f"{name:<40} {value:>22}  {ratio}")
    checks = {
        "e2e/raw": e2e >= TARGETS["e2e/raw"],
        "2w/1w": scale >= TARGETS["2w/1w"],
        "rss_mb": rss <= TARGETS["rss_mb"] and max(mb(many)) <= max(mb(two)) * 1.1,
        "startup_s": parse_s <= TARGETS["startup_s"],
    }
    print(
        "targets:",
        ", ".join(f"{k} {'met' if ok else 'MISSED'}" for k, ok in checks.items()),
    )
    print(
        "costliest imports of parse:", ", ".join(f"{m} {s:.2f} s" for m, s in imports)
    )


if __name__ == "__main__":
    main()
