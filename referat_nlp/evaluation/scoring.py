"""Score the pipeline against gold annotations (the ../shared/corpus format).

A gold directory holds ``NNN.json`` beside the document it annotates (``NNN.txt``,
``NNN.pdf``, ``NNN.docx`` or ``NNN.html``), or ``<name>.gold.json`` whose
``source_file`` names the document(s). Each document is parsed, its items are
matched to the gold items by number, and every field is scored: precision/recall/F1
for items, titles, case numbers, document numbers and amounts (by exact DKK value),
accuracy and macro-F1 for decision labels with a confusion matrix, accuracy for the
meeting date and the decision text. Text is compared after collapsing white space,
as the gold is.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from referat_nlp.document import Referat
from referat_nlp.errors import ReferatError
from referat_nlp.evaluation.gold import GoldDocument, gold_documents
from referat_nlp.evaluation.metrics import Tally, label_scores
from referat_nlp.extract import case_numbers

log = logging.getLogger(__name__)


@dataclass
class Report:
    """Scores over a set of gold documents, plus every miss for --errors."""

    documents: int = 0
    failed: list[str] = field(default_factory=list)
    fields: dict[str, Tally] = field(default_factory=dict)
    dates: list[bool] = field(default_factory=list)
    municipalities: list[bool] = field(default_factory=list)
    bodies: list[bool] = field(default_factory=list)
    decision_texts: list[bool] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted)
    errors: list[str] = field(default_factory=list)
    groups: dict[str, Report] = field(default_factory=dict)  # with group_by

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())

    def label_scores(self) -> dict[str, Any]:
        """Decision label scores (:func:`metrics.label_scores`) of the items."""
        return label_scores([g for g, _ in self.labels], [p for _, p in self.labels])

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "fields": {k: v.as_dict() for k, v in self.fields.items()},
            "meeting_date_accuracy": _mean(self.dates),
            "municipality_accuracy": _mean(self.municipalities),
            "body_accuracy": _mean(self.bodies),
            "decision_text_accuracy": _mean(self.decision_texts),
            "decision_labels": self.label_scores(),
            **(
                {"groups": {k: g.as_dict() for k, g in sorted(self.groups.items())}}
                if self.groups
                else {}
            ),
        }


def _mean(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 1.0


def norm(text: str | None) -> str:
    """Collapse white space, as the gold's text fields are."""
    return " ".join((text or "").split())


def evaluate(
    directories: Iterable[Path],
    parse: Callable[[Path], Referat] | None = None,
    formats: Iterable[str] | None = None,
    group_by: str | None = None,
) -> Report:
    """Parse every gold document in ``directories`` and score the results.

    ``formats`` ("txt", "pdf", …) keeps only documents with those suffixes, so the
    same minutes can be scored per rendering. ``group_by`` ("municipality",
    "layout" or "format") also scores each group on its own in ``Report.groups``:
    how the parser does on one archive, not on the pool that many archives make.
    """
    if parse is None:
        from referat_nlp.pipeline import parse as default_parse

        parse = default_parse
    wanted = {f".{f.lstrip('.').lower()}" for f in formats} if formats else None
    report = Report()
    for directory in directories:
        for doc in gold_documents(Path(directory)):
            if wanted is not None and doc.path.suffix.lower() not in wanted:
                continue
            targets = [report]
            if group_by is not None:
                targets.append(report.groups.setdefault(doc.key(group_by), Report()))
            try:
                referat = parse(doc.path)
            except ReferatError as exc:
                for target in targets:
                    target.failed.append(str(exc))
                continue
            for target in targets:
                target.documents += 1
                score_document(target, referat, doc)
    return report


