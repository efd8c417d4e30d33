"""Where batch work runs: a local process pool, or a Dask cluster.

Both engines take a picklable function and tasks and yield ``(task, result)``
pairs as results arrive, where the result is what the function returned (None
too) or a :class:`Failure` when the work did not end with a result: the function
raised (the traceback is kept and the worker goes on), the file ran past its time
limit, went over its memory cap, or took its worker process down with it. The run
goes on either way; the engine starts a fresh worker in place of a stopped one.

The local pool is hand-made rather than ``concurrent.futures`` because a hung task
must be killed on its own: a process pool cannot stop one task, and a thread
cannot be stopped at all (PDFium's C loops ignore signals). Workers are started
once per run and import the pipeline before their first task, so the time limit
measures work, not imports.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from referat_nlp.errors import Reason, why

log = logging.getLogger(__name__)

# what _check returns for a worker still at work (None is a result like any other)
BUSY = object()
POLL_SECONDS = 0.05
# the address-space limit set in a worker, as a multiple of the resident-memory cap
# the parent enforces: address space counts mapped libraries and unused reservations
ADDRESS_SPACE_FACTOR = 2
START_SECONDS = 120.0  # a worker importing the pipeline on a loaded machine
# Each worker is one core's worth of work, so native thread pools inside it (OpenBLAS
# behind numpy's matrix products) would only fight the other workers for the cores:
# one worker measured 1.25 cores busy and 2 workers 1.56-1.60 x one on the batch
# benchmark, against 1.87-1.90 x with these set. Dask's nanny sets the same ones.
SINGLE_THREADED = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True, slots=True)
class Failure:
    """Work that ended without a result: ``reason`` is INTERNAL (the function
    raised: a bug, not a bad file), TIMEOUT, MEMORY or WORKER_DIED; ``detail`` is
    the traceback when the function raised."""

    reason: Reason
    error: str
    seconds: float = 0.0  # how long the work ran before it was stopped
    detail: str | None = None


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _serve(
    func: Callable[[Any], Any],
    warm_up: Callable[[], None] | None,
    conn: Connection,
    memory: int | None,
) -> None:
    """A worker's life: cap its memory, warm up, then run tasks until told to stop."""
    os.environ.update(SINGLE_THREADED)  # before the warm-up loads numpy
    if memory:  # a backstop for growth faster than the parent's watch
        limit = memory * ADDRESS_SPACE_FACTOR
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if warm_up is not None:
        warm_up()
    conn.send(("ready", None))
    while (task := conn.recv()) is not None:
        try:
            conn.send(("ok", func(task)))
        except MemoryError:
            conn.send(("memory", None))
            return  # a fresh worker will take over with a clean heap
        except Exception as exc:  # any bug in func: reported with its traceback
            conn.send(("raised", (why(exc), traceback.format_exc())))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: Any = None
    started: float = 0.0


def _feed(slot: _Slot, pending: Iterator[Any]) -> None:
    """Send the slot's worker the next task, if there is one."""
    slot.task = next(pending, None)
    if slot.task is not None:
        slot.conn.send(slot.task)
        slot.started = time.monotonic()


