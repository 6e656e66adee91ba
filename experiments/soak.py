"""A seeded soak: many randomised trials that attack the promise, each judged independently.

``scripts/soak N [--seed S] [--out FILE]`` (``python -m experiments.soak``) runs N trials. Each
trial draws, from its own seed: a cluster shape (2 to 8 nodes, R from 1 to the node count,
block size, disk speed, an eager or a calm failure detector), an input (a seeded corpus of
256 KiB to 32 MiB), a job (count or wordcount) and faults fired on the run's own events: during
the put, after the job starts, or once the reduces run; kills, pauses, false deaths (a pause
just past ``dead_after``), restarts, corrupted replicas, slow disks, every holder of a block
killed. Some trials run with CPU-bound processes competing for the cores, some run two
clusters at once (and some of those on one data folder, where the second must be refused).

Every result is judged against a one-process reference over the same bytes: exact, or
incomplete and exactly the answer over the bytes it says it read, or an honest refusal or
failure with one line. ``wrong`` (a number that is not the truth) and ``unsettled`` (a wait
that never ended) must stay at zero; the exit status is 1 if either happens.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

from engine.backend import open_backend
from engine.config import ClusterConfig
from engine.corpus import write_corpus
from engine.errors import ClusterScopeError, UsageError
from engine.faults import FaultAction, FaultStep, Trigger
from engine.model import JobSpec
from engine.run import Phase, Run, RunPlan
from engine.tempfiles import temp_folder
from engine.verdict import reference_for

KIB, MIB = 1024, 1024 * 1024
CLASSES = ("exact", "incomplete", "refused", "failed", "wrong", "unsettled", "error")
BAD = ("wrong", "unsettled", "error")
JOB_TIMEOUT = 180.0
FAULT_WAIT = 30.0
SETTLE_TIMEOUT = 90.0


@dataclass
class FaultPlan:
    trigger: str  # "put" | "job" | "reduce": which moment of the run the delay counts from
    delay: float
    action: str  # kill | pause | flap | restart | corrupt | slow_disk | kill_holders
    node: int | None = None
    duration: float | None = None

    def label(self) -> str:
        where = f" {self.node}" if self.node is not None else ""
        return f"{self.action}{where}@{self.trigger}+{self.delay:.2f}"


@dataclass
class TrialPlan:
    trial: int
    seed: int
    kind: str
    word: str | None
    nodes: int
    replication: int
    block_size: int
    size: int
    heartbeat: float
    dead_after: float
    disk_mbps: float | None
    faults: list = field(default_factory=list)
    burners: int = 0
    pair: str = ""  # "" | "concurrent" | "shared-folder"

    def label(self) -> str:
        faults = ", ".join(f.label() for f in self.faults) or "no faults"
        disk = f", disks {self.disk_mbps:g} MB/s" if self.disk_mbps else ""
        load = f", {self.burners} CPU burners" if self.burners else ""
        pair = f", {self.pair}" if self.pair else ""
        return (f"{self.kind} {self.size / MIB:.2f} MiB, {self.nodes} nodes R={self.replication}, blocks "
                f"{self.block_size // KIB} KiB, hb {self.heartbeat:g}/{self.dead_after:g} s{disk}{load}{pair}; "
                f"{faults}")


@dataclass
class TrialOutcome:
    trial: int
    seed: int
    verdict: str
    detail: str
    seconds: float
    label: str


def plan_trial(trial: int, seed: int) -> TrialPlan:
    rng = random.Random(seed)
    nodes = rng.randint(2, 8)
    replication = rng.randint(1, min(3, nodes))
    eager = rng.random() < 0.25
    heartbeat = rng.choice([0.05, 0.1]) if eager else rng.choice([0.1, 0.2, 0.5])
    dead_after = round(heartbeat * rng.uniform(2.4, 5.0), 3)
    size = rng.choice([256 * KIB, 1 * MIB, 2 * MIB, 4 * MIB, 8 * MIB] * 4 + [32 * MIB])
    block_size = rng.choice([16 * KIB, 64 * KIB, 256 * KIB, 1 * MIB])
    block_size = max(block_size, size // 2000)
    disk = rng.choice([None, None, 2.0, 8.0, 32.0])
    kind = rng.choice(["count", "wordcount"])
    plan = TrialPlan(trial, seed, kind, rng.choice(["data", "the", "café", "node"]) if kind == "count" else None,
                     nodes, replication, block_size, size, heartbeat, dead_after, disk)
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        trigger = rng.choice(["put", "job", "job", "reduce"] if kind == "wordcount" else ["put", "job", "job"])
        action = rng.choice(["kill", "kill", "pause", "flap", "restart", "corrupt", "slow_disk", "kill_holders"])
        fault = FaultPlan(trigger, round(rng.uniform(0.0, 0.6), 3), action,
                          None if action == "kill_holders" else rng.randrange(nodes))
        if action == "pause":
            fault.duration = round(rng.uniform(0.1, 2.0), 2)
        elif action == "flap":
            fault.duration = round(dead_after * rng.uniform(1.2, 2.0) + heartbeat, 3)
        elif action == "slow_disk":
            fault.duration = round(rng.uniform(0.2, 1.5), 2)
        plan.faults.append(fault)
    plan.burners = rng.choice([0, 0, 0, 1, 2])
    plan.pair = rng.choice([""] * 8 + ["concurrent", "shared-folder"])
    return plan


class Burners:
    """CPU-bound processes competing for the cores, gone with the soak (even if it is killed)."""

    def __init__(self, count: int):
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], preexec_fn=_die_with_parent,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for _ in range(count)]

    def stop(self) -> None:
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


_ACTIONS = {"kill": FaultAction.KILL, "pause": FaultAction.PAUSE, "flap": FaultAction.PAUSE,
            "restart": FaultAction.RESTART, "corrupt": FaultAction.CORRUPT, "slow_disk": FaultAction.SLOW_DISK,
            "kill_holders": FaultAction.KILL_BLOCK_HOLDERS}
SLOW_MBPS = 0.5


def fault_steps(faults) -> list[FaultStep]:
    """A trial's faults as run-layer steps, each timed from its own moment of the run."""
    return [FaultStep(_ACTIONS[f.action], at_s=f.delay, node=f.node, duration=f.duration,
                      mbps=SLOW_MBPS if f.action == "slow_disk" else None, trigger=Trigger(f.trigger),
                      label=f.label())
            for f in faults]


