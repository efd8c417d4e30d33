"""Packaging: an installed wheel carries everything the pipeline loads at run time.

The decision model lives in the repository's top-level ``models/`` (the project's
layout), outside the ``referat_nlp`` folder; ``pyproject.toml`` maps it into the
wheel as ``referat_nlp/models/``. Without that, a system that installs the wheel
would silently classify with the rules alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = ("model.json", "config.json", "MODEL_CARD.md")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def test_every_package_folder_is_listed() -> None:
    """The explicit package list (needed for the models mapping) misses none."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set(find_packages(str(ROOT), include=["referat_nlp*"]))
    assert listed == found | {"referat_nlp.models"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources: pip builds in the source folder,
    and a test must not leave ``build/`` behind in the repository."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("referat_nlp", "models"):
        shutil.copytree(ROOT / folder, source / folder, ignore=IGNORED)
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
               "--no-build-isolation", "--quiet", "--wheel-dir", str(out)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, cwd=out)
    [built] = out.glob("referat_nlp-*.whl")
    return built


def test_wheel_carries_the_model_and_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    model = "referat_nlp/models/decision-classifier-v1"
    assert {f"{model}/{name}" for name in MODEL_FILES} <= names
    assert "referat_nlp/schema/referat-v2.json" in names
    assert "referat_nlp/data/municipalities.tsv" in names
    # the corpus renderer is a development tool, not part of the library
    assert not any("render" in name or name.startswith("tools/") for name in names)


def test_installed_wheel_loads_the_model(wheel: Path, tmp_path: Path) -> None:
    """Unpacked as pip installs it, away from the repository: the model is found."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from referat_nlp.decisions import rules\n"
        "assert rules.__file__.startswith(sys.argv[1]), rules.__file__\n"
        "assert rules.load_model() is not None\n"
        "print(rules.DEFAULT_MODEL_DIR)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(site)


def test_a_plain_install_parses(wheel: Path, tmp_path: Path) -> None:
    """``pip install`` of the wheel with no extras, in a fresh virtual environment
    away from the repository: the CLI and the Python API parse a corpus PDF and
    DOCX with the core dependencies alone (spaCy, pdfplumber, python-docx,
    scikit-learn and what they need), and no extra is installed with them."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python, cli = venv / "bin" / "python", venv / "bin" / "referat-nlp"
    install = [str(python), "-m", "pip", "install", "--quiet", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    extras = ("pandas", "psycopg", "dask", "pytesseract", "datasette", "pytest")
    probe = (
        "import importlib.util, sys\n"
        "print([m for m in sys.argv[1:] if importlib.util.find_spec(m)])"
    )
    found = subprocess.run(
        [str(python), "-c", probe, *extras], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
    pdf, docx_file = ROOT / "corpus" / "001.pdf", ROOT / "corpus" / "002.docx"
    parsed = subprocess.run(
        [str(cli), "parse", str(pdf)], capture_output=True, text=True, cwd=tmp_path
    )
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["items"]
    api = (
        "import sys, referat_nlp\n"
        "r = referat_nlp.parse(sys.argv[1])\n"
        "print(len(r.items), r.items[0].decision.method)"
    )
    used = subprocess.run(
        [str(python), "-c", api, str(docx_file)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert used.returncode == 0, used.stderr
    count, method = used.stdout.split()
    assert int(count) > 0 and method in {"rule", "resolved", "model"}
