"""The run layer: one fault scheduler, the measures of a run, and a whole run on real processes."""

import random
import threading
import time

import pytest

from engine import events as ev
from engine import measures
from engine.backend import open_backend
from engine.config import ClusterConfig
from engine.errors import UsageError
from engine.faults import FaultAction, FaultScheduler, FaultStep, Trigger
from engine.model import JobSpec
from engine.run import Phase, Run, RunPlan, RunTimedOut


class Recorder:
    """A stand-in backend that records the calls a scheduler makes, with their times."""

    def __init__(self, nodes=4, fail_on=()):
        self.config = ClusterConfig(nodes=nodes)
        self.calls = []
        self.fail_on = set(fail_on)
        self.lock = threading.Lock()
        self.subscribers = []

    def subscribe(self, callback):
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)

    def _call(self, name, *args):
        with self.lock:
            self.calls.append((name, args, time.monotonic()))
        if name in self.fail_on:
            raise UsageError(f"cannot {name} node {args[0]}")

    def kill_node(self, node):
        self._call("kill", node)

    def pause_node(self, node):
        self._call("pause", node)

    def resume_node(self, node):
        self._call("resume", node)

    def set_disk_speed(self, node, mbps):
        self._call("disk", node, mbps)


def test_steps_fire_in_time_order_after_their_trigger_and_undo_after_their_duration():
    backend = Recorder()
    steps = [FaultStep("kill", at_s=0.2, node=1), FaultStep("pause", at_s=0.05, node=2, duration=0.1),
             FaultStep("slow_disk", at_s=0.0, node=3, mbps=2.0, duration=0.05)]
    faults = FaultScheduler(backend, steps)
    t0 = time.monotonic()
    faults.arm(Trigger.JOB, t0)
    assert faults.join(5.0)
    names = [(name, args) for name, args, _ in backend.calls]
    assert names == [("disk", (3, 2.0)), ("pause", (2,)), ("disk", (3, None)), ("resume", (2,)), ("kill", (1,))]
    at = {name + str(args): t - t0 for name, args, t in backend.calls}
    assert at["kill(1,)"] >= 0.2 and at["resume(2,)"] >= 0.15
    assert [a.action for a in faults.applied] == ["slow_disk", "pause", "kill"]
    assert faults.unfired() == [] and faults.errors == []


def test_a_step_that_cannot_apply_is_recorded_with_its_label_unless_tolerated():
    step = FaultStep(FaultAction.PAUSE, at_s=0.0, node=0, label="faults[1] (pause node 0 at 0 s)")
    faults = FaultScheduler(Recorder(fail_on={"pause"}), [step])
    faults.arm(Trigger.JOB)
    assert faults.join(5.0)
    assert [str(e) for e in faults.errors] == ["faults[1] (pause node 0 at 0 s) did not apply: cannot pause node 0"]
    tolerant = FaultScheduler(Recorder(fail_on={"pause"}), [step], tolerate=(UsageError,))
    tolerant.arm(Trigger.JOB)
    assert tolerant.join(5.0) and tolerant.errors == []


def test_steps_of_a_trigger_that_never_came_are_unfired_and_not_waited_for():
    backend = Recorder()
    steps = [FaultStep("kill", at_s=0.0, node=1, trigger=Trigger.REDUCE), FaultStep("kill", at_s=0.0, node=2)]
    faults = FaultScheduler(backend, steps).watch()
    for callback in list(backend.subscribers):
        callback(ev.JobStarted(t=1.0, job=0, job_kind="count", file="f", word="x", ignore_case=False, top=None, tasks=3))
    assert faults.join(5.0)
    assert [args for _, args, _ in backend.calls] == [(2,)]
    assert [s.node for s in faults.unfired()] == [1]


def test_a_step_whose_time_is_not_reached_is_pending_and_cancel_drops_it():
    faults = FaultScheduler(Recorder(), [FaultStep("kill", at_s=30.0, node=1, trigger=Trigger.NOW, label="--kill 1@30")])
    faults.arm(Trigger.NOW)
    assert not faults.join(0.1)
    assert faults.pending_labels() == ["--kill 1@30"] and 29 < faults.pending_for() <= 30
    faults.cancel()
    assert [s.label for s in faults.unfired()] == ["--kill 1@30"]


