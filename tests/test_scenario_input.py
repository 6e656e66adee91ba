"""Malformed scenario files: every wrong type, missing table, out-of-bounds value and
impossible fault timeline is one line naming the file, the line and the key, exit status 2,
before any cluster starts; faults that still fail at run time give exit status 4."""

import dataclasses
import json
import os
import re
import subprocess
import sys

import pytest

from cli.summaries import experiment_summary as format_summary
from experiments.experiment import exit_status
from engine.scenario import ScenarioError, load_scenario
from support import ROOT

BASE = """name = "t"
[cluster]
nodes = 3
replication = 2
[data]
generate = "64KiB"
[[jobs]]
kind = "count"
word = "data"
"""


def replace(old, new, text=BASE):
    assert old in text
    return text.replace(old, new, 1)


def faults(*entries):
    """[[faults]] tables from "key = value; key = value" strings."""
    return BASE + "".join("[[faults]]\n" + "".join(f"{kv.strip()}\n" for kv in e.split(";")) for e in entries)


# (case id, scenario text, the line the message must name (its text, or (text, nth)), what it must say)
CASES = [
    # the cluster: every ClusterConfig field through validate()
    ("nodes-word", replace("nodes = 3", 'nodes = "six"'),
     'nodes = "six"', "cluster.nodes must be a whole number (got 'six')"),
    ("nodes-bool", replace("nodes = 3", "nodes = true"), "nodes = true", "cluster.nodes must be a whole number"),
    ("nodes-zero", replace("nodes = 3", "nodes = 0"), "nodes = 0", "cluster.nodes must be at least 1"),
    ("nodes-float", replace("nodes = 3", "nodes = 3.0"), "nodes = 3.0", "cluster.nodes must be a whole number"),
    ("nodes-nan", replace("nodes = 3", "nodes = nan"), "nodes = nan", "cluster.nodes must be a whole number"),
    ("nodes-huge", replace("nodes = 3", "nodes = 1000000"), "nodes = 1000000", "cluster.nodes must be at most 256"),
    ("replication-float", replace("replication = 2", "replication = 2.5"), "replication = 2.5", "cluster.replication"),
    ("replication-above", replace("replication = 2", "replication = 4"), "replication = 4", "above the node count"),
    ("heartbeat-nan", replace("nodes = 3", "nodes = 3\nheartbeat = nan"),
     "heartbeat = nan", "cluster.heartbeat must be a finite number (got nan)"),
    ("heartbeat-inf", replace("nodes = 3", "nodes = 3\nheartbeat = inf"), "heartbeat = inf", "cluster.heartbeat"),
    ("heartbeat-negative", replace("nodes = 3", "nodes = 3\nheartbeat = -1"), "heartbeat = -1", "cluster.heartbeat"),
    ("dead-after-text", replace("nodes = 3", 'nodes = 3\ndead_after = "2"'), 'dead_after = "2"', "cluster.dead_after"),
    ("dead-after-short", replace("nodes = 3", "nodes = 3\ndead_after = 0.1"), "dead_after = 0.1", "cluster.dead_after"),
    ("metrics-negative", replace("nodes = 3", "nodes = 3\nmetrics_interval = -1"),
     "metrics_interval = -1", "cluster.metrics_interval"),
    ("metrics-zero", replace("nodes = 3", "nodes = 3\nmetrics_interval = 0"),
     "metrics_interval = 0", "cluster.metrics_interval"),
    ("metrics-nan", replace("nodes = 3", "nodes = 3\nmetrics_interval = nan"),
     "metrics_interval = nan", "cluster.metrics_interval"),
    ("max-attempts-zero", replace("nodes = 3", "nodes = 3\nmax_attempts = 0"),
     "max_attempts = 0", "cluster.max_attempts must be at least 1"),
    ("max-streams-text", replace("nodes = 3", 'nodes = 3\nmax_streams = "2"'),
     'max_streams = "2"', "cluster.max_streams"),
    ("slots-huge", replace("nodes = 3", "nodes = 3\nslots = 100000"),
     "slots = 100000", "cluster.slots must be at most"),
    ("seed-float", replace("nodes = 3", "nodes = 3\nseed = 1.5"), "seed = 1.5", "cluster.seed must be a whole number"),
    ("speculation-int", replace("nodes = 3", "nodes = 3\nspeculation = 1"),
     "speculation = 1", "cluster.speculation must be true or false"),
    ("speculation-text", replace("nodes = 3", 'nodes = 3\nspeculation = "yes"'),
     'speculation = "yes"', "cluster.speculation"),
    ("speculation-factor", replace("nodes = 3", "nodes = 3\nspeculation_factor = inf"),
     "speculation_factor = inf", "cluster.speculation_factor"),
    ("speculation-min", replace("nodes = 3", "nodes = 3\nspeculation_min_s = -1"),
     "speculation_min_s = -1", "cluster.speculation_min_s"),
    ("scan-zero", replace("nodes = 3", "nodes = 3\nscan_interval = 0"), "scan_interval = 0", "cluster.scan_interval"),
    ("locality-nan", replace("nodes = 3", "nodes = 3\nlocality_wait = nan"), "locality_wait = nan",
     "cluster.locality_wait"),
    ("locality-text", replace("nodes = 3", "nodes = 3\nlocality_wait = \"soon\""), "locality_wait = \"soon\"",
     "cluster.locality_wait"),
    ("disk-nan", replace("nodes = 3", "nodes = 3\ndisk_mbps = nan"), "disk_mbps = nan", "cluster.disk_mbps"),
    ("disk-zero", replace("nodes = 3", "nodes = 3\ndisk_mbps = 0"), "disk_mbps = 0", "cluster.disk_mbps"),
    ("block-size-zero", replace("nodes = 3", 'nodes = 3\nblock_size = "0"'), 'block_size = "0"', "cluster.block_size"),
    ("block-size-unit", replace("nodes = 3", 'nodes = 3\nblock_size = "12XB"'), 'block_size = "12XB"', "12XB"),
    ("block-size-float", replace("nodes = 3", "nodes = 3\nblock_size = 1.5"),
     "block_size = 1.5", "cluster.block_size must be a size"),
    ("block-size-bool", replace("nodes = 3", "nodes = 3\nblock_size = true"),
     "block_size = true", "cluster.block_size"),
    ("block-size-huge", replace("nodes = 3", 'nodes = 3\nblock_size = "2GiB"'),
     'block_size = "2GiB"', "cluster.block_size"),
    ("backend-unknown", replace("nodes = 3", 'nodes = 3\nbackend = "spark"'),
     'backend = "spark"', "cluster.backend must be 'local' or 'dask' (got 'spark')"),
    ("scheduler-local", replace("nodes = 3", 'nodes = 3\nscheduler = "tcp://h:8786"'),
     'scheduler = "tcp://h:8786"', "cluster.scheduler needs the dask backend"),
    ("tls-ca-file", replace("nodes = 3", 'nodes = 3\ntls_ca_file = "ca.pem"'),
     'tls_ca_file = "ca.pem"', "cluster.tls_ca_file needs a tls:// scheduler"),
    ("tls-cert", replace("nodes = 3", 'nodes = 3\ntls_cert = "c.pem"'),
     'tls_cert = "c.pem"', "cluster.tls_cert needs a tls:// scheduler"),
    ("tls-key", replace("nodes = 3", 'nodes = 3\ntls_key = "k.pem"'),
     'tls_key = "k.pem"', "cluster.tls_key needs a tls:// scheduler"),
    ("log-level", replace("nodes = 3", 'nodes = 3\nlog_level = "DEBUG"'),
     'log_level = "DEBUG"', "unknown key cluster.log_level"),
    ("data-dir", replace("nodes = 3", 'nodes = 3\ndata_dir = "/tmp"'),
     'data_dir = "/tmp"', "unknown key cluster.data_dir"),
    ("cluster-number", replace("[cluster]\nnodes = 3\nreplication = 2\n", "cluster = 5\n"),
     "cluster = 5", "cluster must be a table"),
    ("node-disk-nan", BASE + '[cluster.node_disk_mbps]\n"1" = nan\n',
     '"1" = nan', "cluster.node_disk_mbps.1 must be a finite number"),
    ("node-disk-missing-node", BASE + '[cluster.node_disk_mbps]\n"9" = 1.0\n', '"9" = 1.0', "node 9 does not exist"),
    ("node-disk-not-a-node", BASE + '[cluster.node_disk_mbps]\nfast = 1.0\n', "fast = 1.0", "node fast does not exist"),
    ("node-disk-number", replace("nodes = 3", "nodes = 3\nnode_disk_mbps = 5"),
     "node_disk_mbps = 5", "cluster.node_disk_mbps must be a table"),
    # the data
    ("data-text", replace('name = "t"', 'name = "t"\ndata = "x"', replace('[data]\ngenerate = "64KiB"\n', "")),
     'data = "x"', "data must be a table"),
    ("data-seed-text", replace('generate = "64KiB"', 'generate = "64KiB"\nseed = "x"'),
     'seed = "x"', "data.seed must be a whole number (got 'x')"),
    ("data-seed-dotted",
     replace('name = "t"', 'name = "t"\ndata.seed = "x"', replace('[data]\ngenerate = "64KiB"\n', "")),
     'data.seed = "x"', "data.seed"),
    ("data-seed-negative", replace('generate = "64KiB"', 'generate = "64KiB"\nseed = -1'),
     "seed = -1", "data.seed must not be negative"),
    ("generate-zero", replace('generate = "64KiB"', "generate = 0"),
     "generate = 0", "data.generate must be at least 1"),
    ("generate-negative", replace('generate = "64KiB"', "generate = -5"), "generate = -5", "data.generate"),
    ("generate-zero-text", replace('generate = "64KiB"', 'generate = "0"'), 'generate = "0"', "data.generate"),
    ("generate-float", replace('generate = "64KiB"', "generate = 1.5"),
     "generate = 1.5", "data.generate must be a size"),
    ("generate-bool", replace('generate = "64KiB"', "generate = true"), "generate = true", "data.generate"),
    ("generate-huge", replace('generate = "64KiB"', 'generate = "5TiB"'), 'generate = "5TiB"', "data.generate"),
    ("generate-and-file", replace('generate = "64KiB"', 'generate = "64KiB"\nfile = "x.txt"'),
     'generate = "64KiB"', "either generate or file"),
    ("file-number", replace('generate = "64KiB"', "file = 5"), "file = 5", "data.file must be text"),
    # the jobs
    ("word-number", replace('word = "data"', "word = 5"), "word = 5", "jobs[0].word must be text in quotes (got 5)"),
    ("word-two", replace('word = "data"', 'word = "two words"'), 'word = "two words"', "not a single word"),
    ("word-missing", replace('word = "data"\n', ""), "[[jobs]]", "jobs[0].word"),
    ("ignore-case-text", replace('word = "data"', 'word = "data"\nignore_case = "yes"'),
     'ignore_case = "yes"', "jobs[0].ignore_case must be true or false"),
    ("ignore-case-int", replace('word = "data"', 'word = "data"\nignore_case = 1'),
     "ignore_case = 1", "jobs[0].ignore_case"),
    ("kind-number", replace('kind = "count"', "kind = 5"), "kind = 5", "jobs[0].kind must be one of count, wordcount"),
    ("kind-unknown", replace('kind = "count"', 'kind = "grep"'), 'kind = "grep"', "jobs[0].kind"),
    ("top-on-count", replace('word = "data"', 'word = "data"\ntop = 5'),
     "top = 5", "jobs[0].top does not apply to a count job"),
    ("word-on-wordcount", replace('kind = "count"', 'kind = "wordcount"'),
     'word = "data"', "jobs[0].word does not apply to a wordcount job"),
    ("top-zero", replace('kind = "count"\nword = "data"', 'kind = "wordcount"\ntop = 0'),
     "top = 0", "jobs[0].top must be at least 1"),
    ("top-float", replace('kind = "count"\nword = "data"', 'kind = "wordcount"\ntop = 2.5'),
     "top = 2.5", "jobs[0].top"),
    ("jobs-table", replace("[[jobs]]", "[jobs]"), "[jobs]", "jobs must be an array of tables: write [[jobs]]"),
    ("jobs-numbers",
     replace('[[jobs]]\nkind = "count"\nword = "data"\n', "").replace('name = "t"', 'name = "t"\njobs = [1]'),
     "jobs = [1]", "jobs[0] must be a table"),
    ("no-jobs", replace('[[jobs]]\nkind = "count"\nword = "data"\n', ""), None, "no jobs"),
    ("empty-file", "", None, "no jobs"),
    ("only-comments", "# a scenario\n\n# nothing yet\n", None, "no jobs"),
    ("second-job-wrong", BASE + '[[jobs]]\nkind = "count"\nword = 7\n', "word = 7", "jobs[1].word"),
    # the top level
    ("name-number", replace('name = "t"', "name = 5"), "name = 5", "name must be text in quotes (got 5)"),
    ("name-empty", replace('name = "t"', 'name = ""'), 'name = ""', "name must not be empty"),
    ("description-number", replace('name = "t"', 'name = "t"\ndescription = 3'),
     "description = 3", "description must be text"),
    ("trials-zero", replace('name = "t"', 'name = "t"\ntrials = 0'), "trials = 0", "trials must be at least 1"),
    ("trials-float", replace('name = "t"', 'name = "t"\ntrials = 1e9'),
     "trials = 1e9", "trials must be a whole number"),
    ("trials-huge", replace('name = "t"', 'name = "t"\ntrials = 1000000000'),
     "trials = 1000000000", "trials must be at most 1000"),
    ("trials-bool", replace('name = "t"', 'name = "t"\ntrials = true'),
     "trials = true", "trials must be a whole number"),
    ("seed-text", replace('name = "t"', 'name = "t"\nseed = "x"'), 'seed = "x"', "seed must be a whole number"),
    # the faults: types and bounds
    ("faults-table", BASE + '[faults]\nat = 1\naction = "kill"\nnode = 0\n',
     "[faults]", "faults must be an array of tables: write [[faults]]"),
    ("faults-numbers", replace('name = "t"', 'name = "t"\nfaults = [1, 2]'),
     "faults = [1, 2]", "faults[0] must be a table, written [[faults]] (got 1)"),
    ("at-text", faults('at = "soon"; action = "kill"; node = 0'),
     'at = "soon"', "faults[0].at must be a finite number (got 'soon')"),
    ("at-nan", faults('at = nan; action = "kill"; node = 0'),
     "at = nan", "faults[0].at must be a finite number (got nan)"),
    ("at-inf", faults('at = inf; action = "kill"; node = 0'), "at = inf", "faults[0].at"),
    ("at-minus-inf", faults('at = -inf; action = "kill"; node = 0'), "at = -inf", "faults[0].at"),
    ("at-huge", faults('at = 1e7; action = "kill"; node = 0'), "at = 1e7", "faults[0].at must be at most"),
    ("at-negative", faults('at = -1; action = "kill"; node = 0'), "at = -1", "faults[0].at must not be negative"),
    ("at-bool", faults('at = true; action = "kill"; node = 0'), "at = true", "faults[0].at"),
    ("at-second-fault", faults('at = 1; action = "kill"; node = 0', 'at = "x"; action = "kill"; node = 1'),
     'at = "x"', "faults[1].at"),
    ("action-number", faults('at = 1; action = 5; node = 0'), "action = 5", "faults[0].action must be one of"),
    ("node-bool", faults('at = 1; action = "kill"; node = true'),
     "node = true", "faults[0].node must be a whole number (got True)"),
    ("node-float", faults('at = 1; action = "kill"; node = 1.5'), "node = 1.5", "faults[0].node"),
    ("node-negative", faults('at = 1; action = "kill"; node = -1'), "node = -1", "faults[0].node"),
    ("node-missing", faults('at = 1; action = "pause"'), 'action = "pause"', "pause needs a node"),
    ("block-negative", faults('at = 1; action = "corrupt"; node = 0; block = -1'), "block = -1", "faults[0].block"),
    ("block-bool", faults('at = 1; action = "corrupt"; node = 0; block = true'), "block = true", "faults[0].block"),
    ("duration-inf", faults('at = 1; action = "pause"; node = 0; duration = inf'),
     "duration = inf", "faults[0].duration"),
    ("duration-zero", faults('at = 1; action = "pause"; node = 0; duration = 0'),
     "duration = 0", "faults[0].duration must be positive"),
    ("duration-text", faults('at = 1; action = "slow_disk"; node = 0; mbps = 1; duration = "5s"'),
     'duration = "5s"', "faults[0].duration"),
    ("mbps-zero", faults('at = 1; action = "slow_disk"; node = 0; mbps = 0'),
     "mbps = 0", "faults[0].mbps must be positive"),
    ("mbps-nan", faults('at = 1; action = "slow_disk"; node = 0; mbps = nan'), "mbps = nan", "faults[0].mbps"),
    ("rate-nan", faults('at = 1; action = "random_kills"; rate = nan'),
     "rate = nan", "faults[0].rate must be a finite number"),
    ("rate-zero", faults('at = 1; action = "random_kills"; rate = 0'), "rate = 0", "faults[0].rate"),
    ("rate-missing", faults('at = 1; action = "random_kills"'), 'action = "random_kills"', "random_kills needs rate"),
    ("count-zero", faults('at = 1; action = "random_kills"; rate = 1; count = 0'), "count = 0", "faults[0].count"),
    ("count-above-nodes", faults('at = 1; action = "random_kills"; rate = 1; count = 4'),
     "count = 4", "faults[0].count must be at most the node count 3"),
    ("until-before-at", faults('at = 2; action = "random_kills"; rate = 1; until = 1'),
     "until = 1", "faults[0].until (1) is before faults[0].at (2)"),
    ("until-inf", faults('at = 2; action = "random_kills"; rate = 1; until = inf'), "until = inf", "faults[0].until"),
    ("duration-on-kill", faults('at = 1; action = "kill"; node = 0; duration = 2'),
     "duration = 2", "faults[0].duration does not apply to kill"),
    ("node-on-random-kills", faults('at = 1; action = "random_kills"; rate = 1; node = 0'),
     "node = 0", "faults[0].node does not apply to random_kills"),
    ("mbps-on-pause", faults('at = 1; action = "pause"; node = 0; mbps = 1'),
     "mbps = 1", "faults[0].mbps does not apply to pause"),
    ("block-on-kill", faults('at = 1; action = "kill"; node = 0; block = 1'),
     "block = 1", "faults[0].block does not apply to kill"),
    # the faults: impossible timelines
    ("pause-after-kill", faults('at = 1; action = "kill"; node = 0', 'at = 2; action = "pause"; node = 0'),
     ("[[faults]]", 2), "faults[1]: pause of node 0 at 2 s: node 0 is already killed (faults[0] at 1 s)"),
    ("kill-after-kill", faults('at = 1; action = "kill"; node = 0', 'at = 2; action = "kill"; node = 0'),
     ("[[faults]]", 2), "faults[1]: kill of node 0 at 2 s: node 0 is already killed"),
    ("corrupt-after-kill", faults('at = 1; action = "kill"; node = 1', 'at = 2; action = "corrupt"; node = 1'),
     ("[[faults]]", 2), "faults[1]: corrupt of node 1"),
    ("slow-disk-after-kill",
     faults('at = 1; action = "kill"; node = 1', 'at = 2; action = "slow_disk"; node = 1; mbps = 1'),
     ("[[faults]]", 2), "faults[1]: slow_disk of node 1"),
    ("resume-after-kill",
     faults('at = 1; action = "pause"; node = 2', 'at = 2; action = "kill"; node = 2',
            'at = 3; action = "resume"; node = 2'),
     ("[[faults]]", 3), "faults[2]: resume of node 2 at 3 s: node 2 is already killed"),
    ("resume-unpaused", faults('at = 1; action = "resume"; node = 0'),
     "[[faults]]", "faults[0]: resume of node 0 at 1 s: node 0 is not paused then"),
    ("resume-after-timed-pause",
     faults('at = 1; action = "pause"; node = 0; duration = 1', 'at = 3; action = "resume"; node = 0'),
     ("[[faults]]", 2), "faults[1]: resume of node 0 at 3 s: node 0 is not paused then"),
    ("resume-inside-timed-pause",
     faults('at = 1; action = "pause"; node = 0; duration = 5', 'at = 2; action = "resume"; node = 0'),
     ("[[faults]]", 2), "resumes it by itself"),
    ("pause-paused", faults('at = 1; action = "pause"; node = 0', 'at = 2; action = "pause"; node = 0'),
     ("[[faults]]", 2), "faults[1]: pause of node 0 at 2 s: node 0 is already paused (faults[0] at 1 s)"),
    ("kill-inside-timed-pause",
     faults('at = 1; action = "pause"; node = 0; duration = 2', 'at = 2; action = "kill"; node = 0'),
     ("[[faults]]", 2), "node 0 is paused until 3 s"),
    ("restart-inside-timed-pause",
     faults('at = 1; action = "pause"; node = 0; duration = 2', 'at = 2; action = "restart"; node = 0'),
     ("[[faults]]", 2), "faults[1]: restart of node 0"),
    ("kill-when-pause-ends",
     faults('at = 1; action = "pause"; node = 0; duration = 1', 'at = 2; action = "kill"; node = 0'),
     ("[[faults]]", 2), "at the very time its pause (faults[0]) ends"),
    ("kill-and-restart-at-once", faults('at = 1; action = "kill"; node = 0', 'at = 1; action = "restart"; node = 0'),
     ("[[faults]]", 2), "faults[0] and faults[1] both change node 0 at 1 s"),
    ("impossible-out-of-file-order", faults('at = 5; action = "pause"; node = 1', 'at = 1; action = "kill"; node = 1'),
     ("[[faults]]", 1), "faults[0]: pause of node 1 at 5 s: node 1 is already killed (faults[1] at 1 s)"),
]


