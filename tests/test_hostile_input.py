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
