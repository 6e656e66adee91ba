"""``EngineBridge``: the one object between the engine and the Qt widgets.

Engine events arrive on the engine's thread; the bridge queues them and, on a timer (about 33 Hz) in
the GUI thread, applies a bounded batch to its ``ClusterState`` and emits ``updated``.
Operations (put, jobs, kills) run on worker threads, so the Qt event loop never waits on the
cluster; their outcome comes back as signals. A finished job's single-process reference is
computed in a short-lived child process: seconds of pure-Python work on a large file would
otherwise hold this process's interpreter lock and stall the GUI thread.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from engine.backend import open_backend
from engine.config import ClusterConfig
from engine.errors import ClusterScopeError
from engine.events import Event
from engine.model import JobSpec
from engine.run import Run, RunPlan
from engine.verdict import WRONG, Verdict, judge, reference_for
from engine.view import ClusterState

from .i18n import translate

DRAIN_MS = 30  # about 33 Hz: more often than the plots redraw, so none of their slots is missed
LIFECYCLE_WAIT_S = 15.0  # at most this long, on closing, for a cluster start under way
MAX_EVENTS_PER_TICK = 20000
_PR_SET_PDEATHSIG = 1


def _reference_child(conn, args) -> None:
    if sys.platform.startswith("linux"):  # never outlive the app
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    try:
        conn.send((True, reference_for(*args)))
    except BaseException as exc:  # handed back to the parent
        conn.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def reference_in_child(path: str, kind: str, word, ignore_case: bool, top: int, exclude=()):
    """``reference_for`` computed in a forked child process; the calling thread only waits
    on a pipe (without the interpreter lock). Raises ClusterScopeError if the child fails."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_reference_child,
                          args=(send, (path, kind, word, ignore_case, top, tuple(exclude))),
                          name="clusterscope-reference", daemon=True)
    process.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:
        ok, value = False, "the reference process ended without an answer"
    finally:
        receive.close()
        process.join()
    if not ok:
        raise ClusterScopeError(value)
    return value


