"""The project's colours, with no Qt: one colour per node, and per node state a colour, a
symbol and a word (never colour alone). The desktop app, experiment reports and benchmark
plots all draw with these, so a node has the same colour everywhere."""

from __future__ import annotations

# Distinguishable for common colour-vision deficiencies first (Okabe-Ito), then extended.
NODE_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F7F7F",
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF",
)

# Node states: colour, symbol, word.
STATE_STYLE = {
    "starting": ("#8FA3B8", "…", "starting"),
    "alive": ("#2E9E5B", "●", "alive"),
    "suspect": ("#E0A800", "?", "suspect"),
    "dead": ("#6B6B6B", "✖", "dead"),
    "paused": ("#3F7FD9", "❚❚", "paused"),
    "restarting": ("#9B6BD6", "↻", "restarting"),
    "stopped": ("#6B6B6B", "■", "stopped"),
}

FAILED_RGB = (200, 30, 30)  # a failed task or a missing block
UNDER_REPLICATED_RGB = (230, 140, 0)


def node_colour_hex(node_id: int) -> str:
    return NODE_COLOURS[node_id % len(NODE_COLOURS)]


def block_hue(block_id: int) -> int:
    """Every replica of a block has this hue (degrees): hues spread by the golden angle."""
    return int((block_id * 137.508) % 360)
