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
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields

from engine.config import ClusterConfig
from engine.errors import UsageError
from engine.sizes import parse_size
from engine.text import validate_word

ACTIONS = ("kill", "pause", "resume", "restart", "corrupt", "slow_disk", "random_kills", "kill_block_holders")
_TOP_KEYS = {"name", "description", "trials", "seed", "cluster", "data", "jobs", "faults"}
_CLUSTER_KEYS = {f.name for f in fields(ClusterConfig)} - {"data_dir", "log_level"} | {"node_disk_mbps"}
_DATA_KEYS = {"generate", "file", "seed"}
_JOB_KEYS = {"kind", "word", "ignore_case", "top"}
_FAULT_KEYS = {"at", "action", "node", "duration", "mbps", "block", "rate", "count", "until"}
_NEEDS_NODE = {"kill", "pause", "resume", "restart", "slow_disk"}


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class JobPlan:
    kind: str
    word: str | None = None
    ignore_case: bool = False
    top: int = 20


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    cluster: ClusterConfig
    node_disk_mbps: dict = field(default_factory=dict)
    data_size: int | None = None
    data_file: str | None = None
    data_seed: int = 1
    jobs: tuple = ()
    faults: tuple = ()
    trials: int = 1
    seed: int = 1
    description: str = ""

    def for_trial(self, trial: int) -> ClusterConfig:
        return self.cluster.with_changes(seed=self.seed + trial)


class ScenarioError(UsageError):
    pass


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _Checker:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text

    def fail(self, message: str, key: str | None = None):
        line = _line_of(self.text, key) if key else None
        where = f"{self.path}:{line}" if line else self.path
        raise ScenarioError(f"{where}: {message}")

    def keys(self, table: dict, allowed: set, where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"unknown key {where + '.' if where else ''}{key} "
                          f"(allowed: {', '.join(sorted(allowed))})", key)

    def number(self, value, key: str, *, minimum: float | None = None, integer: bool = False):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            self.fail(f"{key} must be {'a whole number' if integer else 'a number'} (got {value!r})", key.split(".")[-1])
        if minimum is not None and value < minimum:
            self.fail(f"{key} must be at least {minimum} (got {value})", key.split(".")[-1])
        return value


def load_scenario(path: str) -> Scenario:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file") from None
    try:
        text = raw.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: invalid TOML: {exc}") from None
    return parse_scenario(doc, path, text)


