"""One fault scheduler for every front end: ``--kill`` on the command line, a scenario's
``[[faults]]``, the soak's random faults and the window's scenario player all become
``FaultStep`` values played by a ``FaultScheduler`` against any ``ClusterBackend``.

A step fires ``at_s`` seconds after its trigger: the first job's start (``Trigger.JOB``, the
default), the first put's start (``PUT``), the first reduce task's start (``REDUCE``), or
whenever the caller arms ``Trigger.NOW``. Triggers are read from the backend's own event
stream, so a fault is timed from what the cluster did, not from when a front end asked.
One dispatcher thread keeps the steps in time order; each step runs on a short-lived thread
of its own, so a slow restart never delays the next kill. A step that cannot be applied is
recorded with its label ("faults[1] (pause node 0 at 1 s) did not apply: node 0 is dead"),
never lost; a step whose time never came is listed by ``unfired()``.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from enum import Enum

from .errors import UsageError


class FaultAction(str, Enum):
    KILL = "kill"
    PAUSE = "pause"  # with a duration: resumed after it
    RESUME = "resume"
    RESTART = "restart"
    CORRUPT = "corrupt"
    SLOW_DISK = "slow_disk"  # with a duration: the default speed is restored after it
    KILL_BLOCK_HOLDERS = "kill_block_holders"  # every live holder of one block (random if None)
    RANDOM_KILLS = "random_kills"  # kills at exponential intervals of ``rate`` per second


class Trigger(str, Enum):
    JOB = "job"  # the first job_started event
    PUT = "put"  # the first put_started event
    REDUCE = "reduce"  # the first reduce task_started event
    NOW = "now"  # armed by the caller


@dataclass(frozen=True)
class FaultStep:
    action: FaultAction
    at_s: float = 0.0
    node: int | None = None
    block: int | None = None
    duration: float | None = None
    mbps: float | None = None
    rate: float | None = None  # random_kills
    count: int | None = None  # random_kills: at most this many
    until: float | None = None  # random_kills: no kill drawn after this time
    trigger: Trigger = Trigger.JOB
    label: str = ""  # how its author wrote it: "--kill 2@0.5", "faults[1] (pause node 0 at 1 s)"

    def __post_init__(self):
        object.__setattr__(self, "action", FaultAction(self.action))
        object.__setattr__(self, "trigger", Trigger(self.trigger))
        if not self.label:
            where = f" node {self.node}" if self.node is not None else ""
            object.__setattr__(self, "label", f"{self.action.value}{where} at {self.at_s:g} s")


@dataclass(frozen=True)
class AppliedFault:
    """What a step did, when (seconds after its trigger), and what it chose."""
    action: str
    node: int | None
    at_s: float
    label: str = ""
    block: int | None = None  # corrupt, kill_block_holders: the block chosen
    nodes: tuple[int, ...] | None = None  # kill_block_holders: the nodes killed

    def to_dict(self) -> dict:
        out = {"action": self.action, "node": self.node, "at_s": self.at_s}
        if self.block is not None:
            out["block"] = self.block
        if self.nodes is not None:
            out["nodes"] = list(self.nodes)
        return out


@dataclass(frozen=True)
class FaultError:
    step: FaultStep
    message: str
    undo: bool = False  # the error is in undoing the step (its resume, its disk speed back)

    def __str__(self) -> str:
        what = "its end" if self.undo else "it"
        if self.undo:
            return f"{self.step.label}: {what} did not apply: {self.message}"
        return f"{self.step.label} did not apply: {self.message}"


@dataclass(order=True)
class _Due:
    when: float  # time.monotonic()
    seq: int
    step: FaultStep = field(compare=False)
    undo: bool = field(default=False, compare=False)
    t0: float = field(default=0.0, compare=False)


class FaultScheduler:
    """Plays ``steps`` against ``backend``. ``tolerate``: exception types that mean "the fault
    no longer applies" (the soak kills at random: a node already dead is fine there) and are
    not recorded as errors."""

    def __init__(self, backend, steps=(), rng: random.Random | None = None, *, tolerate: tuple = ()):
        self.backend = backend
        self.steps = tuple(steps)
        self.rng = rng or random.Random(0)
        self.tolerate = tuple(tolerate)
        self.applied: list[AppliedFault] = []
        self.errors: list[FaultError] = []
        self.armed: dict[Trigger, float] = {}  # trigger -> time.monotonic() it happened
        self._fired: set[int] = set()  # ids of steps that ran (or were tolerated)
        self._heap: list[_Due] = []
        self._seq = itertools.count()
        self._running: set[threading.Thread] = set()
        self._cond = threading.Condition()
        self._cancelled = False
        self._unsubscribe = None
        self._thread: threading.Thread | None = None

    # -- triggers -----------------------------------------------------------------------

    def watch(self) -> "FaultScheduler":
        """Arm the event triggers from the backend's stream (call before the put)."""
        if self._unsubscribe is None:
            self._unsubscribe = self.backend.subscribe(self._on_event)
        return self

    def _on_event(self, event) -> None:
        kind = event.kind
        if kind == "job_started":
            self.arm(Trigger.JOB)
        elif kind == "put_started":
            self.arm(Trigger.PUT)
        elif kind == "task_started" and getattr(event, "phase", None) == "reduce":
            self.arm(Trigger.REDUCE)

    def arm(self, trigger: Trigger, t0: float | None = None) -> None:
        """Start the clock of ``trigger`` (once; later calls are ignored)."""
        trigger = Trigger(trigger)
        with self._cond:
            if trigger in self.armed or self._cancelled:
                return
            t0 = time.monotonic() if t0 is None else t0
            self.armed[trigger] = t0
            for step in self.steps:
                if step.trigger != trigger:
                    continue
                if step.action == FaultAction.RANDOM_KILLS:
                    for kill in self._draw_kills(step):
                        self._push(t0 + kill.at_s, kill, t0=t0)
                else:
                    self._push(t0 + step.at_s, step, t0=t0)
            self._ensure_thread()
            self._cond.notify_all()

    def _draw_kills(self, step: FaultStep) -> list[FaultStep]:
        t = step.at_s
        until = step.until if step.until is not None else step.at_s + 10.0
        victims = list(range(self.backend.config.nodes))
        self.rng.shuffle(victims)
        kills = []
        for node in victims[:step.count or 1]:
            t += self.rng.expovariate(step.rate)
            if t > until:
                break
            kills.append(FaultStep(FaultAction.KILL, at_s=t, node=node, trigger=step.trigger,
                                   label=f"{step.label}: kill node {node} at {t:.2f} s"))
        self._fired.add(id(step))  # the draw is the step; its kills are steps of their own
        return kills

    def _push(self, when: float, step: FaultStep, *, undo: bool = False, t0: float = 0.0) -> None:
        heapq.heappush(self._heap, _Due(when, next(self._seq), step, undo, t0))

    # -- the dispatcher -----------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._dispatch, name="cs-faults", daemon=True)
            self._thread.start()

    def _dispatch(self) -> None:
        while True:
            with self._cond:
                while not self._cancelled and (not self._heap or self._heap[0].when > time.monotonic()):
                    wait = None if not self._heap else max(0.0, self._heap[0].when - time.monotonic())
                    self._cond.wait(wait)
                if self._cancelled:
                    return
                due = heapq.heappop(self._heap)
                worker = threading.Thread(target=self._apply_guarded, args=(due,), name="cs-fault", daemon=True)
                self._running.add(worker)
            worker.start()

    def _apply_guarded(self, due: _Due) -> None:
        try:
            self._apply(due)
        except self.tolerate:
            pass
        except Exception as exc:  # recorded with the step's label, never lost
            with self._cond:
                self.errors.append(FaultError(due.step, str(exc) or type(exc).__name__, due.undo))
        finally:
            with self._cond:
                if not due.undo:
                    self._fired.add(id(due.step))
                self._running.discard(threading.current_thread())
                self._cond.notify_all()

    def _apply(self, due: _Due) -> None:
        step, c = due.step, self.backend
        if due.undo:
            if step.action == FaultAction.PAUSE:
                c.resume_node(step.node)
            elif step.action == FaultAction.SLOW_DISK:
                c.set_disk_speed(step.node, None)
            return
        at = round(time.monotonic() - due.t0, 4)
        block = nodes = None
        action = step.action
        if action == FaultAction.KILL:
            c.kill_node(step.node)
        elif action == FaultAction.PAUSE:
            c.pause_node(step.node)
        elif action == FaultAction.RESUME:
            c.resume_node(step.node)
        elif action == FaultAction.RESTART:
            c.restart_node(step.node)
        elif action == FaultAction.CORRUPT:
            block = c.corrupt_replica(step.node, step.block)
        elif action == FaultAction.SLOW_DISK:
            c.set_disk_speed(step.node, step.mbps)
        elif action == FaultAction.KILL_BLOCK_HOLDERS:
            snap = c.snapshot()
            if step.block is not None:
                block = step.block
            else:
                candidates = sorted(b for b, info in snap.blocks.items() if info.live)
                if not candidates:
                    raise UsageError("no block has a live replica")
                block = candidates[self.rng.randrange(len(candidates))]
            nodes = tuple(sorted(snap.blocks[block].live))
            for node in nodes:
                c.kill_node(node)
        if step.duration is not None and action in (FaultAction.PAUSE, FaultAction.SLOW_DISK):
            with self._cond:
                self._push(time.monotonic() + step.duration, step, undo=True, t0=due.t0)
                self._cond.notify_all()
        with self._cond:
            self.applied.append(AppliedFault(action.value, step.node, at, step.label, block, nodes))

    # -- waiting and stopping -----------------------------------------------------------

    def pending_for(self) -> float:
        """Seconds until the last armed step is due (0 if none is pending)."""
        with self._cond:
            last = max((d.when for d in self._heap), default=None)
        return 0.0 if last is None else max(0.0, last - time.monotonic())

    def pending_labels(self) -> list[str]:
        """The labels of the armed steps still to come, in time order."""
        with self._cond:
            return [d.step.label for d in sorted(self._heap) if not d.undo]

    def join(self, timeout: float) -> bool:
        """Wait until every armed step (and its undo) has run; True if they all have."""
        deadline = time.monotonic() + max(0.0, timeout)
        with self._cond:
            while self._heap or self._running:
                left = deadline - time.monotonic()
                if left <= 0 or self._cancelled:
                    return False
                self._cond.wait(left)
            return True

    def unfired(self) -> list[FaultStep]:
        """Steps that never ran: their trigger never came or their time was not reached."""
        with self._cond:
            return [s for s in self.steps if id(s) not in self._fired]

    def cancel(self) -> None:
        with self._cond:
            self._cancelled = True
            self._heap.clear()
            self._cond.notify_all()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def kill_steps(plans) -> list[FaultStep]:
    """``--kill NODE@SECONDS`` plans (with ``node`` and ``at_s``) as steps."""
    return [FaultStep(FaultAction.KILL, at_s=p.at_s, node=p.node, label=f"--kill {p.node}@{p.at_s:g}")
            for p in plans]


