"""Case trajectories: one case number followed through every meeting it appears in.

A case (sag) travels: a fagudvalg recommends it, Økonomiudvalget postpones it, it
comes back, Byrådet decides it. Each meeting prints the same case number, so
:func:`case_history` finds the items by number (compared as
:func:`referat_nlp.search.query.case_key` does: "Sagsnr.: 18/ 18284" = "18/18284").

Some minutes print no case numbers at all (advisory councils, many web pages).
Their items are linked to the case by title, only when that is safe, and marked
``match == "title"``. A title's *content terms* are its words stemmed as the
search index stems them (Snowball Danish via :mod:`referat_nlp.search.stemming`, so
"daginstitutioner" = "daginstitution"), without stop words, without words that
say what is done rather than with what (:data:`PROCESS_WORDS`: "Høring om …",
"Status på …") and without one- and two-character tokens ("I/S", "2. behandling").
An item without a case number is linked when:

* it is from the same municipality, dated within :data:`LINK_WINDOW` of the case;
* its content terms are all among those of one of the case's titles, and at least
  two of them are words ("Høring om ny daginstitution i Hinnerup" inside "Ny
  daginstitution i Hinnerup - projektforslag og anlægsbevilling"): a containment
  test rather than a similarity threshold, because titles of different matters
  ("Renseanlæg Nord I/S årsregnskab 2024" / "… budget 2026") score high on any
  similarity measure, and only in that direction, because a title more specific
  than the case's may be a different matter;
* it does not match another numbered case in the window the same way, and its
  title does not recur under :data:`RECURRING_MIN` or more cases or meetings
  ("Orientering fra formand og administration").

``similarity`` is the Jaccard index of the two sets of content terms.
Leave-one-out over real minutes (hide an item's case number, see where it is
linked) is reported in the test suite.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from referat_nlp.analysis.frames import Frames, load
from referat_nlp.search import stemming
from referat_nlp.search.query import case_key

DEFAULT_INDEX = "referater.db"  # as ``referat-nlp index`` writes by default
LINK_WINDOW = pd.Timedelta(days=365)
MIN_CONTENT_WORDS = 2
RECURRING_MIN = 3
# Words naming the step, not the matter: "Høring om …", "Forslag til …", "Status på …".
PROCESS_WORDS = (
    "høring",
    "høringssvar",
    "orientering",
    "status",
    "forslag",
    "endelig",
    "vedtagelse",
    "godkendelse",
    "behandling",
    "drøftelse",
    "temamøde",
    "genoptagelse",
    "indstilling",
    "beslutning",
    "opfølgning",
)
MATCHES = pd.CategoricalDtype(["case_number", "title"])
COLUMNS = (
    "date", "municipality", "body", "number", "title", "label", "decision_text",
    "match", "similarity", "case_numbers", "meeting_id", "item_id",
)  # fmt: skip


def case_history(
    case: str,
    frames_or_path: Frames | str | Path = DEFAULT_INDEX,
    *,
    municipality: str | None = None,
    link_titles: bool = True,
) -> pd.DataFrame:
    """Every item of ``case``, oldest first, one row per treatment.

    ``frames_or_path`` is a :class:`Frames` or anything :func:`load` reads (by
    default the search index ``referater.db``). Case numbers are unique only
    within a municipality, so give ``municipality`` when the archive holds
    several. Columns: see :data:`COLUMNS`; ``label`` is the decision label
    ("ingen" when the item has no decision), ``match`` says how the item was
    found ("case_number" or "title").

    >>> case_history("18/18284", "out/")[["date", "body", "label"]]  # doctest: +SKIP
    """
    frames = (
        frames_or_path if isinstance(frames_or_path, Frames) else load(frames_or_path)
    )
    overview = frames.overview()
    if municipality is not None:
        overview = overview[overview["municipality"] == municipality]
    numbers = frames.case_numbers
    ids = numbers.loc[numbers["key"] == case_key(case), "item_id"]
    found = overview["item_id"].isin(ids)
    similarity = pd.Series(np.nan, index=overview.index)
    if link_titles and found.any():
        numbered = numbers.loc[numbers["kind"] == "case", "item_id"]
        linked = title_links(overview, found, overview["item_id"].isin(numbered))
        similarity[linked.index] = linked
    keep = found | similarity.notna()
    out = overview[keep].assign(
        match=pd.Categorical(
            np.where(found[keep], "case_number", "title"), dtype=MATCHES
        ),
        similarity=similarity[keep],
    )
    out = out.sort_values("date", kind="stable", na_position="last")
    return out[list(COLUMNS)].reset_index(drop=True)


def title_links(
    overview: pd.DataFrame, found: pd.Series, numbered: pd.Series
) -> pd.Series:
    """Jaccard similarity of the items linked by title (index: ``overview`` rows).

    ``found`` marks the case's own items, ``numbered`` every item that prints a
    case number (those are never linked by title).
    """
    links: dict[int, float] = {}
    for town, case_items in overview[found].groupby("municipality", observed=True):
        start = case_items["date"].min() - LINK_WINDOW
        end = case_items["date"].max() + LINK_WINDOW
        pool = overview[
            (overview["municipality"] == town) & overview["date"].between(start, end)
        ]
        links.update(_links_in(pool, found[pool.index], numbered[pool.index]))
    return pd.Series(links, dtype="float64")


def _links_in(
    pool: pd.DataFrame, found: pd.Series, numbered: pd.Series
) -> dict[int, float]:
    """Title links among the items of one municipality and time window."""
    terms = pool["title"].map(content_terms)
    identity = pool["case_numbers"].fillna(pool["meeting_id"])
    recurring = terms.map(identity.groupby(terms).nunique()) >= RECURRING_MIN
    case_terms = set(terms[found])
    other_terms = set(terms[numbered & ~found])
    links = {}
    for row in pool.index[~numbered & ~recurring]:
        matches = [t for t in case_terms if refers_to(terms[row], t)]
        if matches and not any(refers_to(terms[row], t) for t in other_terms):
            links[row] = max(_jaccard(terms[row], t) for t in matches)
    return links


def content_terms(title: str) -> frozenset[str]:
    """The stemmed words that say which matter a title is about."""
    return frozenset(
        term
        for term in stemming.terms(title)
        if len(term) > 2 and term not in _process_terms()
    )


@cache
def _process_terms() -> frozenset[str]:
    return frozenset(stemming.terms(" ".join(PROCESS_WORDS)))


def refers_to(candidate: frozenset[str], case: frozenset[str]) -> bool:
    """Whether a title (its content terms) can only be a reference to the case's:
    all its terms are in the case's title, and at least :data:`MIN_CONTENT_WORDS`
    of them are words (a year alone does not tell "Budget 2026" apart from
    "Renseanlæg Nord I/S budget 2026")."""
    words = sum(term.isalpha() for term in candidate)
    return words >= MIN_CONTENT_WORDS and candidate <= case


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)
