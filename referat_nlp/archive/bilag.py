"""Bilag (attachments) in batch runs: which files belong to which referat, and to
which of its items.

Archives keep a meeting's bilag beside its minutes: in the same folder (the minutes
named "Referat …", the bilag by their titles), in a folder named after the minutes
file, or as "Bilag 3 - …" files. Grouping uses only names, before anything is
parsed, so each referat with its bilag is one unit of work. Matching a bilag to an
item compares its file name with the titles the item lists under "Bilag"
(``Item.attachments``); ESDH exports add copy and version marks to file names
("Status på indkøbsstrategiens handleplan 2019 (004)-2.docx"), which are dropped
first. A bilag that matches no listed title is kept at the meeting level.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from referat_nlp import readers
from referat_nlp.document import Attachment, Item, Referat
from referat_nlp.errors import ReferatError

# "Referat ØU 4. november 2019.pdf", "Dagsorden med beslutninger", "Beslutningsprotokol"
RE_MINUTES_NAME = re.compile(r"referat|dagsorden|protokol", re.I)
# "Bilag 3 - Budgetoversigt.pdf", "ØU_bilag_2.docx" (not "Bilagsliste" inside a word)
RE_BILAG_NAME = re.compile(r"(?:^|[\W_])bilag(?=$|[\W_\d])", re.I)
# "Bilag 3 - ", "bilag_2_" at the start of a file name
RE_BILAG_PREFIX = re.compile(r"^\s*bilag[\s_]*\d*[\s_]*[-–:.]?\s*", re.I)
# ESDH copy/version marks at the end of a file name: " (004)-2", " (2)", "_v3", "-2"
RE_COPY_MARK = re.compile(
    r"(?<!\s)(?:\s*+\(\d{1,4}\))?(?:(?:\s*[-_]\s*|\s+)v?\d{1,2})?\s*+$", re.I
)
RE_NON_WORD = re.compile(r"[\W_]+")
RE_DIGITS = re.compile(r"\d+")  # "29.02.2024" and "29022024" carry the same digits
# folders named after a referat may add the word: "ØU 2019-11-04 bilag"
BILAG_WORDS = ("bilag",)
FUZZY_RATIO = 0.9  # difflib ratio for "the same title" (a typo or a dropped letter)
MIN_PREFIX = 20  # a file name cut by path-length limits still names its title
MAX_CANDIDATES = 500  # siblings checked by title; larger folders are flat archives
# "BU 2024-01 bilag 1.pdf" belongs to "BU 2024-01.pdf": names agree this far
MIN_SHARED = 6
# structured exports (FirstAgenda JSON) are always minutes, never bilag
EXPORT_SUFFIXES = frozenset({".json"})


@dataclass(frozen=True, slots=True)
class Group:
    """A referat, the files that are surely its bilag, and siblings that are its
    bilag only if their names match a title listed in its items."""

    referat: Path
    root: Path
    bilag: tuple[Path, ...] = ()
    candidates: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class BilagFile:
    """A parsed bilag; ``text`` is None when it could not be read (see ``error``)."""

    path: Path
    file: str
    sha256: str
    text: str | None
    error: str | None = None


def group(found: Iterable[tuple[Path, Path]]) -> list[Group]:
    """Group discovered ``(file, root)`` pairs into referater with their bilag."""
    found = list(found)
    roots = dict(found)
    claimed = _folder_bilag(found)
    taken = {file for files in claimed.values() for file in files}
    folders: dict[Path, list[Path]] = defaultdict(list)
    for file, _ in found:
        if file not in taken:
            folders[file.parent].append(file)
    groups = []
    for files in folders.values():
        for referat, bilag, candidates in _split_folder(sorted(files)):
            extra = tuple(claimed.get(referat, ()))
            groups.append(Group(referat, roots[referat], (*bilag, *extra), candidates))
    return sorted(groups, key=lambda g: str(g.referat))


def _folder_bilag(found: Sequence[tuple[Path, Path]]) -> dict[Path, list[Path]]:
    """Files inside a folder named after a sibling file are that file's bilag."""
    owner_of = _FolderOwners({(f.parent, _norm(f.stem)): f for f, _ in found})
    claimed: dict[Path, list[Path]] = defaultdict(list)
    for file, root in found:
        owner = owner_of(file, root)
        if owner is not None:
            claimed[owner].append(file)
    return claimed


