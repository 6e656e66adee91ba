"""The lecture's argument, step by step: what each step says, the cluster it runs on, the
scripted run it plays (``engine.run``, the same layer as scenarios), the numbers it shows
(the chapter's arithmetic beside this cluster's measurement), and the cluster state that
says the step has been shown. Words only and plans; no widgets (``tour`` drives it,
``tour_panel`` shows it). Texts are translated in the ``Tour`` context."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Callable

from engine import events as ev
from engine.config import WINDOW_DEFAULTS, ClusterConfig
from engine.faults import FaultAction, FaultStep
from engine.model import JobSpec
from engine.run import RunOutcome, RunPlan
from engine.sizes import format_size
from engine.view import ClusterState

from . import words
from .i18n import translate

WORD = "data"
MB = 1e6  # a disk's MB/s are 10**6 bytes per second

# The chapter's figures (Tom White, "Hadoop: The Definitive Guide", chapter 1).
DISK_1990_BYTES = 1.37e9  # "1,370 MB"
DISK_1990_MBPS = 4.4
DISK_TODAY_BYTES = 1e12
DISK_TODAY_MBPS = 100.0
CHAPTER_DISKS = 100


class StepKey(str, Enum):
    ONE_DISK = "one_disk"
    TEN_DISKS = "ten_disks"
    HUNDRED_DISKS = "hundred_disks"
    REPLICAS = "replicas"
    TO_THE_DATA = "to_the_data"
    FAILURE = "failure"


@dataclass(frozen=True)
class TourShape:
    """The clusters of the tour: how many nodes read in parallel in steps 1 to 3, the disk
    speed every node simulates, and the cluster of steps 4 to 6."""
    disks: tuple[int, int, int] = (1, 10, CHAPTER_DISKS)
    disk_mbps: float = 2.0
    block_size: int = 64 * 1024
    nodes: int = 10  # steps 4 to 6
    replication: int = 3
    failure_disk_mbps: float = 0.5  # step 6: a job long enough to kill a node during it
    victim: int = 2
    scan_interval: float = 2.0  # step 4: each node re-verifies its replicas this often

    def config(self, nodes: int, replication: int, disk_mbps: float, **changes) -> ClusterConfig:
        return WINDOW_DEFAULTS.with_changes(nodes=nodes, replication=replication, block_size=self.block_size,
                                            disk_mbps=disk_mbps, **changes)


DEFAULT_SHAPE = TourShape()


@dataclass(frozen=True)
class NumberRow:
    """One line of a step's numbers: what, the arithmetic, and (when measured) the measurement."""
    label: str
    arithmetic: str
    measured: str = ""


@dataclass
class StepProgress:
    """What the current step's run has done so far: its outcome, and events seen meanwhile."""
    outcome: RunOutcome | None = None
    seen: set = field(default_factory=set)  # event classes
    corrupted: list = field(default_factory=list)  # (block, node)


@dataclass(frozen=True)
class TourStep:
    key: StepKey
    config: ClusterConfig
    plan: Callable[[str], RunPlan]  # (sample path) -> the step's run
    predict: bool = False  # the class guesses before it runs
    victim: int | None = None  # the node its faults hit

    @property
    def nodes(self) -> int:
        return self.config.nodes


def seconds(value: float) -> str:
    if value >= 3600:
        return translate("Tour", "{0:.1f} h").format(value / 3600)
    if value >= 100:
        return translate("Tour", "{0:.0f} s (≈ {1:.0f} min)").format(value, value / 60)
    if value >= 10:
        return translate("Tour", "{0:.0f} s").format(value)
    return translate("Tour", "{0:.2f} s").format(value)


def steps(shape: TourShape = DEFAULT_SHAPE) -> list[TourStep]:
    one, ten, hundred = shape.disks

    def read_plan(path: str) -> RunPlan:
        return RunPlan(path, jobs=(JobSpec("count", "", word=WORD),), judge=True, timeout=300.0,
                       settle_timeout=30.0)

    def corrupt_plan(path: str) -> RunPlan:
        # A replica damaged on disk once the file is stored; the node's block scanner finds it.
        return RunPlan(path, jobs=(JobSpec("count", "", word=WORD),), judge=True, timeout=300.0,
                       settle_timeout=30.0, faults=(FaultStep(FaultAction.CORRUPT, 0.0, node=shape.victim),))

    def failure_plan(path: str) -> RunPlan:
        return RunPlan(path, jobs=(JobSpec("count", "", word=WORD),), judge=True, timeout=300.0,
                       settle_timeout=60.0, faults=(FaultStep(FaultAction.KILL, 0.5, node=shape.victim),))

    cluster = shape.config(shape.nodes, shape.replication, shape.disk_mbps)
    return [
        TourStep(StepKey.ONE_DISK, shape.config(one, 1, shape.disk_mbps), read_plan),
        TourStep(StepKey.TEN_DISKS, shape.config(ten, 1, shape.disk_mbps), read_plan),
        TourStep(StepKey.HUNDRED_DISKS, shape.config(hundred, 1, shape.disk_mbps), read_plan, predict=True),
        TourStep(StepKey.REPLICAS, cluster.with_changes(scan_interval=shape.scan_interval), corrupt_plan,
                 victim=shape.victim),
        TourStep(StepKey.TO_THE_DATA, cluster, read_plan),
        TourStep(StepKey.FAILURE, shape.config(shape.nodes, shape.replication, shape.failure_disk_mbps), failure_plan,
                 victim=shape.victim),
    ]


