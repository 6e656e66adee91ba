"""Failure-injection experiments: scenario files, a headless runner, reports with plots."""
