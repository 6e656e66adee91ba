"""The guided tour: plays the lecture's steps (``tour_script``) on the window's cluster, one
scripted run of the run layer per step (``EngineBridge.run_plan``, as scenarios are played).

Entering a step starts a fresh cluster of the step's shape; once every node of it is alive
the step's run plays (a "predict first" step waits for Next before it runs, so the class can
guess). A step has been shown when its run is done and the cluster is in the state the step
is about (``tour_script.reached``); a step that cannot get there within ``STEP_TIMEOUT_S``
says what it waited for, never a silent wait. ``autoplay`` moves on by itself (the
unattended ``clusterscope gui --tour``); otherwise the lecturer moves with Next and Back and
may leave at any step and go on using the window freely."""

from __future__ import annotations

import itertools
import os
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal

from engine import events as ev

from . import tour_script as ts
from . import words
from .i18n import translate

STEP_TIMEOUT_S = 180.0
HOLD_S = 4.0  # autoplay: how long a shown step stays before the next
PREDICT_S = 4.0  # autoplay: how long the class has to guess


class Stage(str, Enum):
    IDLE = "idle"
    STARTING = "starting"  # the step's cluster is starting
    PREDICT = "predict"  # waiting for the class's guess (Next runs it)
    RUNNING = "running"
    SHOWN = "shown"  # its run is done and the cluster reached the step's state
    STUCK = "stuck"  # it did not get there; ``problem`` says why
    LEFT = "left"  # the lecturer left the tour


class Tour(QObject):
    changed = Signal()  # the step, its stage or its numbers changed
    finished = Signal()  # the last step was shown (autoplay), or the lecturer went past it

    def __init__(self, window, shape: ts.TourShape = ts.DEFAULT_SHAPE, autoplay: bool = False):
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.shape = shape
        self.steps = ts.steps(shape)
        self.autoplay = autoplay
        self.index = -1
        self.stage = Stage.IDLE
        self.progress = ts.StepProgress()
        self.problem = ""
        self.shown: list[int] = []  # indexes of the steps shown, in order
        self.measured: dict = {}  # StepKey -> (nodes, the job's seconds), as last measured here
        self._names = itertools.count(1)
        self._operation = ""  # the bridge operation name of the current step's run
        self._run = None
        self._connected = False
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._on_timeout)
        self._auto = QTimer(self)
        self._auto.setSingleShot(True)
        self._auto.timeout.connect(self.next)

    @property
    def step(self) -> ts.TourStep | None:
        return self.steps[self.index] if 0 <= self.index < len(self.steps) else None

    def sample_size(self) -> int:
        try:
            return os.path.getsize(self._sample())
        except OSError:
            return 0

    def _sample(self) -> str:
        self.window.run.ensure_sample()
        return self.window.run.current_path

    # -- moving ---------------------------------------------------------------------------

    def start(self, index: int | None = None) -> None:
        """Begin (or resume, at the step left) the tour."""
        if not self._connected:
            self.bridge.updated.connect(self._on_updated)
            self.bridge.operation_done.connect(self._on_done)
            self.bridge.operation_failed.connect(self._on_failed)
            self._connected = True
        self.go(index if index is not None else max(0, self.index))

    def go(self, index: int) -> None:
        if not 0 <= index < len(self.steps):
            return
        self._cancel_run()
        self.index = index
        self.progress = ts.StepProgress()
        self.problem = ""
        step = self.steps[index]
        self._set_stage(Stage.STARTING)
        self.window.run.start_tour_cluster(step.config)
        self._timeout.start(int(STEP_TIMEOUT_S * 1000))
        self._check()

    def next(self) -> None:
        if self.stage == Stage.PREDICT:
            self._play()
        elif self.index + 1 < len(self.steps):
            self.go(self.index + 1)
        elif self.stage in (Stage.SHOWN, Stage.STUCK):
            self.finished.emit()
            if self.autoplay:
                self.leave()

    def back(self) -> None:
        if self.index > 0:
            self.go(self.index - 1)

    def replay_step(self) -> None:
        self.go(max(0, self.index))

    def leave(self) -> None:
        """Stop the tour where it is; the cluster keeps running for the lecturer to use."""
        self._cancel_run()
        self._timeout.stop()
        self._set_stage(Stage.LEFT)
        if self._connected:
            self._connected = False
            for signal, slot in ((self.bridge.updated, self._on_updated),
                                 (self.bridge.operation_done, self._on_done),
                                 (self.bridge.operation_failed, self._on_failed)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass

    # -- playing --------------------------------------------------------------------------

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        self._auto.stop()
        if self.autoplay and stage == Stage.PREDICT:
            self._auto.start(int(PREDICT_S * 1000))
        elif self.autoplay and stage in (Stage.SHOWN, Stage.STUCK):
            self._auto.start(int(HOLD_S * 1000))
        self.changed.emit()

    def _cancel_run(self) -> None:
        self._auto.stop()
        if self._run is not None:
            self._run.cancel()
        self._run = None
        self._operation = ""

    def _play(self) -> None:
        step, path = self.step, self._sample()
        self._operation = f"tour-{next(self._names)}"
        self._set_stage(Stage.RUNNING)
        self._run = self.bridge.run_plan(lambda: step.plan(path), name=self._operation)

    def _cluster_up(self) -> bool:
        step = self.step
        nodes = self.bridge.state.nodes
        return (step is not None and self.bridge.config == step.config and len(nodes) == step.nodes
                and all(n.state == "alive" for n in nodes.values()))

    def _check(self) -> None:
        step = self.step
        if step is None:
            return
        if self.stage == Stage.STARTING and self._cluster_up():
            if step.predict:
                self._set_stage(Stage.PREDICT)
            else:
                self._play()
        elif self.stage == Stage.RUNNING and ts.reached(step, self.bridge.state, self.progress):
            self._timeout.stop()
            self.shown.append(self.index)
            self._set_stage(Stage.SHOWN)

    def _on_updated(self, events) -> None:
        if self.stage in (Stage.IDLE, Stage.LEFT):
            return
        if self.stage == Stage.RUNNING:
            for e in events:
                self.progress.seen.add(type(e))
                if isinstance(e, ev.ReplicaCorrupted):
                    self.progress.corrupted.append((e.block, e.node))
        self._check()
        if self.stage == Stage.RUNNING and any(isinstance(e, (ev.BlockCorrupt, ev.NodeDeclaredDead))
                                               for e in events):
            self.changed.emit()

    def _on_done(self, operation: str, outcome) -> None:
        if operation != self._operation or outcome is None:
            return
        self.progress.outcome = outcome
        if outcome.jobs:
            self.measured[self.step.key] = (self.step.nodes, outcome.jobs[0].result.elapsed_s)
        self.changed.emit()
        self._check()
        if self.stage == Stage.RUNNING and outcome.verdict != "exact":
            self._stuck(translate("Tour", "the count came back {0}").format(words.verdict(outcome.verdict)))

    def _on_failed(self, operation: str, error: str) -> None:
        if operation == self._operation:
            self._stuck(error)

    def _on_timeout(self) -> None:
        if self.stage in (Stage.STARTING, Stage.RUNNING, Stage.PREDICT):
            what = {Stage.STARTING: translate("Tour", "the cluster did not come up"),
                    Stage.RUNNING: translate("Tour", "the step's run did not reach its end")}
            if self.stage != Stage.PREDICT:
                self._stuck(translate("Tour", "{0} within {1:g} s").format(what[self.stage], STEP_TIMEOUT_S))

    def _stuck(self, problem: str) -> None:
        self._timeout.stop()
        self.problem = problem
        self._set_stage(Stage.STUCK)