def expected_line(text, marker):
    marker, nth = marker if isinstance(marker, tuple) else (marker, 1)
    found = [i for i, line in enumerate(text.splitlines(), 1) if line.strip() == marker]
    assert len(found) >= nth, (marker, text)
    return found[nth - 1]


def write(tmp_path, text, name="s.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("text,marker,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_scenario_is_one_line_naming_file_line_and_key(tmp_path, text, marker, message):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    error = str(info.value)
    assert "\n" not in error and "Traceback" not in error
    where = f"{path}:{expected_line(text, marker)}: " if marker else f"{path}: "
    assert error.startswith(where), (error, where)
    assert message in error, error


@pytest.mark.parametrize("case", ["nodes-word", "faults-table", "empty-file", "at-nan", "pause-after-kill",
                                  "jobs-table", "ignore-case-text"])
def test_experiment_command_refuses_them_with_exit_2(tmp_path, case):
    [(_, text, marker, message)] = [c for c in CASES if c[0] == case]
    path = write(tmp_path, text)
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment", path,
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert lines[0].startswith(f"clusterscope: error: {path}:") and message in lines[0]
    assert out.stdout == "" and not (tmp_path / "out").exists()


ALLOWED = {
    "restart-a-killed-node": faults('at = 0.1; action = "kill"; node = 0', 'at = 1; action = "restart"; node = 0',
                                    'at = 2; action = "pause"; node = 0; duration = 0.5'),
    "kill-every-node": faults('at = 0; action = "kill"; node = 0', 'at = 0; action = "kill"; node = 1',
                              'at = 0; action = "kill"; node = 2'),
    "kill-a-paused-node": faults('at = 0.1; action = "pause"; node = 0', 'at = 1; action = "kill"; node = 0'),
    "kill-after-a-timed-pause": faults('at = 0.1; action = "pause"; node = 0; duration = 0.5',
                                       'at = 1; action = "kill"; node = 0'),
    "pause-resume-pause": faults('at = 0.1; action = "pause"; node = 1', 'at = 0.5; action = "resume"; node = 1',
                                 'at = 0.6; action = "pause"; node = 1; duration = 1'),
    "corrupt-three-times": faults(*['at = 0; action = "corrupt"; node = 1'] * 3),
    "corrupt-and-slow-a-paused-node": faults('at = 0; action = "pause"; node = 2',
                                             'at = 0.5; action = "corrupt"; node = 2',
                                             'at = 0.5; action = "slow_disk"; node = 2; mbps = 1; duration = 1'),
    "kill-block-holders-then-kill": faults('at = 0; action = "kill_block_holders"',
                                           'at = 1; action = "kill"; node = 0'),
    "random-kills-every-node": faults('at = 0; action = "random_kills"; rate = 5; count = 3; until = 2'),
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_allowed_destruction_is_accepted(tmp_path, name):
    scenario = load_scenario(write(tmp_path, ALLOWED[name]))
    assert scenario.faults and scenario.jobs
    assert [f.at for f in scenario.faults] == sorted(f.at for f in scenario.faults)


def test_block_ids_are_checked_against_the_stored_data(tmp_path):
    # 64 KiB at the default 1 MiB block size is one block: block 0 exists, block 1 does not.
    from experiments.experiment import run_experiment
    text = faults('at = 0; action = "corrupt"; node = 0; block = 0', 'at = 0; action = "corrupt"; node = 1; block = 1')
    path = write(tmp_path, text)
    scenario = load_scenario(path)  # the block count is not known before the data exists
    with pytest.raises(ScenarioError) as info:
        run_experiment(scenario, str(tmp_path / "out"), trials=1, baseline=False, plots=False)
    line = expected_line(text, ("[[faults]]", 2))
    assert str(info.value) == (f"{path}:{line}: faults[1].block 1 does not exist: the data is stored as "
                               "1 block(s) (ids 0..0)")
    assert not (tmp_path / "out" / "summary.json").exists()


def test_block_beyond_the_data_is_exit_2_from_the_command(tmp_path):
    path = write(tmp_path, faults('at = 0; action = "kill_block_holders"; block = 7'))
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment", path, "--out",
                          str(tmp_path / "out")], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2, out.stderr[-2000:]
    assert out.stderr.strip().splitlines() == [
        f"clusterscope: error: {path}:10: faults[0].block 7 does not exist: the data is stored as "
        "1 block(s) (ids 0..0)"]


def test_a_fault_that_fails_at_run_time_is_named_and_exit_4(tmp_path):
    # random_kills kills the only node within milliseconds; which node it draws is not known
    # before the run, so the pause of node 0 passes validation and fails when applied.
    text = """name = "not as scripted"
[cluster]
nodes = 1
replication = 1
heartbeat = 0.1
dead_after = 0.5
[data]
generate = "16KiB"
[[jobs]]
kind = "count"
word = "the"
[[faults]]
at = 0
action = "random_kills"
rate = 1000
count = 1
until = 5
[[faults]]
at = 1
action = "pause"
node = 0
"""
    path = write(tmp_path, text)
    out_dir = tmp_path / "out"
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment", path, "--out", str(out_dir),
                          "--no-baseline"], capture_output=True, text=True, timeout=120, cwd=ROOT,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 4, (out.stdout, out.stderr[-3000:])
    assert "Traceback" not in out.stderr
    [line] = [line for line in out.stdout.splitlines() if "did not apply" in line]
    assert line.startswith("NOT AS SCRIPTED: trial 1: faults[1] (pause node 0 at 1 s) did not apply: ")
    assert "node 0 is not running" in line
    summary = json.loads((out_dir / "summary.json").read_text())
    assert len(summary["per_trial"][0]["fault_errors"]) == 1


