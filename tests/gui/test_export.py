"""gui.export: JSON Lines recordings round-trip, metrics CSV, widget PNGs, and one-line
UsageErrors for paths that cannot be written or read."""

import csv
import os

import pytest
from PySide6 import QtGui, QtWidgets

from conftest import cluster_events
from engine import events as ev
from engine.errors import UsageError
from engine.view import ClusterState
from gui.export import export_events_jsonl, export_metrics_csv, export_widget_png, load_events_jsonl
from test_event_log import sample_event, scenario


def sample(t, rates):
    return ev.MetricsSample(t=t, nodes={n: {"state": "alive", "read_bps": bps, "write_bps": 0.0, "copy_bps": 0.0,
                                            "stored_bytes": 10, "blocks": 1, "tasks_running": 0}
                                        for n, bps in rates.items()})


def health(t, under, missing):
    return ev.HealthChanged(t=t, blocks=8, under_replicated=under, missing=missing, live_nodes=3, dead_nodes=1)


def one_line(exc_info):
    message = str(exc_info.value)
    assert message and "\n" not in message
    return message


# -- JSON Lines -----------------------------------------------------------------------

def test_jsonl_round_trip_gives_equal_events(tmp_path):
    events = scenario() + [sample_event(cls) for cls in ev.EVENT_TYPES.values()] + [
        ev.JobFinished(t=5, job=2, job_kind="wordcount", status="ok", count=None, top=(("the", 9), ("a", 4)),
                       missing_blocks=(), tasks_total=3, node_local=3, non_local=0, retried=0, elapsed_s=1.0),
        ev.LogMessage(t=6, node=None, level="INFO", logger="clusterscope", message="naïve café ✓ 数据"),
    ]
    path = tmp_path / "events.jsonl"
    assert export_events_jsonl(events, str(path)) == len(events)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    assert lines[0].startswith('{"kind": "cluster_started"')
    back = load_events_jsonl(str(path))
    assert back == events
    assert [type(e) for e in back] == [type(e) for e in events]


def test_jsonl_round_trip_replays_to_the_same_state(tmp_path):
    events = scenario() + [sample(5.0, {0: 1e6, 1: 2e6})]
    path = tmp_path / "r.jsonl"
    export_events_jsonl(events, path)
    a, b = ClusterState(), ClusterState()
    a.apply_all(events)
    b.apply_all(load_events_jsonl(path))
    assert a.counts() == b.counts() and list(a.metrics) == list(b.metrics)
    assert {n: v.state for n, v in a.nodes.items()} == {n: v.state for n, v in b.nodes.items()}


def test_jsonl_empty_and_blank_lines(tmp_path):
    path = tmp_path / "empty.jsonl"
    assert export_events_jsonl([], path) == 0
    assert load_events_jsonl(path) == []
    path.write_text('\n{"kind": "cluster_stopped", "t": 1.5}\n\n', encoding="utf-8")
    assert load_events_jsonl(path) == [ev.ClusterStopped(t=1.5)]


@pytest.mark.parametrize("content, expect", [
    ("not json\n", "line 1"),
    ('{"kind": "cluster_stopped", "t": 1}\n{"kind": "no_such_kind", "t": 2}\n', "line 2"),
    ("[1, 2]\n", "line 1"),
    ('{"kind": "node_killed", "t": 1}\n', "line 1"),  # required fields missing
])
def test_loading_a_bad_recording_says_which_line(tmp_path, content, expect):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        load_events_jsonl(path)
    assert expect in one_line(exc)


def test_loading_a_missing_or_binary_file(tmp_path):
    with pytest.raises(UsageError) as exc:
        load_events_jsonl(tmp_path / "nope.jsonl")
    assert "no such file" in one_line(exc)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UsageError) as exc:
        load_events_jsonl(binary)
    assert "UTF-8" in one_line(exc)