class _FolderOwners:
    """The file that the nearest folder around a file (below its root) is named
    after. Remembered per folder: its files all get the same answer, and an
    archive has far fewer folders than files."""

    def __init__(self, stems: dict[tuple[Path, str], Path]) -> None:
        self._stems = stems
        self._known: dict[tuple[Path, Path], Path | None] = {}

    def __call__(self, file: Path, root: Path) -> Path | None:
        key = (file.parent, root)
        if key not in self._known:
            depth = len(file.relative_to(root).parts) - 1  # folders below root
            self._known[key] = self._look_up(file.parent, root, depth)
        return self._known[key]

    def _look_up(self, folder: Path, root: Path, depth: int) -> Path | None:
        """Go up from ``folder`` until a folder is named after a file beside it
        (or is known already) for ``depth`` folders at most."""
        for _ in range(depth):
            if (folder, root) in self._known:
                return self._known[folder, root]
            name = _norm(_without_bilag(folder.name))
            owner = self._stems.get((folder.parent, name))
            if owner is not None:
                return owner
            folder = folder.parent
        return None


def _split_folder(
    files: list[Path],
) -> Iterable[tuple[Path, list[Path], tuple[Path, ...]]]:
    """``(referat, bilag, candidates)`` for the files of one folder.

    A file goes to a referat as a bilag when the folder holds that one referat, or
    when their names share a beginning (the meeting's date or committee); a file
    claimed by no referat is taken as a referat itself, so nothing is dropped.
    Each file is classified once and looked up in sets and a sorted index, so the
    work grows with the folder's size, not with its square.
    """
    kinds: dict[str, list[Path]] = defaultdict(list)
    for file in files:
        kinds[_kind(file)].append(file)
    minutes, others = kinds["export"] + kinds["minutes"], kinds["other"]
    referater, sure = (
        (minutes, kinds["bilag"] + others) if minutes else (others, kinds["bilag"])
    )
    owner_of = _NameOwners(referater)
    owned: dict[Path, list[Path]] = {r: [] for r in referater}
    for file in sure:
        owner = owner_of(file)
        if owner is None:
            owned[file] = []
        else:
            owned[owner].append(file)
    is_other = set(others)
    alone = tuple(f for f in owned if f in is_other)
    everyone = alone if 1 < len(alone) <= MAX_CANDIDATES else ()
    for referat, bilag in owned.items():
        yield referat, bilag, _siblings(everyone, referat, is_other)


def _kind(file: Path) -> str:
    """A file's kind by its name alone: "export" (always minutes), "bilag" (even
    when the name also says "referat"), "minutes" or "other"."""
    if file.suffix.lower() in EXPORT_SUFFIXES:
        return "export"
    if RE_BILAG_NAME.search(file.stem):
        return "bilag"
    return "minutes" if RE_MINUTES_NAME.search(file.stem) else "other"


def _siblings(
    alone: tuple[Path, ...], referat: Path, is_other: set[Path]
) -> tuple[Path, ...]:
    """The unclaimed files other than ``referat``: one shared tuple for every
    referat that is not among them, so a folder's candidates take linear memory."""
    if referat not in is_other:
        return alone
    return tuple(f for f in alone if f != referat)


class _NameOwners:
    """Which referat a file's name shares the longest beginning with (at least
    MIN_SHARED characters), the first in ``referater`` order on a tie.

    Comparing every file with every referat is quadratic. In sorted order the
    longest shared beginning is with a neighbour of the name (found by bisection),
    and the referater that tie are the run of names starting with the same
    characters; the first of them in ``referater`` order is a range minimum.
    """

    def __init__(self, referater: list[Path]) -> None:
        first: dict[str, int] = {}
        for n, referat in enumerate(referater):
            first.setdefault(referat.stem.casefold(), n)
        self._referater = referater
        self._names = sorted(first)
        self._first = _RangeMin([first[name] for name in self._names])

    def __call__(self, file: Path) -> Path | None:
        """The owning referat; the only one when there is one; None if none fits."""
        if len(self._referater) == 1:
            return self._referater[0]
        name, names = file.stem.casefold(), self._names
        at = bisect.bisect_left(names, name)
        neighbours = names[max(at - 1, 0) : at + 1]
        shared = max((_shared_start(name, n) for n in neighbours), default=0)
        if shared < MIN_SHARED:
            return None
        start = name[:shared]
        low = bisect.bisect_left(names, start, key=lambda n: n[:shared])
        high = bisect.bisect_right(names, start, lo=low, key=lambda n: n[:shared])
        return self._referater[self._first(low, high)]


class _RangeMin:
    """Minimum of ``values[low:high]`` in constant time after an n log n build
    (a sparse table: row k holds the minima of windows of 2**k values)."""

    def __init__(self, values: list[int]) -> None:
        self._rows = [values]
        width = 1
        while 2 * width <= len(values):
            row = self._rows[-1]
            self._rows.append(list(map(min, row, row[width:])))
            width *= 2

    def __call__(self, low: int, high: int) -> int:
        level = (high - low).bit_length() - 1
        row = self._rows[level]
        return min(row[low], row[high - (1 << level)])