def _summary(wrong=0, errors=()):
    return {"scenario": "s", "trials": 1, "plots": [],
            "aggregate": {"verdicts": {"exact": 1 - wrong, "incomplete": 0, "wrong": wrong}, "detection_s": None,
                          "restored_s": None, "slowdown": None, "blocks_lost": 0, "tasks_retried": 0,
                          "tasks_speculated": 0},
            "per_trial": [{"trial": 0, "fault_errors": list(errors)}]}


def test_exit_status_wrong_first_then_not_as_scripted():
    error = "apply(faults[3] (kill node 2 at 1 s),): boom"
    assert exit_status(_summary()) == 0
    assert exit_status(_summary(errors=[error])) == 4
    assert exit_status(_summary(wrong=1)) == 1
    assert exit_status(_summary(wrong=1, errors=[error])) == 1
    text = format_summary(_summary(errors=[error, "resume_node(2,): node 2 is not paused"]), "out")
    assert "NOT AS SCRIPTED: trial 1: faults[3] (kill node 2 at 1 s) did not apply: boom" in text
    assert "NOT AS SCRIPTED: trial 1: did not apply: resume_node(2,): node 2 is not paused" in text


def test_every_scenario_key_has_a_malformed_case():
    from engine.config import ClusterConfig
    from engine import scenario as sc
    keys = (sc._TOP_KEYS | sc._DATA_KEYS | sc._FAULT_KEYS | set(sc._JOB_KEYS["count"]) | set(sc._JOB_KEYS["wordcount"])
            | {f.name for f in dataclasses.fields(ClusterConfig)})
    said = " ".join(message for _, _, _, message in CASES)
    missing = sorted(k for k in keys if not re.search(rf"(^|[ .\]]){k}( |\.|\[|:|$)", said))
    assert missing == []


