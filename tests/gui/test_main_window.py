"""The whole app on a real cluster: start, break a node from the UI, demo, screenshot, close."""

import os
import subprocess
import sys

import pytest

from support import ROOT, wait_children, wait_gone
from engine.config import ClusterConfig


def fast_config(**kw):
    # The app's own shape, with quicker failure detection so the suite stays short.
    return ClusterConfig(**{**dict(nodes=6, replication=3, block_size=256 * 1024, heartbeat=0.2,
                                   dead_after=1.0, disk_mbps=4.0), **kw})


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow
    w = MainWindow(config=fast_config())
    qtbot.addWidget(w)
    w.show()
    w.start_cluster()
    qtbot.waitUntil(lambda: len(w.bridge.state.nodes) == 6
                    and all(n.state == "alive" for n in w.bridge.state.nodes.values()), timeout=15000)
    yield w
    pids = list(w.bridge.backend.node_pids().values()) if w.bridge.backend else []
    w.close()
    assert wait_gone(pids, 5.0) == []


def test_kill_from_the_ui_shows_dead_and_status_agrees(window, qtbot):
    bridge = window.bridge
    window.cluster_view.trigger(3, "kill")
    qtbot.waitUntil(lambda: window.cluster_view.tile_state_text(3).lower().endswith("dead"), timeout=10000)
    killed = [e for e in bridge.recorded if e.kind == "node_killed" and e.node == 3][0]
    dead = [e for e in bridge.recorded if e.kind == "node_declared_dead" and e.node == 3][0]
    cfg = bridge.config
    assert dead.t - killed.t <= cfg.dead_after + cfg.heartbeat
    # The status bar says what the engine says.
    qtbot.waitUntil(lambda: bridge.state.counts()["dead"] == 1, timeout=5000)
    snap = bridge.backend.snapshot()
    live = sum(1 for n in snap.nodes.values() if n.state in ("alive", "suspect"))
    text = window.status_counts.text()
    assert f"{live} live" in text and "1 dead" in text
    assert f"blocks {snap.health.blocks}" in text


def test_demo_ends_exact_with_full_replication(window, qtbot):
    window.start_demo()
    qtbot.waitUntil(lambda: window.demo.step == "done", timeout=60000)
    assert window.demo.verdict == "exact"
    health = window.bridge.backend.health()
    assert health.under_replicated == 0 and health.missing == 0
    assert window.bridge.state.nodes[2].state == "dead"
    job = window.bridge.state.latest_job()
    assert job.status == "ok" and job.count > 0
    assert "exact" in window.job_panel.verdict_text()
    # The kill came while the count ran, from the run layer's fault scheduler.
    killed = [e for e in window.bridge.recorded if e.kind == "node_killed" and e.node == 2]
    started = [e for e in window.bridge.recorded if e.kind == "job_started"]
    finished = [e for e in window.bridge.recorded if e.kind == "job_finished"]
    assert len(killed) == 1 and started[0].t < killed[0].t < finished[0].t
    # The throughput plot has one series per node with the metrics the engine sent.
    for node in range(6):
        x, y = window.throughput.curve_data(node)
        assert len(x) == len(y) > 0


def test_status_counts_follow_pause_and_resume(window, qtbot):
    window.cluster_view.trigger(1, "pause")
    qtbot.waitUntil(lambda: "1 paused" in window.status_counts.text(), timeout=5000)
    window.cluster_view.trigger(1, "pause")  # again: resumes
    qtbot.waitUntil(lambda: window.bridge.state.nodes[1].process == "running", timeout=5000)


def test_screenshot_command_writes_the_window(tmp_path):
    path = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "gui", "--screenshot", str(path),
                          "--after", "3"], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    from PySide6.QtGui import QImage
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1600, 950)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 41)}
    assert len(colours) > 20  # not blank