def parse_scenario(doc: dict, path: str = "<scenario>", text: str = "") -> Scenario:
    c = _Checker(path, text)
    c.keys(doc, _TOP_KEYS, "")
    cluster_doc = dict(doc.get("cluster", {}))
    c.keys(cluster_doc, _CLUSTER_KEYS, "cluster")
    node_disk = cluster_doc.pop("node_disk_mbps", {}) or {}
    for key in ("block_size",):
        if key in cluster_doc and isinstance(cluster_doc[key], str):
            try:
                cluster_doc[key] = parse_size(cluster_doc[key], what=f"cluster.{key}")
            except UsageError as exc:
                c.fail(str(exc), key)
    try:
        cluster = ClusterConfig(**cluster_doc).validate()
    except TypeError as exc:
        c.fail(f"cluster: {exc}")
    except UsageError as exc:
        key = next((k for k in cluster_doc if k.replace("_", "-") in str(exc) or k in str(exc)), None)
        c.fail(f"cluster: {str(exc).replace('--', '').replace('-', '_')}", key)
    disk = {}
    for node, mbps in node_disk.items():
        if not str(node).isdigit() or int(node) >= cluster.nodes:
            c.fail(f"cluster.node_disk_mbps: node {node} does not exist (nodes are 0..{cluster.nodes - 1})",
                   str(node))
        disk[int(node)] = c.number(mbps, f"cluster.node_disk_mbps.{node}", minimum=0.001)

    data_doc = doc.get("data", {})
    c.keys(data_doc, _DATA_KEYS, "data")
    size = data_file = None
    if "file" in data_doc:
        data_file = os.path.join(os.path.dirname(os.path.abspath(path)), data_doc["file"])
        if not os.path.isfile(data_file):
            c.fail(f"data.file {data_doc['file']}: no such file", "file")
    else:
        try:
            size = parse_size(str(data_doc.get("generate", "4MiB")), what="data.generate")
        except UsageError as exc:
            c.fail(str(exc), "generate")

    jobs = []
    for i, job in enumerate(doc.get("jobs", [{"kind": "count", "word": "data"}])):
        c.keys(job, _JOB_KEYS, f"jobs[{i}]")
        kind = job.get("kind", "count")
        if kind not in ("count", "wordcount"):
            c.fail(f"jobs[{i}].kind must be count or wordcount (got {kind!r})", "kind")
        if kind == "count":
            try:
                validate_word(job.get("word", ""))
            except UsageError as exc:
                c.fail(f"jobs[{i}].word: {exc}", "word")
        top = c.number(job.get("top", 20), f"jobs[{i}].top", minimum=1, integer=True)
        jobs.append(JobPlan(kind, job.get("word"), bool(job.get("ignore_case", False)), top))
    if not jobs:
        c.fail("at least one [[jobs]] entry is needed")

    faults = []
    for i, fault in enumerate(doc.get("faults", [])):
        where = f"faults[{i}]"
        c.keys(fault, _FAULT_KEYS, where)
        action = fault.get("action")
        if action not in ACTIONS:
            c.fail(f"{where}.action must be one of {', '.join(ACTIONS)} (got {action!r})", "action")
        if "at" not in fault:
            c.fail(f"{where}.at is missing (seconds after the first job starts)")
        at = c.number(fault["at"], f"{where}.at")
        if at < 0:
            c.fail(f"{where}.at must not be negative (got {at})", "at")
        node = fault.get("node")
        if action in _NEEDS_NODE or (action == "corrupt" and node is not None) or node is not None:
            if node is None:
                c.fail(f"{where}: {action} needs a node")
            c.number(node, f"{where}.node", minimum=0, integer=True)
            if node >= cluster.nodes:
                c.fail(f"{where}: node {node} does not exist (nodes are 0..{cluster.nodes - 1})", "node")
        if action == "corrupt" and node is None:
            c.fail(f"{where}: corrupt needs a node (and optionally a block)")
        for key, minimum in (("duration", 0), ("mbps", 0.001), ("rate", 0.0001), ("until", 0)):
            if key in fault:
                c.number(fault[key], f"{where}.{key}", minimum=minimum)
        if action == "slow_disk" and "mbps" not in fault:
            c.fail(f"{where}: slow_disk needs mbps", "action")
        if action == "random_kills" and "rate" not in fault:
            c.fail(f"{where}: random_kills needs rate (kills per second)", "action")
        if "count" in fault:
            c.number(fault["count"], f"{where}.count", minimum=1, integer=True)
        if "block" in fault:
            c.number(fault["block"], f"{where}.block", minimum=0, integer=True)
        faults.append(Fault(at=float(at), action=action, node=node, duration=fault.get("duration"),
                            mbps=fault.get("mbps"), block=fault.get("block"), rate=fault.get("rate"),
                            count=fault.get("count"), until=fault.get("until")))

    trials = c.number(doc.get("trials", 1), "trials", minimum=1, integer=True)
    seed = c.number(doc.get("seed", 1), "seed", integer=True)
    return Scenario(name=str(doc.get("name", os.path.splitext(os.path.basename(path))[0])), path=path,
                    cluster=cluster, node_disk_mbps=disk, data_size=size, data_file=data_file,
                    data_seed=int(data_doc.get("seed", 1)), jobs=tuple(jobs),
                    faults=tuple(sorted(faults, key=lambda f: f.at)), trials=trials, seed=seed,
                    description=str(doc.get("description", "")))
