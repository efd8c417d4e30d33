"""Damaged input, as old archives and migrations damage it: every mutant of our
corpus files parses or is refused in one clean line naming it, and a batch run
accounts for every one exactly once.

The mutants are made here, from ``corpus/`` and a seed, so a failure can be
reproduced: byte flips and truncation in every format; zip damage in DOCX (bad
deflate data, a lost chunk, a deleted or emptied member, truncated XML, Strict
OOXML namespaces); a broken xref in PDF; deep nesting in HTML and FirstAgenda JSON;
huge lines; other encodings; FirstAgenda fields of the wrong shape.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from referat_nlp.archive.ledger import LEDGER_NAME, Ledger
from referat_nlp.errors import Reason
from referat_nlp.readers import discover
from tests.readers.test_firstagenda import MEETING

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = 20261206
PER_RECIPE = 12  # mutants per (format, recipe): 288 in all

HUGE_LINE = 200_000
Mutate = Callable[[bytes, random.Random], bytes]


def flip(data: bytes, rng: random.Random) -> bytes:
    """A few random bytes changed anywhere."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def cut_chunk(data: bytes, rng: random.Random) -> bytes:
    """A run of bytes lost from the middle (a bad sector, a broken copy)."""
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(16, 4096) :]


def huge_line(data: bytes, rng: random.Random) -> bytes:
    """A 200 kB line of what PDF text is full of: spaces, dots, dashes, digits.
    (Lines of several MB still take minutes in the text stages: issue 10.)"""
    filler = rng.choice([b" ", b".", b"_", b"-", b"1.000 kr. ", b"\t", b"ab"])
    at = rng.randrange(len(data))
    return data[:at] + filler * (HUGE_LINE // len(filler)) + data[at:]


def reencode(data: bytes, rng: random.Random) -> bytes:
    """The text in another encoding, or with NUL bytes and broken UTF-8."""
    text = data.decode("utf-8", errors="replace")
    kind = rng.choice(["utf-16", "utf-16-le", "cp1252", "latin-1", "nul", "broken"])
    if kind == "nul":
        return text.encode().replace(b" ", b"\x00", rng.randint(1, 50))
    if kind == "broken":
        return text.encode().replace("ø".encode(), b"\xf8\xc3")
    return text.encode(kind, errors="replace")


def deep_html(data: bytes, rng: random.Random) -> bytes:
    tag = rng.choice([b"div", b"font", b"span", b"table"])
    depth = rng.choice([1_000, 5_000, 50_000])
    return b"<html><body>" + (b"<" + tag + b">") * depth + data


def damage_member(data: bytes, rng: random.Random) -> bytes:
    """One zip member damaged: bytes flipped in its deflate data, emptied, its XML
    cut short, or left out; or the whole package in Strict OOXML namespaces."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    name = rng.choice(sorted(members))
    kind = rng.choice(["empty", "cut-xml", "drop", "strict", "raw-flip"])
    if kind == "raw-flip":  # inside the compressed stream, past the local header
        out = bytearray(data)
        at = data.find(name.encode()) + len(name) + rng.randint(4, 200)
        for offset in range(rng.randint(1, 8)):
            out[min(at + offset, len(out) - 1)] ^= 0xFF
        return bytes(out)
    if kind == "strict":
        members = {
            m: re.sub(
                rb"http://schemas\.openxmlformats\.org/(\w+)/2006/([\w/]+)",
                rb"http://purl.oclc.org/ooxml/\1/\2",
                body,
            )
            for m, body in members.items()
        }
    elif kind == "drop":
        del members[name]
    else:
        body = members[name]
        members[name] = b"" if kind == "empty" else body[: rng.randrange(len(body) + 1)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    return out.getvalue()


def break_xref(data: bytes, rng: random.Random) -> bytes:
    """The cross-reference table or the startxref offset pointing elsewhere."""
    kind = rng.choice(["offset", "table", "trailer"])
    if kind == "offset":
        return re.sub(
            rb"startxref\s+\d+", f"startxref\n{rng.randrange(10**6)}".encode(), data
        )
    if kind == "table":
        return re.sub(
            rb"\d{10} \d{5} n", lambda _: b"%010d 00000 n" % rng.randrange(10**6), data
        )
    return data[: data.rfind(b"trailer")] if b"trailer" in data else truncate(data, rng)


def fa_shapes(data: bytes, rng: random.Random) -> bytes:
    """A FirstAgenda export: a field of the wrong shape, deep lists, huge numbers."""
    meeting = json.loads(data)
    kind = rng.choice(["udvalg", "felter", "deltagere", "deep", "huge", "items"])
    if kind == "deep":
        return data[:-1] + b', "Ekstra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    if kind == "huge":
        meeting["Dagsordenpunkter"][0]["Punktnummer"] = int("9" * 4000)
        return json.dumps(meeting).replace("9" * 4000, "9" * 5000).encode()
    value = rng.choice(["tekst", 7, [1, 2], None, {"x": 1}])
    if kind == "udvalg":
        meeting["Udvalg"] = value
    elif kind == "felter":
        meeting["Dagsordenpunkter"][0]["Felter"] = value
    elif kind == "deltagere":
        meeting["Moede"]["Moededeltagere"] = value
    else:
        meeting["Dagsordenpunkter"] = [value, *meeting["Dagsordenpunkter"]]
    return json.dumps(meeting).encode()


COMMON: list[Mutate] = [flip, truncate, cut_chunk]
RECIPES: dict[str, list[Mutate]] = {
    "pdf": [*COMMON, break_xref],
    "docx": [*COMMON, damage_member],
    "html": [*COMMON, huge_line, reencode, deep_html],
    "txt": [*COMMON, huge_line, reencode],
    "json": [*COMMON, huge_line, fa_shapes],
}


def _originals(suffix: str) -> list[bytes]:
    if suffix == "json":  # FirstAgenda exports: the reader test's meeting
        return [json.dumps(MEETING, ensure_ascii=False).encode()]
    # whole documents only: the minute books' NNN-cut.docx are damaged already
    return [
        p.read_bytes() for p in sorted(CORPUS.glob(f"*.{suffix}")) if p.stem.isdigit()
    ]


def mutants(folder: Path, seed: int = SEED) -> Iterator[Path]:
    """Write the seeded mutants into ``folder``; yield their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, recipes in RECIPES.items():
        originals = _originals(suffix)
        for recipe in recipes:
            for n in range(PER_RECIPE):
                data = recipe(rng.choice(originals), rng)
                path = folder / f"{suffix}-{recipe.__name__}-{n}.{suffix}"
                path.write_bytes(data)
                yield path


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The mutants a folder walk takes: all but the JSON files damaged so far that
    they no longer look like a FirstAgenda export (other JSON is not minutes)."""
    folder = tmp_path_factory.mktemp("fuzz") / "in"
    made = list(mutants(folder))
    found = [path for path, _ in discover.find([folder])]
    assert {p for p in made if p.suffix != ".json"} <= set(found)
    assert len(found) > 0.9 * len(made)
    return found


def _cli(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "referat_nlp", *args],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT,
    )  # fmt: skip


def test_mutants_cover_every_format_and_recipe(damaged: list[Path]) -> None:
    made = {re.sub(r"-\d+$", "", p.stem) for p in damaged}
    assert made == {f"{s}-{r.__name__}" for s, rs in RECIPES.items() for r in rs}
    assert len({p.read_bytes() for p in damaged}) > 0.9 * len(damaged)


def test_parse_reads_or_refuses_each_in_one_line(
    damaged: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    done = _cli("parse", str(damaged[0].parent), "--out", str(out), timeout=900)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1), done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    refused = {line.split(": ", 2)[1] for line in errors}
    assert refused <= {str(p) for p in damaged}  # each line names its file
    assert not [e for e in errors if ": internal error: " in e]  # a refusal is a reason
    written = {p.stem for p in out.glob("*.json")}
    assert len(written) + len(refused) == len(damaged)
    assert not written & {Path(p).stem for p in refused}
    # the damage shows: several refused for each format, and most still read
    assert all(any(f"/{s}-" in r for r in refused) for s in RECIPES)
    assert len(written) > len(damaged) / 3


def test_batch_accounts_for_each_exactly_once(
    damaged: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _cli(
        "batch", str(damaged[0].parent), "--out", str(out), "--workers", "2",
        "--timeout", "60", "--quiet", timeout=900,
    )  # fmt: skip
    with Ledger(out) as ledger:
        rows = ledger.rows()
    paths = [Path(r.path) for r in rows]
    assert len(paths) == len(set(paths))
    assert set(paths) == {p.resolve() for p in damaged}
    assert (out / LEDGER_NAME).exists()
    internal = [r.error for r in rows if r.reason == Reason.INTERNAL]
    assert internal == []  # a bug, not a bad file: the error names it
    assert not list(out.rglob(".*.tmp"))


def test_the_damaged_files_of_shared_repro_read_or_refuse(tmp_path: Path) -> None:
    """The files in ../shared/repro, each of which once ended ``parse`` with a
    traceback, an internal error or a hang: every one is written or refused with a
    reason, in one line naming it."""
    repro = ROOT.parent / "shared" / "repro"
    files = sorted(p for p in repro.glob("*") if p.suffix != ".md")
    if not files:
        pytest.skip("../shared/repro is not present")
    out = tmp_path / "out"
    done = _cli("parse", *map(str, files), "--out", str(out), timeout=600)
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    refused = {line.split(": ", 2)[1] for line in errors}
    assert refused <= {str(p) for p in files}
    assert not [e for e in errors if ": internal error: " in e]
    assert len(list(out.glob("*.json"))) + len(refused) == len(files)