# -- words ------------------------------------------------------------------------------------

def title(step: TourStep) -> str:
    return {
        StepKey.ONE_DISK: translate("Tour", "One disk is too slow"),
        StepKey.TEN_DISKS: translate("Tour", "Read many disks at once"),
        StepKey.HUNDRED_DISKS: translate("Tour", "A hundred disks"),
        StepKey.REPLICAS: translate("Tour", "Machines fail, so keep replicas"),
        StepKey.TO_THE_DATA: translate("Tour", "Move the computation to the data"),
        StepKey.FAILURE: translate("Tour", "Failure, live"),
    }[step.key]


def caption(step: TourStep) -> str:
    n, r = step.config.nodes, step.config.replication
    mbps = step.config.disk_mbps
    return {
        StepKey.ONE_DISK: translate(
            "Tour", "In the early 1990s a disk held about 1.4 GB and read 4.4 MB/s: about 5 minutes to read it "
                    "whole. Today a disk holds 1 TB but reads only about 100 MB/s: more than 2.5 hours. "
                    "Capacity grew a thousandfold; speed did not. Here: one node, one disk at {0:g} MB/s."
        ).format(mbps),
        StepKey.TEN_DISKS: translate(
            "Tour", "Split the file into blocks and put them on {0} disks: each reads its own share, all at "
                    "the same time. The same file, the same disk speed, {0} nodes."
        ).format(n),
        StepKey.HUNDRED_DISKS: translate(
            "Tour", "The chapter's 100 disks, each holding 1% of the data: read in parallel, a terabyte takes "
                    "under 2 minutes. Here: {0} nodes."
        ).format(n),
        StepKey.REPLICAS: translate(
            "Tour", "With 100 machines, one fails every few days. So every block is written to {0} different "
                    "nodes (like RAID mirrors) with a checksum. A replica on node {1} is damaged now: its "
                    "scanner finds the bad checksum and a good copy replaces it."
        ).format(r, step.victim),
        StepKey.TO_THE_DATA: translate(
            "Tour", "Counting '{0}' in the file: every node counts the words of its own blocks, only the small "
                    "counts travel, and they are summed (MapReduce, Spark). The bytes never leave their disk."
        ).format(WORD),
        StepKey.FAILURE: translate(
            "Tour", "Node {0} is killed (SIGKILL) during the count. Watch: it falls silent, is suspected, "
                    "declared dead; its tasks rerun on nodes holding other replicas, its blocks are copied "
                    "back to {1} replicas, and the count is still exact."
        ).format(step.victim, r),
    }[step.key]


def predict_question(step: TourStep, size: int) -> str:
    return translate("Tour", "Predict first: how long does reading {0} take on {1} disks? Make your guess, "
                             "then press Reveal (or Next).").format(format_size(size), step.nodes)


