"""referat-nlp: structured data from Danish municipal meeting minutes (referater).

>>> import referat_nlp
>>> referat = referat_nlp.parse("corpus/001.txt")  # doctest: +SKIP
>>> frames = referat_nlp.load("out/")  # doctest: +SKIP
>>> referat_nlp.case_history("18/18284", frames)  # doctest: +SKIP

Names are imported on first use, so ``import referat_nlp`` (and the CLI) stays
fast: parsing does not pay for pandas, Dask or the search back ends.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "parse": "referat_nlp.pipeline",
    "Referat": "referat_nlp.document",
    "Meeting": "referat_nlp.document",
    "Item": "referat_nlp.document",
    "Section": "referat_nlp.document",
    "Decision": "referat_nlp.document",
    "DecisionLabel": "referat_nlp.document",
    "Amount": "referat_nlp.document",
    "Attachment": "referat_nlp.document",
    "Span": "referat_nlp.document",
    "ReferatError": "referat_nlp.errors",
    "batch": "referat_nlp.archive.runs",
    "load": "referat_nlp.analysis.frames",
    "Frames": "referat_nlp.analysis.frames",
    "case_history": "referat_nlp.analysis.history",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'referat_nlp' has no attribute {name!r}")
