"""Cluster > Settings chooses where the cluster runs: local processes or Dask workers, here
or attached to a running scheduler; an address that is no address keeps OK disabled."""

from PySide6.QtWidgets import QDialogButtonBox

from engine.config import WINDOW_DEFAULTS
from gui.settings_dialog import ClusterSettingsDialog


def test_the_engine_and_the_scheduler_are_settings(qtbot):
    dialog = ClusterSettingsDialog(WINDOW_DEFAULTS)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert dialog.config().backend == "local" and not dialog.scheduler.isEnabled()
    dialog.backend.setCurrentIndex(dialog.backend.findData("dask"))
    assert dialog.scheduler.isEnabled() and ok.isEnabled()
    assert (dialog.config().backend, dialog.config().scheduler) == ("dask", None)  # workers started here
    dialog.scheduler.setText("not an address")
    assert not ok.isEnabled() and "Dask scheduler" in dialog.problem_text()
    dialog.scheduler.setText("tcp://10.0.0.5:8786")
    assert ok.isEnabled() and dialog.config().scheduler == "tcp://10.0.0.5:8786"
    dialog.backend.setCurrentIndex(dialog.backend.findData("local"))  # the address is kept, not used
    assert ok.isEnabled() and dialog.config().scheduler is None and dialog.config().backend == "local"


def test_the_dialog_opens_on_the_windows_own_engine(qtbot):
    dialog = ClusterSettingsDialog(WINDOW_DEFAULTS.with_changes(backend="dask", scheduler="tcp://h:1"))
    qtbot.addWidget(dialog)
    assert dialog.backend.currentData() == "dask" and dialog.scheduler.text() == "tcp://h:1"
