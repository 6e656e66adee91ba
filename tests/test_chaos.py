"""A seeded chaos suite: many short trials mixing kills, pauses, restarts and corruption.

With fewer than R replicas of any block failed at once, every verdict must be exact and no
block lost. Trials where every holder of a block dies must be incomplete, naming the block,
never wrong. Each trial is a real cluster of processes."""

import random
import tempfile

import pytest

from experiments.runner import prepare_data, references, run_trial
from engine.scenario import parse_scenario

TRIALS = 50
CLUSTER = {"nodes": 5, "replication": 3, "block_size": "64KiB", "heartbeat": 0.1, "dead_after": 0.5,
           "disk_mbps": 2.0}


def chaos_faults(rng: random.Random) -> list[dict]:
    """One to three faults touching at most two nodes, so every block keeps a good replica."""
    a, b = rng.sample(range(CLUSTER["nodes"]), 2)
    t = lambda: round(rng.uniform(0.0, 0.25), 3)  # noqa: E731
    mode = rng.choice(["kill", "pause", "restart", "corrupt", "kill+corrupt", "pause+kill"])
    if mode == "kill":
        return [{"at": t(), "action": "kill", "node": a}]
    if mode == "pause":
        return [{"at": t(), "action": "pause", "node": a, "duration": round(rng.uniform(0.1, 1.0), 2)}]
    if mode == "restart":
        return [{"at": t(), "action": "restart", "node": a}]
    if mode == "corrupt":
        return [{"at": 0.0, "action": "corrupt", "node": a} for _ in range(rng.randint(1, 3))]
    if mode == "kill+corrupt":
        return [{"at": t(), "action": "kill", "node": a}, {"at": 0.0, "action": "corrupt", "node": b}]
    return [{"at": t(), "action": "pause", "node": a, "duration": 0.8}, {"at": t(), "action": "kill", "node": b}]


def scenario(faults, seed, disk=CLUSTER["disk_mbps"]):
    return parse_scenario({
        "name": "chaos", "seed": seed, "cluster": {**CLUSTER, "disk_mbps": disk},
        "data": {"generate": "1MiB", "seed": 3},
        "jobs": [{"kind": "count", "word": "the"}],
        "faults": faults,
    })


@pytest.fixture(scope="module")
def data_dir():
    with tempfile.TemporaryDirectory(prefix="chaos-") as d:
        yield d


@pytest.mark.timeout(600)
def test_chaos_trials_are_all_exact(data_dir):
    rng = random.Random(2026)
    modes = []
    refs = None  # every trial counts the same word in the same data
    for trial in range(TRIALS):
        s = scenario(chaos_faults(rng), seed=100 + trial)
        path = prepare_data(s, data_dir)
        refs = refs or references(s, path)
        run = run_trial(s, 0, path, refs, timeout=60)
        modes.append(tuple(f.action for f in s.faults))
        assert run.fault_errors == [], (trial, s.faults, run.fault_errors)
        assert run.verdict == "exact", (trial, s.faults, run.jobs)
        assert run.blocks_lost == [] and run.recovered, (trial, s.faults)
    assert len(set(modes)) >= 5  # the suite really mixes fault kinds


@pytest.mark.timeout(300)
@pytest.mark.parametrize("seed", range(4))
def test_losing_every_holder_is_incomplete_never_wrong(data_dir, seed):
    # Slow disks, so no task of the doomed block can finish before its holders die.
    s = scenario([{"at": 0.0, "action": "kill_block_holders"}], seed=200 + seed, disk=0.4)
    path = prepare_data(s, data_dir)
    run = run_trial(s, 0, path, references(s, path), timeout=60)
    [applied] = run.faults_applied
    assert run.verdict == "incomplete"
    assert applied["block"] in run.jobs[0]["missing_blocks"]
    assert applied["block"] in run.blocks_lost
