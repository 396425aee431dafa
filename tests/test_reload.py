"""A reload of the configuration reaches every part that reads it, with one worker (tests/reload_app.py)."""
import json
import os
import subprocess

from tests.conftest import DEMO_FEED, PYTHON, ROOT

BEFORE = f"""
house_name = "Huis Een"
inactivity_seconds = 90
[[sources]]
name = "een"
location = "{DEMO_FEED}"
[callback]
topics = ["Voedselbank", "Iets anders"]
[delivery]
[delivery.webhook]
url = "http://127.0.0.1:9/hook"
"""

AFTER = f"""
house_name = "Huis Twee"
inactivity_seconds = 120
[[sources]]
name = "twee"
location = "{DEMO_FEED}"
[screen]
idle_warning_seconds = 30
display_off_command = "true off"
dpi = 200
[speech]
piper_voices = "voices"
[callback]
topics = ["Huurteam", "Taalcafé", "Iets anders"]
"""


def test_a_reload_reaches_everything_that_reads_the_configuration(tmp_path):
    (tmp_path / "voices").mkdir()
    before, after = tmp_path / "before.toml", tmp_path / "after.toml"
    before.write_text(BEFORE, encoding="utf-8")
    after.write_text(AFTER, encoding="utf-8")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    result = subprocess.run([PYTHON, "-m", "tests.reload_app", str(before), str(after), str(tmp_path / "k.db")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["sentence"] == "De instellingen zijn opnieuw geladen."
    assert facts["house"] == "Huis Twee" and facts["title"] == "Wijkkiosk – Huis Twee"
    assert facts["callback_enabled"] is False  # no channel any more: the button goes
    assert facts["idle"] == [120, 30, True]  # the idle guard, still guarding the visitor's screen
    assert facts["voices"] == str(tmp_path / "voices")  # the speaker
    assert facts["topics"] == ["Huurteam", "Iets anders", "Taalcafé"]  # the topic buttons
    assert facts["px_per_mm"] == round(200 / 25.4, 3)  # the sizes
    assert facts["display_off"] == "true off"  # the resting screen
    assert facts["worker_house"] == "Huis Twee" and facts["status_sources"] == ["twee"]  # the worker
    assert facts["workers"] == 1
