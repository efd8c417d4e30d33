"""Plots: tested for the numbers they draw, and each rendered once to a PNG.

The small archive below is built in code: two bodies over three years with known
labels and amounts, so every count and share has a hand-computed answer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from referat_nlp.analysis import frames, history, plots
from tests.frames_fixtures import corpus_json, meeting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ØU, BR = "Økonomiudvalget", "Byrådet"


@pytest.fixture(scope="module")
def archive() -> frames.Frames:
    return frames.from_referats(
        [
            meeting("a", ØU, "2019-02-04", ("godkendt", "udskudt", None, "anbefalet"),
                    (("34,6 mio. kr.", 34_600_000), ("34,6 mio. kr.", 34_600_000),
                     ("500 kr.", 500))),
            meeting("b", ØU, "2019-06-03", ("udskudt", "godkendt", "ingen")),
            meeting("c", BR, "2019-02-27", ("godkendt", "godkendt"),
                    (("1,2 mia. kr.", 1_200_000_000),)),
            meeting("d", BR, "2021-03-31", ("afvist", "udskudt")),
            meeting("e", ØU, "2022-01-10", ("taget_til_efterretning",),
                    (("-250.000 kr.", -250_000), ("2 mio. kr.", 2_000_000))),
        ]
    )  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> frames.Frames:
    return frames.load(corpus_json(tmp_path_factory))


def count(table: pd.DataFrame, **where: object) -> int:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    return int(table.loc[mask, "items"].sum())


@pytest.mark.parametrize(
    ("body", "year", "label", "expected"),
    [
        (ØU, 2019, "godkendt", 2),
        (ØU, 2019, "udskudt", 2),
        (ØU, 2019, "anbefalet", 1),
        (ØU, 2019, "ingen", 0),  # no decision, or "ingen": not a decision
        (ØU, 2022, "taget_til_efterretning", 1),
        (BR, 2019, "godkendt", 2),
        (BR, 2021, "afvist", 1),
        (BR, 2021, "udskudt", 1),
        (BR, 2022, "godkendt", 0),
    ],
)
def test_decision_counts(
    archive: frames.Frames, body: str, year: int, label: str, expected: int
) -> None:
    counts = plots.decision_counts(archive)
    assert count(counts, body=body, year=year, label=label) == expected


def test_decisions_plot_draws_the_counts(archive: frames.Frames) -> None:
    fig = plots.plot_decisions(archive)
    counts = plots.decision_counts(archive)
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in panels] == [ØU, BR]  # busiest first
    for ax in panels:
        drawn = sum(patch.get_height() for patch in ax.patches)
        assert drawn == count(counts, body=ax.get_title())
    byrådet = panels[1]
    colours = {c.get_label(): c.patches[0].get_facecolor() for c in byrådet.containers}
    assert set(colours) == {"godkendt", "afvist", "udskudt"}
    assert colours["afvist"][:3] == pytest.approx(_rgb(plots.LABEL_COLOURS["afvist"]))


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def test_decisions_plot_keeps_the_busiest_bodies(archive: frames.Frames) -> None:
    fig = plots.plot_decisions(archive, top=1)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == [ØU]
    assert "1 busiest of 2 bodies" in fig.get_suptitle()


@pytest.mark.parametrize(
    ("year", "decided", "postponed"),
    [(2019, 7, 2), (2021, 2, 1), (2022, 1, 0)],
)
def test_postponed_share(
    archive: frames.Frames, year: int, decided: int, postponed: int
) -> None:
    shares = plots.postponed_share(archive).set_index("year")
    assert shares.loc[year, "decided"] == decided
    assert shares.loc[year, "postponed"] == postponed
    assert shares.loc[year, "share"] == pytest.approx(postponed / decided)


def test_postponed_share_by_body(archive: frames.Frames) -> None:
    shares = plots.postponed_share(archive, by_body=True).set_index(["body", "year"])
    assert shares.loc[(ØU, 2019), "share"] == pytest.approx(2 / 5)
    assert shares.loc[(BR, 2019), "share"] == 0


def test_postponed_plot_breaks_the_line_for_missing_years(
    archive: frames.Frames,
) -> None:
    line = plots.plot_postponed(archive).axes[0].get_lines()[0]
    assert list(line.get_xdata()) == [2019, 2020, 2021, 2022]
    y = line.get_ydata()
    assert np.isnan(y[1])
    assert y[[0, 2, 3]] == pytest.approx([2 / 7, 1 / 2, 0])
    lines = plots.plot_postponed(archive, by_body=True).axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == [ØU, BR]


def test_amount_rows(archive: frames.Frames) -> None:
    rows = plots.amount_rows(archive)
    # 34,6 mio. twice in one item counts once; the negative amount is left out
    assert rows["value_dkk"].tolist() == [1_200_000_000, 34_600_000, 2_000_000, 500]
    assert rows["body"].tolist() == [BR, ØU, ØU, ØU]
    assert rows["year"].tolist() == [2019, 2019, 2022, 2019]


def test_amounts_plot(archive: frames.Frames) -> None:
    fig = plots.plot_amounts(archive, label_top=2)
    by_year, by_body = fig.axes
    dots = [c for c in by_year.collections if isinstance(c, PathCollection)]
    values = sorted(y for _, y in dots[0].get_offsets())
    assert values == [500, 2_000_000, 34_600_000, 1_200_000_000]
    assert by_year.get_yscale() == "log"
    assert by_body.get_xscale() == "log"
    assert [t.get_text() for t in by_year.texts] == ["1", "2"]
    key = by_year.get_xlabel().splitlines()
    assert key[0].startswith("1. 1,2 mia. kr.")
    assert key[1].startswith("2. 34,6 mio. kr.")
    # bodies from the bottom up, so the largest total is on top
    assert [t.get_text() for t in by_body.get_yticklabels()] == [ØU, BR]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (34_600_000, "34,6 mio. kr."),
        (1_200_000_000, "1,2 mia. kr."),
        (2_000_000, "2 mio. kr."),
        (125_000, "125 t.kr."),
        (500, "500 kr."),
    ],
)
def test_kroner(value: float, text: str) -> None:
    assert plots._kroner(value) == text


def test_case_plot(corpus: frames.Frames) -> None:
    trail = history.case_history("18/18284", corpus)
    fig = plots.plot_case(trail, case="18/18284")
    ax = fig.axes[0]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert lanes == [
        "Børne- og Ungeudvalget",
        "Økonomiudvalget",
        "Handicaprådet",
        "Byrådet",
    ]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == len(trail) == 5
    hollow = [p for p in points if tuple(p.get_facecolor()[0]) == (1, 1, 1, 1)]
    assert len(hollow) == (trail["match"] == "title").sum() == 1
    assert ax.get_title().startswith("18/18284: Ny daginstitution i Hinnerup")
    assert [t.get_text().split("\n")[0] for t in ax.texts] == list(trail["label"])


def test_case_plot_without_items(corpus: frames.Frames) -> None:
    fig = plots.plot_case(history.case_history("00/0", corpus), case="00/0")
    assert fig.axes[0].get_title() == "00/0: no items found"


@pytest.mark.parametrize("name", ["decisions", "postponed", "amounts", "case"])
def test_each_plot_renders_to_png(
    corpus: frames.Frames, tmp_path: Path, name: str
) -> None:
    figures = {
        "decisions": lambda: plots.plot_decisions(corpus),
        "postponed": lambda: plots.plot_postponed(corpus),
        "amounts": lambda: plots.plot_amounts(corpus),
        "case": lambda: plots.plot_case(history.case_history("18/18284", corpus)),
    }
    fig = figures[name]()
    assert isinstance(fig, Figure)
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=80)
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 10_000


@pytest.mark.parametrize(
    "draw", [plots.plot_decisions, plots.plot_postponed, plots.plot_amounts]
)
def test_empty_frames_still_draw(draw: object, tmp_path: Path) -> None:
    fig = draw(frames.from_referats([]))  # type: ignore[operator]
    fig.savefig(tmp_path / "empty.png")
    assert (tmp_path / "empty.png").stat().st_size > 0