def score_document(report: Report, referat: Referat, doc: GoldDocument) -> None:
    """Add one parsed document's comparison with its gold to the report."""
    name = doc.path.name
    gold = doc.gold
    _score_dates(report, name, referat, gold)
    for values, got, want in (
        (report.municipalities, referat.meeting.municipality, gold.get("municipality")),
        (report.bodies, referat.meeting.body, gold.get("body")),
    ):
        if want:
            values.append(norm(got).lower() == norm(want).lower())
            if not values[-1]:
                report.errors.append(f"{name}: meeting {got!r} != {want!r}")
    predicted = {item_key(item.meeting, item.number): item for item in referat.items}
    expected = {
        item_key(int(item.get("meeting", 0)), str(item["number"])): item
        for item in gold["items"]
    }
    report.tally("items").add(list(predicted), list(expected))
    for missed in sorted(set(expected) - set(predicted)):
        report.errors.append(
            f"{name}: missed item {missed} {expected[missed]['title']!r}"
        )
    for extra in sorted(set(predicted) - set(expected)):
        report.errors.append(f"{name}: extra item {extra} {predicted[extra].title!r}")
    titles = report.tally("titles")
    titles.add(
        ((n, norm(i.title)) for n, i in predicted.items()),
        ((n, norm(i["title"])) for n, i in expected.items()),
    )
    for key in sorted(set(predicted) & set(expected)):
        _score_item(report, f"{name} item {key}", predicted[key], expected[key])


def item_key(meeting: int, number: str) -> str:
    """How an item is matched: by number, and in a minute book (numbering restarts
    at every meeting) by meeting too: "3" in the first meeting, "2/3" in the second."""
    return number if meeting == 0 else f"{meeting + 1}/{number}"


def _score_dates(
    report: Report, name: str, referat: Referat, gold: dict[str, Any]
) -> None:
    """The date of each meeting the gold lists (``meetings``), else of the one."""
    wanted = [m.get("meeting_date") for m in gold.get("meetings", ())] or [
        gold.get("meeting_date")
    ]
    for k, want in enumerate(wanted):
        if not want:
            continue
        got = referat.meetings[k].date if k < len(referat.meetings) else None
        report.dates.append(got == want)
        if got != want:
            where = (
                f"{name}: date" if len(wanted) == 1 else f"{name}: meeting {k + 1} date"
            )
            report.errors.append(f"{where} {got} != {want}")


def _numbers(gold: dict[str, Any], key: str) -> list[str]:
    return [case_numbers.normalise(n) for n in gold.get(key, [])]


def _score_item(report: Report, where: str, item: Any, gold: dict[str, Any]) -> None:
    if norm(item.title) != norm(gold["title"]):
        report.errors.append(f"{where}: title {item.title!r} != {gold['title']!r}")
    for field_name, got, want in (
        # gold gives numbers as printed ("RR 45/23"); output gives the canonical form
        ("case_numbers", item.case_numbers, _numbers(gold, "case_numbers")),
        ("doc_numbers", item.doc_numbers, _numbers(gold, "doc_numbers")),
        ("amounts", _predicted_values(item), _gold_values(gold)),
        ("open", [item.open], [gold.get("open")]),
    ):
        missed = report.tally(field_name).add(got, want)
        extra = Counter(got) - Counter(want)
        if missed or extra:
            report.errors.append(
                f"{where}: {field_name} missed {sorted(map(str, missed.elements()))} "
                f"extra {sorted(map(str, extra.elements()))}"
            )
    missed = report.tally("sections").add(
        # gold lists each heading once, in first-occurrence order; an item may
        # hold several decision sections (this meeting's, earlier bodies')
        list(dict.fromkeys(s.kind.lower() for s in item.sections)),
        [str(kind).lower() for kind in gold.get("sections", [])],
    )
    if missed:
        report.errors.append(
            f"{where}: sections missed {sorted(map(str, missed.elements()))}"
        )
    got_text = item.decision.text if item.decision else None
    ok = norm(got_text) == norm(gold.get("decision_text"))
    report.decision_texts.append(ok)
    if not ok:
        report.errors.append(
            f"{where}: decision text {norm(got_text)[:70]!r} != "
            f"{norm(gold.get('decision_text'))[:70]!r}"
        )
    label = (
        item.decision.label.value if item.decision and item.decision.label else "ingen"
    )
    report.labels.append((gold["decision_class"], label))
    if label != gold["decision_class"]:
        report.errors.append(f"{where}: label {label} != {gold['decision_class']}")


def _predicted_values(item: Any) -> list[Decimal]:
    """DKK values of an item's amounts; a range counts as its two ends."""
    values = []
    for amount in item.amounts:
        if amount.value_dkk is not None:
            values.append(_number(amount.value_dkk))
            if amount.value_max is not None:
                values.append(_number(amount.value_max))
    return values


