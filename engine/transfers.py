"""Transfers, the part of the coordinator that moves block bytes: puts from the client's
file, re-replication copies between nodes (in HDFS's urgency order, ``max_streams`` per node),
and trimming of replicas above R."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .blockmap import BlockInfo
from .blocks import BlockSpan
from .membership import ALIVE, SUSPECT, NodeInfo
from .placement import choose_targets

# Failed writes of one block before its put gives up (each failure for a reason other than
# a failed disk, which takes its node out of the writers at once: data garbled in transit).
MAX_WRITE_FAILURES = 8


@dataclass
class Write:
    """A replica write in flight: during a put (source None) or a re-replication copy."""
    req: int
    block: int
    target: int
    source: int | None
    purpose: str  # "put" | "replicate"
    # replicate: "reading" from the source, "queued" (bytes here, waiting for a stream on the
    # target), then "writing" to the target
    stage: str = "writing"
    put: int | None = None
    data: bytes | None = None  # a queued copy's bytes


@dataclass
class PutOp:
    id: int
    file: str
    path: str
    size: int
    blocks: list
    started: float
    remaining: dict = field(default_factory=dict)  # block id -> replicas still to acknowledge
    queued: deque = field(default_factory=deque)  # (block id) writes waiting for a stream
    error: str | None = None
    error_kind: str = ""  # "input": the input file changed or cannot be read; "storage": no node can write
    done: bool = False
    failures: dict = field(default_factory=dict)  # block id -> failed writes
    cutting: bool = False  # the client is still cutting the file: more blocks to come



class Transfers:
    """Puts, copies and trims (a part of ``Coordinator``)."""

    def _abort_write(self, write: Write, now: float, reason: str) -> None:
        self.writes.pop(write.req, None)
        self._release_streams(write)
        self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                  target=write.target, reason=reason)
        if write.put is not None:
            put = self.puts.get(write.put)
            if put is not None and not put.done:
                put.queued.append(write.block)

    def _release_streams(self, write: Write) -> None:
        """Give back what ``write`` holds: the source's stream while it reads, the target's
        place while it waits for the bytes, the target's stream while it writes."""
        source = self.nodes.get(write.source) if write.source is not None else None
        target = self.nodes.get(write.target)
        if write.stage == "reading" and source is not None:
            source.streams = max(0, source.streams - 1)
        if target is None:
            return
        if write.stage == "writing":
            target.streams = max(0, target.streams - 1)
        else:
            target.incoming = max(0, target.incoming - 1)

    def begin_put(self, name: str, path: str, spans: list[BlockSpan], now: float,
                  cutting: bool = False, size: int | None = None) -> PutOp:
        """Start storing the file at ``path`` as ``name``. ``spans`` are its blocks; with
        ``cutting`` they are only the first ones (the client goes on cutting the file and
        hands the next with ``add_put_blocks``, then ``end_put_cut``), and ``size`` is the
        file's size as the put begins."""
        put = PutOp(next(self._put_ids), name, path, 0, [], now, cutting=cutting)
        self.puts[put.id] = put
        if cutting:
            # The number of blocks is not known yet: none is announced with the start.
            self.emit(ev.PutStarted, now, file=name, size=size or 0, blocks=0, block_list=())
            self.add_put_blocks(put, spans, now)
            return put
        added = self._add_blocks(put, spans)
        self.emit(ev.PutStarted, now, file=name, size=put.size, blocks=len(put.blocks),
                  block_list=self._listed(added))
        if not put.blocks:
            self._finish_put(put, now)
        return put

    def add_put_blocks(self, put: PutOp, spans: list[BlockSpan], now: float) -> None:
        """The next blocks of a put that is still being cut (their writes start at once)."""
        if put.done or not spans:
            return
        self.emit(ev.PutBlocksCut, now, file=put.file, block_list=self._listed(self._add_blocks(put, spans)))

    def end_put_cut(self, put: PutOp, now: float) -> None:
        """The client has cut the whole file: the put ends once every replica is written."""
        put.cutting = False
        if not put.done and not put.remaining:
            self._finish_put(put, now)

    def fail_put(self, put: PutOp, error: str, kind: str, now: float) -> None:
        """Give a put up (the client found its input is not text, or cannot read it)."""
        if not put.done:
            put.error, put.error_kind = error, kind
            self._finish_put(put, now)

    def _add_blocks(self, put: PutOp, spans: list[BlockSpan]) -> list[int]:
        added = []
        for span in spans:
            block = BlockInfo(next(self._block_ids), put.file, span.index, span.offset, span.length, span.checksum)
            self.blocks[block.id] = block
            added.append(block.id)
            put.remaining[block.id] = self.config.replication
            put.queued.extend([block.id] * self.config.replication)
            put.size += span.length
        put.blocks.extend(added)
        return added

    def _listed(self, block_ids: list[int]) -> tuple:
        return tuple((b, self.blocks[b].index, self.blocks[b].length, self.blocks[b].checksum) for b in block_ids)

    def _loads(self) -> dict[int, int]:
        """Bytes stored (from the block index) or arriving per node, once per scheduling pass."""
        loads = {n: self.index.stored.get(n, 0) for n in self.nodes}
        for w in self.writes.values():
            loads[w.target] += self.blocks[w.block].length if w.block in self.blocks else 0
        return loads

    def _pending_by_block(self) -> dict[int, list[int]]:
        pending: dict[int, list[int]] = {}
        for w in self.writes.values():
            pending.setdefault(w.block, []).append(w.target)
        return pending

    def _schedule_puts(self, now: float, loads: dict[int, int]) -> None:
        cfg = self.config
        for put in self.puts.values():
            if put.done or not put.queued:
                continue
            live = [n for n in self.nodes.values() if n.writable]
            pending = self._pending_by_block()
            queue = put.queued
            still = []  # looked at but not started: back to the front of the queue, in order
            # A pass looks at a bounded stretch of the front of the queue (enough to fill
            # every free stream a few times over), and neither reads nor copies the rest: a
            # put of N blocks makes O(N) passes, so a pass in O(N) made storing quadratic.
            look = 4 * sum(max(0, cfg.max_streams - n.streams) for n in live) + 8
            for _ in range(min(look, len(queue))):
                block_id = queue.popleft()
                block = self.blocks[block_id]
                busy = block.replicas | set(pending.get(block_id, ()))
                eligible = [n for n in live if n.id not in busy]
                if not eligible:
                    broken = self._disk_errors()
                    alive = sum(1 for n in self.nodes.values() if n.state == ALIVE)
                    put.error = (f"not enough nodes can write {cfg.replication} replicas of block "
                                 f"{block_id}: {alive} of {len(self.nodes)} nodes alive"
                                 + (f"; {broken}" if broken else ""))
                    put.error_kind = "storage"
                    self._finish_put(put, now)
                    break
                # Balance stored bytes: a free node may take the write only if it is within one
                # block of the least-loaded eligible node; otherwise wait for that node's stream.
                floor = min(loads[n.id] for n in eligible) + block.length
                free = {n.id: loads[n.id] for n in eligible
                        if n.streams < cfg.max_streams and loads[n.id] <= floor}
                if not free:
                    still.append(block_id)
                    if all(n.streams >= cfg.max_streams for n in live):
                        break
                    continue
                target = choose_targets(free, 1, set(), self.rng)[0]
                self._start_put_write(put, block, target, now)
                loads[target] += block.length
                pending.setdefault(block_id, []).append(target)
            if not put.done:
                queue.extendleft(reversed(still))

    def _start_put_write(self, put: PutOp, block: BlockInfo, target: int, now: float) -> None:
        req = next(self._req)
        self.writes[req] = Write(req, block.id, target, None, "put", put=put.id)
        self.nodes[target].streams += 1
        self.send(target, m.StoreBlock(req, block.id, put.path, block.offset, block.length, block.checksum))
        self.emit(ev.TransferStarted, now, block=block.id, source=None, target=target, purpose="put")

    def _disk_errors(self) -> str:
        """'node 0: No space left on device; node 3: ...' for every node whose disk failed."""
        return "; ".join(f"node {n.id}: {n.disk_error}" for n in sorted(self.nodes.values(), key=lambda n: n.id)
                         if n.disk_error)

    def _finish_put(self, put: PutOp, now: float) -> None:
        put.done = True
        if put.error is not None:
            self._drop_blocks(put.blocks)
            for write in [w for w in self.writes.values() if w.put == put.id]:
                self.writes.pop(write.req, None)
                self._release_streams(write)
            self.emit(ev.PutFailed, now, file=put.file, reason=put.error, block_ids=tuple(put.blocks))
        else:
            self.files[put.file] = list(put.blocks)
            self.emit(ev.PutFinished, now, file=put.file, size=put.size, blocks=len(put.blocks),
                      elapsed_s=round(now - put.started, 4))

    def _on_block_written(self, info: NodeInfo, msg: m.BlockWritten, now: float) -> None:
        write = self.writes.get(msg.req)
        if write is None or write.target != info.id:
            # A write we already gave up on (its put failed, its file was deleted, the node
            # was briefly dead): a replica nobody will account for must not stay behind.
            if msg.ok and info.state in (ALIVE, SUSPECT):
                block = self.blocks.get(msg.block)
                pending = any(w.block == msg.block and w.target == info.id for w in self.writes.values())
                if block is None or (info.id not in block.replicas and not pending):
                    self.send(info.id, m.DeleteBlock(msg.block))
            return
        del self.writes[msg.req]
        self._release_streams(write)
        block = self.blocks.get(write.block)
        put = self.puts.get(write.put) if write.put is not None else None
        if block is None:
            if msg.ok:
                self.send(info.id, m.DeleteBlock(write.block))  # its file was dropped meanwhile
            return
        if not msg.ok:
            self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                      target=write.target, reason=msg.error or "write failed")
            if msg.cause == m.CAUSE_DISK and not info.disk_error:
                # HDFS's failed volume: the node takes no more writes (it still serves reads).
                info.disk_error = msg.error or "write failed"
                self.emit(ev.NodeDiskFailed, now, node=info.id, reason=info.disk_error)
            if put is not None and not put.done:
                if msg.cause == m.CAUSE_INPUT:
                    put.error = msg.error
                    put.error_kind = "input"
                    self._finish_put(put, now)
                    return
                failures = put.failures[write.block] = put.failures.get(write.block, 0) + 1
                if failures > MAX_WRITE_FAILURES:
                    put.error = f"block {write.block} could not be written ({msg.error})"
                    put.error_kind = "storage"
                    self._finish_put(put, now)
                    return
                put.queued.append(write.block)
            return
        self.add_replica(block, info.id)
        info.blocks.add(block.id)
        self.emit(ev.BlockStored, now, block=block.id, node=info.id, size=block.length,
                  source=write.source, purpose=write.purpose)
        if put is not None and not put.done:
            put.remaining[block.id] -= 1
            if put.remaining[block.id] <= 0:
                del put.remaining[block.id]
                block.committed = True
                self.reclassify(block)
            if not put.remaining and not put.cutting:
                self._finish_put(put, now)

    def _schedule_replication(self, now: float, loads: dict[int, int], holding: set[int]) -> None:
        """Start copies for under-replicated blocks, most urgent first.

        A copy reads the block on a holder, relays the bytes through the coordinator and
        writes them on the target: each end's disk works for one half of the copy only. So a
        copy takes a stream on its source while it reads and on its target while it writes,
        never one that sits idle: while the source reads, the target only holds one of its
        ``max_streams`` places for incoming copies (``incoming``), and bytes that arrive while
        every stream of the target is writing wait here (``_start_queued_copies``). Holding
        the target's stream for the whole copy would leave at most (nodes x max_streams) / 2
        copies in flight, each keeping one disk busy, and disks idle whenever two of them
        happened to work on the same one."""
        cfg = self.config
        r = cfg.replication
        live = [n for n in self.nodes.values() if n.schedulable]
        if not live:
            return
        in_flight = sum(1 for w in self.writes.values() if w.purpose == "replicate")
        budget = 2 * len(live) - in_flight  # HDFS: at most 2 x live nodes per round
        if budget <= 0:
            return
        pending = self._pending_by_block()
        needy = []
        for block in self.blocks.values():
            if not block.committed:
                continue  # its put is still writing it
            holders = len(block.replicas & holding)
            deficit = r - holders - len(pending.get(block.id, ()))
            if holders and deficit > 0:
                # HDFS's urgency order: one live replica first, then the most under-replicated.
                needy.append((holders, holders / r, block.id, deficit))
        needy.sort()
        for _, _, block_id, deficit in needy:
            if budget <= 0:
                break
            block = self.blocks[block_id]
            sources = [self.nodes[n] for n in self.holders(block)
                       if self.nodes[n].schedulable and self.nodes[n].streams < cfg.max_streams]
            if not sources:
                continue
            busy = block.replicas | set(pending.get(block_id, ()))
            free = {n.id: loads[n.id] for n in live
                    if n.id not in busy and n.incoming < cfg.max_streams and not n.disk_error}
            for target in choose_targets(free, deficit, set(), self.rng):
                sources = [s for s in sources if s.streams < cfg.max_streams]
                if not sources or budget <= 0:
                    break
                source = min(sources, key=lambda s: (s.streams, s.id))
                req = next(self._req)
                self.writes[req] = Write(req, block_id, target, source.id, "replicate", stage="reading")
                source.streams += 1
                self.nodes[target].incoming += 1
                loads[target] += block.length
                budget -= 1
                self.send(source.id, m.SendBlock(req, block_id, block.checksum))
                self.emit(ev.TransferStarted, now, block=block_id, source=source.id, target=target,
                          purpose="replicate")

    def _on_block_data(self, info: NodeInfo, msg: m.BlockData, now: float) -> None:
        write = self.writes.get(msg.req)
        if write is None or write.source != info.id or write.stage != "reading":
            return
        if msg.data is None or write.block not in self.blocks:
            self.writes.pop(msg.req, None)
            self._release_streams(write)
            if write.block not in self.blocks:
                return  # its file was deleted meanwhile
            self.emit(ev.TransferFailed, now, block=write.block, source=write.source,
                      target=write.target, reason=msg.error)
            if msg.error == "corrupt":
                self.replica_corrupt(write.block, info.id, "replication", now)
            elif msg.error == "missing":
                block = self.blocks.get(write.block)
                if block is not None:
                    self.remove_replica(block, info.id)
                    block.lost(f"missing on node {info.id}")
                    info.blocks.discard(write.block)
            return
        info.streams = max(0, info.streams - 1)  # the source's part is done
        write.stage, write.data = "queued", msg.data
        self._start_queued_copies(now)

    def _start_queued_copies(self, now: float) -> None:
        """Send copies whose bytes are here to their targets, oldest first, as far as the
        targets have streams free."""
        limit = self.config.max_streams
        for write in sorted((w for w in self.writes.values() if w.stage == "queued"), key=lambda w: w.req):
            target = self.nodes[write.target]
            block = self.blocks.get(write.block)
            if block is None:
                self.writes.pop(write.req, None)
                self._release_streams(write)
                continue
            if target.streams >= limit:
                continue
            target.incoming = max(0, target.incoming - 1)
            target.streams += 1
            write.stage, data, write.data = "writing", write.data, None
            self.send(write.target, m.WriteBlock(write.req, write.block, data, block.checksum))

    def _trim_excess(self, now: float, loads: dict[int, int]) -> None:
        r = self.config.replication
        pending = self._pending_by_block()
        for block in self.blocks.values():
            if len(block.replicas) <= r:
                continue
            holders = [n for n in self.holders(block) if self.nodes[n].state == ALIVE]
            if len(holders) <= r or block.id in pending:
                continue
            busy = self.jobs.nodes_reading(block.id) if self.jobs is not None else set()
            candidates = sorted((n for n in holders if n not in busy),
                                key=lambda n: (-loads[n], n))
            for node_id in candidates[:len(holders) - r]:
                loads[node_id] -= block.length
                self.remove_replica(block, node_id)
                self.nodes[node_id].blocks.discard(block.id)
                self.send(node_id, m.DeleteBlock(block.id))
                self.emit(ev.BlockTrimmed, now, block=block.id, node=node_id)
