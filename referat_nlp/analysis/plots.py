"""Plots of decision history: each function returns a matplotlib Figure.

Matplotlib rather than Altair: a figure shows inline in Jupyter and saves to PNG
(``fig.savefig("x.png")``) with nothing else installed, whereas Altair needs a
JavaScript front end to show a chart and the vl-convert engine to write a PNG;
matplotlib also draws headless in CI with the Agg backend and gives tests the
plotted numbers back from the artists. Figures are made with
:class:`~matplotlib.figure.Figure`, not pyplot, so no global state builds up in a
long notebook session.

Each plot has a data function beside it (``decision_counts``, ``postponed_share``,
``amount_rows``; the case timeline plots
:func:`referat_nlp.analysis.history.case_history`)
that returns exactly what is drawn, so the numbers can be checked and reused.
Colours are fixed per decision label (:data:`LABEL_COLOURS`, the colour-blind safe
Okabe-Ito palette), so a label looks the same in every plot.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import cast

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, PercentFormatter
from numpy.typing import ArrayLike

from referat_nlp.analysis.frames import Frames
from referat_nlp.document import DecisionLabel

LABEL_COLOURS: dict[str, str] = {
    DecisionLabel.APPROVED: "#009E73",
    DecisionLabel.RECOMMENDED: "#0072B2",
    DecisionLabel.NOTED: "#56B4E9",
    DecisionLabel.DISCUSSED: "#CC79A7",
    DecisionLabel.FORWARDED: "#F0E442",
    DecisionLabel.POSTPONED: "#E69F00",
    DecisionLabel.REJECTED: "#D55E00",
    DecisionLabel.OTHER: "#999999",
    DecisionLabel.NONE: "#DDDDDD",
}
UNLABELLED = "#FFFFFF"
POSTPONED = DecisionLabel.POSTPONED.value
NO_DECISION = DecisionLabel.NONE.value
TOP_BODIES = 6
PANELS_PER_ROW = 3
LABEL_TOP = 5
TITLE_WIDTH = 38
RNG_SEED = 6  # jitter of dots is seeded, so figures are reproducible


def _decided(frames: Frames) -> pd.DataFrame:
    """Items with a decision label other than "ingen", with body and year."""
    view = frames.overview()
    keep = view["label"].notna() & (view["label"] != NO_DECISION)
    return view[keep & view["year"].notna()]


def _top_bodies(view: pd.DataFrame, top: int) -> list[str]:
    counts = view["body"].value_counts(sort=True)
    return [body for body in counts.index[:top] if counts[body] > 0]


# --- decisions per body and year ---------------------------------------------------


def decision_counts(frames: Frames) -> pd.DataFrame:
    """Items per body, year and decision label (items without a decision left
    out); columns ``body``, ``year``, ``label``, ``items``."""
    view = _decided(frames)
    counts = view.groupby(["body", "year", "label"], observed=True).size()
    return counts.rename("items").reset_index()


def plot_decisions(frames: Frames, *, top: int = TOP_BODIES) -> Figure:
    """Decisions per year, one panel per body (the ``top`` busiest), bars
    stacked by label."""
    counts = decision_counts(frames)
    bodies = _top_bodies(_decided(frames), top)
    rows = max(1, -(-len(bodies) // PANELS_PER_ROW))
    fig = Figure(figsize=(11, 2.6 * rows), layout="constrained")
    axes = fig.subplots(rows, PANELS_PER_ROW, squeeze=False, sharey=True)
    years = sorted(counts["year"].unique()) if len(counts) else []
    for ax, body in zip(axes.flat, bodies, strict=False):
        table = counts[counts["body"] == body].pivot_table(
            index="year", columns="label", values="items", aggfunc="sum", observed=True
        )
        _stacked_bars(ax, table.reindex(years, fill_value=0).fillna(0))
        ax.set_title(body, fontsize=10)
    for ax in axes.flat[len(bodies) :]:
        ax.set_visible(False)
    shown = f"the {len(bodies)} busiest of {counts['body'].nunique()} bodies"
    fig.suptitle(f"Decisions per year and body ({shown})")
    _label_legend(fig, counts["label"].unique())
    return fig


def _stacked_bars(ax: Axes, table: pd.DataFrame) -> None:
    bottom = np.zeros(len(table))
    for label in LABEL_COLOURS:
        if label in table.columns and table[label].sum() > 0:
            ax.bar(
                table.index,
                table[label],
                bottom=bottom,
                label=label,
                color=LABEL_COLOURS[label],
                edgecolor="white",
                linewidth=0.5,
            )
            bottom += table[label].to_numpy()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)


def _label_legend(fig: Figure, labels: Iterable[object]) -> None:
    present = set(map(str, labels))
    handles = [
        Line2D([], [], marker="s", linestyle="", markersize=9, color=colour, label=lbl)
        for lbl, colour in LABEL_COLOURS.items()
        if lbl in present
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=len(handles) or 1,
        frameon=False,
        fontsize=9,
    )


# --- share postponed --------------------------------------------------------------


def postponed_share(frames: Frames, *, by_body: bool = False) -> pd.DataFrame:
    """Share of decided items that were postponed ("udskudt"), per year (and
    body); columns ``[body,] year``, ``decided``, ``postponed``, ``share``."""
    view = _decided(frames).assign(postponed=lambda v: v["label"] == POSTPONED)
    keys = ["body", "year"] if by_body else ["year"]
    grouped = view.groupby(keys, observed=True)["postponed"]
    out = grouped.agg(decided="size", postponed="sum").reset_index()
    out["share"] = out["postponed"] / out["decided"]
    return out


def plot_postponed(
    frames: Frames, *, by_body: bool = False, top: int = TOP_BODIES
) -> Figure:
    """Share of decisions postponed per year; with ``by_body``, a line for each
    of the ``top`` busiest bodies. Each point is marked with its number of
    decisions, because a share of 2 items means little; years without decisions
    break the line rather than being bridged."""
    fig = Figure(figsize=(9, 4.2), layout="constrained")
    ax = fig.subplots()
    data = postponed_share(frames, by_body=by_body)
    years = _year_range(data["year"])
    if by_body:
        for body in _top_bodies(_decided(frames), top):
            _share_line(ax, data[data["body"] == body], years, body)
        if ax.get_lines():
            ax.legend(frameon=False, fontsize=9, loc="upper left")
    else:
        _share_line(ax, data, years, "all bodies", annotate=True)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(data["share"].max() * 1.2, 0.05) if len(data) else 1)
    ax.set_ylabel("share of decisions postponed")
    ax.grid(alpha=0.3)
    ax.set_title('Items postponed ("udskudt") per year')
    return fig


def _year_range(years: pd.Series) -> pd.Index:
    if years.empty:
        return pd.Index([], dtype="int64")
    return pd.RangeIndex(int(years.min()), int(years.max()) + 1)


def _share_line(
    ax: Axes, data: pd.DataFrame, years: pd.Index, name: str, annotate: bool = False
) -> None:
    colour = LABEL_COLOURS[DecisionLabel.POSTPONED] if annotate else None
    line = data.set_index(data["year"].astype("int64"))["share"].reindex(years)
    ax.plot(
        line.index, line.to_numpy(dtype=float), marker="o", label=name, color=colour
    )
    if annotate:
        for year, share, n in data[["year", "share", "decided"]].itertuples(
            index=False
        ):
            ax.annotate(
                f"n={n}",
                (year, share),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=8,
                color="#555555",
            )


# --- amounts ----------------------------------------------------------------------


def amount_rows(frames: Frames) -> pd.DataFrame:
    """Positive DKK amounts with their item, body and year, each amount once per
    item (minutes repeat the same sum in Sagsfremstilling, Økonomi and
    Indstilling); columns ``item_id``, ``body``, ``date``, ``year``, ``title``,
    ``text``, ``value_dkk``, largest first."""
    amounts = frames.amounts[frames.amounts["value_dkk"] > 0]
    amounts = amounts.drop_duplicates(["item_id", "value_dkk"])
    view = frames.overview()[["item_id", "body", "date", "year", "title"]]
    rows = amounts[["item_id", "text", "value_dkk"]].merge(view, on="item_id")
    rows = rows[rows["year"].notna()]
    columns = ["item_id", "body", "date", "year", "title", "text", "value_dkk"]
    return rows[columns].sort_values("value_dkk", ascending=False, kind="stable")


def plot_amounts(
    frames: Frames, *, label_top: int = LABEL_TOP, top: int = TOP_BODIES
) -> Figure:
    """Amounts mentioned per year and per body, on a log scale; the ``label_top``
    largest are numbered in the plot and listed under it with their items."""
    rows = amount_rows(frames).reset_index(drop=True)
    fig = Figure(figsize=(12, 5.5), layout="constrained")
    by_year, by_body = fig.subplots(1, 2, width_ratios=(3, 2))
    jitter = np.random.default_rng(RNG_SEED).uniform(-0.25, 0.25, len(rows))
    _dots(by_year, rows["year"] + jitter, rows["value_dkk"])
    by_year.set_yscale("log")
    _largest(by_year, rows.head(label_top), jitter)
    by_year.set_title("Amounts mentioned per year (each amount once per item)")
    by_year.xaxis.set_major_locator(MaxNLocator(integer=True))
    by_year.yaxis.set_major_formatter(FuncFormatter(_kroner))
    by_year.set_ylabel("kr. (log scale)", fontsize=9)
    _amount_body_panel(by_body, rows, top)
    for ax in (by_year, by_body):
        ax.grid(alpha=0.3, which="major")
    return fig


def _dots(ax: Axes, x: ArrayLike, y: ArrayLike) -> None:
    ax.scatter(x, y, s=18, alpha=0.6, color="#0072B2", edgecolor="none")


def _largest(ax: Axes, rows: pd.DataFrame, jitter: np.ndarray) -> None:
    """Number the largest amounts and list them as the panel's x-axis label."""
    lines = []
    for n, (index, row) in enumerate(rows.iterrows(), 1):
        ax.annotate(
            str(n),
            (row["year"] + jitter[cast(int, index)], row["value_dkk"]),
            xytext=(5, 3),
            textcoords="offset points",
            fontsize=8,
            fontweight="bold",
        )
        title = textwrap.shorten(str(row["title"]), TITLE_WIDTH * 2, placeholder=" …")
        lines.append(f"{n}. {_kroner(row['value_dkk'])}  {title} ({row['body']})")
    ax.set_xlabel("\n".join(lines), loc="left", fontsize=8, linespacing=1.5)


