"""Read aloud, the engine: the real espeak-ng speaks Dutch and Arabic into WAV files; say, stop and
toggle start and end real processes; the text is never on a command line; Piper voices are found."""
import json
import logging
import os
import shutil
import subprocess
import wave
from pathlib import Path

import pytest

from kiosk.a11y.speech import PiperVoice, Speaker, find_piper_voice, piper_commands
from tests.conftest import PYTHON, ROOT

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed (Debian package espeak-ng)")

DUTCH = "Programma van vandaag.\n10:00 – 12:00, Koffieochtend, Grote zaal.\n14:00, Bingo, Zaal 2."
ARABIC = "برنامج اليوم.\n10:00 – 12:00، صباح القهوة، Grote zaal.\n14:00، بينغو، Zaal 2."
# long enough that espeak-ng is still writing it when the test looks (about a second of work)
LONG = "Vandaag om tien uur drinken we koffie in de grote zaal met de buren. " * 300


def wav_seconds(path: Path) -> float:
    header = path.read_bytes()[:12]
    assert header[:4] == b"RIFF" and header[8:12] == b"WAVE", header
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


def command_lines(speaker: Speaker) -> list[str]:
    """The command lines, as ps shows them, of the speaker's engine processes."""
    return [Path(f"/proc/{p.pid}/cmdline").read_bytes().decode(errors="replace")
            for p in speaker._current.processes]


@needs_espeak
@pytest.mark.parametrize("lang, text", [("nl", DUTCH), ("ar", ARABIC)])
def test_espeak_speaks_a_screen_into_a_wav_file(tmp_path, lang, text):
    out = tmp_path / f"{lang}.wav"
    speaker = Speaker(wav_path=out)
    assert speaker.available and speaker.engine(lang) == "espeak-ng"
    speaker.say(text, lang)
    assert speaker.wait(60), "espeak-ng did not finish within a minute"
    assert wav_seconds(out) > 0.5
    assert (tmp_path / f"{lang}.wav.txt").read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{lang}.wav", f"{lang}.wav.txt"]


@needs_espeak
def test_the_diagnostics_variable_sends_speech_to_a_wav_file(tmp_path):
    from kiosk import diagnostics

    out = tmp_path / "screen.wav"
    asked = diagnostics.wanted({diagnostics.SPEECH_WAV: str(out)})
    assert asked and not asked.probe and not asked.layout_report
    speaker = Speaker(wav_path=asked.speech_wav)
    speaker.say(DUTCH, "nl")
    assert speaker.wait(60)
    assert wav_seconds(out) > 0.5 and out.with_name("screen.wav.txt").read_text(encoding="utf-8") == DUTCH


@needs_espeak
def test_say_starts_a_process_and_stop_ends_it(tmp_path):
    speaker = Speaker(wav_path=tmp_path / "out.wav")
    speaker.say(LONG, "nl")
    assert speaker.speaking
    process = speaker._current.processes[0]
    assert process.poll() is None and Path(f"/proc/{process.pid}").exists()
    speaker.stop()
    assert not speaker.speaking
    assert process.returncode is not None and process.returncode < 0  # ended by a signal
    assert not (tmp_path / "out.wav").exists()  # a stopped text leaves no (partial) WAV file
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav.txt"]


@needs_espeak
def test_a_new_text_stops_the_one_before(tmp_path):
    speaker = Speaker(wav_path=tmp_path / "out.wav")
    speaker.say(LONG, "nl")
    first = speaker._current.processes[0]
    speaker.say(ARABIC, "ar")
    assert first.returncode is not None and first.returncode < 0
    assert speaker.wait(60)
    assert wav_seconds(tmp_path / "out.wav") > 0.5
    assert (tmp_path / "out.wav.txt").read_text(encoding="utf-8") == ARABIC


@needs_espeak
def test_toggle_is_the_button_say_then_stop(tmp_path):
    speaker = Speaker(wav_path=tmp_path / "out.wav")
    assert speaker.toggle(LONG, "nl") is True and speaker.speaking
    process = speaker._current.processes[0]
    assert speaker.toggle(LONG, "nl") is False and not speaker.speaking
    assert process.returncode is not None
    assert speaker.toggle(LONG, "nl") is True and speaker.speaking  # a third press speaks again
    speaker.stop()


