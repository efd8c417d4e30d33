"""Batch runs: outputs, ledger, skips and retries, duplicates, bad files, bilag,
kill -9 and resume with real processes, and Dask giving the local engine's output."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import referat_nlp
from referat_nlp.archive.ledger import LEDGER_NAME, Ledger, Status
from referat_nlp.cli import main
from referat_nlp.errors import Reason
from referat_nlp.search import index
from tests import badfiles
from tests.archive.test_bilag import REFERAT
from tests.readers.scans import needs_tesseract, scan_pdf

FAST = {"workers": 2, "timeout": 60.0}


def _archive(root: Path, corpus: Path, names: list[str]) -> list[Path]:
    """Corpus files spread over two committee folders, as an archive keeps them."""
    copied = []
    for n, name in enumerate(names):
        target = root / ("byraad" if n % 2 else "oeu") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / name, target)
        copied.append(target)
    return copied


def _pages(pdf: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(pdf) as document:
        return len(document)


def _rows(out: Path) -> dict[str, tuple[str, str | None]]:
    with Ledger(out) as ledger:
        return {Path(r.path).name: (r.status, r.reason) for r in ledger.rows()}


def _shard_sources(out: Path) -> list[str]:
    lines = [
        line
        for shard in sorted(out.glob("_shard-*.jsonl"))
        for line in shard.read_text(encoding="utf-8").splitlines()
    ]
    return sorted(json.loads(line)["source"]["path"] for line in lines)


def test_outputs_ledger_and_summary(tmp_path: Path, corpus_dir: Path) -> None:
    inputs = _archive(tmp_path / "in", corpus_dir, ["001.pdf", "002.txt", "003.pdf"])
    out = tmp_path / "out"
    summary = referat_nlp.batch([tmp_path / "in"], out, shard_lines=2, **FAST)
    assert (summary.processed, summary.failed, summary.total) == (3, {}, 3)
    assert summary.pages == _pages(inputs[0]) + _pages(inputs[2])  # TXT has none
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "byraad/002.json",
        "oeu/001.json",
        "oeu/003.json",
    ]
    written = json.loads((out / "oeu" / "001.json").read_text(encoding="utf-8"))
    assert written["source"]["path"] == str(inputs[0])
    assert _shard_sources(out) == sorted(map(str, inputs))
    assert len(list(out.glob("_shard-*.jsonl"))) == 2  # two lines per shard
    assert set(_rows(out).values()) == {(Status.DONE, None)}


def test_rerun_skips_changes_and_versions(tmp_path: Path, corpus_dir: Path) -> None:
    source = tmp_path / "in"
    inputs = _archive(source, corpus_dir, ["001.txt", "002.txt", "003.txt"])
    out = tmp_path / "out"
    referat_nlp.batch([source], out, **FAST)
    again = referat_nlp.batch([source], out, **FAST)
    assert (again.processed, again.skipped) == (0, 3)
    shutil.copy(corpus_dir / "004.txt", inputs[1])  # the file's content changed
    changed = referat_nlp.batch([source], out, **FAST)
    assert (changed.processed, changed.skipped) == (1, 2)
    upgraded = referat_nlp.batch([source], out, extractor="next version", **FAST)
    assert (upgraded.processed, upgraded.skipped) == (3, 0)
    assert len(_shard_sources(out)) == 3 + 1 + 3  # shards record every run's output


def test_duplicates_processed_once(tmp_path: Path, corpus_dir: Path) -> None:
    source = tmp_path / "in"
    _archive(source, corpus_dir, ["001.txt", "002.txt"])
    shutil.copy(corpus_dir / "001.txt", source / "oeu" / "kopi af 001.txt")
    out = tmp_path / "out"
    summary = referat_nlp.batch([source], out, **FAST)
    assert (summary.processed, summary.duplicates) == (2, 1)
    assert _rows(out)["kopi af 001.txt"] == (Status.DUPLICATE, None)
    assert not (out / "oeu" / "kopi af 001.json").exists()
    with Ledger(out) as ledger:
        copy = next(r for r in ledger.rows() if r.status == Status.DUPLICATE)
    assert copy.related == str((source / "oeu" / "001.txt").resolve())


def test_bad_files_fail_clearly_while_good_files_succeed(
    tmp_path: Path, corpus_dir: Path
) -> None:
    source = tmp_path / "in"
    good = _archive(source, corpus_dir, ["001.pdf", "002.docx", "003.txt"])
    expected = badfiles.build_all(source / "bad", corpus_dir / "001.pdf")
    out = tmp_path / "out"
    summary = referat_nlp.batch([source], out, workers=2, timeout=10, memory_mb=1024)
    rows = _rows(out)
    for name, reasons in expected.items():
        status, reason = rows[name]
        assert status == Status.FAILED and reason in reasons, name
    assert all(rows[path.name] == (Status.DONE, None) for path in good)
    assert summary.processed == len(good)
    assert sum(summary.failed.values()) == len(expected)
    with Ledger(out) as ledger:
        errors = {Path(r.path).name: r.error for r in ledger.rows() if r.error}
    assert all(errors[name] for name in expected)  # each with its message


def test_a_readable_file_without_items_is_kept_for_review(tmp_path: Path) -> None:
    """A map with labels and no agenda: written, recorded apart, not a failure."""
    source = tmp_path / "in"
    source.mkdir()
    badfiles.huge_page(source / "kort.pdf")
    out = tmp_path / "out"
    summary = referat_nlp.batch([source], out, workers=1, timeout=60)
    assert _rows(out)["kort.pdf"] == (Status.NEEDS_REVIEW, None)
    assert (summary.processed, summary.needs_review, summary.failed) == (1, 1, {})
    written = json.loads((out / "kort.json").read_text(encoding="utf-8"))
    assert written["items"] == []
    assert "Matr.nr." in written["text"]
    assert any(w.startswith("needs_review:") for w in written["warnings"])
    db = str(tmp_path / "r.db")
    index.build(db, [out])
    (hit,) = index.search(db, "matr.nr.")
    assert hit.whole_document and hit.source_path.endswith("kort.pdf")


def test_retry_failed(tmp_path: Path, corpus_dir: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    broken = source / "referat.pdf"
    badfiles.corrupt(broken)
    out = tmp_path / "out"
    assert referat_nlp.batch([source], out, **FAST).failed
    shutil.copy(corpus_dir / "002.pdf", broken)  # repaired, e.g. downloaded again
    touched = referat_nlp.batch([source], out, **FAST)
    assert touched.processed == 1  # a changed file is always parsed again
    badfiles.corrupt(broken)
    referat_nlp.batch([source], out, **FAST)
    assert referat_nlp.batch([source], out, **FAST).skipped == 1
    assert referat_nlp.batch([source], out, retry_failed=True, **FAST).failed
    assert not (out / "referat.json").exists()  # no stale output of a failed file


def _meeting(root: Path) -> Path:
    folder = root / "2024-03-12 Økonomiudvalget"
    folder.mkdir(parents=True)
    (folder / "Referat Økonomiudvalget 12-03-2024.txt").write_text(REFERAT, "utf-8")
    plan = folder / "Status på indkøbsstrategiens handleplan 2024 (004)-2.docx"
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Fælles udbud", "I gang"
    document.save(plan)
    (folder / "Kørselsgodtgørelse 2024.txt").write_text("Satser for 2024", "utf-8")
    return folder


def test_bilag_linked_to_items(tmp_path: Path) -> None:
    folder = _meeting(tmp_path / "in")
    out = tmp_path / "out"
    summary = referat_nlp.batch([tmp_path / "in"], out, **FAST)
    assert (summary.processed, summary.bilag) == (1, 2)
    written = json.loads(next(out.rglob("Referat*.json")).read_text(encoding="utf-8"))
    first = written["items"][0]["attachments"][0]
    assert first["file"] == (
        f"{folder.name}/Status på indkøbsstrategiens handleplan 2024 (004)-2.docx"
    )
    assert first["text"] == "Fælles udbud\tI gang" and len(first["sha256"]) == 64
    assert any("Kørselsgodtgørelse 2024.txt" in w for w in written["warnings"])
    assert [a["text"] for a in written["attachments"]] == ["Satser for 2024"]
    statuses = sorted(status for status, _ in _rows(out).values())
    assert statuses == [Status.BILAG, Status.BILAG, Status.DONE]


def _run_cli(source: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "referat_nlp", "batch", str(source)]
    return subprocess.Popen(
        [*command, "--out", str(out), "--workers", "2", "--quiet"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _ledger_rows(out: Path) -> int:
    try:
        with sqlite3.connect(out / LEDGER_NAME, timeout=5) as db:
            return db.execute("SELECT count(*) FROM inputs").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_kill_9_and_resume_process_every_input_once(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """Kill the run (and its workers) at several points; the re-run completes it."""
    names = sorted(
        p.name for p in corpus_dir.iterdir() if p.suffix in {".pdf", ".docx"}
    )
    inputs = _archive(tmp_path / "in", corpus_dir, names)
    out = tmp_path / "out"
    killed_at = []
    for fraction in (0.0, 0.25, 0.6):
        run = _run_cli(tmp_path / "in", out)
        deadline = time.monotonic() + 120
        while _ledger_rows(out) < fraction * len(inputs) and run.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.1)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        killed_at.append(_ledger_rows(out))
    assert any(0 < rows < len(inputs) for rows in killed_at), killed_at  # mid-run
    assert _run_cli(tmp_path / "in", out).wait(timeout=300) == 0
    rows = _rows(out)
    assert sorted(rows) == sorted(p.name for p in inputs)
    # the minute books' truncated copies (NNN-cut.docx) are read by salvage
    assert rows == {
        name: (Status.SALVAGED if "-cut." in name else Status.DONE, None)
        for name in rows
    }
    assert _shard_sources(out) == sorted(map(str, inputs))  # once each, none lost
    outputs = sorted(out.rglob("*.json"))
    assert len(outputs) == len(inputs)
    for path in outputs:
        json.loads(path.read_text(encoding="utf-8"))  # complete, valid JSON
    assert not list(out.rglob("*.tmp"))


def test_dask_engine_writes_what_the_local_engine_writes(
    tmp_path: Path, corpus_dir: Path
) -> None:
    pytest.importorskip("distributed")
    source = tmp_path / "in"
    _archive(source, corpus_dir, ["001.pdf", "002.txt", "003.pdf", "004.txt"])
    shutil.copy(corpus_dir / "002.txt", source / "oeu" / "kopi.txt")
    badfiles.corrupt(source / "oeu" / "skadet.pdf")
    _meeting(source)
    local, dask = tmp_path / "local", tmp_path / "dask"
    referat_nlp.batch([source], local, **FAST)
    referat_nlp.batch([source], dask, engine="dask", **FAST)
    assert _tree(local) == _tree(dask)
    assert _ledger(local) == _ledger(dask)


def _tree(out: Path) -> dict[str, object]:
    """Every output file; JSONL lines sorted, as the engines finish in any order."""
    files: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and not path.name.startswith(LEDGER_NAME):
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(out).as_posix()
            files[name] = sorted(text.splitlines()) if path.suffix == ".jsonl" else text
    return files


def _ledger(out: Path) -> list[tuple[object, ...]]:
    with Ledger(out) as ledger:
        return [
            (r.path, r.sha256, r.group_sha256, r.status, r.reason, r.error, r.pages)
            for r in ledger.rows()
        ]


def test_cli_summary_and_exit_code(tmp_path: Path, corpus_dir: Path) -> None:
    source = tmp_path / "in"
    _archive(source, corpus_dir, ["001.txt"])
    badfiles.empty(source / "oeu" / "tom.pdf")
    runner = CliRunner()
    args = ["batch", str(source), "--out", str(tmp_path / "out"), "--workers", "1"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert (
        "processed 1 (needs review 0, salvaged 0), skipped 0, duplicates 0, bilag 0,"
        " failed 1 of 2" in result.output
    )
    assert "1 × empty" in result.output
    assert runner.invoke(main, args).exit_code == 0  # known failures are skipped
    quiet = runner.invoke(main, [*args[:3], str(tmp_path / "again"), "--quiet"])
    assert (quiet.exit_code, quiet.output) == (1, "")
    assert (
        runner.invoke(
            main, ["batch", str(tmp_path / "nothing"), "--out", str(tmp_path / "x")]
        ).exit_code
        == 2
    )


@needs_tesseract
def test_retry_failed_with_ocr_reads_the_scans(
    tmp_path: Path, corpus_dir: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    scan_pdf(corpus_dir / "012.pdf", source / "scan.pdf")
    out = tmp_path / "out"
    assert referat_nlp.batch([source], out, **FAST).failed == {Reason.NO_TEXT_LAYER: 1}
    assert referat_nlp.batch([source], out, ocr=True, **FAST).skipped == 1
    summary = referat_nlp.batch([source], out, retry_failed=True, ocr=True, **FAST)
    assert summary.processed == 1 and not summary.failed
    written = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert len(written["items"]) == 9 and "page 1 read by OCR" in written["warnings"]


@needs_tesseract
def test_scanned_bilag_read_by_ocr(tmp_path: Path, corpus_dir: Path) -> None:
    folder = _meeting(tmp_path / "in")
    (folder / "Kørselsgodtgørelse 2024.txt").unlink()
    scan_pdf(corpus_dir / "012.pdf", folder / "Kørselsgodtgørelse 2024.pdf")
    out = tmp_path / "out"
    summary = referat_nlp.batch([tmp_path / "in"], out, ocr=True, **FAST)
    assert (summary.processed, summary.bilag) == (1, 2)
    written = json.loads(next(out.rglob("Referat*.json")).read_text(encoding="utf-8"))
    [scanned] = written["attachments"]
    assert "Handicappris 2022" in scanned["text"]


def test_a_stage_crash_is_recorded_with_its_traceback_and_the_run_goes_on(
    tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers are spawned with tests/archive/crashing_stage on PYTHONPATH, whose
    sitecustomize makes a stage raise for files named crash*."""
    hook = Path(__file__).parent / "crashing_stage"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), *sys.path]))
    source = tmp_path / "in"
    source.mkdir()
    for name, sample in [("crash.txt", 1), ("ok-1.txt", 2), ("ok-2.txt", 3)]:
        shutil.copy(corpus_dir / f"{sample:03d}.txt", source / name)
    out = tmp_path / "out"
    summary = referat_nlp.batch([source], out, workers=1, timeout=60)
    assert (summary.processed, summary.failed) == (2, {Reason.INTERNAL: 1})
    with Ledger(out) as ledger:
        rows = {Path(r.path).name: r for r in ledger.rows()}
    crash = rows["crash.txt"]
    assert (crash.status, crash.reason) == (Status.FAILED, Reason.INTERNAL)
    assert (
        crash.error
        == f'{source / "crash.txt"}: internal error: KeyError: "a stage\'s bug"'
    )
    assert "Traceback" in crash.error_detail and "_crashing_build" in crash.error_detail
    assert rows["ok-1.txt"].status == rows["ok-2.txt"].status == Status.DONE
    assert rows["ok-1.txt"].error_detail is None


