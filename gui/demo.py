"""The self-playing demo: store the sample, count a word, kill node 2 during the count, recover.

One scripted run of the run layer (``engine.run``, through ``EngineBridge.run_plan``), as the
tour and scenarios are played: the put, the job, the kill on the fault scheduler (timed from
the job's start, at about a third of the job's expected length), then settling; each phase
narrated in the window's caption. Nothing here keeps timers of its own."""

from __future__ import annotations

import itertools
import os

from PySide6.QtCore import QObject, Signal

from engine import events as ev
from engine.faults import FaultAction, FaultStep
from engine.model import JobSpec
from engine.run import Phase, RunPlan

from . import words

VICTIM = 2
WORD = "data"
KILL_AT_FRACTION = 0.3  # of the job's expected length: file bytes / (nodes x disk MB/s)
_names = itertools.count(1)


def kill_at_s(size: int, nodes: int, disk_mbps: float | None) -> float:
    """When to kill, seconds after the job started: a third into its expected length (the
    whole file read at every node's disk speed in parallel), at least 0.1 s."""
    if not disk_mbps:
        return 0.1
    return max(0.1, KILL_AT_FRACTION * size / (max(1, nodes) * disk_mbps * 1e6))


class DemoScript(QObject):
    step_changed = Signal(str)
    finished = Signal(str)  # the verdict

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.step = "idle"
        self.verdict: str | None = None
        self.outcome = None
        self._verdicts: dict[int, str] = {}  # job id -> the bridge's verdict
        self._operation = f"demo-{next(_names)}"
        self._run = None
        self._active = False

    def start(self) -> None:
        self._active = True
        self.bridge.updated.connect(self._on_updated)
        self.bridge.run_phase.connect(self._on_phase)
        self.bridge.operation_done.connect(self._on_done)
        self.bridge.operation_failed.connect(self._on_failed)
        self.bridge.verdict_ready.connect(self._on_verdict)
        self._set("waiting for cluster")
        self._on_updated([])

    def cancel(self) -> None:
        if self._run is not None:
            self._run.cancel()
        if self._active:
            self._active = False
            for signal, slot in ((self.bridge.updated, self._on_updated), (self.bridge.run_phase, self._on_phase),
                                 (self.bridge.operation_done, self._on_done),
                                 (self.bridge.operation_failed, self._on_failed),
                                 (self.bridge.verdict_ready, self._on_verdict)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass

    def _set(self, step: str, caption: str | None = None) -> None:
        self.step = step
        self.step_changed.emit(step)
        if caption:
            self.window.set_caption(caption)

    def plan(self) -> RunPlan:
        cfg = self.bridge.config
        path = self.window.current_path
        at = kill_at_s(os.path.getsize(path), cfg.nodes, cfg.disk_mbps)
        # Judged by the bridge, as every job the window shows (its verdict is the job panel's).
        return RunPlan(path, jobs=(JobSpec("count", "", word=WORD),), timeout=600.0, settle_timeout=120.0,
                       faults=(FaultStep(FaultAction.KILL, at, node=VICTIM, label=f"kill node {VICTIM}"),))

    def _on_updated(self, events) -> None:
        if not self._active:
            return
        state, cfg = self.bridge.state, self.bridge.config
        if self.step == "waiting for cluster":
            if len(state.nodes) >= cfg.nodes and all(n.state == "alive" for n in state.nodes.values()):
                self._set("storing", self.tr("Demo 1/4: storing the sample. Each block goes to {0} "
                                             "different nodes; watch the squares fly.").format(cfg.replication))
                self.window.word_edit.setText(WORD)
                self.window.ignore_case.setChecked(False)
                self._run = self.bridge.run_plan(self.plan, name=self._operation)
        elif self.step == "counting" and any(isinstance(e, ev.NodeKilled) and e.node == VICTIM for e in events):
            self._set("recovering", self.tr("Demo 3/4: node {0} killed mid-job (SIGKILL). Its "
                                            "tasks will rerun elsewhere; its blocks are copied "
                                            "back to {1} replicas.").format(VICTIM, cfg.replication))

    def _on_phase(self, phase: str, detail: str) -> None:
        if self._active and phase == Phase.RUNNING.value and self.step == "storing":
            self._set("counting", self.tr("Demo 2/4: counting '{0}'. Every task runs on a node "
                                          "that holds its block.").format(WORD))

    def _on_failed(self, operation: str, error: str) -> None:
        if operation == self._operation and self._active:
            self._set("failed", self.tr("The demo stopped: {0}").format(error))
            self.cancel()

    def _on_verdict(self, job: int, verdict: str, detail: str) -> None:
        self._verdicts[job] = verdict
        self._finish()

    def _on_done(self, operation: str, outcome) -> None:
        if operation != self._operation or not self._active or outcome is None:
            return
        self.outcome = outcome
        self._finish()

    def _finish(self) -> None:
        """Done once the run has settled and the bridge has judged its count."""
        outcome = self.outcome
        if not self._active or outcome is None or not outcome.jobs:
            return
        self.verdict = self._verdicts.get(outcome.jobs[0].result.job)
        if self.verdict is None:
            return
        cfg = self.bridge.config
        job = outcome.jobs[0].result
        if outcome.health.under_replicated == 0:
            text = self.tr("Demo 4/4: node {0} is dead, yet the count is {1} and the "
                           "verdict is {2}; every block is back at {3} replicas.")
        else:
            text = self.tr("Demo 4/4: node {0} is dead, yet the count is {1} and the "
                           "verdict is {2}; with fewer live nodes than {3} replicas, "
                           "some blocks stay below {3}.")
        self._set("done", text.format(VICTIM, job.count, words.verdict(self.verdict), cfg.replication))
        self.finished.emit(self.verdict)
        self.cancel()
