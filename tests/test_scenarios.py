"""Scenario files: validation before anything starts, and every shipped scenario runs."""

import glob
import json
import os
import subprocess
import sys

import pytest

from experiments.experiment import run_experiment
from engine.scenario import ScenarioError, load_scenario
from support import ROOT

SCENARIOS = sorted(glob.glob(os.path.join(ROOT, "assets", "scenarios", "*.toml")))

BASE = """
name = "t"
[cluster]
nodes = 3
replication = 2
[data]
generate = "64KiB"
[[jobs]]
kind = "count"
word = "data"
"""


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("extra,message", [
    ("[[faults]]\nat = 1\naction = \"kill\"\nnode = 7\n", "node 7 does not exist"),
    ("[[faults]]\nat = -1\naction = \"kill\"\nnode = 0\n", "must not be negative"),
    ("[[faults]]\nat = 1\naction = \"explode\"\nnode = 0\n", "action must be one of"),
    ("[[faults]]\nat = 1\naction = \"kill\"\nnodee = 0\n", "unknown key faults[0].nodee"),
    ("[[faults]]\nat = 1\naction = \"slow_disk\"\nnode = 0\n", "needs mbps"),
    ("[[faults]]\naction = \"kill\"\nnode = 0\n", "at is missing"),
])
def test_fault_validation_errors(tmp_path, extra, message):
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")) as info:
        load_scenario(write(tmp_path, BASE + extra))
    assert str(info.value).startswith(str(tmp_path / "s.toml"))


def test_unknown_key_names_its_line(tmp_path):
    path = write(tmp_path, BASE.replace("nodes = 3", "nodes = 3\nreplicaton = 2"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert f"{path}:5:" in str(info.value) and "unknown key cluster.replicaton" in str(info.value)


@pytest.mark.parametrize("text,message", [
    (BASE.replace("replication = 2", "replication = 4"), "above the node count"),
    (BASE.replace('word = "data"', 'word = "two words"'), "not a single word"),
    (BASE.replace('generate = "64KiB"', 'generate = "12XB"'), "12XB"),
    (BASE + "[surprise]\n", "unknown key surprise"),
    ("name = [unclosed\n", "invalid TOML"),
    (BASE.replace('generate = "64KiB"', 'file = "nope.txt"'), "no such file"),
])
def test_scenario_validation_errors(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message):
        load_scenario(write(tmp_path, text))


def test_missing_scenario_file_is_one_line_exit_2(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment",
                          str(tmp_path / "none.toml"), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "no such scenario file" in out.stderr


def test_shipped_scenarios_parse():
    assert len(SCENARIOS) >= 6
    for path in SCENARIOS:
        scenario = load_scenario(path)
        assert scenario.jobs and scenario.trials >= 1


@pytest.mark.parametrize("path", SCENARIOS, ids=[os.path.basename(p) for p in SCENARIOS])
def test_every_shipped_scenario_runs(tmp_path, path):
    scenario = load_scenario(path)
    summary = run_experiment(scenario, str(tmp_path), trials=1, baseline=False, plots=False)
    verdicts = summary["aggregate"]["verdicts"]
    assert verdicts["wrong"] == 0
    trial = summary["per_trial"][0]
    assert trial["fault_errors"] == []
    if "lose-all" in path:
        [applied] = [f for f in trial["faults_applied"] if f["action"] == "kill_block_holders"]
        assert trial["verdict"] == "incomplete"
        assert applied["block"] in trial["jobs"][0]["missing_blocks"]
        assert applied["block"] in trial["blocks_lost"]
    else:
        assert trial["verdict"] == "exact" and trial["blocks_lost"] == []
    if "kill-mid-job" in path:
        [failure] = trial["failures"]
        assert failure["detection_s"] <= scenario.cluster.dead_after + scenario.cluster.heartbeat
        assert trial["restored_s"] is not None and trial["tasks_retried"] >= 1
    if "corrupt" in path:
        assert len(trial["faults_applied"]) == 3
    if "straggler-speculation" in path:
        assert trial["tasks_speculated"] >= 1
    if "no-speculation" in path:
        assert trial["tasks_speculated"] == 0


def test_experiment_command_writes_the_report(tmp_path):
    out_dir = tmp_path / "report"
    scenario = os.path.join(ROOT, "assets", "scenarios", "kill-mid-job.toml")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment", scenario,
                          "--out", str(out_dir), "--trials", "1"], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "1 exact" in out.stdout
    summary = json.loads((out_dir / "summary.json").read_text())
    trial = summary["per_trial"][0]
    assert trial["verdict"] == "exact" and trial["slowdown"] > 1.0
    assert trial["baseline_job_s"] > 0 and trial["detection_s"][0] > 0
    for name in ("events.jsonl", "metrics.csv", "throughput.png", "health.png", "tasks.png"):
        assert (out_dir / name).stat().st_size > 0, name
    runs = {json.loads(line)["run"] for line in (out_dir / "events.jsonl").read_text().splitlines()}
    assert runs == {"faulty", "baseline"}
    header = (out_dir / "metrics.csv").read_text().splitlines()[0]
    assert header.startswith("trial,run,t,node,state,read_MBps")
