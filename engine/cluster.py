"""``LocalCluster``: the coordinator and its data-node processes on this machine.

This is the thin I/O shell around the pure ``Coordinator``/``JobTracker`` state, in three
parts: this module (lifecycle, storage, jobs, node controls, queries: the ``ClusterBackend``
methods), ``engine.engine_loop`` (the one engine thread that owns that state: it waits on
every node's pipe, feeds messages and operator actions in, ticks timers, sends the resulting
commands and publishes the resulting events), and ``engine.spawning`` with ``engine.links``
(the node processes, each with a sender thread, so a paused node whose pipe is full never
blocks anyone).

Every public method is safe to call from any thread, and none blocks on the engine for long:
they hand a closure to the engine thread and wait only for its result. Front ends (GUI, CLI,
experiments, tests) talk to a cluster only through the methods of ``ClusterBackend``.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import queue
import signal
import threading
import time
from typing import Callable

from . import datadir, tempfiles
from . import events as ev
from . import logs
from . import messages as m
from .blocks import file_identity, iter_text_spans
from .bus import EventBus
from .config import MAX_DISK_MBPS, MIN_DISK_MBPS, ClusterConfig
from .backend import ClusterBackend
from .engine_loop import EngineLoop
from .links import NodeLink  # noqa: F401 (the link type of ``_links``)
from .spawning import NodeProcesses
from .coordinator import ALIVE, Coordinator
from .errors import ClusterError, StorageError, TimedOut, UsageError
from .settle import Settlement, settlement
from .sizes import format_size, sizes_apart
from .jobs import JobTracker
from .model import Health, JobResult, JobSpec, Snapshot, StoredFile
from .storage import corrupt_replica_file
from .text import validate_word

log = logging.getLogger("clusterscope.engine")

class LocalCluster(EngineLoop, NodeProcesses, ClusterBackend):
    """A cluster of real node processes on this machine (the "local" backend)."""

    name = "local"

    def __init__(self, config: ClusterConfig | None = None):
        self.config = (config or ClusterConfig()).validate()
        self.bus = EventBus()
        self._ctx = None
        self._links: dict[int, NodeLink] = {}
        self._by_conn: dict = {}
        self._reaping: list = []
        self._calls: queue.Queue = queue.Queue()
        self._log_records: queue.SimpleQueue = queue.SimpleQueue()
        self._known_pids: set[int] = set()
        self.failure: str | None = None  # why the engine thread failed, once it has
        self._stop_published = False
        self._state_lock = threading.Lock()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._wake_r, self._wake_w = None, None
        self._owns_data_dir = False
        self.data_dir = ""
        self.cluster_id = datadir.new_cluster_id()
        self.lock: datadir.DataDirLock | None = None
        self.t0 = time.monotonic()
        self.core = Coordinator(self.config, self.t0)
        self.core.cluster_id = self.cluster_id
        self.jobs = JobTracker(self.core)
        self.started = False
        self.stopped = False

    # -- lifecycle ----------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> "LocalCluster":
        if self.started:
            raise ClusterError("cluster already started")
        self.started = True
        logs.install()
        self._ctx = multiprocessing.get_context("fork")
        try:
            if self.config.data_dir:
                self.data_dir = os.path.abspath(self.config.data_dir)
                datadir.prepare(self.data_dir, self.config.nodes)
            else:
                self.data_dir = tempfiles.make_temp_folder("clusterscope-")
                self._owns_data_dir = True
            self.lock = datadir.DataDirLock(self.data_dir, self.cluster_id)
            self.lock.acquire("--data-dir")
            datadir.remove_leftovers(self.data_dir)
        except UsageError:
            self.started = False
            if self._owns_data_dir:
                tempfiles.remove_temp_folder(self.data_dir)
            raise
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        logs.add_sink(self._on_log_record)
        self.t0 = time.monotonic()
        self.core.start_clock(self.t0)
        self._thread = threading.Thread(target=self._run, name="clusterscope-engine", daemon=True)
        self._thread.start()

        def spawn_all(now):
            self.core.emit(ev.ClusterStarted, now, nodes=self.config.nodes,
                           replication=self.config.replication, block_size=self.config.block_size,
                           heartbeat=self.config.heartbeat, dead_after=self.config.dead_after,
                           data_dir=self.data_dir, disk_mbps=self.config.disk_mbps)
            for node_id in range(self.config.nodes):
                self._spawn(node_id, now)

        try:
            self.call(spawn_all)
        except BaseException:
            self.stop()
            raise
        ok = self.wait_until(lambda s: all(n.state == ALIVE for n in s.nodes.values()), timeout)
        if not ok:
            self.stop()
            raise TimedOut(f"the {self.config.nodes} nodes did not all start within {timeout:.3g} s")
        self.startup_s = time.monotonic() - self.t0
        return self

    def stop(self, timeout: float = 3.0) -> None:
        """Stop every node process (gracefully, then by SIGKILL) and the engine thread."""
        if self.stopped or not self.started:
            return
        if self.failure is None and self._thread is not None and self._thread.is_alive():
            try:  # a clean shutdown is not silence: stop judging liveness first
                self.call(self.core.shut_down, timeout=5.0)
            except ClusterError:
                pass
        self.stopped = True
        links = list(self._links.values())
        for link in links:
            link.send(m.Shutdown())
        deadline = time.monotonic() + timeout
        for link in links:
            link.process.join(max(0.0, deadline - time.monotonic()))
        for link in links:
            if link.process.is_alive():
                self._signal(link.process.pid, signal.SIGKILL)
                self._signal(link.process.pid, signal.SIGCONT)
                link.process.join(2.0)
        self._stopping = True
        self._wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5.0)
        for link in links:
            link.close()
        logs.remove_sink(self._on_log_record)
        if self._thread is None or not self._thread.is_alive():
            if not self._stop_published:  # the engine thread ended without saying so
                self._stop_published = True
                self.bus.publish([ev.ClusterStopped(t=round(time.monotonic() - self.t0, 4))])
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except (OSError, TypeError):
                pass
        if not self._owns_data_dir and not any(link.process.is_alive() for link in links):
            self._remove_unfiled_replicas()
        if self.lock is not None:
            self.lock.release()
        if self._owns_data_dir:
            tempfiles.remove_temp_folder(self.data_dir)

    def _remove_unfiled_replicas(self) -> None:
        """A kept data folder holds only the replicas of files this cluster stored: none of
        a put that failed or was still running, whichever way its last writes ended."""
        with self._state_lock:
            keep = {block for ids in self.core.files.values() for block in ids}
        for pool in datadir.pools_of(self.data_dir, self.cluster_id):
            datadir.remove_unfiled_replicas(pool, keep)

    def __enter__(self) -> "LocalCluster":
        if not self.started:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def node_pids(self) -> dict[int, int]:
        return {n: link.pid for n, link in self._links.items()}

    # -- storage ------------------------------------------------------------------------------

    def put(self, path: str, name: str | None = None, timeout: float = 600.0) -> StoredFile:
        """Store a UTF-8 text file; returns once every replica of every block is acknowledged."""
        identity = file_identity(path)
        # Cut as it is read, as an HDFS client streams: each chunk's blocks are handed to the
        # coordinator at once and written while the rest of the file is read and checked. No
        # further than the size it had: a file that grows meanwhile is refused, not followed.
        chunks = iter_text_spans(path, self.config.block_size, identity[2] if identity is not None else None)
        try:
            return self._put_cut(path, name, timeout, identity, chunks)
        finally:
            chunks.close()

    def _put_cut(self, path: str, name: str | None, timeout: float, identity, chunks) -> StoredFile:
        first = next(chunks, [])  # a file that is no text file at all is refused before anything starts
        size = identity[2] if identity is not None else sum(s.length for s in first)
        name = name or os.path.basename(path)
        need = size * self.config.replication
        free = datadir.free_bytes(self.data_dir)
        if free is not None and free < need:
            where = self.config.data_dir and "--data-dir " + self.config.data_dir or f"the data folder {self.data_dir}"
            shown_need, shown_free = sizes_apart(need, free)
            raise UsageError(f"{where}: {shown_free} free, but storing {name} "
                             f"({format_size(size)} x {self.config.replication} replicas) "
                             f"needs {shown_need}")
        abs_path = os.path.abspath(path)

        def begin(now):
            if name in self.core.files or any(p.file == name and not p.done for p in self.core.puts.values()):
                raise UsageError(f"a file named {name!r} is already stored (delete it first)")
            return self.core.begin_put(name, abs_path, first, now, cutting=True, size=size)

        put = self.call(begin)
        handed = []  # the engine takes each chunk's blocks in turn; the reading goes on meanwhile
        try:
            for spans in chunks:
                if put.done:
                    break  # it failed meanwhile (no node can write, the input changed)
                if spans:
                    handed.append(self.post(lambda now, spans=spans: self.core.add_put_blocks(put, spans, now)))
        except BaseException as exc:
            # Not text further on, unreadable, or interrupted: every block written is dropped.
            changed = isinstance(exc, UsageError) and file_identity(path) != identity
            if changed:
                reason = self._changed_message(path)
            elif isinstance(exc, UsageError):
                reason = str(exc)
            else:
                reason = f"interrupted ({type(exc).__name__})"
            self._give_up(put, reason)
            if changed:
                raise UsageError(reason) from None  # what was read is not one version of the file
            raise
        # Written to while it was stored (even if every block's checksum matched when its
        # node copied it): what is stored may not be any one version of the file. Asked once
        # it is read, and again once every replica is written, before the put ends: such a
        # file is refused and never listed as stored, not even for a moment.
        for future in handed:
            future.result(timeout)  # every block is with the coordinator (an error in one is raised here)
        unchanged = file_identity(path) == identity
        if unchanged and not self._wait(lambda: put.done or not put.remaining, timeout):
            # Given up, not left open: its blocks are dropped and its name is free again.
            reason = f"storing {name} did not finish within {timeout:.3g} s"
            self._give_up(put, reason)
            raise TimedOut(reason)
        if not put.done and (not unchanged or file_identity(path) != identity):
            reason = self._changed_message(path)
            self._give_up(put, reason)
            raise UsageError(reason)
        self.call(lambda now: self.core.end_put_cut(put, now))
        if not self._wait(lambda: put.done, timeout):
            raise TimedOut(f"storing {name} did not finish within {timeout:.3g} s")
        if put.error:
            if put.error_kind == "input":
                raise UsageError(f"{path}: {put.error.replace(f'the input {abs_path} ', '')}; nothing was stored")
            raise StorageError(f"storing {name} failed: {put.error}; nothing was stored")
        return StoredFile(file=name, size=put.size, blocks=len(put.blocks),
                          elapsed_s=round(time.monotonic() - put.started, 4))

    @staticmethod
    def _changed_message(path: str) -> str:
        return f"{path}: changed or removed while it was being stored; nothing was stored"

    def _give_up(self, put, reason: str) -> None:
        try:
            self.call(lambda now: self.core.fail_put(put, reason, "input", now))
        except ClusterError:
            pass  # the engine is gone: nothing is stored anyway

    def delete_file(self, name: str) -> None:
        def delete(now):
            if name not in self.core.files:
                raise UsageError(f"no stored file named {name!r}")
            self.core.delete_file(name, now)
        self.call(delete)

    def files(self) -> dict[str, tuple[int, ...]]:
        with self._state_lock:
            return {name: tuple(ids) for name, ids in self.core.files.items()}

    # -- jobs ---------------------------------------------------------------------------------

    def submit(self, spec: JobSpec) -> int:
        if spec.kind not in ("count", "wordcount"):
            raise UsageError(f"unknown job kind {spec.kind!r}")
        if spec.kind == "count":
            validate_word(spec.word)
        if spec.kind == "wordcount" and spec.top < 1:
            raise UsageError(f"--top must be at least 1 (got {spec.top})")

        def submit(now):
            if spec.file not in self.core.files:
                raise UsageError(f"no stored file named {spec.file!r}")
            return self.jobs.submit(spec, now).id

        return self.call(submit)

    def wait_job(self, job_id: int, timeout: float = 600.0) -> JobResult:
        job = self.jobs.jobs[job_id]
        # Not a snapshot per engine step: that would copy the whole block map hundreds of
        # times a second, competing with the engine (and a GUI) for the interpreter.
        if not self._wait(lambda: job.result is not None, timeout):
            raise TimedOut(f"job {job_id} did not finish within {timeout:.3g} s")
        return job.result

    def run_job(self, spec: JobSpec, timeout: float = 600.0) -> JobResult:
        return self.wait_job(self.submit(spec), timeout)

    # -- node controls (fault injection) ------------------------------------------------------

    def kill_node(self, node_id: int) -> int:
        """SIGKILL the node's process; returns its PID."""
        def kill(now):
            link = self._link(node_id)
            if self.core.nodes[node_id].process == "killed":
                return link.pid
            self._signal(link.pid, signal.SIGKILL)
            self._reaping.append(link.process)
            self.core.node_signalled(node_id, "kill", now)
            return link.pid
        return self.call(kill)

    def pause_node(self, node_id: int) -> None:
        def pause(now):
            link = self._link(node_id)
            if self.core.nodes[node_id].process != "running":
                raise UsageError(f"node {node_id} is not running (it is {self.core.nodes[node_id].process})")
            self._signal(link.pid, signal.SIGSTOP)
            self.core.node_signalled(node_id, "pause", now)
        self.call(pause)

    def resume_node(self, node_id: int) -> None:
        def resume(now):
            link = self._link(node_id)
            if self.core.nodes[node_id].process != "paused":
                raise UsageError(f"node {node_id} is not paused")
            self._signal(link.pid, signal.SIGCONT)
            self.core.node_signalled(node_id, "resume", now)
        self.call(resume)

    def restart_node(self, node_id: int) -> int:
        """Replace the node's process with a new one over the same folder; returns the PID."""
        def restart(now):
            link = self._link(node_id)
            if link.process.is_alive():
                self._signal(link.pid, signal.SIGKILL)
                self._signal(link.pid, signal.SIGCONT)
                link.process.join(2.0)
            self.core.node_restarting(node_id, now)
            self._spawn(node_id, now, restart=True)
            return self._links[node_id].pid
        return self.call(restart)

    def add_node(self) -> int:
        def add(now):
            node_id = max(self._links, default=-1) + 1
            self._spawn(node_id, now)
            self.core.emit(ev.NodeAdded, now, node=node_id)
            return node_id
        return self.call(add)

    def corrupt_replica(self, node_id: int, block_id: int | None = None) -> int:
        """Flip a byte of a replica on the node's disk; returns the block id."""
        def corrupt(now):
            self._link(node_id)
            held = sorted(self.core.nodes[node_id].blocks)
            if block_id is None:
                if not held:
                    raise UsageError(f"node {node_id} holds no replica to corrupt")
                chosen = held[self.core.rng.randrange(len(held))]
            else:
                if block_id not in held:
                    raise UsageError(f"node {node_id} holds no replica of block {block_id}")
                chosen = block_id
            folder = datadir.pool_folder(self.data_dir, node_id, self.cluster_id)
            if not corrupt_replica_file(folder, chosen, seed=chosen + 1):
                raise UsageError(f"replica of block {chosen} is not on node {node_id}'s disk")
            self.core.emit(ev.ReplicaCorrupted, now, block=chosen, node=node_id)
            return chosen
        return self.call(corrupt)

    def set_disk_speed(self, node_id: int, mbps: float | None) -> None:
        """Change one node's disk bandwidth at once (a "slow disk" fault): MB/s (10**6 bytes/s),
        or None to go back to the cluster's default ``config.disk_mbps`` (itself None =
        unthrottled). Reads and writes in flight continue at the new speed."""
        if mbps is not None and (isinstance(mbps, bool) or not isinstance(mbps, (int, float))
                                 or not math.isfinite(mbps) or not MIN_DISK_MBPS <= mbps <= MAX_DISK_MBPS):
            raise UsageError(f"disk speed must be {MIN_DISK_MBPS:g} to {MAX_DISK_MBPS:g} MB/s, or None "
                             f"(got {mbps!r})")

        def apply(now):
            self._link(node_id)
            self.core.set_disk_speed(node_id, None if mbps is None else float(mbps), now)
        self.call(apply)

    def freeze(self) -> None:
        """Pause the whole cluster (every node SIGSTOPped, failure detection suspended)."""
        def freeze(now):
            if self.core.frozen_at is not None:
                return
            self.core.freeze(now)
            for node_id, link in self._links.items():
                if self.core.nodes[node_id].process == "running":
                    self._signal(link.pid, signal.SIGSTOP)
            self.core.emit(ev.ClusterFrozen, now, frozen=True)
        self.call(freeze)

    def thaw(self) -> None:
        def thaw(now):
            if self.core.frozen_at is None:
                return
            for node_id, link in self._links.items():
                if self.core.nodes[node_id].process == "running":
                    self._signal(link.pid, signal.SIGCONT)
            self.core.thaw(now)
            self.core.emit(ev.ClusterFrozen, now, frozen=False)
        self.call(thaw)

    # -- queries ------------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """A consistent copy of the coordinator's view: nodes, blocks, files, health."""
        with self._state_lock:
            return self.core.snapshot(
                folder_of=lambda node_id: datadir.pool_folder(self.data_dir, node_id, self.cluster_id))

    def health(self) -> Health:
        with self._state_lock:
            return self.core.health()

    def settlement(self) -> Settlement:
        """Whether nothing more can be done (every fault played out, every block back at R
        or unable to get there), and what stays as it is."""
        with self._state_lock:
            return settlement(self.core)

    def wait_settled(self, timeout: float) -> Settlement:
        """Wait until the cluster is settled; the last ``Settlement`` (``settled`` False on
        timeout, with what it was still waiting for)."""
        last: list[Settlement] = []

        def ready() -> bool:
            last[:] = [self.settlement()]
            return last[0].settled
        self._wait(ready, timeout)
        return last[0] if last else self.settlement()

    def subscribe(self, callback) -> Callable[[], None]:
        return self.bus.subscribe(callback)


__all__ = ["LocalCluster"]
