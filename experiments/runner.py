"""Running a scenario's trials headless: the cluster, the data, the jobs, the fault timeline,
an independent verdict for every job, and the numbers a report needs."""

from __future__ import annotations

import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field

from engine.bus import EventLog
from engine.backend import ClusterBackend, open_backend
from engine.corpus import write_corpus
from engine.model import JobSpec
from engine.verdict import judge_file, reference_for

from .scenario import Fault, Scenario

RECOVERY_TIMEOUT = 60.0


@dataclass
class RunResult:
    """One run of one trial (the faulty run, or its fault-free baseline)."""
    trial: int
    kind: str  # "faulty" | "baseline"
    events: list
    jobs: list  # dicts: kind, status, count/top, missing_blocks, retried, speculated, job_s, verdict, detail
    failures: list = field(default_factory=list)  # dicts: node, action, at_s, declared_dead_at_s, detection_s
    restored_s: float | None = None
    blocks_lost: list = field(default_factory=list)
    recovered: bool = True  # settled: every fault played out, nothing more could be done
    remains: list = field(default_factory=list)  # what stayed as it was ("... stay at 2 of 3 ...")
    still: list = field(default_factory=list)  # what was still going on if it never settled
    fault_errors: list = field(default_factory=list)
    faults_applied: list = field(default_factory=list)  # what the timeline did, with chosen blocks

    @property
    def verdict(self) -> str:
        verdicts = [j["verdict"] for j in self.jobs]
        for verdict in ("wrong", "failed", "incomplete"):
            if verdict in verdicts:
                return verdict
        return "exact"


class Progress:
    """A one-line terminal progress bar on stderr (plain lines when not a terminal)."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, label: str) -> None:
        width = 24
        filled = int(width * self.done / max(1, self.total))
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.stream.write("\r" + line.ljust(78))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def advance(self, label: str) -> None:
        self.done += 1
        self.step(label)

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class FaultTimeline:
    """Applies a scenario's faults at their times (seconds after ``start``) on timer threads."""

    def __init__(self, cluster: ClusterBackend, faults, rng: random.Random, nodes: int):
        self.cluster = cluster
        self.faults = faults
        self.rng = rng
        self.nodes = nodes
        self.errors: list[str] = []
        self.applied: list[dict] = []
        self._timers: list[threading.Timer] = []
        self._lock = threading.Lock()

    def _later(self, delay: float, fn, *args) -> None:
        timer = threading.Timer(max(0.0, delay), self._guard, args=(fn, *args))
        timer.daemon = True
        with self._lock:
            self._timers.append(timer)
        timer.start()

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:  # reported in the summary, never lost
            self.errors.append(f"{getattr(fn, '__name__', fn)}{args}: {exc}")

    def start(self, t0: float) -> None:
        self.t0 = t0
        for fault in self.faults:
            if fault.action == "random_kills":
                self._plan_random_kills(fault)
            else:
                self._later(fault.at - (time.monotonic() - t0), self.apply, fault)

    def _plan_random_kills(self, fault: Fault) -> None:
        t = fault.at
        limit = fault.count or 1
        until = fault.until if fault.until is not None else fault.at + 10.0
        victims = list(range(self.nodes))
        self.rng.shuffle(victims)
        for node in victims[:limit]:
            t += self.rng.expovariate(fault.rate)
            if t > until:
                break
            self._later(t - (time.monotonic() - self.t0), self.apply, Fault(at=t, action="kill", node=node))

    def apply(self, fault: Fault) -> None:
        c = self.cluster
        at = round(time.monotonic() - self.t0, 4)
        record = {"action": fault.action, "node": fault.node, "at_s": at}
        if fault.action == "kill":
            c.kill_node(fault.node)
        elif fault.action == "pause":
            c.pause_node(fault.node)
            if fault.duration is not None:
                self._later(fault.duration, c.resume_node, fault.node)
        elif fault.action == "resume":
            c.resume_node(fault.node)
        elif fault.action == "restart":
            c.restart_node(fault.node)
        elif fault.action == "corrupt":
            record["block"] = c.corrupt_replica(fault.node, fault.block)
        elif fault.action == "slow_disk":
            c.set_disk_speed(fault.node, fault.mbps)
            if fault.duration is not None:
                self._later(fault.duration, c.set_disk_speed, fault.node, None)
        elif fault.action == "kill_block_holders":
            snap = c.snapshot()
            blocks = sorted(b for b, info in snap.blocks.items() if info.live)
            if fault.block is not None:
                block = fault.block
            else:
                block = blocks[self.rng.randrange(len(blocks))]
            record["block"] = block
            record["nodes"] = sorted(snap.blocks[block].live)
            for node in record["nodes"]:
                c.kill_node(node)
        with self._lock:
            self.applied.append(record)

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = [t for t in self._timers if t.is_alive()]
            if not pending or time.monotonic() > deadline:
                return
            pending[0].join(max(0.0, deadline - time.monotonic()))

    def cancel(self) -> None:
        with self._lock:
            for timer in self._timers:
                timer.cancel()


