"""Accessibility: the screen's text read aloud, and the speech engine that speaks it."""
