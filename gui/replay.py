"""Replaying a run: a recorded event stream played back without a cluster.

A recording (the event stream as JSON Lines and its ``.verdicts.json`` sidecar) is described
and read by ``engine.recording``; ``save_recording`` writes a bridge's run in that format.

``ReplayBridge`` has the interface the widgets use (``state``, ``recorded``, ``clock()``,
``time_scale``, ``config``, the same signals) and a replay clock instead of a cluster. The
replay position is an index into the recorded stream: ``seek(t)`` applies, in recorded order,
the events up to the last one whose time (running maximum of ``t``, so a log record that
arrived a little late is applied where the live run applied it) is ``<= t``. A seek
therefore shows exactly the state the live bridge had after applying the same events, and
seeking forwards, backwards or playing there gives the same state as a fresh seek.
"""

from __future__ import annotations

import bisect
import math
import os
import pickle
import time
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from engine.recording import load_recording, recorded_config, verdicts_path, write_recording  # noqa: F401  (verdicts_path: tests)
from engine.verdict import judge
from engine.view import ClusterState

TICK_MS = 50  # playback timer: 20 Hz, as the live bridge
SPEEDS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
MIN_SPEED, MAX_SPEED = SPEEDS[0], SPEEDS[-1]
# Operator-injected faults, the targets of "Next fault" (detections such as
# node_declared_dead follow from these and are not faults of their own). A disk slowed
# down counts; its repair (back to the default speed) does not.
FAULT_KINDS = ("node_killed", "node_paused", "replica_corrupted", "node_disk_speed")


def is_fault(event) -> bool:
    if event.kind not in FAULT_KINDS:
        return False
    return not (event.kind == "node_disk_speed" and getattr(event, "default", False))
CHECKPOINT_EVERY = 2000  # events between state snapshots kept for fast backward seeks


# -- saving ------------------------------------------------------------------------------


class VerdictRecorder(QObject):
    """Keeps the verdicts a live bridge emits (``{job: (verdict, detail)}``) so that a
    recording can carry them; forgets them when the bridge starts a new cluster. It is a
    child of the bridge: ``VerdictRecorder.of(bridge)`` finds it."""

    OBJECT_NAME = "clusterscope-verdict-recorder"

    def __init__(self, bridge):
        super().__init__(bridge)
        self.setObjectName(self.OBJECT_NAME)
        self.verdicts: dict[int, tuple[str, str]] = {}
        bridge.verdict_ready.connect(self._on_verdict)
        bridge.cluster_reset.connect(self._on_reset)

    @classmethod
    def of(cls, bridge) -> "VerdictRecorder | None":
        found = bridge.findChild(QObject, cls.OBJECT_NAME)
        return found if isinstance(found, cls) else None

    @Slot(int, str, str)
    def _on_verdict(self, job: int, verdict: str, detail: str) -> None:
        self.verdicts[int(job)] = (verdict, detail)

    @Slot()
    def _on_reset(self) -> None:
        self.verdicts.clear()


def save_recording(bridge, path, verdicts: dict | None = None) -> int:
    """Write ``bridge``'s run to ``path`` (events, JSON Lines) and ``path + '.verdicts.json'``;
    returns the number of events. A live bridge saves what it has recorded so far, with the
    verdicts of its ``VerdictRecorder`` (or ``verdicts``); a ``ReplayBridge`` saves its whole
    recording. Raises UsageError (one line) if either file cannot be written."""
    if isinstance(bridge, ReplayBridge):
        events = list(bridge.events)
        verdicts = bridge.verdicts if verdicts is None else verdicts
    else:
        events = list(bridge.recorded)
        if verdicts is None:
            recorder = VerdictRecorder.of(bridge)
            verdicts = recorder.verdicts if recorder is not None else {}
    time_scale = getattr(bridge, "base_time_scale", getattr(bridge, "time_scale", 1.0))
    return write_recording(path, events, verdicts, time_scale)


# -- the replay bridge -------------------------------------------------------------------