def test_bad_options_refuse_the_run_before_any_file(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("1. Punkt\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(
        ValueError, match=r"pdf_engine must be one of \('pdfium', 'pdfplumber'\)"
    ):
        referat_nlp.batch([source], out, pdf_engine="bogus")
    both = r"workers must be .*, not -1; timeout must be .*, not 0"
    with pytest.raises(ValueError, match=both):
        referat_nlp.batch([source], out, timeout=0, workers=-1)
    assert not out.exists()


def test_a_ledger_of_an_earlier_version_gains_the_new_columns(tmp_path: Path) -> None:
    """A run resumes in a ledger written before error_detail existed."""
    tmp_path.joinpath(LEDGER_NAME).unlink(missing_ok=True)
    with sqlite3.connect(tmp_path / LEDGER_NAME) as db:
        db.executescript(
            "CREATE TABLE inputs (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL,"
            " group_sha256 TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,"
            " error TEXT, duration REAL, pages INTEGER, extractor TEXT NOT NULL,"
            " output TEXT, related TEXT, updated REAL NOT NULL);"
            "INSERT INTO inputs VALUES ('a.txt', 's', 'g', 'done', NULL, NULL, 1.0,"
            " 1, 'x', 'a.json', NULL, 0);"
        )
    db.close()
    with Ledger(tmp_path) as ledger:
        (row,) = ledger.rows()
    assert (row.path, row.status, row.error_detail) == ("a.txt", Status.DONE, None)