def test_key_lines_of_headers_dotted_quoted_and_inline_keys():
    from engine.toml_lines import key_lines, line_of
    text = '''name = "x"   # 1
description = """two
lines = not a key"""
[cluster]
nodes = 3
[cluster.node_disk_mbps]
"2" = 0.5
[[faults]]
at = 1
[[faults]]
  at   = 2
data.seed = 4
faults2 = [{at = 1}]
'''
    lines = key_lines(text)
    assert line_of(lines, ("name",)) == 1 and ("lines",) not in lines
    assert line_of(lines, ("cluster", "nodes")) == 5
    assert line_of(lines, ("cluster", "node_disk_mbps", "2")) == 7
    assert line_of(lines, ("faults", 0, "at")) == 9 and line_of(lines, ("faults", 1, "at")) == 11
    assert line_of(lines, ("faults", 1, "action")) == 10  # not written: its table's header
    assert line_of(lines, ("faults", 1, "data", "seed")) == 12
    assert line_of(lines, ("faults", 1, "faults2", 0, "at")) == 13  # inline: the line of its array
    assert line_of(lines, ("jobs", 0)) is None


def run_experiment_cli(scenario, out_dir, *more, timeout=60):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "experiment", str(scenario),
                           "--out", str(out_dir), *more], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


