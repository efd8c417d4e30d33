"""Every compiled pattern that runs on document text stays linear on adversarial input.

PDF text holds long runs of spaces, tabs, dot leaders, underscores (signature
lines), dashes and digits; a pattern that backtracks over such a run costs
quadratic (or worse) time, and one bad line stalls a batch worker for minutes.
Each pattern is run (search and finditer, as ``sub`` and ``findall`` do) over
every run in a table of adversarial atoms, first at a short screening length
(where even a cubic pattern answers within a second); one slow there is a
defect, one measurably busy is timed again at four times the length, and a
growth well above four (linear) fails the test.
"""

import importlib
import pkgutil
import re
import time
from collections.abc import Iterator

import pytest

import referat_nlp
from referat_nlp.extract import meeting, names

# the CLI entry point, which holds no patterns
SKIPPED_MODULES = ("referat_nlp.__main__",)
ATOMS = (
    " ", "\t", "\n", " \n", "\u00a0", "\u00ad", ".", ". ", "…", "_", "-", "–", "-\n",
    ",", ":", ";", "/", "(", ")", "*", "#", "'", '"', "§",
    "a", "A", "Æ", "Å", "ø", "k", "Aa", "AB", "a ", "A ", "Aa ", "a.", "A.", "A-", "a-",
    "a1", "1a", "1", "0", "1.", "1 ", "1 . ", "1,5 ", "1.000 ", "1/", "1-", "1:",
    "1.1.", "00.", "12/12 ", "kr. ", "mio. ", "nr. ", "kl. ", "den ", " og ",
    "Punkt 1 ", "(A) ", "Bilag ", "Sag ", "Lukket ", "Åben ", "Jens Hansen ", "https://",
)  # fmt: skip
# what may close a run: nothing, a character that defeats a match, a line break
ENDINGS = ("", "!", "\n")
SCREEN = 500  # characters: microseconds for a linear pattern
SCREEN_BUDGET = 0.05  # seconds at SCREEN length: slower than this is a defect outright
SLOW = 0.0002  # seconds at SCREEN length before a pattern is timed at 4x
NOISE_FLOOR = 0.002  # seconds at 4x: below this the growth is timer noise
MAX_GROWTH = 9.0  # 4x the input: about 4 when linear, 16 when quadratic


def _module_patterns() -> Iterator[tuple[str, re.Pattern]]:
    for info in pkgutil.walk_packages(referat_nlp.__path__, "referat_nlp."):
        if info.name in SKIPPED_MODULES:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for pattern in _patterns_in(value):
                yield f"{info.name.removeprefix('referat_nlp.')}.{name}", pattern


def _patterns_in(value: object) -> Iterator[re.Pattern]:
    """Patterns at module level: alone, or in the tuples/lists/dicts that group them."""
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _patterns_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item)


def _built_patterns() -> Iterator[tuple[str, re.Pattern]]:
    """Patterns compiled from vocabulary tables at first use."""
    yield "names._gazetteer_regex()", names._gazetteer_regex()
    yield "names._person_regex()", names._person_regex()
    for i, pattern in enumerate(meeting._municipality_patterns()):
        yield f"meeting._municipality_patterns()[{i}]", pattern


def all_patterns() -> dict[str, re.Pattern]:
    found: dict[tuple, tuple[str, re.Pattern]] = {}
    for name, pattern in (*_module_patterns(), *_built_patterns()):
        found.setdefault((pattern.pattern, pattern.flags), (name, pattern))
    return dict(found.values())


PATTERNS = all_patterns()


def _text(atom: str, length: int, ending: str, pattern: re.Pattern) -> str | bytes:
    text = (atom * (length // len(atom) + 1))[:length] + ending
    return text.encode() if isinstance(pattern.pattern, bytes) else text


def _seconds(pattern: re.Pattern, text: str | bytes) -> float:
    """Best of three: the machine is shared, a slow outlier is not the pattern."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        pattern.search(text)
        for _match in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def super_linear_inputs(pattern: re.Pattern) -> list[str]:
    """The adversarial runs on which the pattern's time grows faster than the input."""
    bad = []
    for atom in ATOMS:
        for ending in ENDINGS:
            small = _seconds(pattern, _text(atom, SCREEN, ending, pattern))
            label = f"{atom!r} * {SCREEN} + {ending!r}"
            if small > SCREEN_BUDGET:
                bad.append(f"{label}: {small:.2f} s")
            elif small > SLOW:
                large = _seconds(pattern, _text(atom, 4 * SCREEN, ending, pattern))
                if large > NOISE_FLOOR and large / small > MAX_GROWTH:
                    bad.append(f"{label}: x{large / small:.0f} for 4x input")
    return bad


def test_every_module_pattern_is_collected() -> None:
    """The collector sees the patterns (a silent empty table would pass everything)."""
    assert len(PATTERNS) > 100
    for expected in (
        "structure.segment.RE_NUMBERED",
        "extract.meeting.RE_BODY_NOISE",
        "archive.bilag.RE_COPY_MARK",
    ):
        assert expected in PATTERNS


def test_the_check_catches_backtracking() -> None:
    """Patterns of the shapes that were fixed are reported, with the input."""
    lazy_title = re.compile(r"^\s*(\d{1,4})\.\s*(\S.*?)\s*$")
    trailing_mark = re.compile(r"\s*\((?:lukket)\)\s*$", re.I)
    assert any("' '" in bad for bad in super_linear_inputs(trailing_mark))
    title_with_gap = "3. Frigivelse af anl" + "\t" * 4_000 + "ægsmidler!"
    start = time.perf_counter()
    lazy_title.match(title_with_gap)
    assert time.perf_counter() - start > 10 * _seconds(
        PATTERNS["structure.segment.RE_NUMBERED"], title_with_gap
    )


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_adversarial_runs(name: str) -> None:
    assert super_linear_inputs(PATTERNS[name]) == []
