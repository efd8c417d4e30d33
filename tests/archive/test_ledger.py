"""The run ledger: skip rules, all-or-nothing commits, and exactly-once shards."""

from __future__ import annotations

from pathlib import Path

import pytest

from referat_nlp.archive.ledger import Ledger, Row, Shards, Status, needs_run
from referat_nlp.errors import Reason


def _row(status: str, sha: str = "a", extractor: str = "v1") -> Row:
    return Row(
        path="/archive/ou.pdf",
        sha256=sha,
        group_sha256=sha,
        status=status,
        extractor=extractor,
    )


@pytest.mark.parametrize(
    ("row", "sha", "extractor", "retry", "expected"),
    [
        (None, "a", "v1", False, True),  # never seen
        (_row(Status.DONE), "a", "v1", False, False),  # done and unchanged
        (_row(Status.DUPLICATE), "a", "v1", False, False),
        (_row(Status.BILAG), "a", "v1", False, False),
        (_row(Status.DONE), "b", "v1", False, True),  # the file changed
        (_row(Status.DONE), "a", "v2", False, True),  # a new extractor version
        (_row(Status.FAILED), "a", "v1", False, False),  # failures stay failed …
        (_row(Status.FAILED), "a", "v1", True, True),  # … unless retried
        (_row(Status.DONE), "a", "v1", True, False),  # retrying leaves done alone
    ],
)
def test_needs_run(
    row: Row | None, sha: str, extractor: str, retry: bool, expected: bool
) -> None:
    assert needs_run(row, sha, extractor, retry) is expected


def test_rows_round_trip_and_replace(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.commit([_row(Status.FAILED)])
        ledger.commit([_row(Status.DONE)])
        stored = ledger.get("/archive/ou.pdf")
    assert stored is not None
    assert (stored.status, stored.sha256, stored.extractor) == (Status.DONE, "a", "v1")
    assert stored.updated > 0


def test_done_by_sha_names_first_path(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        rows = [
            Row("/b.pdf", "x", "x", Status.DONE, "v1"),
            Row("/a.pdf", "x", "x", Status.DONE, "v1"),
            Row("/c.pdf", "y", "y", Status.FAILED, "v1"),
        ]
        ledger.commit(rows)
        assert ledger.done_by_sha() == {"x": "/a.pdf"}


def test_failed_commit_leaves_nothing(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        bad = Row("/b.pdf", "x", "x", Status.DONE, None)  # type: ignore[arg-type]
        with pytest.raises(Exception, match="NOT NULL"):
            ledger.commit([_row(Status.DONE), bad], {"_shard-00001.jsonl": 10})
        assert ledger.rows() == []
        assert ledger.shard_sizes() == {}


def test_shards_cut_back_to_committed_size(tmp_path: Path) -> None:
    """Lines appended after the last commit vanish on re-open; so do new shards."""
    shards = Shards(tmp_path, {}, "_shard", max_lines=2)
    committed = dict([shards.append('{"n": 1}'), shards.append('{"n": 2}')])
    shards.append('{"n": 3}')  # starts shard 2, never committed
    with (tmp_path / "_shard-00001.jsonl").open("ab") as handle:
        handle.write(b'{"half": ')  # a run killed in the middle of a line
    reopened = Shards(tmp_path, committed, "_shard", max_lines=2)
    assert (tmp_path / "_shard-00001.jsonl").read_text() == '{"n": 1}\n{"n": 2}\n'
    assert not (tmp_path / "_shard-00002.jsonl").exists()
    assert reopened.append('{"n": 4}')[0] == "_shard-00002.jsonl"


def test_shards_continue_the_last_file(tmp_path: Path) -> None:
    shards = Shards(tmp_path, {}, "_shard", max_lines=5)
    committed = dict([shards.append("1")])
    again = Shards(tmp_path, committed, "_shard", max_lines=5)
    assert again.append("2") == ("_shard-00001.jsonl", 4)


def test_old_reason_sentences_read_as_keys(tmp_path: Path) -> None:
    """A ledger written before the Reason keys stored the error's sentence."""
    with Ledger(tmp_path) as ledger:
        ledger.commit([
            Row(f"/a/{n}.pdf", "s", "g", Status.FAILED, "x", reason=text)  # type: ignore[arg-type]
            for n, text in enumerate(OLD_SENTENCES)
        ])  # fmt: skip
        assert [r.reason for r in ledger.rows()] == list(OLD_SENTENCES.values())


OLD_SENTENCES = {
    "corrupt or truncated file": Reason.CORRUPT,
    "encrypted PDF: decrypt it first (e.g. qpdf --decrypt)": Reason.ENCRYPTED,
    "no text layer: needs OCR (--ocr, with tesseract-ocr-dan installed)": (
        Reason.NO_TEXT_LAYER
    ),
    "memory limit": Reason.MEMORY,
    "worker died": Reason.WORKER_DIED,
    "internal error": Reason.INTERNAL,
}