def _amount_body_panel(ax: Axes, rows: pd.DataFrame, top: int) -> None:
    totals = rows.groupby("body", observed=True)["value_dkk"].sum().sort_values()
    bodies = list(totals.index[-top:])
    rng = np.random.default_rng(RNG_SEED)
    for y, body in enumerate(bodies):
        values = rows.loc[rows["body"] == body, "value_dkk"]
        _dots(ax, values, y + rng.uniform(-0.2, 0.2, len(values)))
        ax.annotate(
            f"total {_kroner(totals[body])}",
            (1, y),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 10),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color="#555555",
        )
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=1000))
    ax.xaxis.set_major_formatter(FuncFormatter(_kroner))
    ax.set_xlabel("kr. (log scale)", fontsize=9)
    ax.set_yticks(range(len(bodies)), bodies, fontsize=9)
    ax.set_ylim(-0.6, len(bodies) - 0.4)
    ax.set_title(f"per body (the {len(bodies)} with the largest totals)")


def _kroner(value: float, _position: object = None) -> str:
    """Axis and label text for a DKK amount: "34,6 mio. kr.", "1,4 mia. kr."."""
    for size, unit in ((1e9, "mia. kr."), (1e6, "mio. kr."), (1e3, "t.kr.")):
        if abs(value) >= size:
            number = f"{value / size:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{number} {unit}"
    return f"{value:.0f} kr."


