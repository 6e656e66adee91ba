"""JobPanel: progress, result, verdict and the task stream, asserted on the widgets' data and
the bar items' options (never on pixels); one test renders PNGs for a human to look at."""

import os

import pytest
from PySide6 import QtGui

from conftest import cluster_events
from engine import events as ev
from engine.view import ClusterState
from gui import theme as th
from gui.job_panel import JobPanel
from gui.plots import amber


@pytest.fixture
def panel(qtbot, fake_bridge):
    widget = JobPanel(fake_bridge)
    qtbot.addWidget(widget)
    widget.resize(700, 700)
    widget.show()
    return widget


def started(t, job, task, attempt, node, block=None, phase="map", local=True, retry=False):
    return ev.TaskStarted(t=t, job=job, task=task, attempt=attempt, node=node, block=block,
                          phase=phase, local=local, retry=retry)


def finished(t, job, task, attempt, node, block=None, phase="map"):
    return ev.TaskFinished(t=t, job=job, task=task, attempt=attempt, node=node, block=block,
                           phase=phase, elapsed_s=0.1, bytes_read=1024)


def failed(t, job, task, attempt, node, block=None, phase="map", reason="node lost"):
    return ev.TaskFailed(t=t, job=job, task=task, attempt=attempt, node=node, block=block,
                         phase=phase, reason=reason)


def count_job(job=1, t0=1.0, word="data"):
    return ev.JobStarted(t=t0, job=job, job_kind="count", file="f.txt", word=word, ignore_case=False,
                         top=None, tasks=6)


def job_done(t, job=1, kind="count", status="ok", count=None, top=(), missing=(), retried=0, local=6,
             tasks=6):
    return ev.JobFinished(t=t, job=job, job_kind=kind, status=status, count=count, top=top,
                          missing_blocks=missing, tasks_total=tasks, node_local=local, non_local=0,
                          retried=retried, elapsed_s=t - 1.0)


def count_run_with_a_failure():
    """Job 1 counts 'data' over 6 blocks on 4 nodes; node 2 dies while running block 2, whose
    task is retried on node 3."""
    return cluster_events(nodes=4, blocks=6) + [
        count_job(),
        started(1.0, 1, 0, 1, node=0, block=0),
        started(1.0, 1, 1, 2, node=1, block=1),
        started(1.0, 1, 2, 3, node=2, block=2),
        started(1.0, 1, 3, 4, node=3, block=3),
        finished(1.5, 1, 0, 1, node=0, block=0),
        ev.JobProgress(t=1.5, job=1, phase="map", done=1, total=6),
        finished(1.6, 1, 1, 2, node=1, block=1),
        ev.JobProgress(t=1.6, job=1, phase="map", done=2, total=6),
        started(1.6, 1, 4, 5, node=0, block=4),
        ev.NodeKilled(t=1.7, node=2, pid=1002),
        finished(1.8, 1, 3, 4, node=3, block=3),
        ev.JobProgress(t=1.8, job=1, phase="map", done=3, total=6),
        started(1.8, 1, 5, 6, node=1, block=5),
        failed(2.9, 1, 2, 3, node=2, block=2),
        ev.NodeDeclaredDead(t=2.9, node=2, silent_s=1.2, lost_replicas=3),
        started(2.9, 1, 2, 7, node=3, block=2, retry=True),
    ]


def finish_count_run(count=12345):
    return [
        finished(3.0, 1, 4, 5, node=0, block=4),
        finished(3.1, 1, 5, 6, node=1, block=5),
        finished(3.4, 1, 2, 7, node=3, block=2),
        ev.JobProgress(t=3.4, job=1, phase="map", done=6, total=6),
        job_done(3.4, count=count, retried=1),
    ]


# -- header and progress ----------------------------------------------------------------

def test_no_job_yet(panel):
    assert panel.progress_text() == ""
    assert panel.result_text() == "" and panel.verdict_text() == ""
    assert panel.bars() == []


