"""The "dask" backend: the same cluster on Dask ``distributed`` (``pip install .[dask]``).

A Dask scheduler runs in this process; each node is one ``dask worker`` process of its own
(``--no-nanny``: a killed node stays dead, as a killed machine does; Cluster > Restart starts
it again), with one thread per slot. A block is R replicas, each its own key scattered to
one worker and pinned there; map tasks run only on a worker that holds a replica of their
block (``workers=[...]``, ``allow_other_workers=False``), so every map is node-local, and
read the block from that worker's memory. Reduce tasks fetch the map outputs through Dask's
own transfers (the shuffle).

Where Dask differs from the teaching model, and what this backend does about it:

- Dask's Active Memory Manager (ReduceReplicas) drops copies it thinks unneeded and
  ``Client.replicate`` is documented as racy (dask/distributed #6713, #6578): the manager
  is turned off, and each replica is a key of its own that only its worker holds, so R is
  R real copies.
- Scattered data whose every holder died cannot be recomputed: the block is lost, and a job
  over it is ``incomplete`` and names it.
- Dask removes a worker when its connection breaks (a SIGKILL is seen at once, not after a
  silence) or after ``worker-ttl`` without a heartbeat (a paused worker): that removal is
  the death declaration here (``worker-ttl`` is ``dead_after``, at least 5 s: Dask's own
  heartbeats come every 0.5 s or more, later under load, and a shorter ttl drops healthy
  workers).
- A task whose attempts killed 3 workers is marked bad by Dask (``allowed-failures``): this
  backend retries a failed task itself, on another replica, and sets ``allowed-failures`` to
  0 so that Dask never reruns one behind its back.
- Blocks live in the workers' memory (Dask spills to its local folder, under this cluster's
  temporary folder, when memory runs short), not in files: ``corrupt_replica`` flips a byte
  of a worker's copy, and the map task's checksum check finds it.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from . import dask_tasks
from . import events as ev
from . import tempfiles
from .blocks import BlockSpan, checksum, file_identity, scan_text_file
from .bus import EventBus
from .config import ClusterConfig
from .errors import ClusterError, TimedOut, UsageError
from .model import (BlockStatus, Health, JobResult, JobSpec, JobStatus, MissingBlock, NodeState, NodeStatus,
                    ProcessState, Snapshot, StoredFile)
from .placement import choose_targets
from .settle import Settlement, settle_blocks
from .text import top_k, validate_word
from .values import BadValue, number

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLL_S = 0.05  # how often the watcher asks the scheduler which workers it has
MIN_WORKER_TTL_S = 5.0
SCATTER_BATCH = 64 << 20  # a put reads and scatters about this many bytes of blocks at a time
_DASK_LOGGERS = ("distributed", "distributed.scheduler", "distributed.core", "distributed.client")


def _dask():
    try:
        import dask
        import distributed
    except ImportError:
        raise UsageError("the dask backend needs Dask distributed: pip install '.[dask]'") from None
    return dask, distributed


def _dask_heartbeat_s(workers: int) -> float:
    """How often Dask's workers heartbeat (distributed.scheduler.heartbeat_interval)."""
    try:
        from distributed.scheduler import heartbeat_interval
        return float(heartbeat_interval(workers))
    except Exception:
        return 0.5 if workers <= 10 else 1.0


@dataclass
class _Node:
    id: int
    process: subprocess.Popen | None = None
    address: str | None = None
    state: NodeState = NodeState.STARTING
    proc_state: ProcessState = ProcessState.RUNNING
    disk_mbps: float | None = None
    running: int = 0
    silent_since: float | None = None  # when it was killed or paused
    dask_name: str = ""  # the worker's name at the scheduler
    remote_pid: int = 0  # a worker of a remote cluster: its pid on its host, if Dask says

    def __post_init__(self):
        self.dask_name = self.dask_name or f"node-{self.id}"

    @property
    def pid(self) -> int:
        return self.process.pid if self.process is not None else self.remote_pid

    @property
    def name(self) -> str:
        return self.dask_name


@dataclass
class _Block:
    id: int
    file: str
    index: int
    offset: int
    length: int
    checksum: str
    replicas: dict = field(default_factory=dict)  # node id -> the Future of its copy


@dataclass
class _Job:
    id: int
    spec: JobSpec
    started: float
    done: threading.Event = field(default_factory=threading.Event)
    result: JobResult | None = None


