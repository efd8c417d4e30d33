"""The JSON Schema of the referat contract, shipped as ``referat-v<N>.json``.

The file is generated from :mod:`referat_nlp.document` by
``python -m referat_nlp.schema`` and checked into the package so that tools
without Python can validate our output; a test fails when it is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referat_nlp.document import SCHEMA_VERSION, json_schema

SCHEMA_PATH = Path(__file__).with_name(f"referat-v{SCHEMA_VERSION}.json")


def load() -> dict[str, Any]:
    """The shipped schema."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, load())


def render() -> str:
    """The schema file's text, as generated from the data model."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
