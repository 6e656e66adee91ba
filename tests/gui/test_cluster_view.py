"""ClusterView: tiles, replica squares, states, actions, animation, rendering (offscreen)."""

import time

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTranslator
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QToolTip

from conftest import cluster_events
from engine import events as ev
from gui import theme
from gui.cluster_view import MAX_ANIMATIONS, ClusterView, choose_columns, fit_squares


@pytest.fixture
def make_view(qtbot, fake_bridge):
    def make(nodes=4, blocks=6, replication=2, size=(900, 560)):
        view = ClusterView(fake_bridge)
        qtbot.addWidget(view)
        view.resize(*size)
        if nodes:
            fake_bridge.feed(cluster_events(nodes=nodes, blocks=blocks, replication=replication))
        return view
    return make


def wait_idle(qtbot, view):
    qtbot.waitUntil(lambda: view.active_animations() == 0 and not view.is_animating(), timeout=5000)


def distinct_colours(image, step=7):
    return {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}


# -- layout -------------------------------------------------------------------------------

@pytest.mark.parametrize("n,w,h,cols", [(1, 800, 500, 1), (2, 1000, 600, 2), (6, 1000, 600, 3),
                                        (4, 800, 800, 2), (32, 1600, 800, 8), (32, 800, 1600, 4)])
def test_choose_columns_keeps_tiles_large_and_square_ish(n, w, h, cols):
    assert choose_columns(n, w, h) == cols


