"""Finding the referat files under the paths a user gives.

Directories are walked in name order. A folder of minutes often holds other JSON
(gold annotations, earlier outputs), so a ``.json`` file is taken only when it
looks like a FirstAgenda export; hidden files and folders are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from referat_nlp.readers import FORMATS

SUFFIXES = frozenset(s for _, suffixes in FORMATS.values() for s in suffixes)
SNIFF_BYTES = 65536
FIRSTAGENDA_KEY = b'"Dagsordenpunkter"'


def find(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` pairs; ``root`` is the folder the file was found under.

    A path that is a file is yielded as it is (even an unsupported or missing one,
    so the caller can report it); a folder is walked for supported documents.
    """
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if _wanted(file, path):
                    yield file, path
        else:
            yield path, path.parent


def _wanted(file: Path, root: Path) -> bool:
    relative = file.relative_to(root)
    if any(part.startswith(".") for part in relative.parts) or not file.is_file():
        return False
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        return False
    if suffix == ".json":
        with file.open("rb") as handle:
            return FIRSTAGENDA_KEY in handle.read(SNIFF_BYTES)
    return True
