"""An experiment's report: events.jsonl, metrics.csv, summary.json and PNG plots."""

from __future__ import annotations

import csv
import json
import os
import statistics

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


def write_events(path: str, runs: list[RunResult]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for run in runs:
            for event in run.events:
                d = event.to_dict()
                d["trial"], d["run"] = run.trial, run.kind
                f.write(json.dumps(d, ensure_ascii=False) + "\n")


def write_metrics(path: str, runs: list[RunResult]) -> None:
    with open(path, "w", newline="") as f:
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
    os.makedirs(out_dir, exist_ok=True)
    summary = summarise(scenario, runs, baselines)
    write_events(os.path.join(out_dir, "events.jsonl"), runs + list(baselines.values()))
    write_metrics(os.path.join(out_dir, "metrics.csv"), runs)
    summary["plots"] = []
    if plots and runs:
        from .plots import render_trial_plots
        summary["plots"] = render_trial_plots(out_dir, runs[0])
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
    return summary
