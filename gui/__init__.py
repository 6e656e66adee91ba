"""The desktop app: PySide6 widgets and pyqtgraph plots over the engine's event stream."""
