"""The main window: the cluster, its plots, the job, the log, and the controls to break it.

A composition: the widgets are laid out here; their actions, menus and toolbar come from
``window_actions``, the words from ``narration``, the live run (cluster, files, jobs,
faults, demo, scenarios) is driven by a ``RunController``, and a window over a recording is
set up by ``ReplayMode``. The methods below are the window's public face (tests, the demo and
the scenario player use them) and hand the work to those."""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFileDialog, QFrame, QInputDialog, QLabel, QMainWindow, QMessageBox,
                               QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from engine.config import ClusterConfig
from engine.errors import UsageError

from . import collector, export, narration, theme, window_actions, words
from .bridge import EngineBridge
from .cluster_view import ClusterView
from .event_log import EventLogView
from .job_panel import JobPanel
from .plots import HealthPlot, ThroughputPlot
from .replay import ReplayBridge, VerdictRecorder, save_recording
from .replay_controls import ReplayControls
from .replay_mode import ReplayMode, replay_window
from .run_controller import SAMPLE_SIZE, RunController, lecture_config
from .scenario_player import FaultTimelineView
from .tour import Tour
from .tour_panel import TourPanel
from .what_if import WhatIfPanel


class MainWindow(QMainWindow):
    message = Signal(str, str)  # text, level ("info" | "error"): also shown in the status bar

    def __init__(self, config: ClusterConfig | None = None, parent=None, *, bridge=None,
                 replay: bool | None = None):
        """A live window around a new ``EngineBridge`` (of ``config``), or around ``bridge``;
        ``replay`` (default: whether ``bridge`` is a ``ReplayBridge``) shows the replay
        controls and disables everything that would change a cluster."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("ClusterScope: watch a cluster store, compute and fail"))
        self.resize(1600, 950)
        if bridge is None:
            bridge = EngineBridge(config or lecture_config(), self)
            bridge.time_scale = 1  # normal speed until slow motion is chosen
        elif bridge.parent() is None:
            bridge.setParent(self)
        self.bridge = bridge
        self.replay = isinstance(bridge, ReplayBridge) if replay is None else bool(replay)
        self.replay_controls: ReplayControls | None = None
        self.replay_windows: list = []  # recordings opened from this window
        self.verdict_recorder = None if self.replay else (VerdictRecorder.of(self.bridge)
                                                          or VerdictRecorder(self.bridge))
        self.successor = None  # the window made again in another language (View > Language)
        self.theme = theme.NORMAL
        self.run = RunController(self)

        self._build_widgets()
        window_actions.build_actions(self)
        window_actions.build_menus(self)
        window_actions.build_toolbar(self)
        self._build_status_bar()
        self._connect()
        self._replay_mode = ReplayMode(self) if self.replay else None
        self.apply_theme(theme.NORMAL)
        collector.keep_startup_objects_out_of_full_collections()

    # -- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.caption = QLabel(narration.starting())
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.linkActivated.connect(lambda _: self.start_tour())
        self.cluster_view = ClusterView(self.bridge)
        self.job_panel = JobPanel(self.bridge)
        self.what_if = WhatIfPanel(self.bridge, size_hint=SAMPLE_SIZE)
        self.throughput = ThroughputPlot(self.bridge)
        self.health_plot = HealthPlot(self.bridge)
        self.event_log = EventLogView(self.bridge)

        top = QSplitter(Qt.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.caption)
        left_layout.addWidget(self.cluster_view, 1)
        self.fault_timeline = FaultTimelineView()
        self.fault_timeline.hide()  # shown while a scenario plays
        left_layout.addWidget(self.fault_timeline)
        top.addWidget(left)
        self.side_tabs = QTabWidget()  # the job, and the arithmetic of reading in parallel
        self.side_tabs.addTab(self.job_panel, self.tr("Job"))
        what_if_scroll = QScrollArea()  # the panel keeps its size in lecture mode; small screens scroll
        what_if_scroll.setWidget(self.what_if)
        what_if_scroll.setWidgetResizable(True)
        what_if_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        what_if_scroll.setFrameShape(QFrame.NoFrame)
        self.side_tabs.addTab(what_if_scroll, self.tr("What if"))
        self.side_tabs.setTabToolTip(1, self.tr("How long reading the data takes on one disk and on N disks "
                                                "in parallel, for this cluster or for your own numbers"))
        self.tour_panel = TourPanel()
        # Its words never overlap: when the splitter leaves them too little room, they scroll.
        self.tour_scroll = QScrollArea()
        self.tour_scroll.setWidget(self.tour_panel)
        self.tour_scroll.setWidgetResizable(True)
        self.tour_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.tour_scroll.setFrameShape(QFrame.NoFrame)
        self.tour_scroll.hide()  # shown while the tour is open
        self.tour = None
        self.side_splitter = side = QSplitter(Qt.Vertical)
        side.addWidget(self.tour_scroll)
        side.addWidget(self.side_tabs)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        top.addWidget(side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QSplitter(Qt.Horizontal)
        bottom.addWidget(self.throughput)
        bottom.addWidget(self.health_plot)
        bottom.addWidget(self.event_log)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setStretchFactor(2, 3)
        self.main_splitter = main = QSplitter(Qt.Vertical)
        main.addWidget(top)
        main.addWidget(bottom)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        top.setSizes([960, 640])
        bottom.setSizes([620, 420, 560])
        main.setSizes([520, 400])
        self.setCentralWidget(main)

    def _build_status_bar(self) -> None:
        self.status_counts = QLabel()
        self.statusBar().addPermanentWidget(self.status_counts)
        self._update_status()

    def _connect(self) -> None:
        b = self.bridge
        b.updated.connect(self._on_updated)
        b.operation_failed.connect(self._on_failed)
        b.operation_done.connect(self._on_done)
        b.cluster_ready.connect(self.run.on_cluster_ready)
        self.cluster_view.node_action.connect(self.node_action)
        self.message.connect(self._show_message)

    # -- the live run (see RunController) ---------------------------------------------------

    @property
    def slow(self) -> int:
        return self.run.slow

    @property
    def current_path(self) -> str | None:
        """The file Store stores."""
        return self.run.current_path

    @current_path.setter
    def current_path(self, path: str | None) -> None:
        self.run.current_path = path

    @property
    def demo(self):
        return self.run.demo

    @property
    def scenario_player(self):
        return self.run.scenario_player

    def start_cluster(self) -> None:
        if self.replay:
            return  # a recording has no cluster
        self.run.start_cluster()

    def sample_dir(self) -> str:
        return self.run.sample_dir

    def play_scenario(self, path: str):
        """Validate the scenario file, then play it live on a fresh cluster of its own shape."""
        return self.run.play_scenario(path)

    def reset_cluster(self) -> None:
        self.run.reset_cluster()

    def settings_dialog(self):
        """Cluster > Settings, for the cluster the window runs (not shown yet)."""
        from .settings_dialog import ClusterSettingsDialog
        return ClusterSettingsDialog(self.run.base_config.with_changes(nodes=self.bridge.config.nodes), self)

    def open_settings(self) -> None:
        if self.replay:
            return
        dialog = self.settings_dialog()
        if dialog.exec():
            self.run.apply_settings(dialog.config())

    def set_slow_motion(self, factor: int) -> None:
        self.run.set_slow_motion(factor)

    def shutdown(self) -> None:
        if self.successor is not None:  # its cluster and files are the successor's now
            self.successor.shutdown()
            return
        if self.tour is not None:
            self.tour.leave()
        self.run.shutdown()

    def closeEvent(self, event) -> None:
        if self.successor is None:
            self.shutdown()
        super().closeEvent(event)

    def set_language(self, lang: str):
        """View > Language: this window in ``lang`` (made again; returns the new window)."""
        from .language_switch import switch_language
        try:
            return switch_language(self, lang)
        except ValueError as exc:
            self.message.emit(str(exc), "error")
            return self

    def store(self) -> None:
        self.run.store()

    def stored_file(self) -> str | None:
        return self.run.stored_file()

    def run_count(self) -> None:
        self.run.run_count(self.word_edit.text().strip(), self.ignore_case.isChecked())

    def run_wordcount(self) -> None:
        self.run.run_wordcount(self.top_spin.value())

    def node_action(self, node: int, action: str) -> None:
        self.run.node_action(node, action)

    def act_on_selected(self, action: str) -> None:
        self.run.act_on_selected(action)

    def toggle_freeze(self) -> None:
        self.run.set_frozen(self.act_freeze.isChecked())

    def start_demo(self) -> None:
        self.run.start_demo()

    # -- the guided tour ---------------------------------------------------------------------

    def start_tour(self, autoplay: bool = False, step: int | None = None, shape=None) -> Tour | None:
        """Open the tour panel and play the tour from ``step`` (default: where it was left)."""
        if self.replay:
            return None
        if self.tour is None or (shape is not None and self.tour.shape != shape):
            self.tour = Tour(self, **({"shape": shape} if shape is not None else {}))
            self.tour_panel.set_tour(self.tour)
            self.tour.changed.connect(lambda: QTimer.singleShot(0, self._size_tour_panel))
        self.tour.autoplay = autoplay
        self.tour_panel.set_theme(self.theme)
        if not self.tour_panel.isVisible():
            self.side_tabs.setMinimumHeight(140)  # the tour's words first; the job panel yields
            self.tour_scroll.show()
            self.tour_panel.show()
            self.caption.hide()  # the panel narrates
            QTimer.singleShot(0, self._size_tour_panel)
        window_actions.set_tour_keys(self, True)
        self.tour.start(step)
        return self.tour

    def _size_tour_panel(self) -> None:
        """The panel takes what its words need (at least half the column), the job panel
        the rest; it grows when a step has more to say, never shrinks under the lecturer."""
        total = sum(self.side_splitter.sizes())
        need = max(self.tour_panel.sizeHint().height(),
                   self.tour_panel.heightForWidth(self.tour_scroll.viewport().width()))
        want = min(max(need, total * 11 // 20, self.side_splitter.sizes()[0]), total - 140)
        if total > 0 and want > 0 and want != self.side_splitter.sizes()[0]:
            self.side_splitter.setSizes([want, total - want])

    def leave_tour(self) -> None:
        if self.tour is not None:
            self.tour.leave()
        self.tour_scroll.hide()
        self.tour_panel.hide()
        self.side_tabs.setMinimumHeight(0)
        self.caption.show()
        window_actions.set_tour_keys(self, False)

    def tour_next(self) -> None:
        if self.tour is not None and self.tour_panel.isVisible():
            self.tour.next()

    def tour_back(self) -> None:
        if self.tour is not None and self.tour_panel.isVisible():
            self.tour.back()

    # -- dialogs ------------------------------------------------------------------------------

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a text file"), "",
                                              self.tr("Text files (*.txt);;All files (*)"))
        if path:
            self.run.choose_file(path)

    def generate_corpus(self) -> None:
        sizes = ["1 MiB", "8 MiB", "32 MiB", "128 MiB"]
        choice, ok = QInputDialog.getItem(self, self.tr("Generate sample text"),
                                          self.tr("Size of the seeded sample:"), sizes, 1, False)
        if ok:
            self.run.generate_corpus(choice)

    def open_scenario_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a scenario"), "",
                                              self.tr("Scenarios (*.toml);;All files (*)"))
        if path:
            self.play_scenario(path)

    # -- feedback ---------------------------------------------------------------------------

    def set_caption(self, text: str, link: str | None = None) -> None:
        """The caption; ``link``: a last sentence that starts the tour when clicked."""
        if link is None:
            self.caption.setTextFormat(Qt.PlainText)
            self.caption.setText(text)
        else:
            self.caption.setTextFormat(Qt.RichText)
            self.caption.setText(f"{html.escape(text)} <a href=\"tour\" style=\"color: {self.theme.accent};\">"
                                 f"{html.escape(link)}</a>")

    def _show_message(self, text: str, level: str) -> None:
        colour = self.theme.danger if level == "error" else self.theme.text
        self.statusBar().setStyleSheet(f"QStatusBar {{ color: {colour}; }}")
        self.statusBar().showMessage(text, 8000)

    def _on_failed(self, operation: str, error: str) -> None:
        self.message.emit(narration.failed(words.operation(operation), error), "error")

    def _on_done(self, operation: str, result) -> None:
        if operation == "put" and hasattr(result, "blocks"):
            self.set_caption(narration.stored(result.file, result.blocks, self.bridge.config.replication))

    def _on_updated(self, events) -> None:
        self._update_status()

    def _update_status(self) -> None:
        self.status_counts.setText(narration.status_counts(self.bridge.state.counts()))

    # -- look -------------------------------------------------------------------------------

    def apply_theme(self, t: theme.Theme) -> None:
        self.theme = t
        app = QApplication.instance()
        if app is not None:
            app.setStyleSheet(t.stylesheet() + f"""
                QLabel#caption {{ font-size: {int(t.base_pt * 1.3)}pt; padding: 6px 10px;
                                  background: {t.panel}; border-left: 6px solid {t.accent}; }}""")
        for widget in (self.cluster_view, self.job_panel, self.throughput, self.health_plot, self.event_log,
                       self.fault_timeline, self.what_if, self.tour_panel):
            widget.set_theme(t)
        if self.replay_controls is not None:
            self.replay_controls.set_theme(t)
        window_actions.set_toolbar_rows(self, t.name == "lecture")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.theme.name == "lecture":  # the type that keeps every panel whole at this height
            fitting = theme.lecture_for(self.height())
            if fitting != self.theme:
                self.apply_theme(fitting)

    def toggle_lecture_mode(self) -> None:
        lecture = self.act_lecture.isChecked()
        self.apply_theme(theme.lecture_for(self.height()) if lecture else theme.NORMAL)
        self.showFullScreen() if lecture else self.showNormal()

    def show_help(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("ClusterScope shortcuts"))
        box.setTextFormat(Qt.RichText)
        box.setText(narration.help_html(self.replay))
        box.open()
        self.help_box = box

    # -- export -----------------------------------------------------------------------------

    def _save_path(self, title: str, default: str, filter_: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, default, filter_)
        return path or None

    def export_plots(self) -> None:
        path = self._save_path(self.tr("Export plots"), "throughput.png", "PNG (*.png)")
        if path:
            base, ext = os.path.splitext(path)

            def save():
                for widget, target in ((self.throughput, path),
                                       (self.health_plot, f"{base}-health{ext or '.png'}"),
                                       (self.job_panel, f"{base}-job{ext or '.png'}")):
                    if not export.export_widget_png(widget, target):
                        raise UsageError(self.tr("{0}: could not write the image").format(target))
            self._guarded(save, path)

    def export_metrics(self) -> None:
        path = self._save_path(self.tr("Export metrics"), "metrics.csv", "CSV (*.csv)")
        if path:
            self._guarded(lambda: export.export_metrics_csv(self.bridge.state, path), path)

    def export_events(self) -> None:
        path = self._save_path(self.tr("Export events"), "events.jsonl", "JSON Lines (*.jsonl)")
        if path:
            self._guarded(lambda: export.export_events_jsonl(self.bridge.recorded, path), path)

    def _guarded(self, fn, path: str) -> None:
        try:
            fn()
            self.message.emit(narration.saved(path), "info")
        except UsageError as exc:
            self.message.emit(str(exc), "error")

    def save_screenshot(self, path: str) -> bool:
        return self.grab().save(path)

    def save_screenshot_dialog(self) -> None:
        path = self._save_path(self.tr("Save window"), "clusterscope.png", "PNG (*.png)")
        if path:
            self.save_screenshot(path)

    # -- recordings ---------------------------------------------------------------------------

    def save_recording_to(self, path: str) -> int:
        """Save this window's run (the whole recording in a replay window); UsageError if
        it cannot be written."""
        verdicts = self.verdict_recorder.verdicts if self.verdict_recorder is not None else None
        return save_recording(self.bridge, path, verdicts=verdicts)

    def save_recording_dialog(self) -> None:
        path = self._save_path(self.tr("Save recording"), "recording.jsonl",
                               self.tr("ClusterScope recording (*.jsonl)"))
        if path:
            self._guarded(lambda: self.save_recording_to(path), path)

    def open_recording_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a recording"), "",
                                              self.tr("ClusterScope recording (*.jsonl);;All files (*)"))
        if path:
            self.open_recording(path)

    def open_recording(self, path: str):
        """Open the recording at ``path`` in a new replay window (kept by this one); None,
        with the reason in the status bar, if it cannot be read."""
        try:
            window = replay_window(type(self), path, theme=self.theme)
        except UsageError as exc:
            self.message.emit(str(exc), "error")
            return None
        self.replay_windows = [w for w in self.replay_windows if w.isVisible()] + [window]
        return window
