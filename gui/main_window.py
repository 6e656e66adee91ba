"""The main window: the cluster, its plots, the job, the log, and the controls to break it."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QFileDialog, QFrame, QInputDialog,
                               QLabel, QLineEdit, QMainWindow, QMessageBox, QScrollArea, QSpinBox,
                               QSplitter, QTabWidget, QToolBar, QVBoxLayout, QWidget)

from engine.config import ClusterConfig
from engine.corpus import write_corpus
from engine.model import JobSpec
from engine.sizes import format_size
from engine.tempfiles import make_temp_folder, remove_temp_folder
from engine.text import validate_word
from engine.errors import UsageError
from engine.scenario import check_data, load_scenario, prepare_data

from . import export, theme
from .bridge import EngineBridge
from .cluster_view import ClusterView
from .demo import DemoScript
from .scenario_player import FaultTimelineView, ScenarioPlayer
from .event_log import EventLogView
from .job_panel import JobPanel
from .plots import HealthPlot, ThroughputPlot
from .replay import ReplayBridge, VerdictRecorder, open_replay_window, save_recording
from .replay_controls import ReplayControls
from .what_if import WhatIfPanel

SAMPLE_SIZE = 8 * 1024 * 1024
SLOW_MOTION = (1, 2, 5, 10)


def lecture_config(slow: float = 1.0, nodes: int = 6) -> ClusterConfig:
    """The app's cluster: HDFS's shape at a pace a room can follow. Slow motion scales the
    heartbeat, failure detection, disk (and so copy) bandwidth and animations together."""
    return ClusterConfig(nodes=nodes, replication=3, block_size=256 * 1024,
                         heartbeat=0.5 * slow, dead_after=2.0 * slow, disk_mbps=1.0 / slow,
                         metrics_interval=0.25)


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
        self.slow = 1
        if bridge is None:
            bridge = EngineBridge(config or lecture_config(self.slow), self)
            bridge.time_scale = self.slow
        elif bridge.parent() is None:
            bridge.setParent(self)
        self.bridge = bridge
        self.replay = isinstance(bridge, ReplayBridge) if replay is None else bool(replay)
        self.replay_controls: ReplayControls | None = None
        self.replay_windows: list = []  # recordings opened from this window
        self.verdict_recorder = None if self.replay else VerdictRecorder(self.bridge)
        self.theme = theme.NORMAL
        self.current_path: str | None = None
        self._sample_dir = make_temp_folder("clusterscope-sample-")
        self.demo: DemoScript | None = None
        self.scenario_player: ScenarioPlayer | None = None

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        if self.replay:
            self._setup_replay()
        self.apply_theme(theme.NORMAL)

    # -- construction ---------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.caption = QLabel(self.tr("Starting the cluster…"))
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
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
        top.addWidget(self.side_tabs)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QSplitter(Qt.Horizontal)
        bottom.addWidget(self.throughput)
        bottom.addWidget(self.health_plot)
        bottom.addWidget(self.event_log)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setStretchFactor(2, 3)
        main = QSplitter(Qt.Vertical)
        main.addWidget(top)
        main.addWidget(bottom)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        top.setSizes([960, 640])
        bottom.setSizes([620, 420, 560])
        main.setSizes([520, 400])
        self.setCentralWidget(main)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # The window's own shortcuts: a replay window beside the live one must not
            # reset or kill the live cluster.
            action.setShortcutContext(Qt.WindowShortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        tr = self.tr
        self.act_open = self._action(tr("Open…"), self.open_file, QKeySequence.Open,
                                     tr("Choose a UTF-8 text file to store"))
        self.act_generate = self._action(tr("Generate…"), self.generate_corpus, "Ctrl+G",
                                         tr("Generate seeded sample text"))
        self.act_store = self._action(tr("Store"), self.store, "Ctrl+S",
                                      tr("Cut the file into blocks and write each to 3 nodes"))
        self.act_count = self._action(tr("Count"), self.run_count, "Ctrl+Return",
                                      tr("Count the word, one task per block, on the nodes that hold it"))
        self.act_wordcount = self._action(tr("Wordcount"), self.run_wordcount, "Ctrl+W",
                                          tr("Top words with map, combine, shuffle, reduce"))
        self.act_add = self._action(tr("Add node"), self.bridge.add_node, "Ctrl+N", tr("Start one more data node"))
        self.act_reset = self._action(tr("Reset"), self.reset_cluster, "Ctrl+R",
                                      tr("Stop every node and start a fresh cluster"))
        self.act_freeze = self._action(tr("Pause cluster"), self.toggle_freeze, "Space",
                                       tr("Stop (SIGSTOP) every node and the failure detector; again to resume"))
        self.act_freeze.setCheckable(True)
        self.act_demo = self._action(tr("Play demo"), self.start_demo, "Ctrl+D",
                                     tr("Store the sample, count, kill node 2 mid-job, recover"))
        self.act_lecture = self._action(tr("Lecture mode"), self.toggle_lecture_mode, "F11",
                                        tr("Full screen, large fonts, high contrast"))
        self.act_lecture.setCheckable(True)
        self.act_help = self._action(tr("Shortcuts"), self.show_help, QKeySequence.HelpContents)
        self.act_export_png = self._action(tr("Export plots as PNG…"), self.export_plots)
        self.act_export_csv = self._action(tr("Export metrics as CSV…"), self.export_metrics)
        self.act_export_jsonl = self._action(tr("Export events as JSON Lines…"), self.export_events)
        self.act_screenshot = self._action(tr("Save window as PNG…"), self.save_screenshot_dialog)
        self.act_save_recording = self._action(tr("Save recording…"), self.save_recording_dialog, "Ctrl+Shift+S",
                                               tr("Save this run's events (and verdicts) to replay later "
                                                  "without a cluster"))
        self.act_open_recording = self._action(tr("Open recording…"), self.open_recording_dialog, "Ctrl+Shift+O",
                                               tr("Replay a saved run in a new window"))
        self.act_open_scenario = self._action(tr("Open scenario…"), self.open_scenario_dialog, "Ctrl+Shift+E",
                                              tr("Play a failure-injection scenario (TOML) live"))
        self.act_quit = self._action(tr("Quit"), self.close, QKeySequence.Quit)
        self.node_actions = {
            "kill": self._action(tr("Kill selected node (SIGKILL)"), lambda: self._on_selected("kill"), "K"),
            "pause": self._action(tr("Pause / resume selected node"), lambda: self._on_selected("pause"), "P"),
            "restart": self._action(tr("Restart selected node"), lambda: self._on_selected("restart"), "R"),
            "corrupt": self._action(tr("Corrupt a replica on selected node"),
                                    lambda: self._on_selected("corrupt"), "C"),
        }
        for action in self.node_actions.values():
            action.setShortcutContext(Qt.WindowShortcut)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        for action in (self.act_open, self.act_generate, self.act_open_scenario, None,
                       self.act_save_recording, self.act_open_recording,
                       None, self.act_export_png, self.act_export_csv,
                       self.act_export_jsonl, self.act_screenshot, None, self.act_quit):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        cluster_menu = bar.addMenu(self.tr("&Cluster"))
        for action in (self.act_store, self.act_count, self.act_wordcount, None, self.act_add,
                       self.act_reset, self.act_freeze, None, self.act_demo):
            cluster_menu.addSeparator() if action is None else cluster_menu.addAction(action)
        node_menu = bar.addMenu(self.tr("&Node"))
        for action in self.node_actions.values():
            node_menu.addAction(action)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.act_lecture)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.act_help)

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Controls"))
        self.controls_bar = bar
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.addToolBar(bar)
        bar.addAction(self.act_open)
        bar.addAction(self.act_generate)
        bar.addAction(self.act_store)
        bar.addSeparator()
        self.word_edit = QLineEdit("data")
        self.word_edit.setPlaceholderText(self.tr("word"))
        self.word_edit.setMaximumWidth(160)
        self.word_edit.setToolTip(self.tr("The word to count (one word)"))
        self.word_edit.returnPressed.connect(self.run_count)
        bar.addWidget(self.word_edit)
        self.ignore_case = QCheckBox(self.tr("ignore case"))
        bar.addWidget(self.ignore_case)
        bar.addAction(self.act_count)
        bar.addSeparator()
        self.top_spin = QSpinBox()
        self.top_spin.setRange(1, 100)
        self.top_spin.setValue(10)
        self.top_spin.setPrefix(self.tr("top "))
        bar.addWidget(self.top_spin)
        bar.addAction(self.act_wordcount)
        bar.addSeparator()
        bar.addAction(self.act_add)
        bar.addAction(self.act_reset)
        bar.addAction(self.act_freeze)
        self.slow_combo = QComboBox()
        for factor in SLOW_MOTION:
            self.slow_combo.addItem(self.tr("{0}x slower").format(factor) if factor > 1 else self.tr("normal speed"),
                                    factor)
        self.slow_combo.setToolTip(self.tr("Slow motion: scales heartbeats, failure detection, disk "
                                           "speed and animations together (resets the cluster)"))
        self.slow_combo.activated.connect(lambda _: self.set_slow_motion(self.slow_combo.currentData()))
        bar.addWidget(self.slow_combo)
        bar.addSeparator()
        bar.addAction(self.act_demo)
        bar.addAction(self.act_lecture)
        bar.addAction(self.act_help)

    def _build_status_bar(self) -> None:
        self.status_counts = QLabel()
        self.statusBar().addPermanentWidget(self.status_counts)
        self._update_status()

    def _connect(self) -> None:
        b = self.bridge
        b.updated.connect(self._on_updated)
        b.operation_failed.connect(self._on_failed)
        b.operation_done.connect(self._on_done)
        b.cluster_ready.connect(self._on_cluster_ready)
        self.cluster_view.node_action.connect(self.node_action)
        self.message.connect(self._show_message)

    # -- cluster lifecycle ------------------------------------------------------------------

    def start_cluster(self) -> None:
        if self.replay:
            return  # a recording has no cluster
        self.bridge.start()
        self._ensure_sample()

    def _ensure_sample(self) -> None:
        if self.current_path is None:
            path = os.path.join(self._sample_dir, "sample.txt")
            write_corpus(path, SAMPLE_SIZE, seed=1)
            self.current_path = path

    def _on_cluster_ready(self) -> None:
        cfg = self.bridge.config
        self.set_caption(self.tr("{0} nodes are up, each a real process with its own folder. "
                                 "Store the sample ({1}), then count a word; right-click a node to "
                                 "break it.").format(cfg.nodes, format_size(os.path.getsize(self.current_path))))

    def sample_dir(self) -> str:
        return self._sample_dir

    def open_scenario_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a scenario"), "",
                                              self.tr("Scenarios (*.toml);;All files (*)"))
        if path:
            self.play_scenario(path)

    def play_scenario(self, path: str):
        """Validate the scenario file, then play it live on a fresh cluster of its own shape."""
        try:
            scenario = load_scenario(path)
            if any(f.block is not None for f in scenario.faults):  # block ids need the data
                check_data(scenario, prepare_data(scenario, self.sample_dir()))
        except UsageError as exc:
            self.message.emit(str(exc), "error")
            return None
        if self.demo is not None:
            self.demo.cancel()
        if self.scenario_player is not None:
            self.scenario_player.cancel()
        self.fault_timeline.set_theme(self.theme)
        self.fault_timeline.show()
        self.scenario_player = ScenarioPlayer(self, scenario)
        self.scenario_player.start()
        return self.scenario_player

    def reset_cluster(self) -> None:
        if self.scenario_player is not None:
            self.scenario_player.cancel()
            self.scenario_player = None
            self.fault_timeline.hide()
        if self.demo is not None:
            self.demo.cancel()
        self.act_freeze.setChecked(False)
        self.bridge.start(lecture_config(self.slow, nodes=self.bridge.config.nodes))
        self.set_caption(self.tr("Starting a fresh cluster…"))

    def set_slow_motion(self, factor: int) -> None:
        if factor == self.slow:
            return
        self.slow = factor
        self.bridge.time_scale = factor
        self.slow_combo.setCurrentIndex(SLOW_MOTION.index(factor))
        self.reset_cluster()

    def shutdown(self) -> None:
        if self.demo is not None:
            self.demo.cancel()
        if self.scenario_player is not None:
            self.scenario_player.cancel()
        self.bridge.stop()
        remove_temp_folder(self._sample_dir)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- files and jobs ---------------------------------------------------------------------

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a text file"), "",
                                              self.tr("Text files (*.txt);;All files (*)"))
        if path:
            self.current_path = path
            self.what_if.set_pending_size(os.path.getsize(path))
            self.set_caption(self.tr("Chosen {0}. Press Store to cut it into blocks.").format(os.path.basename(path)))

    def generate_corpus(self) -> None:
        sizes = ["1 MiB", "8 MiB", "32 MiB", "128 MiB"]
        choice, ok = QInputDialog.getItem(self, self.tr("Generate sample text"),
                                          self.tr("Size of the seeded sample:"), sizes, 1, False)
        if not ok:
            return
        size = int(choice.split()[0]) * 1024 * 1024
        path = os.path.join(self._sample_dir, f"sample-{choice.split()[0]}MiB.txt")
        write_corpus(path, size, seed=1)
        self.current_path = path
        self.what_if.set_pending_size(os.path.getsize(path))
        self.set_caption(self.tr("Generated {0} of sample text. Press Store.").format(choice))

    def store(self) -> None:
        if self.current_path is None:
            self._ensure_sample()
        name = os.path.basename(self.current_path)
        if name in self.bridge.state.files:
            self.message.emit(self.tr("{0} is already stored: run a job, or Reset").format(name), "error")
            return
        cfg = self.bridge.config
        self.set_caption(self.tr("Storing {0}: cut into blocks of {1} at whitespace, each block "
                                 "checksummed and written to {2} different nodes.")
                         .format(name, format_size(cfg.block_size), cfg.replication))
        self.bridge.put(self.current_path)

    def stored_file(self) -> str | None:
        files = list(self.bridge.state.files)
        committed = [f for f in files
                     if all(self.bridge.state.blocks[b].committed for b in self.bridge.state.files[f]
                            if b in self.bridge.state.blocks)]
        return committed[-1] if committed else None

    def run_count(self) -> None:
        name = self.stored_file()
        if name is None:
            self.message.emit(self.tr("Store a file first (Store)"), "error")
            return
        word = self.word_edit.text().strip()
        try:
            validate_word(word)
        except UsageError as exc:
            self.message.emit(str(exc), "error")
            return
        self.set_caption(self.tr("Counting '{0}': one task per block, each on a node that holds "
                                 "the block (data locality).").format(word))
        self.bridge.run_job(JobSpec("count", name, word=word, ignore_case=self.ignore_case.isChecked()))

    def run_wordcount(self) -> None:
        name = self.stored_file()
        if name is None:
            self.message.emit(self.tr("Store a file first (Store)"), "error")
            return
        self.set_caption(self.tr("Wordcount: map every block, combine on the node, shuffle by "
                                 "word to one reducer per node, reduce, merge."))
        self.bridge.run_job(JobSpec("wordcount", name, top=self.top_spin.value()))

    # -- breaking things --------------------------------------------------------------------

    def node_action(self, node: int, action: str) -> None:
        view = self.bridge.state.nodes.get(node)
        if action == "pause" and view is not None and view.process == "paused":
            action = "resume"
        {"kill": self.bridge.kill, "pause": self.bridge.pause, "resume": self.bridge.resume,
         "restart": self.bridge.restart, "corrupt": self.bridge.corrupt}[action](node)
        captions = {
            "kill": self.tr("Node {0} killed with SIGKILL. Watch: it stops heartbeating, turns "
                            "suspect, then is declared dead; its blocks are copied back to 3 replicas."),
            "pause": self.tr("Node {0} paused (SIGSTOP): alive but silent, so it will be declared dead."),
            "resume": self.tr("Node {0} resumed (SIGCONT): it rejoins with a block report; extra "
                              "replicas are trimmed."),
            "restart": self.tr("Node {0} restarting: a new process over the same folder, which "
                               "reports the blocks it finds."),
            "corrupt": self.tr("A replica on node {0} was corrupted on disk. The next read "
                               "detects it by checksum and repairs it from a good copy."),
        }
        self.set_caption(captions[action].format(node))

    def _on_selected(self, action: str) -> None:
        node = self.cluster_view.selected_node()
        if node is None:
            self.message.emit(self.tr("Select a node first (click it)"), "error")
            return
        self.node_action(node, action)

    def toggle_freeze(self) -> None:
        if self.bridge.backend is None:
            return
        if self.act_freeze.isChecked():
            self.bridge.freeze()
            self.set_caption(self.tr("Cluster paused: every node is stopped. Press Space to resume."))
        else:
            self.bridge.thaw()
            self.set_caption(self.tr("Cluster resumed."))

    # -- demo -------------------------------------------------------------------------------

    def start_demo(self) -> None:
        if self.demo is not None:
            self.demo.cancel()
        self._ensure_sample()
        self.demo = DemoScript(self)
        self.demo.start()

    # -- feedback ---------------------------------------------------------------------------

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)

    def _show_message(self, text: str, level: str) -> None:
        colour = self.theme.danger if level == "error" else self.theme.text
        self.statusBar().setStyleSheet(f"QStatusBar {{ color: {colour}; }}")
        self.statusBar().showMessage(text, 8000)

    def _on_failed(self, operation: str, error: str) -> None:
        self.message.emit(self.tr("{0} failed: {1}").format(operation, error), "error")

    def _on_done(self, operation: str, result) -> None:
        if operation == "put" and hasattr(result, "blocks"):
            self.set_caption(self.tr("Stored {0}: {1} blocks, each on {2} nodes. Now count a word.")
                             .format(result.file, result.blocks, self.bridge.config.replication))

    def _on_updated(self, events) -> None:
        self._update_status()

    def _update_status(self) -> None:
        c = self.bridge.state.counts()
        self.status_counts.setText(self.tr(
            "● {live} live   ✖ {dead} dead   ❚❚ {paused} paused   blocks {blocks}   "
            "under-replicated {under}   missing {missing}").format(
            live=c["live"], dead=c["dead"], paused=c["paused"], blocks=c["blocks"],
            under=c["under_replicated"], missing=c["missing"]))

    # -- look -------------------------------------------------------------------------------

    def apply_theme(self, t: theme.Theme) -> None:
        self.theme = t
        app = QApplication.instance()
        if app is not None:
            app.setStyleSheet(t.stylesheet() + f"""
                QLabel#caption {{ font-size: {int(t.base_pt * 1.3)}pt; padding: 6px 10px;
                                  background: {t.panel}; border-left: 6px solid {t.accent}; }}""")
        for widget in (self.cluster_view, self.job_panel, self.throughput, self.health_plot, self.event_log,
                       self.fault_timeline, self.what_if):
            widget.set_theme(t)
        if self.replay_controls is not None:
            self.replay_controls.set_theme(t)

    def toggle_lecture_mode(self) -> None:
        lecture = self.act_lecture.isChecked()
        self.apply_theme(theme.LECTURE if lecture else theme.NORMAL)
        self.showFullScreen() if lecture else self.showNormal()

    def show_help(self) -> None:
        rows = [
            (self.tr("Click a node"), self.tr("select it")),
            (self.tr("Right-click a node"), self.tr("kill, pause/resume, restart, corrupt a replica")),
            ("K / P / R / C", self.tr("kill / pause-resume / restart / corrupt on the selected node")),
            (self.tr("Arrow keys"), self.tr("move the selection")),
            ("Ctrl+O / Ctrl+G", self.tr("open a text file / generate sample text")),
            ("Ctrl+S", self.tr("store the file")),
            ("Ctrl+Enter / Ctrl+W", self.tr("count the word / wordcount")),
            ("Ctrl+N / Ctrl+R", self.tr("add a node / reset the cluster")),
            (self.tr("Space"), self.tr("pause or resume the whole cluster")),
            ("Ctrl+D", self.tr("play the demo")),
            ("F11", self.tr("lecture mode: full screen, large fonts, high contrast")),
            ("F1", self.tr("this help")),
        ]
        if self.replay:
            rows = [
                (self.tr("Space"), self.tr("play or pause the replay")),
                ("F", self.tr("jump to the next fault (kill, pause, corrupted replica, slowed disk)")),
                ("Home", self.tr("back to the start of the recording")),
                (self.tr("Click a node"), self.tr("select it")),
                ("Ctrl+Shift+O / Ctrl+Shift+S", self.tr("open another recording / save this one")),
                ("F11", self.tr("lecture mode: full screen, large fonts, high contrast")),
                ("F1", self.tr("this help")),
            ]
        html = "<table cellpadding=4>" + "".join(
            f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>"
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("ClusterScope shortcuts"))
        box.setTextFormat(Qt.RichText)
        box.setText(html)
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
                        raise UsageError(f"{target}: could not write the image")
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
            self.message.emit(self.tr("Saved {0}").format(path), "info")
        except UsageError as exc:
            self.message.emit(str(exc), "error")

    # -- recordings and replay ----------------------------------------------------------------

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
            window = open_replay_window(path, parent_window=self)
        except UsageError as exc:
            self.message.emit(str(exc), "error")
            return None
        self.replay_windows = [w for w in self.replay_windows if w.isVisible()] + [window]
        return window

    def _setup_replay(self) -> None:
        """Replay mode: the replay bar instead of the cluster controls; nothing that would
        change a cluster is enabled (a recording has none)."""
        b = self.bridge
        name = os.path.basename(b.source) if getattr(b, "source", None) else self.tr("recording")
        self.setWindowTitle(self.tr("ClusterScope replay: {0}").format(name))
        for action in (self.act_open, self.act_generate, self.act_store, self.act_count, self.act_wordcount,
                       self.act_add, self.act_reset, self.act_freeze, self.act_demo, self.act_open_scenario,
                       *self.node_actions.values()):
            action.setEnabled(False)
        self.act_freeze.setShortcut(QKeySequence())  # Space plays and pauses the replay
        for widget in (self.word_edit, self.ignore_case, self.top_spin, self.slow_combo):
            widget.setEnabled(False)
        self.controls_bar.hide()
        self.cluster_view.setContextMenuPolicy(Qt.NoContextMenu)
        self.cluster_view.node_action.disconnect(self.node_action)
        self.cluster_view.node_action.connect(
            lambda *_: self.message.emit(self.tr("This is a recording: nothing in it can be changed"), "error"))
        self._replay_selected = None
        self.cluster_view.node_selected.connect(lambda node: setattr(self, "_replay_selected", node))
        b.seeked.connect(lambda _t: self.cluster_view.set_selected(self._replay_selected))

        self.replay_controls = ReplayControls(b)
        bar = QToolBar(self.tr("Replay"))
        bar.setObjectName("replay_bar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.addWidget(self.replay_controls)
        self.addToolBar(Qt.BottomToolBarArea, bar)
        self.replay_bar = bar

        faults = len(b.faults)
        finished = [e.job for e in b.events if e.kind == "job_finished"]
        jobs = len(finished)
        text = self.tr("Replay of {name}: {duration} s, {nodes} nodes, {faults} fault(s), {jobs} job(s). "
                       "No cluster is running: play it, drag the slider, or jump to the next fault.").format(
            name=name, duration=f"{b.duration:.1f}", nodes=b.config.nodes, faults=faults, jobs=jobs)
        if any(job not in b.verdicts for job in finished):
            text += " " + self.tr("(This recording carries no verdicts: it was saved without its "
                                  ".verdicts.json.)")
        self.set_caption(text)
        for warning in b.warnings:
            self.message.emit(warning, "error")

    def save_screenshot(self, path: str) -> bool:
        return self.grab().save(path)

    def save_screenshot_dialog(self) -> None:
        path = self._save_path(self.tr("Save window"), "clusterscope.png", "PNG (*.png)")
        if path:
            self.save_screenshot(path)
