"""``clusterscope experiment SCENARIO.toml --out DIR [--trials N]``.

Exit status: 0 every trial ran as scripted and no verdict is wrong (exact or honestly
incomplete); 1 a verdict is wrong (first: a wrong answer matters most); 4 the run did not go
as scripted: a fault could not be applied (the summary names each one); 2 bad input (also
an ``--out`` folder that cannot take the report, found before any trial), 3 the cluster
itself failed or the report could not be written (a full disk), as for every command.
"""

from __future__ import annotations

from .report import check_out_dir, write_report
from .runner import Progress, prepare_data, references, run_trial
from engine.scenario import Scenario, check_data


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


EXIT_OK, EXIT_WRONG, EXIT_NOT_AS_SCRIPTED = 0, 1, 4


def exit_status(summary: dict) -> int:
    """1 if any verdict is wrong, else 4 if any fault could not be applied or a trial never
    settled, else 0."""
    if summary["aggregate"]["verdicts"]["wrong"]:
        return EXIT_WRONG
    if any(trial["fault_errors"] or not trial.get("recovered", True) for trial in summary["per_trial"]):
        return EXIT_NOT_AS_SCRIPTED
    return EXIT_OK
