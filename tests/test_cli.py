"""The headless command line, run as a real subprocess, as users and scripts run it."""

import json
import os
import signal
import subprocess
import sys

import pytest

from support import ROOT, wait_children, wait_gone
from engine.text import reference_count, reference_wordcount

FAST = ["--heartbeat", "0.2", "--dead-after", "1.0"]


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def test_count_json_with_a_kill(small_corpus):
    out = run_cli("count", "the", "--input", small_corpus, "--block-size", "64KiB",
                  "--kill", "2@0.05", "--json", *FAST)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    text = open(small_corpus, encoding="utf-8").read()
    assert report["job"] == "count" and report["word"] == "the"
    assert report["count"] == reference_count(text, "the")
    assert report["status"] == "ok" and report["missing_blocks"] == []
    assert (report["nodes"], report["replication"], report["blocks"]) == (6, 3, 32)
    assert report["tasks"]["total"] == 32
    assert report["tasks"]["node_local"] + report["tasks"]["non_local"] == 32
    [failure] = report["failures"]
    assert failure["node"] == 2 and failure["killed_at_s"] >= 0.05
    assert 0 < failure["declared_dead_at_s"] - failure["killed_at_s"] <= 1.2
    assert report["health"]["under_replicated"] == 0 and report["health"]["missing"] == 0
    assert report["health"]["restored_at_s"] >= failure["declared_dead_at_s"]
    assert set(report["timings"]) == {"startup_s", "put_s", "job_s"}


