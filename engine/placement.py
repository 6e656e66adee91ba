"""Choosing nodes for new replicas: distinct live nodes, balancing stored bytes, seeded ties."""

from __future__ import annotations

import random


def choose_targets(load: dict[int, int], count: int, exclude: set[int], rng: random.Random) -> list[int]:
    """Up to ``count`` node ids from ``load`` (node -> bytes stored or in flight), least
    loaded first, never one in ``exclude``; equal loads are ordered by the seeded ``rng``."""
    candidates = [(bytes_, rng.random(), node) for node, bytes_ in load.items() if node not in exclude]
    candidates.sort()
    return [node for _, _, node in candidates[:count]]