# -- CSV ------------------------------------------------------------------------------

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_metrics_csv_header_and_values(tmp_path):
    state = ClusterState()
    state.apply_all(cluster_events(nodes=3) + [
        sample(1.0, {0: 2e6, 1: 3.5e6, 2: 0.0}),
        health(1.1, 2, 0),
        sample(1.25, {0: 4e6, 1: 1e6, 2: 2.5e5}),
        health(1.25, 1, 1),  # at the same time as a sample: already known at that row
        sample(1.5, {2: 8e6, 10: 1e6}),  # node 10 appears, nodes 0 and 1 have no value
    ])
    path = tmp_path / "metrics.csv"
    assert export_metrics_csv(state, str(path)) == 3
    rows = read_csv(path)
    assert rows[0] == ["t", "read_MBps_node0", "read_MBps_node1", "read_MBps_node2", "read_MBps_node10",
                       "read_MBps_total", "under_replicated", "missing"]
    data = rows[1:]
    assert [float(r[0]) for r in data] == [1.0, 1.25, 1.5]
    assert data[0][1:4] == ["2.0", "3.5", "0.0"] and data[0][4] == ""
    assert float(data[0][5]) == pytest.approx(5.5)
    assert data[0][6:] == ["0", "0"]  # health of the stored file before the first change
    assert [float(x) for x in data[1][1:4]] == [4.0, 1.0, 0.25] and float(data[1][5]) == pytest.approx(5.25)
    assert data[1][6:] == ["1", "1"]
    assert data[2][1:3] == ["", ""] and float(data[2][3]) == 8.0 and float(data[2][4]) == 1.0
    assert float(data[2][5]) == pytest.approx(9.0)
    assert data[2][6:] == ["1", "1"]  # last known


def test_metrics_csv_with_no_samples_has_just_the_header(tmp_path):
    path = tmp_path / "m.csv"
    assert export_metrics_csv(ClusterState(), path) == 0
    assert read_csv(path) == [["t", "read_MBps_total", "under_replicated", "missing"]]


def test_metrics_csv_after_health_history_was_trimmed(tmp_path):
    state = ClusterState()
    for i in range(state.health_history.maxlen + 5):
        state.apply(health(float(i), i % 3, 0))
    state.apply(sample(0.5, {0: 1e6}))  # older than the oldest health entry kept
    state.apply(sample(state.health_history[-1][0] + 1, {0: 1e6}))
    path = tmp_path / "m.csv"
    export_metrics_csv(state, path)
    rows = read_csv(path)
    assert rows[1][-2:] == ["", ""]  # unknown, not a made-up zero
    assert rows[2][-2:] == [str(state.health_history[-1][1]), "0"]


# -- PNG ------------------------------------------------------------------------------

def test_png_export_writes_an_image(qtbot, fake_bridge, tmp_path):
    from gui.event_log import EventLogView
    fake_bridge.feed(scenario())
    view = EventLogView(fake_bridge)
    qtbot.addWidget(view)
    view.resize(640, 300)
    view.show()
    path = tmp_path / "log.png"
    assert export_widget_png(view, str(path)) is True
    assert path.stat().st_size > 1000
    image = QtGui.QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (round(640 * view.devicePixelRatioF()),
                                               round(300 * view.devicePixelRatioF()))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Whatever the name's extension says, the file is a PNG.
    other = tmp_path / "plot"
    assert export_widget_png(view, other)
    assert other.read_bytes()[:4] == b"\x89PNG"


# -- unwritable paths -----------------------------------------------------------------

def writers(qtbot):
    widget = QtWidgets.QLabel("x")
    qtbot.addWidget(widget)
    return [lambda p: export_events_jsonl([ev.ClusterStopped(t=1)], p),
            lambda p: export_metrics_csv(ClusterState(), p),
            lambda p: export_widget_png(widget, p)]


def test_unwritable_paths_raise_one_line_usage_errors(qtbot, tmp_path):
    folder = tmp_path / "sub"
    folder.mkdir()
    for write in writers(qtbot):
        with pytest.raises(UsageError) as exc:
            write(str(tmp_path / "missing" / "out.x"))
        assert "does not exist" in one_line(exc)
        with pytest.raises(UsageError) as exc:
            write(str(folder))
        assert "is a folder" in one_line(exc)
        with pytest.raises(UsageError):
            write("")
    assert os.listdir(folder) == []


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(qtbot, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        for write in writers(qtbot):
            with pytest.raises(UsageError) as exc:
                write(str(folder / "out"))
            assert "permission denied" in one_line(exc)
    finally:
        folder.chmod(0o700)
