"""One short human sentence per engine event, for the event log.

``describe(event)`` returns the sentence (or None for events the log leaves out) and
``level_of(event)`` its level: DEBUG, INFO, WARNING or ERROR. Both are pure functions of one
event, so a recording replays into the same log. All text goes through
``translate("describe", ...)`` with ``str.format`` placeholders.

What the log leaves out (``SKIPPED``): ``metrics_sample`` (several a second, drawn by the
throughput plot), ``job_progress`` (one per finished task, drawn by the job panel) and
``transfer_started`` (every transfer ends in ``block_stored`` or ``transfer_failed``, which
are logged). The per-block and per-task details of a healthy run (a replica written during a
put, a task started or finished, health counts moving) are logged at DEBUG, hidden by the
log's default INFO filter but one click away.
"""

from __future__ import annotations

from engine.sizes import format_size

from . import words
from .i18n import translate

# put_blocks_cut: a put's blocks as they are cut, a chunk of the file at a time (the put's
# start and end are logged, and every replica stored).
SKIPPED = frozenset({"metrics_sample", "job_progress", "transfer_started", "put_blocks_cut"})

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LEVEL_RANK = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "WARN": 30, "ERROR": 40, "CRITICAL": 50,
              "FATAL": 50}

_MAX_LISTED = 8  # block ids named in one sentence; the rest are "…"


def level_rank(level: str) -> int:
    """Numeric rank of a level name (unknown names rank as INFO)."""
    return LEVEL_RANK.get(str(level).upper(), 20)


def node_of(event) -> int | None:
    """The node an event is about (shown in the log's node column), or None for the engine
    and the cluster as a whole."""
    node = getattr(event, "node", None)
    if node is None:
        node = getattr(event, "target", None)
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def nodes_of(event) -> frozenset:
    """Every node an event involves (a copy involves its source and its target), for the
    log's node filter."""
    found = set()
    for name in ("node", "source", "target"):
        value = getattr(event, name, None)
        if isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    return frozenset(found)


def _ids(ids) -> str:
    ids = list(ids)
    text = ", ".join(str(i) for i in ids[:_MAX_LISTED])
    return text + (", …" if len(ids) > _MAX_LISTED else "")


def _task(e) -> str:
    """'Task 3 (block 3)' for a map task, 'Task 9 (reduce)' for one without a block."""
    if e.block is not None:
        return translate("describe", "Task {task} (block {block})").format(task=e.task, block=e.block)
    return translate("describe", "Task {task} ({phase})").format(task=e.task, phase=words.phase(e.phase))


def _blocks(n: int) -> str:
    if n == 1:
        return translate("describe", "1 block")
    return translate("describe", "{n} blocks").format(n=n)


# -- one function per kind --------------------------------------------------------------

def _cluster_started(e):
    return translate("describe", "Cluster started: {nodes} nodes, replication {replication}, "
                                 "blocks of {size}, heartbeat {heartbeat:g} s, dead after {dead:g} s").format(
        nodes=e.nodes, replication=e.replication, size=format_size(e.block_size),
        heartbeat=e.heartbeat, dead=e.dead_after)


def _cluster_stopped(e):
    return translate("describe", "Cluster stopped")


def _cluster_failed(e):
    return translate("describe", "The cluster's engine failed and the cluster stopped: {reason}").format(
        reason=e.reason)


def _coordinator_stalled(e):
    return translate("describe", "The coordinator could not listen for {gap:.1f} s (its thread was "
                                 "starved); that time is not counted as the nodes' silence").format(gap=e.gap_s)


def _node_refused(e):
    return translate("describe", "Node {node} refused (pid {pid}): {reason}").format(
        node=e.node, pid=e.pid, reason=e.reason)


def _map_output_lost(e):
    return translate("describe", "Output of {task} lost with node {node}; it runs again if a "
                                 "reduce still needs it").format(task=_task(e), node=e.node)


def _node_disk_failed(e):
    return translate("describe", "Node {node}'s disk refused a write ({reason}); it takes no more "
                                 "replicas").format(node=e.node, reason=e.reason)


def _cluster_frozen(e):
    if e.frozen:
        return translate("describe", "Whole cluster paused (time frozen)")
    return translate("describe", "Whole cluster resumed")


