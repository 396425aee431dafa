"""Opt-in measurement for tests and benchmarks (WIJKKIOSK_* variables); off in normal use."""
