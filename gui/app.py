"""Starting the desktop app: display check, QApplication, main window, screenshot mode."""

from __future__ import annotations

import os
import signal
import sys

NO_DISPLAY_HINT = ("no display available ({why}). Headless commands work without one: "
                   "'clusterscope demo', 'clusterscope count WORD --input FILE'; "
                   "or render the window offscreen: 'clusterscope gui --screenshot shot.png'.")


def display_problem() -> str | None:
    """Why Qt could not open a window here, or None if it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return None
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "neither DISPLAY nor WAYLAND_DISPLAY is set"
    return None


def run_app(demo: bool = False, screenshot: str | None = None, after: float = 5.0,
            on_no_display=None) -> int:
    problem = display_problem()
    if problem is not None:
        if screenshot:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
        else:
            print("clusterscope: " + NO_DISPLAY_HINT.format(why=problem), file=sys.stderr, flush=True)
            return on_no_display() if on_no_display is not None else 2

    from engine import logs
    logs.install()  # fork start method and node log forwarding, before Qt starts threads

    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ClusterScope")
    window = MainWindow()
    window.show()
    window.start_cluster()
    if demo:
        window.start_demo()
    return exec_window(app, window, screenshot, after)


def exec_window(app, window, screenshot: str | None, after: float) -> int:
    """Run the event loop for ``window``: with ``screenshot``, save a PNG after ``after``
    seconds and close; Ctrl-C and SIGTERM close the window (and so stop any cluster)."""
    from PySide6.QtCore import QTimer

    if screenshot:
        def shoot():
            ok = window.save_screenshot(screenshot)
            print(f"clusterscope: {'saved' if ok else 'could not save'} screenshot {screenshot}",
                  file=sys.stderr, flush=True)
            window.close()
        QTimer.singleShot(int(after * 1000), shoot)
    # Qt's event loop would swallow Ctrl-C; a short timer lets Python run the handlers.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    signal.signal(signal.SIGTERM, lambda *_: window.close())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    code = app.exec()
    window.shutdown()
    return code