class EngineBridge(QObject):
    updated = Signal(list)  # the events just applied to ``state``
    changed = Signal(object)  # what they changed (engine.view.StateChange), when anything did
    operation_failed = Signal(str, str)  # operation, one-line error
    operation_done = Signal(str, object)  # operation, result
    verdict_ready = Signal(int, str, str)  # job id, verdict, detail
    cluster_ready = Signal()
    cluster_reset = Signal()
    run_phase = Signal(str, str)  # a scripted run's phase (engine.run.Phase value) and detail

    def __init__(self, config: ClusterConfig | None = None, parent=None, backend_factory=None):
        super().__init__(parent)
        self.config = config or ClusterConfig()
        # config -> a ClusterBackend (not started); the local process cluster unless told otherwise
        self.backend_factory = backend_factory or (lambda config: open_backend(config.backend, config))
        self.backend = None
        self.state = ClusterState()
        self.recorded: list = []  # every event of the current cluster, for export and replay
        self.paths: dict[str, str] = {}  # stored file name -> path on disk, for references
        self._queue: deque = deque()
        self._generation = 0
        self._unsubscribe = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bridge")
        # Starting and stopping clusters, one at a time and in order: a start stops the
        # cluster before it completely (never one still starting beside it), and no two
        # clusters fork their node processes at once.
        self._lifecycle = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bridge-lifecycle")
        self._lifecycle_last = None
        self._lock = threading.Lock()
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._timer.start()
        self.time_scale = 1.0

    # -- events -------------------------------------------------------------------------

    def _subscriber(self, generation: int):
        def on_event(event: Event) -> None:
            if generation == self._generation:
                self._queue.append(event)
        return on_event

    def drain(self) -> list:
        batch = []
        while self._queue and len(batch) < MAX_EVENTS_PER_TICK:
            batch.append(self._queue.popleft())
        if batch:
            self.recorded.extend(batch)
            change = self.state.apply_all(batch)
            self.updated.emit(batch)
            if change:
                self.changed.emit(change)
            for event in batch:
                if event.kind == "job_finished":
                    self._judge(event)
                elif event.kind == "cluster_failed":
                    self._on_cluster_failed(event)
        return batch

    def _on_cluster_failed(self, event) -> None:
        """The engine failed: say so, and stop its node processes (Reset starts a new one)."""
        self.operation_failed.emit(
            translate("bridge", "cluster"),
            translate("bridge", "its engine failed ({reason}); the cluster was stopped. "
                                "Reset starts a new one.").format(reason=event.reason))
        backend = self.backend
        if backend is not None:
            self._pool.submit(backend.stop)

    def clock(self) -> float:
        """Cluster time now (seconds since the cluster started), the x axis of every plot."""
        if self.backend is None:
            return self.state.t
        return time.monotonic() - self.backend.t0

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, config: ClusterConfig | None = None) -> None:
        """Start a cluster (replacing any current one) without blocking the GUI."""
        if config is not None:
            self.config = config
        old = self.backend
        self._generation += 1
        generation = self._generation
        self._queue.clear()
        self.state = ClusterState()
        self.recorded = []
        self.paths = {}
        backend = self.backend_factory(self.config)
        self.backend = backend
        self._unsubscribe = backend.subscribe(self._subscriber(generation))
        self.cluster_reset.emit()

        def work():
            if old is not None:
                old.stop()
            backend.start()
            return backend

        self._lifecycle_last = self._run("start", work, on_done=lambda _: self.cluster_ready.emit(),
                                         pool=self._lifecycle)

    def stop(self) -> None:
        self._timer.stop()
        # Starts not begun are dropped; one under way finishes first, so that its cluster
        # is the one stopped here (bounded: a start that hangs is not waited for forever).
        self._lifecycle.shutdown(wait=False, cancel_futures=True)
        if self._lifecycle_last is not None:
            try:
                self._lifecycle_last.result(timeout=LIFECYCLE_WAIT_S)
            except Exception:  # cancelled, failed (already said), or still hanging
                pass
        if self.backend is not None:
            self.backend.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- operations ---------------------------------------------------------------------

    def _run(self, name: str, fn, on_done=None, pool=None):
        def work():
            try:
                result = fn()
            except ClusterScopeError as exc:
                self.operation_failed.emit(name, str(exc))
                return None
            except Exception as exc:  # shown to the user, never a silent failure
                self.operation_failed.emit(name, f"{type(exc).__name__}: {exc}")
                return None
            self.operation_done.emit(name, result)
            if on_done is not None:
                on_done(result)
            return result
        return (pool or self._pool).submit(work)

    def put(self, path: str, name: str | None = None):
        name = name or os.path.basename(path)

        def work():
            result = self.backend.put(path, name=name)
            self.paths[name] = path
            return result
        return self._run("put", work)

    def run_job(self, spec: JobSpec):
        def work():
            job_id = self.backend.submit(spec)
            return job_id
        return self._run(spec.kind, work)

    def _judge(self, event) -> None:
        job = self.state.jobs.get(event.job)
        path = self.paths.get(job.file) if job is not None else None
        if job is None or path is None:
            return

        def work():
            value = event.count if job.kind == "count" else [list(x) for x in event.top]
            ranges = tuple(tuple(r) for r in event.missing_ranges)
            if event.status == "failed" or (event.status != "ok" and not ranges):
                verdict = judge(event.status, event.missing_blocks, value, None, failure=event.failure)
            else:
                try:
                    reference = reference_in_child(path, job.kind, job.word, job.ignore_case,
                                                   job.top or 20, exclude=ranges)
                    verdict = judge(event.status, event.missing_blocks, value, reference, ranges)
                except ClusterScopeError as exc:
                    if "ValueError" not in str(exc):
                        raise
                    verdict = Verdict(WRONG, f"WRONG: {exc}")  # its ranges are not in the file
            self.verdict_ready.emit(event.job, verdict.verdict, verdict.detail)
        self._pool.submit(work)

    def run_plan(self, make_plan, name: str = "scenario") -> Run | None:
        """Play a scripted run (``engine.run``) on the current cluster, on a worker thread.
        ``make_plan()`` (called there: it may generate data) returns the ``RunPlan``; its
        phases come back as ``run_phase``, its ``RunOutcome`` as ``operation_done(name, ...)``.
        Returns the ``Run`` holder at once (``cancel()`` stops its faults)."""
        backend = self.backend
        holder = ScriptedRun(backend, self)

        def work():
            plan = make_plan()
            self.paths[plan.name or os.path.basename(plan.path)] = plan.path
            return holder.execute(plan)
        self._run(name, work)
        return holder

    def kill(self, node: int):
        return self._run("kill", lambda: self.backend.kill_node(node))

    def pause(self, node: int):
        return self._run("pause", lambda: self.backend.pause_node(node))

    def resume(self, node: int):
        return self._run("resume", lambda: self.backend.resume_node(node))

    def restart(self, node: int):
        return self._run("restart", lambda: self.backend.restart_node(node))

    def corrupt(self, node: int, block: int | None = None):
        return self._run("corrupt", lambda: self.backend.corrupt_replica(node, block))

    def freeze(self):
        return self._run("freeze", lambda: self.backend.freeze())

    def thaw(self):
        return self._run("thaw", lambda: self.backend.thaw())

    def add_node(self):
        return self._run("add node", lambda: self.backend.add_node())


class ScriptedRun:
    """A run-layer ``Run`` on the window's cluster; cancelling it (a reset, another
    scenario) stops its faults, and its end is then not reported as a failure."""

    def __init__(self, backend, bridge: EngineBridge):
        self.backend = backend
        self.bridge = bridge
        self.run: Run | None = None
        self.cancelled = False

    def execute(self, plan: RunPlan):
        if self.cancelled:
            return None
        self.run = Run(self.backend, plan, own_backend=False,
                       on_phase=lambda phase, detail: self.bridge.run_phase.emit(phase.value, detail))
        try:
            return self.run.execute()
        except ClusterScopeError:
            if self.cancelled:
                return None
            raise

    def cancel(self) -> None:
        self.cancelled = True
        if self.run is not None:
            self.run.faults.cancel()
