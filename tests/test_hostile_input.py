"""Every numeric command-line option refuses nan, inf, negative, zero and huge values with
one line naming the option and exit status 2, before any cluster starts (the real CLI, as a
subprocess)."""

import os
import subprocess
import sys

import pytest

from support import ROOT

TEXT = "some data here\n"


def run_cli(*args, timeout=60):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def _cases():
    count = ["count", "data", "--input", "{text}", "--nodes", "2", "--replication", "1"]
    cases = []
    for at in ("inf", "1e308", "nan", "-1", "-inf", "2e6"):
        cases.append((count + ["--kill", f"1@{at}"], "--kill"))
    cases.append((count + ["--kill", "1@700"], "--timeout"))  # after the run gives up (600 s)
    cases.append((count + ["--kill", "1@5", "--timeout", "5"], "--timeout"))
    cases.append((count + ["--kill", "1@1", "--kill", "1@2"], "already killed"))
    for option in ("--timeout", "--heartbeat", "--dead-after", "--disk-mbps"):
        for value in ("nan", "inf", "-inf", "-1", "0", "1e309", "x"):
            cases.append((count + [option, value], option))
    for value in ("2e6", "1e300"):
        cases.append((count + ["--timeout", value], "--timeout"))
    cases.append((count + ["--heartbeat", "1e-9"], "--heartbeat"))
    for option in ("--nodes", "--slots"):
        for value in ("0", "-1", "257", "99999999999999999999999", "nan", "1.5"):
            cases.append((count[:4] + [option, value], option))
    for value in ("0", "-3", "nan"):
        cases.append((count[:4] + ["--replication", value], "--replication"))
    for value in ("0", "2GiB", "9" * 400 + "TiB", "nan", "inf", "-1"):
        cases.append((count + ["--block-size", value], "--block-size"))
    for value in ("0", "-1", "10000000", "nan", "1e3"):
        cases.append((["wordcount", "--input", "{text}", "--top", value], "--top"))
    for value in ("0", "-1", "1000000000", "nan"):
        cases.append((["experiment", "{scenario}", "--out", "{tmp}/out", "--trials", value], "--trials"))
    for value in ("0", "5TiB", "9" * 400, "nan", "inf"):
        cases.append((["generate-corpus", "{tmp}/c.txt", "--size", value], "--size"))
        cases.append((["demo", "--size", value], "--size"))
    cases.append((["generate-corpus", "{tmp}/c.txt", "--seed", "-1"], "--seed"))
    for value in ("nan", "inf", "-1", "0"):
        cases.append((["gui", "--screenshot", "{tmp}/s.png", "--after", value], "--after"))
    for value in ("nan", "inf", "-1"):
        cases.append((["replay", "{recording}", "--at", value], "--at"))
    return cases


CASES = _cases()


@pytest.mark.parametrize("args,names", CASES, ids=[" ".join(a[4:] if a[0] == "count" else a) for a, _ in CASES])
def test_bad_numbers_are_one_line_and_exit_2(tmp_path, args, names):
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    scenario = tmp_path / "s.toml"
    scenario.write_text('[[jobs]]\nkind = "count"\nword = "data"\n')
    recording = tmp_path / "r.jsonl"
    recording.write_text('{"kind": "cluster_stopped", "t": 1.0}\n')
    args = [a.format(text=text, tmp=tmp_path, scenario=scenario, recording=recording) for a in args]
    out = run_cli(*args)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("clusterscope: error: "), out.stderr[-2000:]
    assert "Traceback" not in out.stderr and names in lines[0]
    assert out.stdout == ""
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.txt").exists()


def test_a_kill_just_before_the_timeout_is_accepted(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    out = run_cli("count", "data", "--input", str(text), "--nodes", "2", "--replication", "1",
                  "--heartbeat", "0.1", "--dead-after", "0.5", "--kill", "1@0", "--timeout", "30", "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    assert '"killed_at_s": 0.' in out.stdout


@pytest.mark.parametrize("args,value,bound", [
    (["count", "data", "--input", "{text}", "--block-size", "1025MiB"], 1025 * 1024 ** 2, 1024 ** 3),
    (["count", "data", "--input", "{text}", "--block-size", str(1024 ** 3 + 1)], 1024 ** 3 + 1, 1024 ** 3),
    (["generate-corpus", "{tmp}/c.txt", "--size", str(4 * 1024 ** 3 + 1)], 4 * 1024 ** 3 + 1, 4 * 1024 ** 3),
    (["demo", "--size", "4097MiB"], 4097 * 1024 ** 2, 4 * 1024 ** 3),
], ids=["block-size-1025MiB", "block-size-1GiB+1", "size-4GiB+1", "demo-4097MiB"])
def test_a_size_just_over_its_bound_is_shown_apart_from_it(tmp_path, args, value, bound):
    # Rounded to 1.0 GiB or 4.0 GiB both would read alike, as if the value were within bounds.
    text = tmp_path / "t.txt"
    text.write_text(TEXT)
    out = run_cli(*[a.format(text=text, tmp=tmp_path) for a in args])
    assert out.returncode == 2, out.stderr[-2000:]
    [line] = out.stderr.strip().splitlines()
    assert f"({value} bytes)" in line and f"({bound} bytes)" in line, line


def test_sizes_apart_adds_bytes_only_where_the_figures_would_read_alike():
    from engine.sizes import sizes_apart
    assert sizes_apart(2 * 1024 ** 3, 1024 ** 3) == ("2.0 GiB", "1.0 GiB")
    assert sizes_apart(1025 * 1024 ** 2, 1024 ** 3) == ("1.0 GiB (1074790400 bytes)", "1.0 GiB (1073741824 bytes)")
    assert sizes_apart(1000, 1000) == ("1000 B", "1000 B")
    assert sizes_apart(1024 ** 2 + 1, 1024 ** 2) == ("1.0 MiB (1048577 bytes)", "1.0 MiB (1048576 bytes)")


def test_free_space_shortfall_is_shown_apart_from_the_free_space(tmp_path, monkeypatch):
    from engine import datadir
    from engine.cluster import LocalCluster
    from engine.config import ClusterConfig
    from engine.errors import UsageError
    text = tmp_path / "t.txt"
    text.write_bytes(b"data " * 1024 * 1024)  # 5 MiB, stored twice: 10 MiB
    monkeypatch.setattr(datadir, "free_bytes", lambda path: 10 * 1024 * 1024 - 1)
    cluster = LocalCluster(ClusterConfig(nodes=2, replication=2, data_dir=str(tmp_path / "d")))
    with pytest.raises(UsageError) as info:
        cluster.put(str(text))
    message = str(info.value)
    assert f"({10 * 1024 * 1024 - 1} bytes) free" in message and f"({10 * 1024 * 1024} bytes)" in message, message
