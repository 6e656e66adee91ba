"""A run's measures, computed from its event stream alone (the coordinator's clock), so the
command line, experiments, benchmarks and the window report the same numbers the same way:

- detection: from a kill or pause to the death declaration that follows it (an earlier,
  false death of the same node is not that fault's detection);
- restore: from the last death (or corrupt replica found) to the first health report with
  nothing under-replicated and nothing missing;
- slowdown: a job's time against its fault-free baseline;
- locality: node-local and non-local map tasks, and the liveness counts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FailureTiming:
    node: int
    action: str  # kill | pause
    at_s: float | None  # seconds after the job started
    declared_dead_at_s: float | None
    detection_s: float | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Liveness:
    suspected: int
    declared_dead: int
    rejoined: int
    coordinator_stalls: int
    longest_stall_s: float

    def to_dict(self) -> dict:
        return asdict(self)


def _r(x: float) -> float:
    return round(x, 3)


def failure_timings(events, job_t: float) -> list[FailureTiming]:
    """Every kill and pause, in order, with the death declaration that followed it."""
    out = []
    for e in events:
        if e.kind not in ("node_killed", "node_paused"):
            continue
        dead = next((d for d in events if d.kind == "node_declared_dead" and d.node == e.node and d.t >= e.t),
                    None)
        out.append(FailureTiming(e.node, "kill" if e.kind == "node_killed" else "pause", _r(e.t - job_t),
                                 _r(dead.t - job_t) if dead else None, _r(dead.t - e.t) if dead else None))
    return out


def kill_times(events, nodes, job_t: float) -> list[dict]:
    """For each node of ``nodes`` (killed by the run): its first kill and the death
    declaration after it, in seconds after the job started (None where none came)."""
    timings = failure_timings(events, job_t)
    out = []
    for node in nodes:
        kill = next((f for f in timings if f.node == node and f.action == "kill"), None)
        out.append({"node": node, "killed_at_s": kill.at_s if kill else None,
                    "declared_dead_at_s": kill.declared_dead_at_s if kill else None})
    return out


def first_healthy_after(events, since: float) -> float | None:
    """Cluster time of the first health report at or after ``since`` with no block under
    R replicas and none missing."""
    return next((e.t for e in events if e.kind == "health_changed" and e.t >= since
                 and e.under_replicated == 0 and e.missing == 0), None)


def last_damage(events, *, corrupt: bool = True) -> float | None:
    """Cluster time of the last death declaration (and corrupt replica found, if asked)."""
    kinds = ("node_declared_dead", "block_corrupt") if corrupt else ("node_declared_dead",)
    return max((e.t for e in events if e.kind in kinds), default=None)


def restore_s(events) -> float | None:
    """Seconds from the last damage (death or corrupt replica) until replication was whole."""
    last = last_damage(events)
    if last is None:
        return None
    healed = first_healthy_after(events, last)
    return None if healed is None else _r(healed - last)


def restored_at_s(events, job_t: float) -> float | None:
    """Seconds after the job started when every replica lost to a death was back (the last
    death itself when nothing needed copying); None if nobody died."""
    last = last_damage(events, corrupt=False)
    if last is None:
        return None
    healed = first_healthy_after(events, last)
    return _r((healed if healed is not None else last) - job_t)


def slowdown(job_s: float, baseline_s: float | None) -> float | None:
    return round(job_s / baseline_s, 3) if baseline_s else None


def liveness(events) -> Liveness:
    stalls = [e for e in events if e.kind == "coordinator_stalled"]
    return Liveness(
        suspected=sum(1 for e in events if e.kind == "node_suspect"),
        declared_dead=sum(1 for e in events if e.kind == "node_declared_dead"),
        rejoined=sum(1 for e in events if e.kind == "node_rejoined"),
        coordinator_stalls=len(stalls),
        longest_stall_s=max((e.gap_s for e in stalls), default=0.0),
    )


def job_started_at(events, job_id: int | None = None) -> float | None:
    """Cluster time of the (first, or the given) job's start."""
    return next((e.t for e in events if e.kind == "job_started" and (job_id is None or e.job == job_id)), None)
