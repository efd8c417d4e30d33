"""The shipped JSON Schema matches the data model and rejects broken documents."""

from __future__ import annotations

import jsonschema
import pytest

from referat_nlp import schema
from referat_nlp.document import Meeting, Referat, Source


def test_shipped_schema_is_current() -> None:
    assert schema.SCHEMA_PATH.read_text(encoding="utf-8") == schema.render(), (
        "run: python -m referat_nlp.schema"
    )


def _minimal() -> dict[str, object]:
    return Referat(
        source=Source(path="a.txt", sha256="0" * 64, format="txt"), meeting=Meeting()
    ).to_dict()


def test_minimal_document_validates() -> None:
    schema.validate(_minimal())


@pytest.mark.parametrize(
    ("key", "value"),
    [("items", [{"number": "1"}]), ("surprise", 1), ("source", {"path": "a"})],
)
def test_broken_documents_fail(key: str, value: object) -> None:
    data = _minimal() | {key: value}
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(data)
