"""``python -m referat_nlp.schema`` regenerates the shipped schema file."""

from referat_nlp.schema import SCHEMA_PATH, render

SCHEMA_PATH.write_text(render(), encoding="utf-8")
print(SCHEMA_PATH)
