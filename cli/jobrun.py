"""One headless job run on the run layer (``engine.run``): start a cluster, store the file,
run the job, apply the ``--kill`` plans, wait until settled, and report (the data behind
``--json``)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from engine.backend import open_backend
from engine.config import ClusterConfig
from engine.errors import ClusterError, UsageError
from engine.faults import kill_steps
from engine.measures import kill_times
from engine.model import JobSpec
from engine.run import Phase, Run, RunPlan, RunTimedOut
from engine.values import BadValue, seconds

from .language import translate

_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}


@dataclass(frozen=True)
class KillPlan:
    """``--kill NODE@SECONDS``: SIGKILL node NODE this many seconds after the job starts.
    The seconds are finite, 0 to ``MAX_SECONDS`` (a timer cannot wait for ``inf``); the
    command also requires them to be before its ``--timeout``."""
    node: int
    at_s: float

    @classmethod
    def parse(cls, text: str) -> "KillPlan":
        node, sep, at = str(text).partition("@")
        try:
            plan = cls(int(node), float(at))
        except ValueError:
            raise UsageError(translate("cli", "{text}: expected NODE@SECONDS, like 2@0.5").format(
                text=repr(text))) from None
        if not sep or plan.node < 0:
            raise UsageError(translate("cli", "{text}: expected NODE@SECONDS with a node id >= 0, like "
                                       "2@0.5").format(text=repr(text)))
        try:
            seconds(plan.at_s)
        except BadValue as exc:
            raise UsageError(f"{text}: the seconds {exc}") from None
        return plan


class JobRun:
    def __init__(self, config: ClusterConfig, path: str, *, kind: str, word: str | None = None,
                 ignore_case: bool = False, top: int = 20, kills=(), timeout: float = 600.0,
                 echo_logs: bool = True):
        self.config = config
        self.path = path
        self.kind = kind
        self.word = word
        self.ignore_case = ignore_case
        self.top = top
        self.kills = sorted(kills, key=lambda k: k.at_s)
        self.timeout = timeout
        self.echo_logs = echo_logs

    def _echo(self, event) -> None:
        if event.kind == "log_message" and _LEVELS.get(event.level, 0) >= _LEVELS[self.config.log_level.upper()]:
            where = f"node {event.node}" if event.node is not None else "engine"
            print(f"[{event.t:7.3f}s {where}] {event.level}: {event.message}", file=sys.stderr)

    def execute(self) -> dict:
        """The whole run, bounded by ``timeout`` from start to finish."""
        spec = JobSpec(self.kind, "", word=self.word, ignore_case=self.ignore_case, top=self.top)
        plan = RunPlan(self.path, jobs=(spec,), faults=tuple(kill_steps(self.kills)), timeout=self.timeout)
        cluster = open_backend(self.config.backend, self.config)
        cluster.subscribe(self._echo)
        run = Run(cluster, plan, on_notice=lambda text: print(f"clusterscope: {text}", file=sys.stderr, flush=True))
        try:
            outcome = run.execute()
        except RunTimedOut as exc:
            timeout = f"{self.timeout:g}"
            if exc.phase is Phase.STORING:
                text = translate("cli", "the run did not finish within --timeout {timeout} s (it was still "
                                 "storing {file})").format(timeout=timeout, file=os.path.basename(self.path))
            elif exc.phase is Phase.RUNNING:
                text = translate("cli", "the run did not finish within --timeout {timeout} s (the {job} job was "
                                 "still running)").format(timeout=timeout, job=self.kind)
            else:
                text = translate("cli", "the run did not finish within --timeout {timeout} s").format(
                    timeout=timeout)
            raise ClusterError(text) from None
        if outcome.unfired:
            raise ClusterError(translate("cli", "not applied before --timeout ends the run: {steps}").format(
                steps=", ".join(step.label for step in outcome.unfired)))
        if outcome.fault_errors:
            raise ClusterError("; ".join(f"{e.step.label}: {e.message}" for e in outcome.fault_errors))
        return self._report(outcome)

    def _report(self, outcome) -> dict:
        result, stored, settled, health = outcome.jobs[0].result, outcome.stored, outcome.settlement, outcome.health
        job_t = outcome.job_t or 0.0
        failures = kill_times(outcome.events, [plan.node for plan in self.kills], job_t)
        restored_at = outcome.restored_at_s if self.kills and settled.fully_replicated else None
        liveness = outcome.liveness
        report = {"job": self.kind}
        if self.kind == "count":
            report.update({"word": self.word, "ignore_case": self.ignore_case, "count": result.count})
        else:
            report.update({"top": result.top})
        report.update({
            "status": result.status,
            "missing_blocks": result.missing_blocks,
            "missing": [b.to_dict() for b in result.missing],
            "covered_bytes": result.covered_bytes,
            "file": stored.file,
            "bytes": stored.size,
            "nodes": self.config.nodes,
            "replication": self.config.replication,
            "blocks": stored.blocks,
            "tasks": {"total": result.tasks_total, "map": result.map_tasks, "reduce": result.reduce_tasks,
                      "node_local": result.node_local, "non_local": result.non_local,
                      "retried": result.retried, "reexecuted": result.reexecuted},
            "failures": failures,
            "liveness": liveness.to_dict(),
            "health": {"under_replicated": health.under_replicated, "missing": health.missing,
                       "restored_at_s": restored_at, "settled": settled.settled,
                       "remains": list(settled.remains), "still": list(settled.waiting_for)},
            "timings": {"startup_s": outcome.startup_s, "put_s": stored.elapsed_s,
                        "job_s": round(result.elapsed_s, 3)},
        })
        if result.status == "failed":
            report["failure"] = result.failure
        return report
