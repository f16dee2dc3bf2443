"""Worker processes for batch commands (``--jobs``).

The parent process owns the store: it keeps originals, records submissions
and registers issued documents, always in the order a serial run would.
Workers only run pure functions (parse a file's bytes, render a document)
and send back picklable results. Workers are started with "spawn": the
parent holds database connections (and maybe onnxruntime threads), which a
fork would copy in an unsafe state. A batch that starts its workers before
it opens the store (``Workers(..., fork=True)`` and :meth:`Workers.start`)
forks them instead, when that is provably safe: one thread, and no open
database file or socket in the process (checked in /proc at that moment);
a forked worker has every module of the parent already loaded, so it starts
in milliseconds instead of about a second. Each worker gets the parent's
FORMKIT_* settings and sys.path, so it reads the same configuration and
imports the same code.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: Below this many files or documents a batch runs in the parent. A worker
#: costs about 1 s of CPU to start (an interpreter, lxml, pydantic, the forms
#: and the readers: formkit.intake.parsing loads neither the store nor the mail
#: code, and the main module of ``formkit``/``python -m formkit`` is light), as
#: much as parsing or rendering about 30 documents (bench/RESULTS.md, "--jobs").
PARALLEL_MIN = 32
#: Seconds of CPU a spawned worker takes to start (the same measurement).
WORKER_START_S = 1.0


def default_jobs() -> int:
    """All cores (the default of ``--jobs``)."""
    return os.cpu_count() or 1


def pool_size(jobs: int | None, tasks: int, *, at_least: int | None = None) -> int:
    """How many workers a batch of ``tasks`` gets: ``jobs`` (None: every core),
    or 1 (none: run here) below ``at_least`` tasks (default PARALLEL_MIN)."""
    return (jobs or default_jobs()) if tasks >= (PARALLEL_MIN if at_least is None else at_least) else 1


def fork_is_safe() -> bool:
    """May this process fork workers now? Only with one thread (a fork copies
    no other thread, and any lock one held stays locked) and no database
    connection open (a SQLite file, its -wal/-shm/-journal, or any socket: a
    forked copy of a connection must never be touched, so there must be none)."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
        return False
    import gc

    gc.collect()  # a connection left in a reference cycle is closed here, not in a worker
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return False  # cannot tell
    for fd in fds:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed meanwhile
        if target.startswith("socket:") or target.endswith((".db", ".db-wal", ".db-shm", ".db-journal",
                                                             ".sqlite", ".sqlite3")):
            return False
    return True


def _init(env: dict[str, str], path: list[str], parent: int) -> None:
    for key in [k for k in os.environ if k.startswith("FORMKIT_")]:
        del os.environ[key]
    os.environ.update(env)
    sys.path[:] = path
    threading.Thread(target=_exit_with, args=(parent,), name="formkit-parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker when the process that started it is gone (killed, or the
    machine's OOM killer): a worker holds both ends of its task pipe, so it would
    otherwise wait for work forever."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


class Workers:
    """A pool of ``jobs`` worker processes, or none (``jobs`` 1: every call
    runs in the parent). ``submit`` returns a handle; ``result`` waits for it.
    A worker that dies (a crash in a C library, the OOM killer) breaks only
    the calls it was running: each one is retried alone in a fresh pool, and
    if it breaks that one too, ``result`` raises ``WorkerCrashed``."""

    def __init__(self, jobs: int, *, fork: bool = False) -> None:
        self.jobs = max(1, jobs)
        self.fork = fork  # fork the workers when that is safe (fork_is_safe) as they start
        self.forked = False  # were they forked (else spawned)?
        self._pool: ProcessPoolExecutor | None = None

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self) -> None:
        """Start the workers now (a batch calls this before it opens the store,
        so that they may be forked): all of them are running when it returns."""
        if self.parallel:
            self._executor().submit(os.getpid).result()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            env = {k: v for k, v in os.environ.items() if k.startswith("FORMKIT_")}
            self.forked = self.fork and fork_is_safe()
            if self.forked:
                for stream in (sys.stdout, sys.stderr):  # a forked worker flushes its copy of them as it ends
                    try:
                        stream.flush()
                    except (AttributeError, OSError, ValueError):
                        pass
            context = multiprocessing.get_context("fork" if self.forked else "spawn")
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=context,
                                             initializer=_init, initargs=(env, list(sys.path), os.getpid()))
        return self._pool

    def submit(self, fn: Callable[..., T], *args: Any) -> Handle[T]:
        if not self.parallel:
            return Handle(fn, args, None)
        return Handle(fn, args, self._executor().submit(fn, *args))

    def result(self, handle: Handle[T]) -> T:
        if handle.future is None:
            return handle.fn(*handle.args)
        try:
            return handle.future.result()
        except BrokenProcessPool:
            pass
        if self._pool is not None and getattr(self._pool, "_broken", False):
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        try:
            return self._executor().submit(handle.fn, *handle.args).result()
        except BrokenProcessPool as e:
            self._pool = None
            raise WorkerCrashed(f"读取进程异常退出（{type(e).__name__}）") from e


def render_job(form: str, chunk: list[tuple[str, dict[str, Any]]]) -> list[tuple[Any, dict[str, Any]]]:
    """Prefilled documents of one form for each (project code, record values)
    of ``chunk``, each with the values a returned copy will read if nobody
    changes them (pure: in a worker, or here). It lives here, not with the
    batch in formkit.project, so that a spawned worker loads the forms and
    the renderer only, not the store (about half the start-up)."""
    from formkit.forms import get_form
    from formkit.forms.validate import validate_form
    from formkit.render.render import render_form

    spec = get_form(form)
    return [(render_form(spec, values or None, project_code=code),
             validate_form(spec.model, values, check_required=False).data if values else {})
            for code, values in chunk]


@dataclass(frozen=True)
class Handle(Generic[T]):
    """A submitted call: the function, its arguments and its future (None: runs in the parent when asked)."""

    fn: Callable[..., T]
    args: tuple[Any, ...]
    future: Future[T] | None


class WorkerCrashed(RuntimeError):
    """A worker process died while running a call, twice."""
