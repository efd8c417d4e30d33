"""Typed errors. Each message names the file and says what is wrong or what to do.

Library functions raise these and never print or exit; the CLI turns them into one
line and a non-zero exit, and batch runs record them per file and carry on.
"""

from __future__ import annotations


class ReferatError(Exception):
    """Base class: a document could not be turned into a referat."""

    reason = "error"

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
    reason = "no such file"


class UnsupportedFormat(ReferatError):
    reason = "unsupported file type"


class EmptyDocument(ReferatError):
    reason = "empty file"


class CorruptDocument(ReferatError):
    reason = "corrupt or truncated file"


class EncryptedDocument(ReferatError):
    reason = "encrypted PDF: decrypt it first (e.g. qpdf --decrypt)"


class NoTextLayer(ReferatError):
    reason = "no text layer: needs OCR (--ocr, with tesseract-ocr-dan installed)"


class OcrUnavailable(ReferatError):
    """OCR was asked for, but Tesseract, its Danish data or pytesseract is missing."""

    reason = (
        "OCR needs tesseract with Danish data: "
        "apt install tesseract-ocr tesseract-ocr-dan"
    )

    def message(self) -> str:
        return f"{self.reason}; and {self.detail}" if self.detail else self.reason


class InternalError(ReferatError):
    """A stage failed on this file for a reason no reader foresaw: a bug. The CLI
    and batch runs report it like any bad file (batch keeps the traceback)."""

    reason = "internal error"


class SearchError(ReferatError):
    """A search index could not be built, opened or queried; ``path`` is the index
    or the query text."""

    reason = "search failed"
