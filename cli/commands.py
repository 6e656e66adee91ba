"""The headless command line: ``count``, ``wordcount``, ``generate-corpus``, ``demo``,
``experiment``, ``gui``, ``replay``.

Exit status: 0 ok, 1 incomplete (blocks unavailable), 2 bad input (one line on stderr),
3 the cluster itself failed (did not start, timed out) or the output could not be written
(a full disk behind stdout), 130 interrupted, 141 the reader of stdout went away (``| head``),
quietly.
``experiment``: 0 every trial ran as scripted and no verdict is wrong, 1 a verdict is wrong,
4 the run did not go as scripted: a fault could not be applied (the summary names it; a wrong
verdict has priority and gives 1), 2 and 3 as above.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from engine.config import WINDOW_DEFAULTS, ClusterConfig
from engine.errors import ClusterScopeError, UsageError
from engine.sizes import parse_size
from engine.values import MAX_TOP, MAX_TRIALS

from . import arguments
from .jobrun import JobRun, KillPlan, format_summary
from .output import EXIT_PIPE, CheckedOutput, OutputClosed, say

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_CLUSTER, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2."""

    def error(self, message):  # noqa: D401 - argparse API
        raise UsageError(message)


def _size_word(n: int) -> str:
    """1048576 -> '1MiB', 262144 -> '256KiB': as the option is written."""
    for unit, factor in (("MiB", 1024 ** 2), ("KiB", 1024)):
        if n % factor == 0:
            return f"{n // factor}{unit}"
    return f"{n}B"


def _add_shape_options(g, d: ClusterConfig) -> None:
    """The cluster's shape, with ``d``'s values as defaults (the jobs' and the window's differ)."""
    g.add_argument("--nodes", type=int, default=d.nodes, help="data node processes, 1 to 256 (default %(default)s)")
    g.add_argument("--replication", type=int, default=d.replication, help="replicas per block (default %(default)s)")
    g.add_argument("--block-size", type=arguments.block_size, default=d.block_size, metavar="SIZE",
                   help=f"target block size, like 64KiB or 4MiB (default {_size_word(d.block_size)})")
    g.add_argument("--heartbeat", type=arguments.positive_seconds, default=d.heartbeat, metavar="SECONDS",
                   help="heartbeat interval (default %(default)s)")
    g.add_argument("--dead-after", type=arguments.positive_seconds, default=d.dead_after, metavar="SECONDS",
                   help="silence before a node is declared dead (default %(default)s)")
    g.add_argument("--slots", type=int, default=d.slots, help="concurrent tasks per node (default %(default)s)")
    g.add_argument("--disk-mbps", type=arguments.speed, default=d.disk_mbps, metavar="MB_PER_S",
                   help="simulated disk bandwidth per node in MB/s (default: "
                        + ("unthrottled)" if d.disk_mbps is None else "%(default)s)"))
    g.add_argument("--seed", type=int, default=d.seed, help="placement seed (default %(default)s)")


def _shape_of(args) -> dict:
    return dict(nodes=args.nodes, replication=args.replication, block_size=args.block_size,
                heartbeat=args.heartbeat, dead_after=args.dead_after, slots=args.slots,
                disk_mbps=args.disk_mbps, seed=args.seed)


def _add_cluster_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cluster options")
    _add_shape_options(g, ClusterConfig())
    g.add_argument("--kill", type=arguments.kill, action="append", default=[], metavar="NODE@SECONDS",
                   help="SIGKILL node NODE this many seconds after the job starts (repeatable)")
    g.add_argument("--data-dir", default=None, metavar="DIR",
                   help="keep node folders here (default: a temporary folder, removed afterwards)")
    g.add_argument("--log-level", default="WARNING", type=str.upper,
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="node and engine log level")
    g.add_argument("--timeout", type=arguments.positive_seconds, default=600.0, metavar="SECONDS",
                   help="give up on the job or the recovery after this long (default %(default)s)")


def _add_window_cluster_options(p: argparse.ArgumentParser) -> None:
    """The window's cluster: the lecture's shape unless told (Cluster > Reset keeps these)."""
    _add_shape_options(p.add_argument_group("the window's cluster"), WINDOW_DEFAULTS)


