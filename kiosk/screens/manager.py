"""A screen manager that builds a screen the first time it is shown or asked for.

Most screens (an activity, the callback steps, the admin screens) are never seen between two
restarts, or only long after the start: building them all at start cost memory and start time
(measured in docs/benchmarks.md). `get_screen`, `has_screen` and setting `current` work for a screen
not yet built as for one that is. A screen named by its class's path ("module:Class") is not even
imported (nor its kv rules parsed) before the first frame: `import_pending()` does that at rest.
"""
from __future__ import annotations

import importlib
from typing import Callable

from kivy.uix.screenmanager import Screen, ScreenManager


def imported(path: str) -> type[Screen]:
    """The class that "module:Class" names, its module imported (with its kv rules)."""
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


class LazyScreenManager(ScreenManager):
    def __init__(self, **kwargs):
        self._factories: dict[str, Callable[..., Screen] | str] = {}
        super().__init__(**kwargs)

    def add_lazy(self, name: str, factory: Callable[..., Screen] | str) -> None:
        """Build `factory(name=name)` when the screen is first needed; a "module:Class" is imported then."""
        self._factories[name] = factory

    def import_pending(self) -> None:
        """Import the screens named by path that are not built yet (their kv rules too), building none."""
        for factory in self._factories.values():
            if isinstance(factory, str):
                imported(factory)

    def built(self, name: str) -> bool:
        """Has the screen been built (a screen never shown need not be reset)?"""
        return name in self.screen_names

    def get_screen(self, name: str) -> Screen:
        factory = self._factories.pop(name, None)
        if factory is not None:
            self.add_widget((imported(factory) if isinstance(factory, str) else factory)(name=name))
        return super().get_screen(name)

    def has_screen(self, name: str) -> bool:
        return name in self._factories or super().has_screen(name)
