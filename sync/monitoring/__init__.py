"""Monitoring: the heartbeat, the Prometheus textfile and the anonymous daily figures (docs/fleet.md)."""
