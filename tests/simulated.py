"""Simulated data nodes around the pure Coordinator and JobTracker: every message the
coordinator sends is carried out in this process (a real block's bytes, the real map, combine
and reduce functions), delivered in a seeded random order, with nodes that can die, come
back and flap. No processes, no sleeps: thousands of interleavings a second, each judged
against a one-process reference over the same bytes."""

from __future__ import annotations

import pickle
import random
from collections import Counter
from dataclasses import dataclass, field

from engine import messages as m
from engine.blocks import checksum, split_blocks
from engine.config import ClusterConfig
from engine.coordinator import Coordinator
from engine.jobs import JobSpec, JobTracker
from engine.text import count_word, partition_counts, reference_count, reference_wordcount, top_k, word_frequencies
from engine.verdict import judge, remaining_bytes


@dataclass
class SimNode:
    id: int
    alive: bool = True  # sends and receives
    replicas: dict = field(default_factory=dict)  # block -> bytes
    outputs: dict = field(default_factory=dict)  # map attempt -> (job, [pickled partitions])
    reduces: dict = field(default_factory=dict)  # attempt -> [Counter, set of map tasks, top]


class SimCluster:
    def __init__(self, data: bytes, *, nodes=4, r=2, block_size=64, seed=0, **config):
        self.rng = random.Random(seed)
        self.data = data
        self.c = Coordinator(ClusterConfig(nodes=nodes, replication=r, heartbeat=0.5, dead_after=2.0,
                                           block_size=block_size, seed=seed, **config))
        self.jobs = JobTracker(self.c)
        self.now = 0.0
        self.nodes = {n: SimNode(n) for n in range(nodes)}
        self.inflight: list[tuple[str, int, object]] = []  # ("to"/"from", node, message)
        self.spans = split_blocks(data, block_size)
        for n in range(nodes):
            self.c.node_process_started(n, 1000 + n, now=0.0)
            self.c.on_message(n, m.Register(n, 1000 + n, {}), now=0.0)
        self.events = []
        self._collect()
        put = self.c.begin_put("f", "/f", self.spans, self.now)
        self.run_until(lambda: put.done, limit=100000)
        assert put.error is None, put.error

    # -- plumbing ----------------------------------------------------------------------

    def _collect(self) -> None:
        out, events = self.c.take_effects()
        self.events.extend(events)
        for node, msg in out:
            if self.nodes[node].alive:
                self.inflight.append(("to", node, msg))

    def step(self) -> bool:
        """Deliver the next message of a pipe chosen at random (or let time pass); False if
        idle."""
        if not self.inflight:
            self.advance(0.05)
            return False
        # Each pipe is FIFO; the order across pipes is anyone's.
        channels = sorted({(d, n) for d, n, _ in self.inflight})
        channel = channels[self.rng.randrange(len(channels))]
        index = next(i for i, (d, n, _) in enumerate(self.inflight) if (d, n) == channel)
        direction, node, msg = self.inflight.pop(index)
        if not self.nodes[node].alive:
            return True  # lost on the wire with its node
        if direction == "to":
            self._node_handles(self.nodes[node], msg)
        else:
            self.c.on_message(node, msg, self.now)
        self.c.tick(self.now)
        self._collect()
        return True

    def advance(self, dt: float) -> None:
        self.now += dt
        self.c.listen(self.now)
        for n in self.nodes.values():
            if n.alive:
                self.c.on_message(n.id, m.Heartbeat(n.id, 0, 0, 0, 0, 0, 0, 0), self.now)
        self.c.tick(self.now)
        self._collect()

    def run_until(self, done, limit=200000, chaos=None) -> None:
        for i in range(limit):
            if done():
                return
            if chaos is not None:
                chaos(self, i)
            if not self.step() and self.rng.random() < 0.5:
                self.advance(0.1)
        raise AssertionError("the simulated cluster did not get there")

    def reply(self, node: SimNode, msg) -> None:
        self.inflight.append(("from", node.id, msg))

    # -- failures ------------------------------------------------------------------------

    def kill(self, node_id: int) -> None:
        """The node and everything in it are gone; the coordinator notices by silence."""
        node = self.nodes[node_id]
        node.alive = False
        node.outputs.clear()
        node.reduces.clear()
        self.c.node_signalled(node_id, "kill", self.now)

    def declare_dead_now(self, node_id: int) -> None:
        """Fast-forward the node's silence (the others keep beating)."""
        info = self.c.nodes[node_id]
        info.last_seen = info.last_heard = self.now - 10.0
        self.c.tick(self.now)
        self._collect()

    def flap(self, node_id: int) -> None:
        """A false death: declared dead while alive, then heard from again (its memory kept)."""
        self.declare_dead_now(node_id)
        self.c.on_message(node_id, m.Heartbeat(node_id, 0, 0, 0, 0, 0, 0, 0), self.now)
        self._collect()

    # -- the node's side ---------------------------------------------------------------

    def _node_handles(self, node: SimNode, msg) -> None:
        if isinstance(msg, m.StoreBlock):
            span = self.spans_by_offset()[msg.offset]
            node.replicas[msg.block] = self.data[span.offset:span.offset + span.length]
            self.reply(node, m.BlockWritten(msg.req, msg.block, True))
        elif isinstance(msg, m.WriteBlock):
            node.replicas[msg.block] = msg.data
            self.reply(node, m.BlockWritten(msg.req, msg.block, True))
        elif isinstance(msg, m.SendBlock):
            data = node.replicas.get(msg.block)
            self.reply(node, m.BlockData(msg.req, msg.block, data, "" if data is not None else "missing"))
        elif isinstance(msg, m.DeleteBlock):
            node.replicas.pop(msg.block, None)
        elif isinstance(msg, m.SendBlockReport):
            report = {b: (len(d), checksum(d)) for b, d in node.replicas.items()}
            self.reply(node, m.Register(node.id, 1000 + node.id, report))
        elif isinstance(msg, m.RunTask):
            self._run_task(node, msg)
        elif isinstance(msg, m.ShufflePiece):
            state = node.reduces.get(msg.attempt)
            if state is not None and msg.map_task not in state[1]:
                state[1].add(msg.map_task)
                state[0].update(pickle.loads(msg.data))
        elif isinstance(msg, m.ShuffleDone):
            state = node.reduces.pop(msg.attempt, None)
            if state is not None:
                merged, got, top = state
                assert set(msg.map_tasks) == got, (msg.map_tasks, got)
                result = (top_k(merged, top), sum(merged.values()), len(merged), tuple(sorted(got)))
                self.reply(node, m.TaskResult(msg.attempt, True, result))
        elif isinstance(msg, m.SendMapOutput):
            held = node.outputs.get(msg.attempt)
            data = held[1][msg.partition] if held is not None else None
            self.reply(node, m.MapOutputData(msg.req, data, "" if data is not None else "missing"))
        elif isinstance(msg, m.KeepJobOutputs):
            for attempt in [a for a, (job, _) in node.outputs.items() if job not in msg.jobs]:
                del node.outputs[attempt]
            for attempt in [a for a in node.reduces if a not in msg.attempts]:
                del node.reduces[attempt]

    def _run_task(self, node: SimNode, msg: m.RunTask) -> None:
        if msg.op == "wordcount_reduce":
            node.reduces[msg.attempt] = [Counter(), set(), msg.top]
            return
        data = msg.data if msg.data is not None else node.replicas.get(msg.block)
        if data is None:
            self.reply(node, m.TaskResult(msg.attempt, False, error="missing"))
            return
        if checksum(data) != msg.checksum:
            self.reply(node, m.TaskResult(msg.attempt, False, error="corrupt"))
            return
        if msg.op == "count":
            self.reply(node, m.TaskResult(msg.attempt, True, count_word(data, msg.word, msg.ignore_case)))
            return
        parts = partition_counts(word_frequencies(data), msg.partitions)
        pieces = [pickle.dumps(p) for p in parts]
        node.outputs[msg.attempt] = (msg.job, pieces)
        self.reply(node, m.TaskResult(msg.attempt, True, tuple(len(p) for p in pieces)))

    def spans_by_offset(self):
        return {s.offset: s for s in self.spans}

    # -- jobs and verdicts ---------------------------------------------------------------

    def submit(self, spec: JobSpec):
        job = self.jobs.submit(spec, self.now)
        self._collect()
        return job

    def verdict(self, job):
        r = job.result
        ranges = [(b.id, b.offset, b.length) for b in r.missing]
        text = remaining_bytes(self.data, ranges).decode("utf-8") if ranges else self.data.decode("utf-8")
        if r.kind == "count":
            reference, value = reference_count(text, job.spec.word, job.spec.ignore_case), r.count
        else:
            reference, value = [list(x) for x in reference_wordcount(text, job.spec.top)], r.top
        return judge(r.status, r.missing_blocks, value, reference, ranges, failure=r.failure)
