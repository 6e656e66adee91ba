"""``clusterscope experiment SCENARIO.toml --out DIR [--trials N]``.

Exit status: 0 every trial ran as scripted and no verdict is wrong (exact or honestly
incomplete); 1 a verdict is wrong (first: a wrong answer matters most); 4 the run did not go
as scripted: a fault could not be applied (the summary names each one); 2 bad input (also
an ``--out`` folder that cannot take the report, found before any trial), 3 the cluster
itself failed or the report could not be written (a full disk), as for every command.
"""

from __future__ import annotations

import re

from .report import check_out_dir, write_report
from .runner import Progress, prepare_data, references, run_trial
from engine.scenario import Scenario, check_data, load_scenario


def run_experiment(scenario: Scenario, out_dir: str, trials: int | None = None, *, baseline: bool = True,
                   plots: bool = True, stream=None) -> dict:
    trials = trials or scenario.trials
    check_out_dir(out_dir)  # a folder that cannot take the report: found now, not after the trials
    from engine.tempfiles import temp_folder
    with temp_folder("clusterscope-exp-") as work:
        data = prepare_data(scenario, work)
        check_data(scenario, data)  # block ids need the data; still before any cluster starts
        refs = references(scenario, data)
        progress = Progress(trials * (2 if baseline else 1), stream)
        runs, baselines = [], {}
        for trial in range(trials):
            progress.step(f"trial {trial + 1}/{trials}: with faults")
            runs.append(run_trial(scenario, trial, data, refs, with_faults=True))
            progress.advance(f"trial {trial + 1}/{trials}: {runs[-1].verdict}")
            if baseline:
                baselines[trial] = run_trial(scenario, trial, data, refs, with_faults=False)
                progress.advance(f"trial {trial + 1}/{trials}: fault-free baseline")
        progress.close()
        return write_report(out_dir, scenario, runs, baselines, plots=plots)


def format_summary(summary: dict, out_dir: str) -> str:
    a = summary["aggregate"]
    v = a["verdicts"]
    failed = f", {v['failed']} failed (no result, said why)" if v.get("failed") else ""
    lines = [f"{summary['scenario']}: {summary['trials']} trial(s): {v['exact']} exact, "
             f"{v['incomplete']} incomplete, {v['wrong']} wrong{failed}"]
    if a["detection_s"]:
        lines.append(f"detection: median {a['detection_s']['median']:.2f} s, max {a['detection_s']['max']:.2f} s")
    if a["restored_s"]:
        lines.append(f"replication restored: median {a['restored_s']['median']:.2f} s after the last failure")
    if a["slowdown"]:
        lines.append(f"job slowdown vs fault-free: median {a['slowdown']['median']:.2f}x")
    lines.append(f"blocks lost: {a['blocks_lost']}, tasks retried: {a['tasks_retried']}, "
                 f"speculated: {a['tasks_speculated']}")
    remarks = sorted({r for trial in summary["per_trial"] for r in trial.get("remains", [])})
    for remark in remarks:
        lines.append(f"after the faults: {remark}")
    for trial in summary["per_trial"]:
        for error in trial["fault_errors"]:
            lines.append(f"NOT AS SCRIPTED: trial {trial['trial'] + 1}: {_fault_error(error)}")
        if not trial.get("recovered", True):
            lines.append(f"DID NOT SETTLE: trial {trial['trial'] + 1}: still " + "; ".join(trial.get("still", [])))
    lines.append(f"report: {out_dir}/summary.json, events.jsonl, metrics.csv, "
                 + ", ".join(summary.get("plots", [])))
    return "\n".join(lines)


def _fault_error(error: str) -> str:
    """A FaultTimeline error as a line: ``apply(faults[1] (pause node 0 at 1 s),): why``
    reads ``faults[1] (pause node 0 at 1 s) did not apply: why``."""
    if " did not apply: " in error:
        return error
    match = re.match(r"apply\((.*),\): (.*)", error)
    return f"{match.group(1)} did not apply: {match.group(2)}" if match else f"did not apply: {error}"


EXIT_OK, EXIT_WRONG, EXIT_NOT_AS_SCRIPTED = 0, 1, 4


def exit_status(summary: dict) -> int:
    """1 if any verdict is wrong, else 4 if any fault could not be applied or a trial never
    settled, else 0."""
    if summary["aggregate"]["verdicts"]["wrong"]:
        return EXIT_WRONG
    if any(trial["fault_errors"] or not trial.get("recovered", True) for trial in summary["per_trial"]):
        return EXIT_NOT_AS_SCRIPTED
    return EXIT_OK


def main(path: str, out_dir: str, trials: int | None, baseline: bool = True) -> int:
    scenario = load_scenario(path)  # every validation error before anything starts
    summary = run_experiment(scenario, out_dir, trials, baseline=baseline)
    print(format_summary(summary, out_dir))
    return exit_status(summary)