def _shared_start(a: str, b: str) -> int:
    """How many leading characters two names share."""
    same = (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    return next(same, min(len(a), len(b)))


def _without_bilag(name: str) -> str:
    words = [w for w in re.split(r"[\s_-]+", name) if w.casefold() not in BILAG_WORDS]
    return " ".join(words)


@lru_cache(maxsize=4096)  # titles are compared with every candidate file name
def _norm(text: str) -> str:
    """Case, punctuation and spacing folded: file names lose "/" and ":" anyway."""
    return " ".join(RE_NON_WORD.sub(" ", text.casefold()).split())


def name_keys(path: Path) -> tuple[str, ...]:
    """The normalised titles a bilag file name can stand for."""
    stem = RE_BILAG_PREFIX.sub("", path.stem)
    keys = {_norm(stem), _norm(RE_COPY_MARK.sub("", stem))}
    return tuple(k for k in keys if k)


def matches(title: str, keys: Sequence[str]) -> bool:
    """Whether a listed bilag title names a file with these name keys."""
    wanted = _norm(title)
    if not wanted:
        return False
    for key in keys:
        if key == wanted or (len(key) >= MIN_PREFIX and wanted.startswith(key)):
            return True
        if _close(key, wanted):
            return True
    return False


def _close(key: str, wanted: str) -> bool:
    """A letter may differ ("Kørselsgodtgorelse"), a number never ("2024"/"2025");
    difflib's cheap upper bounds rule out most pairs before the real ratio."""
    if _digits(key) != _digits(wanted):
        return False
    matcher = difflib.SequenceMatcher(None, key, wanted)
    return (
        matcher.real_quick_ratio() >= FUZZY_RATIO
        and matcher.quick_ratio() >= FUZZY_RATIO
        and matcher.ratio() >= FUZZY_RATIO
    )


@lru_cache(maxsize=4096)
def _digits(text: str) -> str:
    return "".join(RE_DIGITS.findall(text))


def read(path: Path, root: Path, pdf_engine: str, ocr: bool | str = False) -> BilagFile:
    """Parse one bilag file to plain text (DOCX tables as tab-separated rows);
    ``ocr`` reads scanned PDF pages too."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    file = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        fmt = readers.detect_format(path)
        document = readers.read_bytes(data, fmt, file, ocr=ocr, pdf_engine=pdf_engine)
    except ReferatError as exc:
        return BilagFile(path, file, sha, None, exc.message())
    return BilagFile(path, file, sha, _text(document.blocks))


def _text(blocks: Sequence[readers.Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if block.text.strip() or (lines and lines[-1]):
            lines.append(block.text.strip())
    return "\n".join(lines).strip()


def attach(
    referat: Referat, files: Sequence[BilagFile]
) -> tuple[Referat, tuple[Attachment, ...]]:
    """Put each bilag on the items listing its title; return the unmatched ones.

    A file listed under several items is attached to each; an item listing no
    matching file keeps the title alone, as the segmenter found it.
    """
    keys = {f.path: name_keys(f.path) for f in files}
    used: set[Path] = set()
    items = []
    for item in referat.items:
        attachments = list(item.attachments)
        for n, listed in enumerate(item.attachments):
            hits = [f for f in files if matches(listed.title, keys[f.path])]
            for k, hit in enumerate(hits):
                attachment = _attachment(listed.title, hit)
                if k == 0:
                    attachments[n] = attachment
                else:
                    attachments.append(attachment)
                used.add(hit.path)
        items.append(_with(item, attachments))
    unmatched = tuple(_attachment(f.path.stem, f) for f in files if f.path not in used)
    return referat.model_copy(update={"items": tuple(items)}), unmatched


def _with(item: Item, attachments: list[Attachment]) -> Item:
    if tuple(attachments) == item.attachments:
        return item
    return item.model_copy(update={"attachments": tuple(attachments)})


def _attachment(title: str, bilag: BilagFile) -> Attachment:
    return Attachment(
        title=title, file=bilag.file, sha256=bilag.sha256, text=bilag.text
    )


def listed_names(referat: Referat, candidates: Sequence[Path]) -> list[Path]:
    """The candidate siblings whose names match a title listed in the referat."""
    titles = [a.title for item in referat.items for a in item.attachments]
    if not titles:
        return []
    keys = {path: name_keys(path) for path in candidates}
    return [p for p in candidates if any(matches(t, keys[p]) for t in titles)]