class LocalEngine:
    """A pool of worker processes on this machine, each task under a time limit."""

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 120.0,
        memory_mb: int | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self.timeout = timeout
        self.memory = memory_mb * 2**20 if memory_mb else None
        self._context = multiprocessing.get_context("spawn")
        self.startup_seconds = 0.0  # starting the workers, once map() has run
        self._warm_up: Callable[[], None] | None = None

    def map(
        self,
        func: Callable[[Any], Any],
        tasks: Iterable[Any],
        warm_up: Callable[[], None] | None = None,
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``func`` on each task; yield ``(task, result or Failure)`` pairs.

        ``warm_up`` runs once in each worker before its first task (imports, lazy
        models), so that the time limit measures work.
        """
        self._warm_up = warm_up
        pending = iter(tasks)
        started = time.monotonic()
        slots = [self._spawn(func) for _ in range(self.workers)]  # start together
        try:
            for slot in slots:
                self._ready(slot)
            self.startup_seconds = time.monotonic() - started
            yield from self._loop(func, slots, pending)
        finally:
            for slot in slots:
                self._stop(slot)

    def _loop(
        self, func: Callable[[Any], Any], slots: list[_Slot], pending: Iterator[Any]
    ) -> Iterator[tuple[Any, Any]]:
        """Keep every worker busy; a worker gets its next task before the result
        of its last one is handed on, so writing results never leaves it idle."""
        for slot in slots:
            _feed(slot, pending)
        while busy := [s.conn for s in slots if s.task is not None]:
            ready = wait(busy, timeout=POLL_SECONDS)
            for n, slot in enumerate(slots):
                outcome = self._check(slot, ready)
                if outcome is BUSY:
                    continue
                task, slot.task = slot.task, None
                if isinstance(outcome, Failure) and outcome.reason != Reason.INTERNAL:
                    log.info("replacing a worker: %s", outcome.error)
                    slot.process.kill()
                    self._stop(slot)
                    slots[n] = self._ready(self._spawn(func))
                _feed(slots[n], pending)
                yield task, outcome

    def _check(self, slot: _Slot, ready: list[Any]) -> Any:
        """The slot's result, a Failure if it raised or must be stopped, or BUSY."""
        if slot.task is None:
            return BUSY
        elapsed = time.monotonic() - slot.started
        if slot.conn in ready:
            try:
                kind, result = slot.conn.recv()
            except (EOFError, OSError):
                slot.process.join(1)
                return Failure(
                    Reason.WORKER_DIED,
                    f"worker exited with code {slot.process.exitcode}",
                    elapsed,
                )
            if kind == "memory":
                return Failure(Reason.MEMORY, self._over(), elapsed)
            if kind == "raised":
                return Failure(Reason.INTERNAL, result[0], elapsed, detail=result[1])
            return result
        if elapsed > self.timeout:
            return Failure(
                Reason.TIMEOUT, f"no result after {self.timeout:g} s", elapsed
            )
        if self.memory and _rss(slot.process.pid) > self.memory:
            return Failure(Reason.MEMORY, self._over(), elapsed)
        return BUSY

    def _over(self) -> str:
        return f"over the {(self.memory or 0) // 2**20} MiB memory cap"

    def _spawn(self, func: Callable[[Any], Any]) -> _Slot:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(func, self._warm_up, child, self.memory), daemon=True
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    @staticmethod
    def _ready(slot: _Slot) -> _Slot:
        """Wait for a new worker's warm-up; a worker that dies doing it is an error."""
        try:
            if not slot.conn.poll(START_SECONDS):
                raise EOFError
            slot.conn.recv()
        except (EOFError, OSError) as exc:
            slot.process.kill()
            raise RuntimeError(
                "a batch worker failed to start (is the memory cap too low?)"
            ) from exc
        return slot

    @staticmethod
    def _stop(slot: _Slot) -> None:
        """End a worker: politely when idle, by SIGKILL when busy or stuck."""
        if slot.process.is_alive() and slot.task is None:
            with suppress(OSError):
                slot.conn.send(None)
            slot.process.join(5)
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()


class DaskEngine:
    """The same work on a ``dask.distributed`` cluster (default: a LocalCluster).

    The client keeps as many tasks in flight as the cluster has threads, so a
    task's time limit starts when a worker can take it; a task past its limit is
    recorded as failed and its worker restarted. The memory cap is Dask's own
    per-worker ``memory_limit`` (the nanny restarts a worker that exceeds it); with
    retries switched off such a task fails as a killed worker.
    """

    def __init__(
        self,
        workers: int | None = None,
        timeout: float = 120.0,
        memory_mb: int | None = None,
        scheduler: str | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self.timeout = timeout
        self.memory = memory_mb * 2**20 if memory_mb else None
        self.scheduler = scheduler
        self.startup_seconds = 0.0

    def map(
        self,
        func: Callable[[Any], Any],
        tasks: Iterable[Any],
        warm_up: Callable[[], None] | None = None,
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``func`` on every task on the cluster; yield results as they end."""
        import dask
        from distributed import Client, LocalCluster

        started = time.monotonic()
        config = {"distributed.scheduler.allowed-failures": 0}
        with _environ_kept(), dask.config.set(config):
            cluster = None
            if self.scheduler is None:
                cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=self.memory or 0,
                    dashboard_address=None,
                )
            client = Client(cluster or self.scheduler)  # type: ignore[no-untyped-call]
            try:
                if warm_up is not None:
                    client.run(warm_up)
                self.startup_seconds = time.monotonic() - started
                yield from self._loop(client, func, iter(tasks))
            finally:
                client.close()  # type: ignore[no-untyped-call]
                if cluster is not None:
                    cluster.close()

    def _loop(
        self, client: Any, func: Callable[[Any], Any], pending: Iterator[Any]
    ) -> Iterator[tuple[Any, Any]]:
        from distributed import wait as dask_wait

        slots = sum(client.nthreads().values())
        flight: dict[Any, tuple[Any, float]] = {}
        while True:
            while len(flight) < slots and (task := next(pending, None)) is not None:
                flight[client.submit(func, task, pure=False)] = (task, time.monotonic())
            if not flight:
                return
            with suppress(TimeoutError):  # nothing finished within the poll
                dask_wait(  # type: ignore[no-untyped-call]
                    list(flight), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED"
                )
            for future in list(flight):
                outcome = self._outcome(client, future, flight[future][1])
                if outcome is not BUSY:
                    yield flight.pop(future)[0], outcome

    def _outcome(self, client: Any, future: Any, started: float) -> Any:
        from distributed import KilledWorker

        elapsed = time.monotonic() - started
        if future.status == "finished":
            return future.result()
        if future.status == "error":
            error = future.exception()
            if isinstance(error, KilledWorker):
                return Failure(
                    Reason.WORKER_DIED, "worker died (over its memory limit?)", elapsed
                )
            trace = future.traceback()
            detail = "".join(traceback.format_exception(type(error), error, trace))
            return Failure(Reason.INTERNAL, why(error), elapsed, detail=detail)
        if elapsed > self.timeout:
            workers = [
                w for w, keys in client.processing().items() if future.key in keys
            ]
            future.cancel()
            if workers:
                client.restart_workers(workers)
            return Failure(
                Reason.TIMEOUT, f"no result after {self.timeout:g} s", elapsed
            )
        return BUSY


@contextmanager
def _environ_kept() -> Iterator[None]:
    """Restore this process's environment afterwards: a LocalCluster's nannies run
    in this process and set variables here for their workers (PYTHONHASHSEED, the
    BLAS thread counts, MALLOC_TRIM_THRESHOLD_), which every process started later,
    such as a local engine's workers, would inherit."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _rss(pid: int) -> int:
    """Resident memory of a process (psutil: portable, unlike /proc)."""
    import psutil

    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:  # it just ended; the pipe will say how
        return 0
