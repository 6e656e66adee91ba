"""describe() and level_of() for every engine event kind, and the EventLogView over them:
rows for fed events, node and level filters, the row cap, following the newest row, themes.
Assertions are on the model's rows (``rows()``, ``row_count()``); one test renders PNGs for a
human to look at."""

import dataclasses
import os

import pytest

from conftest import cluster_events
from support import sample_event
from engine import events as ev
from gui import theme as th
from gui.describe import SKIPPED, describe, health_entry, level_of, level_rank, node_of, nodes_of
from gui.event_log import ENGINE, EventLogView


def variants():
    """The sample of every kind, plus the realistic shapes each kind takes."""
    out = [sample_event(cls) for cls in ev.EVENT_TYPES.values()]
    out += [e for e in scenario()]
    out += [
        ev.ClusterFrozen(t=1, frozen=False),
        ev.NodeStarting(t=1, node=1, pid=5, restart=False),
        ev.NodeStarted(t=1, node=1, pid=5, blocks=0),
        ev.NodeDeclaredDead(t=1, node=1, silent_s=2.0, lost_replicas=1),
        ev.TransferFailed(t=1, block=1, source=None, target=2, reason="node declared dead"),
        ev.BlockStored(t=1, block=1, node=2, size=10, source=None, purpose="replicate"),
        ev.HealthChanged(t=1, blocks=0, under_replicated=0, missing=0, live_nodes=0, dead_nodes=0),
        ev.HealthChanged(t=1, blocks=20, under_replicated=0, missing=12, live_nodes=1, dead_nodes=3,
                         missing_blocks=tuple(range(12))),
        ev.JobStarted(t=1, job=1, job_kind="count", file="f", word="data", ignore_case=True, top=None, tasks=1),
        ev.JobFinished(t=1, job=1, job_kind="wordcount", status="ok", count=None, top=(), missing_blocks=(),
                       tasks_total=1, node_local=1, non_local=0, retried=0, elapsed_s=1.0),
        ev.JobFinished(t=1, job=1, job_kind="wordcount", status="incomplete", count=None, top=(("a", 1),),
                       missing_blocks=(), tasks_total=1, node_local=1, non_local=0, retried=0, elapsed_s=1.0),
        ev.TaskFailed(t=1, job=1, task=9, attempt=4, node=2, block=None, phase="reduce", reason="lost"),
        ev.LogMessage(t=1, node=None, level="WARN", logger="clusterscope", message="m"),
        ev.LogMessage(t=1, node=1, level=None, logger="clusterscope", message=None),
    ]
    return out


def scenario():
    """A realistic session: start, store a file, count a word, kill node 2 mid-job (its
    tasks fail and are retried, its replicas are copied elsewhere), corrupt a replica, and
    a node's own warning records."""
    out = cluster_events(nodes=6, blocks=8, replication=3)
    t = 1.0
    out.append(ev.JobStarted(t=t, job=1, job_kind="count", file="f.txt", word="data", ignore_case=False,
                             top=None, tasks=8))
    for task in range(8):
        node = task % 6
        out.append(ev.TaskStarted(t=t + 0.01 * task, job=1, task=task, attempt=task + 1, node=node, block=task,
                                  phase="map", local=True, retry=False))
        out.append(ev.JobProgress(t=t + 0.02 * task, job=1, phase="map", done=task, total=8))
    out.append(ev.MetricsSample(t=1.2, nodes={0: {"read_bps": 1e6}}))
    out.append(ev.NodeKilled(t=1.3, node=2, pid=1002))
    for task in (0, 1, 3, 4, 5):
        out.append(ev.TaskFinished(t=1.4 + 0.01 * task, job=1, task=task, attempt=task + 1, node=task % 6,
                                   block=task, phase="map", elapsed_s=0.4, bytes_read=1024))
    out.append(ev.NodeSuspect(t=2.1, node=2, silent_s=0.8))
    out.append(ev.NodeDeclaredDead(t=3.3, node=2, silent_s=2.02, lost_replicas=4))
    out.append(ev.TaskFailed(t=3.3, job=1, task=2, attempt=3, node=2, block=2, phase="map",
                             reason="node declared dead"))
    out.append(ev.HealthChanged(t=3.3, blocks=8, under_replicated=4, missing=0, live_nodes=5, dead_nodes=1))
    out.append(ev.TaskStarted(t=3.31, job=1, task=2, attempt=9, node=3, block=2, phase="map", local=True,
                              retry=True))
    for i, block in enumerate((0, 1, 2, 7)):
        out.append(ev.TransferStarted(t=3.32 + i * 0.05, block=block, source=3, target=5, purpose="replicate"))
        out.append(ev.BlockStored(t=3.34 + i * 0.05, block=block, node=5, size=1024, source=3,
                                  purpose="replicate"))
        out.append(ev.HealthChanged(t=3.34 + i * 0.05, blocks=8, under_replicated=3 - i, missing=0,
                                    live_nodes=5, dead_nodes=1))
    out.append(ev.ReplicaCorrupted(t=3.6, block=4, node=0))
    out.append(ev.LogMessage(t=3.7, node=0, level="WARNING", logger="clusterscope.node.0",
                             message="node 0: replica of block 4 is corrupt"))
    out.append(ev.BlockCorrupt(t=3.7, block=4, node=0, detected_by="task"))
    out.append(ev.TaskFinished(t=3.9, job=1, task=2, attempt=9, node=3, block=2, phase="map", elapsed_s=0.5,
                               bytes_read=1024))
    out.append(ev.JobFinished(t=4.0, job=1, job_kind="count", status="ok", count=5261, top=(),
                              missing_blocks=(), tasks_total=8, node_local=8, non_local=0, retried=1,
                              elapsed_s=3.0))
    out.append(ev.LogMessage(t=4.1, node=None, level="INFO", logger="clusterscope.coordinator",
                             message="coordinator: replication of 4 blocks finished"))
    return out


