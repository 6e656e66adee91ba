"""The tour panel beside the live cluster: the step's title and caption in large type, its
numbers (the arithmetic next to this cluster's measurement), where the step is, and Back /
Next / Again / Leave. A presenter's clicker works: PageDown and PageUp (and the arrow keys
while the tour is open) are the window's shortcuts for Next and Back (``window_actions``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from . import theme as th
from . import tour_script as ts
from .tour import Stage, Tour


class TourPanel(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("panel")
        self.tour: Tour | None = None
        self.theme = th.NORMAL
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.where = QLabel()  # "Step 2 of 6"
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.PlainText)
        self.numbers = QGridLayout()
        self.numbers.setHorizontalSpacing(16)
        self.numbers.setColumnStretch(0, 3)
        self.numbers.setColumnStretch(1, 2)
        self.numbers.setColumnStretch(2, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.again_button = QPushButton(self.tr("Again"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.leave_button = QPushButton(self.tr("Leave tour"))
        self.back_button.setToolTip(self.tr("The step before (PageUp)"))
        self.next_button.setToolTip(self.tr("The next step (PageDown)"))
        self.again_button.setToolTip(self.tr("Play this step again on a fresh cluster"))
        self.leave_button.setToolTip(self.tr("Leave the tour here and use the cluster freely (Esc)"))
        for button in (self.back_button, self.again_button, self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        layout.addWidget(self.where)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        layout.addLayout(self.numbers)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._number_labels: list[QLabel] = []

    def set_tour(self, tour: Tour) -> None:
        if self.tour is tour:
            return
        self.tour = tour
        self.back_button.clicked.connect(tour.back)
        self.next_button.clicked.connect(tour.next)
        self.again_button.clicked.connect(tour.replay_step)
        tour.changed.connect(self.refresh)
        self.refresh()

    def set_theme(self, t: th.Theme) -> None:
        self.theme = t
        self.where.setFont(t.font(1.0))
        self.title.setFont(t.font(1.6, bold=True))
        self.caption.setFont(t.font(1.25))
        self.status.setFont(t.font(1.1, bold=True))
        self.refresh()

    def rows(self) -> list[ts.NumberRow]:
        tour = self.tour
        if tour is None or tour.step is None:
            return []
        return ts.numbers(tour.step, tour.sample_size(), tour.progress, tour.measured)

    def status_text(self) -> str:
        tour = self.tour
        step = tour.step
        if tour.stage == Stage.STARTING:
            return self.tr("Starting {0} nodes…").format(step.nodes)
        if tour.stage == Stage.PREDICT:
            return ts.predict_question(step, tour.sample_size())
        if tour.stage == Stage.RUNNING:
            return self.tr("Running: store the file, then count '{0}'…").format(ts.WORD)
        if tour.stage == Stage.SHOWN:
            if tour.index + 1 < len(tour.steps):
                return self.tr("Done. Next: {0}").format(ts.title(tour.steps[tour.index + 1]))
            return self.tr("That is the whole argument. Leave the tour to try it yourself.")
        if tour.stage == Stage.STUCK:
            return self.tr("This step did not finish: {0}").format(tour.problem)
        return ""

    def refresh(self) -> None:
        tour = self.tour
        if tour is None or tour.step is None:
            return
        step = tour.step
        t = self.theme
        self.where.setText(self.tr("Tour, step {0} of {1}").format(tour.index + 1, len(tour.steps)))
        self.where.setStyleSheet(f"color: {t.muted};")
        self.title.setText(ts.title(step))
        self.caption.setText(ts.caption(step))
        colour = t.danger if tour.stage == Stage.STUCK else (t.ok if tour.stage == Stage.SHOWN else t.accent)
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(self.status_text())
        self._fill_numbers(self.rows())
        self.back_button.setEnabled(tour.index > 0)
        last = tour.index + 1 >= len(tour.steps)
        self.next_button.setText(self.tr("Reveal ▶") if tour.stage == Stage.PREDICT
                                 else (self.tr("Finish") if last else self.tr("Next ▶")))

    def _fill_numbers(self, rows: list[ts.NumberRow]) -> None:
        """The grid's labels are kept and their words changed (never deleted and made again,
        which would leave the old ones on screen until the event loop came back)."""
        t = self.theme
        cells = [(self.tr("What"), self.tr("Arithmetic"), self.tr("Measured here"))]
        cells += [(r.label, r.arithmetic, r.measured) for r in rows]
        needed = 3 * len(cells)
        while len(self._number_labels) < needed:
            i = len(self._number_labels)
            label = QLabel()
            label.setWordWrap(True)
            self.numbers.addWidget(label, i // 3, i % 3)
            self._number_labels.append(label)
        for i, label in enumerate(self._number_labels):
            row, col = divmod(i, 3)
            if i >= needed:
                label.hide()
                continue
            label.setText(cells[row][col])
            label.setFont(t.font(0.95, bold=True) if row == 0 else t.font(1.1, bold=col == 2))
            label.setStyleSheet(f"color: {t.muted if row == 0 else t.text};")
            label.show()

    def number_texts(self) -> list[tuple[str, str, str]]:
        """The numbers as shown (for tests and screenshots)."""
        return [(r.label, r.arithmetic, r.measured) for r in self.rows()]
