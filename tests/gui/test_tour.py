"""The guided tour on real clusters: every step reaches the state it is about, Next / Back and
a presenter's keys move it, leaving it keeps the cluster, and a step that cannot finish says so."""

import os
import re
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from support import ROOT, wait_gone
from gui import tour_script as ts
from gui.tour import Stage

# The tour's argument on a smaller cluster, so that the suite stays short on 2 cores.
SHAPE = ts.TourShape(disks=(1, 3, 6), disk_mbps=8.0, nodes=4, failure_disk_mbps=1.0, scan_interval=1.0)


def truth(path: str, word: str = ts.WORD) -> int:
    """grep -ow WORD | wc -l, computed here in one process."""
    with open(path, encoding="utf-8") as f:
        return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", f.read()))


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    pids = list(w.bridge.backend.node_pids().values()) if w.bridge.backend else []
    w.close()
    assert wait_gone(pids, 5.0) == []


def overlapping_words(panel, qtbot) -> list:
    """Pairs of the panel's visible labels drawn over each other (a squeezed layout)."""
    from PySide6.QtWidgets import QLabel
    qtbot.wait(0)  # let the layout settle (no state is awaited)
    labels = [w for w in panel.findChildren(QLabel) if w.isVisible() and w.text()]
    rects = [(w.text(), w.geometry().translated(w.parentWidget().mapTo(panel, w.parentWidget().rect().topLeft())))
             for w in labels]
    return [(a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1:] if ra.intersects(rb)]


def wait_stage(qtbot, tour, *stages, timeout=90000):
    qtbot.waitUntil(lambda: tour.stage in stages, timeout=timeout)
    assert tour.stage in stages, tour.problem


@pytest.fixture(params=["en", "zh_CN"])
def language(request):
    from gui import i18n
    i18n.install(request.param)
    yield request.param
    i18n.install("en")


def test_the_tour_plays_every_step_to_its_state(language, window, qtbot):
    tour = window.start_tour(shape=SHAPE, step=0)
    expected = truth(window.current_path)
    seen = []
    for index, step in enumerate(tour.steps):
        assert tour.index == index
        state = window.bridge.state  # each step has a fresh cluster
        if step.predict:
            wait_stage(qtbot, tour, Stage.PREDICT)
            assert len(state.nodes) == step.nodes and not tour.progress.outcome  # it waits for the guess
            assert window.tour_panel.status_text() == ts.predict_question(step, tour.sample_size())
            window.tour_next()
        wait_stage(qtbot, tour, Stage.SHOWN, Stage.STUCK)
        assert tour.stage == Stage.SHOWN, tour.problem
        state = window.bridge.state
        outcome = tour.progress.outcome
        job = outcome.jobs[0].result
        assert job.count == expected and outcome.verdict == "exact"
        assert len(state.nodes) == step.nodes
        measured = [m for _, _, m in window.tour_panel.number_texts() if m]
        assert overlapping_words(window.tour_panel, qtbot) == []
        seen.append((step.key, measured))
        if step.key == ts.StepKey.REPLICAS:
            (block, node), = tour.progress.corrupted
            assert not state.corrupted and state.health["under_replicated"] == 0
            # The damaged copy was dropped and a good one made (on any node, as HDFS places it).
            assert len(state.blocks[block].replicas) == step.config.replication
        if step.key == ts.StepKey.FAILURE:
            assert state.nodes[SHAPE.victim].state == "dead"
            assert state.health["under_replicated"] == 0 and state.health["missing"] == 0
        if step.key == ts.StepKey.TO_THE_DATA:
            assert job.node_local == job.map_tasks == len(state.blocks)
        if index + 1 < len(tour.steps):
            window.tour_next()
    assert tour.shown == list(range(len(tour.steps)))
    chinese = re.search(r"[\u4e00-\u9fff]", window.tour_panel.caption.text() + window.tour_panel.title.text())
    assert bool(chinese) == (language == "zh_CN")
    # Every step with a job shows this cluster's measurement beside the arithmetic.
    assert all(measured for key, measured in seen), seen


def test_presenter_keys_move_the_tour_and_leaving_keeps_the_cluster(window, qtbot):
    tour = window.start_tour(shape=SHAPE, step=1)
    wait_stage(qtbot, tour, Stage.SHOWN, Stage.STUCK)
    qtbot.keyClick(window, Qt.Key_PageUp)
    assert tour.index == 0
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert tour.index == 1
    qtbot.keyClick(window, Qt.Key_Right)
    assert tour.index == 2
    qtbot.keyClick(window, Qt.Key_Left)
    assert tour.index == 1
    wait_stage(qtbot, tour, Stage.SHOWN, Stage.STUCK)
    nodes = dict(window.bridge.state.nodes)
    qtbot.keyClick(window, Qt.Key_Escape)
    assert tour.stage == Stage.LEFT and not window.tour_panel.isVisible()
    # The keys are the window's again: PageDown no longer moves a tour that was left.
    qtbot.keyClick(window, Qt.Key_PageDown)
    assert tour.index == 1
    assert set(window.bridge.state.nodes) == set(nodes)
    assert all(n.state == "alive" for n in window.bridge.state.nodes.values())
    # The cluster is the lecturer's to use: a count on it works.
    window.run_count()
    qtbot.waitUntil(lambda: (window.bridge.state.latest_job() or None) is not None
                    and window.bridge.state.latest_job().status == "ok", timeout=30000)


def test_a_step_that_cannot_finish_says_why(window, qtbot, tmp_path):
    window.run.ensure_sample()
    gone = tmp_path / "gone.txt"
    window.current_path = str(gone)  # a file deleted after it was chosen
    tour = window.start_tour(shape=SHAPE, step=0)
    wait_stage(qtbot, tour, Stage.STUCK, Stage.SHOWN, timeout=30000)
    assert tour.stage == Stage.STUCK
    assert "gone.txt" in tour.problem
    assert tour.problem in window.tour_panel.status_text()


def test_gui_tour_plays_unattended_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "tour.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "gui", "--tour", "--tour-step", "2",
                          "--screenshot", str(shot), "--after", "4"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("value", ["0", "7", "x"])
def test_a_tour_step_out_of_range_is_refused(value):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "gui", "--tour", "--tour-step", value],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 2 and "--tour-step" in out.stderr


def test_clusters_started_one_after_another_in_a_hurry_leave_only_the_last(qtbot):
    # A presenter pressing PageDown four times: each step starts a fresh cluster. Starts run
    # in order, each stopping the one before once it is up; none is left running beside the
    # last, and the last comes up.
    from gui.bridge import EngineBridge
    bridge = EngineBridge(SHAPE.config(2, 1, 8.0))
    backends = []
    for nodes in (1, 3, 2, 4):
        bridge.start(SHAPE.config(nodes, 1, 8.0))
        backends.append(bridge.backend)
    try:
        qtbot.waitUntil(lambda: len(bridge.state.nodes) == 4
                        and all(n.state == "alive" for n in bridge.state.nodes.values()), timeout=30000)
        qtbot.waitUntil(lambda: all(b.stopped for b in backends[:-1]), timeout=15000)
        assert not backends[-1].stopped
    finally:
        pids = [p for b in backends for p in b.node_pids().values()]
        bridge.stop()
    assert wait_gone(pids, 5.0) == []