def run_one(plan: TrialPlan, path: str, data_dir: str | None = None) -> tuple[str, str]:
    """(verdict class, detail) of one cluster run of ``plan`` over the file at ``path``."""
    config = ClusterConfig(nodes=plan.nodes, replication=plan.replication, block_size=plan.block_size,
                           heartbeat=plan.heartbeat, dead_after=plan.dead_after, disk_mbps=plan.disk_mbps,
                           seed=plan.seed, data_dir=data_dir)
    cluster = open_backend("local", config)
    spec = JobSpec(plan.kind, "", word=plan.word, top=20)
    run_plan = RunPlan(path, jobs=(spec,), faults=tuple(fault_steps(plan.faults)),
                       timeout=2 * JOB_TIMEOUT + FAULT_WAIT + SETTLE_TIMEOUT, fault_wait=FAULT_WAIT,
                       settle_timeout=SETTLE_TIMEOUT, judge=True, references=(_reference(path, plan),),
                       tolerate=(UsageError,))  # a random fault that no longer applies is fine here
    run = Run(cluster, run_plan, own_backend=False)
    try:
        try:
            cluster.start()
            outcome = run.execute()
        except UsageError as exc:
            if run.phase in (Phase.STARTING, Phase.STORING):
                return "refused", str(exc)
            raise
        except ClusterScopeError as exc:
            if run.phase in (Phase.STARTING, Phase.STORING):  # a put that could not be done, said in one line
                return "failed", str(exc)
            raise
        if not outcome.settlement.settled:
            return "unsettled", "still " + "; ".join(outcome.settlement.waiting_for)
        verdict = outcome.jobs[0].verdict
        snap = cluster.snapshot()
        lost = {b for b, info in snap.blocks.items() if not info.live}
        if set(snap.health.missing_blocks) != lost & set(b for ids in snap.files.values() for b in ids):
            return "wrong", f"health says {snap.health.missing_blocks} missing, the block map {sorted(lost)}"
        return verdict.verdict, verdict.detail
    except ClusterScopeError as exc:
        return "error", str(exc)
    finally:
        cluster.stop()