def _fifo(tmp_path):
    path = tmp_path / "s.toml"
    os.mkfifo(path)
    return str(path)


def _huge(tmp_path):
    path = tmp_path / "s.toml"
    with open(path, "wb") as f:
        f.truncate(10 * 1024 ** 3)  # sparse: reading it would take long, refusing it must not
    return str(path)


def _over_the_limit(tmp_path):
    return write(tmp_path, BASE + "#" * (1024 * 1024 - len(BASE)) + "\n")  # 1 MiB + 1 byte


@pytest.mark.parametrize("make,message", [
    (_fifo, "is a named pipe, not a scenario file"),
    (lambda tmp_path: "/dev/zero", "is a character device, not a scenario file"),
    (lambda tmp_path: str(tmp_path), "is a directory, not a scenario file"),
    (_huge, "is 10.0 GiB, more than the 1.0 MiB a scenario file may have"),
    (_over_the_limit, "is 1.0 MiB (1048577 bytes), more than the 1.0 MiB (1048576 bytes) a scenario file may have"),
], ids=["fifo", "dev-zero", "directory", "huge", "1MiB+1"])
def test_a_scenario_that_is_no_small_regular_file_is_refused_at_once(tmp_path, make, message):
    path = make(tmp_path)
    out = run_experiment_cli(path, tmp_path / "out", timeout=30)  # a FIFO used to wait forever
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    assert out.stderr.strip().splitlines() == [f"clusterscope: error: {path}: {message}"]
    assert out.stdout == "" and not (tmp_path / "out").exists()