class ReplayBridge(QObject):
    """A bridge over a recording instead of a cluster (see the module docstring)."""

    # The live bridge's signals, with the same meaning.
    updated = Signal(list)
    changed = Signal(object)  # what a step changed (engine.view.StateChange), as the live bridge says
    operation_failed = Signal(str, str)
    operation_done = Signal(str, object)
    verdict_ready = Signal(int, str, str)
    cluster_ready = Signal()  # never emitted: there is no cluster to become ready
    cluster_reset = Signal()  # before a seek that rebuilds the state
    # Replay only.
    position_changed = Signal(float)  # the replay clock moved (every tick while playing)
    seeked = Signal(float)  # a seek (or jump) finished, state and widgets are at this time
    playing_changed = Signal(bool)
    speed_changed = Signal(float)

    def __init__(self, events, verdicts: dict | None = None, parent=None, time_scale: float = 1.0,
                 source: str | None = None, warnings=()):
        super().__init__(parent)
        self.events: list = list(events)
        self.source = source
        self.warnings: list[str] = list(warnings)
        self.verdicts: dict[int, tuple[str, str]] = {int(k): tuple(v) for k, v in (verdicts or {}).items()}
        self.config = recorded_config(self.events)
        self.backend = None
        self.paths: dict[str, str] = {}
        self.base_time_scale = float(time_scale) if time_scale and time_scale > 0 else 1.0
        self.time_scale = self.base_time_scale
        times, latest = [], -math.inf
        for e in self.events:
            latest = max(latest, e.t)
            times.append(latest)
        self._times: list[float] = times  # non-decreasing: when each event is applied
        self.duration: float = times[-1] if times else 0.0
        self.faults: list[tuple[float, object]] = [(times[i], e) for i, e in enumerate(self.events)
                                                  if is_fault(e)]
        self._fault_times = [t for t, _ in self.faults]
        self._derive_missing_verdicts()
        self._checkpoints: dict[int, bytes] = {}
        self._build_checkpoints()

        self.state = ClusterState()
        self.recorded: list = []
        self._cursor = 0  # events[:cursor] are applied to state
        self._t = 0.0
        self._speed = 1.0
        self._wall: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._apply_to(self.index_at(0.0))  # at the start: what happened at t = 0

    @classmethod
    def from_file(cls, path, parent=None) -> "ReplayBridge":
        """Load a recording (UsageError with a one-line message if the events cannot be read)."""
        events, sidecar, warnings = load_recording(path)
        return cls(events, verdicts=sidecar.get("verdicts"), parent=parent,
                   time_scale=float(sidecar.get("time_scale") or 1.0), source=os.fspath(path),
                   warnings=warnings)

    def _derive_missing_verdicts(self) -> None:
        """An incomplete job's verdict needs no reference (its missing blocks say it all), so
        a recording without a sidecar still shows it; an ok job's needs the input file."""
        for e in self.events:
            if e.kind == "job_finished" and e.job not in self.verdicts and e.status != "ok":
                v = judge(e.status, e.missing_blocks, None, None)
                self.verdicts[e.job] = (v.verdict, v.detail)

    def _build_checkpoints(self) -> None:
        state = ClusterState()
        for i, event in enumerate(self.events):
            if i and i % CHECKPOINT_EVERY == 0:
                self._checkpoints[i] = pickle.dumps(state, pickle.HIGHEST_PROTOCOL)
            state.apply(event)

    # -- what the widgets use -------------------------------------------------------------

    def clock(self) -> float:
        """The replay clock: cluster seconds of the recorded run."""
        return self._t

    @property
    def position(self) -> float:
        return self._t

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def applied(self) -> int:
        """How many of the recorded events the state shows."""
        return self._cursor

    # -- seeking --------------------------------------------------------------------------

    def index_at(self, t: float) -> int:
        """How many events are applied at replay time ``t``."""
        return bisect.bisect_right(self._times, t)

    def seek(self, t: float) -> None:
        """Show the run at cluster time ``t`` (clamped to 0..duration). Forward by fewer than
        ``CHECKPOINT_EVERY`` events the missing events are applied and emitted as one batch;
        otherwise the state is rebuilt from the nearest checkpoint: ``cluster_reset``, then
        ``updated`` with every event up to ``t``. Either way the verdict of every job whose
        finish was just applied is emitted again, then ``seeked`` and ``position_changed``."""
        t = min(max(float(t), 0.0), self.duration)
        k = self.index_at(t)
        if self._cursor <= k <= self._cursor + CHECKPOINT_EVERY:
            batch = self.events[self._cursor:k]
            self._apply_to(k)
            self._t = t
            if batch:
                self.updated.emit(self._seek_view(batch))
                self._emit_verdicts(batch)
        else:
            self._rebuild(k)
            self._t = t
            self.cluster_reset.emit()
            if self.recorded:
                self.updated.emit(self._seek_view(self.recorded))
                self._emit_verdicts(self.recorded)
        self._wall = time.monotonic()
        self.seeked.emit(self._t)
        self.position_changed.emit(self._t)

    def _apply_to(self, k: int) -> None:
        batch = self.events[self._cursor:k]
        self._cursor = k
        if batch:
            change = self.state.apply_all(batch)
            self.recorded.extend(batch)
            if change:
                self.changed.emit(change)

    def _rebuild(self, k: int) -> None:
        base = max((i for i in self._checkpoints if i <= k), default=0)
        state = pickle.loads(self._checkpoints[base]) if base else ClusterState()
        change = state.apply_all(self.events[base:k])
        self.state = state
        self.recorded = self.events[:k]
        self._cursor = k
        self.changed.emit(replace(change, config=True))  # a new state: everything changed

    def _seek_view(self, events) -> list:
        """``events`` without the ``transfer_started`` of transfers already over: the cluster
        view animates every transfer_started it is given, and a seek should not replay old
        flights (the event log never shows transfer_started)."""
        pending = self.state.transfers
        out = []
        for e in events:
            if e.kind == "transfer_started":
                view = pending.get((e.block, e.target))
                if view is None or view.started != e.t:
                    continue
            out.append(e)
        return out

    def _emit_verdicts(self, events) -> None:
        for e in events:
            if e.kind == "job_finished" and e.job in self.verdicts:
                verdict, detail = self.verdicts[e.job]
                self.verdict_ready.emit(e.job, verdict, detail)

    # -- faults ---------------------------------------------------------------------------

    def next_fault_time(self, after_t: float) -> float | None:
        """The time of the first fault injection (kill, pause, corrupted replica, slowed
        disk) after ``after_t``, or None."""
        i = bisect.bisect_right(self._fault_times, after_t)
        return self._fault_times[i] if i < len(self._fault_times) else None

    def jump_to_next_fault(self) -> float | None:
        """Seek to the next fault after the replay clock (the fault is applied there);
        its time, or None (and no seek) if there is none."""
        t = self.next_fault_time(self._t)
        if t is not None:
            self.seek(t)
        return t

    # -- playback -------------------------------------------------------------------------

    def play(self) -> None:
        """Advance the replay clock at ``speed`` x real time, applying events as it passes
        them; from the start again if at the end."""
        if self.playing:
            return
        if self._t >= self.duration:
            self.seek(0.0)
        self._wall = time.monotonic()
        self._timer.start()
        self.playing_changed.emit(True)

    def pause(self, node: int | None = None) -> None:
        """Stop playback. (With a node, the live bridge's "pause a node", refused here.)"""
        if node is not None:
            return self._refuse("pause")
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def set_speed(self, x: float) -> None:
        """Playback speed, clamped to 0.25x..10x. Transfer animations scale with it."""
        x = min(max(float(x), MIN_SPEED), MAX_SPEED)
        if self.playing:
            self._advance()  # the time played so far counts at the old speed
        self._speed = x
        self.time_scale = self.base_time_scale / x
        self.speed_changed.emit(x)

    def _advance(self) -> None:
        now = time.monotonic()
        if self._wall is not None:
            self._t = min(self.duration, self._t + (now - self._wall) * self._speed)
        self._wall = now

    def _tick(self) -> None:
        self._advance()
        k = self.index_at(self._t)
        if k > self._cursor:
            batch = self.events[self._cursor:k]
            self._apply_to(k)
            self.updated.emit(batch)
            self._emit_verdicts(batch)
        self.position_changed.emit(self._t)
        if self._t >= self.duration:
            self.pause()

    def stop(self) -> None:
        self._timer.stop()

    # -- the live bridge's operations: a recording cannot change a cluster ----------------

    def _refuse(self, operation: str):
        self.operation_failed.emit(operation, self.tr("this is a recording: it cannot change a cluster"))
        return None

    def start(self, config=None):
        return self._refuse("start")

    def put(self, path, name=None):
        return self._refuse("put")

    def run_job(self, spec):
        return self._refuse(getattr(spec, "kind", "job"))

    def kill(self, node):
        return self._refuse("kill")

    def resume(self, node):
        return self._refuse("resume")

    def restart(self, node):
        return self._refuse("restart")

    def corrupt(self, node, block=None):
        return self._refuse("corrupt")

    def add_node(self):
        return self._refuse("add node")
