"""Cluster > Settings: the window's cluster without typing a command line. Every field is
bounded as ``ClusterConfig.validate`` bounds it; a combination it refuses (replication above
the node count, dead-after not above the heartbeat...) is said in the dialog in one line and
OK stays disabled, so a cluster that cannot start is never asked for."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QLabel, QLineEdit, QSpinBox, QVBoxLayout)

from engine.config import MAX_DISK_MBPS, MIN_DISK_MBPS, ClusterConfig, ConfigError
from engine.values import MAX_NODES, MAX_SLOTS

from .i18n import translate

KIB = 1024


class ClusterSettingsDialog(QDialog):
    """Edits a ``ClusterConfig``; ``config()`` is the edited one (valid once OK is enabled)."""

    def __init__(self, config: ClusterConfig, parent=None):
        super().__init__(parent)
        self.setWindowTitle(translate("ClusterSettings", "Cluster settings"))
        self._base = config
        form = QFormLayout()
        self.nodes = self._int(1, MAX_NODES, config.nodes)
        self.replication = self._int(1, MAX_NODES, config.replication)
        self.block_kib = self._int(1, 1024 * 1024, max(1, config.block_size // KIB), suffix=" KiB")
        self.slots = self._int(1, MAX_SLOTS, config.slots)
        self.throttled = QCheckBox(translate("ClusterSettings", "simulate disk bandwidth"))
        self.throttled.setChecked(config.disk_mbps is not None)
        self.disk = self._float(MIN_DISK_MBPS, MAX_DISK_MBPS, config.disk_mbps or 1.0, " MB/s", decimals=3)
        self.heartbeat = self._float(0.01, 60.0, config.heartbeat, " s", decimals=2)
        self.dead_after = self._float(0.02, 3600.0, config.dead_after, " s", decimals=2)
        self.backend = QComboBox()
        self.backend.addItem(translate("ClusterSettings", "Local processes (the teaching model)"), "local")
        self.backend.addItem(translate("ClusterSettings", "Dask distributed workers"), "dask")
        self.backend.setCurrentIndex(max(0, self.backend.findData(config.backend)))
        self.scheduler = QLineEdit(config.scheduler or "")
        self.scheduler.setPlaceholderText(translate("ClusterSettings", "empty: start workers here; or tcp://HOST:PORT"))
        rows = ((translate("ClusterSettings", "Data nodes"), self.nodes),
                (translate("ClusterSettings", "Replication (copies of each block)"), self.replication),
                (translate("ClusterSettings", "Block size"), self.block_kib),
                (translate("ClusterSettings", "Task slots per node"), self.slots),
                ("", self.throttled),
                (translate("ClusterSettings", "Disk bandwidth per node"), self.disk),
                (translate("ClusterSettings", "Heartbeat every"), self.heartbeat),
                (translate("ClusterSettings", "Declared dead after silence of"), self.dead_after),
                (translate("ClusterSettings", "Engine"), self.backend),
                (translate("ClusterSettings", "Dask scheduler"), self.scheduler))
        for label, widget in rows:
            form.addRow(label, widget)
        self._labels = {"nodes": rows[0][0], "replication": rows[1][0], "block_size": rows[2][0],
                        "slots": rows[3][0], "disk_mbps": rows[5][0], "heartbeat": rows[6][0],
                        "dead_after": rows[7][0], "backend": rows[8][0], "scheduler": rows[9][0]}
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828; font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(translate("ClusterSettings", "Start this cluster"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for widget in (self.nodes, self.replication, self.block_kib, self.slots, self.disk, self.heartbeat,
                       self.dead_after):
            widget.valueChanged.connect(self._check)
        self.throttled.toggled.connect(self._check)
        self.backend.currentIndexChanged.connect(self._check)
        self.scheduler.textChanged.connect(self._check)
        self._check()

    @staticmethod
    def _int(lo: int, hi: int, value: int, suffix: str = "") -> QSpinBox:
        box = QSpinBox()
        box.setRange(lo, hi)
        box.setValue(min(max(value, lo), hi))
        box.setSuffix(suffix)
        return box

    @staticmethod
    def _float(lo: float, hi: float, value: float, suffix: str, decimals: int) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setDecimals(decimals)
        box.setRange(lo, hi)
        box.setValue(min(max(value, lo), hi))
        box.setSuffix(suffix)
        return box

    def config(self) -> ClusterConfig:
        return self._base.with_changes(
            nodes=self.nodes.value(), replication=self.replication.value(), block_size=self.block_kib.value() * KIB,
            slots=self.slots.value(), disk_mbps=self.disk.value() if self.throttled.isChecked() else None,
            heartbeat=self.heartbeat.value(), dead_after=self.dead_after.value(), backend=self.backend.currentData(),
            scheduler=(self.scheduler.text().strip() or None) if self.backend.currentData() == "dask" else None)

    def problem_text(self) -> str:
        return self.problem.text()

    def _check(self, *_) -> None:
        self.disk.setEnabled(self.throttled.isChecked())
        self.scheduler.setEnabled(self.backend.currentData() == "dask")
        try:
            self.config().validate()
            problem = ""
        except ConfigError as exc:
            field = self._labels.get(exc.field, exc.field)
            problem = translate("ClusterSettings", "Cannot start: {0} {1}").format(field, exc.problem)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(not problem)
