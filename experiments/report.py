"""An experiment's report: events.jsonl, metrics.csv, summary.json and PNG plots.

The folder is checked before any trial runs (``check_out_dir``: it can be created and
written, and none of the report's files is a folder or a named pipe), so that a wrong
``--out`` is one line and exit status 2 at once, not after every trial. A write that fails
later (the disk filled) is one line too, exit status 3 (OutputError), and the half-written
file is removed: a file of the report is whole or absent.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import statistics
import tempfile

from engine.errors import OutputError, UsageError
from engine.verdict import VERDICTS

from .runner import RunResult
from engine.scenario import Scenario


def _stats(values) -> dict | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"n": len(values), "median": round(statistics.median(values), 4), "min": round(min(values), 4),
            "max": round(max(values), 4)}


def summarise(scenario: Scenario, runs: list[RunResult], baselines: dict[int, RunResult]) -> dict:
    per_trial = []
    for run in runs:
        base = baselines.get(run.trial)
        job_s = sum(j["job_s"] for j in run.jobs)
        base_s = sum(j["job_s"] for j in base.jobs) if base else None
        per_trial.append({
            "trial": run.trial,
            "seed": scenario.seed + run.trial,
            "verdict": run.verdict,
            "jobs": run.jobs,
            "failures": run.failures,
            "detection_s": [f["detection_s"] for f in run.failures],
            "restored_s": run.restored_s,
            "recovered": run.recovered,
            "remains": run.remains,
            "still": run.still,
            "job_s": round(job_s, 4),
            "baseline_job_s": round(base_s, 4) if base_s is not None else None,
            "slowdown": round(job_s / base_s, 3) if base_s else None,
            "blocks_lost": run.blocks_lost,
            "tasks_retried": sum(j["retried"] for j in run.jobs),
            "tasks_speculated": sum(j.get("speculated") or 0 for j in run.jobs),
            "faults_applied": run.faults_applied,
            "fault_errors": run.fault_errors,
        })
    verdicts = {v: sum(1 for t in per_trial if t["verdict"] == v) for v in VERDICTS}
    return {
        "scenario": scenario.name,
        "file": scenario.path,
        "description": scenario.description,
        "trials": len(runs),
        "cluster": scenario.cluster.to_dict(),
        "aggregate": {
            "verdicts": verdicts,
            "detection_s": _stats([d for t in per_trial for d in t["detection_s"]]),
            "restored_s": _stats([t["restored_s"] for t in per_trial]),
            "slowdown": _stats([t["slowdown"] for t in per_trial]),
            "blocks_lost": sum(len(t["blocks_lost"]) for t in per_trial),
            "tasks_retried": sum(t["tasks_retried"] for t in per_trial),
            "tasks_speculated": sum(t["tasks_speculated"] for t in per_trial),
        },
        "per_trial": per_trial,
    }


PLOTS = ("throughput.png", "health.png", "tasks.png")
FILES = ("events.jsonl", "metrics.csv", "summary.json") + PLOTS


def check_out_dir(out_dir: str) -> None:
    """Before anything runs: ``out_dir`` is a folder (made if missing) that a file can be
    written in, and each file of the report there is absent or a regular file; UsageError
    (one line) otherwise."""
    where = f"--out {out_dir}"
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise UsageError(f"{where}: is a file, not a folder")
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{where}: cannot create ({exc.strerror})") from None
    for name in FILES:
        path = os.path.join(out_dir, name)
        if os.path.lexists(path) and not os.path.isfile(path):
            raise UsageError(f"{where}: {name} is not a regular file")
    try:
        fd, probe = tempfile.mkstemp(prefix=".clusterscope-probe-", dir=out_dir)
    except OSError as exc:
        raise UsageError(f"{where}: cannot write there ({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def _write(out_dir: str, name: str, write, binary: bool = False) -> None:
    """``write(f)`` into the file ``name`` of ``out_dir``; a failure is OutputError, and a
    file left half-written by a failure (or an interrupt) is removed."""
    path = os.path.join(out_dir, name)
    try:
        f = open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise _cannot_write(out_dir, name, exc) from None
    regular = False
    try:
        with f:
            regular = stat.S_ISREG(os.fstat(f.fileno()).st_mode)
            write(f)
    except BaseException as exc:
        if regular:
            try:
                os.unlink(path)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise _cannot_write(out_dir, name, exc) from None
        raise


def _cannot_write(out_dir: str, name: str, exc: OSError) -> OutputError:
    return OutputError(f"--out {out_dir}: cannot write {name} ({exc.strerror or exc}); the report is incomplete")


def write_events(f, runs: list[RunResult]) -> None:
    for run in runs:
        for event in run.events:
            d = event.to_dict()
            d["trial"], d["run"] = run.trial, run.kind
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def write_metrics(f, runs: list[RunResult]) -> None:
    out = csv.writer(f)
    out.writerow(["trial", "run", "t", "node", "state", "read_MBps", "copy_MBps", "stored_bytes",
                  "tasks_running", "under_replicated", "missing"])
    for run in runs:
        under = missing = 0
        for e in run.events:
            if e.kind == "health_changed":
                under, missing = e.under_replicated, e.missing
            elif e.kind == "metrics_sample":
                for node, m in sorted(e.nodes.items()):
                    out.writerow([run.trial, run.kind, e.t, node, m.get("state"),
                                  round(m.get("read_bps", 0) / 1e6, 4), round(m.get("copy_bps", 0) / 1e6, 4),
                                  m.get("stored_bytes"), m.get("tasks_running"), under, missing])


def write_report(out_dir: str, scenario: Scenario, runs: list[RunResult], baselines: dict[int, RunResult],
                 plots: bool = True) -> dict:
    """Write the report into ``out_dir`` (checked by ``check_out_dir`` before the trials)."""
    summary = summarise(scenario, runs, baselines)
    _write(out_dir, "events.jsonl", lambda f: write_events(f, runs + list(baselines.values())))
    _write(out_dir, "metrics.csv", lambda f: write_metrics(f, runs))
    summary["plots"] = []
    if plots and runs:
        from .plots import render_trial_plots
        for name, png in render_trial_plots(runs[0]):
            _write(out_dir, name, lambda f: f.write(png), binary=True)
            summary["plots"].append(name)
    _write(out_dir, "summary.json", lambda f: json.dump(summary, f, indent=2, ensure_ascii=False))
    return summary
