"""The replay application: ``clusterscope replay FILE`` (a main window around a recording, no
cluster), and opening a recording in a window of its own. Above ``replay`` (the bridge over a
recording) and ``main_window``, which import neither this module nor ``app``. Qt is imported
only once the app handles signals (see ``app.Interrupts``)."""

from __future__ import annotations

import os
import sys

from engine.errors import UsageError
from engine.recording import load_recording

from .app import NO_DISPLAY_HINT, Interrupts, display_problem, exec_window


def open_replay_window(path, parent_window=None, play: bool = False):
    """A main window around a ``ReplayBridge`` of the recording at ``path`` (UsageError if it
    cannot be read), in ``parent_window``'s theme if given. Shown, paused at the start unless
    ``play``."""
    from .main_window import MainWindow
    from .replay_mode import replay_window
    theme = parent_window.theme if parent_window is not None else None
    return replay_window(MainWindow, path, theme=theme, play=play)


def run_replay_app(path, at: float | None = None, play: bool = True, screenshot: str | None = None,
                   lang: str | None = None) -> int:
    """``clusterscope replay FILE``: the window around a recording, no cluster. ``at`` seeks
    first; ``screenshot`` saves the window as PNG (offscreen if there is no display) and
    exits. Returns the exit status (2 with one line on stderr if the file is no recording or
    there is no display, 130 with one line if interrupted once the window is being made)."""
    problem = display_problem()
    if problem is not None:
        if screenshot:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        else:
            print("clusterscope: " + NO_DISPLAY_HINT.format(why=problem), file=sys.stderr, flush=True)
            return 2
    with Interrupts() as interrupts:  # from here: a signal during the imports must not break them
        try:
            events, sidecar, warnings = load_recording(path)  # fail before any window opens
        except UsageError as exc:
            print(f"clusterscope: error: {exc}", file=sys.stderr)
            return 2
        for warning in warnings:
            print(f"clusterscope: warning: {warning}", file=sys.stderr)

        from PySide6.QtWidgets import QApplication

        from .main_window import MainWindow
        from .replay import ReplayBridge

        if interrupts.received is not None:  # before any window
            return interrupts.exit_status()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("ClusterScope")
        from . import i18n
        i18n.install(lang or i18n.system_language())
        bridge = ReplayBridge(events, verdicts=sidecar.get("verdicts"),
                              time_scale=float(sidecar.get("time_scale") or 1.0), source=os.fspath(path),
                              warnings=warnings)
        window = MainWindow(bridge=bridge)
        window.show()
        if at is not None:
            bridge.seek(at)
        if play and not screenshot:
            bridge.play()
        # Half a second lets the plots and the log lay out before a screenshot.
        return exec_window(app, window, screenshot, 0.5, interrupts)