@pytest.fixture
def log(qtbot, fake_bridge):
    view = EventLogView(fake_bridge)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    return view


def texts(view):
    return [row[3] for row in view.rows()]


# -- describe and level_of ------------------------------------------------------------

def test_describe_covers_every_kind_except_the_deliberate_skips():
    assert SKIPPED == {"metrics_sample", "job_progress", "transfer_started", "put_blocks_cut"}
    assert SKIPPED <= set(ev.EVENT_TYPES)
    for kind, cls in ev.EVENT_TYPES.items():
        text = describe(sample_event(cls))
        if kind in SKIPPED:
            assert text is None, kind
        else:
            assert isinstance(text, str) and text.strip(), kind
            # A sentence of its own, not the generic fallback naming the kind.
            assert not text.endswith(" event"), (kind, text)


def test_describe_and_level_never_raise_and_levels_are_known():
    for event in variants():
        text = describe(event)
        assert text is None or isinstance(text, str)
        assert level_of(event) in ("DEBUG", "INFO", "WARNING", "ERROR") or event.kind == "log_message"
    # An event with nonsense values still gets a sentence instead of an exception.
    weird = ev.JobFinished(t=1, job=1, job_kind="count", status="ok", count=None, top=(1, 2),
                           missing_blocks=None, tasks_total=1, node_local=1, non_local=0, retried=0,
                           elapsed_s="soon")
    assert describe(weird)


@pytest.mark.parametrize("event, text", [
    (ev.NodeKilled(t=1, node=2, pid=1234), "Node 2 killed (SIGKILL, pid 1234)"),
    (ev.NodeDeclaredDead(t=1, node=2, silent_s=2.08, lost_replicas=14),
     "Node 2 declared dead after 2.1 s of silence; 14 replicas lost"),
    (ev.BlockStored(t=1, block=7, node=5, size=10, source=3, purpose="replicate"), "Block 7 copied node 3 → node 5"),
    (ev.BlockStored(t=1, block=7, node=1, size=10, source=None, purpose="put"), "Block 7 stored on node 1"),
    (ev.BlockCorrupt(t=1, block=4, node=0, detected_by="task"),
     "Replica of block 4 on node 0 is corrupt (detected by a task reading it)"),
    (ev.TaskFailed(t=1, job=1, task=3, attempt=3, node=2, block=3, phase="map", reason="node declared dead"),
     "Task 3 (block 3) failed on node 2: node declared dead"),
    (ev.NodePaused(t=1, node=4, pid=99), "Node 4 paused (SIGSTOP, pid 99)"),
    (ev.PutStarted(t=1, file="f.txt", size=2 * 1024 * 1024, blocks=2), "Storing f.txt: 2.0 MiB in 2 blocks"),
    (ev.PutStarted(t=1, file="f.txt", size=3 * 1024 * 1024, blocks=0), "Storing f.txt: 3.0 MiB"),
    (ev.PutFailed(t=1, file="f.txt", reason="f.txt: not UTF-8 text (invalid byte at offset 9)", block_ids=(1, 2)),
     "Storing f.txt failed: f.txt: not UTF-8 text (invalid byte at offset 9); nothing was stored"),
    (ev.LogMessage(t=1, node=3, level="WARNING", logger="clusterscope.node.3", message="disk slow"), "disk slow"),
])
def test_describe_examples(event, text):
    assert describe(event) == text


