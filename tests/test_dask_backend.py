"""The "dask" backend on a real Dask distributed cluster of 2 to 3 worker processes: exact
answers with a worker killed mid-job while a replica survives, an honest ``incomplete``
when none does, corrupt replicas found by the checksum and repaired, R real replicas that
Dask's memory manager leaves alone, and no process or folder left behind."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import tempfile

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")

from engine import events as ev  # noqa: E402
from engine.backend import open_backend  # noqa: E402
from engine.bus import EventLog  # noqa: E402
from engine.config import ClusterConfig  # noqa: E402
from engine.model import JobSpec  # noqa: E402
from engine.verdict import judge_file  # noqa: E402
from support import FAST, ROOT, wait_gone  # noqa: E402

BLOCK = 64 * 1024


@pytest.fixture
def dask_cluster():
    clusters = []

    def make(**config):
        cluster = open_backend("dask", ClusterConfig(**{**FAST, "block_size": BLOCK, **config}))
        clusters.append(cluster)
        return cluster.start()
    yield make
    pids = [p for c in clusters for p in c.node_pids().values()]
    folders = [c._folder for c in clusters]
    for c in clusters:
        c.stop()
    assert wait_gone(pids, 5.0) == [], "a Dask worker outlived its cluster"
    assert [f for f in folders if os.path.exists(f)] == [], "a cluster's folder was left behind"


def _kill_when_running(cluster, log, node):
    """SIGKILL ``node`` as soon as a map task of the job has started on it (the job runs on)."""
    log.wait_for("task_started", lambda e: e.node == node, timeout=30)
    cluster.kill_node(node)


def test_every_block_is_r_real_copies_on_distinct_workers(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=2)
    cluster.put(small_corpus, name="s.txt")
    who_has = cluster._client.who_has()
    addresses = {n.id: n.address for n in cluster._nodes.values()}
    for block in cluster._blocks.values():
        assert len(block.replicas) == 2
        for node, future in block.replicas.items():
            assert who_has[future.key] == (addresses[node],)  # its own key, on its own worker only


@pytest.mark.parametrize("kind", ["count", "wordcount"])
def test_a_worker_killed_mid_job_gives_the_exact_answer_when_a_replica_survives(dask_cluster, small_corpus, kind):
    cluster = dask_cluster(nodes=3, replication=2, disk_mbps=1.0)  # 64 ms a block: the job runs on
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    job = cluster.submit(JobSpec(kind, "s.txt", word="the", top=10))
    _kill_when_running(cluster, log, 1)
    result = cluster.wait_job(job, timeout=120)
    value = result.count if kind == "count" else result.top
    assert result.status == "ok" and result.missing_blocks == []
    verdict = judge_file(small_corpus, kind, "the", False, 10, result.status, value)
    assert verdict.verdict == "exact", verdict.detail
    assert result.retried >= 1 and log.of_kind("task_failed")
    log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=10)
    settled = cluster.wait_settled(30)
    assert settled.settled and settled.fully_replicated  # copied back to 2 on the 2 left


def test_with_no_surviving_replica_the_result_is_incomplete_and_names_the_blocks(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=1, disk_mbps=1.0)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    held = set(cluster.snapshot().nodes[2].blocks)
    assert held
    job = cluster.submit(JobSpec("count", "s.txt", word="the"))
    _kill_when_running(cluster, log, 2)
    result = cluster.wait_job(job, timeout=120)
    assert result.status == "incomplete"
    assert set(result.missing_blocks) <= held and result.missing_blocks
    ranges = [(m.id, m.offset, m.length) for m in result.missing]
    verdict = judge_file(small_corpus, "count", "the", False, 20, result.status, result.count, ranges)
    assert verdict.verdict == "incomplete", verdict.detail  # exact over the blocks it read
    settled = cluster.wait_settled(30)
    assert not settled.fully_replicated and any("lost" in r for r in settled.remains)


def test_a_corrupt_replica_is_found_by_its_checksum_and_replaced(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=2)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    block = cluster.snapshot().nodes[0].blocks[0]
    assert cluster.corrupt_replica(0, block) == block
    for node in cluster.snapshot().blocks[block].replicas:
        if node != 0:
            cluster.pause_node(node)  # the damaged copy is the only one a task can read now
    result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    found = log.wait_for("block_corrupt", lambda e: e.block == block, timeout=10)
    assert found.node == 0 and found.detected_by == "task"
    # never counted: the block is missing (its other holder is paused), not wrong
    if result.status == "ok":
        verdict = judge_file(small_corpus, "count", "the", False, 20, "ok", result.count)
        assert verdict.verdict == "exact"
    else:
        assert result.missing_blocks == [block]


def test_a_corrupt_replica_does_not_change_the_answer(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=2)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    for block in cluster.snapshot().nodes[1].blocks:
        cluster.corrupt_replica(1, block)
    result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    verdict = judge_file(small_corpus, "count", "the", False, 20, result.status, result.count)
    assert verdict.verdict == "exact", verdict.detail
    assert {e.node for e in log.of_kind("block_corrupt")} <= {1}
    snap = cluster.wait_for(lambda s: all(len(b.live) == 2 for b in s.blocks.values()) and not s.replicating, 30)
    assert snap is not None  # each damaged copy replaced by a good one


def test_the_command_line_runs_on_dask(small_corpus):
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "clusterscope-dask-*")))
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "count", "the", "--input", small_corpus,
                          "--backend", "dask", "--nodes", "3", "--replication", "2", "--kill", "0@0.05", "--json",
                          "--heartbeat", "0.2", "--dead-after", "1.0"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    verdict = judge_file(small_corpus, "count", "the", False, 20, report["status"], report["count"])
    assert verdict.verdict == "exact" and report["failures"][0]["node"] == 0
    assert "Traceback" not in out.stderr and "Dask:" not in out.stderr
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "clusterscope-dask-*"))) == before


@pytest.mark.parametrize("argv, message", [
    (["--backend", "dask", "--data-dir", "x"], "--data-dir needs the local backend"),
    (["--scheduler", "tcp://h:1"], "--scheduler needs the dask backend"),
    (["--backend", "dask", "--scheduler", "h:1"], "--scheduler must be tcp://HOST:PORT"),
    (["--backend", "spark"], "invalid choice: 'spark'"),
])
def test_bad_backend_options_are_one_line(small_corpus, argv, message):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "count", "the", "--input", small_corpus,
                          *argv], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_events_of_a_dask_run_are_the_engine_vocabulary(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=2, replication=2)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    cluster.run_job(JobSpec("wordcount", "s.txt", top=3), timeout=60)
    kinds = {e.kind for e in log.events}
    assert {"put_started", "block_stored", "put_finished", "job_started", "task_started", "task_finished",
            "job_finished"} <= kinds
    assert all(isinstance(e, ev.Event) and ev.from_dict(e.to_dict()) == e for e in log.events)


@pytest.fixture
def running_dask_cluster(tmp_path):
    """A Dask scheduler and 3 workers started as a user starts them (``dask scheduler``,
    ``dask worker``), not by ClusterScope: the app attaches to them."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=ROOT)
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(tmp_path), env=env)
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], **quiet)
    address = f"tcp://127.0.0.1:{port}"
    workers = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--no-nanny",
                                 "--nthreads", "2", "--name", f"host-{name}", "--no-dashboard",
                                 "--local-directory", str(tmp_path / name)], **quiet) for name in "abc"]
    # Running means its 3 workers have joined, as a user sees them before attaching: the app
    # takes the workers there are when it attaches.
    import distributed
    with distributed.Client(address, timeout=60, set_as_default=False) as client:
        client.wait_for_workers(3, timeout=60)
    yield address, workers
    for process in workers + [scheduler]:
        process.kill()
        process.wait(10)


