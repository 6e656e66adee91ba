"""Render the window offscreen and save what a lecturer would see, to look at before a release:

    python scripts/screenshots.py OUT_DIR [--lang en zh_CN] [--only tour|nodes|lecture]

- every tour step, in each language (``tour-<lang>-<n>.png``; the predict-first step also
  before its reveal, ``tour-<lang>-3-predict.png``);
- 100 nodes mid-job (``nodes100-<lang>.png``);
- lecture mode at 1280 x 720 and 1920 x 1080, mid-job (``lecture-<lang>-1280x720.png``, ...).

Chinese needs a CJK font (Debian/Ubuntu: ``fonts-noto-cjk`` or ``fonts-wqy-microhei``)."""

from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--lang", nargs="+", default=["en", "zh_CN"])
    parser.add_argument("--only", choices=("tour", "nodes", "lecture"), default=None)
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from engine import logs
    logs.install()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from engine.config import WINDOW_DEFAULTS
    from gui import i18n, theme
    from gui.main_window import MainWindow
    from gui.tour import Stage

    app = QApplication.instance() or QApplication(sys.argv[:1])

    def wait(predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            loop = QEventLoop()
            QTimer.singleShot(50, loop.quit)
            loop.exec()
        return predicate()

    def settle(seconds: float) -> None:
        wait(lambda: False, seconds)

    def save(window, name: str) -> None:
        path = os.path.join(args.out, name)
        settle(0.3)
        image = window.grab()
        ok = image.save(path)
        size = f" ({image.width()} x {image.height()})"
        print(("saved " if ok else "could not save ") + path + size, flush=True)

    def mid_job(window, nodes: int) -> bool:
        # Disks slow enough that the count is still running when the picture is taken.
        window.run.apply_settings(WINDOW_DEFAULTS.with_changes(nodes=nodes, block_size=64 * 1024,
                                                               disk_mbps=1.8 / nodes))
        if not wait(lambda: len(window.bridge.state.nodes) == nodes and all(
                n.state == "alive" for n in window.bridge.state.nodes.values()), 60):
            return False
        window.store()
        if not wait(lambda: window.stored_file() is not None, 120):
            return False
        window.run_count()
        job = lambda: window.bridge.state.latest_job()  # noqa: E731
        return wait(lambda: job() is not None and job().phase_total and job().done >= 0.4 * job().phase_total, 120)

    for lang in args.lang:
        i18n.install(lang)
        if args.only in (None, "tour"):
            window = MainWindow()
            window.resize(1600, 950)
            window.show()
            tour = window.start_tour(step=0)
            for index, step in enumerate(tour.steps):
                if step.predict:
                    wait(lambda: tour.stage == Stage.PREDICT, 60)
                    save(window, f"tour-{lang}-{index + 1}-predict.png")
                    tour.next()
                wait(lambda: tour.stage in (Stage.SHOWN, Stage.STUCK), 180)
                save(window, f"tour-{lang}-{index + 1}.png")
                if index + 1 < len(tour.steps):
                    tour.next()
            window.close()
        if args.only in (None, "nodes"):
            window = MainWindow()
            window.resize(1600, 950)
            window.show()
            window.start_cluster()
            if mid_job(window, 100):
                save(window, f"nodes100-{lang}.png")
            window.close()
        if args.only in (None, "lecture"):
            for width, height in ((1280, 720), (1920, 1080)):
                window = MainWindow()
                window.act_lecture.setChecked(True)
                window.apply_theme(theme.LECTURE)
                window.show()
                window.start_cluster()
                settle(0.2)
                window.resize(width, height)  # as a full screen of that size would be
                if mid_job(window, 6):
                    window.resize(width, height)
                    save(window, f"lecture-{lang}-{width}x{height}.png")
                window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
