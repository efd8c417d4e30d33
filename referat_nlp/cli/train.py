"""``referat-nlp train``: fit the decision classifier and report grouped CV scores."""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_OUT = Path("models/decision-classifier-v1")
_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@click.command()
@click.argument("gold_dirs", nargs=-1, required=True, type=_DIR)
@click.option(
    "--samples",
    multiple=True,
    type=_DIR,
    help="Gold dir of sample minutes written for the project (trained, not scored).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="Where model.json, config.json and MODEL_CARD.md are written.",
)
@click.option("--seed", type=int, default=13, show_default=True)
@click.option("--no-cv", is_flag=True, help="Skip the cross-validation report.")
def command(
    gold_dirs: tuple[Path, ...],
    samples: tuple[Path, ...],
    out: Path,
    seed: int,
    no_cv: bool,
) -> None:
    """Train the decision classifier from gold files (real minutes in GOLD_DIRS).

    Prints leave-one-municipality-out cross-validation scores of the real minutes
    (rules + model, and the model alone), then fits on everything and writes the
    model with its model card.

    \b
    Example:
      referat-nlp train ../shared/corpus/dev ../shared/corpus/real --samples corpus/
    """
    from referat_nlp.decisions import model, training

    data = training.load_gold(gold_dirs) + training.load_gold(samples, sample=True)
    classes = {d.label for d in training.trainable(data)}
    if len(classes) < 2:
        click.echo(
            f"need gold decisions of at least two classes, found {sorted(classes)}",
            err=True,
        )
        sys.exit(1)
    config = model.ModelConfig(seed=seed)
    report = None
    if not no_cv:
        click.echo("cross-validating by municipality …", err=True)
        report = training.cross_validate(data, config)
        click.echo(training.format_report(report))
    training.train_and_save(data, out, config, report)
    click.echo(f"wrote {out / 'model.json'} and {out / 'MODEL_CARD.md'}", err=True)
