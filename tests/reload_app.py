"""The kiosk with its configuration reloaded, in its own process: run by tests/test_reload.py.

    SDL_VIDEODRIVER=offscreen python -m tests.reload_app BEFORE.toml AFTER.toml DB

Starts KioskApp on BEFORE (a preview moment), opens the topic step, reloads from AFTER as the admin
screen's button does, waits for the worker's first round with it, and prints as JSON what each part
that reads the configuration holds then, and how many sync workers run.
"""
import datetime as dt
import json
import os
import sys
import tempfile
import threading


def main(before: str, after: str, db: str) -> None:
    for key, value in {"KIVY_NO_ARGS": "1", "KIVY_HOME": tempfile.mkdtemp(prefix="reload-kivy-"),
                       "KIVY_NO_CONSOLELOG": "1", "KCFG_KIVY_LOG_ENABLE": "0",
                       "KCFG_GRAPHICS_WIDTH": "800", "KCFG_GRAPHICS_HEIGHT": "480"}.items():
        os.environ.setdefault(key, value)
    from kivy.clock import Clock

    from sync import config as kiosk_config
    from sync.device.clock import KioskClock
    from kiosk.app import KioskApp

    config = kiosk_config.load(before)
    clock = KioskClock.shifted_to(config.timezone, dt.datetime(2024, 3, 13, 10, 30))
    app = KioskApp(config, db, clock, config_path=after)
    facts = {}

    def reload(_dt):
        app.show("callback_topic")  # built with the first configuration's topics
        app.visitor.idle.poke()
        facts["sentence"] = app.controller.reload_config()
        Clock.schedule_interval(report, 0.2)

    def report(_dt):
        if app.status is None or app.status.config is not app.kiosk_config:
            return True  # the worker's round with the new configuration has not reported yet
        topics = app.root.get_screen("callback_topic").ids.topics.children
        facts.update({
            "house": app.house_name, "title": app.title, "callback_enabled": app.callback_enabled,
            "idle": [app.visitor.idle.total, app.visitor.idle.warning, app.visitor.idle.active],
            "voices": app.visitor.speaker.piper_voices,
            "topics": sorted(button.topic for button in topics),
            "px_per_mm": round(app.mm, 3),
            "display_off": app.resting.config.display_off_command,
            "worker_house": app.bridge.worker.config.house_name,
            "status_sources": [s.name for s in app.status.sources],
            "workers": [t.name for t in threading.enumerate()].count("sync-worker"),
        })
        app.stop()
        return False

    Clock.schedule_once(reload, 1.0)
    app.run()
    print(json.dumps(facts))


if __name__ == "__main__":
    main(*sys.argv[1:4])
