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

``validate()`` checks every field's type (a bool is not a number, ``nan`` and ``inf`` are
not seconds) and its bounds (``engine.values``), and raises ``ConfigError`` naming the field.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, replace

from .errors import UsageError
from .sizes import sizes_apart
from .values import (MAX_ATTEMPTS, MAX_BLOCK_SIZE, MAX_NODES, MAX_SLOTS, MAX_STREAMS, BadValue, number,
                     plain, seconds, shown)

MIB = 1024 * 1024
# A simulated disk is at least 1 KB/s (slower would take years to read a block) and at most
# 1 TB/s (beyond any real one); MB = 10**6 bytes.
MIN_DISK_MBPS, MAX_DISK_MBPS = 0.001, 1e6
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Fields that are command-line options: their errors name the option (--dead-after).
_OPTIONS = {"nodes", "replication", "block_size", "heartbeat", "dead_after", "slots", "seed", "disk_mbps",
            "log_level", "data_dir", "backend", "scheduler", "tls_ca_file", "tls_cert", "tls_key"}
BACKENDS = ("local", "dask")  # engine.backend's registry opens each


class ConfigError(UsageError):
    """A ClusterConfig field that is not valid: ``field`` names it, ``problem`` says why
    (``must be at least 1 (got 0)``). The message names the command-line option of the
    field where there is one (``--nodes must be ...``), else the field itself."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        name = "--" + field.replace("_", "-") if field in _OPTIONS else field
        super().__init__(f"{name} {problem}")


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
    # Where the cluster runs: "local" (node processes of our own) or "dask" (Dask distributed
    # workers); with "dask", ``scheduler`` attaches to a running scheduler (tcp://HOST:PORT)
    # instead of starting one with workers on this machine.
    backend: str = "local"
    scheduler: str | None = None
    # TLS with a remote scheduler (tls://...): the CA that signed the cluster's certificates,
    # and this client's certificate and key (PEM files), as Dask's ``Security`` takes them.
    tls_ca_file: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None

    def validate(self) -> "ClusterConfig":
        """This config, if every field has its type and is within its bounds (see
        ``engine.values``); ConfigError naming the first field that is not otherwise.
        The CLI, the GUI and scenario files all construct configs, so every check is here."""
        self._whole("nodes", minimum=1, maximum=MAX_NODES)
        self._whole("replication", minimum=1)
        if self.replication > self.nodes:
            raise ConfigError("replication", f"{self.replication} is above the node count {self.nodes}: "
                                              "every replica needs a distinct node")
        self._whole("block_size", minimum=1)
        if self.block_size > MAX_BLOCK_SIZE:
            got, bound = sizes_apart(self.block_size, MAX_BLOCK_SIZE)
            raise ConfigError("block_size", f"must be at most {bound}, got {got}")
        self._seconds("heartbeat", interval=True)
        self._seconds("dead_after", positive=True)
        if not self.dead_after > self.heartbeat:
            raise ConfigError("dead_after", f"({plain(self.dead_after)}) must be longer than the heartbeat "
                                            f"interval ({plain(self.heartbeat)})")
        self._whole("slots", minimum=1, maximum=MAX_SLOTS)
        self._whole("max_streams", minimum=1, maximum=MAX_STREAMS)
        self._whole("max_attempts", minimum=1, maximum=MAX_ATTEMPTS)
        self._whole("seed")
        if self.disk_mbps is not None:
            self._check("disk_mbps", minimum=MIN_DISK_MBPS, maximum=MAX_DISK_MBPS, unit="MB/s")
        self._seconds("metrics_interval", interval=True)
        if not isinstance(self.speculation, bool):
            raise ConfigError("speculation", f"must be true or false (got {shown(self.speculation)})")
        self._check("speculation_factor", minimum=1)
        self._seconds("speculation_min_s")
        if self.scan_interval is not None:
            self._seconds("scan_interval", interval=True)
        if self.locality_wait is not None:
            self._seconds("locality_wait")
        if not isinstance(self.log_level, str) or self.log_level.upper() not in _LOG_LEVELS:
            raise ConfigError("log_level", f"must be DEBUG, INFO, WARNING or ERROR (got {shown(self.log_level)})")
        if self.data_dir is not None and (not isinstance(self.data_dir, str) or not self.data_dir):
            raise ConfigError("data_dir", f"must be a folder name (got {shown(self.data_dir)})")
        if self.backend not in BACKENDS:
            raise ConfigError("backend", f"must be {' or '.join(repr(b) for b in BACKENDS)} (got {shown(self.backend)})")
        if self.backend == "dask" and self.data_dir is not None:
            raise ConfigError("data_dir", "needs the local backend: Dask workers keep their blocks in memory")
        if self.scheduler is not None:
            if self.backend != "dask":
                raise ConfigError("scheduler", "needs the dask backend (--backend dask)")
            if not isinstance(self.scheduler, str) or not re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d{1,5}", self.scheduler):
                raise ConfigError("scheduler", f"must be tcp://HOST:PORT or tls://HOST:PORT (got {shown(self.scheduler)})")
        tls = {name: getattr(self, name) for name in ("tls_ca_file", "tls_cert", "tls_key")}
        for name, path in tls.items():
            if path is None:
                continue
            if not isinstance(self.scheduler, str) or not self.scheduler.startswith("tls://"):
                raise ConfigError(name, "needs a tls:// scheduler (--scheduler tls://HOST:PORT)")
            if not isinstance(path, str) or not os.path.isfile(path):
                raise ConfigError(name, f"must be a readable PEM file (got {shown(path)})")
        given = [path for path in tls.values() if path is not None]
        if given and len(given) < len(tls):  # none: Dask's own configuration (distributed.comm.tls)
            missing = next(name for name, path in tls.items() if path is None)
            raise ConfigError(missing, "is needed too: --tls-ca-file, --tls-cert and --tls-key go together")
        return self

    def _check(self, name: str, **bounds) -> None:
        try:
            number(getattr(self, name), **bounds)
        except BadValue as exc:
            raise ConfigError(name, str(exc)) from None

    def _whole(self, name: str, **bounds) -> None:
        self._check(name, whole=True, **bounds)

    def _seconds(self, name: str, positive: bool = False, interval: bool = False) -> None:
        try:
            seconds(getattr(self, name), positive=positive, interval=interval)
        except BadValue as exc:
            raise ConfigError(name, str(exc)) from None

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



# The window's cluster: HDFS's shape at a pace a room can follow (heartbeat << suspect << dead).
WINDOW_DEFAULTS = ClusterConfig(nodes=6, replication=3, block_size=256 * 1024, heartbeat=0.5, dead_after=2.0,
                                disk_mbps=1.0, metrics_interval=0.25)


def slowed(config: ClusterConfig, slow: float) -> ClusterConfig:
    """``config`` in slow motion: heartbeat and failure detection ``slow`` times longer, disks
    (and so copies) ``slow`` times slower, so a room sees every step."""
    if slow == 1:
        return config
    return config.with_changes(heartbeat=config.heartbeat * slow, dead_after=config.dead_after * slow,
                               disk_mbps=None if config.disk_mbps is None else config.disk_mbps / slow)