def test_job_finished_sentences():
    ok = ev.JobFinished(t=1, job=1, job_kind="count", status="ok", count=5261, top=(), missing_blocks=(),
                        tasks_total=8, node_local=8, non_local=0, retried=2, elapsed_s=3.0)
    assert describe(ok).startswith("Job 1 finished: ok, count = 5261")
    assert "2 tasks retried" in describe(ok)
    assert level_of(ok) == "INFO"
    top = dataclasses.replace(ok, job_kind="wordcount", count=None, top=(("the", 812), ("data", 90)), retried=0)
    assert describe(top) == "Job 1 finished: ok, top word “the” (812) (3.00 s)"
    bad = dataclasses.replace(ok, status="incomplete", missing_blocks=(3, 7), retried=0)
    assert describe(bad).startswith("Job 1 finished: incomplete, 2 blocks unreadable (blocks 3, 7)")
    assert "partial count = 5261" in describe(bad)
    assert level_of(bad) == "ERROR"


def test_levels():
    assert level_of(ev.NodeKilled(t=1, node=2, pid=1)) == "WARNING"
    assert level_of(ev.NodeSuspect(t=1, node=2, silent_s=1.0)) == "WARNING"
    assert level_of(ev.TaskFailed(t=1, job=1, task=1, attempt=1, node=1, block=1, phase="map",
                                  reason="x")) == "WARNING"
    assert level_of(ev.ReplicaCorrupted(t=1, block=1, node=1)) == "WARNING"
    assert level_of(ev.NodeDeclaredDead(t=1, node=2, silent_s=2, lost_replicas=1)) == "ERROR"
    assert level_of(ev.BlockCorrupt(t=1, block=1, node=1, detected_by="task")) == "ERROR"
    assert level_of(ev.HealthChanged(t=1, blocks=3, under_replicated=0, missing=1, live_nodes=1,
                                     dead_nodes=2)) == "ERROR"
    assert level_of(ev.BlockStored(t=1, block=1, node=1, size=1, source=None, purpose="put")) == "DEBUG"
    assert level_of(ev.BlockStored(t=1, block=1, node=1, size=1, source=0, purpose="replicate")) == "INFO"
    assert level_of(ev.PutFinished(t=1, file="f", size=1, blocks=1, elapsed_s=1)) == "INFO"
    # A node's log record keeps its own level.
    for level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        assert level_of(ev.LogMessage(t=1, node=1, level=level, logger="l", message="m")) == level
    assert level_rank("CRITICAL") > level_rank("ERROR") > level_rank("WARNING") > level_rank("INFO") \
        > level_rank("DEBUG")


def test_nodes_involved():
    copy = ev.BlockStored(t=1, block=7, node=5, size=1, source=3, purpose="replicate")
    assert node_of(copy) == 5 and nodes_of(copy) == {3, 5}
    failed = ev.TransferFailed(t=1, block=7, source=None, target=4, reason="x")
    assert node_of(failed) == 4 and nodes_of(failed) == {4}
    assert node_of(ev.PutFinished(t=1, file="f", size=1, blocks=1, elapsed_s=1)) is None
    assert node_of(ev.LogMessage(t=1, node=None, level="INFO", logger="l", message="m")) is None