def window_config_from_args(args) -> ClusterConfig:
    """The window's cluster from ``gui``'s options, checked before Qt starts."""
    return WINDOW_DEFAULTS.with_changes(**_shape_of(args)).validate()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="clusterscope",
                     description="Watch distributed storage and computation on a real local cluster, "
                                 "and break it on purpose. With no command, opens the desktop app.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    p = sub.add_parser("count", help="count whole-word occurrences of WORD (like grep -ow WORD | wc -l)")
    p.add_argument("word", metavar="WORD")
    p.add_argument("--input", required=True, metavar="FILE", help="UTF-8 text file to store and search")
    p.add_argument("--ignore-case", action="store_true", help="compare words by Unicode case folding")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    _add_cluster_options(p)

    p = sub.add_parser("wordcount", help="top-K word frequencies with map, combine, shuffle, reduce")
    p.add_argument("--input", required=True, metavar="FILE", help="UTF-8 text file to store and count")
    p.add_argument("--top", type=arguments.count(MAX_TOP), default=20, metavar="K",
                   help="how many words (default %(default)s)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    _add_cluster_options(p)

    p = sub.add_parser("generate-corpus", help="write seeded sample text with a Zipf-like vocabulary")
    p.add_argument("out", metavar="OUT")
    p.add_argument("--size", type=arguments.data_size, default=parse_size("64MiB"), metavar="SIZE",
                   help="exactly this many bytes, like 64MiB (default 64MiB)")
    p.add_argument("--seed", type=arguments.corpus_seed, default=1)

    p = sub.add_parser("demo", help="headless demo: store a sample, count a word, kill node 2 mid-job")
    p.add_argument("--size", type=arguments.data_size, default=parse_size("16MiB"), metavar="SIZE")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("experiment", help="run a failure-injection scenario and write a report")
    p.add_argument("scenario", metavar="SCENARIO.toml")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for summary.json, events, metrics, plots")
    p.add_argument("--trials", type=arguments.count(MAX_TRIALS), default=None, metavar="N",
                   help="override the scenario's trial count")
    p.add_argument("--no-baseline", action="store_true", help="skip the fault-free run of each trial")

    p = sub.add_parser("gui", help="open the desktop app")
    _add_window_cluster_options(p)
    p.add_argument("--demo", action="store_true", help="play the demo sequence by itself")
    p.add_argument("--lang", type=arguments.language, default=None, metavar="LANG",
                   help="the window's language: en or zh_CN (default: the system's, else English)")
    p.add_argument("--tour", action="store_true",
                   help="play the guided tour of the lecture by itself, step after step")
    p.add_argument("--tour-step", type=arguments.count(6), default=None, metavar="N",
                   help="with --tour: begin at step N (1 to 6)")
    p.add_argument("--screenshot", metavar="FILE", help="save a PNG of the window and exit")
    p.add_argument("--after", type=arguments.positive_seconds, default=5.0, metavar="SECONDS",
                   help="with --screenshot: how long to run first (default %(default)s)")

    p = sub.add_parser("replay", help="replay a recording (File > Save recording…) in the desktop app, "
                                      "without a cluster")
    p.add_argument("file", metavar="FILE",
                   help="a recording: events as JSON Lines (FILE.verdicts.json is read if present)")
    p.add_argument("--at", type=arguments.seconds_from_start, default=None, metavar="SECONDS",
                   help="start at this cluster time (default: the start)")
    p.add_argument("--paused", action="store_true", help="open paused instead of playing")
    p.add_argument("--screenshot", metavar="FILE", help="save a PNG of the window (at --at) and exit")
    p.add_argument("--lang", type=arguments.language, default=None, metavar="LANG",
                   help="the window's language: en or zh_CN (default: the system's, else English)")
    return parser


def config_from_args(args) -> ClusterConfig:
    return ClusterConfig(**_shape_of(args), log_level=args.log_level, data_dir=args.data_dir).validate()


def _run_job_command(args) -> int:
    config = config_from_args(args)
    if args.command == "count":
        from engine.text import validate_word
        validate_word(args.word)
    check_kills(args.kill, config.nodes, args.timeout)
    from engine.blocks import read_text_file
    read_text_file(args.input)  # validate before starting any process
    run = JobRun(config, args.input, kind=args.command, word=getattr(args, "word", None),
                 ignore_case=getattr(args, "ignore_case", False), top=getattr(args, "top", 20),
                 kills=args.kill, timeout=args.timeout,
                 echo_logs=not args.json)
    report = run.execute()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_summary(report))
    return exit_status(report, args.timeout)


def exit_status(report: dict, timeout: float) -> int:
    """0 exact, 1 incomplete, 3 no result or a cluster that never settled (one line says why)."""
    if report["status"] == "failed":
        print(f"clusterscope: error: the job failed: {report.get('failure', '')}", file=sys.stderr)
        return EXIT_CLUSTER
    if not report["health"]["settled"]:
        print(f"clusterscope: error: the cluster did not settle within {timeout:g} s (still: "
              + "; ".join(report["health"]["still"]) + ")", file=sys.stderr)
        return EXIT_CLUSTER
    return EXIT_OK if report["status"] == "ok" else EXIT_INCOMPLETE


