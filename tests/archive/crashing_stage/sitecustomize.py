"""Loaded by every Python started with this folder on PYTHONPATH (batch workers are
spawned interpreters, so a test cannot patch them from its own process): a stage
after reading raises for files whose name starts with "crash", as a bug would."""

from referat_nlp import pipeline

_build = pipeline.build


def _crashing_build(document, source, classifier=None):  # type: ignore[no-untyped-def]
    if (source.path or "").rsplit("/", 1)[-1].startswith("crash"):
        return {}["a stage's bug"]  # KeyError
    return _build(document, source, classifier)


pipeline.build = _crashing_build
