"""The block map, the part of the coordinator that knows where every block's replicas are:
files, blocks, health counts, corrupt replicas."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import events as ev
from . import messages as m
from .membership import DEAD
from .model import HOLDING_STATES, Health


@dataclass
class BlockInfo:
    id: int
    file: str
    index: int
    offset: int
    length: int
    checksum: str
    replicas: set = field(default_factory=set)  # nodes with an acknowledged, not-known-bad copy
    committed: bool = False  # every replica of its put acknowledged; only then it counts in health
    losses: list = field(default_factory=list)  # how its last replicas were lost, newest last

    def lost(self, how: str, keep: int = 3) -> None:
        self.losses = (self.losses + [how])[-keep:]


@dataclass
class BlockScan:
    """What one pass over the block map found (see ``Coordinator.scan_blocks``)."""
    holding: set
    blocks: int = 0
    under: int = 0
    missing_blocks: list = field(default_factory=list)
    excess: bool = False



class BlockIndex:
    """The block map's classes, kept up to date as replicas come and go, so that a scheduling
    step costs what changed, not a pass over every block: the committed blocks, those below R
    live replicas, those with none, those above R, and the bytes each node stores."""

    def __init__(self):
        self.committed: set[int] = set()
        self.under: set[int] = set()
        self.missing: set[int] = set()
        self.excess: set[int] = set()
        self.stored: dict[int, int] = {}  # node -> bytes of the replicas it holds

    def snapshot(self) -> tuple:
        return (self.committed, self.under, self.missing, self.excess,
                {n: b for n, b in self.stored.items() if b})


class BlockMap:
    """Files, blocks and their replicas (a part of ``Coordinator``). Every change of a
    block's replicas goes through ``add_replica``/``remove_replica`` (or ``reclassify`` after
    a commit), which keep ``index`` (a ``BlockIndex``) exact; ``rebuild_index`` recomputes it
    from the blocks themselves, and the coordinator does so now and then as a check."""

    def add_replica(self, block: BlockInfo, node_id: int) -> None:
        self.replica_additions += 1  # a node may have local work for a job again
        if node_id not in block.replicas:
            block.replicas.add(node_id)
            self.index.stored[node_id] = self.index.stored.get(node_id, 0) + block.length
        self.reclassify(block)

    def remove_replica(self, block: BlockInfo, node_id: int) -> None:
        self.replica_removals += 1  # a job's pending tasks look again for a live replica
        if node_id in block.replicas:
            block.replicas.discard(node_id)
            self.index.stored[node_id] = self.index.stored.get(node_id, 0) - block.length
        self.reclassify(block)

    def reclassify(self, block: BlockInfo) -> None:
        index, bid, r = self.index, block.id, self.config.replication
        if len(block.replicas) > r:
            index.excess.add(bid)
        else:
            index.excess.discard(bid)
        if not block.committed or bid not in self.blocks:
            for group in (index.committed, index.under, index.missing):
                group.discard(bid)
            return
        index.committed.add(bid)
        live = sum(1 for n in block.replicas if self.nodes[n].state in HOLDING_STATES)
        (index.missing.add if live == 0 else index.missing.discard)(bid)
        (index.under.add if 0 < live < r else index.under.discard)(bid)

    def _forget_block(self, block: BlockInfo) -> None:
        self.replica_removals += 1
        for node_id in block.replicas:
            self.index.stored[node_id] = self.index.stored.get(node_id, 0) - block.length
        for group in (self.index.committed, self.index.under, self.index.missing, self.index.excess):
            group.discard(block.id)

    def rebuild_index(self) -> bool:
        """The index recomputed from every block; True if it had drifted from them."""
        before = self.index.snapshot()
        self.index = BlockIndex()
        for block in self.blocks.values():
            for node_id in block.replicas:
                self.index.stored[node_id] = self.index.stored.get(node_id, 0) + block.length
            self.reclassify(block)
        return before != self.index.snapshot()

    def holders(self, block: BlockInfo) -> list[int]:
        """Nodes whose replica of ``block`` counts as live."""
        return [n for n in block.replicas if self.nodes[n].state in HOLDING_STATES]

    def scan_blocks(self) -> BlockScan:
        """The health counts, and whether any block needs a copy or has a replica too many
        (so the scheduler can skip the passes that have no work), from the index."""
        index = self.index
        return BlockScan(self.holding_nodes(), blocks=len(index.committed), under=len(index.under),
                         missing_blocks=list(index.missing), excess=bool(index.excess))

    def health(self, scan: BlockScan | None = None) -> Health:
        scan = scan or self.scan_blocks()
        return Health(
            blocks=scan.blocks,
            under_replicated=scan.under,
            missing=len(scan.missing_blocks),
            missing_blocks=tuple(sorted(scan.missing_blocks)),
            live_nodes=len(self.live_nodes()),
            dead_nodes=sum(1 for n in self.nodes.values() if n.state == DEAD),
        )

    def delete_file(self, name: str, now: float) -> None:
        ids = self.files.pop(name)
        self._drop_blocks(ids)
        self.emit(ev.FileDeleted, now, file=name, block_ids=tuple(ids))

    def _drop_blocks(self, block_ids) -> None:
        for block_id in block_ids:
            block = self.blocks.pop(block_id, None)
            if block is None:
                continue
            self._forget_block(block)
            for node_id in block.replicas:
                self.nodes[node_id].blocks.discard(block_id)
                self.send(node_id, m.DeleteBlock(block_id))

    def replica_corrupt(self, block_id: int, node_id: int, detected_by: str, now: float) -> None:
        block = self.blocks.get(block_id)
        info = self.nodes.get(node_id)
        if block is None or info is None:
            return
        if node_id in block.replicas:
            self.remove_replica(block, node_id)
            block.lost(f"corrupt on node {node_id}")
            info.blocks.discard(block_id)
            self.send(node_id, m.DeleteBlock(block_id))
            self.emit(ev.BlockCorrupt, now, block=block_id, node=node_id, detected_by=detected_by)
