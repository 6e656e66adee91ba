"""The summaries the command line prints: a job's (``count``, ``wordcount``, ``demo``) and an
experiment's, in the command line's language (``cli.language``). The numbers and names are
the report's own; ``--json`` prints the report itself."""

from __future__ import annotations

import os
import re

from engine.sizes import format_size

from .language import translate


def _missing_parts(r: dict) -> list[str]:
    missing = r.get("missing") or [
        {"id": b, "offset": None, "length": None, "reason": "?"} for b in r["missing_blocks"]
    ]
    parts = []
    for b in missing[:8]:
        if b.get("offset") is not None and b.get("length"):
            parts.append(
                translate("summary", "block {id} (bytes {first}-{last}): {reason}").format(
                    id=b["id"], first=b["offset"], last=b["offset"] + b["length"] - 1, reason=b["reason"]
                )
            )
        else:
            parts.append(translate("summary", "block {id}: {reason}").format(id=b["id"], reason=b["reason"]))
    if len(missing) > 8:
        parts.append(translate("summary", "and {more} more").format(more=len(missing) - 8))
    return parts


def job_summary(r: dict) -> str:
    """A job report (``cli.jobrun.JobRun.execute``) as lines for a person."""
    lines = []
    name = os.path.basename(r["file"])
    if r["job"] == "count":
        text = (
            translate("summary", "count {word} in {name}, ignoring case: {count}")
            if r.get("ignore_case")
            else translate("summary", "count {word} in {name}: {count}")
        )
        lines.append(text.format(word=repr(r["word"]), name=name, count=r["count"]))
    else:
        lines.append(translate("summary", "wordcount of {name}: top {top}").format(name=name, top=len(r["top"])))
        width = max((len(w) for w, _ in r["top"]), default=4)
        for word, n in r["top"]:
            lines.append(f"  {word:<{width}}  {n}")
    if r["status"] == "ok":
        lines.append(
            translate("summary", "status: ok, exact (every one of the {blocks} blocks was read)").format(
                blocks=r["blocks"]
            )
        )
    elif r["status"] == "failed":
        lines.append(translate("summary", "status: FAILED, no result: {why}").format(why=r.get("failure", "")))
    else:
        n = len(r.get("missing") or r["missing_blocks"])
        lines.append(
            translate(
                "summary", "status: INCOMPLETE: {lost} of {blocks} blocks could not be read: {which}"
            ).format(lost=n, blocks=r["blocks"], which="; ".join(_missing_parts(r)))
        )
        lines.append(
            "        "
            + translate(
                "summary", "the result is exactly that of the other {read} blocks ({covered} of {size} bytes)"
            ).format(read=r["blocks"] - n, covered=r.get("covered_bytes", 0), size=r["bytes"])
        )
    lines.append(
        translate("summary", "cluster: {nodes} nodes, replication {replication}, {blocks} blocks, {size}").format(
            nodes=r["nodes"], replication=r["replication"], blocks=r["blocks"], size=format_size(r["bytes"])
        )
    )
    t = r["tasks"]
    lines.append(
        translate(
            "summary",
            "tasks: {total} ({local} node-local maps, {remote} non-local, {reduces} reduces), {retried} retried",
        ).format(
            total=t["total"],
            local=t["node_local"],
            remote=t["non_local"],
            reduces=t["reduce"],
            retried=t["retried"],
        )
    )
    for f in r["failures"]:
        killed = f"{f['killed_at_s']:.2f}" if f["killed_at_s"] is not None else "?"
        if f["declared_dead_at_s"] is not None:
            lines.append(
                translate(
                    "summary", "failure: node {node} killed at {killed} s, declared dead at {dead} s"
                ).format(node=f["node"], killed=killed, dead=f"{f['declared_dead_at_s']:.2f}")
            )
        else:
            lines.append(
                translate("summary", "failure: node {node} killed at {killed} s, not declared dead").format(
                    node=f["node"], killed=killed
                )
            )
    h = r["health"]
    if h["restored_at_s"] is not None:
        lines.append(
            translate(
                "summary",
                "health: {under} under-replicated, {missing} missing, replication restored at {restored} s",
            ).format(under=h["under_replicated"], missing=h["missing"], restored=f"{h['restored_at_s']:.2f}")
        )
    else:
        lines.append(
            translate("summary", "health: {under} under-replicated, {missing} missing").format(
                under=h["under_replicated"], missing=h["missing"]
            )
        )
    for remark in h.get("remains", []):
        lines.append(f"        {remark}")
    if not h.get("settled", True):
        lines.append(
            "        "
            + translate("summary", "still going on at the timeout: {what}").format(
                what="; ".join(h.get("still", []))
            )
        )
    lv = r.get("liveness") or {}
    if lv.get("rejoined") and lv.get("declared_dead", 0) > len(r["failures"]):
        lines.append(
            translate(
                "summary",
                "note: {dead} nodes were declared dead and {back} came back: the failure detector "
                "may be too eager for this machine's load (raise --dead-after)",
            ).format(dead=lv["declared_dead"], back=lv["rejoined"])
        )
    tm = r["timings"]
    lines.append(
        translate(
            "summary",
            "timings: startup {startup} s, put {put} s, job {job} s (failure times are seconds "
            "after the job started)",
        ).format(startup=f"{tm['startup_s']:.2f}", put=f"{tm['put_s']:.2f}", job=f"{tm['job_s']:.2f}")
    )
    return "\n".join(lines)


