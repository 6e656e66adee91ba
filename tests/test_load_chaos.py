"""Load and chaos beyond the gentle trials: CPU-starved nodes, kills while the reduces run,
false deaths, two clusters at once (and on one folder), a larger input. Real processes; each
result judged against a one-process reference. The nightly version is ``scripts/soak N``."""

import pytest

from experiments.soak import BAD, FaultPlan, TrialPlan, plan_trial, run_trial

KIB, MIB = 1024, 1024 * 1024


def plan(trial, kind, faults=(), **kw):
    base = dict(trial=trial, seed=7000 + trial, kind=kind, word="data" if kind == "count" else None, nodes=5,
                replication=2, block_size=64 * KIB, size=2 * MIB, heartbeat=0.2, dead_after=1.0, disk_mbps=None)
    base.update(kw)
    return TrialPlan(faults=list(faults), **base)


PLANS = [
    # A node killed once the reduces run: its map outputs are re-executed, the partition rerun.
    plan(0, "wordcount", [FaultPlan("reduce", 0.0, "kill", 1)], disk_mbps=8.0),
    plan(1, "wordcount", [FaultPlan("reduce", 0.05, "kill", 0), FaultPlan("reduce", 0.1, "kill", 3)],
         replication=3, disk_mbps=8.0),
    # CPU-bound processes competing with the cluster for both cores.
    plan(2, "wordcount", [FaultPlan("job", 0.1, "kill", 2)], burners=2, size=8 * MIB, block_size=256 * KIB),
    plan(3, "count", [FaultPlan("job", 0.05, "flap", 4, duration=1.4)], burners=2, disk_mbps=4.0),
    # An eager detector on a loaded machine: false deaths; exact or exactly incomplete.
    plan(4, "wordcount", [FaultPlan("job", 0.2, "kill", 1)], heartbeat=0.05, dead_after=0.15, burners=1),
    # During the put: a kill, a pause that outlives dead_after.
    plan(5, "count", [FaultPlan("put", 0.0, "kill", 3), FaultPlan("put", 0.05, "flap", 1, duration=1.3)],
         disk_mbps=4.0),
    # Every holder of one block killed: incomplete, naming it, never wrong.
    plan(6, "wordcount", [FaultPlan("job", 0.0, "kill_holders")], disk_mbps=2.0),
    # Two clusters at once; two on one folder (the second refused).
    plan(7, "wordcount", [FaultPlan("job", 0.1, "kill", 2)], pair="concurrent", disk_mbps=8.0),
    plan(8, "count", [FaultPlan("job", 0.1, "restart", 2)], pair="shared-folder", disk_mbps=8.0),
    # A larger input with corruption and a slow disk.
    plan(9, "count", [FaultPlan("job", 0.0, "corrupt", 1), FaultPlan("job", 0.0, "slow_disk", 2, duration=0.5)],
         size=32 * MIB, block_size=1 * MIB, nodes=6, replication=3),
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("trial", PLANS, ids=lambda p: f"{p.trial}-{p.kind}")
def test_hard_trials_are_never_wrong_and_always_settle(trial, tmp_path):
    outcome = run_trial(trial, str(tmp_path))
    assert outcome.verdict not in BAD, (outcome.verdict, outcome.detail, trial.label())
    if not any(f.action == "kill_holders" for f in trial.faults) and trial.heartbeat >= 0.2 \
            and trial.replication >= 2 and trial.pair != "shared-folder":
        assert outcome.verdict == "exact", (outcome.detail, trial.label())
    if trial.pair == "shared-folder":
        assert outcome.verdict == "refused" and "in use by another running cluster" in outcome.detail
    if any(f.action == "kill_holders" for f in trial.faults):
        assert outcome.verdict == "incomplete", outcome.detail


def test_soak_plans_are_seeded_and_varied():
    plans = [plan_trial(i, 100 + i) for i in range(200)]
    assert [p.label() for p in plans] == [plan_trial(i, 100 + i).label() for i in range(200)]
    triggers = {f.trigger for p in plans for f in p.faults}
    actions = {f.action for p in plans for f in p.faults}
    assert triggers == {"put", "job", "reduce"}
    assert actions == {"kill", "pause", "flap", "restart", "corrupt", "slow_disk", "kill_holders"}
    assert {p.pair for p in plans} == {"", "concurrent", "shared-folder"}
    assert any(p.burners for p in plans) and any(p.heartbeat <= 0.1 for p in plans)
    assert all(1 <= p.replication <= p.nodes for p in plans)