def test_title_progress_and_counters_while_running(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure())
    assert panel.title_text() == "count 'data' in f.txt"
    assert panel.progress_text() == "map 3 / 6"
    assert (panel.progress.value(), panel.progress.maximum()) == (3, 6)
    stats = panel.stats_text()
    assert "1 retried" in stats and "3 node-local" in stats and "running" in stats
    assert panel.result_text() == "" and panel.verdict_text() == ""  # no result yet


def test_map_total_is_the_number_of_blocks_before_any_progress(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=4, blocks=6) + [
        ev.JobStarted(t=1.0, job=1, job_kind="wordcount", file="f.txt", word=None, ignore_case=False,
                      top=20, tasks=10)])  # 6 maps + 4 reduce partitions
    assert panel.title_text() == "wordcount (top 20) of f.txt"
    assert panel.progress_text() == "map 0 / 6"


# -- result and verdict -----------------------------------------------------------------

def test_count_result_then_checking_note_then_exact_verdict(panel, fake_bridge, qtbot):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run(12345))
    assert panel.progress_text() == "map 6 / 6"
    assert panel.result_text() == "12,345"
    assert panel.count_label.font().pointSizeF() >= 4 * th.NORMAL.base_pt  # very large
    assert panel.verdict_text() == "checking against a single-process reference…"
    assert "finished in 2.4 s" in panel.stats_text() and "1 retried" in panel.stats_text()

    with qtbot.waitSignal(panel.refreshed, timeout=2000):
        fake_bridge.verdict_ready.emit(1, "exact", "exact: equals the single-process reference")
    assert panel.verdict_text() == "✔ exact"
    assert th.NORMAL.ok in panel.verdict_label.styleSheet()
    assert panel.result_text() == "12,345"


def test_incomplete_verdict_names_the_missing_blocks_in_amber(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=4, blocks=8) + [
        count_job(),
        job_done(2.0, status="incomplete", count=77, missing=(3, 7)),
    ])
    assert panel.result_text() == "77"
    assert panel.verdict_text() == "checking against a single-process reference…"
    fake_bridge.verdict_ready.emit(1, "incomplete", "incomplete: block(s) 3, 7 unreadable; the rest equals "
                                   "the single-process reference over the other bytes")
    assert panel.verdict_text() == "⚠ incomplete: block(s) 3, 7 unreadable; exact over the other blocks"
    assert amber(th.NORMAL) in panel.verdict_label.styleSheet()
    fake_bridge.verdict_ready.emit(1, "incomplete", "incomplete: no live replica of block(s) 3, 7 "
                                   "(not checked against a reference)")
    assert panel.verdict_text() == ("⚠ incomplete: block(s) 3, 7 unreadable (not checked against a "
                                    "reference)")


def test_a_job_without_a_result_says_why_not_wrong(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=4, blocks=8) + [
        count_job(),
        job_done(2.0, status="failed", count=None, missing=()),
    ])
    fake_bridge.verdict_ready.emit(1, "failed", "failed: no result (reduce of partition 2: 4 attempts failed)")
    assert panel.verdict_text() == "✖ no result (reduce of partition 2: 4 attempts failed)"
    assert th.NORMAL.danger in panel.verdict_label.styleSheet() and "WRONG" not in panel.verdict_text()


def test_wrong_verdict_in_the_danger_colour(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run(5))
    fake_bridge.verdict_ready.emit(1, "wrong", "WRONG: the cluster said 5, the reference says 6")
    assert panel.verdict_text() == "✖ WRONG: the cluster said 5, the reference says 6"
    assert th.NORMAL.danger in panel.verdict_label.styleSheet()
    assert "the reference says 6" in panel.verdict_label.toolTip()


