"""Benchmark ``referat-nlp parse`` on one long text-layer PDF, per PDF engine.

Builds one long referat as a large council's minutes are: a Word file
(python-docx) of one meeting whose agenda items (bold numbered headings, case
numbers, Sagsfremstilling, Indstilling, Beslutning) are those of the bundled corpus,
numbered on and repeated until LibreOffice renders it as ``--pages`` pages (300 by
default). It then times the CLI on the PDF with each engine in the same run, best
of ``--repeat``: the whole command, start-up and JSON writing included, as a user
runs it. Prints seconds, pages/s and items found per engine, and the ratio of the
default engine (PDFium) to pdfplumber, the engine ``parse`` used before issue 11.
Target: ≥ 10 ×.

The commands run as from an installed wheel, whose modules pip has compiled to
bytecode: ``PYTHONDONTWRITEBYTECODE`` (set on the development machine) is dropped
for them, the bytecode goes to a temporary ``PYTHONPYCACHEPREFIX``, and one untimed
run per engine writes it first. Otherwise every run would compile the package's
sources again (about 0.05 s), a cost no user's install has.

    python benchmarks/bench_parse_pdf.py               # 300 pages, best of 3
    python benchmarks/bench_parse_pdf.py --pages 60 --repeat 1
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
import pypdfium2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import referat_nlp
from tools import render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TARGET = 10.0  # PDFium ÷ pdfplumber speed
ITEMS_PER_PAGE = 0.5  # first guess, corrected after one rendering


def corpus_items() -> list[referat_nlp.Item]:
    """Every agenda item of the bundled TXT samples that has sections."""
    items = [
        i for p in sorted(CORPUS.glob("*.txt")) for i in referat_nlp.parse(p).items
    ]
    return [i for i in items if i.sections]


def long_docx(path: Path, count: int) -> Path:
    """One meeting of ``count`` items, the corpus items in turn, numbered 1…count."""
    document = docx.Document()
    document.add_heading("Referat – Byrådet", level=1)
    document.add_paragraph("Mødedato: 12. marts 2024, kl. 17:00. Mødested: Byrådssalen")
    for number, item in zip(range(1, count + 1), itertools.cycle(corpus_items())):
        document.add_paragraph().add_run(f"{number}. {item.title}").bold = True
        if item.case_numbers:
            document.add_paragraph(f"Sagsnr.: {item.case_numbers[0]}")
        for section in item.sections:
            document.add_paragraph().add_run(section.heading).bold = True
            for paragraph in section.text.split("\n\n"):
                document.add_paragraph(paragraph)
    document.save(path)
    return path


def long_pdf(folder: Path, pages: int) -> tuple[Path, int]:
    """A LibreOffice PDF of at least ``pages`` pages (three renderings at most),
    and the number of items written into it."""
    count = round(pages * ITEMS_PER_PAGE)
    for _ in range(3):
        written = count
        pdf = render.to_pdf(long_docx(folder / "long.docx", written), folder)
        with pypdfium2.PdfDocument(pdf) as document:
            rendered = len(document)
        if rendered >= pages:
            break
        count = int(count * pages / rendered) + 1
    return pdf, written


def installed_env(pycache: Path) -> dict[str, str]:
    """The environment of an installed wheel: bytecode written and reused."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(pycache)}


def parse_seconds(
    pdf: Path, engine: str, out: Path, repeat: int, env: dict[str, str]
) -> tuple[float, int]:
    """Best wall time of ``referat-nlp parse PDF --out OUT --pdf-engine ENGINE``
    after one untimed run, and the number of items the output holds."""
    command = [
        sys.executable, "-m", "referat_nlp", "parse", str(pdf), "--out", str(out),
        "--pdf-engine", engine, "--quiet",
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - started)
    items = json.loads((out / f"{pdf.stem}.json").read_text("utf-8"))["items"]
    return best, len(items)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pdf, written = long_pdf(Path(tmp), args.pages)
        with pypdfium2.PdfDocument(pdf) as document:
            pages = len(document)
        env = installed_env(Path(tmp) / "pycache")
        runs = {
            engine: parse_seconds(pdf, engine, Path(tmp) / engine, args.repeat, env)
            for engine in ("pdfplumber", "pdfium")
        }
    print(f"one referat of {pages} pages (Word → LibreOffice PDF)")
    for engine, (took, items) in runs.items():
        print(
            f"{engine:<11} {took:7.2f} s  {pages / took:7.1f} pages/s  "
            f"{items} of {written} items found"
        )
    ratio = runs["pdfplumber"][0] / runs["pdfium"][0]
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"pdfium ÷ pdfplumber: {ratio:.1f} × ({verdict} the {TARGET:.0f} × target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
