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

from engine.config import BACKENDS, WINDOW_DEFAULTS, ClusterConfig
from engine.errors import ClusterScopeError, UsageError
from engine.sizes import format_size, parse_size
from engine.values import MAX_TOP, MAX_TRIALS

from . import arguments
from .jobrun import JobRun, KillPlan
from .summaries import experiment_summary, job_summary
from . import language
from .language import translate
from .output import EXIT_PIPE, CheckedOutput, OutputClosed, say

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_CLUSTER, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with its own word 'usage:' in the command line's language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, translate("cli", "usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit status 2, and says its own
    headings ('options', 'positional arguments', -h's help) in the command line's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = translate("cli", "positional arguments")
        self._optionals.title = translate("cli", "options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = translate("cli", "show this help message and exit")

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
    g.add_argument("--nodes", type=int, default=d.nodes, help=translate("cli", "data node processes, 1 to 256 (default %(default)s)"))
    g.add_argument("--replication", type=int, default=d.replication, help=translate("cli", "replicas per block (default %(default)s)"))
    g.add_argument("--block-size", type=arguments.block_size, default=d.block_size, metavar="SIZE",
                   help=translate("cli", "target block size, like 64KiB or 4MiB (default {size})").format(
                       size=_size_word(d.block_size)))
    g.add_argument("--heartbeat", type=arguments.positive_seconds, default=d.heartbeat, metavar="SECONDS",
                   help=translate("cli", "heartbeat interval (default %(default)s)"))
    g.add_argument("--dead-after", type=arguments.positive_seconds, default=d.dead_after, metavar="SECONDS",
                   help=translate("cli", "silence before a node is declared dead (default %(default)s)"))
    g.add_argument("--slots", type=int, default=d.slots, help=translate("cli", "concurrent tasks per node (default %(default)s)"))
    g.add_argument("--disk-mbps", type=arguments.speed, default=d.disk_mbps, metavar="MB_PER_S",
                   help=(translate("cli", "simulated disk bandwidth per node in MB/s (default: unthrottled)")
                         if d.disk_mbps is None else
                         translate("cli", "simulated disk bandwidth per node in MB/s (default %(default)s)")))
    g.add_argument("--seed", type=int, default=d.seed, help=translate("cli", "placement seed (default %(default)s)"))
    g.add_argument("--backend", choices=BACKENDS, default=d.backend,
                   help=translate("cli", "where the cluster runs: local (node processes of its own) or dask "
                                  "(Dask distributed workers; pip install '.[dask]') (default %(default)s)"))
    g.add_argument("--scheduler", default=d.scheduler, metavar="tcp://HOST:PORT",
                   help=translate("cli", "with --backend dask: attach to this running Dask scheduler instead of "
                                  "starting workers here"))
    for option, what in (("--tls-ca-file", translate("cli", "with a tls:// scheduler: the CA certificate (PEM)")),
                         ("--tls-cert", translate("cli", "with a tls:// scheduler: this client's certificate (PEM)")),
                         ("--tls-key", translate("cli", "with a tls:// scheduler: this client's private key (PEM)"))):
        g.add_argument(option, default=None, metavar="FILE", help=what)


def _shape_of(args) -> dict:
    return dict(nodes=args.nodes, replication=args.replication, block_size=args.block_size,
                heartbeat=args.heartbeat, dead_after=args.dead_after, slots=args.slots,
                disk_mbps=args.disk_mbps, seed=args.seed, backend=args.backend, scheduler=args.scheduler,
                tls_ca_file=args.tls_ca_file, tls_cert=args.tls_cert, tls_key=args.tls_key)


def _add_cluster_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(translate("cli", "cluster options"))
    _add_shape_options(g, ClusterConfig())
    g.add_argument("--kill", type=arguments.kill, action="append", default=[], metavar="NODE@SECONDS",
                   help=translate("cli", "SIGKILL node NODE this many seconds after the job starts (repeatable)"))
    g.add_argument("--data-dir", default=None, metavar="DIR",
                   help=translate("cli", "keep node folders here (default: a temporary folder, removed afterwards)"))
    g.add_argument("--log-level", default="WARNING", type=str.upper,
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], help=translate("cli", "node and engine log level"))
    g.add_argument("--timeout", type=arguments.positive_seconds, default=600.0, metavar="SECONDS",
                   help=translate("cli", "give up on the job or the recovery after this long (default %(default)s)"))


def _add_window_cluster_options(p: argparse.ArgumentParser) -> None:
    """The window's cluster: the lecture's shape unless told (Cluster > Reset keeps these)."""
    _add_shape_options(p.add_argument_group(translate("cli", "the window's cluster")), WINDOW_DEFAULTS)


def window_config_from_args(args) -> ClusterConfig:
    """The window's cluster from ``gui``'s options, checked before Qt starts."""
    return WINDOW_DEFAULTS.with_changes(**_shape_of(args)).validate()


def _add_language_option(p: argparse.ArgumentParser, window: bool = False, dest: str = "lang") -> None:
    """``--lang``: the language of the messages (and of the window, for ``gui`` and ``replay``).
    The messages' language is chosen before parsing (``cli.language.choose``); the top-level
    option has its own ``dest``, which a command's default cannot overwrite."""
    p.add_argument("--lang", dest=dest, type=arguments.language, default=None, metavar="LANG",
                   help=translate("cli", "the window's language: en or zh_CN (default: the system's, else English)")
                   if window else translate("cli", "the language of the messages: en or zh_CN (default: the "
                                            "system's, else English)"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="clusterscope",
                     description=translate("cli", "Watch distributed storage and computation on a real "
                                           "local cluster, and break it on purpose. With no command, "
                                           "opens the desktop app."))
    _add_language_option(parser, dest="top_lang")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    p = sub.add_parser("count", help=translate("cli", "count whole-word occurrences of WORD (like grep -ow WORD | wc -l)"))
    p.add_argument("word", metavar="WORD")
    p.add_argument("--input", required=True, metavar="FILE", help=translate("cli", "UTF-8 text file to store and search"))
    p.add_argument("--ignore-case", action="store_true", help=translate("cli", "compare words by Unicode case folding"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object instead of a summary"))
    _add_cluster_options(p)
    _add_language_option(p)

    p = sub.add_parser("wordcount", help=translate("cli", "top-K word frequencies with map, combine, shuffle, reduce"))
    p.add_argument("--input", required=True, metavar="FILE", help=translate("cli", "UTF-8 text file to store and count"))
    p.add_argument("--top", type=arguments.count(MAX_TOP), default=20, metavar="K",
                   help=translate("cli", "how many words (default %(default)s)"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object instead of a summary"))
    _add_cluster_options(p)
    _add_language_option(p)

    p = sub.add_parser("generate-corpus", help=translate("cli", "write seeded sample text with a Zipf-like vocabulary"))
    p.add_argument("out", metavar="OUT")
    p.add_argument("--size", type=arguments.data_size, default=parse_size("64MiB"), metavar="SIZE",
                   help=translate("cli", "exactly this many bytes, like 64MiB (default 64MiB)"))
    p.add_argument("--seed", type=arguments.corpus_seed, default=1,
                   help=translate("cli", "the text's seed: the same seed, the same text (default %(default)s)"))
    _add_language_option(p)

    p = sub.add_parser("demo", help=translate("cli", "headless demo: store a sample, count a word, kill node 2 mid-job"))
    p.add_argument("--size", type=arguments.data_size, default=parse_size("16MiB"), metavar="SIZE",
                   help=translate("cli", "how much sample text, like 16MiB (default 16MiB)"))
    p.add_argument("--json", action="store_true", help=translate("cli", "print one JSON object instead of a summary"))
    _add_language_option(p)

    p = sub.add_parser("experiment", help=translate("cli", "run a failure-injection scenario and write a report"))
    p.add_argument("scenario", metavar="SCENARIO.toml")
    p.add_argument("--out", required=True, metavar="DIR", help=translate("cli", "folder for summary.json, events, metrics, plots"))
    p.add_argument("--trials", type=arguments.count(MAX_TRIALS), default=None, metavar="N",
                   help=translate("cli", "override the scenario's trial count"))
    p.add_argument("--no-baseline", action="store_true", help=translate("cli", "skip the fault-free run of each trial"))
    _add_language_option(p)

    p = sub.add_parser("gui", help=translate("cli", "open the desktop app"))
    _add_window_cluster_options(p)
    p.add_argument("--demo", action="store_true", help=translate("cli", "play the demo sequence by itself"))
    _add_language_option(p, window=True)
    p.add_argument("--tour", action="store_true",
                   help=translate("cli", "play the guided tour of the lecture by itself, step after step"))
    p.add_argument("--tour-step", type=arguments.count(6), default=None, metavar="N",
                   help=translate("cli", "with --tour: begin at step N (1 to 6)"))
    p.add_argument("--screenshot", metavar="FILE", help=translate("cli", "save a PNG of the window and exit"))
    p.add_argument("--after", type=arguments.positive_seconds, default=5.0, metavar="SECONDS",
                   help=translate("cli", "with --screenshot: how long to run first (default %(default)s)"))

    p = sub.add_parser("replay", help=translate("cli", "replay a recording (File > Save recording…) in the "
                                                "desktop app, without a cluster"))
    p.add_argument("file", metavar="FILE",
                   help=translate("cli", "a recording: events as JSON Lines (FILE.verdicts.json is read if present)"))
    p.add_argument("--at", type=arguments.seconds_from_start, default=None, metavar="SECONDS",
                   help=translate("cli", "start at this cluster time (default: the start)"))
    p.add_argument("--paused", action="store_true", help=translate("cli", "open paused instead of playing"))
    p.add_argument("--screenshot", metavar="FILE", help=translate("cli", "save a PNG of the window (at --at) and exit"))
    _add_language_option(p, window=True)
    return parser


def config_from_args(args) -> ClusterConfig:
    return ClusterConfig(**_shape_of(args), log_level=args.log_level, data_dir=args.data_dir).validate()


def _run_job_command(args) -> int:
    config = config_from_args(args)
    if args.command == "count":
        from engine.text import validate_word
        validate_word(args.word)
    check_kills(args.kill, config.nodes, args.timeout)
    # The input is checked as it is stored (the put streams it, and refuses a file that is
    # not text before anything is written if the problem is in its first 4 MiB): not read
    # once more beforehand.
    run = JobRun(config, args.input, kind=args.command, word=getattr(args, "word", None),
                 ignore_case=getattr(args, "ignore_case", False), top=getattr(args, "top", 20),
                 kills=args.kill, timeout=args.timeout,
                 echo_logs=not args.json)
    report = run.execute()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(job_summary(report))
    return exit_status(report, args.timeout)


def exit_status(report: dict, timeout: float) -> int:
    """0 exact, 1 incomplete, 3 no result or a cluster that never settled (one line says why)."""
    if report["status"] == "failed":
        say(translate("cli", "clusterscope: error: the job failed: {why}").format(why=report.get("failure", "")))
        return EXIT_CLUSTER
    if not report["health"]["settled"]:
        say(translate("cli", "clusterscope: error: the cluster did not settle within {timeout} s (still: "
                      "{what})").format(timeout=f"{timeout:g}", what="; ".join(report["health"]["still"])))
        return EXIT_CLUSTER
    return EXIT_OK if report["status"] == "ok" else EXIT_INCOMPLETE


def check_kills(kills, nodes: int, timeout: float) -> None:
    """Every ``--kill`` names a node that exists, comes before ``--timeout`` (the run gives
    up then, and a later kill would never happen), and kills a node not already killed."""
    killed: dict[int, float] = {}
    for plan in sorted(kills, key=lambda k: k.at_s):
        where = f"--kill {plan.node}@{plan.at_s:g}"
        if plan.node >= nodes:
            raise UsageError(translate("cli", "{where}: unknown node {node} (nodes are 0..{last})").format(
                where=where, node=plan.node, last=nodes - 1))
        if not plan.at_s < timeout:
            raise UsageError(translate("cli", "{where}: {at} s is not before --timeout {timeout} s (the run "
                                       "gives up then)").format(where=where, at=f"{plan.at_s:g}",
                                                                timeout=f"{timeout:g}"))
        if plan.node in killed:
            raise UsageError(translate("cli", "{where}: node {node} is already killed at {at} s").format(
                where=where, node=plan.node, at=f"{killed[plan.node]:g}"))
        killed[plan.node] = plan.at_s


def _generate(args) -> int:
    from engine.corpus import write_corpus
    n = write_corpus(args.out, args.size, args.seed)
    print(translate("cli", "wrote {size} bytes of seeded text (seed {seed}) to {path}").format(
        size=n, seed=args.seed, path=args.out))
    return EXIT_OK


def _demo(args) -> int:
    from engine.corpus import write_corpus
    from engine.tempfiles import temp_folder
    with temp_folder("clusterscope-demo-") as tmp:
        path = os.path.join(tmp, "sample.txt")
        write_corpus(path, args.size, seed=1)
        if not args.json:
            print(translate("cli", "ClusterScope headless demo: 6 nodes, 3 replicas, {size} of sample text "
                            "on disks slowed to 4 MB/s each;\ncounting 'data' while node 2 is killed "
                            "(SIGKILL) half a second into the job.\n").format(size=format_size(args.size)),
                  flush=True)
        config = ClusterConfig(block_size=256 * 1024, disk_mbps=4)
        run = JobRun(config, path, kind="count", word="data", kills=[KillPlan(2, 0.5)],
                     echo_logs=False, timeout=120)
        report = run.execute()
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            print(job_summary(report))
            print("\n" + translate("cli", "Run it yourself: clusterscope count WORD --input FILE --kill "
                                    "2@0.5   (clusterscope --help for more)"))
        return exit_status(report, 120)


def _gui(args) -> int:
    def headless_demo() -> int:
        say(translate("cli", "clusterscope: playing the headless demo instead.") + "\n")
        return _demo(argparse.Namespace(size=parse_size("16MiB"), json=False))

    try:
        from gui.app import run_app
    except ImportError as exc:  # Qt missing from this environment: say so, run headless
        say(translate("cli", "clusterscope: the desktop app cannot start ({why}).").format(why=exc))
        return headless_demo()
    config = window_config_from_args(args) if hasattr(args, "nodes") else None
    return run_app(demo=args.demo, screenshot=args.screenshot, after=args.after,
                   on_no_display=headless_demo, config=config, tour=getattr(args, "tour", False),
                   tour_step=getattr(args, "tour_step", None),
                   lang=getattr(args, "lang", None) or getattr(args, "top_lang", None))


def _experiment(args) -> int:
    from engine.scenario import load_scenario
    from experiments.experiment import exit_status as experiment_status
    from experiments.experiment import run_experiment
    scenario = load_scenario(args.scenario)  # every validation error before anything starts
    summary = run_experiment(scenario, args.out, args.trials, baseline=not args.no_baseline)
    print(experiment_summary(summary, args.out))
    return experiment_status(summary)


def _replay(args) -> int:
    try:
        from gui.replay_app import run_replay_app
    except ImportError as exc:  # Qt missing: a replay has no headless form
        raise UsageError(translate("cli", "replaying needs the desktop app, which cannot start ({why})").format(
            why=exc)) from None
    return run_replay_app(args.file, at=args.at, play=not args.paused, screenshot=args.screenshot,
                          lang=args.lang or args.top_lang)


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
        return _gui(argparse.Namespace(demo=False, screenshot=None, after=5.0, lang=args.top_lang))
    handler = {"count": _run_job_command, "wordcount": _run_job_command,
               "generate-corpus": _generate, "demo": _demo, "gui": _gui,
               "experiment": _experiment, "replay": _replay}[args.command]
    status = handler(args)
    sys.stdout.flush()  # a full disk behind stdout is found here, not in Python's exit
    return status


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    language.install(language.choose(argv))
    _install_signal_handlers()
    stdout = sys.stdout
    if stdout is not None:
        sys.stdout = CheckedOutput(stdout)
    try:
        return _run(argv)
    except ClusterScopeError as exc:
        say(translate("cli", "clusterscope: error: {why}").format(why=exc))
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_CLUSTER
    except OutputClosed:
        return EXIT_PIPE
    except KeyboardInterrupt:
        say(translate("cli", "clusterscope: interrupted; cluster stopped"))
        return EXIT_INTERRUPTED
    finally:
        sys.stdout = stdout