def check_kills(kills, nodes: int, timeout: float) -> None:
    """Every ``--kill`` names a node that exists, comes before ``--timeout`` (the run gives
    up then, and a later kill would never happen), and kills a node not already killed."""
    killed: dict[int, float] = {}
    for plan in sorted(kills, key=lambda k: k.at_s):
        where = f"--kill {plan.node}@{plan.at_s:g}"
        if plan.node >= nodes:
            raise UsageError(f"{where}: unknown node {plan.node} (nodes are 0..{nodes - 1})")
        if not plan.at_s < timeout:
            raise UsageError(f"{where}: {plan.at_s:g} s is not before --timeout {timeout:g} s "
                             "(the run gives up then)")
        if plan.node in killed:
            raise UsageError(f"{where}: node {plan.node} is already killed at {killed[plan.node]:g} s")
        killed[plan.node] = plan.at_s


def _generate(args) -> int:
    from engine.corpus import write_corpus
    n = write_corpus(args.out, args.size, args.seed)
    print(f"wrote {n} bytes of seeded text (seed {args.seed}) to {args.out}")
    return EXIT_OK


def _demo(args) -> int:
    from engine.corpus import write_corpus
    from engine.tempfiles import temp_folder
    with temp_folder("clusterscope-demo-") as tmp:
        path = os.path.join(tmp, "sample.txt")
        write_corpus(path, args.size, seed=1)
        if not args.json:
            print(f"ClusterScope headless demo: 6 nodes, 3 replicas, {args.size // (1024 * 1024)} MiB of "
                  "sample text on disks slowed to 4 MB/s each;\ncounting 'data' while node 2 is "
                  "killed (SIGKILL) half a second into the job.\n", flush=True)
        config = ClusterConfig(block_size=256 * 1024, disk_mbps=4)
        run = JobRun(config, path, kind="count", word="data", kills=[KillPlan(2, 0.5)],
                     echo_logs=False, timeout=120)
        report = run.execute()
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            print(format_summary(report))
            print("\nRun it yourself: clusterscope count WORD --input FILE --kill 2@0.5   "
                  "(clusterscope --help for more)")
        return exit_status(report, 120)


def _gui(args) -> int:
    def headless_demo() -> int:
        print("clusterscope: playing the headless demo instead.\n", file=sys.stderr, flush=True)
        return _demo(argparse.Namespace(size=parse_size("16MiB"), json=False))

    try:
        from gui.app import run_app
    except ImportError as exc:  # Qt missing from this environment: say so, run headless
        print(f"clusterscope: the desktop app cannot start ({exc}).", file=sys.stderr)
        return headless_demo()
    config = window_config_from_args(args) if hasattr(args, "nodes") else None
    return run_app(demo=args.demo, screenshot=args.screenshot, after=args.after,
                   on_no_display=headless_demo, config=config, tour=getattr(args, "tour", False),
                   tour_step=getattr(args, "tour_step", None), lang=getattr(args, "lang", None))


def _experiment(args) -> int:
    from experiments.experiment import main as experiment_main
    return experiment_main(args.scenario, args.out, args.trials, baseline=not args.no_baseline)


def _replay(args) -> int:
    try:
        from gui.replay_app import run_replay_app
    except ImportError as exc:  # Qt missing: a replay has no headless form
        raise UsageError(f"replaying needs the desktop app, which cannot start ({exc})") from None
    return run_replay_app(args.file, at=args.at, play=not args.paused, screenshot=args.screenshot,
                          lang=args.lang)


def _install_signal_handlers() -> None:
    """SIGTERM and SIGHUP end the process through normal exit, so clusters stop cleanly
    (``main.py`` sets the same from its first line; a signal that is ignored, as ``nohup``
    ignores SIGHUP, stays ignored)."""
    def _exit(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) is not signal.SIG_IGN:
                signal.signal(sig, _exit)


def _run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, after argparse printed it
        sys.stdout.flush()
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    if args.command is None:
        return _gui(argparse.Namespace(demo=False, screenshot=None, after=5.0))
    handler = {"count": _run_job_command, "wordcount": _run_job_command,
               "generate-corpus": _generate, "demo": _demo, "gui": _gui,
               "experiment": _experiment, "replay": _replay}[args.command]
    status = handler(args)
    sys.stdout.flush()  # a full disk behind stdout is found here, not in Python's exit
    return status


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _install_signal_handlers()
    stdout = sys.stdout
    if stdout is not None:
        sys.stdout = CheckedOutput(stdout)
    try:
        return _run(argv)
    except ClusterScopeError as exc:
        say(f"clusterscope: error: {exc}")
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_CLUSTER
    except OutputClosed:
        return EXIT_PIPE
    except KeyboardInterrupt:
        say("clusterscope: interrupted; cluster stopped")
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = stdout