class DaskCluster:
    """A cluster of Dask worker processes on this machine (the "dask" backend)."""

    name = "dask"

    def __init__(self, config: ClusterConfig | None = None):
        self.config = (config or ClusterConfig()).validate()
        self.bus = EventBus()
        self.t0 = time.monotonic()
        self.started = self.stopped = False
        self._lock = threading.RLock()
        self._publish_lock = threading.Lock()
        self._changed = threading.Condition()
        self._nodes: dict[int, _Node] = {}
        self._blocks: dict[int, _Block] = {}
        self._files: dict[str, tuple[int, ...]] = {}
        self._copies: dict[int, tuple] = {}  # block -> (source, target, future, started)
        self._jobs: dict[int, _Job] = {}
        self._next_block = 0
        self._rng = random.Random(self.config.seed)
        self._putting = 0
        self._frozen = False
        self._folder = ""
        self._cluster = self._client = None
        self._watcher: threading.Thread | None = None
        self._work: list[tuple[int, float, float, int, str]] = []  # (node, start, end, bytes, rate)
        self._metrics_at = 0.0
        self._log_handler: logging.Handler | None = None

    # -- events -------------------------------------------------------------------------

    def _now(self) -> float:
        return round(time.monotonic() - self.t0, 4)

    def _emit(self, *events: ev.Event) -> None:
        with self._publish_lock:
            self.bus.publish(events)
        with self._changed:
            self._changed.notify_all()

    def _event(self, cls, **fields) -> ev.Event:
        return cls(t=self._now(), **fields)

    def subscribe(self, callback) -> Callable[[], None]:
        return self.bus.subscribe(callback)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> "DaskCluster":
        if self.started:
            raise ClusterError("cluster already started")
        dask, distributed = _dask()
        self.started = True
        self._folder = tempfiles.make_temp_folder("clusterscope-dask-")
        dask.config.set({
            "distributed.scheduler.active-memory-manager.start": False,
            "distributed.scheduler.work-stealing": False,
            "distributed.scheduler.allowed-failures": 0,
            # A worker heartbeats every 0.5 s or more and later under load: a shorter ttl
            # would drop busy, healthy workers.
            "distributed.scheduler.worker-ttl": f"{max(self.config.dead_after, MIN_WORKER_TTL_S)}s",
            "distributed.scheduler.http.routes": [],  # no dashboard, nothing served over HTTP
        })
        self._route_dask_logs()
        self.t0 = time.monotonic()
        if self.config.scheduler:
            self._attach(distributed, timeout)
        else:
            try:
                self._cluster = distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp",
                                                         host="127.0.0.1", scheduler_port=0,
                                                         dashboard_address="127.0.0.1:0")
                self._client = distributed.Client(self._cluster, set_as_default=False)
            except Exception as exc:
                self.stop()
                raise ClusterError(f"the Dask scheduler did not start: {exc}") from None
            self._started_event(self.config.nodes)
            for node_id in range(self.config.nodes):
                self._spawn(node_id)
        self._watcher = threading.Thread(target=self._watch, name="clusterscope-dask-watch", daemon=True)
        self._watcher.start()
        if not self._wait(lambda: all(n.state == NodeState.ALIVE for n in self._nodes.values()), timeout):
            self.stop()
            raise TimedOut(f"the {self.config.nodes} Dask workers did not all start within {timeout:.3g} s")
        self.startup_s = time.monotonic() - self.t0
        return self

    def _started_event(self, nodes: int) -> None:
        self._emit(self._event(ev.ClusterStarted, nodes=nodes, replication=self.config.replication,
                               block_size=self.config.block_size, heartbeat=self.config.heartbeat,
                               dead_after=self.config.dead_after, data_dir=self._folder,
                               disk_mbps=self.config.disk_mbps, backend=self.name))

    @property
    def remote(self) -> bool:
        """Attached to a running scheduler (``--scheduler``): its workers are not ours."""
        return bool(self.config.scheduler)

    def _attach(self, distributed, timeout: float) -> None:
        """The workers of a running Dask cluster become the nodes, in the order of their names."""
        address = self.config.scheduler
        security = None
        if self.config.tls_ca_file:
            security = distributed.security.Security(tls_ca_file=self.config.tls_ca_file,
                                                     tls_client_cert=self.config.tls_cert,
                                                     tls_client_key=self.config.tls_key, require_encryption=True)
        try:
            self._client = distributed.Client(address, security=security, timeout=timeout, set_as_default=False)
            workers = self._workers()
        except Exception as exc:
            self.stop()
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        if len(workers) < self.config.replication:
            self.stop()
            raise ClusterError(f"the Dask scheduler at {address} has {len(workers)} worker(s); replication "
                               f"{self.config.replication} needs at least {self.config.replication}")
        ordered = sorted(workers.items(), key=lambda item: (str(item[1].get("name")), item[0]))
        for node_id, (worker, info) in enumerate(ordered):
            try:  # the same software on every worker: the task functions import there
                self._client.submit(dask_tasks.copy_block, b"", workers=[worker], allow_other_workers=False,
                                    pure=False).result(timeout=timeout)
            except Exception as exc:
                self.stop()
                raise ClusterError(f"the Dask worker {info.get('name')} ({worker}) cannot run ClusterScope's "
                                   f"tasks ({type(exc).__name__}: {exc}): install clusterscope on every worker "
                                   "host") from None
            self._nodes[node_id] = _Node(node_id, disk_mbps=self.config.disk_mbps, dask_name=str(info.get("name")),
                                         remote_pid=int(info.get("pid") or 0))
        self._started_event(len(ordered))
        for node in self._nodes.values():
            self._emit(self._event(ev.NodeStarting, node=node.id, pid=node.pid, restart=False))

    def _only_here(self, what: str) -> None:
        if self.remote:
            raise UsageError(f"{what} needs workers on this machine (the dask backend without --scheduler)")

    def _route_dask_logs(self) -> None:
        """Dask's own log lines become log events (the event log shows them), not stderr."""
        cluster = self

        class ToEvents(logging.Handler):
            def emit(self, record):
                try:
                    # Dask's own account (a worker removed, data it lost) is information
                    # here: the cluster's events say what it means for the blocks and tasks.
                    cluster._emit(cluster._event(ev.LogMessage, node=None, level="INFO", logger=record.name,
                                                 message="Dask: " + record.getMessage()))
                except Exception:
                    pass

        self._log_handler = ToEvents(level=logging.WARNING)
        for name in _DASK_LOGGERS:
            logger = logging.getLogger(name)
            logger.addHandler(self._log_handler)
            if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
                logger.addHandler(logging.NullHandler())  # after the cluster: nothing on stderr
            logger.propagate = False
        for handler in list(logging.getLogger("distributed").handlers):
            if isinstance(handler, logging.StreamHandler) and handler is not self._log_handler:
                logging.getLogger("distributed").removeHandler(handler)

    def _unroute_dask_logs(self) -> None:
        if self._log_handler is not None:
            for name in _DASK_LOGGERS:
                logging.getLogger(name).removeHandler(self._log_handler)
            self._log_handler = None

    def _spawn(self, node_id: int, restart: bool = False) -> _Node:
        address = self._cluster.scheduler_address
        scratch = os.path.join(self._folder, f"node-{node_id}")
        os.makedirs(scratch, exist_ok=True)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
                   CLUSTERSCOPE_PARENT_PID=str(os.getpid()), CLUSTERSCOPE_FOLDER=self._folder)
        process = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--no-nanny",
             "--preload", "engine.dask_preload",
             "--nthreads", str(self.config.slots), "--name", f"node-{node_id}", "--no-dashboard",
             "--death-timeout", "10", "--local-directory", scratch],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
        with self._lock:
            node = self._nodes.get(node_id)
            if node is None:
                node = self._nodes[node_id] = _Node(node_id, disk_mbps=self.config.disk_mbps)
            node.process, node.address, node.state = process, None, NodeState.STARTING
            node.proc_state, node.silent_since, node.running = ProcessState.RUNNING, None, 0
        self._emit(self._event(ev.NodeStarting, node=node_id, pid=process.pid, restart=restart))
        return node

    def stop(self, timeout: float = 3.0) -> None:
        if self.stopped or not self.started:
            return
        self.stopped = True
        with self._changed:
            self._changed.notify_all()
        if self._watcher is not None:
            self._watcher.join(2.0)
        self._unroute_dask_logs()  # its account of the shutdown is not news
        processes = [n.process for n in self._nodes.values() if n.process is not None]
        for process in processes:
            if process.poll() is None:
                self._signal(process.pid, signal.SIGCONT)
                self._signal(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                process.wait(max(0.05, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(process.pid, signal.SIGKILL)
                process.wait(5.0)
        for closing in (self._client, self._cluster):
            if closing is not None:
                try:
                    closing.close(timeout=5)
                except Exception:
                    pass
        self._emit(self._event(ev.ClusterStopped))
        if self._folder:
            tempfiles.remove_temp_folder(self._folder)

    @staticmethod
    def _signal(pid: int, sig) -> None:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def __enter__(self) -> "DaskCluster":
        if not self.started:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def node_pids(self) -> dict[int, int]:
        with self._lock:
            return {n.id: n.pid for n in self._nodes.values() if n.process is not None}

    # -- the watcher: Dask's membership as the cluster's ----------------------------------

    def _watch(self) -> None:
        while not self.stopped:
            try:
                workers = self._workers()
            except Exception:
                if self.stopped:
                    return
                time.sleep(POLL_S)
                continue
            by_name = {str(w.get("name")): address for address, w in workers.items()}
            seen = {str(w.get("name")): float(w.get("last_seen") or time.time()) for w in workers.values()}
            self._membership(by_name, seen)
            self._finish_copies()
            self._replicate()
            if self._now() - self._metrics_at >= self.config.metrics_interval:
                self._emit_metrics()
            with self._changed:
                self._changed.wait(POLL_S)

    def _workers(self) -> dict:
        """The scheduler's workers now, asked of the scheduler itself. (``Client.scheduler_info``
        returns the client's cached copy, which its periodic refresh may have just replaced
        with one that lists no worker at all: every node would seem gone.)"""
        return self._client.sync(self._client.scheduler.identity, n_workers=-1)["workers"]

    def _membership(self, by_name: dict[str, str], seen: dict[str, float]) -> None:
        events = []
        wall = time.time()
        # suspect after two of Dask's own heartbeats missed (every 0.5 s for up to 10 workers,
        # slower for more), never sooner than the teaching model's suspect_after
        suspect_after = max(self.config.suspect_after, 4 * _dask_heartbeat_s(len(by_name)))
        with self._lock:
            for node in self._nodes.values():
                address = by_name.get(node.name)
                silent = wall - seen.get(node.name, wall)
                if address is not None and node.state in (NodeState.STARTING, NodeState.RESTARTING):
                    node.address, node.state = address, NodeState.ALIVE
                    events.append(self._event(ev.NodeStarted, node=node.id, pid=node.pid))
                elif address is not None and node.state == NodeState.DEAD and node.proc_state == ProcessState.RUNNING:
                    # removed by Dask (a pause longer than worker-ttl), back now with nothing
                    node.address, node.state, node.silent_since = address, NodeState.ALIVE, None
                    events.append(self._event(ev.NodeRejoined, node=node.id, pid=node.pid, blocks=0, accepted=0))
                elif address is not None and node.state == NodeState.ALIVE and silent > suspect_after:
                    node.state = NodeState.SUSPECT  # Dask has not heard its heartbeat for a while
                    events.append(self._event(ev.NodeSuspect, node=node.id, silent_s=round(silent, 3)))
                elif address is not None and node.state == NodeState.SUSPECT and silent <= suspect_after:
                    node.state = NodeState.ALIVE
                    events.append(self._event(ev.NodeRecovered, node=node.id))
                elif address is None and node.state in (NodeState.ALIVE, NodeState.SUSPECT):
                    events += self._declare_dead(node)
                elif node.state == NodeState.DEAD and node.proc_state != ProcessState.KILLED \
                        and node.process is not None and node.process.poll() is not None:
                    node.proc_state = ProcessState.KILLED  # its process is gone: say so, once
                    events.append(self._event(
                        ev.LogMessage, node=node.id, level="WARNING", logger="clusterscope.dask",
                        message=f"Dask removed node {node.id}'s worker and the worker closed itself "
                                "(as Dask closes a worker it has not heard from for worker-ttl); "
                                "Restart starts it again"))
                elif address is None and node.state in (NodeState.STARTING, NodeState.RESTARTING) \
                        and node.process is not None and node.process.poll() is not None:
                    events.append(self._event(ev.NodeRefused, node=node.id, pid=node.pid,
                                              reason=f"the dask worker exited with status {node.process.returncode}"))
                    node.state = NodeState.DEAD
        if events:
            self._emit(*events, self._health_event())

    def _declare_dead(self, node: _Node) -> list:
        """Dask has removed the worker: its replicas and its copies in flight are gone."""
        lost = 0
        for block in self._blocks.values():
            if block.replicas.pop(node.id, None) is not None:
                lost += 1
        for block_id, (source, target, future, _) in list(self._copies.items()):
            if node.id in (source, target):
                future.cancel()
                del self._copies[block_id]
        node.state, node.address, node.running = NodeState.DEAD, None, 0
        silent = self._now() - node.silent_since if node.silent_since is not None else 0.0
        return [self._event(ev.NodeDeclaredDead, node=node.id, silent_s=round(max(silent, 0.0), 3),
                            lost_replicas=lost)]

    def note_work(self, node: int, started: float, ended: float, size: int, rate: str) -> None:
        """A task or a copy that moved ``size`` bytes on ``node`` between the two monotonic
        times: the throughput plots' figures come from these timings (Dask keeps no disk
        counters of ours)."""
        with self._lock:
            self._work.append((node, started - self.t0, ended - self.t0, size, rate))

    def _emit_metrics(self) -> None:
        now = self._now()
        window = self.config.metrics_interval
        self._metrics_at = now
        with self._lock:
            self._work = [w for w in self._work if w[2] > now - window]
            rates = {n: {"read_bps": 0.0, "write_bps": 0.0, "copy_bps": 0.0} for n in self._nodes}
            for node, start, end, size, rate in self._work:
                overlap = min(end, now) - max(start, now - window)
                if overlap > 0 and node in rates:
                    rates[node][rate] += size * overlap / max(end - start, 1e-6) / window
            held = {n: [0, 0] for n in self._nodes}
            for block in self._blocks.values():
                for n in block.replicas:
                    if n in held:
                        held[n][0] += block.length
                        held[n][1] += 1
            nodes = {n.id: {"state": n.state.value, "process": n.proc_state.value,
                            **{k: round(v, 1) for k, v in rates[n.id].items()},
                            "stored_bytes": held[n.id][0], "blocks": held[n.id][1], "tasks_running": n.running,
                            "silent_s": (round(now - n.silent_since, 3) if n.silent_since is not None else 0.0)
                            if n.state != NodeState.DEAD else None}
                     for n in self._nodes.values()}
        self._emit(self._event(ev.MetricsSample, nodes=nodes))

    def _alive(self) -> list[int]:
        return sorted(n.id for n in self._nodes.values() if n.state == NodeState.ALIVE)

    def _load(self) -> dict[int, int]:
        load = {n: 0 for n in self._alive()}
        for block in self._blocks.values():
            for n in block.replicas:
                if n in load:
                    load[n] += block.length
        for _, target, _, _ in self._copies.values():
            if target in load:
                load[target] += 1
        return load

    def _replicate(self) -> None:
        """Bring every block with a live copy back to R: Dask fetches the bytes from a
        worker that holds them onto one that does not (its own worker-to-worker transfer)."""
        if self._frozen:
            return
        events = []
        with self._lock:
            r = self.config.replication
            for block in self._blocks.values():
                if block.id in self._copies or not block.replicas or len(block.replicas) >= r:
                    continue
                sources = [n for n in block.replicas if self._nodes[n].state == NodeState.ALIVE]
                targets = choose_targets(self._load(), 1, set(block.replicas), self._rng)
                if not sources or not targets:
                    continue
                source, target = sources[0], targets[0]
                future = self._client.submit(dask_tasks.copy_block, block.replicas[source], block.checksum,
                                             key=f"block-{block.id}-copy-{target}-{time.monotonic_ns()}",
                                             workers=[self._nodes[target].address], allow_other_workers=False,
                                             pure=False)
                self._copies[block.id] = (source, target, future, time.monotonic())
                events.append(self._event(ev.TransferStarted, block=block.id, source=source, target=target,
                                          purpose="replicate"))
        if events:
            self._emit(*events)

    def _finish_copies(self) -> None:
        events = []
        with self._lock:
            for block_id, (source, target, future, started) in list(self._copies.items()):
                if not future.done():
                    continue
                del self._copies[block_id]
                block = self._blocks.get(block_id)
                if future.status == "finished" and block is not None and \
                        self._nodes[target].state == NodeState.ALIVE:
                    block.replicas[target] = future
                    self.note_work(target, started, time.monotonic(), block.length, "copy_bps")
                    events.append(self._event(ev.BlockStored, block=block_id, node=target, size=block.length,
                                              source=source, purpose="replicate"))
                else:
                    exc = future.exception() if future.status == "error" else None
                    events.append(self._event(ev.TransferFailed, block=block_id, source=source, target=target,
                                              reason=f"the copy ended {future.status}" + (f": {exc}" if exc else "")))
                    if isinstance(exc, dask_tasks.CorruptReplica) and block is not None \
                            and block.replicas.pop(source, None) is not None:
                        events.append(self._event(ev.BlockCorrupt, block=block_id, node=source,
                                                  detected_by="replication"))
        if events:
            self._emit(*events, self._health_event())

    # -- storage --------------------------------------------------------------------------

    def put(self, path: str, name: str | None = None, timeout: float = 600.0) -> StoredFile:
        """Store a UTF-8 text file: each block scattered to R distinct workers, read from the
        file a batch of blocks at a time (the file is never held whole)."""
        self._require_started()
        identity = file_identity(path)
        spans = scan_text_file(path, self.config.block_size)
        size = sum(s.length for s in spans)
        name = name or os.path.basename(path)
        started = time.monotonic()
        with self._lock:
            if name in self._files:
                raise UsageError(f"a file named {name!r} is already stored (delete it first)")
            alive = self._alive()
            if not alive:
                raise ClusterError(f"storing {name} failed: no live node; nothing was stored")
            ids = list(range(self._next_block, self._next_block + len(spans)))
            self._next_block += len(spans)
            self._putting += 1
        self._emit(self._event(ev.PutStarted, file=name, size=size, blocks=len(spans),
                               block_list=tuple((i, s.index, s.length, s.checksum) for i, s in zip(ids, spans))))
        try:
            blocks = self._scatter(name, path, spans, ids, timeout)
        finally:
            with self._lock:
                self._putting -= 1
        if file_identity(path) != identity:
            raise UsageError(f"{path}: changed or removed while it was being stored; nothing was stored")
        with self._lock:
            self._blocks.update({b.id: b for b in blocks})
            self._files[name] = tuple(ids)
        elapsed = round(time.monotonic() - started, 4)
        self._emit(self._event(ev.PutFinished, file=name, size=size, blocks=len(spans), elapsed_s=elapsed),
                   self._health_event())
        return StoredFile(file=name, size=size, blocks=len(spans), elapsed_s=elapsed)

    def _scatter(self, name, path, spans, ids, timeout) -> list[_Block]:
        """Scatter the blocks a batch of about ``SCATTER_BATCH`` bytes at a time."""
        r = self.config.replication
        with self._lock:
            load = self._load()
            addresses = {n: self._nodes[n].address for n in load}
        blocks = []
        deadline = time.monotonic() + timeout
        batch: list[tuple[int, BlockSpan]] = []
        batch_bytes = 0
        try:
            f = open(path, "rb")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror}); nothing was stored") from None
        with f:
            for i, (block_id, span) in enumerate(zip(ids, spans)):
                batch.append((block_id, span))
                batch_bytes += span.length
                if batch_bytes >= SCATTER_BATCH or i == len(spans) - 1:
                    blocks.extend(self._scatter_batch(name, path, f, batch, load, addresses, r, deadline, timeout))
                    batch, batch_bytes = [], 0
        return blocks

    def _scatter_batch(self, name, path, f, batch, load, addresses, r, deadline, timeout) -> list[_Block]:
        plan: dict[int, list[tuple[_Block, bytes]]] = {}
        blocks = []
        for block_id, span in batch:
            block = _Block(block_id, name, span.index, span.offset, span.length, span.checksum)
            blocks.append(block)
            try:
                f.seek(span.offset)
                piece = f.read(span.length)
            except OSError as exc:
                raise UsageError(f"{path}: cannot read ({exc.strerror}); nothing was stored") from None
            if checksum(piece) != span.checksum:
                raise UsageError(f"{path}: changed or removed while it was being stored; nothing was stored")
            for target in choose_targets(load, r, set(), self._rng):
                load[target] += span.length
                plan.setdefault(target, []).append((block, piece))
        for target, items in plan.items():
            if time.monotonic() > deadline:
                raise TimedOut(f"storing {name} did not finish within {timeout:.3g} s")
            self._emit(*[self._event(ev.TransferStarted, block=b.id, source=None, target=target, purpose="put")
                         for b, _ in items])
            try:
                futures = self._client.scatter([piece for _, piece in items], workers=[addresses[target]],
                                               hash=False, timeout=max(1.0, deadline - time.monotonic()))
            except Exception as exc:
                raise ClusterError(f"storing {name} failed: node {target} did not take its blocks ({exc}); "
                                   "nothing was stored") from None
            for (block, _), future in zip(items, futures):
                block.replicas[target] = future
            self._emit(*[self._event(ev.BlockStored, block=b.id, node=target, size=b.length, source=None,
                                     purpose="put") for b, _ in items])
        return blocks

    def delete_file(self, name: str) -> None:
        with self._lock:
            if name not in self._files:
                raise UsageError(f"no stored file named {name!r}")
            ids = self._files.pop(name)
            for block_id in ids:
                block = self._blocks.pop(block_id, None)
                copy = self._copies.pop(block_id, None)
                if copy is not None:
                    copy[2].cancel()
                if block is not None:
                    block.replicas.clear()  # the futures go: Dask forgets the data
        self._emit(self._event(ev.FileDeleted, file=name, block_ids=tuple(ids)), self._health_event())

    def files(self) -> dict[str, tuple[int, ...]]:
        with self._lock:
            return dict(self._files)

    # -- jobs -----------------------------------------------------------------------------

    def submit(self, spec: JobSpec) -> int:
        self._require_started()
        if spec.kind not in ("count", "wordcount"):
            raise UsageError(f"unknown job kind {spec.kind!r} (count or wordcount)")
        if spec.kind == "count":
            validate_word(spec.word)
        with self._lock:
            if spec.file not in self._files:
                raise UsageError(f"no stored file named {spec.file!r}")
            job = _Job(len(self._jobs) + 1, spec, time.monotonic())
            self._jobs[job.id] = job
        threading.Thread(target=self._run_job, args=(job,), name=f"clusterscope-dask-job-{job.id}",
                         daemon=True).start()
        return job.id

    def wait_job(self, job_id: int, timeout: float = 600.0) -> JobResult:
        job = self._jobs.get(job_id)
        if job is None:
            raise UsageError(f"no job {job_id}")
        if not job.done.wait(timeout):
            raise TimedOut(f"job {job_id} did not finish within {timeout:.3g} s")
        return job.result

    def run_job(self, spec: JobSpec, timeout: float = 600.0) -> JobResult:
        return self.wait_job(self.submit(spec), timeout)

    def _run_job(self, job: _Job) -> None:
        try:
            job.result = _JobRun(self, job).run()
        except Exception as exc:  # never a silent wait: the job ends, saying why
            job.result = self._failed(job, f"{type(exc).__name__}: {exc}")
        finally:
            job.done.set()

    def _failed(self, job: _Job, why: str) -> JobResult:
        elapsed = round(time.monotonic() - job.started, 3)
        self._emit(self._event(ev.JobFinished, job=job.id, job_kind=job.spec.kind, status="failed", count=None,
                               top=(), missing_blocks=(), tasks_total=0, node_local=0, non_local=0, retried=0,
                               elapsed_s=elapsed, failure=why))
        return JobResult(job.id, job.spec.kind, JobStatus.FAILED.value, None, [], [], 0, 0, 0, 0, 0, 0, elapsed,
                         word=job.spec.word, ignore_case=job.spec.ignore_case, failure=why)

    # -- faults and membership --------------------------------------------------------------

    def _node(self, node_id) -> _Node:
        node = self._nodes.get(node_id) if isinstance(node_id, int) else None
        if node is None:
            raise UsageError(f"unknown node {node_id!r} (nodes are 0..{len(self._nodes) - 1})")
        return node

    def kill_node(self, node_id: int) -> int:
        if self.remote:
            return self._retire(node_id)
        with self._lock:
            node = self._node(node_id)
            if node.proc_state == ProcessState.KILLED or node.process is None:
                raise UsageError(f"node {node_id} is already killed")
            pid = node.pid
            self._signal(pid, signal.SIGKILL)
            node.proc_state, node.silent_since = ProcessState.KILLED, self._now()
        node.process.wait(5.0)
        self._emit(self._event(ev.NodeKilled, node=node_id, pid=pid))
        return pid

    def _retire(self, node_id: int) -> int:
        """A remote worker is retired (Dask's own decommissioning; it closes the worker)."""
        with self._lock:
            node = self._node(node_id)
            if node.state == NodeState.DEAD or node.proc_state == ProcessState.KILLED:
                raise UsageError(f"node {node_id} is already gone")
            address = node.address
            node.proc_state, node.silent_since = ProcessState.KILLED, self._now()
        self._emit(self._event(ev.NodeKilled, node=node_id, pid=node.pid))
        self._client.retire_workers([address], close_workers=True, remove=True)
        return node.pid

    def pause_node(self, node_id: int) -> None:
        self._only_here("pausing a node")
        with self._lock:
            node = self._node(node_id)
            if node.proc_state != ProcessState.RUNNING:
                raise UsageError(f"node {node_id} is {node.proc_state.value}, not running")
            self._signal(node.pid, signal.SIGSTOP)
            node.proc_state, node.silent_since = ProcessState.PAUSED, self._now()
        self._emit(self._event(ev.NodePaused, node=node_id, pid=node.pid))

    def resume_node(self, node_id: int) -> None:
        self._only_here("resuming a node")
        with self._lock:
            node = self._node(node_id)
            if node.proc_state != ProcessState.PAUSED:
                raise UsageError(f"node {node_id} is not paused")
            self._signal(node.pid, signal.SIGCONT)
            node.proc_state, node.silent_since = ProcessState.RUNNING, None
        self._emit(self._event(ev.NodeResumed, node=node_id, pid=node.pid))

    def restart_node(self, node_id: int) -> int:
        """A fresh worker under the same name; Dask gives it none of the old one's data."""
        self._only_here("restarting a node")
        with self._lock:
            node = self._node(node_id)
            if node.process is not None and node.process.poll() is None:
                self._signal(node.pid, signal.SIGKILL)
                self._signal(node.pid, signal.SIGCONT)
        if node.process is not None:
            node.process.wait(5.0)
        self._emit(self._event(ev.NodeRestarting, node=node_id))
        with self._lock:
            if node.state != NodeState.DEAD:
                self._emit(*self._declare_dead(node))
        return self._spawn(node_id, restart=True).pid

    def add_node(self) -> int:
        self._only_here("adding a node")
        self._require_started()
        with self._lock:
            node_id = max(self._nodes, default=-1) + 1
            if node_id >= 256:
                raise UsageError("a cluster has at most 256 nodes")
        self._emit(self._event(ev.NodeAdded, node=node_id))
        self._spawn(node_id)
        return node_id

    def corrupt_replica(self, node_id: int, block_id: int | None = None) -> int:
        with self._lock:
            node = self._node(node_id)
            held = sorted(b.id for b in self._blocks.values() if node_id in b.replicas)
            if block_id is None:
                if not held:
                    raise UsageError(f"node {node_id} holds no replica to corrupt")
                block_id = held[0]
            elif block_id not in held:
                raise UsageError(f"node {node_id} holds no replica of block {block_id}")
            block = self._blocks[block_id]
            damaged = self._client.submit(dask_tasks.corrupt_block, block.replicas[node_id], block.checksum,
                                          key=f"block-{block_id}-damaged-{node_id}-{time.monotonic_ns()}",
                                          workers=[node.address], allow_other_workers=False, pure=False)
        damaged.result(timeout=30)
        with self._lock:
            if node_id in block.replicas:
                block.replicas[node_id] = damaged
        self._emit(self._event(ev.ReplicaCorrupted, block=block_id, node=node_id))
        return block_id

    def set_disk_speed(self, node_id: int, mbps: float | None) -> None:
        if mbps is not None:
            try:
                mbps = number(mbps, above=0)
            except BadValue as exc:
                raise UsageError(f"disk speed for node {node_id}: {exc}") from None
        with self._lock:
            self._node(node_id).disk_mbps = mbps
        self._emit(self._event(ev.NodeDiskSpeed, node=node_id, mbps=mbps))

    def freeze(self) -> None:
        self._only_here("pausing the cluster")
        with self._lock:
            self._frozen = True
            for node in self._nodes.values():
                if node.proc_state == ProcessState.RUNNING:
                    self._signal(node.pid, signal.SIGSTOP)
        self._emit(self._event(ev.ClusterFrozen, frozen=True))

    def thaw(self) -> None:
        self._only_here("resuming the cluster")
        with self._lock:
            self._frozen = False
            for node in self._nodes.values():
                if node.proc_state == ProcessState.RUNNING:
                    self._signal(node.pid, signal.SIGCONT)
        self._emit(self._event(ev.ClusterFrozen, frozen=False))

    # -- queries and waiting ------------------------------------------------------------------

    def _require_started(self) -> None:
        if not self.started or self.stopped:
            raise ClusterError("the cluster is not running")

    def _health_locked(self) -> Health:
        r = self.config.replication
        live = [len(b.replicas) for b in self._blocks.values()]
        missing = tuple(sorted(b.id for b in self._blocks.values() if not b.replicas))
        alive = sum(1 for n in self._nodes.values() if n.state.holds_replicas)
        return Health(blocks=len(live), under_replicated=sum(1 for n in live if 0 < n < r), missing=len(missing),
                      missing_blocks=missing, live_nodes=alive,
                      dead_nodes=sum(1 for n in self._nodes.values() if n.state == NodeState.DEAD))

    def _health_event(self) -> ev.Event:
        with self._lock:
            h = self._health_locked()
        return self._event(ev.HealthChanged, blocks=h.blocks, under_replicated=h.under_replicated, missing=h.missing,
                           live_nodes=h.live_nodes, dead_nodes=h.dead_nodes, missing_blocks=h.missing_blocks)

    def health(self) -> Health:
        with self._lock:
            return self._health_locked()

    def snapshot(self) -> Snapshot:
        with self._lock:
            held: dict[int, list[_Block]] = {n: [] for n in self._nodes}
            for block in self._blocks.values():
                for n in block.replicas:
                    held[n].append(block)
            nodes = {n.id: NodeStatus(id=n.id, pid=n.pid, state=n.state, process=n.proc_state,
                                      blocks=tuple(sorted(b.id for b in held[n.id])),
                                      stored_bytes=sum(b.length for b in held[n.id]), running=n.running,
                                      streams=sum(1 for _, t, _, _ in self._copies.values() if t == n.id),
                                      disk_mbps=n.disk_mbps, folder=os.path.join(self._folder, n.name))
                     for n in self._nodes.values()}
            blocks = {b.id: BlockStatus(id=b.id, file=b.file, index=b.index, length=b.length, checksum=b.checksum,
                                        replicas=tuple(sorted(b.replicas)), live=tuple(sorted(b.replicas)))
                      for b in self._blocks.values()}
            return Snapshot(nodes=nodes, blocks=blocks, files=dict(self._files), health=self._health_locked(),
                            replicating=len(self._copies))

    def settlement(self) -> Settlement:
        with self._lock:
            waiting = []
            for n in sorted(self._nodes.values(), key=lambda n: n.id):
                if n.state in (NodeState.STARTING, NodeState.RESTARTING):
                    waiting.append(f"node {n.id} is starting")
                elif n.state == NodeState.SUSPECT:
                    waiting.append(f"node {n.id} is suspect (silent, not yet declared dead)")
                elif n.proc_state != ProcessState.RUNNING and n.state != NodeState.DEAD:
                    waiting.append(f"node {n.id} is {n.proc_state.value} but not yet declared dead")
            if self._copies:
                waiting.append(f"{len(self._copies)} block copies in flight")
            if self._putting:
                waiting.append("a file is being stored")
            alive = set(self._alive())
            copies = [(set(b.replicas), set(b.replicas), b.id) for b in self._blocks.values()]
            return settle_blocks(self.config.replication, copies, alive, alive, waiting)

    def _wait(self, ready: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                with self._lock:
                    if ready():
                        return True
                left = deadline - time.monotonic()
                if left <= 0 or self.stopped:
                    return False
                self._changed.wait(min(left, POLL_S))

    def wait_for(self, condition, timeout: float):
        if isinstance(condition, (type, tuple)):
            cls, predicate = condition if isinstance(condition, tuple) else (condition, lambda e: True)
            found: list = []
            done = threading.Event()

            def watch(event):
                if not found and isinstance(event, cls) and predicate(event):
                    found.append(event)
                    done.set()
            unsubscribe = self.subscribe(watch)
            try:
                done.wait(timeout)
            finally:
                unsubscribe()
            return found[0] if found else None
        last: list = []

        def ready() -> bool:
            snap = self.snapshot()
            if condition(snap):
                last.append(snap)
                return True
            return False
        return last[0] if self._wait(ready, timeout) else None

    def wait_settled(self, timeout: float) -> Settlement:
        last: list[Settlement] = []

        def ready() -> bool:
            last[:] = [self.settlement()]
            return last[0].settled
        self._wait(ready, timeout)
        return last[0] if last else self.settlement()


class _JobRun:
    """One job on the Dask cluster: a map task per block on a worker holding it, retried on
    another replica when its worker dies or its replica is corrupt; for wordcount, reduce
    tasks that fetch the map outputs, with lost map outputs computed again first."""

    def __init__(self, cluster: DaskCluster, job: _Job):
        self.cluster, self.job, self.spec = cluster, job, job.spec
        with cluster._lock:
            self.blocks = [cluster._blocks[b] for b in cluster._files[self.spec.file]]
            self.partitions = max(1, len(cluster._alive()))
        self.maps = len(self.blocks)
        self.reduces = self.partitions if self.spec.kind == "wordcount" else 0
        self.attempts = 0
        self.retried = 0
        self.reexecuted = 0
        self.tried: dict[int, set[int]] = {b.id: set() for b in self.blocks}
        self.outputs: dict[int, object] = {}  # block -> map result (count) or its future (wordcount)
        self.missing: dict[int, str] = {}
        self.running: dict[object, tuple] = {}  # future -> (task, block, node, attempt, started)

    def emit(self, cls, **fields):
        self.cluster._emit(self.cluster._event(cls, job=self.job.id, **fields))

    def run(self) -> JobResult:
        c = self.cluster
        c._emit(c._event(ev.JobStarted, job=self.job.id, job_kind=self.spec.kind, file=self.spec.file,
                         word=self.spec.word, ignore_case=self.spec.ignore_case,
                         top=self.spec.top if self.spec.kind == "wordcount" else None,
                         tasks=self.maps + self.reduces))
        for task, block in enumerate(self.blocks):
            self.launch(task, block, retry=False)
        self.drain("map")
        top: list = []
        reduce_outputs = []
        if self.spec.kind == "wordcount":
            reduce_outputs = self.reduce()
            merged: dict[str, int] = {}
            for part in reduce_outputs:
                merged.update(dict(part))
            top = top_k(merged, self.spec.top)
        return self.finish(top)

    # -- maps ----------------------------------------------------------------------------

    def launch(self, task: int, block: _Block, retry: bool) -> None:
        c = self.cluster
        with c._lock:
            # a suspect holder (Dask has not heard from it for a while) is used only when no
            # live one is left: it may be slow, not gone, and Dask retires it if it is gone
            holders = [n for n in block.replicas if c._nodes[n].state in (NodeState.ALIVE, NodeState.SUSPECT)
                       and n not in self.tried[block.id]]
            if not holders:
                if block.id not in self.outputs:
                    why = ("its file was deleted during the job" if block.id not in c._blocks else
                           "no live replica" if not block.replicas else "every live replica failed")
                    self.missing[block.id] = why
                return
            node = min(holders, key=lambda n: (c._nodes[n].state != NodeState.ALIVE, c._nodes[n].running, n))
            self.tried[block.id].add(node)
            info = c._nodes[node]
            info.running += 1
            self.attempts += 1
            if self.spec.kind == "count":
                future = c._client.submit(dask_tasks.map_count, block.replicas[node], block.checksum, self.spec.word,
                                          self.spec.ignore_case, info.disk_mbps,
                                          key=f"map-{self.job.id}-{block.id}-{self.attempts}",
                                          workers=[info.address], allow_other_workers=False, pure=False)
            else:
                future = c._client.submit(dask_tasks.map_words, block.replicas[node], block.checksum,
                                          self.partitions, info.disk_mbps,
                                          key=f"map-{self.job.id}-{block.id}-{self.attempts}",
                                          workers=[info.address], allow_other_workers=False, pure=False)
            self.running[future] = (task, block, node, self.attempts, time.monotonic())
        if retry:
            self.retried += 1
        self.emit(ev.TaskStarted, task=task, attempt=self.attempts, node=node, block=block.id, phase="map",
                  local=True, retry=retry)

    def drain(self, phase: str) -> None:
        c = self.cluster
        while self.running:
            if c.stopped:
                raise ClusterError("the cluster stopped during the job")
            self.wait_any()
            for future, (task, block, node, attempt, started) in list(self.running.items()):
                dead = c._nodes[node].state == NodeState.DEAD
                if not future.done() and not dead:
                    continue
                del self.running[future]
                with c._lock:
                    c._nodes[node].running = max(0, c._nodes[node].running - 1)
                if future.status == "finished" and not dead:
                    try:  # a count comes back now; its worker may die before it is fetched
                        output = future.result(timeout=30) if self.spec.kind == "count" else future
                    except Exception as exc:
                        reason = f"its result could not be fetched from node {node} ({type(exc).__name__})"
                    else:
                        self.emit(ev.TaskFinished, task=task, attempt=attempt, node=node, block=block.id,
                                  phase=phase, elapsed_s=round(time.monotonic() - started, 4),
                                  bytes_read=block.length)
                        self.outputs[block.id] = output
                        c.note_work(node, started, time.monotonic(), block.length, "read_bps")
                        self.emit(ev.JobProgress, phase=phase, done=len(self.outputs), total=self.maps)
                        continue
                else:
                    reason = self.failure_reason(future, node, dead, block)
                future.cancel()
                self.emit(ev.TaskFailed, task=task, attempt=attempt, node=node, block=block.id, phase=phase,
                          reason=reason)
                self.launch(task, block, retry=True)

    def wait_any(self) -> None:
        """Until a task in flight ends (Dask says so at once) or POLL_S has passed (a node
        declared dead is seen by then)."""
        _, distributed = _dask()
        pending = [f for f in self.running if not f.done()]
        if len(pending) < len(self.running):
            return
        try:
            distributed.wait(pending, timeout=POLL_S, return_when="FIRST_COMPLETED")
        except Exception:  # the timeout, or a cluster closing under it
            pass

    def failure_reason(self, future, node: int, dead: bool, block: _Block) -> str:
        if dead:
            return f"node {node} declared dead"
        exc = future.exception() if future.status == "error" else None
        if isinstance(exc, dask_tasks.CorruptReplica):
            c = self.cluster
            with c._lock:
                block.replicas.pop(node, None)  # the damaged copy is given up; a good one is made
            c._emit(c._event(ev.BlockCorrupt, block=block.id, node=node, detected_by="task"), c._health_event())
            return f"corrupt replica on node {node}: {exc}"
        return f"the task ended {future.status}" + (f": {exc}" if exc is not None else "")

    # -- reduces ------------------------------------------------------------------------

    def reduce(self) -> list:
        """Every partition reduced on a live worker from the output of every block that was
        read; a map output lost with its worker is computed again on another replica first
        (MapReduce's rule), or its block is named missing if none is left."""
        c = self.cluster
        results: dict[int, list] = {}
        failures = 0
        while len(results) < self.partitions:
            lost = [b for b in self.blocks if b.id in self.outputs and self.outputs[b.id].status != "finished"]
            if lost:
                for block in lost:
                    del self.outputs[block.id]
                    self.tried[block.id].clear()
                    self.reexecuted += 1
                    self.emit(ev.MapOutputLost, task=self.blocks.index(block), block=block.id, node=-1,
                              reason="its worker is gone")
                    self.launch(self.blocks.index(block), block, retry=True)
                self.drain("map")
                results.clear()  # a block may now be missing: reduce again over what was read
                continue
            inputs = [self.outputs[b.id] for b in self.blocks if b.id in self.outputs]
            if not inputs:
                return []  # no block was read: incomplete, naming every one
            with c._lock:
                alive = c._alive()
            if not alive:
                raise ClusterError("no live node to reduce on")
            pending = {}
            for p in range(self.partitions):
                if p in results:
                    continue
                node = alive[p % len(alive)]
                self.attempts += 1
                future = c._client.submit(dask_tasks.reduce_words, p, self.spec.top, *inputs,
                                          key=f"reduce-{self.job.id}-{p}-{self.attempts}",
                                          workers=[c._nodes[node].address], allow_other_workers=True, pure=False)
                pending[p] = (future, node, self.attempts, time.monotonic())
                self.emit(ev.TaskStarted, task=self.maps + p, attempt=self.attempts, node=node, block=None,
                          phase="reduce", local=True, retry=failures > 0)
            for p, (future, node, attempt, started) in pending.items():
                try:
                    value = future.result(timeout=max(60.0, 10 * self.cluster.config.dead_after))
                except Exception as exc:
                    self.emit(ev.TaskFailed, task=self.maps + p, attempt=attempt, node=node, block=None,
                              phase="reduce", reason=f"{type(exc).__name__}: {exc}")
                    failures += 1
                    if failures > 4 * self.partitions:
                        raise ClusterError(f"the reduce of partition {p} failed {failures} times: {exc}") from None
                    continue
                results[p] = value
                self.emit(ev.TaskFinished, task=self.maps + p, attempt=attempt, node=node, block=None,
                          phase="reduce", elapsed_s=round(time.monotonic() - started, 4), bytes_read=0)
        return [results[p] for p in range(self.partitions)]

    # -- the result ---------------------------------------------------------------------

    def finish(self, top: list) -> JobResult:
        c = self.cluster
        missing = [MissingBlock(b.id, b.offset, b.length, self.missing[b.id]) for b in self.blocks
                   if b.id in self.missing]
        covered = sum(b.length for b in self.blocks if b.id not in self.missing)
        total = sum(b.length for b in self.blocks)
        status = JobStatus.OK.value if not missing else JobStatus.INCOMPLETE.value
        count = sum(v for k, v in self.outputs.items() if k not in self.missing) if self.spec.kind == "count" else None
        elapsed = round(time.monotonic() - self.job.started, 3)
        done_maps = len(self.outputs)
        c._emit(c._event(ev.JobFinished, job=self.job.id, job_kind=self.spec.kind, status=status, count=count,
                         top=tuple(tuple(x) for x in top), missing_blocks=tuple(m.id for m in missing),
                         tasks_total=self.maps + self.reduces, node_local=done_maps, non_local=0,
                         retried=self.retried, elapsed_s=elapsed,
                         missing_ranges=tuple((m.id, m.offset, m.length) for m in missing), covered_bytes=covered))
        return JobResult(job=self.job.id, kind=self.spec.kind, status=status, count=count,
                         top=[tuple(x) for x in top], missing_blocks=[m.id for m in missing],
                         tasks_total=self.maps + self.reduces, map_tasks=self.maps, reduce_tasks=self.reduces,
                         node_local=done_maps, non_local=0, retried=self.retried, elapsed_s=elapsed,
                         word=self.spec.word, ignore_case=self.spec.ignore_case, missing=missing,
                         covered_bytes=covered, total_bytes=total, reexecuted=self.reexecuted)


__all__ = ["DaskCluster"]