def test_a_verdict_for_another_job_is_not_shown(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    fake_bridge.verdict_ready.emit(9, "exact", "exact")
    assert panel.verdict_text() == "checking against a single-process reference…"


def test_wordcount_shows_the_top_words(panel, fake_bridge):
    top = (("the", 120), ("data", 80), ("node", 31))
    fake_bridge.feed(cluster_events(nodes=4, blocks=6) + [
        ev.JobStarted(t=1.0, job=1, job_kind="wordcount", file="f.txt", word=None, ignore_case=False,
                      top=3, tasks=8),
        ev.JobProgress(t=2.0, job=1, phase="reduce", done=1, total=2),
    ])
    assert panel.progress_text() == "reduce 1 / 2"
    fake_bridge.feed([ev.JobProgress(t=2.5, job=1, phase="reduce", done=2, total=2),
                      job_done(2.5, kind="wordcount", top=top, tasks=8)])
    assert panel.result_text() == "the 120\ndata 80\nnode 31"
    assert not panel.count_label.isVisibleTo(panel)
    for word in ("the", "data", "node", "120"):
        assert word in panel.words_label.text()
    assert panel.verdict_text() == "checking against a single-process reference…"
    fake_bridge.verdict_ready.emit(1, "exact", "exact: equals the single-process reference")
    assert panel.verdict_text() == "✔ exact"


def test_a_new_job_replaces_the_old_one(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    fake_bridge.verdict_ready.emit(1, "exact", "exact")
    fake_bridge.feed([count_job(job=2, t0=5.0, word="node"), started(5.0, 2, 10, 20, node=1, block=0)])
    assert panel.title_text() == "count 'node' in f.txt"
    assert panel.progress_text() == "map 0 / 6"
    assert panel.result_text() == "" and panel.verdict_text() == ""
    assert [b[:2] for b in panel.bars()] == [(1, 5.0)]


def test_cluster_reset_forgets_verdicts(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    fake_bridge.verdict_ready.emit(1, "exact", "exact")
    assert panel.verdict_text() == "✔ exact"
    fake_bridge.state = ClusterState()  # a new cluster: job ids start at 1 again
    fake_bridge.cluster_reset.emit()
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    assert panel.verdict_text() == "checking against a single-process reference…"


# -- task stream ------------------------------------------------------------------------

def test_task_stream_has_a_bar_per_attempt_with_failures_and_retries(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure())
    fake_bridge.now = 3.2
    fake_bridge.updated.emit([])
    bars = panel.bars()
    assert (2, 1.0, 2.9, "failed", False) in bars  # lost with its node
    assert (3, 2.9, 3.2, "running", True) in bars  # the retry, running until now
    assert (0, 1.0, 1.5, "done", False) in bars
    assert len(bars) == 7

    # the items hold exactly those bars: failures in one item, retries outlined by another
    assert panel.bar_item_data("failed") == [(1.0, 2.9, 2.0)]
    assert panel.bar_item_data("retry") == [(2.9, 3.2, 3.0)]
    assert sorted(panel.bar_item_data("map")) == sorted(
        (s, e, float(n)) for n, s, e, outcome, _ in bars if outcome != "failed")
    assert panel.bar_item_data("reduce") == []
    assert [(lane.nodes, lane.label) for lane in panel.lanes()] == [((n,), f"Node {n}") for n in range(4)]

    # running bars grow with the clock; finished ones stay put
    fake_bridge.now = 3.3
    fake_bridge.updated.emit([])
    assert (3, 2.9, 3.3, "running", True) in panel.bars()
    fake_bridge.feed(finish_count_run())
    assert (3, 2.9, 3.4, "done", True) in panel.bars()


def test_task_stream_styles(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    items = panel.bar_items
    assert QtGui.QBrush(items["failed"].opts["brush"]).color().name() == th.NORMAL.danger.lower()
    retry_pen = QtGui.QPen(items["retry"].opts["pen"])
    assert retry_pen.widthF() >= 3  # a thick outline marks retried attempts
    assert items["retry"].opts["brush"].style() == QtGui.Qt.BrushStyle.NoBrush
    # node-local map bars are filled with their node's colour
    map_bars = panel.bar_item_data("map")
    brushes = panel.bar_item_brushes("map")
    for (x0, x1, lane), brush in zip(map_bars, brushes):
        assert brush.color().name() == th.node_colour(int(lane)).name()
        assert brush.style() == QtGui.Qt.BrushStyle.SolidPattern


def test_reduce_tasks_are_drawn_differently(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=3, blocks=2) + [
        ev.JobStarted(t=1.0, job=1, job_kind="wordcount", file="f.txt", word=None, ignore_case=False,
                      top=20, tasks=5),
        started(1.0, 1, 0, 1, node=0, block=0), started(1.0, 1, 1, 2, node=1, block=1),
        finished(1.4, 1, 0, 1, node=0, block=0), finished(1.5, 1, 1, 2, node=1, block=1),
        started(1.5, 1, 2, 3, node=0, phase="reduce"), started(1.5, 1, 3, 4, node=2, phase="reduce"),
        finished(1.9, 1, 2, 3, node=0, phase="reduce"), finished(2.0, 1, 3, 4, node=2, phase="reduce"),
    ])
    assert sorted(panel.bar_item_data("reduce")) == [(1.5, 1.9, 0.0), (1.5, 2.0, 2.0)]
    assert len(panel.bar_item_data("map")) == 2
    for brush in panel.bar_items["reduce"].opts["brushes"]:
        assert brush.style() == QtGui.Qt.BrushStyle.BDiagPattern


def test_hundreds_of_attempts_use_the_same_few_items(panel, fake_bridge):
    events = cluster_events(nodes=8, blocks=4) + [
        ev.JobStarted(t=1.0, job=1, job_kind="count", file="f.txt", word="x", ignore_case=False,
                      top=None, tasks=600)]
    for i in range(600):
        node, t = i % 8, 1.0 + (i // 8) * 0.1
        events.append(started(t, 1, i, i + 1, node=node, block=i, retry=i % 50 == 0))
        if i % 97 == 0:
            events.append(failed(t + 0.08, 1, i, i + 1, node=node, block=i))
        elif i < 590:
            events.append(finished(t + 0.08, 1, i, i + 1, node=node, block=i))
    before = list(panel.stream_plot.items)
    fake_bridge.feed(events)
    assert len(panel.bars()) == 600
    assert len(panel.bar_item_data("failed")) == 7
    assert len(panel.bar_item_data("retry")) == 12
    assert list(panel.stream_plot.items) == before  # no item per bar


def test_lecture_theme(panel, fake_bridge):
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    fake_bridge.verdict_ready.emit(1, "exact", "exact")
    panel.set_theme(th.LECTURE)
    assert panel.verdict_text() == "✔ exact"
    assert th.LECTURE.ok in panel.verdict_label.styleSheet()
    assert panel.stream.backgroundBrush().color().name() == "#000000"
    assert f"font-size: {th.LECTURE.base_pt * 4.5:g}pt" in panel.count_label.styleSheet()
    assert panel.stream_plot.getAxis("left").style["tickFont"].pointSizeF() == th.LECTURE.base_pt
    assert QtGui.QBrush(panel.bar_items["failed"].opts["brush"]).color().name() == th.LECTURE.danger.lower()


# -- pictures ---------------------------------------------------------------------------

def test_render_pngs_in_both_themes(qtbot, fake_bridge, tmp_path):
    """Renders the panel for a person to look at (set CLUSTERSCOPE_SHOTS=dir to keep them)."""
    from PySide6.QtWidgets import QApplication
    out = os.environ.get("CLUSTERSCOPE_SHOTS") or str(tmp_path)
    fake_bridge.feed(count_run_with_a_failure() + finish_count_run())
    app = QApplication.instance()
    old = app.styleSheet()
    try:
        for theme in (th.NORMAL, th.LECTURE):
            app.setStyleSheet(theme.stylesheet())
            widget = JobPanel(fake_bridge, theme=theme)
            qtbot.addWidget(widget)
            widget.resize(700, 600)
            widget.show()
            widget.flush()
            image = widget.grab().toImage()
            assert image.save(os.path.join(out, f"job_panel_{theme.name}_checking.png"))
            fake_bridge.verdict_ready.emit(1, "incomplete", "incomplete: no live replica of block(s) 3, 7")
            widget.flush()
            image = widget.grab().toImage()
            assert image.save(os.path.join(out, f"job_panel_{theme.name}.png"))
            colours = {image.pixelColor(x, y).rgb() for x in range(0, 700, 7) for y in range(0, 600, 7)}
            assert len(colours) > 20
    finally:
        app.setStyleSheet(old)


def _rows_of_text(panel) -> int:
    from PySide6 import QtGui
    line = QtGui.QFontMetricsF(panel.theme.font(1.0)).height()
    return int(panel.stream_plot.getViewBox().height() // line)


def test_at_100_nodes_only_the_busy_nodes_have_rows(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=100, blocks=6) + [count_job()] +
                     [started(1.0, 1, i, i + 1, node=n, block=i) for i, n in enumerate((12, 40, 41, 77, 90, 99))])
    fake_bridge.now = 1.5
    fake_bridge.updated.emit([])
    lanes = panel.lanes()
    assert [lane.label for lane in lanes] == ["Node 12", "Node 40", "Node 41", "Node 77", "Node 90", "Node 99"]
    assert len(lanes) <= _rows_of_text(panel)
    # each bar in its node's row
    rows = sorted(round(lane) for _, _, lane in panel.bar_item_data("map"))
    assert rows == [0, 1, 2, 3, 4, 5]
    assert panel.stream_plot.getAxis("left")._tickLevels[0] == [(i, lane.label) for i, lane in enumerate(lanes)]


def test_at_100_busy_nodes_neighbours_share_a_row_and_every_row_is_labelled(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=100, blocks=6) + [count_job()] +
                     [started(1.0, 1, n, n + 1, node=n, block=n % 6) for n in range(100)])
    fake_bridge.now = 1.5
    fake_bridge.updated.emit([])
    lanes = panel.lanes()
    assert 1 < len(lanes) <= _rows_of_text(panel)  # one line of text per row: no smear
    assert [n for lane in lanes for n in lane.nodes] == list(range(100))  # every node, in order, once
    assert lanes[0].label == f"Nodes 0–{lanes[0].nodes[-1]}"
    # a node's bar lies inside its row, in its own band of it
    row_of = {n: i for i, lane in enumerate(lanes) for n in lane.nodes}
    for (x0, x1, centre), node in zip(sorted(panel.bar_item_data("map"), key=lambda b: b[2]), range(100)):
        assert abs(centre - row_of[node]) < 0.5
    centres = [c for _, _, c in panel.bar_item_data("map")]
    assert len(set(centres)) == 100  # no two nodes' bars on top of each other


def test_a_small_cluster_keeps_a_row_per_node_even_when_idle(panel, fake_bridge):
    fake_bridge.feed(cluster_events(nodes=5, blocks=2) + [count_job()] + [started(1.0, 1, 0, 1, node=3, block=0)])
    assert [lane.label for lane in panel.lanes()] == [f"Node {n}" for n in range(5)]


def test_a_frame_sets_only_the_running_bars_again(panel, fake_bridge):
    """Finished bars stay as they were while only running ones grow: a frame's work is what
    runs, not every attempt of the job."""
    fake_bridge.feed(count_run_with_a_failure())
    fake_bridge.now = 3.2
    fake_bridge.updated.emit([])
    panel.flush()
    done_x0 = panel.bar_items["map"].opts["x0"]
    running_x1 = list(panel.bar_items["running"].opts["x1"])
    fake_bridge.now = 3.3
    fake_bridge.updated.emit([])
    panel.flush()
    assert panel.bar_items["map"].opts["x0"] is done_x0  # not set again
    assert list(panel.bar_items["running"].opts["x1"]) != running_x1  # grew with the clock
    fake_bridge.feed(finish_count_run())
    panel.flush()
    assert len(panel.bar_items["running"].opts["x0"]) == 0
    assert (3, 2.9, 3.4, "done", True) in panel.bars()
    assert (2.9, 3.4, 3.0) in panel.bar_item_data("map")
