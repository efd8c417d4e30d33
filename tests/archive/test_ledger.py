"""The run ledger: skip rules, all-or-nothing commits, and exactly-once shards."""

from __future__ import annotations

from pathlib import Path

import pytest

from referat_nlp.archive.ledger import (
    BILAG,
    DONE,
    DUPLICATE,
    FAILED,
    Ledger,
    Row,
    Shards,
    needs_run,
)


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
        (_row(DONE), "a", "v1", False, False),  # done and unchanged
        (_row(DUPLICATE), "a", "v1", False, False),
        (_row(BILAG), "a", "v1", False, False),
        (_row(DONE), "b", "v1", False, True),  # the file changed
        (_row(DONE), "a", "v2", False, True),  # a new extractor version
        (_row(FAILED), "a", "v1", False, False),  # failures stay failed …
        (_row(FAILED), "a", "v1", True, True),  # … unless retried
        (_row(DONE), "a", "v1", True, False),  # retrying leaves done alone
    ],
)
def test_needs_run(
    row: Row | None, sha: str, extractor: str, retry: bool, expected: bool
) -> None:
    assert needs_run(row, sha, extractor, retry) is expected


def test_rows_round_trip_and_replace(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.commit([_row(FAILED)])
        ledger.commit([_row(DONE)])
        stored = ledger.get("/archive/ou.pdf")
    assert stored is not None
    assert (stored.status, stored.sha256, stored.extractor) == (DONE, "a", "v1")
    assert stored.updated > 0


def test_done_by_sha_names_first_path(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        rows = [
            Row("/b.pdf", "x", "x", DONE, "v1"),
            Row("/a.pdf", "x", "x", DONE, "v1"),
            Row("/c.pdf", "y", "y", FAILED, "v1"),
        ]
        ledger.commit(rows)
        assert ledger.done_by_sha() == {"x": "/a.pdf"}


def test_failed_commit_leaves_nothing(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        bad = Row("/b.pdf", "x", "x", DONE, None)  # type: ignore[arg-type]
        with pytest.raises(Exception, match="NOT NULL"):
            ledger.commit([_row(DONE), bad], {"_shard-00001.jsonl": 10})
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
