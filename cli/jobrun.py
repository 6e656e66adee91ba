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
from engine.sizes import format_size
from engine.values import BadValue, seconds

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
            raise UsageError(f"{text!r}: expected NODE@SECONDS, like 2@0.5") from None
        if not sep or plan.node < 0:
            raise UsageError(f"{text!r}: expected NODE@SECONDS with a node id >= 0, like 2@0.5")
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
        cluster = open_backend("local", self.config)
        cluster.subscribe(self._echo)
        run = Run(cluster, plan, on_notice=lambda text: print(f"clusterscope: {text}", file=sys.stderr, flush=True))
        try:
            outcome = run.execute()
        except RunTimedOut as exc:
            doing = {Phase.STORING: f" (it was still storing {os.path.basename(self.path)})",
                     Phase.RUNNING: f" (the {self.kind} job was still running)"}.get(exc.phase, "")
            raise ClusterError(f"the run did not finish within --timeout {self.timeout:g} s{doing}") from None
        if outcome.unfired:
            raise ClusterError("not applied before --timeout ends the run: "
                               + ", ".join(step.label for step in outcome.unfired))
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


def format_summary(r: dict) -> str:
    lines = []
    name = os.path.basename(r["file"])
    if r["job"] == "count":
        case = ", ignoring case" if r.get("ignore_case") else ""
        lines.append(f"count {r['word']!r} in {name}{case}: {r['count']}")
    else:
        lines.append(f"wordcount of {name}: top {len(r['top'])}")
        width = max((len(w) for w, _ in r["top"]), default=4)
        for word, n in r["top"]:
            lines.append(f"  {word:<{width}}  {n}")
    if r["status"] == "ok":
        lines.append(f"status: ok, exact (every one of the {r['blocks']} blocks was read)")
    elif r["status"] == "failed":
        lines.append(f"status: FAILED, no result: {r.get('failure', '')}")
    else:
        missing = r.get("missing") or [{"id": b, "offset": None, "length": None, "reason": "?"}
                                       for b in r["missing_blocks"]]
        parts = []
        for b in missing[:8]:
            where = (f" (bytes {b['offset']}-{b['offset'] + b['length'] - 1})"
                     if b.get("offset") is not None and b.get("length") else "")
            parts.append(f"block {b['id']}{where}: {b['reason']}")
        more = f"; and {len(missing) - 8} more" if len(missing) > 8 else ""
        n = len(missing)
        lines.append(f"status: INCOMPLETE: {n} of {r['blocks']} blocks could not be read: "
                     + "; ".join(parts) + more)
        lines.append(f"        the result is exactly that of the other {r['blocks'] - n} blocks "
                     f"({r.get('covered_bytes', 0)} of {r['bytes']} bytes)")
    lines.append(f"cluster: {r['nodes']} nodes, replication {r['replication']}, "
                 f"{r['blocks']} blocks, {format_size(r['bytes'])}")
    t = r["tasks"]
    lines.append(f"tasks: {t['total']} ({t['node_local']} node-local maps, {t['non_local']} non-local, "
                 f"{t['reduce']} reduces), {t['retried']} retried")
    for f in r["failures"]:
        dead = f"declared dead at {f['declared_dead_at_s']:.2f} s" if f["declared_dead_at_s"] is not None \
            else "not declared dead"
        killed = f"{f['killed_at_s']:.2f} s" if f["killed_at_s"] is not None else "?"
        lines.append(f"failure: node {f['node']} killed at {killed}, {dead}")
    h = r["health"]
    restored = f", replication restored at {h['restored_at_s']:.2f} s" if h["restored_at_s"] is not None else ""
    lines.append(f"health: {h['under_replicated']} under-replicated, {h['missing']} missing{restored}")
    for remark in h.get("remains", []):
        lines.append(f"        {remark}")
    if not h.get("settled", True):
        lines.append("        still going on at the timeout: " + "; ".join(h.get("still", [])))
    lv = r.get("liveness") or {}
    if lv.get("rejoined") and lv.get("declared_dead", 0) > len(r["failures"]):
        lines.append(f"note: {lv['declared_dead']} nodes were declared dead and {lv['rejoined']} came back: "
                     "the failure detector may be too eager for this machine's load (raise --dead-after)")
    tm = r["timings"]
    lines.append(f"timings: startup {tm['startup_s']:.2f} s, put {tm['put_s']:.2f} s, job {tm['job_s']:.2f} s "
                 "(failure times are seconds after the job started)")
    return "\n".join(lines)
