"""Typed errors. Each message names the file and says what is wrong or what to do.

Library functions raise these and never print or exit; the CLI turns them into one
line and a non-zero exit, and batch runs record them per file and carry on.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class Reason(StrEnum):
    """Why an input was not read: the machine key that ledgers, batch summaries and
    programs use. The sentence for people is the error's ``reason``."""

    MISSING = "missing"
    UNSUPPORTED = "unsupported"
    EMPTY = "empty"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"
    OCR_UNAVAILABLE = "ocr_unavailable"
    INTERNAL = "internal"  # a bug: no reader foresaw this failure
    SEARCH = "search"
    # a batch worker's ending, not a reader's error
    TIMEOUT = "timeout"
    MEMORY = "memory"
    WORKER_DIED = "worker_died"


class ReferatError(Exception):
    """Base class: a document could not be turned into a referat."""

    reason = "error"
    code: ClassVar[Reason] = Reason.INTERNAL

    def __init__(self, path: object, detail: str = "") -> None:
        self.path = str(path) if path is not None else "<bytes>"
        self.detail = detail
        super().__init__(f"{self.path}: {self.message()}")

    def message(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail else self.reason


def why(exc: BaseException) -> str:
    """A library's failure as one line, its exception named in full ("zlib.error:
    …"), for the detail of the typed error a reader raises in its place."""
    kind = type(exc)
    module = "" if kind.__module__ == "builtins" else f"{kind.__module__}."
    return f"{module}{kind.__qualname__}: {exc}"


class MissingFile(ReferatError):
    code = Reason.MISSING
    reason = "no such file"


class UnsupportedFormat(ReferatError):
    code = Reason.UNSUPPORTED
    reason = "unsupported file type"


class EmptyDocument(ReferatError):
    code = Reason.EMPTY
    reason = "empty file"


class CorruptDocument(ReferatError):
    code = Reason.CORRUPT
    reason = "corrupt or truncated file"


class EncryptedDocument(ReferatError):
    code = Reason.ENCRYPTED
    reason = "encrypted PDF: decrypt it first (e.g. qpdf --decrypt)"


class NoTextLayer(ReferatError):
    code = Reason.NO_TEXT_LAYER
    reason = "no text layer: needs OCR (--ocr, with tesseract-ocr-dan installed)"


class OcrUnavailable(ReferatError):
    """OCR was asked for, but Tesseract, its Danish data or pytesseract is missing."""

    code = Reason.OCR_UNAVAILABLE
    reason = (
        "OCR needs tesseract with Danish data: "
        "apt install tesseract-ocr tesseract-ocr-dan"
    )

    def message(self) -> str:
        return f"{self.reason}; and {self.detail}" if self.detail else self.reason


class InternalError(ReferatError):
    """A stage failed on this file for a reason no reader foresaw: a bug. The CLI
    and batch runs report it like any bad file (batch keeps the traceback)."""

    code = Reason.INTERNAL
    reason = "internal error"


class SearchError(ReferatError):
    """A search index could not be built, opened or queried; ``path`` is the index
    or the query text."""

    code = Reason.SEARCH
    reason = "search failed"
