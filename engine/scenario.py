"""Failure-injection scenarios: a TOML file read with the standard library's ``tomllib``,
validated completely before anything starts.

```toml
name = "Kill a node mid-job"
trials = 3          # default for --trials
seed = 1            # base seed; trial i uses seed + i

[cluster]           # any ClusterConfig field; sizes as strings like "256KiB"
nodes = 6
replication = 3
block_size = "256KiB"
disk_mbps = 4.0
[cluster.node_disk_mbps]   # per-node disk bandwidth overrides, MB/s
"3" = 0.5

[data]
generate = "4MiB"   # seeded corpus of this size ... or: file = "path/to/text.txt"
seed = 1

[[jobs]]
kind = "count"      # or "wordcount" (with top = 20)
word = "data"

[[faults]]          # times are seconds after the first job starts
at = 0.5
action = "kill"     # kill | pause | resume | restart | corrupt | slow_disk | random_kills | kill_block_holders
node = 2
```

A scenario is a regular file of at most 1 MiB (``MAX_SCENARIO_SIZE``): a named pipe, a
device or a larger file is refused at once, without waiting for it or reading it through.
Nothing in it nests more than 16 deep (arrays or inline tables inside one another, parts of
a dotted key: see ``engine.toml_lines.nesting_problem``); a scenario needs 3.

Every key is checked before anything starts, and a wrong one is one line naming the file,
the line and the key, like ``s.toml:12: faults[1].at must be a finite number (got 'soon')``:

- top level: ``name``, ``description`` (text), ``trials`` (1 to 1000), ``seed`` (whole);
- ``[cluster]``: any ClusterConfig field, checked by ``ClusterConfig.validate`` (a size as
  ``"256KiB"`` or a whole number of bytes; ``speculation`` is true or false), and
  ``node_disk_mbps`` (node id = MB/s above 0);
- ``[data]``: ``generate`` (a size or whole bytes, 1 B to 4 GiB) or ``file`` (a path, relative
  to the scenario), not both; ``seed`` (whole, >= 0). Without ``[data]``, 4 MiB are generated;
- ``[[jobs]]``, at least one: ``kind = "count"`` with ``word`` (one word) and ``ignore_case``
  (true or false), or ``kind = "wordcount"`` with ``top`` (1 to 100000);
- ``[[faults]]``: ``action``, ``at`` (seconds, 0 to 10**6), and the keys of that action only:
  ``node`` (kill, pause, resume, restart, corrupt, slow_disk), ``duration`` (pause, slow_disk:
  seconds above 0), ``mbps`` (slow_disk, above 0), ``block`` (corrupt, kill_block_holders),
  ``rate`` (random_kills: kills per second, above 0), ``count`` (random_kills: 1 to the node
  count) and ``until`` (random_kills: seconds, not before ``at``).

No number is ``nan`` or ``inf`` (TOML can write both) and no bool is a number. A timeline
that cannot happen (a pause of a node already killed, ...) is refused too: see
``engine.fault_plan``, which says what is impossible and what is allowed destruction.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field, fields

from .config import ClusterConfig, ConfigError
from .corpus import write_corpus
from .errors import UsageError
from .faults import FaultStep
from .model import JobSpec
from .sizes import sizes_apart
from .text import validate_word
from .values import MAX_DATA_SIZE, MAX_SCENARIO_SIZE, MAX_TOP, MAX_TRIALS, plain

from .fault_plan import ImpossibleFault, block_count, check_blocks, check_timeline
from .toml_lines import nesting_problem
from .toml_reader import TomlReader, label

ACTIONS = ("kill", "pause", "resume", "restart", "corrupt", "slow_disk", "random_kills", "kill_block_holders")
_TOP_KEYS = {"name", "description", "trials", "seed", "cluster", "data", "jobs", "faults"}
_CLUSTER_KEYS = {f.name for f in fields(ClusterConfig)} - {"data_dir", "log_level"} | {"node_disk_mbps"}
_DATA_KEYS = {"generate", "file", "seed"}
_JOB_KINDS = ("count", "wordcount")
_FAULT_KEYS = {"at", "action", "node", "duration", "mbps", "block", "rate", "count", "until"}


@dataclass(frozen=True)
class _ActionKeys:
    """The keys a fault action takes besides ``at`` and ``action``."""
    required: tuple = ()
    optional: tuple = ()

    @property
    def all(self) -> tuple:
        return self.required + self.optional


_ACTION_KEYS = {
    "kill": _ActionKeys(("node",)),
    "pause": _ActionKeys(("node",), ("duration",)),
    "resume": _ActionKeys(("node",)),
    "restart": _ActionKeys(("node",)),
    "corrupt": _ActionKeys(("node",), ("block",)),
    "slow_disk": _ActionKeys(("node", "mbps"), ("duration",)),
    "random_kills": _ActionKeys(("rate",), ("count", "until")),
    "kill_block_holders": _ActionKeys((), ("block",)),
}
_JOB_KEYS = {"count": ("kind", "word", "ignore_case"), "wordcount": ("kind", "top")}
_NEEDS = {"node": "a node", "mbps": "mbps (the disk's speed, MB/s)", "rate": "rate (kills per second)"}


@dataclass(frozen=True, repr=False)
class Fault:
    at: float
    action: str
    node: int | None = None
    duration: float | None = None  # pause: resume after; slow_disk: restore after
    mbps: float | None = None  # slow_disk
    block: int | None = None  # corrupt: which block (random replica of the node if None)
    rate: float | None = None  # random_kills: kills per second
    count: int | None = None  # random_kills: at most this many kills
    until: float | None = None  # random_kills: stop drawing after this time
    key: str = field(default="", compare=False)  # where the scenario sets it: "faults[2]"
    line: int | None = field(default=None, compare=False)  # ... and on which line of its file

    def __repr__(self) -> str:
        """``faults[2] (pause node 1 at 0.5 s)``: how run-time errors name the fault."""
        what = [self.action]
        if self.node is not None:
            what.append(f"node {self.node}")
        if self.block is not None:
            what.append(f"block {self.block}")
        text = f"{' '.join(what)} at {plain(self.at)} s"
        return f"{self.key} ({text})" if self.key else text


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    cluster: ClusterConfig
    node_disk_mbps: dict = field(default_factory=dict)
    data_size: int | None = None
    data_file: str | None = None
    data_seed: int = 1
    jobs: tuple = ()  # JobSpec each, its file left "" (the run stores the data and names it)
    faults: tuple = ()
    trials: int = 1
    seed: int = 1
    description: str = ""

    def for_trial(self, trial: int) -> ClusterConfig:
        return self.cluster.with_changes(seed=self.seed + trial)

    def fault_steps(self) -> tuple[FaultStep, ...]:
        """The faults as the run layer plays them, each named as the file names it."""
        return tuple(FaultStep(f.action, at_s=f.at, node=f.node, block=f.block, duration=f.duration,
                               mbps=f.mbps, rate=f.rate, count=f.count, until=f.until, label=repr(f))
                     for f in self.faults)

    def job_specs(self) -> tuple[JobSpec, ...]:
        """The jobs, for the file the run stores (its name is filled in by the run)."""
        return tuple(self.jobs)

    def last_fault_s(self) -> float:
        """When the last fault (and its duration, or its random kills' window) ends."""
        return max((max(f.at + (f.duration or 0.0), f.until if f.until is not None else
                        (f.at + 10.0 if f.action == "random_kills" else 0.0)) for f in self.faults), default=0.0)


def prepare_data(scenario: Scenario, workdir: str) -> str:
    """The scenario's data file: its ``file``, or its seeded corpus generated in ``workdir``."""
    if scenario.data_file:
        return scenario.data_file
    path = os.path.join(workdir, f"corpus-{scenario.data_size}-{scenario.data_seed}.txt")
    if not os.path.exists(path):
        write_corpus(path, scenario.data_size, seed=scenario.data_seed)
    return path


class ScenarioError(UsageError):
    pass


_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


def load_scenario(path: str) -> Scenario:
    """The scenario in the file ``path``: a regular file of at most MAX_SCENARIO_SIZE bytes.
    Anything else is refused at once, never waited for or read to its end: the file is
    opened without blocking (a named pipe with no writer would wait forever) and checked
    before it is read (``/dev/zero`` never ends)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        for test, kind in _NOT_REGULAR:
            if test(mode):
                raise ScenarioError(f"{path}: is {kind}, not a scenario file")
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"{path}: is not a regular file")
        chunks, size = [], 0
        while size <= MAX_SCENARIO_SIZE:  # to its end or just past the limit, if it grows
            chunk = os.read(fd, MAX_SCENARIO_SIZE + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        size = max(size, os.fstat(fd).st_size)
        if size > MAX_SCENARIO_SIZE:
            shown_size, limit = sizes_apart(size, MAX_SCENARIO_SIZE)
            raise ScenarioError(f"{path}: is {shown_size}, more than the {limit} a scenario file may have")
        raw = b"".join(chunks)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    deep = nesting_problem(text)  # before the parser, which recurses and is slow on them
    if deep:
        raise ScenarioError(f"{path}:{deep[0]}: {deep[1]}")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: invalid TOML: nested too deeply to read") from None
    return parse_scenario(doc, path, text)


def parse_scenario(doc: dict, path: str = "<scenario>", text: str = "") -> Scenario:
    """The scenario of a parsed TOML document (``text`` is its source, for line numbers)."""
    c = TomlReader(path, text, ScenarioError)
    c.keys(doc, _TOP_KEYS, ())
    name = c.text(doc, ("name",), os.path.splitext(os.path.basename(path))[0], nonempty=True)
    description = c.text(doc, ("description",), "")
    trials = c.number(doc, ("trials",), 1, whole=True, minimum=1, maximum=MAX_TRIALS)
    seed = c.number(doc, ("seed",), 1, whole=True)
    cluster, disk = _cluster(c, c.table(doc, ("cluster",)))
    size, data_file, data_seed = _data(c, c.table(doc, ("data",)), path)
    jobs = _jobs(c, c.tables(doc, ("jobs",)))
    faults = _faults(c, c.tables(doc, ("faults",)), cluster)
    try:
        check_timeline(faults, cluster.nodes)
    except ImpossibleFault as exc:
        c.fail_at(exc.fault.line, str(exc))
    return Scenario(name=name, path=path, cluster=cluster, node_disk_mbps=disk, data_size=size,
                    data_file=data_file, data_seed=data_seed, jobs=tuple(jobs),
                    faults=tuple(sorted(faults, key=lambda f: f.at)), trials=trials, seed=seed,
                    description=description)


def check_data(scenario: Scenario, data_path: str) -> None:
    """The checks that need the data, once it is generated or found and before any cluster
    starts: every fault's ``block`` is one of the stored file's blocks."""
    if all(f.block is None for f in scenario.faults):
        return
    try:
        check_blocks(scenario.faults, block_count(data_path, scenario.cluster.block_size))
    except ImpossibleFault as exc:
        where = f"{scenario.path}:{exc.fault.line}" if exc.fault.line else scenario.path
        raise ScenarioError(f"{where}: {exc}") from None


def _cluster(c: TomlReader, doc: dict) -> tuple[ClusterConfig, dict]:
    c.keys(doc, _CLUSTER_KEYS, ("cluster",))
    settings = {k: v for k, v in doc.items() if k != "node_disk_mbps"}
    if "block_size" in settings:
        settings["block_size"] = c.size(doc, ("cluster", "block_size"))
    try:
        cluster = ClusterConfig(**settings).validate()
    except ConfigError as exc:
        c.fail(f"cluster.{exc.field} {exc.problem}", ("cluster", exc.field))
    disk = {}
    per_node = c.table(doc, ("cluster", "node_disk_mbps"))
    for node in per_node:
        path = ("cluster", "node_disk_mbps", node)
        if not (node.isascii() and node.isdigit()) or int(node) >= cluster.nodes:
            c.fail(f"cluster.node_disk_mbps: node {node} does not exist (nodes are 0..{cluster.nodes - 1})", path)
        disk[int(node)] = c.number(per_node, path, above=0)
    return cluster, disk


def _data(c: TomlReader, doc: dict, scenario_path: str) -> tuple[int | None, str | None, int]:
    c.keys(doc, _DATA_KEYS, ("data",))
    seed = c.number(doc, ("data", "seed"), 1, whole=True, minimum=0)
    if "file" in doc and "generate" in doc:
        c.fail("data: give either generate or file, not both", ("data", "generate"))
    if "file" in doc:
        name = c.text(doc, ("data", "file"), nonempty=True)
        data_file = os.path.join(os.path.dirname(os.path.abspath(scenario_path)), name)
        if not os.path.isfile(data_file):
            c.fail(f"data.file {name}: no such file", ("data", "file"))
        return None, data_file, seed
    return c.size(doc, ("data", "generate"), "4MiB", maximum=MAX_DATA_SIZE), None, seed


def _jobs(c: TomlReader, entries: list) -> list[JobSpec]:
    if not entries:
        c.fail('no jobs: a scenario needs at least one [[jobs]] table, like kind = "count" with '
               'word = "data", or kind = "wordcount"', ("jobs",))
    jobs = []
    for i, job in enumerate(entries):
        where = ("jobs", i)
        c.keys(job, set(_JOB_KEYS["count"]) | set(_JOB_KEYS["wordcount"]), where)
        kind = c.choice(job, where + ("kind",), _JOB_KINDS, "count")
        for key in job:
            if key not in _JOB_KEYS[kind]:
                c.fail(f"{label(where + (key,))} does not apply to a {kind} job "
                       f"(a {kind} job takes: {', '.join(_JOB_KEYS[kind])})", where + (key,))
        if kind == "count":
            word = c.text(job, where + ("word",), "")
            try:
                validate_word(word)
            except UsageError as exc:
                c.fail(f"{label(where + ('word',))}: {exc}", where + ("word",))
            jobs.append(JobSpec(kind, "", word, c.boolean(job, where + ("ignore_case",), False)))
        else:
            jobs.append(JobSpec(kind, "", top=c.number(job, where + ("top",), 20, whole=True, minimum=1,
                                                   maximum=MAX_TOP)))
    return jobs


def _faults(c: TomlReader, entries: list, cluster: ClusterConfig) -> list[Fault]:
    faults = []
    for i, fault in enumerate(entries):
        where = ("faults", i)
        name = label(where)
        c.keys(fault, _FAULT_KEYS, where)
        action = c.choice(fault, where + ("action",), ACTIONS)
        if "at" not in fault:
            c.fail(f"{name}.at is missing (seconds after the first job starts)", where)
        at = c.seconds(fault, where + ("at",))
        keys = _ACTION_KEYS[action]
        for key in fault:
            if key not in ("at", "action") + keys.all:
                takes = ", ".join(keys.all) or "no other key"
                c.fail(f"{name}.{key} does not apply to {action} ({action} takes: {takes})", where + (key,))
        for key in keys.required:
            if key not in fault:
                c.fail(f"{name}: {action} needs {_NEEDS[key]}", where + ("action",))
        node = duration = mbps = rate = block = count = until = None
        if "node" in fault:
            node = c.number(fault, where + ("node",), whole=True, minimum=0)
            if node >= cluster.nodes:
                c.fail(f"{name}: node {node} does not exist (nodes are 0..{cluster.nodes - 1})", where + ("node",))
        if "duration" in fault:
            duration = c.seconds(fault, where + ("duration",), positive=True)
        if "mbps" in fault:
            mbps = float(c.number(fault, where + ("mbps",), above=0))
        if "rate" in fault:
            rate = float(c.number(fault, where + ("rate",), above=0))
        if "block" in fault:
            block = c.number(fault, where + ("block",), whole=True, minimum=0)
        if "count" in fault:
            count = c.number(fault, where + ("count",), whole=True, minimum=1)
            if count > cluster.nodes:
                c.fail(f"{name}.count must be at most the node count {cluster.nodes} (got {count}): "
                       "random_kills kills each node at most once", where + ("count",))
        if "until" in fault:
            until = c.seconds(fault, where + ("until",))
            if until < at:
                c.fail(f"{name}.until ({plain(until)}) is before {name}.at ({plain(at)})", where + ("until",))
        faults.append(Fault(at=at, action=action, node=node, duration=duration, mbps=mbps, block=block,
                            rate=rate, count=count, until=until, key=name, line=c.line(where)))
    return faults
