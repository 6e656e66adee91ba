"""What drives the live cluster from the main window: starting and resetting it, slow motion,
the file to store, storing it, the jobs, breaking nodes, pausing the whole cluster, the demo
and scenarios. Every cluster operation goes through the window's bridge; what happens is
narrated in the window's caption and status bar (``narration``)."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject

from engine.config import WINDOW_DEFAULTS, ClusterConfig, slowed
from engine.corpus import write_corpus
from engine.errors import UsageError
from engine.model import JobSpec
from engine.tempfiles import make_temp_folder, remove_temp_folder
from engine.text import validate_word
from engine.scenario import check_data, load_scenario, prepare_data

from . import narration
from .demo import DemoScript
from .scenario_player import ScenarioPlayer

SAMPLE_SIZE = 8 * 1024 * 1024
SLOW_MOTION = (1, 2, 5, 10)


def lecture_config(slow: float = 1.0, nodes: int = 6) -> ClusterConfig:
    """The app's default cluster (``WINDOW_DEFAULTS``) with ``nodes`` nodes, in slow motion
    ``slow``: heartbeat, failure detection and disk (so copy) bandwidth scale together."""
    return slowed(WINDOW_DEFAULTS.with_changes(nodes=nodes), slow)


class RunController(QObject):
    """The live run behind a main window: its cluster (through ``window.bridge``), the file
    to store (``current_path``), the sample folder, the demo and the scenario playing."""

    def __init__(self, window):
        super().__init__(window)
        self._window = window
        self.bridge = window.bridge
        self.slow = 1
        self.base_config = window.bridge.config  # what the window was opened with; slow motion scales it
        self.current_path: str | None = None
        self.sample_dir = make_temp_folder("clusterscope-sample-")
        self.demo: DemoScript | None = None
        self.scenario_player: ScenarioPlayer | None = None
        self._shut_down = False

    def adopt(self, other: "RunController") -> None:
        """Take over what ``other`` (the run of a window made again in another language)
        held: the file to store, the sample folder, the settings and slow motion. Its demo
        and scenario are cancelled (they speak through the old window)."""
        for script in (other.demo, other.scenario_player):
            if script is not None:
                script.cancel()
        remove_temp_folder(self.sample_dir)
        self.sample_dir, other.sample_dir = other.sample_dir, None
        self.current_path, self.base_config, self.slow = other.current_path, other.base_config, other.slow
        other._shut_down = True

    # -- cluster lifecycle ------------------------------------------------------------------

    def start_cluster(self) -> None:
        self.bridge.start()
        self.ensure_sample()

    def ensure_sample(self) -> None:
        if self.current_path is None:
            path = os.path.join(self.sample_dir, "sample.txt")
            write_corpus(path, SAMPLE_SIZE, seed=1)
            self.current_path = path

    def on_cluster_ready(self) -> None:
        if self._shut_down:  # a start that finished after the window closed
            return
        cfg = self.bridge.config
        try:
            size = os.path.getsize(self.current_path)
        except (OSError, TypeError):  # the chosen file is gone: the next Store says so
            self._window.set_caption(narration.fresh_cluster())
            return
        tour = getattr(self._window, "tour", None)
        if tour is not None and tour.stage.value not in ("idle", "left"):
            return  # the tour narrates its own clusters
        self._window.set_caption(narration.cluster_ready(cfg.nodes, size), link=narration.tour_link())

    def play_scenario(self, path: str):
        """Validate the scenario file, then play it live on a fresh cluster of its own shape."""
        try:
            scenario = load_scenario(path)
            if any(f.block is not None for f in scenario.faults):  # block ids need the data
                check_data(scenario, prepare_data(scenario, self.sample_dir))
        except UsageError as exc:
            self._window.message.emit(str(exc), "error")
            return None
        if self.demo is not None:
            self.demo.cancel()
        if self.scenario_player is not None:
            self.scenario_player.cancel()
        timeline = self._window.fault_timeline
        timeline.set_theme(self._window.theme)
        timeline.show()
        self.scenario_player = ScenarioPlayer(self._window, scenario)
        self.scenario_player.start()
        return self.scenario_player

    def _end_scripts(self) -> None:
        """Before a fresh cluster: the scenario and the demo playing end, the cluster's
        pause switch is off."""
        if self.scenario_player is not None:
            self.scenario_player.cancel()
            self.scenario_player = None
            self._window.fault_timeline.hide()
        if self.demo is not None:
            self.demo.cancel()
        self._window.act_freeze.setChecked(False)

    def reset_cluster(self) -> None:
        self._end_scripts()
        self.bridge.start(slowed(self.base_config.with_changes(nodes=self.bridge.config.nodes), self.slow))
        self._window.set_caption(narration.fresh_cluster())

    def start_tour_cluster(self, config: ClusterConfig) -> None:
        """A fresh cluster of a tour step's shape (the tour's, not the window's settings:
        Reset goes back to those)."""
        self._end_scripts()
        self.ensure_sample()
        self.bridge.start(config)

    def apply_settings(self, config: ClusterConfig) -> None:
        """Cluster > Settings: from now on the window's cluster is ``config`` (slow motion
        still scales it); a fresh one starts at once."""
        self.base_config = config.validate()
        self.bridge.config = config
        self.reset_cluster()

    def set_slow_motion(self, factor: int) -> None:
        if factor == self.slow:
            return
        self.slow = factor
        self.bridge.time_scale = factor
        self._window.slow_combo.setCurrentIndex(SLOW_MOTION.index(factor))
        self.reset_cluster()

    def shutdown(self) -> None:
        self._shut_down = True
        if self.demo is not None:
            self.demo.cancel()
        if self.scenario_player is not None:
            self.scenario_player.cancel()
        self.bridge.stop()
        if self.sample_dir is not None:
            remove_temp_folder(self.sample_dir)

    # -- files and jobs ---------------------------------------------------------------------

    def choose_file(self, path: str) -> None:
        self.current_path = path
        self._window.what_if.set_pending_size(os.path.getsize(path))
        self._window.set_caption(narration.chosen(os.path.basename(path)))

    def generate_corpus(self, choice: str) -> None:
        """Write a seeded sample of ``choice`` ("8 MiB") and make it the file to store."""
        size = int(choice.split()[0]) * 1024 * 1024
        path = os.path.join(self.sample_dir, f"sample-{choice.split()[0]}MiB.txt")
        write_corpus(path, size, seed=1)
        self.current_path = path
        self._window.what_if.set_pending_size(os.path.getsize(path))
        self._window.set_caption(narration.generated(choice))

    def store(self) -> None:
        if self.current_path is None:
            self.ensure_sample()
        name = os.path.basename(self.current_path)
        if name in self.bridge.state.files:
            self._window.message.emit(narration.already_stored(name), "error")
            return
        cfg = self.bridge.config
        self._window.set_caption(narration.storing(name, cfg.block_size, cfg.replication))
        self.bridge.put(self.current_path)

    def stored_file(self) -> str | None:
        files = list(self.bridge.state.files)
        committed = [f for f in files
                     if all(self.bridge.state.blocks[b].committed for b in self.bridge.state.files[f]
                            if b in self.bridge.state.blocks)]
        return committed[-1] if committed else None

    def run_count(self, word: str, ignore_case: bool) -> None:
        name = self.stored_file()
        if name is None:
            self._window.message.emit(narration.store_first(), "error")
            return
        try:
            validate_word(word)
        except UsageError as exc:
            self._window.message.emit(str(exc), "error")
            return
        self._window.set_caption(narration.counting(word))
        self.bridge.run_job(JobSpec("count", name, word=word, ignore_case=ignore_case))

    def run_wordcount(self, top: int) -> None:
        name = self.stored_file()
        if name is None:
            self._window.message.emit(narration.store_first(), "error")
            return
        self._window.set_caption(narration.wordcount())
        self.bridge.run_job(JobSpec("wordcount", name, top=top))

    # -- breaking things --------------------------------------------------------------------

    def node_action(self, node: int, action: str) -> None:
        view = self.bridge.state.nodes.get(node)
        if action == "pause" and view is not None and view.process == "paused":
            action = "resume"
        {"kill": self.bridge.kill, "pause": self.bridge.pause, "resume": self.bridge.resume,
         "restart": self.bridge.restart, "corrupt": self.bridge.corrupt}[action](node)
        self._window.set_caption(narration.node_action(action, node))

    def act_on_selected(self, action: str) -> None:
        node = self._window.cluster_view.selected_node()
        if node is None:
            self._window.message.emit(narration.select_first(), "error")
            return
        self.node_action(node, action)

    def set_frozen(self, frozen: bool) -> None:
        """Pause (SIGSTOP) every node and the failure detector, or resume them."""
        if self.bridge.backend is None:
            return
        if frozen:
            self.bridge.freeze()
        else:
            self.bridge.thaw()
        self._window.set_caption(narration.frozen(frozen))

    # -- demo -------------------------------------------------------------------------------

    def start_demo(self) -> None:
        if self.demo is not None:
            self.demo.cancel()
        self.ensure_sample()
        self.demo = DemoScript(self._window)
        self.demo.start()
