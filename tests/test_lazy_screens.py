"""Screens built on first use (kiosk.screens.manager), without a window: reachable by name as before."""
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
screenmanager = pytest.importorskip("kivy.uix.screenmanager")
from kiosk.screens.manager import LazyScreenManager  # noqa: E402


@pytest.fixture
def manager():
    built = []

    class Counted(screenmanager.Screen):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            built.append(self.name)

    manager = LazyScreenManager(transition=screenmanager.NoTransition())
    manager.add_widget(Counted(name="home"))
    for name in ("activity", "admin"):
        manager.add_lazy(name, Counted)
    manager.built_names = built
    return manager


def test_a_lazy_screen_is_not_built_until_needed_but_is_known(manager):
    assert manager.built_names == ["home"] and manager.current == "home"
    assert manager.has_screen("activity") and manager.has_screen("admin") and not manager.has_screen("nope")
    assert not manager.built("activity")


def test_showing_a_lazy_screen_builds_it_once(manager):
    manager.current = "activity"
    assert manager.current_screen.name == "activity"
    manager.current = "home"
    manager.current = "activity"
    assert manager.built_names == ["home", "activity"] and manager.built("activity")


def test_get_screen_builds_it_without_showing_it(manager):
    screen = manager.get_screen("admin")
    assert screen.name == "admin" and manager.current == "home"
    assert manager.get_screen("admin") is screen and manager.built_names == ["home", "admin"]


def test_an_unknown_screen_is_still_an_error(manager):
    with pytest.raises(screenmanager.ScreenManagerException):
        manager.get_screen("nope")


def test_a_screen_named_by_its_path_is_imported_when_needed(manager, tmp_path, monkeypatch):
    import sys

    (tmp_path / "lazy_probe.py").write_text(
        "from kivy.uix.screenmanager import Screen\n\nclass ProbeScreen(Screen):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    manager.add_lazy("probe", "lazy_probe:ProbeScreen")
    assert manager.has_screen("probe") and "lazy_probe" not in sys.modules
    manager.import_pending()
    assert "lazy_probe" in sys.modules and not manager.built("probe")
    assert type(manager.get_screen("probe")).__name__ == "ProbeScreen" and manager.built("probe")
    sys.modules.pop("lazy_probe")
