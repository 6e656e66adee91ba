"""`clusterscope gui` and `clusterscope replay FILE` interrupted once the window is up (Ctrl-C,
SIGTERM): exit status 130, one line on stderr, no traceback, no process left behind."""

import json
import os
import signal
import subprocess
import sys

import pytest

from support import ROOT, children, wait_children, wait_gone, wait_until

# The command line's own entry, with the window telling a file once the event loop runs it.
LAUNCH = """
import sys
from PySide6.QtCore import QTimer
from gui.main_window import MainWindow
ready, argv = sys.argv[1], sys.argv[2:]
show = MainWindow.show
def show_and_tell(self):
    show(self)
    QTimer.singleShot(0, lambda: open(ready, "w").close())
MainWindow.show = show_and_tell
from cli.commands import main
sys.exit(main(argv))
"""
# What the offscreen platform says on stderr whenever a window is shown (not the app's).
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def interrupt(tmp_path, argv, sig, nodes=0):
    """Start the app with ``argv``, wait for its window (and ``nodes`` node processes),
    send ``sig``; (return code, stderr lines of the app, processes it had started)."""
    ready = tmp_path / "window-up"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, str(ready), *argv], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(ready.exists, 60.0, 0.05), "the window did not come up"
        if nodes:
            assert len(wait_children(proc.pid, nodes)) >= nodes, "the nodes did not start"
        started = children(proc.pid)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, [line for line in err.splitlines() if line != OFFSCREEN_NOISE], started


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_gui_interrupted_exits_130_with_one_line_and_stops_its_cluster(tmp_path, sig):
    code, lines, started = interrupt(tmp_path, ["gui"], sig, nodes=6)
    assert code == 130, lines
    assert lines == ["clusterscope: interrupted; cluster stopped"], lines
    assert wait_gone(started, 5.0) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_replay_interrupted_exits_130_with_one_line(tmp_path, sig):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"kind": "cluster_stopped", "t": 0.5}) + "\n", encoding="utf-8")
    code, lines, started = interrupt(tmp_path, ["replay", str(path)], sig)
    assert code == 130, lines
    assert lines == ["clusterscope: interrupted"], lines
    assert wait_gone(started, 5.0) == []