def test_a_scenario_of_exactly_the_limit_is_read(tmp_path):
    path = write(tmp_path, BASE + "#" * (1024 * 1024 - len(BASE) - 1) + "\n")
    assert os.path.getsize(path) == 1024 * 1024
    assert load_scenario(path).jobs


def _deep(prefix, opening, closing="", n=100_000):
    return BASE + prefix + opening * n + closing * n + "\n"


@pytest.mark.parametrize("text,line,message", [
    ("a = " + "[" * 100_000 + "\n", 1, "values nested more than 16 deep"),
    (_deep("description = ", "["), 10, "values nested more than 16 deep"),
    (_deep("description = ", "[", "]"), 10, "values nested more than 16 deep"),
    (_deep("description = ", "{a = ", "}"), 10, "values nested more than 16 deep"),
    (BASE + "word." + ".".join(["a"] * 400_000) + " = 1\n", 10, "a dotted key of more than 16 parts"),
    ("description." + ".".join(["a"] * 400_000) + " = 1\n" + BASE, 1, "a dotted key of more than 16 parts"),
    (BASE + "[" + ".".join(["a"] * 400_000) + "]\n", 10, "a dotted key of more than 16 parts"),
    (BASE + "[[" + " . ".join(['"a"'] * 100_000) + "]]\n", 10, "a dotted key of more than 16 parts"),
    (BASE + "x = {" + ".".join(["a"] * 100_000) + " = 1}\n", 10, "a dotted key of more than 16 parts"),
], ids=["brackets", "brackets-in-a-job", "closed-brackets", "inline-tables", "dotted-key", "dotted-top-key",
        "dotted-header", "quoted-array-header", "dotted-inline-key"])
