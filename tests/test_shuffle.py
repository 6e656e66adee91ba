"""The MapReduce rules on the pure coordinator, over seeded random interleavings of every
message with node deaths, false deaths and restarts: the result is exact, or incomplete and
exactly the answer over the blocks it names as read; never wrong, never a lost partition."""

import random

import pytest

from engine.jobs import JobSpec
from simulated import SimCluster

WORDS = ["data", "node", "block", "the", "of", "café", "straße", "数据", "replica", "map", "reduce",
         "a", "disk", "fail", "copy", "Ω", "x_1", "naïve"]


def text(seed: int, words: int = 900) -> bytes:
    rng = random.Random(seed)
    out = []
    for i in range(words):
        out.append(rng.choice(WORDS[: rng.randint(3, len(WORDS))]))
        out.append("\n" if i % 11 == 10 else " ")
    return "".join(out).encode("utf-8")


def run_job(sim, spec, chaos=None):
    job = sim.submit(spec)
    sim.run_until(lambda: job.result is not None, chaos=chaos)
    return job


@pytest.mark.parametrize("seed", range(40))
def test_wordcount_is_exact_in_any_message_order(seed):
    sim = SimCluster(text(seed), nodes=4, r=2, block_size=300, seed=seed)
    job = run_job(sim, JobSpec("wordcount", "f", top=8))
    assert sim.verdict(job).verdict == "exact", job.result
    assert job.result.reduce_tasks == 4 and job.result.non_local == 0


@pytest.mark.parametrize("seed", range(60))
def test_a_node_killed_at_any_moment_leaves_wordcount_exact(seed):
    sim = SimCluster(text(seed), nodes=4, r=2, block_size=300, seed=seed)
    rng = random.Random(seed)
    victim, at = rng.randrange(4), rng.randrange(5, 400)

    def chaos(s, i):
        if i == at:
            s.kill(victim)
        if i == at + 3:
            s.declare_dead_now(victim)
    job = run_job(sim, JobSpec("wordcount", "f", top=8), chaos)
    v = sim.verdict(job)
    assert v.verdict == "exact", (v, job.result)


@pytest.mark.parametrize("seed", range(40))
def test_false_deaths_never_lose_a_reduce(seed):
    # The eager detector of a loaded machine: nodes declared dead while alive, again and
    # again (more often than max_attempts), each heard from again before the next. Not the
    # tasks' fault: no partition may be dropped, and with R = 2 no block goes missing.
    sim = SimCluster(text(seed), nodes=3, r=2, block_size=250, seed=seed)
    rng = random.Random(1000 + seed)
    flaps = sorted(rng.sample(range(5, 600), 12))

    def chaos(s, i):
        if i in flaps and all(n.state != "dead" for n in s.c.nodes.values()):
            s.flap(rng.randrange(3))
    job = run_job(sim, JobSpec("wordcount", "f", top=8), chaos)
    assert job.result.status == "ok" and job.result.missing_blocks == []
    assert sim.verdict(job).verdict == "exact"


@pytest.mark.parametrize("seed", range(40))
def test_overlapping_false_deaths_are_exact_or_incomplete_never_wrong(seed):
    # Two holders of a block declared dead at once: the block is unreadable then, and the
    # job may say so; whatever it says must be exactly true.
    sim = SimCluster(text(seed), nodes=3, r=2, block_size=250, seed=seed)
    rng = random.Random(2000 + seed)
    flaps = sorted(rng.sample(range(5, 600), 15))

    def chaos(s, i):
        if i in flaps:
            s.flap(rng.randrange(3))
    job = run_job(sim, JobSpec("wordcount", "f", top=8), chaos)
    assert sim.verdict(job).verdict in ("exact", "incomplete"), job.result
    assert all(b.reason.startswith("no live replica (node ") and "declared dead" in b.reason
               for b in job.result.missing)


