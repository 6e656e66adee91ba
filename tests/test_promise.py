"""The promise, attacked the way a demanding user would: shared folders, a starved engine,
impossible recoveries, broken disks, inputs that change under the cluster. Real processes;
every truth from a one-process reference over the same bytes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from engine import events as ev
from engine.blocks import checksum
from engine.bus import EventLog
from engine.cluster import LocalCluster, NodeLink
from engine.config import ClusterConfig
from engine.corpus import write_corpus
from engine.errors import ClusterFailedError, UsageError
from engine.jobs import JobSpec
from engine.storage import BlockStore
from engine.text import reference_count
from engine.verdict import judge_file
from support import FAST, ROOT, replica_files, wait_children, wait_gone, wait_until

CLI_FAST = ["--heartbeat", "0.2", "--dead-after", "1.0"]


def run_cli(*args, timeout=120, env=None):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=env)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("[")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    d = tmp_path_factory.mktemp("promise")
    a, b = str(d / "a.txt"), str(d / "b.txt")
    write_corpus(a, 2 * 1024 * 1024, seed=11)
    write_corpus(b, 2 * 1024 * 1024, seed=12)
    return a, b


def count_truth(path, word="data"):
    return reference_count(open(path, encoding="utf-8").read(), word)


# -- 1. a data folder belongs to one cluster ------------------------------------------

def test_a_second_cluster_is_refused_the_folder_of_a_running_one(make_cluster, tmp_path):
    make_cluster(nodes=2, replication=1, data_dir=str(tmp_path))
    with pytest.raises(UsageError, match="in use by another running cluster"):
        LocalCluster(ClusterConfig(nodes=2, replication=1, data_dir=str(tmp_path), **FAST)).start()


def test_two_commands_on_one_folder_never_give_a_wrong_count(corpora, tmp_path):
    a, b = corpora
    folder = str(tmp_path / "shared")
    # The first run holds its folder for seconds: slow disks, and a kill it waits for.
    first = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "data", "--input", a,
                              "--block-size", "256KiB", "--data-dir", folder, "--disk-mbps", "2",
                              "--kill", "5@4", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        lock = os.path.join(folder, "in_use.lock")

        def locked() -> bool:
            if not os.path.exists(lock):
                return False
            with open(lock) as f:
                return f.read().startswith("pid")
        assert wait_until(lambda: locked() or first.poll() is not None, 20) and first.poll() is None, \
            "the first command never locked its folder"
        second = run_cli("count", "data", "--input", b, "--block-size", "256KiB", "--data-dir", folder)
        assert second.returncode == 2
        assert "in use by another running cluster" in one_line(second.stderr)
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert json.loads(out)["count"] == count_truth(a)
    # Run after run on the kept folder: each exact, and the earlier run's replicas untouched.
    before = {os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.startswith("blk_")}
    again = run_cli("count", "data", "--input", b, "--block-size", "256KiB", "--data-dir", folder, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["count"] == count_truth(b)
    after = {os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.startswith("blk_")}
    assert before and before <= after


def test_a_replica_is_checked_against_the_coordinators_checksum(make_cluster, corpora):
    # Bytes of another file, with a checksum file that matches them, in place of a replica:
    # the node must not trust the checksum beside the bytes.
    a, b = corpora
    cluster = make_cluster(nodes=3, replication=2, block_size=256 * 1024)
    log = EventLog(cluster.bus)
    cluster.put(a)
    snap = cluster.snapshot()
    block = snap.files["a.txt"][0]
    node = snap.blocks[block].replicas[0]
    folder = snap.nodes[node].folder
    foreign = open(b, "rb").read()[:snap.blocks[block].length]
    BlockStore(folder).write(block, foreign, checksum(foreign))  # as a node would record it
    assert BlockStore(folder).report()[block] == (len(foreign), checksum(foreign))
    result = cluster.run_job(JobSpec("count", "a.txt", word="data"), timeout=60)
    assert result.status == "ok" and result.count == count_truth(a)
    log.wait_for("block_corrupt", lambda e: e.block == block and e.node == node, timeout=10)


# -- 2. the coordinator's own stalls are not the nodes' silence -------------------------

def test_a_starved_engine_does_not_declare_live_nodes_dead(make_cluster):
    cluster = make_cluster(nodes=3, replication=1)  # dead after 1.0 s of silence
    log = EventLog(cluster.bus)
    cluster.call(lambda now: time.sleep(2.5))  # the engine thread cannot listen for 2.5 s
    stall = log.wait_for("coordinator_stalled", timeout=10)
    assert stall.gap_s >= 2.4
    cluster.call(lambda now: None)  # one more full engine step after the stall
    assert cluster.wait_until(lambda s: all(n.state == "alive" for n in s.nodes.values()), 5)
    assert log.of_kind("node_declared_dead") == []


def test_a_starved_engine_still_detects_a_real_death(make_cluster):
    cluster = make_cluster(nodes=3, replication=1)
    log = EventLog(cluster.bus)
    cluster.kill_node(1)
    cluster.call(lambda now: time.sleep(1.5))
    dead = log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=10)
    assert dead.node == 1
    assert [e.node for e in log.of_kind("node_declared_dead")] == [1]


# -- engine supervision and one publisher ---------------------------------------------

def test_an_engine_failure_is_an_event_and_a_prompt_error(make_cluster, small_corpus):
    cluster = make_cluster(nodes=2, replication=1)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)

    def broken(now):
        raise RuntimeError("injected engine bug")
    cluster.core.tick = broken
    failed = log.wait_for("cluster_failed", timeout=10)
    assert "injected engine bug" in failed.reason and "Traceback" in failed.detail
    started = time.monotonic()
    with pytest.raises(ClusterFailedError, match="injected engine bug"):
        cluster.run_job(JobSpec("count", "small.txt", word="the"), timeout=60)
    with pytest.raises(ClusterFailedError):
        cluster.wait_until(lambda s: False, 60)
    assert time.monotonic() - started < 2.0


def test_an_engine_failure_in_the_cli_is_one_line_and_exit_3(small_corpus, capsys, monkeypatch):
    from cli.commands import main
    from engine.coordinator import Coordinator
    real_tick = Coordinator.tick

    def tick(self, now):
        if self.jobs is not None and self.jobs.jobs:
            raise RuntimeError("injected engine bug")
        return real_tick(self, now)
    monkeypatch.setattr(Coordinator, "tick", tick)
    started = time.monotonic()
    code = main(["count", "the", "--input", small_corpus, "--nodes", "2", "--replication", "1",
                 "--timeout", "60", *CLI_FAST])
    err = capsys.readouterr().err
    assert code == 3 and time.monotonic() - started < 15
    assert "injected engine bug" in one_line(err)


def test_every_event_is_published_by_one_thread_in_time_order(make_cluster, small_corpus):
    cluster = make_cluster(nodes=3, replication=2, block_size=256 * 1024, log_level="INFO")
    seen = []
    cluster.subscribe(lambda e: seen.append((threading.current_thread().name, e.t, e.kind)))
    cluster.put(small_corpus)
    cluster.kill_node(2)
    cluster.run_job(JobSpec("count", "small.txt", word="the"), timeout=60)
    cluster.stop()
    kinds = {k for _, _, k in seen}
    assert "log_message" in kinds and "cluster_stopped" in kinds
    assert {name for name, _, _ in seen} == {"clusterscope-engine"}
    times = [t for _, t, _ in seen]
    assert times == sorted(times)


class _SlowConn:
    """A connection whose send blocks until released, recording what happens to it."""

    def __init__(self):
        self.sending = threading.Event()
        self.release = threading.Event()
        self.closed_while_sending = False
        self.in_send = False
        self.closed = threading.Event()

    def send(self, msg):
        self.in_send = True
        self.sending.set()
        self.release.wait(5)
        self.in_send = False

    def close(self):
        self.closed_while_sending = self.in_send
        self.closed.set()


class _Proc:
    pid = 0


def test_a_link_is_never_closed_under_its_sender():
    conn = _SlowConn()
    link = NodeLink(0, _Proc(), conn)
    link.send("a big block")
    assert conn.sending.wait(5)
    link.close()
    assert not conn.closed.is_set()  # the sender thread still writes: not closed yet
    link.send("dropped: the link is closed")
    conn.release.set()
    assert conn.closed.wait(5) and not conn.closed_while_sending


def test_messages_for_a_dead_node_are_dropped_not_queued():
    conn = _SlowConn()
    link = NodeLink(0, _Proc(), conn)
    link.send("first")
    assert conn.sending.wait(5)
    for i in range(1000):
        link.send(i)
    assert link.discard_pending() == 1000
    conn.release.set()
    link.close()
    assert conn.closed.wait(5)


# -- 4. settled means nothing more can be done ----------------------------------------

@pytest.mark.parametrize("args,remark,code", [
    (["--nodes", "3", "--kill", "1@0.2"], "blocks stay at 2 of 3 replicas: only 2 live nodes", 0),
    (["--nodes", "2", "--replication", "2", "--kill", "1@0.2"], "blocks stay at 1 of 2 replicas: only 1 live node", 0),
    (["--nodes", "3", "--replication", "2", "--kill", "1@0.2", "--kill", "2@0.3"], "live node", 0),
])
def test_an_impossible_recovery_is_said_plainly_not_waited_for(corpora, args, remark, code):
    started = time.monotonic()
    out = run_cli("count", "data", "--input", corpora[0], "--block-size", "256KiB", "--timeout", "300",
                  *args, *CLI_FAST, timeout=60)
    assert time.monotonic() - started < 30, "waited for a re-replication that cannot happen"
    assert out.returncode in (0, 1), out.stderr
    assert remark in out.stdout
    assert "replication restored" not in out.stdout


def test_killing_every_node_reports_exactly_what_was_lost(corpora):
    path = corpora[0]
    out = run_cli("count", "data", "--input", path, "--nodes", "3", "--block-size", "256KiB",
                  "--disk-mbps", "0.5", "--kill", "0@0.1", "--kill", "1@0.1", "--kill", "2@0.1",
                  "--timeout", "120", "--json", *CLI_FAST, timeout=90)
    assert out.returncode == 1, out.stderr
    r = json.loads(out.stdout)
    assert r["status"] == "incomplete" and r["missing"]
    assert r["health"]["restored_at_s"] is None and r["health"]["settled"]
    assert sorted(b["id"] for b in r["missing"]) == sorted(r["missing_blocks"])
    assert r["covered_bytes"] + sum(b["length"] for b in r["missing"]) == os.path.getsize(path)
    v = judge_file(path, "count", "data", False, 20, r["status"], r["count"],
                   [(b["id"], b["offset"], b["length"]) for b in r["missing"]])
    assert v.verdict == "incomplete", v.detail


# -- 5. storage trouble is named, promptly, with nothing left over -----------------------

def test_a_node_folder_that_is_a_file_is_one_line_exit_2(corpora, tmp_path):
    (tmp_path / "node-0").write_text("not a folder")
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(tmp_path), timeout=30)
    assert out.returncode == 2 and "node-0 is a file" in one_line(out.stderr)
    data_file = tmp_path / "plain"
    data_file.write_text("x")
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(data_file), timeout=30)
    assert out.returncode == 2 and "is a file, not a folder" in one_line(out.stderr)


def test_a_read_only_data_folder_is_one_line_exit_2(corpora, small_disk):
    disk = small_disk("4m", "ro")
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(disk / "d"), timeout=30)
    assert out.returncode == 2 and "Read-only file system" in one_line(out.stderr)


def test_too_little_free_space_is_refused_before_storing(corpora, small_disk):
    disk = small_disk("2m")
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(disk / "d"), timeout=30)
    assert out.returncode == 2 and "free, but storing" in one_line(out.stderr)


def test_a_disk_that_fills_up_mid_put_is_named_at_once_and_leaves_nothing(tmp_path, small_disk):
    disk = small_disk("3m")
    path = tmp_path / "c.txt"
    write_corpus(str(path), 950 * 1024, seed=5)  # 3 replicas fit the free space, not the metadata
    started = time.monotonic()
    out = run_cli("count", "data", "--input", str(path), "--data-dir", str(disk / "d"),
                  "--block-size", "8KiB", "--timeout", "120", timeout=60)
    assert time.monotonic() - started < 20
    assert out.returncode == 3 and "No space left on device" in one_line(out.stderr)
    left = [os.path.join(r, f) for r, _, fs in os.walk(disk) for f in fs if f.startswith("blk_")]
    assert left == []


@pytest.mark.parametrize("change", ["delete", "rewrite"])
def test_an_input_changed_while_stored_is_named_promptly(tmp_path, change):
    path = tmp_path / "moving.txt"
    write_corpus(str(path), 4 * 1024 * 1024, seed=8)
    folder = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "data", "--input", str(path),
                             "--disk-mbps", "1", "--block-size", "256KiB", "--data-dir", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert len(wait_children(proc.pid, 6)) >= 6
        assert wait_until(lambda: replica_files(folder), 30.0), "the put never began writing replicas"  # it has read the input
        if change == "delete":
            os.remove(path)
        else:
            with open(path, "r+b") as f:
                f.seek(3 * 1024 * 1024)
                f.write(b"#" * 64)
        changed_at = time.monotonic()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - changed_at < 10
    assert proc.returncode == 2 and "moving.txt" in one_line(err)
    assert ("No such file" if change == "delete" else "changed while it was being stored") in err


def test_a_killed_command_leaves_no_temporary_folder(small_corpus, tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "the", "--input",
                             small_corpus, "--disk-mbps", "0.2", "--block-size", "64KiB"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    try:
        kids = wait_children(proc.pid, 6)
        assert os.listdir(tmp_path), "the command made no temporary folder"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert wait_gone(kids, 5.0) == []
    finally:
        if proc.poll() is None:
            proc.kill()
    wait_until(lambda: not os.listdir(tmp_path), 5, 0.05)  # the janitor's work
    assert os.listdir(tmp_path) == []


# -- locality, reported honestly ----------------------------------------------------------

def test_locality_is_counted_from_where_the_bytes_were(make_cluster, small_corpus):
    # One replica per block; node 0's disk is slow, so its tasks queue on its slots while
    # the other nodes sit idle: after locality_wait they take its tasks and read remotely.
    cluster = make_cluster(nodes=3, replication=1, block_size=64 * 1024, slots=1, locality_wait=0.3,
                           speculation=False)
    log = EventLog(cluster.bus)
    cluster.put(small_corpus)
    cluster.set_disk_speed(0, 0.4)
    result = cluster.run_job(JobSpec("count", "small.txt", word="the"), timeout=120)
    assert result.count == reference_count(open(small_corpus, encoding="utf-8").read(), "the")
    holders = {e.block: e.node for e in log.of_kind("block_stored")}
    winners = {e.attempt for e in log.of_kind("task_finished")}
    started = [e for e in log.of_kind("task_started") if e.attempt in winners]
    assert all(e.local == (holders[e.block] == e.node) for e in started)
    assert result.non_local == sum(1 for e in started if not e.local) > 0
    assert result.node_local + result.non_local == result.map_tasks


def test_strict_locality_when_no_node_waits(make_cluster, small_corpus):
    cluster = make_cluster(nodes=3, replication=3, block_size=256 * 1024, locality_wait=None)
    cluster.put(small_corpus)
    result = cluster.run_job(JobSpec("count", "small.txt", word="the"), timeout=60)
    assert result.non_local == 0 and result.node_local == result.map_tasks


# -- 3. an eager detector never loses a reduce silently ------------------------------------

def test_wordcount_under_an_eager_detector_is_exact_or_exactly_incomplete(tmp_path):
    path = tmp_path / "c.txt"
    write_corpus(str(path), 8 * 1024 * 1024, seed=4)
    out = run_cli("wordcount", "--input", str(path), "--top", "30", "--block-size", "256KiB",
                  "--heartbeat", "0.05", "--dead-after", "0.12", "--kill", "1@0.3", "--json",
                  "--timeout", "120", timeout=150)
    assert out.returncode in (0, 1), out.stderr
    r = json.loads(out.stdout)
    v = judge_file(str(path), "wordcount", None, False, 30, r["status"], r["top"],
                   [(b["id"], b["offset"], b["length"]) for b in r["missing"]])
    assert v.verdict in ("exact", "incomplete"), v.detail


# -- found by attacking the above ----------------------------------------------------------

def test_an_input_written_to_during_the_put_is_refused_even_if_put_back(tmp_path):
    # Changed and restored while the put runs: every block may still match the checksum its
    # node computed, yet what is stored need not be any one version of the file.
    path = tmp_path / "moving.txt"
    write_corpus(str(path), 4 * 1024 * 1024, seed=8)
    original = path.read_bytes()
    folder = tmp_path / "d"
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "data", "--input", str(path),
                             "--disk-mbps", "1", "--block-size", "256KiB", "--data-dir", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert wait_until(lambda: replica_files(folder) or proc.poll() is not None, 30), "the put never began"
        assert proc.poll() is None, "the command ended before its put began"
        with open(path, "r+b") as f:
            f.seek(3 * 1024 * 1024)
            f.write(b"#" * 64)
        with open(path, "r+b") as f:
            f.seek(3 * 1024 * 1024)
            f.write(original[3 * 1024 * 1024:3 * 1024 * 1024 + 64])
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert path.read_bytes() == original
    assert proc.returncode == 2 and "changed" in one_line(err), (out, err)


def test_an_input_replaced_by_a_named_pipe_mid_put_is_named_at_once(tmp_path):
    path = tmp_path / "moving.txt"
    write_corpus(str(path), 4 * 1024 * 1024, seed=8)
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "data", "--input", str(path),
                             "--disk-mbps", "1", "--block-size", "256KiB", "--timeout", "120"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert len(wait_children(proc.pid, 6)) >= 6
        os.remove(path)
        os.mkfifo(path)
        changed_at = time.monotonic()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - changed_at < 10
    assert proc.returncode == 2 and "moving.txt" in one_line(err)


def test_a_failing_node_command_is_answered_not_left_waiting(tmp_path):
    from engine import messages as m
    from engine.node import DataNode

    class Conn:
        def __init__(self):
            self.sent = []

        def send(self, msg):
            self.sent.append(msg)
    conn = Conn()
    node = DataNode(0, conn, str(tmp_path), os.getppid(), heartbeat=1, metrics_interval=1, slots=1,
                    io_threads=1, disk_mbps=None)
    node.tasks_running = 1
    node.run_task(m.RunTask(7, "no such op"))
    node._guard(node.send_block, m.SendBlock(8, 3, "x"))
    node._guard(node.store_block, m.StoreBlock(9, 4, None, 0, 10, "x"))
    kinds = {type(msg).__name__: msg for msg in conn.sent}
    assert not kinds["TaskResult"].ok and kinds["TaskResult"].attempt == 7
    assert kinds["BlockData"].data is None and kinds["BlockData"].req == 8
    assert not kinds["BlockWritten"].ok and kinds["BlockWritten"].req == 9


def test_a_kill_the_run_cannot_reach_is_said_not_skipped(corpora):
    out = run_cli("count", "data", "--input", corpora[0], "--nodes", "3", "--kill", "1@9.99",
                  "--timeout", "10", *CLI_FAST, timeout=60)
    errors = [line for line in out.stderr.splitlines() if line.startswith("clusterscope: error:")]
    assert out.returncode == 3 and len(errors) == 1 and "--kill 1@9.99" in errors[0], out.stderr
    assert "waiting" in out.stderr  # the wait for the kill was said, not silent


def test_the_timeout_bounds_the_whole_run(corpora):
    started = time.monotonic()
    out = run_cli("count", "data", "--input", corpora[0], "--nodes", "3", "--disk-mbps", "0.5",
                  "--block-size", "64KiB", "--timeout", "3", *CLI_FAST, timeout=60)
    assert time.monotonic() - started < 3 + 4  # the run's 3 s, and the interpreter's start and stop
    assert out.returncode == 3 and "3 s" in one_line(out.stderr)


def test_a_death_is_never_reported_before_its_kill():
    # An eager detector declared node 2 dead (falsely) at 0.33 s; it was killed at 4.3 s and
    # declared dead again at 5.4 s: that is the kill's detection.
    from cli.jobrun import kill_times
    events = [ev.NodeDeclaredDead(t=1.33, node=2, silent_s=0.2, lost_replicas=3),
              ev.NodeRejoined(t=1.5, node=2, pid=9, blocks=3, accepted=3),
              ev.NodeKilled(t=5.3, node=2, pid=9),
              ev.NodeDeclaredDead(t=6.4, node=2, silent_s=1.1, lost_replicas=3)]
    assert kill_times(events, [2], job_t=1.0) == [{"node": 2, "killed_at_s": 4.3, "declared_dead_at_s": 5.4}]
    assert kill_times(events[:3], [2], job_t=1.0)[0]["declared_dead_at_s"] is None


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(corpora, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "in_use.lock").symlink_to(victim)
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(folder), timeout=30)
    assert out.returncode == 2 and "symbolic link" in one_line(out.stderr)
    assert victim.read_text() == "precious"


def test_a_folder_inside_a_running_clusters_folder_is_refused(make_cluster, corpora, tmp_path):
    outer = tmp_path / "outer"
    make_cluster(nodes=2, replication=1, data_dir=str(outer))
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(outer / "node-0" / "inner"),
                  timeout=30)
    assert out.returncode == 2 and "another running cluster" in one_line(out.stderr)


def test_half_written_replicas_of_killed_runs_are_removed_at_the_next_start(corpora, tmp_path):
    old_pool = tmp_path / "node-0" / "CS-000000000000"
    old_pool.mkdir(parents=True)
    (old_pool / "blk_3").write_bytes(b"kept")
    (old_pool / "blk_3.meta").write_text("4 0")
    (old_pool / "blk_4.1234-5678.tmp").write_bytes(b"half")
    out = run_cli("count", "data", "--input", corpora[0], "--data-dir", str(tmp_path), timeout=60)
    assert out.returncode == 0, out.stderr
    assert sorted(os.listdir(old_pool)) == ["blk_3", "blk_3.meta"]


def test_a_stopped_cluster_leaves_only_the_replicas_of_its_stored_files(make_cluster, corpora, tmp_path):
    # A replica write acknowledged after its put had failed, or finished by a node while the
    # cluster was stopping, reaches no one who would delete it: the stop itself must.
    cluster = make_cluster(nodes=2, replication=1, data_dir=str(tmp_path))
    stored = cluster.put(corpora[0])
    pool = tmp_path / "node-0" / cluster.cluster_id
    (pool / "blk_99999").write_bytes(b"late")
    (pool / "blk_99999.meta").write_text("4 0")
    kept = {f"blk_{b}" for b in cluster.snapshot().files[stored.file]}
    assert len(kept) == stored.blocks
    cluster.stop()
    left = {name for node in tmp_path.glob("node-*") for name in os.listdir(node / cluster.cluster_id)
            if name.startswith("blk_") and not name.endswith((".meta", "VERSION"))}
    assert left == kept


def test_an_absurdly_slow_disk_is_refused(corpora):
    out = run_cli("count", "data", "--input", corpora[0], "--disk-mbps", "1e-308", timeout=30)
    assert out.returncode == 2 and "disk" in one_line(out.stderr)
