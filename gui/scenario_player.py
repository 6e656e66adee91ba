"""Playing a scenario file live in the window: its cluster, its data, its jobs, and its fault
timeline applied on schedule, with the upcoming faults drawn on a timeline."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.run import Phase, RunPlan
from engine.scenario import Scenario, prepare_data

from . import theme as th

RUN_TIMEOUT = 600.0  # the whole run, beyond its last fault
SETTLE_TIMEOUT = 60.0


def fault_label(fault) -> str:
    where = f" {fault.node}" if fault.node is not None else ""
    return f"{fault.action.replace('_', ' ')}{where}"


class FaultTimelineView(QWidget):
    """A strip with the scenario's faults as markers and a moving 'now' line."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.faults = ()
        self.start: float | None = None  # wall time (monotonic) of the first job's start
        self.span = 10.0
        self.theme = th.NORMAL
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.update)

    def set_faults(self, faults) -> None:
        self.faults = tuple(faults)
        last = max((f.at + (f.duration or 0) for f in self.faults), default=0.0)
        self.span = max(5.0, last * 1.25 + 1.0)
        self.start = None
        self.update()

    def set_started(self, wall: float) -> None:
        self.start = wall
        self._timer.start()

    def elapsed(self) -> float | None:
        return None if self.start is None else time.monotonic() - self.start

    def upcoming(self) -> list:
        now = self.elapsed() or 0.0
        return [f for f in self.faults if f.at >= now]

    def set_theme(self, t: th.Theme) -> None:
        self.theme = t
        self.update()

    def paintEvent(self, event) -> None:
        t = self.theme
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        w, h = self.width(), self.height()
        left, right = 110, w - 12
        p.fillRect(self.rect(), QColor(t.panel))
        font = QFont(self.font())
        font.setPointSizeF(t.base_pt)
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(t.text))
        p.drawText(QRectF(8, 0, left - 12, h), Qt.AlignVCenter | Qt.AlignLeft, self.tr("Faults"))
        p.setPen(QPen(QColor(t.grid), 2))
        p.drawLine(left, h // 2, right, h // 2)
        scale = (right - left) / self.span
        font.setBold(False)
        font.setPointSizeF(t.base_pt * 0.9)
        p.setFont(font)
        now = self.elapsed()
        for fault in self.faults:
            x = left + fault.at * scale
            past = now is not None and fault.at <= now
            colour = QColor(t.muted if past else t.danger)
            p.setPen(QPen(colour, 2))
            p.setBrush(colour)
            p.drawEllipse(QRectF(x - 5, h / 2 - 5, 10, 10))
            if fault.duration:
                p.drawLine(int(x), h // 2 + 8, int(x + fault.duration * scale), h // 2 + 8)
            p.drawText(QRectF(x - 60, 0, 120, h / 2 - 6), Qt.AlignHCenter | Qt.AlignBottom, fault_label(fault))
        if now is not None:
            x = left + min(now, self.span) * scale
            p.setPen(QPen(QColor(t.accent), 3))
            p.drawLine(int(x), 4, int(x), h - 4)
        p.end()


class ScenarioPlayer(QObject):
    """Drives the window's live cluster through a scenario: a cluster of its shape, then one
    scripted run of the run layer (``engine.run``: its data, its jobs, its fault timeline,
    settling), the same run ``clusterscope experiment`` makes, narrated in the caption."""

    step_changed = Signal(str)
    finished = Signal()

    def __init__(self, window, scenario: Scenario):
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.scenario = scenario
        self.step = "idle"
        self.run = None  # the bridge's ScriptedRun, once the cluster is up
        self.outcome = None  # its RunOutcome, once done
        self._connected = False

    def start(self) -> None:
        s = self.scenario
        self.window.fault_timeline.set_faults(s.faults)
        self.bridge.cluster_ready.connect(self._on_ready)
        self.bridge.run_phase.connect(self._on_phase)
        self.bridge.operation_done.connect(self._on_done)
        self._connected = True
        self._set("starting")
        self.window.set_caption(self.tr("Scenario '{0}': starting its cluster ({1} nodes, R = {2}).")
                                .format(s.name, s.cluster.nodes, s.cluster.replication))
        self.bridge.start(s.for_trial(0))

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()
        if not self._connected:
            return
        self._connected = False
        for signal, slot in ((self.bridge.cluster_ready, self._on_ready),
                             (self.bridge.run_phase, self._on_phase),
                             (self.bridge.operation_done, self._on_done)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def _set(self, step: str) -> None:
        self.step = step
        self.step_changed.emit(step)

    def plan(self) -> RunPlan:
        """The scenario's first trial as a run-layer plan (generates its data if needed)."""
        s = self.scenario
        path = prepare_data(s, self.window.sample_dir())
        return RunPlan(path, jobs=s.job_specs(), faults=s.fault_steps(), name=os.path.basename(path),
                       node_disk_mbps=dict(s.node_disk_mbps), timeout=RUN_TIMEOUT + s.last_fault_s(),
                       settle_timeout=SETTLE_TIMEOUT)

    def _on_ready(self) -> None:
        if self.step != "starting":
            return
        self._set("storing")
        self.window.set_caption(self.tr("Scenario '{0}': storing its data.").format(self.scenario.name))
        self.run = self.bridge.run_plan(self.plan, name="scenario")

    def _on_phase(self, phase: str, detail: str) -> None:
        name, jobs = self.scenario.name, len(self.scenario.jobs)
        if phase == Phase.RUNNING.value:
            index = int(detail.split("/")[0])
            self._set(f"job {index}")
            if index == 1:
                self.window.fault_timeline.set_started(time.monotonic())
            self.window.set_caption(self.tr("Scenario '{0}': job {1} of {2}; faults play on the timeline below.")
                                    .format(name, index, jobs))
        elif phase == Phase.SETTLING.value:
            self._set("settling")
            self.window.set_caption(self.tr("Scenario '{0}': the jobs are done; waiting until the cluster "
                                            "has settled.").format(name))

    def _on_done(self, operation: str, outcome) -> None:
        if operation != "scenario" or self.step in ("idle", "done") or outcome is None:
            return
        self.outcome = outcome
        self._set("done")
        errors = [str(e) for e in outcome.fault_errors]
        errors += [self.tr("{0}: its time never came").format(step.label) for step in outcome.unfired]
        remark = (" " + "; ".join(errors)) if errors else ""
        self.window.set_caption(self.tr("Scenario '{0}' played out: {1}.{2}")
                                .format(self.scenario.name, "; ".join(outcome.settlement.remains) or
                                        self.tr("every block at full replication"), remark))
        self.finished.emit()
