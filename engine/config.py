"""Cluster settings, validated once, shared by the CLI, the GUI and scenario files.

Timing defaults scale HDFS's own by about 1/6 for the heartbeat and 1/315 for failure
detection: HDFS heartbeats every 3 s and declares a data node dead after 2 x 300 s (recheck)
+ 10 x 3 s = 630 s of silence. That long window avoids replication storms when nodes flap on
a real network; on one machine a lecture cannot wait ten minutes, so ClusterScope heartbeats
every 0.5 s and declares a node dead after 2.0 s (four missed heartbeats), keeping HDFS's
ordering (heartbeat << suspect << dead) at a pace a room can watch.

Speculative execution follows MapReduce's backup tasks: once half of a job's map tasks (and
at least three) have finished, a map attempt that has run longer than ``speculation_factor``
times their median duration, and at least ``speculation_min_s``, gets one backup attempt on
another replica holder; the first to finish wins. The block scanner (HDFS's
``dfs.datanode.scan.period``) re-verifies every replica of a node once per ``scan_interval``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from .errors import UsageError

MIB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class ClusterConfig:
    nodes: int = 6
    replication: int = 3
    block_size: int = 1 * MIB
    heartbeat: float = 0.5
    dead_after: float = 2.0
    slots: int = 2
    max_streams: int = 2
    max_attempts: int = 4
    seed: int = 1
    disk_mbps: float | None = None  # simulated disk bandwidth per node, MB = 10**6 bytes/s
    metrics_interval: float = 0.25
    speculation: bool = True  # launch backup attempts for straggling map tasks
    speculation_factor: float = 2.0  # straggler: running > factor x median finished map task
    speculation_min_s: float = 1.0  # ... and running at least this long (never judge sooner)
    scan_interval: float | None = None  # seconds per full background scan of a node's replicas
    # Delay scheduling: a node with a free slot and no local task for this long takes a task
    # whose holders are busy, reading its block from a holder (non-local). None: never.
    locality_wait: float | None = 3.0
    log_level: str = "WARNING"
    data_dir: str | None = None

    def validate(self) -> "ClusterConfig":
        if self.nodes < 1:
            raise UsageError(f"--nodes must be at least 1 (got {self.nodes})")
        if self.nodes > 256:
            raise UsageError(f"--nodes must be at most 256 (got {self.nodes})")
        if self.replication < 1:
            raise UsageError(f"--replication must be at least 1 (got {self.replication})")
        if self.replication > self.nodes:
            raise UsageError(
                f"--replication {self.replication} is above the node count {self.nodes}: "
                "every replica needs a distinct node"
            )
        if self.block_size < 1:
            raise UsageError(f"--block-size must be positive (got {self.block_size})")
        if not self.heartbeat > 0:
            raise UsageError(f"--heartbeat must be positive (got {self.heartbeat})")
        if not self.dead_after > self.heartbeat:
            raise UsageError(
                f"--dead-after ({self.dead_after}) must be longer than --heartbeat ({self.heartbeat})"
            )
        if self.slots < 1:
            raise UsageError(f"--slots must be at least 1 (got {self.slots})")
        if self.max_streams < 1:
            raise UsageError(f"max_streams must be at least 1 (got {self.max_streams})")
        if self.disk_mbps is not None and not self.disk_mbps > 0:
            raise UsageError(f"--disk-mbps must be positive (got {self.disk_mbps})")
        if not isinstance(self.speculation, bool):
            raise UsageError(f"speculation must be true or false (got {self.speculation!r})")
        if not _positive(self.speculation_factor) or not self.speculation_factor >= 1:
            raise UsageError(f"speculation_factor must be at least 1 (got {self.speculation_factor})")
        if not _number(self.speculation_min_s) or not self.speculation_min_s >= 0:
            raise UsageError(f"speculation_min_s must be zero or more (got {self.speculation_min_s})")
        if self.scan_interval is not None and not _positive(self.scan_interval):
            raise UsageError(f"scan_interval must be positive seconds or None (got {self.scan_interval})")
        if self.locality_wait is not None and (not _number(self.locality_wait) or self.locality_wait < 0):
            raise UsageError(f"locality_wait must be zero or more seconds, or None (got {self.locality_wait!r})")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise UsageError(f"--log-level must be DEBUG, INFO, WARNING or ERROR (got {self.log_level!r})")
        return self

    def disk_speed(self, mbps: float | None) -> float | None:
        """A per-node override of the disk speed, or the cluster's default when None."""
        return self.disk_mbps if mbps is None else mbps

    @property
    def suspect_after(self) -> float:
        """Silence after which a node is shown as suspect: two missed heartbeats."""
        return min(2 * self.heartbeat, self.dead_after / 2)

    def with_changes(self, **changes) -> "ClusterConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return asdict(self)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value) -> bool:
    return _number(value) and value > 0