def test_health_entries_say_loss_and_restoration_once():
    def h(under, missing, blocks=()):
        return ev.HealthChanged(t=1, blocks=8, under_replicated=under, missing=missing, live_nodes=4,
                                dead_nodes=1, missing_blocks=blocks)
    assert health_entry(h(0, 0), None)[0] == "DEBUG"
    assert health_entry(h(3, 0), h(0, 0)) == ("WARNING", "3 of 8 blocks under-replicated; 4 live nodes, 1 dead")
    assert health_entry(h(2, 0), h(3, 0))[0] == "DEBUG"  # recovering
    assert health_entry(h(0, 0), h(1, 0)) == ("INFO", "Replication restored: all 8 blocks fully replicated")
    level, text = health_entry(h(2, 1, (5,)), h(3, 0))
    assert level == "ERROR" and "blocks 5" in text
    assert health_entry(h(1, 1, (5,)), h(2, 1, (5,)))[0] == "DEBUG"  # same loss, recovery moving
    assert health_entry(h(1, 2, (5, 6)), h(1, 1, (5,)))[0] == "ERROR"


# -- the view -------------------------------------------------------------------------

def test_rows_for_fed_events(log, fake_bridge):
    fake_bridge.feed(scenario())
    rows = log.rows()
    shown = texts(log)
    assert shown[0].startswith("Cluster started: 6 nodes, replication 3")
    assert "Node 2 killed (SIGKILL, pid 1002)" in shown
    assert "Node 2 declared dead after 2.0 s of silence; 4 replicas lost" in shown
    assert "Task 2 (block 2) failed on node 2: node declared dead" in shown
    assert "Block 7 copied node 3 → node 5" in shown
    assert "Replication restored: all 8 blocks fully replicated" in shown
    assert "node 0: replica of block 4 is corrupt" in shown  # a node's own log record
    assert shown[-1] == "coordinator: replication of 4 blocks finished"
    # Default INFO filter: the per-block put steps, per-task steps and metrics stay out.
    assert not any(t.startswith("Block 0 stored on node") for t in shown)
    assert not any("started on node" in t for t in shown)
    assert all(level != "DEBUG" for _, _, level, _ in rows)
    # Time, node and level columns.
    killed = next(r for r in rows if r[3].startswith("Node 2 killed"))
    assert killed[:3] == (1.3, 2, "WARNING")
    dead = next(r for r in rows if "declared dead after" in r[3])
    assert dead[2] == "ERROR"
    index = log.proxy.index(log.rows().index(killed), 0)
    assert index.data() == "1.30 s"
    assert log.proxy.index(index.row(), 1).data() == "Node 2"
    assert log.proxy.index(index.row(), 2).data() == "⚠ WARNING"
    assert log.row_count() == len(rows)


def test_filter_by_level(log, fake_bridge):
    events = scenario()
    fake_bridge.feed(events)
    everything = [e for e in events if describe(e) is not None]
    log.set_min_level("DEBUG")
    assert log.row_count() == len(everything)
    assert any(t == "Block 0 stored on node 0" for t in texts(log))
    log.set_min_level("WARNING")
    assert {r[2] for r in log.rows()} == {"WARNING", "ERROR"}
    assert len(log.rows()) == 8
    assert "4 of 8 blocks under-replicated; 5 live nodes, 1 dead" in texts(log)
    log.set_min_level("ERROR")
    assert [r[3] for r in log.rows()] == [
        "Node 2 declared dead after 2.0 s of silence; 4 replicas lost",
        "Replica of block 4 on node 0 is corrupt (detected by a task reading it)"]
    log.level_combo.setCurrentIndex(1)  # the user picks INFO in the combo box
    assert log.rows()[0][3].startswith("Cluster started")
    assert log.count_label.text().endswith("shown")


def test_filter_by_node_and_engine(log, fake_bridge):
    fake_bridge.feed(scenario())
    combo = [log.node_combo.itemText(i) for i in range(log.node_combo.count())]
    assert combo == ["All nodes", "Engine"] + [f"Node {n}" for n in range(6)]
    all_rows = log.rows()
    log.set_node_filter(2)
    rows = log.rows()
    assert rows and all(r[1] == 2 for r in rows)
    assert [r[3] for r in rows][:3] == ["Node 2 starting (pid 1002)", "Node 2 is up (pid 1002)",
                                        "Node 2 killed (SIGKILL, pid 1002)"]
    log.set_node_filter(3)  # a copy from node 3 to node 5 shows under both nodes
    assert "Block 7 copied node 3 → node 5" in texts(log)
    log.set_node_filter(ENGINE)
    rows = log.rows()
    assert rows and all(r[1] is None for r in rows)
    assert "Stored f.txt: 8.0 KiB in 8 blocks, 0.34 s" in texts(log)
    log.node_combo.setCurrentIndex(0)  # the user picks "All nodes"
    assert log.rows() == all_rows
    # Both filters at once.
    log.set_node_filter(2)
    log.set_min_level("ERROR")
    assert texts(log) == ["Node 2 declared dead after 2.0 s of silence; 4 replicas lost"]


