"""The self-playing demo: store the sample, count a word, kill node 2 mid-job, recover.

A small state machine driven by the bridge's events (never by sleeps): each step waits for
what the room should see before the next one, and narrates it in the window's caption.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


VICTIM = 2
WORD = "data"
KILL_AT_PROGRESS = 0.3


class DemoScript(QObject):
    step_changed = Signal(str)
    finished = Signal(str)  # the verdict

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.step = "idle"
        self.job_id: int | None = None
        self.verdict: str | None = None
        self._active = False

    def start(self) -> None:
        self._active = True
        self.bridge.updated.connect(self._advance)
        self.bridge.verdict_ready.connect(self._on_verdict)
        self.bridge.operation_done.connect(self._on_done)
        self._set("waiting for cluster")
        self._advance([])

    def cancel(self) -> None:
        if self._active:
            self._active = False
            for signal, slot in ((self.bridge.updated, self._advance),
                                 (self.bridge.verdict_ready, self._on_verdict),
                                 (self.bridge.operation_done, self._on_done)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass

    def _set(self, step: str, caption: str | None = None) -> None:
        self.step = step
        self.step_changed.emit(step)
        if caption:
            self.window.set_caption(caption)

    def _on_done(self, operation: str, result) -> None:
        if operation == "count" and self.step == "counting":
            self.job_id = result

    def _on_verdict(self, job: int, verdict: str, detail: str) -> None:
        if self._active and job == self.job_id:
            self.verdict = verdict
            self._advance([])

    def _advance(self, events) -> None:
        if not self._active:
            return
        state = self.bridge.state
        cfg = self.bridge.config
        if self.step == "waiting for cluster":
            if len(state.nodes) >= cfg.nodes and all(n.state == "alive" for n in state.nodes.values()):
                self._set("storing", self.tr("Demo 1/4: storing the sample. Each block goes to {0} "
                                             "different nodes; watch the squares fly.").format(cfg.replication))
                self.window.store()
        elif self.step == "storing":
            if self.window.stored_file() is not None:
                self._set("counting", self.tr("Demo 2/4: counting '{0}'. Every task runs on a node "
                                              "that holds its block.").format(WORD))
                self.window.word_edit.setText(WORD)
                self.window.ignore_case.setChecked(False)
                self.window.run_count()
        elif self.step == "counting":
            job = state.jobs.get(self.job_id) if self.job_id is not None else None
            if job is not None and job.phase_total and job.done >= KILL_AT_PROGRESS * job.phase_total:
                self._set("recovering", self.tr("Demo 3/4: node {0} killed mid-job (SIGKILL). Its "
                                                "tasks will rerun elsewhere; its blocks are copied "
                                                "back to {1} replicas.").format(VICTIM, cfg.replication))
                self.window.node_action(VICTIM, "kill")
        elif self.step == "recovering":
            job = state.jobs.get(self.job_id)
            victim = state.nodes.get(VICTIM)
            live = sum(1 for n in state.nodes.values() if n.state in ("alive", "suspect"))
            # Healed, or nothing more can be done (fewer live nodes than replicas).
            healed = (victim is not None and victim.state == "dead" and not state.transfers
                      and (state.health["under_replicated"] == 0 or live < cfg.replication))
            if job is not None and job.finished is not None and healed and self.verdict is not None:
                if state.health["under_replicated"] == 0:
                    text = self.tr("Demo 4/4: node {0} is dead, yet the count is {1} and the "
                                   "verdict is {2}; every block is back at {3} replicas.")
                else:
                    text = self.tr("Demo 4/4: node {0} is dead, yet the count is {1} and the "
                                   "verdict is {2}; with fewer live nodes than {3} replicas, "
                                   "some blocks stay below {3}.")
                self._set("done", text.format(VICTIM, job.count, self.verdict, cfg.replication))
                self.finished.emit(self.verdict)
                self.cancel()
