"""OCR of scanned minutes: accuracy and speed on scans of the corpus PDFs.

Each corpus PDF (``corpus/NNN.pdf``, made by LibreOffice) is rasterised at 300 dpi
to an image-only PDF (the test fixtures' code, ``tests/readers/scans.py``), with its
gold ``NNN.json`` beside it. The scans are parsed with ``ocr=True`` and scored with
:mod:`referat_nlp.evaluation.scoring`, next to the text-layer read of the same PDFs in
the same run, so the figures show what OCR loses: items, titles, case numbers, amounts,
meeting date. Speed is pages per second, OCR against the text-layer read (both with
the PDFium engine batch uses). ``--angle``/``--speckle`` make crooked, dusty scans.

    python benchmarks/bench_ocr.py                 # all 21 PDFs, about 3 minutes
    python benchmarks/bench_ocr.py --docs 3 --errors
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the fixtures' scanning code lives in tests/

from referat_nlp.document import Referat  # noqa: E402
from referat_nlp.evaluation.scoring import Report, evaluate  # noqa: E402
from referat_nlp.pipeline import parse  # noqa: E402
from tests.readers.scans import scan_pdf  # noqa: E402

CORPUS = ROOT / "corpus"
FIELDS = ("items", "titles", "case_numbers", "doc_numbers", "amounts", "open")


def scans(work: Path, count: int, angle: float, speckle: float) -> tuple[Path, Path]:
    """Two gold folders: the corpus PDFs as they are, and their scans."""
    text, scanned = work / "text", work / "scanned"
    text.mkdir()
    scanned.mkdir()
    for pdf in sorted(CORPUS.glob("*.pdf"))[:count]:
        gold = pdf.with_suffix(".json")
        for folder in (text, scanned):
            shutil.copy(gold, folder / gold.name)
        shutil.copy(pdf, text / pdf.name)
        scan_pdf(pdf, scanned / pdf.name, angle=angle, speckle=speckle)
    return text, scanned


def timed(folder: Path, ocr: bool) -> tuple[Report, float, int]:
    """Score a folder; also the seconds spent parsing and the pages parsed."""
    spent, pages = 0.0, 0

    def run(path: Path) -> Referat:
        nonlocal spent, pages
        started = time.perf_counter()
        referat = parse(path, pdf_engine="pdfium", ocr=ocr)
        spent += time.perf_counter() - started
        pages += referat.source.pages or 0
        return referat

    return evaluate([folder], parse=run), spent, pages


def row(name: str, report: Report, seconds: float, pages: int) -> str:
    scores = report.as_dict()
    f1 = [scores["fields"].get(f, {}).get("f1", float("nan")) for f in FIELDS]
    cells = " ".join(f"{v:>8.3f}" for v in f1)
    return (
        f"{name:<10} {report.documents:>4} {len(report.failed):>4} {cells} "
        f"{scores['meeting_date_accuracy']:>6.3f} {pages / seconds:>8.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=21, help="corpus PDFs to use")
    parser.add_argument("--angle", type=float, default=0.0, help="scan skew, degrees")
    parser.add_argument("--speckle", type=float, default=0.0, help="dust, per 100 px")
    parser.add_argument("--errors", action="store_true", help="list the OCR misses")
    args = parser.parse_args()
    logging.getLogger("referat_nlp").setLevel(logging.ERROR)  # no OCR warnings
    with tempfile.TemporaryDirectory() as tmp:
        text, scanned = scans(Path(tmp), args.docs, args.angle, args.speckle)
        reference = timed(text, ocr=False)
        ocr = timed(scanned, ocr=True)
    fields = " ".join(f"{f[:8]:>8}" for f in FIELDS)
    print(f"{'read':<10} {'docs':>4} {'fail':>4} {fields} {'date':>6} {'pages/s':>8}")
    print(row("text layer", *reference))
    print(row("OCR", *ocr))
    print(
        f"OCR speed: {ocr[2] / ocr[1]:.2f} pages/s, "
        f"{reference[2] / reference[1] / (ocr[2] / ocr[1]):.0f}x slower"
    )
    if args.errors:
        known = set(reference[0].errors)
        for line in (*ocr[0].failed, *ocr[0].errors):
            if line not in known:
                print(f"  {line}")


if __name__ == "__main__":
    main()