def _node_starting(e):
    if e.restart:
        return translate("describe", "Node {node} restarting (pid {pid})").format(node=e.node, pid=e.pid)
    return translate("describe", "Node {node} starting (pid {pid})").format(node=e.node, pid=e.pid)


def _node_started(e):
    if e.blocks:
        return translate("describe", "Node {node} is up (pid {pid}), {blocks} on disk").format(
            node=e.node, pid=e.pid, blocks=_blocks(e.blocks))
    return translate("describe", "Node {node} is up (pid {pid})").format(node=e.node, pid=e.pid)


def _node_suspect(e):
    return translate("describe", "Node {node} suspect: no heartbeat for {silent:.1f} s").format(
        node=e.node, silent=e.silent_s)


def _node_recovered(e):
    return translate("describe", "Node {node} heard from again, no longer suspect").format(node=e.node)


def _node_declared_dead(e):
    if e.lost_replicas == 1:
        text = translate("describe", "Node {node} declared dead after {silent:.1f} s of silence; "
                                     "1 replica lost")
    else:
        text = translate("describe", "Node {node} declared dead after {silent:.1f} s of silence; "
                                     "{lost} replicas lost")
    return text.format(node=e.node, silent=e.silent_s, lost=e.lost_replicas)


def _node_rejoined(e):
    return translate("describe", "Node {node} rejoined (pid {pid}): reported {blocks}, "
                                 "{accepted} accepted").format(
        node=e.node, pid=e.pid, blocks=_blocks(e.blocks), accepted=e.accepted)


def _node_killed(e):
    return translate("describe", "Node {node} killed (SIGKILL, pid {pid})").format(node=e.node, pid=e.pid)


def _node_paused(e):
    return translate("describe", "Node {node} paused (SIGSTOP, pid {pid})").format(node=e.node, pid=e.pid)


def _node_resumed(e):
    return translate("describe", "Node {node} resumed (SIGCONT, pid {pid})").format(node=e.node, pid=e.pid)


def _node_restarting(e):
    return translate("describe", "Node {node} restart requested").format(node=e.node)


def _node_added(e):
    return translate("describe", "Node {node} added to the cluster").format(node=e.node)


def _node_disk_speed(e):
    speed = (translate("describe", "unthrottled") if e.mbps is None
             else translate("describe", "{mbps:g} MB/s").format(mbps=e.mbps))
    if e.default:
        text = translate("describe", "Node {node} disk back to the cluster's speed ({speed})")
    else:
        text = translate("describe", "Node {node} disk speed set to {speed}")
    return text.format(node=e.node, speed=speed)


def _put_started(e):
    if not e.blocks:  # its blocks follow as the file is read
        return translate("describe", "Storing {file}: {size}").format(file=e.file, size=format_size(e.size))
    return translate("describe", "Storing {file}: {size} in {blocks}").format(
        file=e.file, size=format_size(e.size), blocks=_blocks(e.blocks))


def _put_failed(e):
    return translate("describe", "Storing {file} failed: {reason}; nothing was stored").format(
        file=e.file, reason=e.reason)


def _put_finished(e):
    return translate("describe", "Stored {file}: {size} in {blocks}, {elapsed:.2f} s").format(
        file=e.file, size=format_size(e.size), blocks=_blocks(e.blocks), elapsed=e.elapsed_s)


def _file_deleted(e):
    return translate("describe", "Deleted {file} ({blocks})").format(
        file=e.file, blocks=_blocks(len(e.block_ids)))


def _transfer_failed(e):
    if e.source is None:
        text = translate("describe", "Writing block {block} to node {target} failed: {reason}")
    else:
        text = translate("describe", "Copying block {block} node {source} → node {target} failed: {reason}")
    return text.format(block=e.block, source=e.source, target=e.target, reason=e.reason)


def _block_stored(e):
    if e.purpose == "replicate" and e.source is not None:
        return translate("describe", "Block {block} copied node {source} → node {node}").format(
            block=e.block, source=e.source, node=e.node)
    return translate("describe", "Block {block} stored on node {node}").format(block=e.block, node=e.node)


def _replica_corrupted(e):
    return translate("describe", "Replica of block {block} on node {node} damaged on disk "
                                 "(fault injected)").format(block=e.block, node=e.node)


