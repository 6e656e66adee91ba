"""The engine's one output: a stream of typed, timestamped events.

Every event is a frozen dataclass with ``t`` (seconds since the cluster started) and a
``kind`` tag; ``to_dict``/``from_dict`` make them JSON-serialisable for recordings, replays
and the CLI. The GUI, the CLI, experiment reports and the tests all consume this stream.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .values import is_number, is_whole, shown

EVENT_TYPES: dict[str, type["Event"]] = {}

SUPERSEDED = "superseded by a faster attempt"  # TaskFailed.reason of a speculation loser


def _register(cls):
    cls = dataclass(frozen=True, kw_only=True)(cls)
    EVENT_TYPES[cls.kind] = cls
    return cls


@dataclass(frozen=True, kw_only=True)
class Event:
    kind: ClassVar[str] = "event"
    t: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = {"kind": self.kind}
        for f in dataclasses.fields(self):
            d[f.name] = _plain(getattr(self, f.name))
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def from_dict(d) -> Event:
    """The event a ``to_dict()`` (read back from JSON) describes. Every field is checked
    against its declared type ("int", "float | None", "tuple", ...): a bool is not a number,
    an int is accepted for a float, every float is finite and ``t`` is >= 0. A missing field
    (``t`` included), a wrong type or an unknown kind is a ValueError naming it; keys that
    are not fields (``trial`` and ``run`` in an experiment's events.jsonl) are ignored.
    ``t`` may go backwards: a log record can arrive after a later event."""
    if not isinstance(d, dict):
        raise ValueError(f"an event is a JSON object with a kind (got {shown(d)})")
    kind = d.get("kind")
    if kind is None:
        raise ValueError("the object has no kind")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown event kind {shown(kind)}")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in d:
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required or f.name == "t":
                raise ValueError(f"{kind}: field {f.name} is missing")
            continue
        kwargs[f.name] = _typed(kind, f.name, str(f.type), d[f.name])
    return cls(**kwargs)


def _typed(kind: str, name: str, declared: str, value):
    """``value`` as field ``name`` of a ``declared`` type holds it; ValueError otherwise."""
    types = [t.strip() for t in declared.split("|")]
    if value is None and "None" in types:
        return None
    for t in types:
        if t == "bool" and isinstance(value, bool):
            return value
        if t == "int" and is_whole(value):
            return value
        if t == "float" and is_number(value):
            if name == "t" and value < 0:
                break
            return float(value)
        if t == "str" and isinstance(value, str):
            return value
        if t == "tuple" and isinstance(value, list):
            return tuple(tuple(v) if isinstance(v, list) else v for v in value)
        if t == "dict" and isinstance(value, dict):
            return {int(k) if isinstance(k, str) and k.isdigit() else k: v for k, v in value.items()}
    expected = {"int": "a whole number", "float": "a finite number", "str": "text", "bool": "true or false",
                "tuple": "a list", "dict": "an object", "None": "null"}
    wanted = " or ".join(expected.get(t, t) for t in types)
    if name == "t":
        wanted = "a finite number of seconds >= 0"
    raise ValueError(f"{kind}: {name} must be {wanted} (got {shown(value)})")


# -- cluster and nodes ------------------------------------------------------------------

@_register
class ClusterStarted(Event):
    kind: ClassVar[str] = "cluster_started"
    nodes: int
    replication: int
    block_size: int
    heartbeat: float
    dead_after: float
    data_dir: str
    disk_mbps: float | None = None  # every node's disk speed unless set per node
    backend: str = "local"  # where the nodes run: "local" processes or "dask" workers


@_register
class ClusterStopped(Event):
    kind: ClassVar[str] = "cluster_stopped"


@_register
class ClusterFailed(Event):
    """The cluster's engine failed (a bug): the cluster stopped; ``detail`` has the trace."""
    kind: ClassVar[str] = "cluster_failed"
    reason: str
    detail: str = ""


@_register
class CoordinatorStalled(Event):
    """The coordinator could not read the nodes' pipes for ``gap_s`` seconds (its thread was
    starved or busy); that stretch was not counted as the nodes' silence."""
    kind: ClassVar[str] = "coordinator_stalled"
    gap_s: float


@_register
class ClusterFrozen(Event):
    """The operator paused (frozen=True) or resumed the whole cluster."""
    kind: ClassVar[str] = "cluster_frozen"
    frozen: bool


@_register
class NodeStarting(Event):
    kind: ClassVar[str] = "node_starting"
    node: int
    pid: int
    restart: bool = False


@_register
class NodeStarted(Event):
    """A node process registered with the coordinator for the first time."""
    kind: ClassVar[str] = "node_started"
    node: int
    pid: int
    blocks: int = 0
    block_ids: tuple = ()


@_register
class NodeRefused(Event):
    """A node process registered with replicas of another cluster; it is not admitted."""
    kind: ClassVar[str] = "node_refused"
    node: int
    pid: int
    reason: str


@_register
class NodeSuspect(Event):
    kind: ClassVar[str] = "node_suspect"
    node: int
    silent_s: float


@_register
class NodeRecovered(Event):
    """A suspect node was heard from again before it was declared dead."""
    kind: ClassVar[str] = "node_recovered"
    node: int


@_register
class NodeDeclaredDead(Event):
    kind: ClassVar[str] = "node_declared_dead"
    node: int
    silent_s: float
    lost_replicas: int


@_register
class NodeRejoined(Event):
    """A node declared dead (or restarted) registered again and sent its block report."""
    kind: ClassVar[str] = "node_rejoined"
    node: int
    pid: int
    blocks: int
    accepted: int
    block_ids: tuple = ()


@_register
class NodeKilled(Event):
    kind: ClassVar[str] = "node_killed"
    node: int
    pid: int


@_register
class NodePaused(Event):
    kind: ClassVar[str] = "node_paused"
    node: int
    pid: int


@_register
class NodeResumed(Event):
    kind: ClassVar[str] = "node_resumed"
    node: int
    pid: int


@_register
class NodeRestarting(Event):
    kind: ClassVar[str] = "node_restarting"
    node: int


@_register
class NodeAdded(Event):
    kind: ClassVar[str] = "node_added"
    node: int


@_register
class NodeDiskFailed(Event):
    """A node's disk refused a write (full, read-only, an I/O error): it takes no more
    replicas until its process is restarted; it still serves the ones it has."""
    kind: ClassVar[str] = "node_disk_failed"
    node: int
    reason: str


@_register
class NodeDiskSpeed(Event):
    """The operator changed a node's disk speed (a "slow disk" fault, or its repair).
    ``mbps`` is the speed now in force (MB/s, None = unthrottled); ``default`` is True when
    the node went back to the cluster's default speed."""
    kind: ClassVar[str] = "node_disk_speed"
    node: int
    mbps: float | None
    default: bool = False


# -- storage ----------------------------------------------------------------------------

@_register
class PutStarted(Event):
    """A put begins. ``block_list`` holds the blocks already cut: all of them where the
    whole file was cut first, none where the blocks follow as ``PutBlocksCut`` while the
    client reads the file (``size`` is then the file's size when the put began)."""
    kind: ClassVar[str] = "put_started"
    file: str
    size: int
    blocks: int
    block_list: tuple = ()  # (block id, index in file, size, checksum) for each block


@_register
class PutBlocksCut(Event):
    """The next blocks of a put, as the client cuts them from the file it reads (their
    writes may start at once)."""
    kind: ClassVar[str] = "put_blocks_cut"
    file: str
    block_list: tuple = ()  # (block id, index in file, size, checksum) for each block


@_register
class PutFailed(Event):
    """A put gave up: its blocks (``block_ids``) and every replica written are dropped, and
    nothing of the file stays stored."""
    kind: ClassVar[str] = "put_failed"
    file: str
    reason: str
    block_ids: tuple = ()


@_register
class PutFinished(Event):
    kind: ClassVar[str] = "put_finished"
    file: str
    size: int
    blocks: int
    elapsed_s: float


@_register
class FileDeleted(Event):
    kind: ClassVar[str] = "file_deleted"
    file: str
    block_ids: tuple = ()


@_register
class TransferStarted(Event):
    """Block data starts moving: from the client (source None) during a put, or from one
    node to another during re-replication."""
    kind: ClassVar[str] = "transfer_started"
    block: int
    source: int | None
    target: int
    purpose: str  # "put" | "replicate"


@_register
class TransferFailed(Event):
    kind: ClassVar[str] = "transfer_failed"
    block: int
    source: int | None
    target: int
    reason: str


@_register
class BlockStored(Event):
    """A replica was written, verified and acknowledged by a node."""
    kind: ClassVar[str] = "block_stored"
    block: int
    node: int
    size: int
    source: int | None
    purpose: str  # "put" | "replicate"


@_register
class ReplicaCorrupted(Event):
    """Fault injection: bytes of a replica were flipped on the node's disk."""
    kind: ClassVar[str] = "replica_corrupted"
    block: int
    node: int


@_register
class BlockCorrupt(Event):
    """A replica failed checksum verification when read; it is dropped and replaced."""
    kind: ClassVar[str] = "block_corrupt"
    block: int
    node: int
    detected_by: str


@_register
class BlockTrimmed(Event):
    kind: ClassVar[str] = "block_trimmed"
    block: int
    node: int


@_register
class HealthChanged(Event):
    kind: ClassVar[str] = "health_changed"
    blocks: int
    under_replicated: int
    missing: int
    live_nodes: int
    dead_nodes: int
    missing_blocks: tuple = ()


# -- jobs -------------------------------------------------------------------------------

@_register
class JobStarted(Event):
    kind: ClassVar[str] = "job_started"
    job: int
    job_kind: str
    file: str
    word: str | None
    ignore_case: bool
    top: int | None
    tasks: int


@_register
class TaskStarted(Event):
    kind: ClassVar[str] = "task_started"
    job: int
    task: int
    attempt: int
    node: int
    block: int | None
    phase: str  # "map" | "reduce"
    local: bool
    retry: bool  # a new attempt after every earlier attempt of the task failed
    speculative: bool = False  # a backup of a straggling attempt that is still running


@_register
class TaskFinished(Event):
    kind: ClassVar[str] = "task_finished"
    job: int
    task: int
    attempt: int
    node: int
    block: int | None
    phase: str
    elapsed_s: float
    bytes_read: int


@_register
class TaskFailed(Event):
    """An attempt failed, or lost to a faster attempt of the same task (reason
    ``SUPERSEDED``: its result will be ignored; it may still be running on its node)."""
    kind: ClassVar[str] = "task_failed"
    job: int
    task: int
    attempt: int
    node: int
    block: int | None
    phase: str
    reason: str


@_register
class JobProgress(Event):
    kind: ClassVar[str] = "job_progress"
    job: int
    phase: str
    done: int
    total: int


@_register
class JobFinished(Event):
    kind: ClassVar[str] = "job_finished"
    job: int
    job_kind: str
    status: str  # "ok" | "incomplete" | "failed"
    count: int | None
    top: tuple
    missing_blocks: tuple
    tasks_total: int
    node_local: int
    non_local: int
    retried: int
    elapsed_s: float
    speculated: int = 0  # backup attempts launched
    missing_ranges: tuple = ()  # (block id, byte offset, length) of every missing block
    covered_bytes: int = 0  # bytes of the input the result is over
    failure: str = ""  # status "failed": why no honest result could be made


@_register
class MapOutputLost(Event):
    """A completed map task's output was lost with the node that held it; the task runs
    again if a reduce still needs it."""
    kind: ClassVar[str] = "map_output_lost"
    job: int
    task: int
    block: int | None
    node: int
    reason: str


# -- metrics and logs -------------------------------------------------------------------

@_register
class MetricsSample(Event):
    """Per-node rates and gauges, sampled several times a second. ``nodes`` maps a node id
    to {state, read_bps, write_bps, copy_bps, stored_bytes, blocks, tasks_running}."""
    kind: ClassVar[str] = "metrics_sample"
    nodes: dict = field(default_factory=dict)


@_register
class LogMessage(Event):
    kind: ClassVar[str] = "log_message"
    node: int | None
    level: str
    logger: str
    message: str
