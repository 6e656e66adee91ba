"""The typed vocabulary of the backend interface: what a front end may ask a cluster and what
it gets back. No engine internals, no dictionaries with string keys.

States are string enums, so they print and serialise as the words the event stream uses
("alive", "dead", ...) and compare equal to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class NodeState(str, Enum):
    """What the coordinator has concluded about a node."""
    STARTING = "starting"
    ALIVE = "alive"
    SUSPECT = "suspect"  # silent for two heartbeats: perhaps slow, perhaps gone
    DEAD = "dead"  # silent for dead_after: its replicas and tasks are given up
    RESTARTING = "restarting"

    def __str__(self) -> str:
        return self.value

    @property
    def holds_replicas(self) -> bool:
        """Its replicas still count as live (a suspect node may only be slow)."""
        return self in HOLDING_STATES


HOLDING_STATES = frozenset({NodeState.ALIVE, NodeState.SUSPECT, NodeState.RESTARTING})


class ProcessState(str, Enum):
    """What the operator did to a node's process."""
    RUNNING = "running"
    PAUSED = "paused"
    KILLED = "killed"

    def __str__(self) -> str:
        return self.value


class JobStatus(str, Enum):
    OK = "ok"  # exact: every block was read
    INCOMPLETE = "incomplete"  # exactly the answer over the blocks it did not name as missing
    FAILED = "failed"  # no result; ``JobResult.failure`` says why

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class NodeStatus:
    id: int
    pid: int
    state: NodeState
    process: ProcessState
    blocks: tuple[int, ...]
    stored_bytes: int
    running: int  # task attempts in flight (maps and reduces)
    streams: int  # disk transfers in flight
    disk_mbps: float | None  # the disk speed in force (None: unthrottled)
    folder: str = ""  # where its replicas of this cluster are


@dataclass(frozen=True)
class BlockStatus:
    id: int
    file: str
    index: int
    length: int
    checksum: str
    replicas: tuple[int, ...]  # nodes with an acknowledged copy
    live: tuple[int, ...]  # of those, the ones whose replica counts (node not dead)


@dataclass(frozen=True)
class Health:
    blocks: int  # committed blocks
    under_replicated: int
    missing: int
    missing_blocks: tuple[int, ...]
    live_nodes: int
    dead_nodes: int


@dataclass(frozen=True)
class Snapshot:
    """A consistent copy of what the coordinator knows, at one moment."""
    nodes: dict[int, NodeStatus]
    blocks: dict[int, BlockStatus]
    files: dict[str, tuple[int, ...]]
    health: Health
    replicating: int  # re-replication copies in flight


@dataclass(frozen=True)
class StoredFile:
    """What ``put`` stored."""
    file: str
    size: int
    blocks: int
    elapsed_s: float


@dataclass(frozen=True)
class JobSpec:
    kind: str  # "count" | "wordcount"
    file: str
    word: str | None = None
    ignore_case: bool = False
    top: int = 20


@dataclass(frozen=True)
class MissingBlock:
    """A block a job could not read: where its bytes are in the input, and why."""
    id: int
    offset: int
    length: int
    reason: str

    def to_dict(self) -> dict:
        return {"id": self.id, "offset": self.offset, "length": self.length, "reason": self.reason}


@dataclass
class JobResult:
    job: int
    kind: str
    status: str  # a JobStatus value
    count: int | None
    top: list
    missing_blocks: list
    tasks_total: int
    map_tasks: int
    reduce_tasks: int
    node_local: int
    non_local: int
    retried: int
    elapsed_s: float
    word: str | None = None
    ignore_case: bool = False
    speculated: int = 0  # backup attempts launched (not counted in retried)
    missing: list = field(default_factory=list)  # MissingBlock for each missing block
    covered_bytes: int = 0  # bytes of the input the result is over
    total_bytes: int = 0
    reexecuted: int = 0  # completed map tasks run again because their output was lost
    failure: str = ""  # status "failed": why no honest result could be made

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["missing"] = [b.to_dict() for b in self.missing]
        return d