def prepare_data(scenario: Scenario, workdir: str) -> str:
    if scenario.data_file:
        return scenario.data_file
    path = os.path.join(workdir, f"corpus-{scenario.data_size}-{scenario.data_seed}.txt")
    if not os.path.exists(path):
        write_corpus(path, scenario.data_size, seed=scenario.data_seed)
    return path


def references(scenario: Scenario, path: str) -> list:
    return [reference_for(path, j.kind, j.word, j.ignore_case, j.top) for j in scenario.jobs]


def run_trial(scenario: Scenario, trial: int, data_path: str, refs: list, *, with_faults: bool = True,
              timeout: float = 300.0) -> RunResult:
    config = scenario.for_trial(trial)
    cluster = open_backend("local", config)
    log = EventLog(cluster)
    timeline = None
    jobs_out = []
    try:
        cluster.start()
        for node, mbps in scenario.node_disk_mbps.items():
            cluster.set_disk_speed(node, mbps)
        cluster.put(data_path, name=os.path.basename(data_path), timeout=timeout)
        faults = scenario.faults if with_faults else ()
        timeline = FaultTimeline(cluster, faults, random.Random(config.seed), config.nodes)
        first_start = None
        for plan, reference in zip(scenario.jobs, refs):
            spec = JobSpec(plan.kind, os.path.basename(data_path), word=plan.word,
                           ignore_case=plan.ignore_case, top=plan.top)
            job_id = cluster.submit(spec)
            if first_start is None:
                first_start = time.monotonic()
                timeline.start(first_start)
            result = cluster.wait_job(job_id, timeout=timeout)
            value = result.count if plan.kind == "count" else result.top
            verdict = judge_file(data_path, plan.kind, plan.word, plan.ignore_case, plan.top,
                                 result.status, value,
                                 missing_ranges=[(b.id, b.offset, b.length) for b in result.missing],
                                 failure=result.failure, full_reference=reference)
            jobs_out.append({
                "kind": plan.kind, "word": plan.word, "status": result.status, "count": result.count,
                "top": result.top if plan.kind == "wordcount" else None,
                "missing_blocks": result.missing_blocks, "retried": result.retried,
                "missing": [b.to_dict() for b in result.missing], "reexecuted": result.reexecuted,
                "non_local": result.non_local,
                "speculated": getattr(result, "speculated", 0), "node_local": result.node_local,
                "job_s": result.elapsed_s, "verdict": verdict.verdict, "detail": verdict.detail,
            })
        timeline.join(timeout)
        settled = cluster.wait_settled(RECOVERY_TIMEOUT)
        health = cluster.health()
        job_t = next(e.t for e in log.events if e.kind == "job_started")
    finally:
        if timeline is not None:
            timeline.cancel()
        cluster.stop()
    events = list(log.events)
    run = RunResult(trial, "faulty" if with_faults else "baseline", events, jobs_out,
                    blocks_lost=list(health.missing_blocks), recovered=settled.settled,
                    remains=list(settled.remains), still=list(settled.waiting_for),
                    fault_errors=list(timeline.errors) if timeline else [],
                    faults_applied=list(timeline.applied) if timeline else [])
    run.failures, run.restored_s = _failure_times(events, job_t)
    return run


def _failure_times(events, job_t: float):
    failures = []
    for e in events:
        if e.kind in ("node_killed", "node_paused"):
            dead = next((d for d in events if d.kind == "node_declared_dead" and d.node == e.node and d.t >= e.t),
                        None)
            failures.append({
                "node": e.node, "action": "kill" if e.kind == "node_killed" else "pause",
                "at_s": round(e.t - job_t, 3),
                "declared_dead_at_s": round(dead.t - job_t, 3) if dead else None,
                "detection_s": round(dead.t - e.t, 3) if dead else None,
            })
    deaths = [e.t for e in events if e.kind == "node_declared_dead"]
    corrupt = [e.t for e in events if e.kind == "block_corrupt"]
    last = max(deaths + corrupt, default=None)
    restored = None
    if last is not None:
        healed = [e.t for e in events if e.kind == "health_changed" and e.t >= last
                  and e.under_replicated == 0 and e.missing == 0]
        if healed:
            restored = round(healed[0] - last, 3)
    return failures, restored
