"""Messages on the pipe between the coordinator and a data node process.

Commands go coordinator -> node, reports go node -> coordinator. All are small slotted
dataclasses pickled over a ``multiprocessing`` pipe; block data travels as ``bytes``.
"""

from __future__ import annotations

from dataclasses import dataclass


# -- coordinator -> node ----------------------------------------------------------------

@dataclass(slots=True)
class StoreBlock:
    """Put: read the block from the client's file, verify its checksum, write it."""
    req: int
    block: int
    path: str
    offset: int
    length: int
    checksum: str


@dataclass(slots=True)
class SendBlock:
    """Re-replication source: read a replica, verify it against ``checksum`` (the
    coordinator's), send its bytes back."""
    req: int
    block: int
    checksum: str | None = None


@dataclass(slots=True)
class WriteBlock:
    """Re-replication target: verify and write bytes received from another node."""
    req: int
    block: int
    data: bytes
    checksum: str


@dataclass(slots=True)
class DeleteBlock:
    block: int


@dataclass(slots=True)
class RunTask:
    """Run one task attempt. ``op`` is "count" or "wordcount_map" (read ``block`` from the
    local disk, or take ``data`` sent with it) or "wordcount_reduce" (merge the pieces of its
    partition that follow as ``ShufflePiece`` messages, until ``ShuffleDone``)."""
    attempt: int
    op: str
    block: int | None = None
    checksum: str | None = None  # the coordinator's checksum of ``block``: the replica must match
    word: str | None = None
    ignore_case: bool = False
    partitions: int = 1
    top: int = 20
    job: int = 0
    partition: int | None = None  # wordcount_reduce: which partition it reduces
    data: bytes | None = None  # a non-local map attempt: the block's bytes, read on a holder


@dataclass(slots=True)
class SendMapOutput:
    """Shuffle: send back partition ``partition`` of map attempt ``attempt``'s output."""
    req: int
    attempt: int
    partition: int


@dataclass(slots=True)
class ShufflePiece:
    """Shuffle: one map task's output for reduce attempt ``attempt`` (pickled word counts)."""
    attempt: int
    map_task: int
    data: bytes


@dataclass(slots=True)
class ShuffleDone:
    """Shuffle: every piece of reduce attempt ``attempt`` was sent; ``map_tasks`` lists them."""
    attempt: int
    map_tasks: tuple


@dataclass(slots=True)
class KeepJobOutputs:
    """Drop map outputs of jobs not in ``jobs``, and give up reduce attempts not in
    ``attempts`` (the coordinator no longer waits for them)."""
    jobs: tuple
    attempts: tuple


@dataclass(slots=True)
class SetDiskSpeed:
    """Change the node's simulated disk bandwidth at once (MB/s; None = unthrottled)."""
    mbps: float | None


@dataclass(slots=True)
class SendBlockReport:
    """Asks a node that was declared dead and is heard from again to re-register."""


@dataclass(slots=True)
class Shutdown:
    pass


# -- node -> coordinator ----------------------------------------------------------------

@dataclass(slots=True)
class Register:
    """First message of a node process, and its answer to SendBlockReport: who it is and
    every replica in its folder (block id -> (length, checksum))."""
    node: int
    pid: int
    report: dict
    cluster_id: str = ""  # the cluster whose replicas these are


@dataclass(slots=True)
class Metrics:
    """Cumulative counters, sent every metrics interval (several times a second) for the
    live plots. Not proof of life: only heartbeats are, as in HDFS."""
    node: int
    seq: int
    bytes_read: int
    bytes_written: int
    bytes_copied: int
    stored_bytes: int
    blocks: int
    tasks_running: int
    at: float = 0.0  # the node's time.monotonic() when it read the counters (system-wide clock)


@dataclass(slots=True)
class Heartbeat(Metrics):
    """Proof of life, every ``heartbeat`` seconds, carrying the same counters."""


CAUSE_INPUT = "input"  # the put's input file changed, vanished or cannot be read
CAUSE_DISK = "disk"  # this node's disk refused the write (full, read-only, I/O error)
CAUSE_DATA = "data"  # the bytes did not match their checksum on arrival


@dataclass(slots=True)
class BlockWritten:
    req: int
    block: int
    ok: bool
    error: str = ""
    cause: str = ""  # why it failed: CAUSE_INPUT | CAUSE_DISK | CAUSE_DATA


@dataclass(slots=True)
class BlockData:
    req: int
    block: int
    data: bytes | None
    error: str = ""  # "corrupt" | "missing" | other


@dataclass(slots=True)
class TaskResult:
    attempt: int
    ok: bool
    result: object = None
    error: str = ""  # "corrupt" | "missing" | other
    bytes_read: int = 0
    elapsed_s: float = 0.0


@dataclass(slots=True)
class MapOutputData:
    """Shuffle: a map output partition (``data`` None: this node no longer holds it)."""
    req: int
    data: bytes | None
    error: str = ""


@dataclass(slots=True)
class ReplicaCorruptFound:
    """The node's background block scanner found a replica whose bytes fail its checksum
    (confirmed by a second read)."""
    block: int