_references: dict = {}
_references_lock = threading.Lock()


def _reference(path: str, plan: TrialPlan):
    key = (path, plan.kind, plan.word)
    with _references_lock:
        if key not in _references:
            _references[key] = reference_for(path, plan.kind, plan.word, False, 20)
        return _references[key]


def run_trial(plan: TrialPlan, work: str) -> TrialOutcome:
    started = time.monotonic()
    path = os.path.join(work, f"corpus-{plan.size}-{plan.seed % 7}.txt")
    if not os.path.exists(path):
        write_corpus(path, plan.size, seed=plan.seed % 7)
    burners = Burners(plan.burners)
    try:
        if not plan.pair:
            verdict, detail = run_one(plan, path)
        else:
            shared = os.path.join(work, f"shared-{plan.trial}") if plan.pair == "shared-folder" else None
            outcomes: list = [None, None]

            def go(i, data_dir, delay):
                time.sleep(delay)  # the second cluster starts a moment after the first
                outcomes[i] = run_one(plan, path, data_dir)
            threads = [threading.Thread(target=go, args=(0, shared, 0.0)),
                       threading.Thread(target=go, args=(1, shared, 0.3))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            verdict, detail = _worse(outcomes)
    finally:
        burners.stop()
    return TrialOutcome(plan.trial, plan.seed, verdict, detail, round(time.monotonic() - started, 2), plan.label())


def _worse(outcomes) -> tuple[str, str]:
    """Of two concurrent runs, the one to report: any bad class first."""
    for cls in BAD + ("failed", "incomplete", "refused", "exact"):
        for verdict, detail in outcomes:
            if verdict == cls:
                return verdict, detail
    return outcomes[0]


def soak(n: int, seed: int = 1, stream=None, out: str | None = None) -> dict:
    stream = stream or sys.stdout
    counts = {c: 0 for c in CLASSES}
    outcomes = []
    started = time.monotonic()
    with temp_folder("clusterscope-soak-") as work:
        for i in range(n):
            plan = plan_trial(i, seed * 100000 + i)
            try:
                outcome = run_trial(plan, work)
            except Exception as exc:  # a crash of the harness is a finding too
                outcome = TrialOutcome(i, plan.seed, "error", f"{type(exc).__name__}: {exc}", 0.0, plan.label())
            counts[outcome.verdict] += 1
            outcomes.append(outcome)
            print(f"trial {i + 1}/{n} seed {plan.seed}: {outcome.verdict} ({outcome.seconds:.1f} s) - "
                  f"{outcome.label}" + (f"\n    {outcome.detail}" if outcome.verdict != "exact" else ""),
                  file=stream, flush=True)
    summary = {"trials": n, "seed": seed, "seconds": round(time.monotonic() - started, 1), "verdicts": counts,
               "bad": [asdict(o) for o in outcomes if o.verdict in BAD]}
    print("verdicts: " + ", ".join(f"{counts[c]} {c}" for c in CLASSES), file=stream, flush=True)
    if out:
        with open(out, "w") as f:
            json.dump({**summary, "outcomes": [asdict(o) for o in outcomes]}, f, indent=1)
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("trials", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=None, help="write every outcome to this JSON file")
    args = parser.parse_args(argv)
    if args.trials < 1:
        print("soak: error: trials must be at least 1", file=sys.stderr)
        return 2
    summary = soak(args.trials, args.seed, out=args.out)
    return 1 if any(summary["verdicts"][c] for c in BAD) else 0


if __name__ == "__main__":
    sys.exit(main())
