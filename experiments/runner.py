"""Running a scenario's trials headless: the cluster, the data, the jobs, the fault timeline,
an independent verdict for every job, and the numbers a report needs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from engine.backend import open_backend
from engine.run import Run, RunPlan
from engine.scenario import Scenario, prepare_data
from engine.verdict import reference_for

__all__ = ["Progress", "RunResult", "prepare_data", "references", "run_trial"]

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


def references(scenario: Scenario, path: str) -> list:
    return [reference_for(path, j.kind, j.word, j.ignore_case, j.top) for j in scenario.jobs]


def run_trial(scenario: Scenario, trial: int, data_path: str, refs: list, *, with_faults: bool = True,
              timeout: float = 300.0) -> RunResult:
    """One trial on the run layer: the whole run may take ``timeout`` seconds beyond the
    scenario's last fault, and settling at most ``RECOVERY_TIMEOUT`` of them. A fault whose
    time the run never reached is said (``fault_errors``), never dropped."""
    faults = scenario.fault_steps() if with_faults else ()
    plan = RunPlan(data_path, jobs=scenario.job_specs(), faults=faults, name=os.path.basename(data_path),
                   node_disk_mbps=dict(scenario.node_disk_mbps),
                   timeout=timeout + (scenario.last_fault_s() if with_faults else 0.0) + RECOVERY_TIMEOUT,
                   settle_timeout=RECOVERY_TIMEOUT, judge=True, references=tuple(refs))
    outcome = Run(open_backend(config=scenario.for_trial(trial)), plan).execute()
    jobs_out = []
    for job in outcome.jobs:
        result, verdict = job.result, job.verdict
        jobs_out.append({
            "kind": job.spec.kind, "word": job.spec.word, "status": result.status, "count": result.count,
            "top": result.top if job.spec.kind == "wordcount" else None,
            "missing_blocks": result.missing_blocks, "retried": result.retried,
            "missing": [b.to_dict() for b in result.missing], "reexecuted": result.reexecuted,
            "non_local": result.non_local,
            "speculated": result.speculated, "node_local": result.node_local,
            "job_s": result.elapsed_s, "verdict": verdict.verdict, "detail": verdict.detail,
        })
    errors = [str(e) for e in outcome.fault_errors]
    errors += [f"{step.label} did not apply: the run ended before its time" for step in outcome.unfired]
    settled = outcome.settlement
    return RunResult(trial, "faulty" if with_faults else "baseline", outcome.events, jobs_out,
                     failures=[f.to_dict() for f in outcome.failures], restored_s=outcome.restore_s,
                     blocks_lost=list(outcome.health.missing_blocks), recovered=settled.settled,
                     remains=list(settled.remains), still=list(settled.waiting_for), fault_errors=errors,
                     faults_applied=[a.to_dict() for a in outcome.applied])
