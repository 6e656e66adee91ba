"""One headless job run: start a cluster, store the file, run the job, apply scheduled kills,
wait for detection and re-replication, and report (the data behind ``--json``)."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass

from engine.bus import EventLog
from engine.backend import open_backend
from engine.config import ClusterConfig
from engine.errors import ClusterError, TimedOut, UsageError
from engine.model import JobSpec
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
        t_start = time.monotonic()
        deadline = t_start + self.timeout

        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ClusterError(f"the run did not finish within --timeout {self.timeout:g} s")
            return remaining

        cluster = open_backend("local", self.config)
        log = EventLog(cluster)
        cluster.subscribe(self._echo)
        timers: list[threading.Timer] = []
        try:
            cluster.start()
            startup_s = time.monotonic() - t_start
            try:
                stored = cluster.put(self.path, timeout=left())
            except TimedOut:
                raise ClusterError(f"the run did not finish within --timeout {self.timeout:g} s "
                                   f"(it was still storing {os.path.basename(self.path)})") from None
            spec = JobSpec(self.kind, stored.file, word=self.word, ignore_case=self.ignore_case,
                           top=self.top)
            kill_errors: list[str] = []
            fired: set[int] = set()

            def kill(node):
                fired.add(node)
                try:
                    cluster.kill_node(node)
                except Exception as exc:  # reported below, never lost
                    kill_errors.append(f"--kill {node}: {exc}")

            for plan in self.kills:
                timer = threading.Timer(plan.at_s, kill, args=(plan.node,))
                timer.daemon = True
                timers.append(timer)
            job_id = cluster.submit(spec)
            kills_t0 = time.monotonic()
            for timer in timers:
                timer.start()
            try:
                result = cluster.wait_job(job_id, timeout=left())
            except TimedOut:
                raise ClusterError(f"the run did not finish within --timeout {self.timeout:g} s "
                                   f"(the {self.kind} job was still running)") from None
            job_s = result.elapsed_s
            self._wait_for_kills(timers, kills_t0, deadline)
            missed = [p for p in self.kills if p.node not in fired]
            if missed:
                raise ClusterError("not applied before --timeout ends the run: "
                                   + ", ".join(f"--kill {p.node}@{p.at_s:g}" for p in missed))
            if kill_errors:
                raise ClusterError("; ".join(kill_errors))
            job_event = log.wait_for("job_started", lambda e: e.job == job_id, timeout=5)
            settled = cluster.wait_settled(max(0.5, deadline - time.monotonic()))
            report = self._report(cluster, log, result, stored, job_event.t, startup_s, job_s, settled)
        finally:
            for timer in timers:
                timer.cancel()
            cluster.stop()
        return report

    def _wait_for_kills(self, timers, started: float, deadline: float) -> None:
        """Every --kill happens at its time, even after the job ends; a long wait says so."""
        pending = [(t, p) for t, p in zip(timers, self.kills) if t.is_alive()]
        if not pending:
            return
        last = max(p.at_s for _, p in pending)
        wait = started + last - time.monotonic()
        if wait > 2.0:
            print(f"clusterscope: the job is done; waiting {wait:.0f} s more for "
                  + ", ".join(f"--kill {p.node}@{p.at_s:g}" for _, p in pending), file=sys.stderr, flush=True)
        for timer, _ in pending:
            timer.join(max(0.0, deadline - time.monotonic()))

    def _report(self, cluster, log, result, stored, job_t, startup_s, job_s, settled) -> dict:
        failures = kill_times(log.events, [plan.node for plan in self.kills], job_t)
        health = cluster.health()
        restored_at = None
        if self.kills and settled.fully_replicated:
            last_dead = max((e.t for e in log.of_kind("node_declared_dead")), default=None)
            if last_dead is not None:
                done = [e for e in log.of_kind("health_changed")
                        if e.t >= last_dead and e.under_replicated == 0 and e.missing == 0]
                restored_at = round((done[0].t if done else last_dead) - job_t, 3)
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
            "liveness": {
                "suspected": len(log.of_kind("node_suspect")),
                "declared_dead": len(log.of_kind("node_declared_dead")),
                "rejoined": len(log.of_kind("node_rejoined")),
                "coordinator_stalls": len(log.of_kind("coordinator_stalled")),
                "longest_stall_s": max((e.gap_s for e in log.of_kind("coordinator_stalled")), default=0.0),
            },
            "health": {"under_replicated": health.under_replicated, "missing": health.missing,
                       "restored_at_s": restored_at, "settled": settled.settled,
                       "remains": list(settled.remains), "still": list(settled.waiting_for)},
            "timings": {"startup_s": round(startup_s, 3), "put_s": stored.elapsed_s,
                        "job_s": round(job_s, 3)},
        })
        if result.status == "failed":
            report["failure"] = result.failure
        return report


def kill_times(events, nodes, job_t: float) -> list[dict]:
    """For each killed node: when it was killed and when it was declared dead after that
    (an earlier, false death of the same node is not this kill's detection)."""
    out = []
    for node in nodes:
        killed = [e for e in events if e.kind == "node_killed" and e.node == node]
        after = killed[0].t if killed else float("inf")
        dead = [e for e in events if e.kind == "node_declared_dead" and e.node == node and e.t >= after]
        out.append({
            "node": node,
            "killed_at_s": round(killed[0].t - job_t, 3) if killed else None,
            "declared_dead_at_s": round(dead[0].t - job_t, 3) if dead else None,
        })
    return out


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