def test_deep_nesting_is_one_line_and_exit_2_at_once(tmp_path, text, line, message):
    path = write(tmp_path, text)
    out = run_experiment_cli(path, tmp_path / "out", timeout=30)  # tomllib is quadratic in a key's parts
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    [said] = out.stderr.strip().splitlines()
    assert said.startswith(f"clusterscope: error: {path}:{line}: {message}"), said
    assert out.stdout == "" and not (tmp_path / "out").exists()


@pytest.mark.parametrize("text", [
    'description = "[[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s {{{{{{{{{{{{{{{{{{"\n' + BASE,
    "description = '''\n" + "[" * 40 + "\n" + ".".join("a" * 40) + "\n'''\n" + BASE,
    'description = """\\"""\n' + "[" * 40 + '\n\\""""\n' + BASE,
    BASE + "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t\n",
    replace("[cluster]", '[ "cluster" ]\n' + "node_disk_mbps . '1' = 2.5"),
], ids=["in-a-string", "in-a-literal-string", "in-a-multi-line-string", "in-a-comment", "spaced-dotted-keys"])
def test_brackets_and_dots_in_strings_and_comments_are_not_nesting(tmp_path, text):
    assert load_scenario(write(tmp_path, text)).jobs


def test_values_nested_16_deep_are_judged_as_values(tmp_path):
    text = replace('word = "data"', "word = " + "[" * 16 + "]" * 16)
    with pytest.raises(ScenarioError) as info:
        load_scenario(write(tmp_path, text))
    assert "jobs[0].word must be text in quotes" in str(info.value)


