"""Shared fixtures: paths to the bundled corpus and to the real minutes in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The project's own sample minutes with gold annotations."""
    return CORPUS


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The real minutes in ../shared/corpus; CI has them, a user's clone may not."""
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS
