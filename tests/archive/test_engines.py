"""Engines: results come back, and a task that hangs, balloons or crashes its
worker is reported as a failure while the other tasks still finish."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from referat_nlp.archive import engines
from referat_nlp.archive.engines import Failure
from referat_nlp.errors import Reason


def job(task: tuple[str, int]) -> tuple[int, int] | None:
    """A test task: ("ok", n) returns n² and the worker's pid; the others misbehave
    ("none" returns None, as a buggy worker function might)."""
    kind, n = task
    if kind == "raise":
        raise ZeroDivisionError(f"bug in stage {n}")
    if kind == "none":
        return None
    if kind == "hang":
        time.sleep(600)
    elif kind == "balloon":
        hog = [bytearray(2**20) for _ in range(4096)]  # 4 GiB, far over any cap
        return len(hog), 0
    elif kind == "crash":
        os._exit(3)
    return n * n, os.getpid()


def blas_threads(_: object) -> list[int]:
    """The thread counts of the BLAS libraries loaded in this worker."""
    from threadpoolctl import threadpool_info

    return [
        pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"
    ]


def mark_start() -> None:
    """A warm-up that leaves one file per worker start in $BATCH_TEST_STARTS."""
    folder = os.environ["BATCH_TEST_STARTS"]
    with open(os.path.join(folder, str(os.getpid())), "w") as handle:
        handle.write("started")


def _run(engine: object, tasks: list[tuple[str, int]]) -> dict[tuple[str, int], object]:
    return dict(engine.map(job, tasks))  # type: ignore[attr-defined]


def test_local_results_and_workers_started_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BATCH_TEST_STARTS", str(tmp_path))
    tasks = [("ok", n) for n in range(12)]
    engine = engines.LocalEngine(workers=2, timeout=30)
    results = dict(engine.map(job, tasks, warm_up=mark_start))
    assert {task: value[0] for task, value in results.items()} == {
        ("ok", n): n * n for n in range(12)
    }
    started = {int(p.name) for p in tmp_path.iterdir()}
    assert len(started) == 2  # two workers started, each warmed up once …
    assert {value[1] for value in results.values()} <= started  # … did all the work


def test_local_workers_keep_blas_to_one_thread() -> None:
    """A worker is one core's work; numpy's BLAS pool would take the others'."""
    from referat_nlp.archive.worker import warm_up

    engine = engines.LocalEngine(workers=1, timeout=60)
    [(_, threads)] = engine.map(blas_threads, ["blas"], warm_up=warm_up)
    assert threads and set(threads) == {1}  # numpy was loaded, single-threaded


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (("hang", 0), Reason.TIMEOUT),
        (("balloon", 0), Reason.MEMORY),
        (("crash", 0), Reason.WORKER_DIED),
    ],
)
def test_local_failure_is_isolated(bad: tuple[str, int], reason: str) -> None:
    tasks = [("ok", 1), bad, ("ok", 2), ("ok", 3)]
    started = time.monotonic()
    results = _run(engines.LocalEngine(workers=2, timeout=3, memory_mb=512), tasks)
    failure = results.pop(bad)
    assert isinstance(failure, Failure) and failure.reason == reason
    assert sorted(value[0] for value in results.values()) == [1, 4, 9]
    assert time.monotonic() - started < 60


def test_dask_results_and_timeout() -> None:
    pytest.importorskip("distributed")
    tasks = [("ok", 2), ("hang", 0), ("ok", 3), ("ok", 4)]
    environ = dict(os.environ)
    results = _run(engines.DaskEngine(workers=2, timeout=5, memory_mb=1024), tasks)
    failure = results.pop(("hang", 0))
    assert isinstance(failure, Failure) and failure.reason == Reason.TIMEOUT
    assert sorted(value[0] for value in results.values()) == [4, 9, 16]
    # the LocalCluster's settings for its workers do not stay in this process
    assert dict(os.environ) == environ


def test_local_function_that_raises_is_reported_and_the_worker_kept() -> None:
    tasks = [("ok", 1), ("raise", 7), ("ok", 2)]
    results = _run(engines.LocalEngine(workers=1, timeout=30), tasks)
    failure = results.pop(("raise", 7))
    assert isinstance(failure, Failure) and failure.reason == Reason.INTERNAL
    assert failure.error == "ZeroDivisionError: bug in stage 7"
    assert "Traceback" in failure.detail and 'raise ZeroDivisionError(f"bug' in (
        failure.detail
    )
    assert len({pid for _, pid in results.values()}) == 1  # the same worker went on


def test_a_result_of_none_is_a_result_not_a_timeout() -> None:
    started = time.monotonic()
    results = _run(engines.LocalEngine(workers=1, timeout=20), [("none", 0)])
    assert results == {("none", 0): None}
    assert time.monotonic() - started < 15


def test_dask_function_that_raises_keeps_its_traceback() -> None:
    pytest.importorskip("distributed")
    results = _run(
        engines.DaskEngine(workers=1, timeout=30), [("raise", 3), ("none", 0)]
    )
    failure = results[("raise", 3)]
    assert isinstance(failure, Failure) and failure.reason == Reason.INTERNAL
    assert failure.error == "ZeroDivisionError: bug in stage 3"
    assert "ZeroDivisionError" in failure.detail and "job" in failure.detail
    assert results[("none", 0)] is None
