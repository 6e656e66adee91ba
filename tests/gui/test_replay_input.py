"""`clusterscope replay FILE` with a file that is no recording: one line naming the file (and
the line), exit status 2, before any window opens; never an empty window, never a traceback."""

import json
import os
import subprocess
import sys

import pytest

from support import ROOT

NODE_KILLED = {"kind": "node_killed", "t": 1.0, "node": 1, "pid": 100}
GOOD = json.dumps({"kind": "cluster_stopped", "t": 0.5})

CASES = [
    ("empty", "", None, "no events"),
    ("blank-lines", "\n\n  \n", None, "no events"),
    ("wrong-types", json.dumps({"kind": "node_killed", "t": "x", "node": "a"}), 1,
     "node_killed: t must be a finite number of seconds >= 0 (got 'x')"),
    ("node-text", json.dumps({**NODE_KILLED, "node": "a"}), 1, "node_killed: node must be a whole number (got 'a')"),
    ("node-bool", json.dumps({**NODE_KILLED, "node": True}), 1, "node must be a whole number (got True)"),
    ("unknown-kind", GOOD + "\n" + json.dumps({"kind": "nope"}), 2, "unknown event kind 'nope'"),
    ("list", "[1, 2]", 1, "an event is a JSON object"),
    ("string", '"str"', 1, "an event is a JSON object"),
    ("no-kind", json.dumps({"t": 1.0, "node": 1}), 1, "no kind"),
    ("t-nan", '{"kind": "cluster_stopped", "t": NaN}', 1, "t must be a finite number of seconds >= 0 (got nan)"),
    ("t-infinite", '{"kind": "cluster_stopped", "t": Infinity}', 1, "(got inf)"),
    ("t-negative", GOOD + '\n{"kind": "cluster_stopped", "t": -1}', 2, "(got -1)"),
    ("not-json", GOOD + "\n\nnot json", 3, "not JSON"),
    ("missing-field", json.dumps({"kind": "node_killed", "t": 1.0, "node": 1}), 1, "field pid is missing"),
    ("metrics-by-name", json.dumps({"kind": "metrics_sample", "t": 1.0, "nodes": {"x": {}}}), 1,
     "a metrics_sample event that cannot be replayed"),
    ("block-list-of-numbers", json.dumps({"kind": "put_started", "t": 1.0, "file": "f", "size": 2, "blocks": 1,
                                          "block_list": [1, 2]}), 1, "a put_started event that cannot be replayed"),
    ("zero-nodes", json.dumps({"kind": "cluster_started", "t": 0.0, "nodes": 0, "replication": 1, "block_size": 1,
                               "heartbeat": 0.5, "dead_after": 2.0, "data_dir": "/x"}), 1, "nodes must be at least 1"),
    ("deep-nesting", "[" * 100000, 1, "not JSON"),
    # beyond engine.values.MAX_SECONDS: no replay clock, slider or timer reaches that far
    ("t-beyond-max", GOOD + "\n" + json.dumps({"kind": "cluster_stopped", "t": 1e12}), 2,
     "cluster_stopped: t must be at most 1000000 s (got 1000000000000)"),
    ("t-beyond-max-log", json.dumps({"kind": "log_message", "t": 1000000.5, "node": 1, "level": "INFO",
                                     "logger": "x", "message": "late"}), 1, "t must be at most 1000000 s"),
]


def run_replay(path, *extra, timeout=60):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "replay", str(path), *extra],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


@pytest.mark.parametrize("content,line,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_recording_is_one_line_and_exit_2(tmp_path, content, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    shot = tmp_path / "shot.png"
    # --screenshot: if the file were wrongly accepted, the window renders and exits, not hangs
    out = run_replay(path, "--screenshot", str(shot))
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    where = f"{path} line {line}: " if line else f"{path}: "
    assert lines[0].startswith(f"clusterscope: error: {where}"), lines[0]
    assert message in lines[0], lines[0]
    assert not shot.exists() and out.stdout == ""


def test_without_a_screenshot_too(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    out = run_replay(path, "--paused", timeout=30)
    assert out.returncode == 2 and out.stderr.strip() == f"clusterscope: error: {path}: no events, so nothing to " \
                                                         "replay (a recording has one event per line)"


def test_a_sidecar_with_wrong_types_is_ignored_with_a_warning(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(GOOD + "\n")
    (tmp_path / "r.jsonl.verdicts.json").write_text(json.dumps(
        {"format": "clusterscope-recording", "version": 1, "events": 1, "duration": 0.5, "time_scale": "fast",
         "verdicts": {}}))
    shot = tmp_path / "shot.png"
    out = run_replay(path, "--screenshot", str(shot))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    assert "warning: " in out.stderr and "time_scale must be a number >= 0 (got 'fast')" in out.stderr
    assert shot.stat().st_size > 0


def test_t_may_go_backwards(tmp_path, qtbot):
    """A log record can arrive after a later event: decreasing t is a recording, not an error."""
    from gui.replay import load_recording
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({**NODE_KILLED, "t": 2.0}) + "\n" + json.dumps(
        {"kind": "log_message", "t": 1.5, "node": 1, "level": "INFO", "logger": "x", "message": "late"}) + "\n")
    events, _, warnings = load_recording(str(path))
    assert [e.t for e in events] == [2.0, 1.5] and warnings == []


# -- paths that are not a recording file: refused at once, never read forever ---------------

def _named_pipe(tmp_path):
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    return path


def _folder(tmp_path):
    path = tmp_path / "folder.jsonl"
    path.mkdir()
    return path


def _too_large(tmp_path):
    from engine.recording import MAX_RECORDING_BYTES
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as f:
        f.truncate(MAX_RECORDING_BYTES + 1)  # sparse: costs no disk
    return path


NOT_FILES = [
    ("named-pipe", _named_pipe, "not a regular file"),
    ("device", lambda tmp_path: "/dev/zero", "not a regular file"),
    ("folder", _folder, "it is a folder"),
    ("too-large", _too_large, "larger than"),
]


@pytest.mark.parametrize("make,message", [c[1:] for c in NOT_FILES], ids=[c[0] for c in NOT_FILES])
def test_a_path_that_is_not_a_recording_file_is_one_line_and_exit_2(tmp_path, make, message):
    path = make(tmp_path)
    shot = tmp_path / "shot.png"
    out = run_replay(path, "--screenshot", str(shot), timeout=30)
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert lines[0].startswith(f"clusterscope: error: cannot read {path}: "), lines[0]
    assert message in lines[0], lines[0]
    assert not shot.exists()


def _sidecar_pipe(path):
    os.mkfifo(path)


def _sidecar_nested(path):
    path.write_text("[" * 100000)


@pytest.mark.parametrize("make,reason", [(_sidecar_pipe, "not a regular file"), (_sidecar_nested, "")],
                         ids=["named-pipe", "deep-nesting"])
def test_a_sidecar_that_cannot_be_read_is_ignored_with_a_warning(tmp_path, make, reason):
    path = tmp_path / "r.jsonl"
    path.write_text(GOOD + "\n")
    make(tmp_path / "r.jsonl.verdicts.json")
    shot = tmp_path / "shot.png"
    out = run_replay(path, "--screenshot", str(shot), timeout=30)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    warnings = [line for line in out.stderr.splitlines() if "warning: " in line]
    assert len(warnings) == 1 and "r.jsonl.verdicts.json: ignored (" in warnings[0], out.stderr[-2000:]
    assert reason in warnings[0]
    assert shot.stat().st_size > 0