def test_wordcount_json(small_corpus):
    out = run_cli("wordcount", "--input", small_corpus, "--top", "7", "--block-size", "256KiB",
                  "--nodes", "3", "--replication", "2", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    text = open(small_corpus, encoding="utf-8").read()
    assert [tuple(x) for x in report["top"]] == reference_wordcount(text, 7)
    assert report["tasks"]["map"] == 8 and report["tasks"]["reduce"] == 3


def test_human_summary(small_corpus):
    out = run_cli("count", "data", "--input", small_corpus, "--nodes", "3")
    assert out.returncode == 0, out.stderr
    assert "status: ok, exact" in out.stdout
    text = open(small_corpus, encoding="utf-8").read()
    assert f"count 'data' in small.txt: {reference_count(text, 'data')}" in out.stdout


def test_lost_block_exits_1_and_names_it(small_corpus):
    # One replica per block, node 0 killed as the job starts while its slow reads are running.
    out = run_cli("count", "the", "--input", small_corpus, "--nodes", "3", "--replication", "1",
                  "--block-size", "256KiB", "--disk-mbps", "0.5", "--kill", "0@0", "--json", *FAST)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["status"] == "incomplete"
    assert report["missing_blocks"] and report["health"]["missing"] == len(report["missing_blocks"])


def test_generate_corpus(tmp_path):
    path = tmp_path / "c.txt"
    out = run_cli("generate-corpus", str(path), "--size", "100KiB", "--seed", "5")
    assert out.returncode == 0, out.stderr
    assert 100 * 1024 - 100 < path.stat().st_size <= 100 * 1024


@pytest.mark.parametrize("args,message", [
    (["count", "the", "--input", "/nonexistent/file.txt"], "no such file"),
    (["count", "the", "--input", "/"], "directory"),
    (["count", "the", "--input", "{binary}"], "binary"),
    (["count", "the", "--input", "{latin}"], "UTF-8"),
    (["count", "the", "--input", "{text}", "--block-size", "0"], "block-size"),
    (["count", "the", "--input", "{text}", "--block-size", "12XB"], "12XB"),
    (["count", "the", "--input", "{text}", "--replication", "7"], "above the node count"),
    (["count", "the", "--input", "{text}", "--replication", "0"], "replication"),
    (["count", "the", "--input", "{text}", "--nodes", "0"], "nodes"),
    (["count", "the", "--input", "{text}", "--kill", "9@1"], "unknown node 9"),
    (["count", "the", "--input", "{text}", "--kill", "x@1"], "NODE@SECONDS"),
    (["count", "", "--input", "{text}"], "empty"),
    (["count", "two words", "--input", "{text}"], "single word"),
    (["count", "the", "--input", "{text}", "--dead-after", "0.1", "--heartbeat", "0.5"], "dead-after"),
    (["count", "the"], "--input"),
    (["wordcount", "--input", "{text}", "--top", "0"], "top"),
    (["generate-corpus", "{tmp}/x.txt", "--size", "-5"], "size"),
    (["nosuchcommand"], "invalid choice"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    files = {
        "binary": tmp_path / "b.bin", "latin": tmp_path / "l.txt", "text": tmp_path / "t.txt",
    }
    files["binary"].write_bytes(b"\x00\x01\x02 data")
    files["latin"].write_bytes("caf\xe9 data".encode("latin-1"))
    files["text"].write_text("some data here\n")
    args = [a.format(**{k: str(v) for k, v in files.items()}, tmp=str(tmp_path)) for a in args]
    out = run_cli(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr and message in lines[0]
    assert out.stdout == ""


def test_empty_file_counts_zero(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("")
    out = run_cli("count", "the", "--input", str(path), "--json", "--nodes", "2", "--replication", "2")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["count"] == 0


def test_sigkill_of_the_cli_leaves_no_node_process(small_corpus):
    # A slow job (throttled disks), with a node paused so that one is stopped when we strike.
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "the",
                             "--input", small_corpus, "--disk-mbps", "0.2", "--block-size", "64KiB"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        kids = wait_children(proc.pid, 6)
        assert len(kids) >= 6, "the nodes did not start"
        os.kill(kids[0], signal.SIGSTOP)
        proc.kill()
        proc.wait(10)
        assert wait_gone(kids, 5.0) == []
    finally:
        if proc.poll() is None:
            proc.kill()


def test_sigterm_of_the_cli_stops_the_cluster(small_corpus):
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "main.py"), "count", "the",
                             "--input", small_corpus, "--disk-mbps", "0.2", "--block-size", "64KiB"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    kids = wait_children(proc.pid, 6)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert wait_gone(kids, 5.0) == []


# Runs main.py as the program, with one import made slow: it says so on stdout, then waits,
# so that a signal arrives while clusterscope is still importing (as in its first second).
SLOW_IMPORT = r"""
import importlib.abc, os, runpy, signal, sys

class SlowImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == os.environ["SLOW_MODULE"]:
            sys.meta_path.remove(self)
            print("importing", name, flush=True)
            signal.pause()  # until the test's signal arrives
        return None

sys.meta_path.insert(0, SlowImport())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def wait_line(stream, timeout: float) -> str:
    """The next line of ``stream`` (a pipe), or "" if none comes within ``timeout``."""
    import selectors
    with selectors.DefaultSelector() as sel:
        sel.register(stream, selectors.EVENT_READ)
        if not sel.select(timeout):
            return ""
    return stream.readline()


@pytest.mark.parametrize("module", ["cli.commands", "engine.events"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_while_importing_is_one_line_and_exit_130(tmp_path, module, sig):
    text = tmp_path / "t.txt"
    text.write_text("some data here\n")
    proc = subprocess.Popen([sys.executable, "-c", SLOW_IMPORT, os.path.join(ROOT, "main.py"), "count", "data",
                             "--input", str(text)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "SLOW_MODULE": module})
    try:
        assert wait_line(proc.stdout, 30) == f"importing {module}\n"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, (proc.returncode, err[-2000:])
    assert err.strip().splitlines() == ["clusterscope: interrupted"], err[-2000:]
    assert out == ""


@pytest.mark.parametrize("args", [
    ["count", "data", "--input", "{text}", "--nodes", "2", "--replication", "1"],
    ["count", "data", "--input", "{text}", "--nodes", "2", "--replication", "1", "--json"],
    ["wordcount", "--input", "{text}", "--nodes", "2", "--replication", "1", "--top", "3"],
    ["generate-corpus", "{tmp}/c.txt", "--size", "1KiB"],
    ["--help"],
    ["count", "--help"],
], ids=lambda a: " ".join(x for x in a if "{" not in x))
def test_a_full_stdout_is_one_line_and_exit_3(tmp_path, args):
    text = tmp_path / "t.txt"
    text.write_text("some data here\n")
    args = [a.format(text=text, tmp=tmp_path) for a in args]
    with open("/dev/full", "w") as full:
        out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args], stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 3, (out.returncode, out.stderr[-2000:])
    assert out.stderr.strip().splitlines() == [
        "clusterscope: error: cannot write to standard output (No space left on device)"], out.stderr[-2000:]


@pytest.mark.parametrize("args", [
    ["count", "data", "--input", "{text}", "--nodes", "2", "--replication", "1"],
    ["generate-corpus", "{tmp}/c.txt", "--size", "1KiB"],
    ["--help"],
], ids=lambda a: " ".join(x for x in a if "{" not in x))
def test_a_reader_that_went_away_ends_quietly_with_141(tmp_path, args):
    # As `clusterscope ... | head -1` when head has exited: the reading end is already closed.
    text = tmp_path / "t.txt"
    text.write_text("some data here\n")
    args = [a.format(text=text, tmp=tmp_path) for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        out = subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args], stdout=write_end,
                             stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT)
    finally:
        os.close(write_end)
    assert out.returncode == 141, (out.returncode, out.stderr[-2000:])
    assert out.stderr == ""


@pytest.mark.parametrize("size,expected", [("1B", 1), ("2", 2), ("7B", 7), ("1000B", 1000), ("1KiB", 1024)])
def test_generate_corpus_writes_exactly_the_size_asked(tmp_path, size, expected):
    path = tmp_path / "c.txt"
    out = run_cli("generate-corpus", str(path), "--size", size)
    assert out.returncode == 0, out.stderr
    assert path.stat().st_size == expected
    assert out.stdout == f"wrote {expected} bytes of seeded text (seed 1) to {path}\n"


def test_generate_corpus_on_a_full_disk_is_one_line_exit_3_and_leaves_nothing(small_disk):
    full = small_disk("16k")
    path = str(full / "c.txt")
    out = run_cli("generate-corpus", path, "--size", "64KiB")
    left = os.listdir(full)
    assert out.returncode == 3, (out.stdout, out.stderr)
    assert out.stderr.strip().splitlines() == [
        f"clusterscope: error: {path}: cannot write (No space left on device); the partial file is removed"]
    assert left == [] and out.stdout == ""


def test_generate_corpus_to_a_device_that_is_full_is_exit_3_and_keeps_the_device():
    out = run_cli("generate-corpus", "/dev/full", "--size", "1KiB")
    assert out.returncode == 3, (out.stdout, out.stderr)
    assert out.stderr.strip().splitlines() == ["clusterscope: error: /dev/full: cannot write (No space left on device)"]
    assert os.path.exists("/dev/full")


def test_generate_corpus_on_a_read_only_disk_is_bad_input(small_disk):
    path = str(small_disk("16k", "ro") / "c.txt")
    out = run_cli("generate-corpus", path, "--size", "1KiB")
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.strip().splitlines() == [f"clusterscope: error: {path}: cannot write (Read-only file system)"]
