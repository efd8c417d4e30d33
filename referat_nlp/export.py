"""Writing referater as JSON: atomically, into a tree that mirrors the inputs.

An interrupted run must never leave a half-written file that a later step (the
search index, a resumed batch) would take for a finished one, so every file is
written to a temporary name in the target folder and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from referat_nlp.document import Referat


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_json(referat: Referat, path: Path) -> Path:
    """Write one referat's JSON contract to ``path`` atomically."""
    return write_text_atomic(path, referat.to_json() + "\n")


def output_paths(
    inputs: Sequence[tuple[Path, Path]], out_dir: Path
) -> dict[Path, Path]:
    """Where each ``(file, root)`` input's JSON goes under ``out_dir``.

    The tree below each root is mirrored: ``corpus/kbh/a.pdf`` → ``OUT/kbh/a.json``.
    When one folder holds the same minutes in several formats (``001.txt``,
    ``001.pdf``) their outputs keep the format: ``001.txt.json``, ``001.pdf.json``.
    """
    targets = {file: out_dir / file.relative_to(root).parent for file, root in inputs}
    stems = Counter((targets[file], file.stem) for file, _ in inputs)
    return {
        file: target
        / (
            f"{file.stem}.json"
            if stems[target, file.stem] == 1
            else f"{file.name}.json"
        )
        for file, target in targets.items()
    }
