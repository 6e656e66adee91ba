"""Headless command line over the engine."""
