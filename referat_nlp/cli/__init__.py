"""The ``referat-nlp`` command line: a thin layer over the library API.

Each command lives in its own module under ``referat_nlp.cli`` and is imported only
when it runs, so ``referat-nlp parse one.pdf`` does not pay for scikit-learn or the
search back ends at start-up. Exit codes: 0 all good, 1 some input failed, 2 usage.
"""

from __future__ import annotations

import importlib
import logging

import click

# command name -> module defining a click command called ``command``
COMMANDS: dict[str, str] = {
    "export": "referat_nlp.cli.export",
    "search": "referat_nlp.cli.search",
    "index": "referat_nlp.cli.index",
    "parse": "referat_nlp.cli.parse",
    "batch": "referat_nlp.cli.batch",
    "train": "referat_nlp.cli.train",
    "evaluate": "referat_nlp.cli.evaluate",
    "case": "referat_nlp.cli.case",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(module).command
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="referat-nlp")
@click.option("-v", "--verbose", is_flag=True, help="Log progress and warnings.")
def main(verbose: bool) -> None:
    """Structured data from Danish municipal meeting minutes (referater).

    \b
    Examples:
      referat-nlp parse corpus/ --out out/
      referat-nlp parse referat.pdf
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