def numbers(step: TourStep, size: int, progress: StepProgress, measured: dict | None = None) -> list[NumberRow]:
    """The step's arithmetic, and this cluster's measurement once its run is done;
    ``measured``: what the steps played so far measured (StepKey -> (disks, job seconds))."""
    measured_before = measured or {}
    cfg = step.config
    outcome = progress.outcome
    job = outcome.jobs[0].result if outcome is not None and outcome.jobs else None
    measured = seconds(job.elapsed_s) if job is not None else "…"
    if step.key == StepKey.ONE_DISK:
        return [
            NumberRow(translate("Tour", "Early 1990s: 1.37 GB at 4.4 MB/s"),
                      seconds(DISK_1990_BYTES / (DISK_1990_MBPS * MB))),
            NumberRow(translate("Tour", "Today: 1 TB at 100 MB/s"), seconds(DISK_TODAY_BYTES / (DISK_TODAY_MBPS * MB))),
            NumberRow(translate("Tour", "Here: {0} on 1 disk at {1:g} MB/s").format(format_size(size), cfg.disk_mbps),
                      seconds(size / (cfg.disk_mbps * MB)), measured),
        ]
    if step.key in (StepKey.TEN_DISKS, StepKey.HUNDRED_DISKS):
        rows = [NumberRow(translate("Tour", "Here: {0} on {1} disks at {2:g} MB/s each").format(
            format_size(size), cfg.nodes, cfg.disk_mbps), seconds(size / (cfg.nodes * cfg.disk_mbps * MB)), measured)]
        earlier = [measured_before[k] for k in (StepKey.ONE_DISK, StepKey.TEN_DISKS)
                   if k != step.key and k in measured_before]
        for disks, took in reversed(earlier):
            rows.insert(0, NumberRow(translate("Tour", "Measured before: {0} on {1} disk(s)").format(
                format_size(size), disks), "", seconds(took)))
        if step.key == StepKey.HUNDRED_DISKS:
            rows.insert(0, NumberRow(translate("Tour", "1 TB on 100 disks at 100 MB/s each"),
                                     seconds(DISK_TODAY_BYTES / (CHAPTER_DISKS * DISK_TODAY_MBPS * MB))))
            if job is not None:
                rows.append(NumberRow(translate("Tour", "Beyond the disks: starting tasks, collecting counts"), "",
                                      seconds(max(0.0, job.elapsed_s - size / (cfg.nodes * cfg.disk_mbps * MB)))))
        return rows
    if step.key == StepKey.REPLICAS:
        blocks = -(-size // cfg.block_size)
        rows = [NumberRow(translate("Tour", "{0} blocks x {1} replicas").format(blocks, cfg.replication),
                          translate("Tour", "{0} replicas on {1} nodes").format(blocks * cfg.replication, cfg.nodes))]
        if progress.corrupted:
            block, node = progress.corrupted[0]
            found = ev.BlockCorrupt in progress.seen
            rows.append(NumberRow(translate("Tour", "Damaged: block {0} on node {1}").format(block, node),
                                  translate("Tour", "detected by its checksum"),
                                  translate("Tour", "detected, repaired") if found else translate("Tour", "not yet read")))
        return rows
    if step.key == StepKey.TO_THE_DATA:
        blocks = -(-size // cfg.block_size)
        rows = [NumberRow(translate("Tour", "Bytes read where they lie"), format_size(size)),
                NumberRow(translate("Tour", "What travels: one count per block"),
                          translate("Tour", "{0} numbers").format(blocks))]
        if job is not None:
            rows.append(NumberRow(translate("Tour", "Tasks on a node holding their block"), "",
                                  translate("Tour", "{0} of {1}").format(job.node_local, job.map_tasks)))
            rows.append(NumberRow(translate("Tour", "'{0}' counted").format(WORD), "", str(job.count)))
        return rows
    rows = []
    if outcome is not None:
        for failure in outcome.failures[:1]:
            if failure.detection_s is not None:
                rows.append(NumberRow(translate("Tour", "Declared dead after the kill"),
                                      translate("Tour", "dead after {0:g} s of silence").format(cfg.dead_after),
                                      seconds(failure.detection_s)))
        if outcome.restore_s is not None:
            rows.append(NumberRow(translate("Tour", "Every block back at {0} replicas").format(cfg.replication), "",
                                  seconds(outcome.restore_s)))
    if job is not None:
        rows.append(NumberRow(translate("Tour", "Tasks rerun"), "", str(job.retried)))
        verdict = outcome.jobs[0].verdict
        rows.append(NumberRow(translate("Tour", "'{0}' counted").format(WORD), "",
                              f"{job.count} ({words.verdict(verdict.verdict) if verdict is not None else '?'})"))
    return rows


# -- the state each step must reach ------------------------------------------------------------

def reached(step: TourStep, state: ClusterState, progress: StepProgress) -> bool:
    """Whether the room has seen what the step shows: its run is done with an exact count,
    and the cluster is in the step's expected state."""
    outcome = progress.outcome
    if outcome is None or not outcome.jobs or outcome.verdict != "exact":
        return False
    if step.key == StepKey.REPLICAS:
        return (bool(progress.corrupted) and ev.BlockCorrupt in progress.seen and not state.corrupted
                and state.health.get("under_replicated", 1) == 0)
    if step.key == StepKey.FAILURE:
        victim = state.nodes.get(step.victim)
        return (victim is not None and victim.state == "dead" and outcome.jobs[0].result.status == "ok"
                and state.health.get("under_replicated", 1) == 0 and state.health.get("missing", 1) == 0)
    if step.key == StepKey.TO_THE_DATA:
        result = outcome.jobs[0].result
        return result.node_local == result.map_tasks
    alive = sum(1 for n in state.nodes.values() if n.state == "alive")
    return alive == step.config.nodes
