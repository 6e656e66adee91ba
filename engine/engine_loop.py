"""The engine thread of a ``LocalCluster``: one thread owns the coordinator's state. It
waits on every node's pipe, feeds messages and operator calls in, ticks the timers, sends the
resulting commands through each node's ``NodeLink`` and publishes the resulting events; other
threads hand it closures (``call``) and wait on its steps (``wait_for``).

A mixin of ``LocalCluster`` (``engine.cluster``), which holds the state it works on.
"""

from __future__ import annotations

import logging
import multiprocessing.connection
import os
import queue
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Callable

from . import events as ev
from . import logs
from . import messages as m
from .coordinator import DEAD
from .errors import ClusterError, ClusterFailedError
from .model import Snapshot

TICK = 0.02  # the coordinator's timer resolution, seconds


class EngineLoop:
    """The engine thread and the ways other threads reach it."""

    def _run(self) -> None:
        """The engine thread. Supervised: an exception here ends the cluster loudly (a
        ``ClusterFailed`` event, every waiting caller released with ``ClusterFailedError``),
        never silently."""
        try:
            self._loop()
        except BaseException as exc:  # noqa: BLE001 - any failure must be reported
            self._fail(exc)
            return
        self._stop_published = True
        self.bus.publish([ev.ClusterStopped(t=self.core.now_s(time.monotonic()))])

    def _loop(self) -> None:
        last_tick = 0.0
        while not self._stopping:
            conns = [link.conn for link in self._links.values() if link.open]
            try:
                ready = multiprocessing.connection.wait(conns + [self._wake_r], timeout=TICK)
            except OSError:
                ready = []
            now = time.monotonic()
            with self._state_lock:
                self.core.listen(now)
                for obj in ready:
                    if obj == self._wake_r:
                        try:
                            os.read(self._wake_r, 4096)
                        except OSError:
                            pass
                        continue
                    self._drain(obj, now)
                while True:
                    try:
                        fn, future = self._calls.get_nowait()
                    except queue.Empty:
                        break
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        future.set_result(fn(now))
                    except BaseException as exc:  # handed to the caller
                        future.set_exception(exc)
                if self.core.dirty or now - last_tick >= TICK:
                    self.core.tick(now)
                    last_tick = now
                outbox, events = self.core.take_effects()
                events.extend(self._log_events(now))
            for node_id, msg in outbox:
                link = self._links.get(node_id)
                if link is None or not link.open:
                    continue
                info = self.core.nodes.get(node_id)
                if info is not None and info.state == DEAD and not isinstance(msg, m.SendBlockReport):
                    continue  # a dead node is told what it needs from its block report
                link.send(msg)
            for event in events:
                if isinstance(event, ev.NodeDeclaredDead):
                    link = self._links.get(event.node)
                    if link is not None:
                        link.discard_pending()
            if events:
                self.bus.publish(events)
            with self._changed:
                self._changed.notify_all()
            self._reap()

    def _fail(self, exc: BaseException) -> None:
        import traceback
        reason = f"{type(exc).__name__}: {exc}"
        self.failure = reason
        now = time.monotonic()
        self._stop_published = True
        try:
            self.bus.publish([ev.ClusterFailed(t=self.core.now_s(now), reason=reason,
                                               detail=traceback.format_exc())])
        finally:
            while True:
                try:
                    _, future = self._calls.get_nowait()
                except queue.Empty:
                    break
                if future.set_running_or_notify_cancel():
                    future.set_exception(self._failed_error())
            with self._changed:
                self._changed.notify_all()

    def _failed_error(self) -> ClusterFailedError:
        return ClusterFailedError(f"the cluster's engine failed ({self.failure}); its nodes were stopped")

    def _log_events(self, now: float) -> list:
        """Node and engine log records received since the last step, as events stamped by
        the engine: one publisher, one order of time."""
        out = []
        while True:
            try:
                record = self._log_records.get_nowait()
            except queue.Empty:
                return out
            out.append(ev.LogMessage(t=self.core.now_s(now), node=logs.node_of(record),
                                     level=record.levelname, logger=record.name,
                                     message=record.getMessage()))

    def _drain(self, conn, now: float) -> None:
        link = self._by_conn.get(conn)
        if link is None:
            return
        try:
            while link.open and conn.poll():
                self.core.handle(link.node, conn.recv(), now)
        except (EOFError, OSError):
            # The process is gone. Deliberately not a death certificate: the coordinator
            # declares death from silence, as HDFS does, so kill and pause look the same.
            link.open = False

    def _reap(self) -> None:
        for process in list(self._reaping):
            if not process.is_alive():
                self._reaping.remove(process)

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except (OSError, TypeError):
            pass

    def post(self, fn: Callable[[float], object]) -> Future:
        """Have ``fn(now)`` run on the engine thread, after every call posted before it, and
        return at once: the future holds its result (or its error). Called on the engine
        thread itself, ``fn`` runs at once (and its error is raised)."""
        if self.failure is not None:
            raise self._failed_error()
        if self.stopped or not self.started:
            raise ClusterError("the cluster is not running")
        future: Future = Future()
        if threading.current_thread() is self._thread:
            future.set_result(fn(time.monotonic()))
            return future
        self._calls.put((fn, future))
        self._wake()
        return future

    def call(self, fn: Callable[[float], object], timeout: float = 30.0):
        """Run ``fn(now)`` on the engine thread and return its result (or raise its error)."""
        future = self.post(fn)  # on the engine thread itself, it has run already
        deadline = time.monotonic() + timeout
        while True:
            try:
                return future.result(min(0.2, max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                if self.failure is not None:
                    future.cancel()
                    raise self._failed_error() from None
                if time.monotonic() >= deadline:
                    future.cancel()
                    raise ClusterError(f"the cluster's engine did not answer within {timeout:g} s") from None

    def wait_for(self, condition, timeout: float):
        """Wait for a state or an event. ``condition`` is a predicate of a ``Snapshot``
        (returns the first snapshot, taken after an engine step, for which it holds), or an
        event class, or ``(event class, predicate of the event)`` (returns the first such event
        published from now on). None on timeout; ``ClusterFailedError`` at once if the engine
        fails meanwhile."""
        if isinstance(condition, tuple) or (isinstance(condition, type) and issubclass(condition, ev.Event)):
            return self._wait_event(*(condition if isinstance(condition, tuple) else (condition,)), timeout=timeout)
        found: list[Snapshot] = []

        def ready() -> bool:
            snap = self.snapshot()
            if condition(snap):
                found.append(snap)
                return True
            return False
        return found[0] if self._wait(ready, timeout) else None

    def _wait_event(self, kind: type, predicate: Callable | None = None, *, timeout: float):
        found: list = []

        def listen(event) -> None:
            if not found and isinstance(event, kind) and (predicate is None or predicate(event)):
                found.append(event)
        unsubscribe = self.subscribe(listen)
        try:
            return found[0] if self._wait(lambda: bool(found), timeout) else None
        finally:
            unsubscribe()

    def wait_until(self, condition: Callable[[Snapshot], bool], timeout: float) -> bool:
        """Whether ``condition(snapshot)`` came to hold within ``timeout``."""
        return self.wait_for(condition, timeout) is not None

    def _wait(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``ready()`` holds, asking again after every step of the engine; False
        on timeout, ``ClusterFailedError`` at once if the engine fails meanwhile."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if self.failure is not None:
                    raise self._failed_error()
                if ready():
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or self.stopped:
                    return False
                self._changed.wait(min(left, 0.1))

    def _on_log_record(self, record: logging.LogRecord) -> None:
        """Called on multiprocessing-logging's thread: hand the record to the engine thread,
        which publishes it in order with everything else."""
        if record.process != os.getpid() and record.process not in self._known_pids:
            return
        self._log_records.put(record)
        self._wake()