def test_attached_to_a_running_scheduler_the_answer_is_exact_and_its_workers_stay(running_dask_cluster,
                                                                                  small_corpus):
    address, workers = running_dask_cluster
    cluster = open_backend("dask", ClusterConfig(**FAST, block_size=BLOCK, nodes=3, replication=2,
                                                 backend="dask", scheduler=address))
    cluster.start(timeout=60)
    try:
        log = EventLog(cluster)
        assert sorted(n.name for n in cluster._nodes.values()) == ["host-a", "host-b", "host-c"]
        cluster.put(small_corpus, name="s.txt")
        cluster.kill_node(1)  # retired: Dask's own decommissioning of a remote worker
        log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=30)
        result = cluster.run_job(JobSpec("wordcount", "s.txt", top=5), timeout=60)
        verdict = judge_file(small_corpus, "wordcount", None, False, 5, result.status, result.top)
        assert verdict.verdict == "exact", verdict.detail
        with pytest.raises(Exception, match="needs workers on this machine"):
            cluster.pause_node(0)
    finally:
        cluster.stop()
    alive = [w for w in workers if w.poll() is None]
    assert len(alive) == 2  # the two it did not retire: not ClusterScope's to stop


def test_an_unreachable_scheduler_is_one_line():
    cluster = open_backend("dask", ClusterConfig(backend="dask", scheduler="tcp://127.0.0.1:9"))
    with pytest.raises(Exception, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        cluster.start(timeout=3)


def test_attached_over_tls_with_certificate_files(tmp_path, small_corpus):
    """A TLS-only scheduler (self-signed certificates, as Dask's Security.temporary makes
    them) is reached with --tls-ca-file, --tls-cert and --tls-key; without them, not at all."""
    pytest.importorskip("cryptography", reason="TLS certificates for the test need the cryptography package")
    from distributed import LocalCluster
    from distributed.security import Security
    security = Security.temporary()
    files = {}
    for name, pem in (("tls_ca_file", security.tls_ca_file), ("tls_cert", security.tls_client_cert),
                      ("tls_key", security.tls_client_key)):
        path = tmp_path / f"{name}.pem"
        path.write_text(pem)
        files[name] = str(path)
    with LocalCluster(n_workers=2, processes=False, protocol="tls", host="127.0.0.1", security=security,
                      dashboard_address=None) as secured:
        address = secured.scheduler_address
        assert address.startswith("tls://")
        plain = open_backend("dask", ClusterConfig(backend="dask", scheduler=address.replace("tls://", "tcp://")))
        with pytest.raises(Exception, match="cannot reach the Dask scheduler"):
            plain.start(timeout=3)
        cluster = open_backend("dask", ClusterConfig(**FAST, block_size=BLOCK, nodes=2, replication=2,
                                                     backend="dask", scheduler=address, **files))
        cluster.start(timeout=30)
        try:
            cluster.put(small_corpus, name="s.txt")
            result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
            verdict = judge_file(small_corpus, "count", "the", False, 20, result.status, result.count)
            assert verdict.verdict == "exact", verdict.detail
        finally:
            cluster.stop()


def test_a_scenario_runs_on_dask(tmp_path):
    from engine.scenario import load_scenario
    from experiments.experiment import run_experiment
    scenario = tmp_path / "kill.toml"
    scenario.write_text(
        'name = "kill on dask"\ntrials = 1\nseed = 1\n\n[cluster]\nbackend = "dask"\nnodes = 3\nreplication = 2\n'
        'block_size = "64KiB"\nheartbeat = 0.2\ndead_after = 1.0\ndisk_mbps = 2.0\n\n[data]\ngenerate = "1MiB"\n'
        'seed = 1\n\n[[jobs]]\nkind = "count"\nword = "data"\n\n[[faults]]\nat = 0.1\naction = "kill"\nnode = 1\n')
    summary = run_experiment(load_scenario(str(scenario)), str(tmp_path / "out"), plots=False)
    assert summary["aggregate"]["verdicts"]["exact"] == 1 and summary["aggregate"]["verdicts"]["wrong"] == 0
    assert summary["per_trial"][0]["fault_errors"] == []


def test_no_node_seems_gone_when_the_client_refreshes_its_cached_scheduler_info(dask_cluster, small_corpus):
    """Dask's client refreshes a cached copy of the scheduler's identity, at times with no
    worker in it: read by the watcher, every node would be declared dead with its replicas.
    A refresh every 20 ms (not 2 s) makes that moment frequent."""
    import dask
    with dask.config.set({"distributed.client.scheduler-info-interval": "20ms"}):
        cluster = dask_cluster(nodes=3, replication=2)
        log = EventLog(cluster)
        cluster.put(small_corpus, name="s.txt")
        for _ in range(15):
            result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
            assert result.status == "ok", result.missing
        assert log.of_kind("node_declared_dead") == []


def test_a_damaged_source_is_never_copied_as_a_good_replica(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=2)
    cluster.put(small_corpus, name="s.txt")
    block = cluster.snapshot().nodes[0].blocks[0]
    for node in cluster.snapshot().blocks[block].replicas:
        cluster.corrupt_replica(node, block)
    cluster.corrupt_replica(node, block)  # damaged again: still damaged, not mended by chance
    result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    assert result.status == "incomplete" and result.missing_blocks == [block]
    settled = cluster.wait_settled(30)
    assert block in settled.lost_blocks and not settled.fully_replicated  # no good copy anywhere
    again = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    assert again.missing_blocks == [block] and again.missing[0].reason == "no live replica"


def test_with_every_worker_dead_a_wordcount_is_incomplete_naming_every_block(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=2, replication=2)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    for node in (0, 1):
        cluster.kill_node(node)
        log.wait_for("node_declared_dead", lambda e, n=node: e.node == n, timeout=10)
    result = cluster.run_job(JobSpec("wordcount", "s.txt", top=5), timeout=60)
    assert result.status == "incomplete" and result.top == []
    assert sorted(result.missing_blocks) == sorted(cluster.files()["s.txt"])


def test_a_paused_worker_is_suspect_then_removed_by_dask_and_restart_brings_it_back(dask_cluster, small_corpus):
    cluster = dask_cluster(nodes=3, replication=2)
    log = EventLog(cluster)
    cluster.put(small_corpus, name="s.txt")
    cluster.pause_node(1)
    suspect = log.wait_for("node_suspect", lambda e: e.node == 1, timeout=10)
    dead = log.wait_for("node_declared_dead", lambda e: e.node == 1, timeout=30)  # Dask's worker-ttl
    assert suspect.t < dead.t
    cluster.resume_node(1)  # Dask has closed the worker it removed: it says so, and stays dead
    said = log.wait_for("log_message", lambda e: e.node == 1 and "closed itself" in e.message, timeout=30)
    assert "Restart" in said.message and cluster.snapshot().nodes[1].process == "killed"
    cluster.restart_node(1)
    assert cluster.wait_for(lambda s: s.nodes[1].state == "alive", 30) is not None
    result = cluster.run_job(JobSpec("count", "s.txt", word="the"), timeout=60)
    verdict = judge_file(small_corpus, "count", "the", False, 20, result.status, result.count)
    assert verdict.verdict == "exact", verdict.detail


def test_a_killed_command_line_leaves_no_worker_and_no_folder(small_corpus):
    import signal
    from support import wait_until
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "clusterscope-dask-*")))
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "the", "--input", small_corpus,
                             "--backend", "dask", "--nodes", "3", "--replication", "2", "--disk-mbps", "0.2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        # killed as soon as its 3 workers exist: some may still be importing Dask, the hardest
        # moment for them to notice (the job itself, on disks of 0.2 MB/s, has not ended)
        assert wait_until(lambda: len(_children(proc.pid)) >= 3, 60), "the workers did not start"
        workers = _children(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert wait_gone(workers, 5.0) == [], "a Dask worker outlived a SIGKILLed command line"
    assert wait_until(lambda: set(glob.glob(os.path.join(tempfile.gettempdir(), "clusterscope-dask-*"))) <= before,
                      10), "the cluster's temporary folder was left behind"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid), "-f", "distributed.cli.dask_worker"], capture_output=True,
                         text=True).stdout
    return [int(p) for p in out.split()]


def test_no_dashboard_and_no_warning_when_port_8787_is_taken(small_corpus):
    import socket
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen(1)
    except OSError:
        pass  # taken already: all the better
    try:
        out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), "count", "the", "--input", small_corpus,
                              "--backend", "dask", "--nodes", "2", "--replication", "1"],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    finally:
        holder.close()
    assert out.returncode == 0 and out.stderr == "", out.stderr