def test_random_kills_are_drawn_from_the_seed_and_kill_each_node_at_most_once():
    def draw(seed):
        backend = Recorder(nodes=6)
        faults = FaultScheduler(backend, [FaultStep("random_kills", at_s=0.0, rate=200.0, count=4, until=1.0)],
                                random.Random(seed))
        faults.arm(Trigger.JOB)
        assert faults.join(5.0)
        return [args[0] for _, args, _ in backend.calls]
    first = draw(7)
    assert first == draw(7) and len(first) == len(set(first)) <= 4 and first
    assert any(draw(seed) != first for seed in range(8, 14))


def _events():
    return [ev.JobStarted(t=1.0, job=0, job_kind="count", file="f", word="x", ignore_case=False, top=None, tasks=3),
            ev.NodeDeclaredDead(t=1.5, node=2, silent_s=0.2, lost_replicas=1),  # false: before its kill
            ev.NodeRejoined(t=1.7, node=2, pid=9, blocks=1, accepted=1),
            ev.NodeKilled(t=2.0, node=2, pid=9),
            ev.NodeDeclaredDead(t=3.25, node=2, silent_s=1.2, lost_replicas=4),
            ev.HealthChanged(t=3.3, blocks=8, under_replicated=4, missing=0, live_nodes=3, dead_nodes=1),
            ev.HealthChanged(t=4.0, blocks=8, under_replicated=0, missing=0, live_nodes=3, dead_nodes=1)]


def test_measures_time_detection_from_the_kill_and_restore_from_the_death():
    events = _events()
    [kill] = measures.failure_timings(events, job_t=1.0)
    assert (kill.node, kill.action, kill.at_s, kill.declared_dead_at_s, kill.detection_s) == (2, "kill", 1.0, 2.25, 1.25)
    assert measures.kill_times(events, [2, 3], 1.0) == [
        {"node": 2, "killed_at_s": 1.0, "declared_dead_at_s": 2.25},
        {"node": 3, "killed_at_s": None, "declared_dead_at_s": None}]
    assert measures.restore_s(events) == 0.75 and measures.restored_at_s(events, 1.0) == 3.0
    assert measures.restore_s(events[:-1]) is None
    assert measures.liveness(events).declared_dead == 2 and measures.liveness(events).rejoined == 1
    assert measures.slowdown(3.0, 2.0) == 1.5 and measures.slowdown(3.0, None) is None
    assert measures.job_started_at(events) == 1.0


FAST = ClusterConfig(nodes=4, replication=2, block_size=64 * 1024, heartbeat=0.1, dead_after=0.5)


def test_a_run_with_a_kill_is_exact_settled_and_measured(small_corpus):
    phases = []
    plan = RunPlan(small_corpus, jobs=(JobSpec("count", "", word="the"),),
                   faults=(FaultStep("kill", at_s=0.0, node=1, label="--kill 1@0"),), timeout=60, judge=True)
    outcome = Run(open_backend("local", FAST), plan, on_phase=lambda p, d: phases.append(p)).execute()
    assert outcome.verdict == "exact" and outcome.jobs[0].verdict.verdict == "exact"
    assert [a.node for a in outcome.applied] == [1] and outcome.unfired == [] and outcome.fault_errors == []
    [failure] = outcome.failures
    assert failure.node == 1 and failure.detection_s is not None and failure.detection_s <= 0.5 + 0.5
    assert outcome.settlement.settled and outcome.health.missing == 0
    assert phases[:3] == [Phase.STARTING, Phase.STORING, Phase.RUNNING] and phases[-1] == Phase.DONE


def test_a_fault_later_than_the_run_is_said_not_dropped(small_corpus):
    notices = []
    plan = RunPlan(small_corpus, jobs=(JobSpec("count", "", word="the"),),
                   faults=(FaultStep("kill", at_s=4.0, node=1, label="--kill 1@4"),), timeout=2.5)
    started = time.monotonic()
    outcome = Run(open_backend("local", FAST), plan, on_notice=notices.append).execute()
    assert time.monotonic() - started < 2.5 + 2.0
    assert [s.label for s in outcome.unfired] == ["--kill 1@4"] and outcome.applied == []
    assert notices and "--kill 1@4" in notices[0]


def test_the_run_timeout_names_its_phase(small_corpus):
    slow = FAST.with_changes(disk_mbps=0.05)
    plan = RunPlan(small_corpus, jobs=(JobSpec("count", "", word="the"),), timeout=1.5)
    with pytest.raises(RunTimedOut) as caught:
        Run(open_backend("local", slow), plan).execute()
    assert caught.value.phase in (Phase.STORING, Phase.RUNNING) and "1.5 s" in str(caught.value)