def test_a_recursion_error_of_the_toml_parser_is_one_line(tmp_path, monkeypatch):
    # Beyond the scan that refuses deep nesting first: the parser's own limit is one line too.
    from engine import toml_lines
    monkeypatch.setattr(toml_lines, "MAX_NESTING", 10 ** 9)
    path = write(tmp_path, "a = " + "[" * 100_000 + "\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == f"{path}: invalid TOML: nested too deeply to read"


def _out_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    return str(tmp_path / "f"), "is a file, not a folder"


def _out_under_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    return str(tmp_path / "f" / "out"), "cannot create (Not a directory)"


def _out_summary_a_folder(tmp_path):
    os.makedirs(tmp_path / "out" / "summary.json")
    return str(tmp_path / "out"), "summary.json is not a regular file"


def _out_plot_a_fifo(tmp_path):
    os.makedirs(tmp_path / "out")
    os.mkfifo(tmp_path / "out" / "tasks.png")  # writing it would wait for a reader
    return str(tmp_path / "out"), "tasks.png is not a regular file"


@pytest.mark.parametrize("make", [_out_a_file, _out_under_a_file, _out_summary_a_folder, _out_plot_a_fifo],
                         ids=["a-file", "under-a-file", "summary-a-folder", "plot-a-fifo"])
def test_an_out_folder_that_cannot_take_the_report_is_refused_before_any_trial(tmp_path, make):
    out_dir, message = make(tmp_path)
    out = run_experiment_cli(write(tmp_path, BASE), out_dir)
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    # One line and nothing else: no trial started (each prints a progress line first).
    assert out.stderr.strip().splitlines() == [f"clusterscope: error: --out {out_dir}: {message}"]
    assert out.stdout == ""


@pytest.mark.parametrize("sub,message", [("", "cannot write there (Read-only file system)"),
                                         ("out", "cannot create (Read-only file system)")])
def test_a_read_only_out_folder_is_refused_before_any_trial(tmp_path, small_disk, sub, message):
    ro = str(small_disk("16k", "ro"))
    out_dir = os.path.join(ro, sub) if sub else ro
    out = run_experiment_cli(write(tmp_path, BASE), out_dir)
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    assert out.stderr.strip().splitlines() == [f"clusterscope: error: --out {out_dir}: {message}"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_an_out_folder_without_write_permission_is_refused_before_any_trial(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    out = run_experiment_cli(write(tmp_path, BASE), locked)
    assert out.returncode == 2, (out.stdout, out.stderr[-2000:])
    assert out.stderr.strip().splitlines() == [
        f"clusterscope: error: --out {locked}: cannot write there (Permission denied)"]


def test_a_disk_that_fills_while_the_report_is_written_is_one_line_and_exit_3(tmp_path, small_disk):
    full = str(small_disk("8k"))
    out = run_experiment_cli(write(tmp_path, BASE), full, "--no-baseline", timeout=120)
    left = sorted(os.listdir(full))
    assert out.returncode == 3, (out.stdout, out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    said = [line for line in out.stderr.splitlines() if line.startswith("clusterscope:")]
    assert len(said) == 1 and out.stderr.strip().splitlines()[-1] == said[0], out.stderr[-2000:]
    match = re.fullmatch(rf"clusterscope: error: --out {re.escape(full)}: cannot write (\S+) "
                         r"\(No space left on device\); the report is incomplete", said[0])
    assert match, said[0]
    assert match.group(1) not in left and "summary.json" not in left, left  # half-written: removed


def test_a_report_file_that_fails_half_written_is_removed(tmp_path, monkeypatch):
    import errno
    from engine.errors import OutputError
    from experiments import report
    from engine.scenario import load_scenario

    def dump_half(obj, f, **kw):
        f.write('{"scenario": ')
        f.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(report.json, "dump", dump_half)
    scenario = load_scenario(write(tmp_path, BASE))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(OutputError) as info:
        report.write_report(str(out_dir), scenario, [], {}, plots=False)
    assert str(info.value) == (f"--out {out_dir}: cannot write summary.json (No space left on device); "
                               "the report is incomplete")
    assert sorted(os.listdir(out_dir)) == ["events.jsonl", "metrics.csv"]