def fault_error_line(error: str) -> str:
    """A FaultTimeline error as a line: ``apply(faults[1] (pause node 0 at 1 s),): why``
    reads ``faults[1] (pause node 0 at 1 s) did not apply: why``."""
    if " did not apply: " in error:
        return error
    match = re.match(r"apply\((.*),\): (.*)", error)
    if match:
        return translate("summary", "{step} did not apply: {why}").format(step=match.group(1), why=match.group(2))
    return translate("summary", "did not apply: {why}").format(why=error)


def experiment_summary(summary: dict, out_dir: str) -> str:
    """An experiment's summary (``experiments.experiment.run_experiment``) as lines."""
    a = summary["aggregate"]
    v = a["verdicts"]
    if v.get("failed"):
        head = translate(
            "summary",
            "{scenario}: {trials} trial(s): {exact} exact, {incomplete} incomplete, {wrong} wrong, "
            "{failed} failed (no result, said why)",
        ).format(
            scenario=summary["scenario"],
            trials=summary["trials"],
            exact=v["exact"],
            incomplete=v["incomplete"],
            wrong=v["wrong"],
            failed=v["failed"],
        )
    else:
        head = translate(
            "summary", "{scenario}: {trials} trial(s): {exact} exact, {incomplete} incomplete, {wrong} wrong"
        ).format(
            scenario=summary["scenario"],
            trials=summary["trials"],
            exact=v["exact"],
            incomplete=v["incomplete"],
            wrong=v["wrong"],
        )
    lines = [head]
    if a["detection_s"]:
        lines.append(
            translate("summary", "detection: median {median} s, max {max} s").format(
                median=f"{a['detection_s']['median']:.2f}", max=f"{a['detection_s']['max']:.2f}"
            )
        )
    if a["restored_s"]:
        lines.append(
            translate("summary", "replication restored: median {median} s after the last failure").format(
                median=f"{a['restored_s']['median']:.2f}"
            )
        )
    if a["slowdown"]:
        lines.append(
            translate("summary", "job slowdown vs fault-free: median {median}x").format(
                median=f"{a['slowdown']['median']:.2f}"
            )
        )
    lines.append(
        translate("summary", "blocks lost: {lost}, tasks retried: {retried}, speculated: {speculated}").format(
            lost=a["blocks_lost"], retried=a["tasks_retried"], speculated=a["tasks_speculated"]
        )
    )
    for remark in sorted({r for trial in summary["per_trial"] for r in trial.get("remains", [])}):
        lines.append(translate("summary", "after the faults: {remark}").format(remark=remark))
    for trial in summary["per_trial"]:
        for error in trial["fault_errors"]:
            lines.append(
                translate("summary", "NOT AS SCRIPTED: trial {trial}: {what}").format(
                    trial=trial["trial"] + 1, what=fault_error_line(error)
                )
            )
        if not trial.get("recovered", True):
            lines.append(
                translate("summary", "DID NOT SETTLE: trial {trial}: still {what}").format(
                    trial=trial["trial"] + 1, what="; ".join(trial.get("still", []))
                )
            )
    lines.append(
        translate("summary", "report: {folder}/summary.json, events.jsonl, metrics.csv, {plots}").format(
            folder=out_dir, plots=", ".join(summary.get("plots", []))
        )
    )
    return "\n".join(lines)