@needs_espeak
@pytest.mark.parametrize("wav", [True, False], ids=["to a file", "to the sound card"])
def test_the_text_is_never_on_the_command_line(tmp_path, wav):
    speaker = Speaker(wav_path=tmp_path / "out.wav" if wav else "")
    text = "Zeldzaamwoord Jansen 0612345678. " + LONG
    speaker.say(text, "nl")
    try:
        lines = command_lines(speaker)
    finally:
        speaker.stop()
    assert lines and all("espeak-ng" in line and "--stdin" in line for line in lines)
    for line in lines:
        assert "Zeldzaamwoord" not in line and "0612345678" not in line and "koffie" not in line
    for lang in ("nl", "en", "ar", "tr", "pl", "uk"):
        assert all(text not in arg for command in speaker.commands(lang) for arg in command)


def test_without_an_engine_say_does_nothing_and_logs_once(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng, piper or aplay on it
    speaker = Speaker(wav_path=tmp_path / "out.wav")
    assert not speaker.available and speaker.engine("nl") is None
    with caplog.at_level(logging.INFO, logger="wijkkiosk.speech"):
        speaker.say("Hallo Jan Jansen", "nl")
        speaker.say("Hallo Jan Jansen", "nl")
        assert speaker.toggle("Hallo Jan Jansen", "nl") is False
    assert not speaker.speaking and list(tmp_path.iterdir()) == []
    assert len(caplog.records) == 1 and "no engine" in caplog.records[0].getMessage()
    assert "Jansen" not in caplog.text


@needs_espeak
def test_the_text_is_never_logged(tmp_path, caplog):
    speaker = Speaker(wav_path=tmp_path / "out.wav")
    with caplog.at_level(logging.DEBUG, logger="wijkkiosk.speech"):
        speaker.say("Zeldzaamwoord in de grote zaal.", "nl")
        assert speaker.wait(60)
    assert caplog.records and "Zeldzaamwoord" not in caplog.text


# -- Piper ------------------------------------------------------------------------------------------


def add_voice(folder: Path, name: str, sample_rate: int | None = 22050) -> Path:
    model = folder / f"{name}.onnx"
    model.write_bytes(b"")  # never run: only found
    if sample_rate is not None:
        model.with_name(model.name + ".json").write_text(json.dumps({"audio": {"sample_rate": sample_rate}}))
    return model


def test_piper_voices_are_found_by_language(tmp_path):
    add_voice(tmp_path, "nl_NL-mls-medium", 22050)
    add_voice(tmp_path, "nl_BE-nathalie-medium", 16000)
    add_voice(tmp_path, "ar_JO-kareem-medium", None)  # no .onnx.json: not a usable voice
    add_voice(tmp_path, "en_GB-alan-medium", 22050)
    assert find_piper_voice(tmp_path, "nl") == PiperVoice(tmp_path / "nl_BE-nathalie-medium.onnx", 16000)
    assert find_piper_voice(tmp_path, "ar") is None
    assert find_piper_voice(tmp_path, "uk") is None
    assert find_piper_voice("", "nl") is None and find_piper_voice(tmp_path / "nowhere", "nl") is None
    os.symlink(tmp_path / "nl_NL-mls-medium.onnx", tmp_path / "nl.onnx")  # the house's choice
    os.symlink(tmp_path / "nl_NL-mls-medium.onnx.json", tmp_path / "nl.onnx.json")
    assert find_piper_voice(tmp_path, "nl") == PiperVoice(tmp_path / "nl.onnx", 22050)


def test_piper_is_used_where_it_has_a_voice_and_espeak_elsewhere(tmp_path, monkeypatch):
    bin_dir, voices = tmp_path / "bin", tmp_path / "voices"
    bin_dir.mkdir(), voices.mkdir()
    for program in ("piper", "aplay"):  # found on PATH, never run here
        (bin_dir / program).write_text("#!/bin/sh\nexit 1\n")
        (bin_dir / program).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    model = add_voice(voices, "nl_NL-mls-medium", 22050)
    speaker = Speaker(piper_voices=voices, wav_path="")
    assert speaker.engine("nl") == "piper"
    assert speaker.commands("nl") == [
        [str(bin_dir / "piper"), "--model", str(model), "--length_scale", "1.15", "--output_raw"],
        [str(bin_dir / "aplay"), "-q", "-r", "22050", "-f", "S16_LE", "-t", "raw", "-c", "1", "-"],
    ]
    wav = tmp_path / "x.wav"
    assert piper_commands(str(bin_dir / "piper"), PiperVoice(model, 22050), None, wav) == [
        [str(bin_dir / "piper"), "--model", str(model), "--length_scale", "1.15", "--output_file", str(wav)]]
    if shutil.which("espeak-ng"):
        assert speaker.engine("ar") == "espeak-ng"


def test_speech_and_the_text_rules_do_not_import_kivy():
    code = ("import sys, kiosk.a11y.speech, kiosk.a11y.readaloud\n"
            "bad = [m for m in sys.modules if m == 'kivy' or m.startswith('kivy.')]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
