"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call and aborts
the interpreter after some tens of thousands (see pyproject.toml). This catches a Qt build
with the same fault before a lecturer does: a few hundred thousand such calls must survive."""

import os
import subprocess
import sys

SCRIPT = """
import os
os.environ['QT_QPA_PLATFORM'] = 'offscreen'
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
w = QtWidgets.QWidget()
for _ in range(300000):
    w.update()
print('ok')
"""


def test_void_qt_calls_do_not_corrupt_refcounts():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
