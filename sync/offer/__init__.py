"""The house's offer beyond its programme: help in the neighbourhood and volunteer roles.

model: the frozen values the UI shows; config: the `[[help]]` and `[volunteer]` tables of the
configuration file. A JSON feed may add to them (its versioned `help` section, docs/formats.md).
"""