def _gold_values(gold: dict[str, Any]) -> list[Decimal]:
    """Gold DKK values; a range is one entry with ``dkk_max`` here, two in ../shared."""
    values = []
    for amount in gold.get("amounts", []):
        if amount.get("dkk") is not None:
            values.append(_number(amount["dkk"]))
            if amount.get("dkk_max") is not None:
                values.append(_number(amount["dkk_max"]))
    return values


def _number(value: object) -> Decimal:
    """Amounts compare as exact decimals: 1250000.0 == Decimal('1250000')."""
    return Decimal(str(value)).normalize()


def format_report(report: Report, errors: bool = False) -> str:
    """A plain-text table of the scores (and the misses when asked)."""
    data = report.as_dict()
    out = [f"documents: {report.documents}  failed: {len(report.failed)}", ""]
    out.append(f"{'field':<14}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for name, t in data["fields"].items():
        out.append(
            f"{name:<14}{t['precision']:>8.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}"
            f"{t['tp']:>6}{t['fp']:>6}{t['fn']:>6}"
        )
    out.append("")
    out.append(f"meeting date accuracy: {data['meeting_date_accuracy']:.3f}")
    out.append(
        f"municipality accuracy: {data['municipality_accuracy']:.3f}  "
        f"body accuracy: {data['body_accuracy']:.3f}"
    )
    out.append(f"decision text accuracy: {data['decision_text_accuracy']:.3f}")
    labels = data["decision_labels"]
    if labels["accuracy"] is not None:
        out.append(
            f"decision label accuracy: {labels['accuracy']:.3f}  "
            f"macro-F1: {labels['macro_f1']:.3f}"
        )
        out.extend(_confusion_lines(labels["confusion"]))
    if report.groups:
        out += ["", *group_table(report.groups)]
    if report.failed:
        out += ["", "failed:", *report.failed]
    if errors:
        out += ["", "errors:", *report.errors]
    return "\n".join(out)


def _confusion_lines(confusion: dict[str, Any]) -> list[str]:
    labels: list[str] = confusion["labels"]
    lines = [
        "",
        "confusion (rows gold, columns predicted):",
        " " * 24 + "".join(f"{label[:6]:>7}" for label in labels),
    ]
    for label, row in zip(labels, confusion["matrix"], strict=True):
        lines.append(f"{label:<24}" + "".join(f"{n:>7}" for n in row))
    return lines


GROUP_COLUMNS = ("items", "titles", "sections", "case_numbers")


def group_table(groups: dict[str, Report]) -> list[str]:
    """One row per group (F1 per field, decision label and text accuracy), then the
    mean over groups and the worst group: each group is an archive of its own.

    "–" marks a field with nothing to score in that group (no matched item).
    """
    rows = {name: _group_row(g) for name, g in sorted(groups.items())}
    head = f"{'group':<28}{'docs':>5}" + "".join(f"{c[:8]:>9}" for c in GROUP_COLUMNS)
    out = [head + f"{'labels':>9}{'dec.text':>9}"]
    for name, (docs, values) in rows.items():
        out.append(f"{name[:27]:<28}{docs:>5}" + "".join(map(_cell, values)))
    columns = list(zip(*(values for _, values in rows.values()), strict=True))
    for label, pick in (("mean over groups", _mean_of), ("worst group", _min_of)):
        out.append(f"{label:<28}{'':>5}" + "".join(_cell(pick(c)) for c in columns))
    return out


def _group_row(report: Report) -> tuple[int, list[float | None]]:
    matched = report.fields.get("titles", Tally()).tp > 0
    values: list[float | None] = [
        report.fields[name].f1 if name in report.fields else None
        for name in GROUP_COLUMNS
    ]
    values[1:] = [v if matched else None for v in values[1:]]
    labels = report.label_scores()["accuracy"]
    texts = _mean(report.decision_texts) if report.decision_texts else None
    return report.documents, [*values, labels, texts]


def _cell(value: float | None) -> str:
    return f"{value:>9.3f}" if value is not None else f"{'–':>9}"


def _mean_of(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _min_of(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None