def test_no_display_says_so_and_runs_headless(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py")], capture_output=True, text=True,
                         timeout=120, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "no display available" in out.stderr and "Traceback" not in out.stderr
    assert "status: ok, exact" in out.stdout


def test_sigkill_of_the_app_leaves_no_node_process():
    import signal
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "gui"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kids = wait_children(proc.pid, 6)
        assert len(kids) >= 6, "the app's nodes did not start"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert wait_gone(kids, 5.0) == []
    finally:
        if proc.poll() is None:
            proc.kill()


SCENARIO = """
name = "GUI kill"
[cluster]
nodes = 4
replication = 2
block_size = "64KiB"
heartbeat = 0.2
dead_after = 1.0
disk_mbps = 2.0
[data]
generate = "1MiB"
[[jobs]]
kind = "count"
word = "data"
[[faults]]
at = 0.1
action = "kill"
node = 1
"""


def test_scenario_plays_live_with_its_fault_timeline(window, qtbot, tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(SCENARIO)
    player = window.play_scenario(str(path))
    assert player is not None and window.fault_timeline.isVisible()
    assert [f.action for f in window.fault_timeline.faults] == ["kill"]
    qtbot.waitUntil(lambda: player.step == "done", timeout=60000)
    qtbot.waitUntil(lambda: window.bridge.state.nodes[1].state == "dead", timeout=10000)
    job = window.bridge.state.latest_job()
    assert job.status == "ok"
    qtbot.waitUntil(lambda: "exact" in window.job_panel.verdict_text(), timeout=20000)
    assert len(window.bridge.state.nodes) == 4 and window.fault_timeline.upcoming() == []


def test_bad_scenario_is_one_line_in_the_status_bar(window, qtbot, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SCENARIO.replace("node = 1", "node = 9"))
    with qtbot.waitSignal(window.message, timeout=2000) as blocker:
        assert window.play_scenario(str(path)) is None
    assert "node 9 does not exist" in blocker.args[0]


def test_an_engine_failure_is_said_in_the_window_and_stops_the_nodes(window, qtbot):
    backend = window.bridge.backend
    pids = list(backend.node_pids().values())
    messages = []
    window.message.connect(lambda text, level: messages.append((text, level)))

    def broken(now):
        raise RuntimeError("injected engine bug")
    backend.core.tick = broken
    qtbot.waitUntil(lambda: any("engine failed" in text and "injected engine bug" in text
                                for text, _ in messages), timeout=10000)
    assert [level for text, level in messages if "engine failed" in text] == ["error"]
    assert wait_gone(pids, 10.0) == []


def test_scenario_block_beyond_the_data_is_refused_before_it_plays(window, qtbot, tmp_path):
    path = tmp_path / "blocks.toml"
    path.write_text(SCENARIO.replace('action = "kill"\nnode = 1', 'action = "corrupt"\nnode = 1\nblock = 16'))
    with qtbot.waitSignal(window.message, timeout=10000) as blocker:
        assert window.play_scenario(str(path)) is None
    assert blocker.args == [f"{path}:15: faults[0].block 16 does not exist: the data is stored as 16 block(s) "
                            "(ids 0..15)", "error"]
    assert window.scenario_player is None and not window.fault_timeline.isVisible()


def test_the_window_keeps_the_cluster_it_was_opened_with_through_slow_motion_and_reset(qtbot):
    from gui.main_window import MainWindow
    w = MainWindow(config=fast_config(nodes=8, replication=2, disk_mbps=4.0))
    qtbot.addWidget(w)
    w.show()
    w.start_cluster()
    try:
        qtbot.waitUntil(lambda: len(w.bridge.state.nodes) == 8
                        and all(n.state == "alive" for n in w.bridge.state.nodes.values()), timeout=20000)
        assert w.bridge.state.config["replication"] == 2
        w.run.set_slow_motion(2)
        qtbot.waitUntil(lambda: w.bridge.state.config.get("heartbeat") == 0.4
                        and len(w.bridge.state.nodes) == 8, timeout=20000)
        cfg = w.bridge.config
        assert (cfg.nodes, cfg.replication, cfg.dead_after, cfg.disk_mbps) == (8, 2, 2.0, 2.0)
    finally:
        pids = list(w.bridge.backend.node_pids().values()) if w.bridge.backend else []
        w.close()
    assert wait_gone(pids, 5.0) == []


@pytest.mark.parametrize("options, says", [(["--nodes", "0"], "--nodes"), (["--nodes", "257"], "--nodes"),
                                           (["--nodes", "3", "--replication", "4"], "replication"),
                                           (["--disk-mbps", "nan"], "--disk-mbps")])
def test_bad_window_cluster_options_are_one_line_before_any_window(options, says):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "gui", *options], capture_output=True,
                         text=True, timeout=60, env=env, cwd=ROOT)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert says in out.stderr