def test_node_combo_grows_in_order_and_keeps_the_choice(log, fake_bridge):
    fake_bridge.feed([ev.NodeStarted(t=1, node=3, pid=3)])
    log.set_node_filter(3)
    fake_bridge.feed([ev.NodeStarted(t=2, node=0, pid=1), ev.NodeAdded(t=3, node=10),
                      ev.NodeStarted(t=3, node=10, pid=2)])
    items = [log.node_combo.itemData(i) for i in range(log.node_combo.count())]
    assert items == [None, ENGINE, 0, 3, 10]
    assert log.node_combo.currentData() == 3
    assert texts(log) == ["Node 3 is up (pid 3)"]


def test_row_cap_drops_the_oldest_in_chunks(qtbot, fake_bridge):
    from gui.event_log import DROP_CHUNK, MAX_ROWS
    view = EventLogView(fake_bridge)
    qtbot.addWidget(view)
    n = 0
    for _ in range(12):  # 12 batches of 1,000 rows
        fake_bridge.feed([ev.LogMessage(t=(n + i) / 100, node=(n + i) % 4, level="INFO", logger="l",
                                        message=f"m{n + i}") for i in range(1000)])
        n += 1000
        assert view.model.rowCount() <= MAX_ROWS
    assert view.model.rowCount() == MAX_ROWS
    assert view.model.dropped == 12_000 - MAX_ROWS
    assert view.model.dropped % DROP_CHUNK == 0
    rows = view.rows()
    assert rows[0][3] == f"m{12_000 - MAX_ROWS}" and rows[-1][3] == "m11999"
    # A single oversized batch keeps its newest rows.
    small = EventLogView(fake_bridge, max_rows=50)
    qtbot.addWidget(small)
    assert small.model.rowCount() == 50  # loaded from bridge.recorded at construction
    fake_bridge.feed([ev.LogMessage(t=200, node=1, level="INFO", logger="l", message=f"x{i}") for i in range(70)])
    assert [r[3] for r in small.rows()] == [f"x{i}" for i in range(20, 70)]
    # The filter applies to what is left.
    small.set_node_filter(2)
    assert small.row_count() == 0


def test_cap_with_small_chunks_and_filter(qtbot, fake_bridge):
    view = EventLogView(fake_bridge, max_rows=100)
    qtbot.addWidget(view)
    view.model.drop_chunk = 30
    view.set_min_level("WARNING")
    for i in range(25):
        fake_bridge.feed([ev.LogMessage(t=i, node=1, level=("WARNING" if j == 0 else "INFO"), logger="l",
                                        message=f"{i}.{j}") for j in range(10)])
    assert 70 <= view.model.rowCount() <= 100
    shown = texts(view)
    assert shown[-1] == "24.0" and all(t.endswith(".0") for t in shown)
    assert len(shown) == len({t.split(".")[0] for t in (e[3] for e in view.model.entries)})


def test_follows_the_newest_row_unless_scrolled_up(log, fake_bridge, qtbot):
    def batch(start, n=60):
        return [ev.LogMessage(t=start + i, node=0, level="INFO", logger="l", message=f"line {start + i}")
                for i in range(n)]
    scroll = log.table.verticalScrollBar()
    fake_bridge.feed(batch(0))
    qtbot.waitUntil(lambda: scroll.maximum() > 0 and scroll.value() == scroll.maximum())
    assert log.following()
    fake_bridge.feed(batch(60))
    old = scroll.maximum()
    qtbot.waitUntil(lambda: scroll.maximum() > old and scroll.value() == scroll.maximum())
    # The user scrolls up: new rows arrive, the view stays where it is.
    scroll.setValue(0)
    assert not log.following() and not log.newest_button.isHidden()
    old = scroll.maximum()
    fake_bridge.feed(batch(120))
    qtbot.waitUntil(lambda: scroll.maximum() > old)
    assert scroll.value() == 0
    # Back to the newest: following again.
    log.newest_button.click()
    qtbot.waitUntil(lambda: scroll.value() == scroll.maximum())
    assert log.following() and log.newest_button.isHidden()
    old = scroll.maximum()
    fake_bridge.feed(batch(180))
    qtbot.waitUntil(lambda: scroll.maximum() > old and scroll.value() == scroll.maximum())


