"""A data node: one OS process with its own folder, serving one coordinator over a pipe.

The main thread receives commands and sends heartbeats; block writes and reads run on an
I/O pool and tasks on a pool of ``slots`` threads, so a node keeps heartbeating while it
works. With a ``scan_interval`` a background thread re-verifies every replica once per
interval, one block at a time through the same disk pacer (HDFS's block scanner), and reports
a replica that fails its checksum twice. A node exits by itself when its parent dies: the kernel's parent-death signal where
there is one, and a check of its parent PID on every heartbeat everywhere.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import pickle
import queue
import signal
import stat
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from . import messages as m
from .blocks import checksum
from .processes import set_process_name
from .storage import BlockStore, ChecksumMismatch, CopyUnsupported, DiskPacer
from .text import count_word, partition_counts, top_k, word_frequencies

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass


class DataNode:
    def __init__(self, node_id: int, conn, folder: str, parent_pid: int, *, heartbeat: float,
                 metrics_interval: float, slots: int, io_threads: int, disk_mbps: float | None,
                 scan_interval: float | None = None, cluster_id: str = ""):
        self.id = node_id
        self.cluster_id = cluster_id
        self.conn = conn
        self.parent_pid = parent_pid
        self.heartbeat = heartbeat
        self.metrics_interval = metrics_interval
        self.log = logging.getLogger(f"clusterscope.node.{node_id}")
        self.send_lock = threading.Lock()
        self.counter_lock = threading.Lock()
        self.bytes_read = 0
        self.bytes_written = 0
        self.bytes_copied = 0
        self.tasks_running = 0
        self.pacer = DiskPacer(disk_mbps)
        self.store = BlockStore(folder, self.pacer, on_read=self._count_read)
        self.scan_interval = scan_interval
        self.sizes = {b: length for b, (length, _) in self.store.report().items()}
        self.stored_bytes = sum(self.sizes.values())
        self.blocks = len(self.sizes)
        self.tasks = ThreadPoolExecutor(slots, thread_name_prefix="task")
        self.io = ThreadPoolExecutor(io_threads, thread_name_prefix="io")
        self.seq = 0
        self.map_outputs: dict[int, tuple[int, list[bytes]]] = {}  # attempt -> (job, partitions)
        self.outputs_lock = threading.Lock()
        self.reduces: dict[int, queue.SimpleQueue] = {}  # reduce attempt -> its pieces

    # -- plumbing ---------------------------------------------------------------------

    def send(self, msg) -> None:
        with self.send_lock:
            try:
                self.conn.send(msg)
            except (BrokenPipeError, ConnectionResetError, EOFError, OSError):
                os._exit(0)  # the coordinator is gone

    def _count_read(self, n: int) -> None:
        with self.counter_lock:
            self.bytes_read += n

    def _set_size(self, block: int, length: int | None) -> None:
        with self.counter_lock:  # kept as a running total: a write costs the same at any count
            before = self.sizes.pop(block, 0) if length is None else self.sizes.get(block, 0)
            if length is not None:
                self.sizes[block] = length
            self.stored_bytes += (length or 0) - before
            self.blocks = len(self.sizes)

    def register(self) -> None:
        report = self.store.report()
        self.send(m.Register(self.id, os.getpid(), report, self.cluster_id))

    def send_counters(self, kind) -> None:
        self.seq += 1
        with self.counter_lock:
            msg = kind(self.id, self.seq, self.bytes_read, self.bytes_written,
                       self.bytes_copied, self.stored_bytes, self.blocks, self.tasks_running,
                       time.monotonic())
        self.send(msg)

    def run(self) -> None:
        self.register()
        if self.scan_interval:
            threading.Thread(target=self._guard, args=(self.scan_forever, None), name="scanner",
                             daemon=True).start()
        # Proof of life has its own thread: a long command (a big block arriving on the pipe,
        # a task holding the interpreter) must never delay a heartbeat.
        threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True).start()
        self.log.info("node %d up, pid %d, %d replicas on disk", self.id, os.getpid(), self.blocks)
        while True:
            try:
                ready = self.conn.poll(self.heartbeat)
            except (EOFError, OSError):
                os._exit(0)
            if os.getppid() != self.parent_pid:
                os._exit(0)
            if not ready:
                continue
            try:
                msg = self.conn.recv()
            except (EOFError, OSError):
                os._exit(0)
            if isinstance(msg, m.Shutdown):
                self.log.info("node %d shutting down", self.id)
                break
            self.dispatch(msg)

    def _beat_forever(self) -> None:
        """Heartbeats every ``heartbeat`` seconds, counters in between every
        ``metrics_interval``; exits the process when its parent is gone."""
        next_beat = next_metrics = time.monotonic()
        while True:
            if os.getppid() != self.parent_pid:
                os._exit(0)
            now = time.monotonic()
            if now >= next_beat:
                self.send_counters(m.Heartbeat)
                next_beat = now + self.heartbeat
                next_metrics = now + self.metrics_interval
            elif now >= next_metrics:
                self.send_counters(m.Metrics)
                next_metrics = now + self.metrics_interval
            time.sleep(max(0.0, min(next_beat, next_metrics) - time.monotonic()))

    def dispatch(self, msg) -> None:
        if isinstance(msg, m.StoreBlock):
            self.io.submit(self._guard, self.store_block, msg)
        elif isinstance(msg, m.WriteBlock):
            self.io.submit(self._guard, self.write_block, msg)
        elif isinstance(msg, m.SendBlock):
            self.io.submit(self._guard, self.send_block, msg)
        elif isinstance(msg, m.DeleteBlock):
            self.store.delete(msg.block)
            self._set_size(msg.block, None)
            self.log.info("node %d deleted block %d", self.id, msg.block)
        elif isinstance(msg, m.RunTask):
            with self.counter_lock:
                self.tasks_running += 1
            if msg.op == "wordcount_reduce":
                # A reduce waits for its pieces: its own thread, so that a reduce the
                # coordinator gave up on can never hold a map task's slot.
                self.reduces[msg.attempt] = queue.SimpleQueue()
                threading.Thread(target=self._guard, args=(self.run_task, msg),
                                 name=f"reduce-{msg.attempt}", daemon=True).start()
            else:
                self.tasks.submit(self._guard, self.run_task, msg)
        elif isinstance(msg, (m.ShufflePiece, m.ShuffleDone)):
            inbox = self.reduces.get(msg.attempt)
            if inbox is not None:
                inbox.put(msg)
        elif isinstance(msg, m.SendMapOutput):
            self.io.submit(self._guard, self.send_map_output, msg)
        elif isinstance(msg, m.KeepJobOutputs):
            self.keep_job_outputs(msg)
        elif isinstance(msg, m.SetDiskSpeed):
            self.pacer.set_rate(msg.mbps)
            self.log.info("node %d disk speed now %s", self.id,
                          "unthrottled" if msg.mbps is None else f"{msg.mbps:g} MB/s")
        elif isinstance(msg, m.SendBlockReport):
            self.register()

    def _guard(self, fn, msg) -> None:
        try:
            fn(msg)
        except Exception as exc:  # a bug must show in the log, and never leave anyone waiting
            self.log.exception("node %d failed handling %s", self.id, type(msg).__name__)
            reply = _failure_reply(msg, f"{type(exc).__name__}: {exc}")
            if reply is not None:
                self.send(reply)

    # -- storage ----------------------------------------------------------------------

    def store_block(self, msg: m.StoreBlock) -> None:
        try:
            fd = _open_input(msg.path)
        except OSError as exc:
            self._input_unreadable(msg, exc)
            return
        try:
            self._store_from(fd, msg)
        finally:
            os.close(fd)

    def _store_from(self, fd: int, msg: m.StoreBlock) -> None:
        """The put's block from the open input: copied by the kernel where it can, else read
        here, checked and written."""
        try:
            copied = self.store.copy_in(msg.block, fd, msg.offset, msg.length, msg.checksum)
        except CopyUnsupported:
            pass
        except OSError as exc:
            self._disk_failed(msg.req, msg.block, exc)
            return
        else:
            if not copied:
                self._input_changed(msg)
            elif self._stored(msg.req, msg.block, msg.length):
                self.log.info("node %d stored block %d (%d bytes)", self.id, msg.block, msg.length)
            return
        try:
            data = os.pread(fd, msg.length, msg.offset)
        except OSError as exc:
            self._input_unreadable(msg, exc)
            return
        if len(data) != msg.length or checksum(data) != msg.checksum:
            self._input_changed(msg)
            return
        if self._write(msg.req, msg.block, data, msg.checksum, verified=True):
            self.log.info("node %d stored block %d (%d bytes)", self.id, msg.block, len(data))

    def _input_unreadable(self, msg: m.StoreBlock, exc: OSError) -> None:
        self.send(m.BlockWritten(msg.req, msg.block, False,
                                 f"the input {msg.path} cannot be read ({_reason(exc)})", m.CAUSE_INPUT))

    def _input_changed(self, msg: m.StoreBlock) -> None:
        self.send(m.BlockWritten(msg.req, msg.block, False,
                                 f"the input {msg.path} changed while it was being stored "
                                 f"(bytes {msg.offset}-{msg.offset + msg.length - 1} differ)", m.CAUSE_INPUT))

    def write_block(self, msg: m.WriteBlock) -> None:
        if self._write(msg.req, msg.block, msg.data, msg.checksum):
            with self.counter_lock:
                self.bytes_copied += len(msg.data)
            self.log.info("node %d received replica of block %d", self.id, msg.block)

    def _write(self, req: int, block: int, data: bytes, digest: str, verified: bool = False) -> bool:
        try:
            self.store.write(block, data, digest, verified=verified)
        except ChecksumMismatch as exc:
            self.send(m.BlockWritten(req, block, False, str(exc), m.CAUSE_DATA))
            return False
        except OSError as exc:
            self._disk_failed(req, block, exc)
            return False
        return self._stored(req, block, len(data))

    def _disk_failed(self, req: int, block: int, exc: OSError) -> None:
        where = exc.filename or self.store.folder
        self.send(m.BlockWritten(req, block, False, f"{_reason(exc)} ({where})", m.CAUSE_DISK))

    def _stored(self, req: int, block: int, length: int) -> bool:
        with self.counter_lock:
            self.bytes_written += length
        self._set_size(block, length)
        self.send(m.BlockWritten(req, block, True))
        return True

    def send_block(self, msg: m.SendBlock) -> None:
        try:
            data = self.store.read(msg.block, msg.checksum)
        except ChecksumMismatch:
            self.log.warning("node %d: replica of block %d is corrupt", self.id, msg.block)
            self.send(m.BlockData(msg.req, msg.block, None, "corrupt"))
            return
        except OSError:
            self.send(m.BlockData(msg.req, msg.block, None, "missing"))
            return
        with self.counter_lock:
            self.bytes_copied += len(data)
        self.send(m.BlockData(msg.req, msg.block, data))

    # -- background block scanner -----------------------------------------------------

    def scan_forever(self, _msg=None) -> None:
        """One pass over the node's replicas per ``scan_interval``, spread evenly over it:
        one block at a time, so the scanner never floods the disk."""
        while True:
            start = time.monotonic()
            blocks = sorted(self.store.report())
            if not blocks:
                time.sleep(self.scan_interval)
                continue
            gap = self.scan_interval / len(blocks)
            for i, block in enumerate(blocks):
                wait = start + (i + 1) * gap - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self.scan_block(block)

    def scan_block(self, block: int) -> None:
        if self.store.verify(block) != "corrupt":
            return  # good, or deleted meanwhile
        # Read again before accusing it: the replica may have been replaced while we read.
        if self.store.verify(block) == "corrupt":
            self.log.warning("node %d: scanner found replica of block %d corrupt", self.id, block)
            self.send(m.ReplicaCorruptFound(block))

    # -- tasks ------------------------------------------------------------------------

    def run_task(self, msg: m.RunTask) -> None:
        start = time.monotonic()
        reply = None
        try:
            result, nread = self._compute(msg)
            if result is not _CANCELLED:
                reply = m.TaskResult(msg.attempt, True, result, bytes_read=nread)
        except ChecksumMismatch:
            self.log.warning("node %d: replica of block %d is corrupt", self.id, msg.block)
            reply = m.TaskResult(msg.attempt, False, error="corrupt")
        except OSError:
            reply = m.TaskResult(msg.attempt, False, error="missing")
        except ShuffleMismatch as exc:
            reply = m.TaskResult(msg.attempt, False, error=str(exc))
        except Exception as exc:  # the attempt fails (and is retried, or gives up), never hangs
            self.log.exception("node %d: task attempt %d failed", self.id, msg.attempt)
            reply = m.TaskResult(msg.attempt, False, error=f"{type(exc).__name__}: {exc}")
        finally:
            self.reduces.pop(msg.attempt, None)
            with self.counter_lock:
                self.tasks_running -= 1
        if reply is not None:
            reply.elapsed_s = time.monotonic() - start
            self.send(reply)

    def _block_bytes(self, msg: m.RunTask) -> bytes:
        if msg.data is not None:  # a non-local attempt: the bytes came from a holder
            if checksum(msg.data) != msg.checksum:
                raise ChecksumMismatch(f"block {msg.block}: bytes received do not match its checksum")
            return msg.data
        return self.store.read(msg.block, msg.checksum)

    def _compute(self, msg: m.RunTask):
        if msg.op == "count":
            if msg.data is not None:
                data = self._block_bytes(msg)
                return count_word(data, msg.word, msg.ignore_case), len(data)
            with self.store.mapped(msg.block, msg.checksum) as data:
                return count_word(data, msg.word, msg.ignore_case), len(data)
        if msg.op == "wordcount_map":
            data = self._block_bytes(msg)
            # The combiner: one count per distinct word of the block, not one per occurrence.
            parts = partition_counts(word_frequencies(data), msg.partitions)
            pieces = [pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in parts]
            with self.outputs_lock:
                self.map_outputs[msg.attempt] = (msg.job, pieces)
            return tuple(len(p) for p in pieces), len(data)
        if msg.op == "wordcount_reduce":
            return self._reduce(msg)
        raise ValueError(f"unknown task op {msg.op!r}")

    def _reduce(self, msg: m.RunTask):
        """Merge this partition's pieces as they arrive, until the coordinator says they
        are all here (or gives the attempt up)."""
        inbox = self.reduces[msg.attempt]
        merged: Counter = Counter()
        got: set[int] = set()
        while True:
            item = inbox.get()
            if item is _CANCELLED:
                return _CANCELLED, 0
            if isinstance(item, m.ShufflePiece):
                if item.map_task not in got:  # exactly once per map task
                    got.add(item.map_task)
                    merged.update(pickle.loads(item.data))
                continue
            expected = set(item.map_tasks)
            if expected != got:
                raise ShuffleMismatch(f"shuffle inputs differ: expected {len(expected)} map outputs, "
                                      f"merged {len(got)}")
            return (top_k(merged, msg.top), sum(merged.values()), len(merged), tuple(sorted(got))), 0

    def send_map_output(self, msg: m.SendMapOutput) -> None:
        with self.outputs_lock:
            held = self.map_outputs.get(msg.attempt)
        if held is None or not 0 <= msg.partition < len(held[1]):
            self.send(m.MapOutputData(msg.req, None, "missing"))
            return
        self.send(m.MapOutputData(msg.req, held[1][msg.partition]))

    def keep_job_outputs(self, msg: m.KeepJobOutputs) -> None:
        keep_jobs, keep_attempts = set(msg.jobs), set(msg.attempts)
        with self.outputs_lock:
            for attempt in [a for a, (job, _) in self.map_outputs.items() if job not in keep_jobs]:
                del self.map_outputs[attempt]
        for attempt, inbox in list(self.reduces.items()):
            if attempt not in keep_attempts:
                inbox.put(_CANCELLED)


def _open_input(path: str) -> int:
    """The put's input, open for reading. Opened without blocking and kept only if it is
    still a regular file: an input replaced by a named pipe must fail at once, not wait for
    a writer."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "no longer a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _failure_reply(msg, error: str):
    """The answer that tells the coordinator a command failed, so it never waits for it."""
    if isinstance(msg, (m.StoreBlock, m.WriteBlock)):
        return m.BlockWritten(msg.req, msg.block, False, error)
    if isinstance(msg, m.SendBlock):
        return m.BlockData(msg.req, msg.block, None, error)
    if isinstance(msg, m.SendMapOutput):
        return m.MapOutputData(msg.req, None, error)
    if isinstance(msg, m.RunTask):
        return m.TaskResult(msg.attempt, False, error=error)
    return None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class ShuffleMismatch(Exception):
    """A reduce's pieces are not the ones the coordinator says it sent (never expected)."""


_CANCELLED = object()


def node_main(node_id: int, conn, folder: str, parent_pid: int, options: dict, cluster_id: str = "") -> None:
    """Entry point of a node process (forked by the cluster)."""
    _die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(0)
    set_process_name(f"cs-node-{node_id}")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger("clusterscope.node").setLevel(options.get("log_level", "WARNING"))
    logging.getLogger("clusterscope").propagate = False  # records go to the parent only
    node = DataNode(node_id, conn, folder, parent_pid,
                    heartbeat=options["heartbeat"], metrics_interval=options["metrics_interval"],
                    slots=options["slots"], io_threads=options["max_streams"] + 2,
                    disk_mbps=options.get("disk_mbps"), scan_interval=options.get("scan_interval"),
                    cluster_id=cluster_id)
    try:
        node.run()
    finally:
        os._exit(0)
