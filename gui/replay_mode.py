"""A main window over a recording instead of a cluster: the replay bar instead of the cluster
controls, nothing enabled that would change a cluster (a recording has none), the selection
kept across seeks, and a caption saying what the recording holds."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar

from . import narration
from .i18n import translate
from .replay import ReplayBridge
from .replay_controls import ReplayControls


def replay_window(window_class, path, theme=None, play: bool = False):
    """A ``window_class`` window around a ``ReplayBridge`` of the recording at ``path``
    (UsageError if it cannot be read), in ``theme`` if given. Shown, paused at the start
    unless ``play``."""
    bridge = ReplayBridge.from_file(path)
    window = window_class(bridge=bridge)
    if theme is not None:
        window.apply_theme(theme)
    window.show()
    if play:
        bridge.play()
    return window


class ReplayMode(QObject):
    """Turns ``window`` (a main window whose bridge is a ``ReplayBridge``) into a replay
    window: sets ``window.replay_controls`` and ``window.replay_bar``."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self._selected = None  # the node selected by the user, selected again after a seek
        w, b = window, window.bridge
        name = os.path.basename(b.source) if getattr(b, "source", None) else translate("MainWindow", "recording")
        w.setWindowTitle(translate("MainWindow", "ClusterScope replay: {0}").format(name))
        for action in (w.act_open, w.act_generate, w.act_store, w.act_count, w.act_wordcount,
                       w.act_add, w.act_reset, w.act_freeze, w.act_demo, w.act_open_scenario, w.act_settings,
                       *w.node_actions.values()):
            action.setEnabled(False)
        w.act_freeze.setShortcut(QKeySequence())  # Space plays and pauses the replay
        for widget in (w.word_edit, w.ignore_case, w.top_spin, w.slow_combo):
            widget.setEnabled(False)
        w.controls_bar.hide()
        w.cluster_bar.hide()
        w.act_tour.setEnabled(False)
        view = w.cluster_view
        view.setContextMenuPolicy(Qt.NoContextMenu)
        view.node_action.disconnect(w.node_action)
        view.node_action.connect(self._refuse)
        view.node_selected.connect(self._remember)
        b.seeked.connect(self._reselect)

        w.replay_controls = ReplayControls(b)
        bar = QToolBar(translate("MainWindow", "Replay"))
        bar.setObjectName("replay_bar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.addWidget(w.replay_controls)
        w.addToolBar(Qt.BottomToolBarArea, bar)
        w.replay_bar = bar

        finished = [e.job for e in b.events if e.kind == "job_finished"]
        w.set_caption(narration.replay(name, b.duration, b.config.nodes, len(b.faults), len(finished),
                                       any(job not in b.verdicts for job in finished)))
        for warning in b.warnings:
            w.message.emit(warning, "error")

    def _refuse(self, *_) -> None:
        self._window.message.emit(narration.recording_unchangeable(), "error")

    def _remember(self, node: int) -> None:
        self._selected = node

    def _reselect(self, _t: float) -> None:
        self._window.cluster_view.set_selected(self._selected)
