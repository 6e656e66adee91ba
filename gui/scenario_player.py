"""Playing a scenario file live in the window: its cluster, its data, its jobs, and its fault
timeline applied on schedule, with the upcoming faults drawn on a timeline."""

from __future__ import annotations

import os
import random
import time

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.model import JobSpec
from experiments.runner import FaultTimeline, prepare_data
from experiments.scenario import Scenario

from . import theme as th


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
    """Drives the window's live cluster through a scenario: start, store, jobs, faults."""

    step_changed = Signal(str)
    finished = Signal()

    def __init__(self, window, scenario: Scenario):
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.scenario = scenario
        self.step = "idle"
        self.timeline: FaultTimeline | None = None
        self.job_index = 0
        self.data_path: str | None = None
        self._connected = False

    def start(self) -> None:
        s = self.scenario
        self.window.fault_timeline.set_faults(s.faults)
        self.bridge.cluster_ready.connect(self._on_ready)
        self.bridge.operation_done.connect(self._on_done)
        self.bridge.updated.connect(self._on_updated)
        self._connected = True
        self.step = "starting"
        self.window.set_caption(self.tr("Scenario '{0}': starting its cluster ({1} nodes, R = {2}).")
                                .format(s.name, s.cluster.nodes, s.cluster.replication))
        self.bridge.start(s.for_trial(0))

    def cancel(self) -> None:
        if self.timeline is not None:
            self.timeline.cancel()
        if not self._connected:
            return
        self._connected = False
        for signal, slot in ((self.bridge.cluster_ready, self._on_ready),
                             (self.bridge.operation_done, self._on_done),
                             (self.bridge.updated, self._on_updated)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def _on_ready(self) -> None:
        if self.step != "starting":
            return
        backend = self.bridge.backend
        for node, mbps in self.scenario.node_disk_mbps.items():
            self.bridge._run("slow disk", lambda n=node, v=mbps: backend.set_disk_speed(n, v))
        self.data_path = prepare_data(self.scenario, self.window.sample_dir())
        self.step = "storing"
        self.window.set_caption(self.tr("Scenario '{0}': storing its data.").format(self.scenario.name))
        self.bridge.put(self.data_path)

    def _on_done(self, operation: str, result) -> None:
        if operation == "put" and self.step == "storing":
            self._next_job()

    def _next_job(self) -> None:
        if self.job_index >= len(self.scenario.jobs):
            return
        plan = self.scenario.jobs[self.job_index]
        self.job_index += 1
        self.step = f"job {self.job_index}"
        spec = JobSpec(plan.kind, os.path.basename(self.data_path), word=plan.word,
                       ignore_case=plan.ignore_case, top=plan.top)
        self.bridge.run_job(spec)
        if self.timeline is None:
            backend = self.bridge.backend
            self.timeline = FaultTimeline(backend, self.scenario.faults, random.Random(backend.config.seed),
                                          backend.config.nodes)
            started = time.monotonic()
            self.timeline.start(started)
            self.window.fault_timeline.set_started(started)
        self.window.set_caption(self.tr("Scenario '{0}': job {1} of {2}; faults play on the timeline below.")
                                .format(self.scenario.name, self.job_index, len(self.scenario.jobs)))

    def _on_updated(self, events) -> None:
        for e in events:
            if e.kind == "job_finished" and self.step.startswith("job"):
                if self.job_index < len(self.scenario.jobs):
                    self._next_job()
                else:
                    self.step = "done"
                    self.finished.emit()