def test_cluster_settings_refuse_what_cannot_start_and_start_what_can(window, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox
    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert ok.isEnabled() and dialog.config().nodes == 6
    dialog.nodes.setValue(2)  # replication 3 on 2 nodes cannot be
    assert not ok.isEnabled() and "Replication" in dialog.problem_text() and "above the node count 2" in dialog.problem_text()
    dialog.replication.setValue(2)
    dialog.dead_after.setValue(0.1)  # not longer than the heartbeat
    assert not ok.isEnabled() and "dead" in dialog.problem_text().lower()
    dialog.dead_after.setValue(1.5)
    dialog.nodes.setValue(9)
    dialog.throttled.setChecked(False)
    assert ok.isEnabled() and dialog.problem_text() == ""
    config = dialog.config()
    assert (config.nodes, config.replication, config.disk_mbps, config.dead_after) == (9, 2, None, 1.5)
    window.run.apply_settings(config)
    qtbot.waitUntil(lambda: len(window.bridge.state.nodes) == 9
                    and all(n.state == "alive" for n in window.bridge.state.nodes.values()), timeout=20000)
    assert window.bridge.state.config["replication"] == 2 and window.bridge.state.config["dead_after"] == 1.5
    window.reset_cluster()  # Reset keeps the settings
    qtbot.waitUntil(lambda: len(window.bridge.state.nodes) == 9
                    and window.bridge.state.config.get("replication") == 2, timeout=20000)


def test_a_cluster_ready_after_the_window_closed_or_its_file_went_is_no_traceback(window, qtbot, tmp_path):
    # Found by a test: the start finished after the window had closed (and removed its sample).
    gone = tmp_path / "gone.txt"
    gone.write_text("data\n")
    window.run.current_path = str(gone)
    gone.unlink()
    window.run.on_cluster_ready()  # raised FileNotFoundError in the event loop
    assert window.caption.text() == "Starting a fresh cluster…"
    window.set_caption("before")
    window.run.shutdown()
    window.run.on_cluster_ready()  # after shutdown (its sample removed): nothing said, nothing raised
    assert window.caption.text() == "before"


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_lecture_mode_keeps_every_panel_and_control_whole(qtbot, size):
    from gui import theme
    from gui.main_window import MainWindow
    w = MainWindow(config=fast_config())
    qtbot.addWidget(w)
    w.show()
    w.act_lecture.setChecked(True)
    w.apply_theme(theme.lecture_for(size[1]))
    w.resize(*size)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == size, timeout=5000)
    assert w.theme.name == "lecture" and w.minimumSizeHint().height() <= size[1]
    # Every control of both toolbars is on screen, none behind an overflow.
    for bar in (w.controls_bar, w.cluster_bar):
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if widget is not None and not action.isSeparator():
                assert widget.isVisible() and widget.geometry().right() <= bar.width(), action.text()
    # Every panel has room: none is squeezed below its own minimum.
    for panel in (w.cluster_view, w.job_panel, w.throughput, w.health_plot, w.event_log):
        assert panel.height() >= max(120, panel.minimumSizeHint().height()), (panel, panel.height())
    w.close()


def test_the_first_window_leaves_the_startup_objects_out_of_full_collections():
    # A full collection walks every object the collector tracks, on the GUI thread: what was
    # alive once the first window was built (modules, classes, widgets) is frozen out of it.
    script = """
import gc, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui import collector
from gui.main_window import MainWindow
before = gc.get_freeze_count()
w = MainWindow()
frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())
second = MainWindow()
print(before, frozen, tracked, collector.keep_startup_objects_out_of_full_collections(),
      gc.get_freeze_count() == frozen)
""".format(root=ROOT)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    before, frozen, tracked, again, unchanged = out.stdout.split()
    assert int(before) == 0 and int(frozen) > 50_000 and int(tracked) < int(frozen) // 4
    assert again == "False" and unchanged == "True"  # once per process
