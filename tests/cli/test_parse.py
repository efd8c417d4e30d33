"""``referat-nlp parse``: stdout, --out, folders, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from referat_nlp.cli import main
from referat_nlp.schema import validate
from tests.documents import SOFFICE, build_encrypted_pdf, build_scanned_pdf
from tests.readers.scans import needs_tesseract, scan_pdf

TEXT = (
    "Byrådet - Referat\n\nDato: 3. maj 2022\n\n1. Godkendelse af dagsorden\n\n"
    "Beslutning\n\nGodkendt.\n\n2. Salg af grund\n\nBeslutning\n\nUdsat.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "referat.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_one_file_prints_json(runner: CliRunner, good: Path) -> None:
    result = runner.invoke(main, ["parse", str(good)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validate(data)
    assert [i["title"] for i in data["items"]] == [
        "Godkendelse af dagsorden",
        "Salg af grund",
    ]
    assert data["meetings"][0]["date"] == "2022-05-03"


def test_out_dir_mirrors_folder(runner: CliRunner, good: Path, tmp_path: Path) -> None:
    sub = good.parent / "2022"
    sub.mkdir()
    shutil.copy(good, sub / "maj.txt")
    (good.parent / "notes.json").write_text('{"not": "minutes"}')
    out = tmp_path / "out"
    result = runner.invoke(main, ["parse", str(good.parent), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "2022/maj.json",
        "referat.json",
    ]
    validate(json.loads((out / "2022" / "maj.json").read_text(encoding="utf-8")))


def test_stdin_needs_format(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "-"], input=TEXT)
    assert result.exit_code == 2
    assert "--format" in result.output
    result = runner.invoke(main, ["parse", "-", "--format", "txt"], input=TEXT)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["items"]) == 2


def _bad_inputs(folder: Path, office: bool = SOFFICE is not None) -> dict[str, str]:
    """File name → the reason its error line must give (PDFs made by LibreOffice)."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.xyz").write_text("hello")
    (folder / "broken.docx").write_bytes(b"plain text, not a zip")
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    reasons = {
        "empty.txt": "empty file",
        "notes.xyz": "unsupported file type",
        "broken.docx": "corrupt or truncated file",
        "junk.pdf": "corrupt or truncated file",
        "missing.pdf": "no such file",
    }
    if office:
        build_encrypted_pdf(folder / "locked.pdf")
        build_scanned_pdf(folder / "scan.pdf")
        reasons |= {
            "locked.pdf": "encrypted PDF",
            "scan.pdf": "no text layer: needs OCR (--ocr, with tesseract-ocr-dan",
        }
    return reasons


def test_bad_inputs_named_and_others_parsed(
    runner: CliRunner, good: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    reasons = _bad_inputs(bad)
    out = tmp_path / "out"
    args = [
        "parse",
        str(good),
        *(str(bad / name) for name in sorted(reasons)),
        "--out",
        str(out),
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    for name, reason in reasons.items():
        line = next(
            ln
            for ln in result.stderr.splitlines()
            if ln.startswith(f"error: {bad / name}")
        )
        assert reason in line
    assert f"{len(reasons)} failed:" in result.stderr
    # the good file was written; nothing else, and no temporary leftovers
    assert sorted(p.name for p in out.iterdir()) == ["referat.json"]


@pytest.mark.parametrize(
    "name", ["empty.txt", "notes.xyz", "broken.docx", "missing.pdf"]
)
def test_single_bad_file_exits_1(runner: CliRunner, tmp_path: Path, name: str) -> None:
    _bad_inputs(tmp_path, office=False)
    result = runner.invoke(main, ["parse", str(tmp_path / name)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / name}: ")
    assert result.stdout == ""


@needs_tesseract
def test_ocr_reads_a_scan(runner: CliRunner, tmp_path: Path, corpus_dir: Path) -> None:
    scan = scan_pdf(corpus_dir / "012.pdf", tmp_path / "scan.pdf")
    without = runner.invoke(main, ["parse", str(scan)])
    assert without.exit_code == 1
    assert "needs OCR (--ocr, with tesseract-ocr-dan installed)" in without.stderr
    result = runner.invoke(main, ["parse", str(scan), "--ocr"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["items"]) == 9 and "page 1 read by OCR" in data["warnings"]


def test_ocr_without_tesseract_names_the_fix(
    runner: CliRunner, tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/no/tesseract")
    scan = scan_pdf(corpus_dir / "012.pdf", tmp_path / "scan.pdf")
    result = runner.invoke(main, ["parse", str(scan), "--ocr"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"error: {scan}: OCR needs tesseract with Danish data: "
        "apt install tesseract-ocr tesseract-ocr-dan"
    )