@pytest.mark.parametrize("seed", range(60))
def test_losing_the_only_replica_mid_shuffle_is_incomplete_and_exact_over_the_rest(seed):
    # R = 1: a mapper's death loses its blocks for good, possibly after some reduces merged
    # their output and before others did. The result must cover exactly the blocks it says.
    sim = SimCluster(text(seed, 1200), nodes=3, r=1, block_size=250, seed=seed)
    rng = random.Random(seed)
    victim, at = rng.randrange(3), rng.randrange(5, 500)

    def chaos(s, i):
        if i == at:
            s.kill(victim)
            s.declare_dead_now(victim)
    job = run_job(sim, JobSpec("wordcount", "f", top=10), chaos)
    v = sim.verdict(job)
    assert v.verdict in ("exact", "incomplete"), (v, job.result)
    r = job.result
    assert r.status == ("ok" if not r.missing else "incomplete")
    assert all(b.length > 0 and b.reason for b in r.missing)
    assert r.covered_bytes + sum(b.length for b in r.missing) == r.total_bytes == len(sim.data)


@pytest.mark.parametrize("seed", range(30))
def test_count_with_kills_and_flaps_is_exact_or_names_what_it_lost(seed):
    sim = SimCluster(text(seed), nodes=4, r=2, block_size=200, seed=seed)
    rng = random.Random(seed)
    plan = {rng.randrange(2, 200): ("kill", rng.randrange(4)), rng.randrange(2, 200): ("flap", rng.randrange(4)),
            rng.randrange(2, 200): ("kill", rng.randrange(4))}

    def chaos(s, i):
        if i in plan:
            what, node = plan[i]
            if what == "kill":
                s.kill(node)
                s.declare_dead_now(node)
            elif s.nodes[node].alive:
                s.flap(node)
    job = run_job(sim, JobSpec("count", "f", word="data"), chaos)
    assert sim.verdict(job).verdict in ("exact", "incomplete")


def test_lost_map_outputs_are_re_executed_not_reported_missing():
    # Every map done, the reduces not yet fed: the mapper holding most outputs dies. Its
    # blocks have other replicas, so its maps run again and nothing is missing.
    sim = SimCluster(text(3), nodes=4, r=2, block_size=300, seed=3)
    job = sim.submit(JobSpec("wordcount", "f", top=8))
    sim.run_until(lambda: job.phase == "reduce")
    holders = {}
    for t in job.maps:
        holders[t.output_node] = holders.get(t.output_node, 0) + 1
    victim = max(holders, key=holders.get)
    sim.kill(victim)
    sim.declare_dead_now(victim)
    sim.run_until(lambda: job.result is not None)
    assert job.result.status == "ok" and job.result.reexecuted >= 1
    assert sim.verdict(job).verdict == "exact"
    assert any(e.kind == "map_output_lost" for e in sim.events)


@pytest.mark.parametrize("seed", range(30))
def test_reduces_waiting_for_inputs_never_starve_the_maps_that_make_them(seed):
    # One slot per node, every slot taken by a reduce when a mapper dies: its maps must still
    # find a slot to run again (reduces have slots of their own), or the job waits forever.
    sim = SimCluster(text(seed), nodes=3, r=2, block_size=300, seed=seed, slots=1)
    job = sim.submit(JobSpec("wordcount", "f", top=8))
    sim.run_until(lambda: job.phase == "reduce" and all(t.running for t in job.reduces))
    victim = job.maps[0].output_node
    sim.kill(victim)
    sim.declare_dead_now(victim)
    sim.run_until(lambda: job.result is not None)
    assert sim.verdict(job).verdict == "exact"


@pytest.mark.parametrize("seed", range(20))
def test_every_node_lost_ends_the_job_at_once_with_nothing_covered(seed):
    sim = SimCluster(text(seed), nodes=3, r=2, block_size=300, seed=seed)
    job = sim.submit(JobSpec("wordcount", "f", top=8))
    rng = random.Random(seed)
    sim.run_until(lambda: job.phase == "reduce" or rng.random() < 0.01)
    for n in range(3):
        sim.kill(n)
        sim.declare_dead_now(n)
    sim.run_until(lambda: job.result is not None, limit=2000)
    r = job.result
    assert r.status == "incomplete" and r.top == [] and r.covered_bytes == 0
    assert sim.verdict(job).verdict == "incomplete"
