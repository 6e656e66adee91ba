"""Record a live run on a real cluster, replay it without one, and check the replay shows the
same state and the same picture as the live window at the same moments."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QPoint, Qt

from engine import events as ev
from engine.config import ClusterConfig
from engine.corpus import write_corpus
from engine.jobs import JobSpec
from support import wait_gone

VICTIM = 2
WORD = "data"


def fast_config(**kw):
    # The app's shape (6 nodes, R = 3, 256 KiB blocks) with quick failure detection, and
    # disks slow enough that the kill lands while the job's tasks are running.
    return ClusterConfig(**{**dict(nodes=6, replication=3, block_size=256 * 1024, heartbeat=0.2,
                                   dead_after=1.0, disk_mbps=2.0, metrics_interval=0.25), **kw})


# -- what is compared ----------------------------------------------------------------------

def summary(state) -> dict:
    """What a viewer sees of a ClusterState, in comparable plain values."""
    return {
        "t": state.t,
        "nodes": {n: (v.display_state, v.process, v.pid, sorted(v.blocks), v.stored_bytes, sorted(v.tasks))
                  for n, v in sorted(state.nodes.items())},
        "replicas": {b: sorted(v.replicas) for b, v in sorted(state.blocks.items())},
        "committed": sorted(b for b, v in state.blocks.items() if v.committed),
        "health": dict(state.health),
        "counts": state.counts(),
        "jobs": {j: (v.done, v.phase, v.phase_total, v.status, v.count, v.retried, v.finished,
                     [(a.attempt, a.node, a.outcome, a.ended) for a in v.attempts])
                 for j, v in sorted(state.jobs.items())},
        "transfers": sorted(state.transfers),
        "faults": [(f.node, f.kind, f.start, f.detected, f.end) for f in state.faults],
        "metrics": (len(state.metrics), state.metrics[-1] if state.metrics else None),
        "health_history": list(state.health_history),
        "corrupted": sorted(state.corrupted),
    }


def _plain(array_pair) -> list:
    return [[None if (isinstance(v, float) and math.isnan(v)) else round(float(v), 9) for v in a]
            for a in array_pair]


def picture(window) -> dict:
    """What the window draws, as text and numbers (everything that does not depend on how
    much wall time passed since the last event)."""
    cv, jp = window.cluster_view, window.job_panel
    nodes = sorted(window.bridge.state.nodes)
    under_x, under_y = window.health_plot.curve_data("under_replicated")
    return {
        "tiles": {n: cv.tile_lines(n) for n in nodes},
        "replicas": {n: sorted(cv.replica_rects(n)) for n in nodes},
        "outlines": {b: cv.replica_outline(b) for b in sorted(window.bridge.state.blocks)},
        "strip": cv.strip_text(),
        "status": window.status_counts.text(),
        "job": (jp.title_text(), jp.progress_text(), jp.stats_text(), jp.result_text()),
        "log": [e[:4] for e in window.event_log.model.entries],
        "throughput": {n: _plain(window.throughput.curve_data(n)) for n in window.throughput.nodes()},
        "total": _plain(window.throughput.total_data()),
        # a step curve's last point is held until 'now': compare up to the last sample
        "health": _plain((under_x[:-1], under_y)),
    }


@dataclass
class Snapshot:
    applied: int  # len(bridge.recorded) when taken
    t: float  # bridge.state.t
    state: dict
    picture: dict
    verdict: str


@dataclass
class LiveRun:
    path: str
    recorded: list
    verdicts: dict
    snapshots: list = field(default_factory=list)

    def times(self) -> list[float]:
        """When the replay applies each event: the running maximum of t."""
        out, latest = [], -math.inf
        for e in self.recorded:
            latest = max(latest, e.t)
            out.append(latest)
        return out

    def complete(self) -> list[Snapshot]:
        """Snapshots taken between two distinct event times (the live bridge can apply half
        of the events that share one time stamp in one 50 ms batch, the rest in the next)."""
        times = self.times()
        return [s for s in self.snapshots if s.applied == len(times) or times[s.applied] > s.t]

    def first(self, predicate) -> Snapshot:
        for s in self.complete():
            if predicate(s):
                return s
        raise AssertionError("no snapshot matches")


def _index(recorded, kind, **fields) -> int:
    for i, e in enumerate(recorded):
        if e.kind == kind and all(getattr(e, k) == v for k, v in fields.items()):
            return i
    raise AssertionError(f"no {kind} {fields} recorded")


# -- the live run ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live(qapp, request, tmp_path_factory):
    """One live run in the real window: store a corpus, count a word, kill a node as soon as
    the job's first task starts, wait for the verdict and full recovery; a snapshot of the
    state and of the window after every batch the bridge applied; then save the recording."""
    from pytestqt.qtbot import QtBot

    from gui.main_window import MainWindow

    qtbot = QtBot(request)
    tmp = tmp_path_factory.mktemp("replay")
    corpus = str(tmp / "corpus.txt")
    write_corpus(corpus, 3 * 1024 * 1024, seed=3)
    w = MainWindow(config=fast_config())
    w.show()
    w.start_cluster()
    bridge = w.bridge
    pids = []
    try:
        qtbot.waitUntil(lambda: len(bridge.state.nodes) == 6
                        and all(n.state == "alive" for n in bridge.state.nodes.values()), timeout=15000)
        pids = list(bridge.backend.node_pids().values())
        run = LiveRun(str(tmp / "run.jsonl"), [], {})

        def capture(_events):
            run.snapshots.append(Snapshot(len(bridge.recorded), bridge.state.t, summary(bridge.state),
                                          picture(w), w.job_panel.verdict_text()))

        killed = []

        def kill_mid_job(events):
            if not killed and any(e.kind == "task_started" for e in events):
                killed.append(True)
                w.node_action(VICTIM, "kill")

        bridge.updated.connect(capture)
        bridge.put(corpus)
        qtbot.waitUntil(lambda: w.stored_file() == "corpus.txt", timeout=30000)
        bridge.updated.connect(kill_mid_job)
        bridge.run_job(JobSpec("count", "corpus.txt", word=WORD))

        def settled():
            job = bridge.state.latest_job()
            victim = bridge.state.nodes[VICTIM]
            assert job is not None and job.finished is not None
            assert job.id in w.verdict_recorder.verdicts
            assert victim.state == "dead"
            assert bridge.state.health["under_replicated"] == 0 and not bridge.state.transfers
        qtbot.waitUntil(settled, timeout=30000)
        # one more metrics sample after recovery, so "the end" is a moment of its own
        n = len(bridge.recorded)
        qtbot.waitUntil(lambda: any(e.kind == "metrics_sample" for e in bridge.recorded[n:]), timeout=5000)
        bridge.updated.disconnect(capture)
        bridge.updated.disconnect(kill_mid_job)
        capture([])  # the end, as the window shows it now (verdict included)
        assert w.save_recording_to(run.path) == len(bridge.recorded)
        run.recorded = list(bridge.recorded)
        run.verdicts = dict(w.verdict_recorder.verdicts)
    finally:
        w.close()
    assert wait_gone(pids, 5.0) == []
    return run


@pytest.fixture
def replay(live, qtbot):
    from gui.replay import ReplayBridge
    bridge = ReplayBridge.from_file(live.path)
    yield bridge
    bridge.stop()


@pytest.fixture
def replay_window(live, qtbot):
    from gui.main_window import MainWindow
    from gui.replay import ReplayBridge
    w = MainWindow(bridge=ReplayBridge.from_file(live.path))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


# -- (a) the replay equals the live run ------------------------------------------------------

def test_recording_files(live):
    from gui.export import load_events_jsonl
    from gui.replay import verdicts_path
    events = load_events_jsonl(live.path)
    assert [e.to_dict() for e in events] == [e.to_dict() for e in live.recorded]
    kinds = {e.kind for e in events}
    assert {"cluster_started", "put_finished", "job_finished", "node_killed", "node_declared_dead"} <= kinds
    with open(verdicts_path(live.path), encoding="utf-8") as f:
        sidecar = json.load(f)
    assert sidecar["format"] == "clusterscope-recording" and sidecar["events"] == len(events)
    job = next(e.job for e in events if e.kind == "job_finished")
    assert sidecar["verdicts"][str(job)]["verdict"] == "exact"
    assert live.verdicts[job][0] == "exact"


def test_replayed_state_equals_live_state_at_every_complete_snapshot(live, replay):
    snapshots = live.complete()
    assert len(snapshots) >= 10
    for snap in snapshots:
        replay.seek(snap.t)
        assert replay.applied == snap.applied
        assert summary(replay.state) == snap.state, f"differs at t={snap.t}"
        assert replay.clock() == pytest.approx(snap.t)


def test_replay_window_shows_the_live_picture(live, replay_window, qtbot):
    kill = _index(live.recorded, "node_killed", node=VICTIM)
    finish = _index(live.recorded, "job_finished")
    moments = {
        "right after the kill": live.first(lambda s: s.applied > kill),
        "after the job finished": live.first(lambda s: s.applied > finish),
        "the end": live.complete()[-1],
    }
    assert moments["the end"].applied == len(live.recorded)
    bridge = replay_window.bridge
    for name, snap in sorted(moments.items(), key=lambda kv: kv[1].t):
        bridge.seek(snap.t)
        assert summary(bridge.state) == snap.state, name
        assert picture(replay_window) == snap.picture, name
    # the kill landed while the job ran, and the replay shows it
    assert moments["right after the kill"].state["nodes"][VICTIM][1] == "killed"
    # and backwards: the same pictures again after a rebuild from the start
    for name, snap in sorted(moments.items(), key=lambda kv: -kv[1].t):
        bridge.seek(snap.t)
        assert picture(replay_window) == snap.picture, name
    # the verdict: the live window had it by the end; the replay at the end too
    bridge.seek(bridge.duration)
    assert "exact" in moments["the end"].verdict
    assert replay_window.job_panel.verdict_text() == moments["the end"].verdict


# -- (b) seeking in any order gives the state of a fresh seek --------------------------------

def test_seek_backwards_and_forwards_equals_fresh_seek(live, monkeypatch):
    from gui import replay as rp
    monkeypatch.setattr(rp, "CHECKPOINT_EVERY", 37)  # many checkpoints and both seek paths
    walker = rp.ReplayBridge.from_file(live.path)
    assert len(walker._checkpoints) > 3
    d = walker.duration
    kill_t = walker.faults[0][0]
    finish_t = next(e.t for e in walker.events if e.kind == "job_finished")
    path = [d, 0.0, kill_t, d * 0.5, kill_t - 0.001, finish_t, d * 0.25, d * 0.25 + 0.01,
            d * 0.25 + 0.3, d * 0.9, 0.1, d, finish_t + 0.05]
    seen_resets = []
    walker.cluster_reset.connect(lambda: seen_resets.append(walker.clock()))
    for t in path:
        walker.seek(t)
        fresh = rp.ReplayBridge.from_file(live.path)
        fresh.seek(t)
        assert summary(walker.state) == summary(fresh.state), f"at {t}"
        assert walker.recorded == fresh.recorded and walker.applied == fresh.applied
    assert len(seen_resets) >= 4  # backward seeks (and long forward ones) rebuilt the state
    # clamped to the recording
    walker.seek(-5)
    assert walker.clock() == 0.0
    walker.seek(d + 100)
    assert walker.clock() == d and walker.applied == len(walker.events)


def test_seek_emits_reset_then_every_event_then_verdicts(live, replay, qtbot):
    order = []
    replay.cluster_reset.connect(lambda: order.append("reset"))
    replay.updated.connect(lambda events: order.append(("updated", len(events))))
    replay.verdict_ready.connect(lambda job, verdict, detail: order.append(("verdict", verdict)))
    replay.seek(replay.duration)  # forward from 0: no reset needed
    finished = _index(live.recorded, "job_finished")
    assert order[0][0] == "updated" and order[-1] == ("verdict", "exact")
    order.clear()
    replay.seek(live.recorded[finished].t - 0.001)  # backwards: rebuilt, before the verdict
    assert order[0] == "reset" and order[1][0] == "updated" and len(order) == 2
    order.clear()
    replay.seek(replay.duration)
    assert ("verdict", "exact") in order
    # a seek does not replay finished transfers as flights
    assert not any(e.kind == "transfer_started" for e in replay._seek_view(replay.recorded))


# -- (c) playback ---------------------------------------------------------------------------

def test_play_advances_the_clock_and_applies_events(live, replay, qtbot):
    replay.seek(0.0)
    start_applied = replay.applied
    batches = []
    replay.updated.connect(batches.append)
    replay.set_speed(10)
    assert replay.speed == 10 and replay.time_scale == pytest.approx(0.1)
    with qtbot.waitSignal(replay.playing_changed, timeout=1000):
        replay.play()
    qtbot.waitUntil(lambda: replay.clock() > 0.5 and replay.applied > start_applied, timeout=5000)
    replay.pause()
    assert not replay.playing and batches
    t = replay.clock()
    fresh = type(replay)(live.recorded)
    fresh.seek(t)
    assert summary(replay.state) == summary(fresh.state)
    assert sum(len(b) for b in batches) == replay.applied - start_applied
    # to the end: it stops there, with every event applied and the verdict emitted
    verdicts = []
    replay.verdict_ready.connect(lambda job, v, d: verdicts.append(v))
    replay.play()
    qtbot.waitUntil(lambda: not replay.playing, timeout=10000)
    assert replay.clock() == replay.duration and replay.applied == len(live.recorded)
    assert verdicts == ["exact"]
    assert summary(replay.state) == live.snapshots[-1].state
    # play at the end starts again from the beginning
    replay.set_speed(0.25)
    replay.play()
    assert replay.clock() < 0.1 and replay.playing
    replay.pause()
    replay.set_speed(100)
    assert replay.speed == 10.0


# -- (d) faults -----------------------------------------------------------------------------

def test_next_fault_jumps_to_the_kill(live, replay):
    kill = live.recorded[_index(live.recorded, "node_killed", node=VICTIM)]
    assert [e.kind for _, e in replay.faults] == ["node_killed"]
    assert replay.next_fault_time(0.0) == kill.t
    replay.seek(0.0)
    assert replay.jump_to_next_fault() == kill.t
    assert replay.clock() == kill.t
    assert replay.state.nodes[VICTIM].process == "killed"
    assert replay.state.nodes[VICTIM].state != "dead"  # not detected yet
    assert replay.next_fault_time(replay.clock()) is None
    assert replay.jump_to_next_fault() is None and replay.clock() == kill.t
    replay.seek(kill.t - 0.0001)
    assert replay.state.nodes[VICTIM].process == "running"


# -- (e) the replay window --------------------------------------------------------------------

def test_replay_window_has_replay_controls_and_no_cluster_controls(live, replay_window, qtbot):
    w = replay_window
    assert w.replay and w.bridge.backend is None
    assert w.windowTitle().endswith("run.jsonl")
    for action in (w.act_open, w.act_generate, w.act_store, w.act_count, w.act_wordcount, w.act_add,
                   w.act_reset, w.act_freeze, w.act_demo, *w.node_actions.values()):
        assert not action.isEnabled(), action.text()
    for widget in (w.word_edit, w.ignore_case, w.top_spin, w.slow_combo):
        assert not widget.isEnabled()
    assert not w.controls_bar.isVisible() and not w.cluster_bar.isVisible()
    assert w.replay_bar.isVisible() and w.replay_controls.isVisible()
    assert w.act_save_recording.isEnabled() and w.act_open_recording.isEnabled()
    assert w.cluster_view.contextMenuPolicy() == Qt.NoContextMenu
    # a node action from the view changes nothing and says why
    w.bridge.seek(w.bridge.duration)
    with qtbot.assertNotEmitted(w.bridge.operation_failed), \
            qtbot.waitSignal(w.message, timeout=1000) as blocker:
        w.cluster_view.trigger(1, "kill")
    assert "nothing in it can be changed" in blocker.args[0]
    assert w.bridge.state.nodes[1].process == "running"
    # starting a cluster is a no-op
    w.start_cluster()
    assert w.bridge.backend is None


def test_replay_controls_drive_the_bridge(live, replay_window, qtbot):
    w = replay_window
    controls, bridge = w.replay_controls, w.bridge
    kill_t = bridge.faults[0][0]
    assert controls.slider.maximum() == round(bridge.duration * 1000)
    assert [m[1] for m in controls.slider.markers()] == ["node_killed"]
    assert f"node {VICTIM} killed" in controls.slider.markers()[0][2]
    assert controls.time_label.text() == f"0.0 s / {bridge.duration:.1f} s"
    # the slider seeks
    controls.slider.setValue(int(kill_t * 1000) + 500)
    qtbot.waitUntil(lambda: bridge.clock() == pytest.approx(kill_t + 0.5, abs=1e-3), timeout=2000)
    assert bridge.state.nodes[VICTIM].process == "killed"
    assert controls.time_label.text() == f"{kill_t + 0.5:.1f} s / {bridge.duration:.1f} s"
    assert not controls.act_next_fault.isEnabled()  # no fault after this
    # Home, next fault, play/pause, speed
    controls.act_start.trigger()
    assert bridge.clock() == 0.0 and controls.slider.value() == 0
    assert controls.act_next_fault.isEnabled()
    controls.next_fault_button.click()
    assert bridge.clock() == kill_t and controls.slider.value() == round(kill_t * 1000)
    controls.play_button.click()
    assert bridge.playing and "Pause" in controls.act_play.text()
    qtbot.waitUntil(lambda: controls.slider.value() > round(kill_t * 1000), timeout=3000)
    controls.play_button.click()
    assert not bridge.playing and "Play" in controls.act_play.text()
    controls.speed_combo.setCurrentIndex(controls.speed_combo.findData(5.0))
    controls.speed_combo.activated.emit(controls.speed_combo.currentIndex())
    assert bridge.speed == 5.0
    bridge.set_speed(0.25)
    assert controls.speed_combo.currentData() == 0.25
    # a click on the groove jumps there; the marker under the kill names it
    slider = controls.slider
    x = int(slider.x_of(slider.maximum() // 4))
    qtbot.mouseClick(slider, Qt.LeftButton, pos=QPoint(x, slider.height() // 2))
    qtbot.waitUntil(lambda: abs(bridge.clock() - bridge.duration / 4) < bridge.duration / 50, timeout=2000)
    assert abs(slider.value() - slider.maximum() // 4) <= slider.maximum() // 50
    marker = slider.marker_at(slider.x_of(round(kill_t * 1000)))
    assert marker is not None and marker[1] == "node_killed"


def test_replay_window_renders_mid_recording(live, replay_window, qtbot, tmp_path):
    w = replay_window
    kill_t = w.bridge.faults[0][0]
    w.bridge.seek(kill_t + 0.6)  # mid-recording: node suspect, tasks being retried
    w.bridge.seek(kill_t + 0.6)
    qtbot.waitUntil(lambda: w.job_panel.title_text().startswith("count"), timeout=2000)
    w.throughput.flush()
    w.health_plot.flush()
    # the status bar lays out its longer text on the next pass of the event loop
    qtbot.waitUntil(lambda: w.status_counts.width() >= w.status_counts.sizeHint().width(), timeout=2000)
    image = w.grab().toImage()
    assert image.save(str(tmp_path / "replay.png"))  # pytest keeps it for a human to look at
    assert (image.width(), image.height()) == (1600, 950)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 41)}
    assert len(colours) > 20


def test_save_and_open_from_the_main_window(live, tmp_path, qtbot):
    from gui.main_window import MainWindow
    w = MainWindow(config=fast_config())  # a live window whose cluster is never started
    qtbot.addWidget(w)
    replay_window = w.open_recording(live.path)
    assert replay_window is not None and replay_window.isVisible()
    qtbot.addWidget(replay_window)
    assert replay_window.bridge.duration == max(e.t for e in live.recorded)
    # a replay window saves its whole recording, verdicts included, whatever its position
    copy = str(tmp_path / "copy.jsonl")
    replay_window.bridge.seek(1.0)
    assert replay_window.save_recording_to(copy) == len(live.recorded)
    again = replay_window.open_recording(copy)
    qtbot.addWidget(again)
    assert again.bridge.events == replay_window.bridge.events
    assert again.bridge.verdicts == replay_window.bridge.verdicts
    # a file that is not a recording: one line in the status bar, no window
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    with qtbot.waitSignal(w.message, timeout=1000) as blocker:
        assert w.open_recording(str(bad)) is None
    assert "line 1" in blocker.args[0]
    w.close()


# -- recordings without a cluster -------------------------------------------------------------

def _synthetic():
    from conftest import cluster_events
    out = cluster_events(nodes=4, blocks=6, replication=2)
    out += [ev.JobStarted(t=0.5, job=1, job_kind="count", file="f.txt", word="x", ignore_case=False,
                          top=None, tasks=6),
            ev.NodePaused(t=0.8, node=3, pid=1003),
            ev.ReplicaCorrupted(t=0.9, block=1, node=1),
            ev.LogMessage(t=0.85, node=1, level="INFO", logger="n", message="late record"),
            ev.NodeKilled(t=1.0, node=1, pid=1001),
            ev.NodeDeclaredDead(t=3.0, node=1, silent_s=2.0, lost_replicas=3),
            ev.JobFinished(t=3.5, job=1, job_kind="count", status="incomplete", count=3, top=(),
                           missing_blocks=(1,), tasks_total=6, node_local=5, non_local=0, retried=1,
                           elapsed_s=3.0)]
    return out


def test_synthetic_recording_faults_order_and_derived_verdict(qtbot):
    from gui.replay import ReplayBridge
    from gui.replay_controls import ReplayControls
    bridge = ReplayBridge(_synthetic())
    assert [e.kind for _, e in bridge.faults] == ["node_paused", "replica_corrupted", "node_killed"]
    controls = ReplayControls(bridge)
    qtbot.addWidget(controls)
    assert [m[2] for m in controls.slider.markers()] == [
        "0.8 s: node 3 paused (SIGSTOP)", "0.9 s: a replica of block 1 corrupted on node 1",
        "1.0 s: node 1 killed (SIGKILL)"]
    assert bridge.next_fault_time(0.8) == 0.9
    # the late log record is applied where the live run applied it (after the corruption)
    assert bridge.index_at(0.89) == bridge.index_at(0.8)
    # an incomplete job's verdict needs no reference file
    assert bridge.verdicts[1][0] == "incomplete"
    with qtbot.waitSignal(bridge.verdict_ready, timeout=1000) as blocker:
        bridge.seek(bridge.duration)
    assert blocker.args[:2] == [1, "incomplete"]
    # operations are refused, not crashed
    with qtbot.waitSignal(bridge.operation_failed, timeout=1000) as blocker:
        bridge.kill(1)
    assert blocker.args[0] == "kill"
    bridge.pause(2)  # pausing a node is refused too; pausing playback is fine
    bridge.pause()


def test_live_bridge_verdicts_are_kept_for_the_recording(fake_bridge, tmp_path):
    from conftest import cluster_events

    from gui.replay import ReplayBridge, VerdictRecorder, save_recording
    recorder = VerdictRecorder(fake_bridge)
    assert VerdictRecorder.of(fake_bridge) is recorder
    fake_bridge.feed(cluster_events())
    fake_bridge.verdict_ready.emit(4, "wrong", "WRONG: 1 != 2")
    path = str(tmp_path / "live.jsonl")
    assert save_recording(fake_bridge, path) == len(fake_bridge.recorded)  # verdicts found by itself
    replayed = ReplayBridge.from_file(path)
    assert replayed.verdicts == {4: ("wrong", "WRONG: 1 != 2")}
    assert replayed.events == fake_bridge.recorded
    fake_bridge.cluster_reset.emit()  # a new cluster: its verdicts start afresh
    assert recorder.verdicts == {}


def test_mismatched_or_broken_sidecar_is_ignored_with_a_warning(tmp_path, qtbot):
    from gui.export import export_events_jsonl
    from gui.replay import ReplayBridge, load_recording, save_recording, verdicts_path
    path = str(tmp_path / "r.jsonl")
    events = _synthetic()
    save_recording(ReplayBridge(events), path)
    loaded, sidecar, warnings = load_recording(path)
    assert len(loaded) == len(events) and sidecar["verdicts"][1][0] == "incomplete" and not warnings
    export_events_jsonl(events[:-3], path)  # the events file was overwritten later
    _, sidecar, warnings = load_recording(path)
    assert sidecar == {} and "another recording" in warnings[0]
    with open(verdicts_path(path), "w", encoding="utf-8") as f:
        f.write("{broken")
    bridge = ReplayBridge.from_file(path)
    assert bridge.verdicts == {} and "ignored" in bridge.warnings[0]


def test_replay_app_screenshot_and_bad_file(live, tmp_path):
    """What `clusterscope replay FILE --at S --screenshot PNG` runs (gui.replay_app.run_replay_app)."""
    import os
    import subprocess
    import sys

    from support import ROOT
    shot = tmp_path / "replay.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = ("import sys; from gui.replay_app import run_replay_app; "
            "sys.exit(run_replay_app(sys.argv[1], at=float(sys.argv[2]), screenshot=sys.argv[3]))")
    out = subprocess.run([sys.executable, "-c", code, live.path, "2.5", str(shot)], capture_output=True,
                         text=True, timeout=60, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    from PySide6.QtGui import QImage
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1600, 950)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "no_such_event", "t": 0}\n')
    out = subprocess.run([sys.executable, "-c", code, str(bad), "0", str(shot)], capture_output=True,
                         text=True, timeout=60, env=env, cwd=ROOT)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "line 1" in out.stderr and "Traceback" not in out.stderr