def _block_corrupt(e):
    return translate("describe", "Replica of block {block} on node {node} is corrupt "
                                 "(detected by {by})").format(block=e.block, node=e.node, by=words.detected_by(e.detected_by))


def _block_trimmed(e):
    return translate("describe", "Extra replica of block {block} removed from node {node}").format(
        block=e.block, node=e.node)


def _health_changed(e):
    if e.missing:
        text = translate("describe", "{missing} of {blocks} blocks have no live replica "
                                     "(blocks {ids}); {under} under-replicated")
    elif e.under_replicated:
        text = translate("describe", "{under} of {blocks} blocks under-replicated; "
                                     "{live} live nodes, {dead} dead")
    else:
        text = translate("describe", "All {blocks} blocks fully replicated; {live} live nodes, {dead} dead")
    return text.format(missing=e.missing, blocks=e.blocks, ids=_ids(e.missing_blocks),
                       under=e.under_replicated, live=e.live_nodes, dead=e.dead_nodes)


def _job_started(e):
    tasks = e.tasks
    if e.job_kind == "count":
        if e.ignore_case:
            text = translate("describe", "Job {job} started: count “{word}” (ignoring case) in {file}, "
                                         "{tasks} tasks")
        else:
            text = translate("describe", "Job {job} started: count “{word}” in {file}, {tasks} tasks")
    elif e.job_kind == "wordcount":
        text = translate("describe", "Job {job} started: top {top} words in {file}, {tasks} tasks")
    else:
        text = translate("describe", "Job {job} started: {kind} on {file}, {tasks} tasks")
    return text.format(job=e.job, word=e.word, file=e.file, top=e.top, tasks=tasks, kind=e.job_kind)


def _top_word(top) -> tuple[str, int] | None:
    if top and isinstance(top[0], (tuple, list)) and len(top[0]) >= 2:
        return str(top[0][0]), top[0][1]
    return None


def _job_finished(e):
    if e.status == "ok":
        if e.count is not None:
            head = translate("describe", "Job {job} finished: ok, count = {count}")
        elif _top_word(e.top) is not None:
            head = translate("describe", "Job {job} finished: ok, top word “{word}” ({n})")
        else:
            head = translate("describe", "Job {job} finished: ok")
    else:
        missing = len(e.missing_blocks)
        if missing:
            head = translate("describe", "Job {job} finished: {status}, {missing} unreadable "
                                         "(blocks {ids})")
        else:
            head = translate("describe", "Job {job} finished: {status}")
        if e.count is not None:
            head += translate("describe", "; partial count = {count}")
    word, n = _top_word(e.top) or ("", 0)
    head = head.format(job=e.job, count=e.count, word=word, n=n, status=words.status(e.status),
                       missing=_blocks(len(e.missing_blocks)), ids=_ids(e.missing_blocks))
    if e.retried == 1:
        tail = translate("describe", " ({elapsed:.2f} s, 1 task retried)")
    elif e.retried:
        tail = translate("describe", " ({elapsed:.2f} s, {retried} tasks retried)")
    else:
        tail = translate("describe", " ({elapsed:.2f} s)")
    return head + tail.format(elapsed=e.elapsed_s, retried=e.retried)


def _task_started(e):
    where = translate("describe", "node-local") if e.local else translate("describe", "remote read")
    if e.retry:
        text = translate("describe", "{task} retried on node {node} (attempt {attempt}, {where})")
    else:
        text = translate("describe", "{task} started on node {node} (attempt {attempt}, {where})")
    return text.format(task=_task(e), node=e.node, attempt=e.attempt, where=where)


def _task_finished(e):
    return translate("describe", "{task} done on node {node}: {size} in {elapsed:.2f} s").format(
        task=_task(e), node=e.node, size=format_size(e.bytes_read), elapsed=e.elapsed_s)


def _task_failed(e):
    return translate("describe", "{task} failed on node {node}: {reason}").format(
        task=_task(e), node=e.node, reason=e.reason)


def _log_message(e):
    return str(e.message)


