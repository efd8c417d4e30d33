"""referat-nlp: structured data from Danish municipal meeting minutes (referater).

Names are imported on first use (``referat_nlp.batch``), so ``import referat_nlp``
and the CLI's start-up do not pay for the pipeline's dependencies.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["batch"]

# public name -> module defining it
_LAZY = {"batch": "referat_nlp.batch"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'referat_nlp' has no attribute {name!r}")
