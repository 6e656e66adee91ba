"""What the main window says: the captions that narrate a run over the cluster, the one-line
messages of its status bar, the counts there, and the shortcuts of its help. Words only,
translated in the ``MainWindow`` context; the window decides where they go."""

from __future__ import annotations

from engine.sizes import format_size

from .i18n import translate


# -- captions ---------------------------------------------------------------------------------

def starting() -> str:
    return translate("MainWindow", "Starting the cluster…")


def cluster_ready(nodes: int, sample_bytes: int) -> str:
    return translate("MainWindow", "{0} nodes are up, each a real process with its own folder. "
                                   "Store the sample ({1}), then count a word; right-click a node to "
                                   "break it.").format(nodes, format_size(sample_bytes))


def tour_link() -> str:
    return translate("MainWindow", "Take the guided tour ▶ (T)")


def fresh_cluster() -> str:
    return translate("MainWindow", "Starting a fresh cluster…")


def chosen(name: str) -> str:
    return translate("MainWindow", "Chosen {0}. Press Store to cut it into blocks.").format(name)


def generated(choice: str) -> str:
    return translate("MainWindow", "Generated {0} of sample text. Press Store.").format(choice)


def storing(name: str, block_size: int, replication: int) -> str:
    return translate("MainWindow", "Storing {0}: cut into blocks of {1} at whitespace, each block "
                                   "checksummed and written to {2} different nodes.").format(
        name, format_size(block_size), replication)


def stored(name: str, blocks: int, replication: int) -> str:
    return translate("MainWindow", "Stored {0}: {1} blocks, each on {2} nodes. Now count a word.").format(
        name, blocks, replication)


def counting(word: str) -> str:
    return translate("MainWindow", "Counting '{0}': one task per block, each on a node that holds "
                                   "the block (data locality).").format(word)


def wordcount() -> str:
    return translate("MainWindow", "Wordcount: map every block, combine on the node, shuffle by "
                                   "word to one reducer per node, reduce, merge.")


def node_action(action: str, node: int) -> str:
    """What ``action`` (kill, pause, resume, restart, corrupt) did to ``node``, and what to watch."""
    captions = {
        "kill": translate("MainWindow", "Node {0} killed with SIGKILL. Watch: it stops heartbeating, turns "
                                        "suspect, then is declared dead; its blocks are copied back to 3 replicas."),
        "pause": translate("MainWindow", "Node {0} paused (SIGSTOP): alive but silent, so it will be declared dead."),
        "resume": translate("MainWindow", "Node {0} resumed (SIGCONT): it rejoins with a block report; extra "
                                          "replicas are trimmed."),
        "restart": translate("MainWindow", "Node {0} restarting: a new process over the same folder, which "
                                           "reports the blocks it finds."),
        "corrupt": translate("MainWindow", "A replica on node {0} was corrupted on disk. The next read "
                                           "detects it by checksum and repairs it from a good copy."),
    }
    return captions[action].format(node)


def frozen(paused: bool) -> str:
    if paused:
        return translate("MainWindow", "Cluster paused: every node is stopped. Press Space to resume.")
    return translate("MainWindow", "Cluster resumed.")


def replay(name: str, duration: float, nodes: int, faults: int, jobs: int, verdicts_missing: bool) -> str:
    """The caption of a replay window: what the recording holds, and how to look at it."""
    text = translate("MainWindow", "Replay of {name}: {duration} s, {nodes} nodes, {faults} fault(s), {jobs} job(s). "
                                   "No cluster is running: play it, drag the slider, or jump to the next fault.")
    text = text.format(name=name, duration=f"{duration:.1f}", nodes=nodes, faults=faults, jobs=jobs)
    if verdicts_missing:
        text += " " + translate("MainWindow", "(This recording carries no verdicts: it was saved without its "
                                              ".verdicts.json.)")
    return text


# -- messages ---------------------------------------------------------------------------------

def already_stored(name: str) -> str:
    return translate("MainWindow", "{0} is already stored: run a job, or Reset").format(name)


def store_first() -> str:
    return translate("MainWindow", "Store a file first (Store)")


def select_first() -> str:
    return translate("MainWindow", "Select a node first (click it)")


def failed(operation: str, error: str) -> str:
    return translate("MainWindow", "{0} failed: {1}").format(operation, error)


def saved(path: str) -> str:
    return translate("MainWindow", "Saved {0}").format(path)


def recording_unchangeable() -> str:
    return translate("MainWindow", "This is a recording: nothing in it can be changed")


def status_counts(c: dict) -> str:
    """The status bar's counts (``ClusterState.counts()``)."""
    return translate("MainWindow",
                     "● {live} live   ✖ {dead} dead   ❚❚ {paused} paused   blocks {blocks}   "
                     "under-replicated {under}   missing {missing}").format(
        live=c["live"], dead=c["dead"], paused=c["paused"], blocks=c["blocks"],
        under=c["under_replicated"], missing=c["missing"])


# -- help -------------------------------------------------------------------------------------

def help_rows(replay: bool) -> list[tuple[str, str]]:
    """(keys, what they do) of every shortcut of a live window, or of a replay window."""
    if replay:
        return [
            (translate("MainWindow", "Space"), translate("MainWindow", "play or pause the replay")),
            ("F", translate("MainWindow", "jump to the next fault (kill, pause, corrupted replica, slowed disk)")),
            ("Home", translate("MainWindow", "back to the start of the recording")),
            (translate("MainWindow", "Click a node"), translate("MainWindow", "select it")),
            ("Ctrl+Shift+O / Ctrl+Shift+S", translate("MainWindow", "open another recording / save this one")),
            ("F11", translate("MainWindow", "lecture mode: full screen, large fonts, high contrast")),
            ("F1", translate("MainWindow", "this help")),
        ]
    return [
        (translate("MainWindow", "Click a node"), translate("MainWindow", "select it")),
        (translate("MainWindow", "Right-click a node"),
         translate("MainWindow", "kill, pause/resume, restart, corrupt a replica")),
        ("K / P / R / C", translate("MainWindow", "kill / pause-resume / restart / corrupt on the selected node")),
        (translate("MainWindow", "Arrow keys"), translate("MainWindow", "move the selection")),
        ("Ctrl+O / Ctrl+G", translate("MainWindow", "open a text file / generate sample text")),
        ("Ctrl+S", translate("MainWindow", "store the file")),
        ("Ctrl+Enter / Ctrl+W", translate("MainWindow", "count the word / wordcount")),
        ("Ctrl+N / Ctrl+R", translate("MainWindow", "add a node / reset the cluster")),
        (translate("MainWindow", "Space"), translate("MainWindow", "pause or resume the whole cluster")),
        ("Ctrl+D", translate("MainWindow", "play the demo")),
        ("T", translate("MainWindow", "the guided tour: the lecture's argument, step by step")),
        ("PageDown / PageUp", translate("MainWindow", "tour: next / previous step (a presenter's clicker); "
                                                      "arrow keys too while the tour is open")),
        ("Esc", translate("MainWindow", "leave the tour")),
        ("F11", translate("MainWindow", "lecture mode: full screen, large fonts, high contrast")),
        ("F1", translate("MainWindow", "this help")),
    ]


def help_html(replay: bool) -> str:
    return "<table cellpadding=4>" + "".join(
        f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in help_rows(replay)) + "</table>"