_DESCRIBE = {
    "cluster_started": _cluster_started,
    "cluster_stopped": _cluster_stopped,
    "cluster_frozen": _cluster_frozen,
    "cluster_failed": _cluster_failed,
    "coordinator_stalled": _coordinator_stalled,
    "node_refused": _node_refused,
    "map_output_lost": _map_output_lost,
    "node_disk_failed": _node_disk_failed,
    "node_starting": _node_starting,
    "node_started": _node_started,
    "node_suspect": _node_suspect,
    "node_recovered": _node_recovered,
    "node_declared_dead": _node_declared_dead,
    "node_rejoined": _node_rejoined,
    "node_killed": _node_killed,
    "node_paused": _node_paused,
    "node_resumed": _node_resumed,
    "node_restarting": _node_restarting,
    "node_added": _node_added,
    "node_disk_speed": _node_disk_speed,
    "put_started": _put_started,
    "put_finished": _put_finished,
    "put_failed": _put_failed,
    "file_deleted": _file_deleted,
    "transfer_failed": _transfer_failed,
    "block_stored": _block_stored,
    "replica_corrupted": _replica_corrupted,
    "block_corrupt": _block_corrupt,
    "block_trimmed": _block_trimmed,
    "health_changed": _health_changed,
    "job_started": _job_started,
    "job_finished": _job_finished,
    "task_started": _task_started,
    "task_finished": _task_finished,
    "task_failed": _task_failed,
    "log_message": _log_message,
}


def describe(event) -> str | None:
    """One short sentence for the event log, or None for kinds the log leaves out. Never
    raises: an event with unexpected field values gets a plain generic sentence."""
    kind = event.kind
    if kind in SKIPPED:
        return None
    fn = _DESCRIBE.get(kind)
    if fn is not None:
        try:
            return fn(event)
        except Exception:  # a malformed recording must not break the log
            pass
    return translate("describe", "{kind} event").format(kind=kind.replace("_", " ").capitalize())


_WARNING = frozenset({"node_suspect", "node_killed", "node_paused", "transfer_failed", "put_failed",
                      "replica_corrupted", "task_failed", "coordinator_stalled", "node_refused",
                      "map_output_lost"})
_ERROR = frozenset({"node_declared_dead", "block_corrupt", "cluster_failed", "node_disk_failed"})


def level_of(event) -> str:
    """DEBUG, INFO, WARNING or ERROR (a node's log record keeps its own level name).

    WARNING: something went wrong that the cluster handles (a suspect node, a kill or pause,
    a failed transfer or task, a damaged replica). ERROR: capacity or data is gone (a node
    declared dead, a corrupt replica detected, blocks with no live replica, an incomplete
    job). DEBUG: the routine per-block and per-task steps of a healthy run."""
    kind = event.kind
    if kind == "log_message":
        level = str(event.level or "INFO").upper()
        return "WARNING" if level == "WARN" else level
    if kind in _ERROR:
        return "ERROR"
    if kind in _WARNING:
        return "WARNING"
    if kind == "job_finished":
        return "INFO" if event.status == "ok" else "ERROR"
    if kind == "health_changed":
        return "ERROR" if event.missing else "DEBUG"
    if kind == "block_stored":
        return "INFO" if event.purpose == "replicate" else "DEBUG"
    if kind == "task_started":
        return "INFO" if event.retry else "DEBUG"
    if kind in ("task_finished", "job_progress", "transfer_started", "metrics_sample"):
        return "DEBUG"
    return "INFO"


def health_entry(event, previous) -> tuple[str, str]:
    """(level, text) for a ``health_changed`` event given the previous one (or None).

    Health counts move at every block committed or re-replicated, so most changes are DEBUG.
    The log raises a WARNING when blocks first become under-replicated, an ERROR when the set
    of blocks without a live replica changes (not at every count that moves while
    recovering), and says once, at INFO, when replication is restored."""
    if event.missing:
        before = tuple(previous.missing_blocks or ()) if previous is not None else None
        changed = before != tuple(event.missing_blocks or ())
        return ("ERROR" if changed else "DEBUG"), describe(event)
    was_bad = previous is not None and bool(previous.under_replicated or previous.missing)
    if not event.under_replicated and was_bad:
        return "INFO", translate("describe", "Replication restored: all {blocks} blocks fully "
                                             "replicated").format(blocks=event.blocks)
    if event.under_replicated and not was_bad:
        return "WARNING", describe(event)
    return "DEBUG", describe(event)