# --- a case's path ----------------------------------------------------------------


def plot_case(trail: pd.DataFrame, *, case: str | None = None) -> Figure:
    """A case's path through the bodies (``trail`` from
    :func:`~referat_nlp.analysis.history.case_history`): one lane per body in order of
    first appearance, a dot per treatment coloured by its decision label;
    items linked by title only are drawn hollow with a dashed connection."""
    lanes = list(dict.fromkeys(trail["body"].astype(str)))
    fig = Figure(figsize=(10, 1.2 + 0.7 * max(len(lanes), 1)), layout="constrained")
    ax = fig.subplots()
    if trail.empty:
        ax.set_axis_off()
        ax.set_title(f"{case or 'case'}: no items found")
        return fig
    y = trail["body"].astype(str).map({b: n for n, b in enumerate(lanes)})
    by_number = (trail["match"] == "case_number").to_numpy()
    ax.plot(trail.loc[by_number, "date"], y[by_number], color="#888888", zorder=1)
    for n in range(len(trail)):
        _case_point(ax, trail.iloc[n], y.iloc[n], bool(by_number[n]))
    if not by_number.all():
        _title_links(ax, trail, y, by_number)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.set_ylim(len(lanes) - 0.4, -0.6)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(ax.xaxis.get_major_locator())  # type: ignore[no-untyped-call]
    )
    ax.margins(x=0.12)
    ax.grid(axis="x", alpha=0.3)
    heading = f"{case or 'case'}: " + textwrap.shorten(
        str(trail["title"].iloc[0]), TITLE_WIDTH * 2, placeholder=" …"
    )
    ax.set_title(heading)
    _label_legend(fig, trail["label"].dropna().unique())
    return fig


def _case_point(ax: Axes, row: pd.Series, y: float, by_number: bool) -> None:
    label = str(row["label"]) if pd.notna(row["label"]) else None
    colour = LABEL_COLOURS.get(label, UNLABELLED) if label else UNLABELLED
    ax.scatter(
        [row["date"]],
        [y],
        s=140,
        zorder=3,
        linewidths=2,
        color=colour if by_number else "white",
        edgecolors=colour,
    )
    text = f"{label or 'unlabelled'}\n{row['date']:%d-%m-%Y} · pkt. {row['number']}"
    ax.annotate(
        text,
        (row["date"], y),
        xytext=(0, 12),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=8,
    )


def _title_links(
    ax: Axes, trail: pd.DataFrame, y: pd.Series, by_number: np.ndarray
) -> None:
    """Dashed lines from title-linked items to the case's nearest numbered item."""
    numbered = trail[by_number]
    for n in np.flatnonzero(~by_number):
        nearest = (numbered["date"] - trail["date"].iloc[n]).abs().idxmin()
        ax.plot(
            [numbered.loc[nearest, "date"], trail["date"].iloc[n]],
            [y[nearest], y.iloc[n]],
            linestyle="--",
            color="#888888",
            zorder=1,
        )
    ax.plot([], [], linestyle="--", color="#888888", label="linked by title")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