def test_cluster_reset_starts_a_new_log(log, fake_bridge):
    fake_bridge.feed(scenario())
    log.set_node_filter(2)
    fake_bridge.cluster_reset.emit()
    assert log.model.rowCount() == 0 and log.row_count() == 0
    assert log.node_combo.currentData() == 2
    fake_bridge.feed([ev.NodeStarted(t=0.1, node=2, pid=7), ev.NodeStarted(t=0.1, node=1, pid=8)])
    assert texts(log) == ["Node 2 is up (pid 7)"]


def test_existing_history_is_shown_when_created_late(qtbot, fake_bridge):
    fake_bridge.feed(scenario())
    view = EventLogView(fake_bridge)
    qtbot.addWidget(view)
    assert "Node 2 killed (SIGKILL, pid 1002)" in texts(view)


def test_copy_selected_rows(log, fake_bridge):
    from PySide6 import QtWidgets
    fake_bridge.feed(scenario())
    log.table.selectRow(0)
    log.copy_selection()
    text = QtWidgets.QApplication.clipboard().text()
    assert text.startswith("0.00 s\tEngine\tINFO\tCluster started")


def test_lecture_theme_has_larger_rows(log, fake_bridge):
    fake_bridge.feed(scenario())
    normal = log.table.verticalHeader().defaultSectionSize()
    log.set_theme(th.LECTURE)
    lecture = log.table.verticalHeader().defaultSectionSize()
    assert lecture > normal * 1.3
    assert f"font-size: {th.LECTURE.base_pt}pt" in log.styleSheet()
    colour = log.proxy.index(0, 3).data(role=9)  # ForegroundRole
    assert colour.color().name() == th.LECTURE.text.lower()
    log.set_min_level("ERROR")
    assert log.proxy.index(0, 3).data(role=9).color().name() == th.LECTURE.danger.lower()


def test_render_for_a_human(qtbot, fake_bridge, tmp_path):
    """Writes the log in both themes as PNGs (to $CLUSTERSCOPE_SHOTS or a temp folder)."""
    out = os.environ.get("CLUSTERSCOPE_SHOTS", str(tmp_path))
    fake_bridge.feed(scenario())
    for theme in (th.NORMAL, th.LECTURE):
        view = EventLogView(fake_bridge, theme=theme)
        qtbot.addWidget(view)
        view.resize(1000 if theme is th.NORMAL else 1400, 420 if theme is th.NORMAL else 640)
        view.show()
        view.scroll_to_newest()
        path = os.path.join(out, f"event_log_{theme.name}.png")
        assert view.grab().save(path)
        assert os.path.getsize(path) > 1000


def test_narrow_panel_folds_the_level_into_the_message(log, fake_bridge, qtbot):
    fake_bridge.feed(scenario())
    log.set_min_level("WARNING")
    assert not log.table.isColumnHidden(2)
    assert log.proxy.index(0, 3).data() == "Node 2 killed (SIGKILL, pid 1002)"
    log.resize(330, 300)
    qtbot.waitUntil(lambda: log.table.isColumnHidden(2))
    assert log.proxy.index(0, 3).data() == "⚠ Node 2 killed (SIGKILL, pid 1002)"
    assert log.rows()[0][2:] == ("WARNING", "Node 2 killed (SIGKILL, pid 1002)")  # rows() unchanged
    # The filters keep their room; the count goes first.
    assert log.count_label.isHidden() and not log.node_combo.isHidden()
    log.resize(1200, 300)
    qtbot.waitUntil(lambda: not log.table.isColumnHidden(2))
    assert log.proxy.index(0, 3).data() == "Node 2 killed (SIGKILL, pid 1002)"
    assert not log.count_label.isHidden()
