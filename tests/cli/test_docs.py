"""Every command documents itself and appears in the README (as sqlite-utils checks)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from referat_nlp.cli import COMMANDS, main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_with_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"referat-nlp {name}" in result.output, "help should show an example"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_in_readme(name: str) -> None:
    assert f"referat-nlp {name}" in README


def test_top_level_help_lists_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
