"""Starting the desktop app: display check, QApplication, main window, screenshot mode."""

from __future__ import annotations

import os
import signal
import sys
import threading

from .display import display_problem  # noqa: F401 (also used by replay_app)

EXIT_INTERRUPTED = 130  # as the command line's
NO_DISPLAY_HINT = ("no display available ({why}). Headless commands work without one: "
                   "'clusterscope demo', 'clusterscope count WORD --input FILE'; "
                   "or render the window offscreen: 'clusterscope gui --screenshot shot.png'.")


class Interrupts:
    """Ctrl-C, SIGTERM and SIGHUP while the app runs, from before its window exists: each is
    remembered and closes the window from the event loop (closing it stops any cluster), so
    the app ends through its normal exit, with status 130 and one line (``exec_window``)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self):
        self.received: int | None = None
        self.window = None  # set by exec_window
        self._previous: dict = {}

    def __enter__(self) -> "Interrupts":
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _on_signal(self, signum, frame) -> None:
        self.received = signum
        self.close_window()

    def close_window(self) -> None:
        """Close the window when the event loop next runs (never from inside whatever
        Python code the signal interrupted)."""
        if self.window is not None:
            from PySide6.QtCore import QTimer

            from .language_switch import current
            QTimer.singleShot(0, current(self.window).close)

    def exit_status(self, interrupted: str = "") -> int | None:
        """None if no signal came; else 130, after the one line ``clusterscope: interrupted``
        followed by ``interrupted`` on stderr."""
        if self.received is None:
            return None
        print(f"clusterscope: interrupted{interrupted}", file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


def run_app(demo: bool = False, screenshot: str | None = None, after: float = 5.0,
            on_no_display=None, config=None, tour: bool = False, tour_step: int | None = None,
            lang: str | None = None) -> int:
    """The desktop app on a cluster of ``config`` (default: ``engine.config.WINDOW_DEFAULTS``)."""
    problem = display_problem()
    if problem is not None:
        if screenshot:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
        else:
            print("clusterscope: " + NO_DISPLAY_HINT.format(why=problem), file=sys.stderr, flush=True)
            return on_no_display() if on_no_display is not None else 2

    with Interrupts() as interrupts:  # from here: a signal during the imports must not break them
        from engine import logs
        logs.install()  # fork start method and node log forwarding, before Qt starts threads

        from PySide6.QtWidgets import QApplication

        from .main_window import MainWindow

        if interrupts.received is not None:  # before anything started
            return interrupts.exit_status()
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("ClusterScope")
        from . import i18n
        i18n.install(lang or i18n.system_language())
        window = MainWindow(config)
        window.show()
        window.start_cluster()
        if tour:
            window.start_tour(autoplay=True, step=(tour_step or 1) - 1)
        elif demo:
            window.start_demo()
        return exec_window(app, window, screenshot, after, interrupts, "; cluster stopped")


def exec_window(app, window, screenshot: str | None, after: float, interrupts: Interrupts,
                interrupted: str = "") -> int:
    """Run the event loop for ``window``: with ``screenshot``, save a PNG after ``after``
    seconds and close. A signal of ``interrupts`` (before the loop too) closes the window
    (and so stops any cluster); then the status is 130, after one line on stderr,
    ``clusterscope: interrupted`` followed by ``interrupted``."""
    from PySide6.QtCore import QTimer

    if screenshot:
        def shoot():
            from .language_switch import current
            shown = current(window)
            ok = shown.save_screenshot(screenshot)
            print(f"clusterscope: {'saved' if ok else 'could not save'} screenshot {screenshot}",
                  file=sys.stderr, flush=True)
            shown.close()
        QTimer.singleShot(int(after * 1000), shoot)
    # Qt's event loop would swallow Ctrl-C; a short timer lets Python run the handlers.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(200)
    interrupts.window = window
    if interrupts.received is not None:  # before the window was up
        interrupts.close_window()
    try:
        code = app.exec()
    finally:
        interrupts.window = None
        wake.stop()
    window.shutdown()
    status = interrupts.exit_status(interrupted)
    return code if status is None else status