@pytest.mark.parametrize("n", [1, 3, 5, 12, 17, 32, 40])
def test_choose_columns_maximises_the_shorter_tile_side(n):
    def shorter_side(cols):
        rows = -(-n // cols)
        return min((1280 - 14 * (cols - 1)) / cols, (800 - 14 * (rows - 1)) / rows)
    best = choose_columns(n, 1280, 800)
    assert all(int(shorter_side(best)) >= int(shorter_side(c)) for c in range(1, n + 1))


def test_fit_squares_shrinks_with_many_blocks():
    big, _, _ = fit_squares(10, 200, 100)
    small, pitch, cols = fit_squares(400, 200, 100)
    assert small < big
    assert cols * pitch <= 200 + pitch
    assert -(-400 // cols) * pitch - (pitch - small) <= 100


def test_a_tile_for_every_node(make_view):
    view = make_view(nodes=4)
    for node in range(4):
        rect = view.tile_rect(node)
        assert rect.isValid() and view.rect().contains(rect)
        assert view.tile_lines(node)[0] == f"Node {node}"
        assert view.tile_state_text(node) == "● alive"
        assert f"PID {1000 + node}" in view.tile_lines(node)[2]


@pytest.mark.parametrize("nodes,size", [(1, (400, 300)), (7, (900, 560)), (32, (1280, 800)), (32, (700, 450))])
def test_tiles_fit_inside_without_overlap(make_view, nodes, size):
    view = make_view(nodes=nodes, blocks=nodes, size=size)
    rects = [view.tile_rect(n) for n in range(nodes)]
    for i, rect in enumerate(rects):
        assert view.rect().contains(rect), (i, rect)
        assert rect.width() > 0 and rect.height() > 0
        assert max(rect.width(), rect.height()) <= 1.81 * min(rect.width(), rect.height())
        for other in rects[i + 1:]:
            assert not rect.intersects(other)


def test_layout_follows_added_nodes(make_view, fake_bridge):
    view = make_view(nodes=2)
    first = view.tile_rect(0)
    fake_bridge.feed([ev.NodeAdded(t=1, node=2), ev.NodeStarting(t=1, node=2, pid=1002),
                      ev.NodeStarted(t=1.1, node=2, pid=1002)])
    assert view.tile_rect(2).isValid()
    assert view.tile_rect(0) != first


# -- replicas -----------------------------------------------------------------------------

def test_replica_squares_per_node(make_view, fake_bridge):
    view = make_view(nodes=4, blocks=6, replication=2)
    for node in range(4):
        expected = fake_bridge.state.nodes[node].blocks
        rects = view.replica_rects(node)
        assert set(rects) == expected
        tile = view.tile_rect(node)
        squares = list(rects.values())
        for i, r in enumerate(squares):
            assert tile.contains(r)
            assert all(not r.intersects(o) for o in squares[i + 1:])


def test_replicas_of_one_block_share_a_colour(make_view):
    view = make_view(nodes=4, blocks=6, replication=2)
    image = view.grab().toImage()
    a, b = view.replica_rects(0)[0].center(), view.replica_rects(1)[0].center()
    colour = theme.block_colour(0).rgb()
    assert image.pixel(a) == image.pixel(b) == colour
    assert image.pixel(view.replica_rects(0)[3].center()) != colour


def test_squares_shrink_when_a_node_holds_many_blocks(make_view, fake_bridge):
    view = make_view(nodes=4, blocks=4, replication=1)
    roomy = view.replica_rects(0)[0].width()
    fake_bridge.feed(cluster_events(nodes=4, blocks=400, replication=1))
    assert len(view.replica_rects(0)) == 100
    assert max(r.width() for r in view.replica_rects(0).values()) < roomy
    assert all(view.tile_rect(0).contains(r) for r in view.replica_rects(0).values())


def test_under_replicated_blocks_are_outlined(make_view, fake_bridge):
    view = make_view(nodes=4, blocks=6, replication=2)
    assert view.replica_outline(0) is None
    fake_bridge.feed([ev.NodeKilled(t=1, node=0, pid=1000), ev.NodeDeclaredDead(t=2, node=0, silent_s=2,
                                                                              lost_replicas=3)])
    # blocks 0, 3, 4 had a replica on node 0 (replica k of block b is on (b + k) % 4)
    assert {b for b in range(6) if view.replica_outline(b)} == {0, 3, 4}
    assert view.replica_outline(0) == "under"


def test_a_paused_nodes_copies_count_as_out_of_reach(make_view, fake_bridge):
    view = make_view(nodes=2, blocks=2, replication=2)
    fake_bridge.feed([ev.NodePaused(t=1, node=1, pid=1001)])
    assert view.replica_outline(0) == "under"
    fake_bridge.feed([ev.NodePaused(t=1, node=0, pid=1000)])
    assert view.replica_outline(0) == "lost"


# -- node states --------------------------------------------------------------------------

def test_dead_node_tile(make_view, fake_bridge):
    view = make_view(nodes=4)
    fake_bridge.feed([ev.NodeKilled(t=1, node=1, pid=1001)])
    assert "killed" in view.tile_lines(1)[2]
    fake_bridge.feed([ev.NodeDeclaredDead(t=2, node=1, silent_s=2.0, lost_replicas=3)])
    assert view.tile_state_text(1) == "✖ dead"
    assert view.replica_rects(1) == {}
    image = view.grab().toImage()
    centre = image.pixelColor(view.tile_rect(1).center())
    assert centre != QColor(theme.NORMAL.panel)  # greyed and crossed out


@pytest.mark.parametrize("event,text", [
    (ev.NodePaused(t=1, node=2, pid=1002), "❚❚ paused"),
    (ev.NodeSuspect(t=1, node=2, silent_s=1.0), "? suspect"),
    (ev.NodeStarting(t=1, node=2, pid=2002, restart=True), "↻ restarting"),
])
def test_state_symbol_and_word(make_view, fake_bridge, event, text):
    view = make_view(nodes=4)
    fake_bridge.feed([event])
    assert view.tile_state_text(2) == text


def test_running_tasks_shown(make_view, fake_bridge):
    view = make_view(nodes=4)
    fake_bridge.feed([ev.JobStarted(t=1, job=1, job_kind="count", file="f.txt", word="a", ignore_case=False,
                                    top=None, tasks=6),
                      ev.TaskStarted(t=1, job=1, task=0, attempt=1, node=1, block=1, phase="map", local=True,
                                     retry=False),
                      ev.TaskStarted(t=1, job=1, task=1, attempt=2, node=1, block=2, phase="map", local=True,
                                     retry=False)])
    assert view.tile_lines(1)[3] == "▶ 2 tasks"
    assert view.tile_lines(0)[3] == ""
    assert "Being read by a running task" in view.tooltip_text(view.replica_rects(1)[1].center())
    fake_bridge.feed([ev.TaskFinished(t=2, job=1, task=0, attempt=1, node=1, block=1, phase="map",
                                      elapsed_s=1, bytes_read=1)])
    assert view.tile_lines(1)[3] == "▶ 1 task"


def test_missing_blocks_strip(make_view, fake_bridge):
    view = make_view(nodes=4)
    assert view.strip_text() == "All blocks available"
    fake_bridge.feed([ev.HealthChanged(t=3, blocks=6, under_replicated=0, missing=2, live_nodes=2,
                                       dead_nodes=2, missing_blocks=(3, 7))])
    assert view.strip_text() == "Missing blocks: 3, 7"
    fake_bridge.feed([ev.HealthChanged(t=4, blocks=60, under_replicated=0, missing=40, live_nodes=2,
                                       dead_nodes=2, missing_blocks=tuple(range(40)))])
    assert view.strip_text().endswith("and 16 more")


# -- tooltips -----------------------------------------------------------------------------

def test_tooltips_for_replica_and_tile(make_view, fake_bridge):
    view = make_view(nodes=4, blocks=6, replication=2)
    fake_bridge.feed([ev.ReplicaCorrupted(t=1, block=1, node=1)])
    text = view.tooltip_text(view.replica_rects(1)[1].center())
    for part in ("Block 1", "f.txt", "block 1 of the file", "1.0 KiB", "00000001", "nodes: 1, 2", "corrupted"):
        assert part in text
    tile = view.tile_rect(2)
    node_text = view.tooltip_text(tile.topLeft() + QPoint(5, 5))
    assert "Node 2" in node_text and "1002" in node_text
    assert view.tooltip_text(QPoint(1, view.height() - 1)) == ""


def test_tooltip_event_shows_the_tooltip(make_view):
    view = make_view(nodes=4)
    view.show()
    pos = view.replica_rects(0)[0].center()
    QCoreApplication.sendEvent(view, QHelpEvent(QEvent.ToolTip, pos, view.mapToGlobal(pos)))
    assert QToolTip.text().startswith("Block 0")
    QToolTip.hideText()


# -- selection and actions ------------------------------------------------------------------

def test_left_click_selects(qtbot, make_view):
    view = make_view(nodes=4)
    with qtbot.waitSignal(view.node_selected) as blocker:
        qtbot.mouseClick(view, Qt.LeftButton, pos=view.tile_rect(2).center())
    assert blocker.args == [2]
    assert view.selected_node() == 2


def test_context_menu_actions_emit(qtbot, make_view, fake_bridge):
    view = make_view(nodes=4)
    menu = view.context_menu(1)
    actions = {a.data(): a for a in menu.actions() if a.data()}
    assert set(actions) == {"kill", "pause", "restart", "corrupt"}
    assert all(a.isEnabled() for a in actions.values())
    for name, action in actions.items():
        with qtbot.waitSignal(view.node_action) as blocker:
            action.trigger()
        assert blocker.args == [1, name]
    fake_bridge.feed([ev.NodePaused(t=1, node=1, pid=1001)])
    actions = {a.data(): a for a in view.context_menu(1).actions() if a.data()}
    assert "resume" in actions and "pause" not in actions
    with qtbot.waitSignal(view.node_action) as blocker:
        actions["resume"].trigger()
    assert blocker.args == [1, "resume"]


def test_context_menu_disables_what_does_not_apply(make_view, fake_bridge):
    view = make_view(nodes=4)
    fake_bridge.feed([ev.NodeKilled(t=1, node=3, pid=1003),
                      ev.NodeDeclaredDead(t=2, node=3, silent_s=2, lost_replicas=3)])
    enabled = {a.data() for a in view.context_menu(3).actions() if a.data() and a.isEnabled()}
    assert enabled == {"restart"}


@pytest.mark.parametrize("key,action", [(Qt.Key_K, "kill"), (Qt.Key_P, "pause"), (Qt.Key_R, "restart"),
                                        (Qt.Key_C, "corrupt")])
def test_keyboard_actions_on_selected_node(qtbot, make_view, key, action):
    view = make_view(nodes=4)
    view.set_selected(2)
    with qtbot.waitSignal(view.node_action) as blocker:
        qtbot.keyClick(view, key)
    assert blocker.args == [2, action]


def test_p_resumes_a_paused_node(qtbot, make_view, fake_bridge):
    view = make_view(nodes=4)
    fake_bridge.feed([ev.NodePaused(t=1, node=0, pid=1000)])
    view.set_selected(0)
    with qtbot.waitSignal(view.node_action) as blocker:
        qtbot.keyClick(view, Qt.Key_P)
    assert blocker.args == [0, "resume"]


def test_no_action_without_selection(qtbot, make_view):
    view = make_view(nodes=4)
    with qtbot.assertNotEmitted(view.node_action):
        qtbot.keyClick(view, Qt.Key_K)


def test_arrow_keys_move_selection(qtbot, make_view):
    view = make_view(nodes=6, size=(1000, 600))  # 3 columns, 2 rows
    view.set_selected(0)
    with qtbot.waitSignal(view.node_selected) as blocker:
        qtbot.keyClick(view, Qt.Key_Right)
    assert blocker.args == [1]
    qtbot.keyClick(view, Qt.Key_Down)
    assert view.selected_node() == 4
    qtbot.keyClick(view, Qt.Key_Down)  # no row below: stays
    assert view.selected_node() == 4
    qtbot.keyClick(view, Qt.Key_Left)
    assert view.selected_node() == 3


def test_trigger_and_reset(qtbot, make_view, fake_bridge):
    view = make_view(nodes=4)
    with qtbot.waitSignal(view.node_action) as blocker:
        view.trigger(3, "restart")
    assert blocker.args == [3, "restart"]
    with pytest.raises(ValueError):
        view.trigger(3, "explode")
    view.set_selected(3)
    fake_bridge.feed([ev.TransferStarted(t=1, block=0, source=None, target=1, purpose="put")])
    fake_bridge.cluster_reset.emit()
    assert view.selected_node() is None
    assert view.active_animations() == 0


# -- animation ------------------------------------------------------------------------------

def test_transfer_animates_and_ends(qtbot, make_view, fake_bridge):
    view = make_view(nodes=4)
    wait_idle(qtbot, view)  # the put in cluster_events animates too
    fake_bridge.feed([ev.TransferStarted(t=1, block=2, source=None, target=3, purpose="put"),
                      ev.TransferStarted(t=1, block=1, source=1, target=3, purpose="replicate")])
    assert view.active_animations() == 2 and view.is_animating()
    assert not view.grab().isNull()  # a frame with squares in flight
    wait_idle(qtbot, view)


def test_animations_are_capped(qtbot, make_view, fake_bridge):
    view = make_view(nodes=4, blocks=0)
    fake_bridge.feed([ev.TransferStarted(t=1, block=b, source=None, target=b % 4, purpose="put")
                      for b in range(500)])
    assert view.active_animations() == MAX_ANIMATIONS
    wait_idle(qtbot, view)


# -- rendering ------------------------------------------------------------------------------

def test_32_nodes_2000_blocks_render(make_view, fake_bridge):
    view = make_view(nodes=32, blocks=2000, replication=3, size=(1280, 800))
    start = time.monotonic()
    pixmap = view.grab()
    assert time.monotonic() - start < 10  # generous: this is a smoke test, not a benchmark
    assert not pixmap.isNull()
    assert len(distinct_colours(pixmap.toImage())) > 50
    total = sum(len(view.replica_rects(n)) for n in range(32))
    assert total == 6000


def test_empty_view_renders(make_view):
    view = make_view(nodes=0)
    assert not view.grab().isNull()
    assert view.strip_text() == ""


def test_lecture_theme(make_view):
    view = make_view(nodes=4)
    view.set_theme(theme.LECTURE)
    image = view.grab().toImage()
    assert image.pixelColor(2, 2) == QColor(theme.LECTURE.window)
    view.set_theme(theme.NORMAL)
    assert view.grab().toImage().pixelColor(2, 2) == QColor(theme.NORMAL.window)


def realistic_state():
    """After a put of 40 blocks on 6 nodes: node 2 killed and declared dead, a job running on
    node 0, a corrupted replica on node 1 and one re-replication in flight."""
    return [
        ev.NodeKilled(t=1, node=2, pid=1002), ev.NodeSuspect(t=2, node=2, silent_s=1.0),
        ev.NodeDeclaredDead(t=3, node=2, silent_s=2.0, lost_replicas=20),
        ev.HealthChanged(t=3, blocks=40, under_replicated=20, missing=0, live_nodes=5, dead_nodes=1),
        ev.JobStarted(t=3.3, job=1, job_kind="count", file="f.txt", word="x", ignore_case=False, top=None,
                      tasks=40),
        ev.TaskStarted(t=3.4, job=1, task=0, attempt=1, node=0, block=0, phase="map", local=True, retry=False),
        ev.TaskStarted(t=3.4, job=1, task=6, attempt=2, node=0, block=6, phase="map", local=True, retry=False),
        ev.ReplicaCorrupted(t=3.5, block=1, node=1),
        ev.TransferStarted(t=3.6, block=3, source=1, target=3, purpose="replicate"),
    ]


@pytest.mark.parametrize("name,which", [("cluster_view", theme.NORMAL), ("cluster_view_lecture", theme.LECTURE)])
def test_screenshot_realistic_state(make_view, fake_bridge, name, which, tmp_path):
    fake_bridge.feed(cluster_events(nodes=6, blocks=40, replication=3))  # before the view: no put animation
    view = make_view(nodes=0, size=(1000, 620))
    view.set_theme(which)
    fake_bridge.feed(realistic_state())
    view.set_selected(1)
    assert view.active_animations() == 1
    pixmap = view.grab()
    assert pixmap.save(str(tmp_path / f"{name}.png"))  # pytest keeps it for a human to look at
    assert len(distinct_colours(pixmap.toImage())) > 20


# -- translation ----------------------------------------------------------------------------

class Shouting(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):
        return source.upper() if context == "ClusterView" else ""


def test_strings_go_through_translation(qtbot, fake_bridge):
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    try:
        view = ClusterView(fake_bridge)
        qtbot.addWidget(view)
        fake_bridge.feed(cluster_events(nodes=2))
        assert view.tile_lines(0)[0] == "NODE 0"
        assert view.tile_state_text(0) == "● ALIVE"
        assert view.strip_text() == "ALL BLOCKS AVAILABLE"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_tile_outlines_and_the_health_plot_tell_one_story_while_a_death_is_detected(make_view, fake_bridge, qtbot):
    from gui.plots import HealthPlot
    view = make_view(nodes=4, blocks=6, replication=2)
    plot = HealthPlot(fake_bridge)
    qtbot.addWidget(plot)
    plot.resize(800, 400)
    plot.show()
    fake_bridge.now = 1.0
    fake_bridge.feed([ev.NodeKilled(t=1, node=0, pid=1000)])  # killed, not yet declared dead
    outlined = {b for b in range(6) if view.replica_outline(b)}
    assert outlined == {0, 3, 4}
    x, y = plot.curve_data("out_of_reach")
    assert y[-1] == len(outlined)  # the dashed line counts exactly the outlined blocks
    under = plot.curve_data("under_replicated")[1]
    assert under.size == 0 or under[-1] == 0  # the coordinator has not said so yet
    fake_bridge.feed([ev.NodeDeclaredDead(t=2, node=0, silent_s=2, lost_replicas=3),
                      ev.HealthChanged(t=2, blocks=6, under_replicated=3, missing=0, live_nodes=3, dead_nodes=1)])
    assert {b for b in range(6) if view.replica_outline(b)} == outlined
    assert plot.curve_data("under_replicated")[1][-1] == plot.curve_data("out_of_reach")[1][-1] == 3


def test_tiles_show_the_detectors_numbers_silence_then_a_countdown(make_view, fake_bridge):
    # cluster_events: heartbeat 0.5 s, dead after 2.0 s (the detector's own settings)
    view = make_view(nodes=4)
    assert fake_bridge.state.config["heartbeat"] == 0.5 and fake_bridge.state.config["dead_after"] == 2.0

    def beat(t, silent):
        return ev.MetricsSample(t=t, nodes={n: {"read_bps": 0.0, "stored_bytes": 0, "blocks": 0, "tasks_running": 0,
                                                "silent_s": silent if n == 1 else 0.1} for n in range(4)})
    fake_bridge.feed([beat(5.0, 0.2)])
    assert view.tile_lines(1)[4] == "" and view.tile_lines(0)[4] == ""  # on time: nothing to say
    fake_bridge.feed([beat(5.5, 0.9)])
    assert view.tile_lines(1)[4] == "silent 0.9 s"
    fake_bridge.feed([ev.NodeSuspect(t=5.6, node=1, silent_s=1.0)])
    assert view.tile_lines(1)[4] == "dead in 1.0 s" and view.tile_state_text(1) == "? suspect"
    fake_bridge.feed([beat(6.0, 1.4)])
    assert view.tile_lines(1)[4] == "dead in 0.6 s"
    fake_bridge.feed([ev.NodeDeclaredDead(t=6.6, node=1, silent_s=2.0, lost_replicas=3)])
    assert view.tile_lines(1)[4] == ""


def test_task_counts_are_laid_out_once_per_layout_and_sit_in_their_tile(make_view, fake_bridge):
    view = make_view(nodes=4)
    view.show()
    starts = [ev.TaskStarted(t=1, job=1, task=i, attempt=i + 1, node=i % 4, block=i % 6, phase="map", local=True,
                             retry=False) for i in range(6)]
    fake_bridge.feed([ev.JobStarted(t=1, job=1, job_kind="count", file="f.txt", word="a", ignore_case=False,
                                    top=None, tasks=6)] + starts)
    painter = view._painter
    view.grab()
    marks = dict(painter._task_marks)
    assert set(marks) == {(0, 2), (1, 2), (2, 1), (3, 1)}  # (node, running tasks)
    for (node, _), (at, _static) in marks.items():
        assert painter.layout.tiles[node].contains(at.toPoint())
    view.grab()
    assert all(painter._task_marks[k] is marks[k] for k in marks)  # drawn again, not laid out again
    view.resize(1300, 800)
    view.grab()
    moved = painter._task_marks
    assert set(moved) == set(marks) and all(moved[k][0] != marks[k][0] for k in marks)  # a new layout
    for (node, _), (at, _static) in moved.items():
        assert painter.layout.tiles[node].contains(at.toPoint())
