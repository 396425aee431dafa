"""Read aloud: speak a text in one of the kiosk's languages through a local engine, without blocking.

No Kivy here. The app makes one `Speaker` and the "Voorlezen" button calls `speaker.toggle(text, lang)`.

Engines, per language:
- Piper, when a `piper` executable (on PATH or next to the Python interpreter, e.g. in the venv) and a
  voice for the language in the configured folder (`[speech] piper_voices`) exist. Voice discovery: the
  folder holds Piper voices as `<model>.onnx` with `<model>.onnx.json` beside it; the voice of language
  `xx` is `xx.onnx` if present (a symlink will do), else the first, alphabetically, of `xx_*.onnx`
  (e.g. `nl_NL-mls-medium.onnx`). Playing needs `aplay` (alsa-utils).
- espeak-ng otherwise (voices in ESPEAK_VOICES), a little slower than its default for older listeners.
- Neither: `available` is false and say() only logs, once.

The text goes to the engine on stdin, never on its command line (ps would show it), and is never logged.
With `wav_path=` (set by kiosk.diagnostics from WIJKKIOSK_SPEECH_WAV), each say() writes a WAV file
there instead of playing it (complete files only: written aside and renamed when the engine is done),
and first writes the exact text handed to the engine to `<path>.txt`, for tests.
"""
from __future__ import annotations

import atexit
import dataclasses
import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sync.texts import LANGUAGES

log = logging.getLogger("wijkkiosk.speech")

ESPEAK_VOICES = {"nl": "nl", "en": "en-gb", "ar": "ar", "tr": "tr", "pl": "pl", "uk": "uk"}  # one per LANGUAGES
ESPEAK_RATE = 150  # words per minute; espeak-ng's default is 175
PIPER_LENGTH_SCALE = 1.15  # > 1 is slower; Piper's default is 1.0
PIPER_DEFAULT_RATE = 22050  # samples per second, when a voice's .onnx.json does not say


@dataclasses.dataclass(frozen=True)
class PiperVoice:
    model: Path
    sample_rate: int


def find_piper_voice(folder: str | os.PathLike, lang: str) -> PiperVoice | None:
    """The Piper voice for `lang` in `folder` (see the module's docstring), or None."""
    if not folder:
        return None
    folder = Path(folder)
    exact = folder / f"{lang}.onnx"
    candidates = [exact] if exact.is_file() else []
    try:
        candidates += sorted(p for p in folder.glob(f"{lang}_*.onnx") if p.is_file())
    except OSError:
        return None
    for model in candidates:
        config = model.with_name(model.name + ".json")
        try:
            data = json.loads(config.read_text(encoding="utf-8"))
            rate = int(data.get("audio", {}).get("sample_rate", PIPER_DEFAULT_RATE))
        except FileNotFoundError:
            continue
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("speech: skipping Piper voice %s: unreadable %s (%s)", model.name, config.name, exc)
            continue
        return PiperVoice(model, rate)
    return None


def espeak_command(espeak: str, lang: str, wav: Path | None = None) -> list[str]:
    """espeak-ng reading the text from stdin, to the sound card or to `wav`."""
    command = [espeak, "-v", ESPEAK_VOICES.get(lang, lang), "-s", str(ESPEAK_RATE), "--stdin"]
    return command + (["-w", str(wav)] if wav else [])


def piper_commands(piper: str, voice: PiperVoice, aplay: str | None, wav: Path | None = None) -> list[list[str]]:
    """Piper reading the text from stdin, to `wav` or (piped through aplay) to the sound card."""
    command = [piper, "--model", str(voice.model), "--length_scale", str(PIPER_LENGTH_SCALE)]
    if wav:
        return [command + ["--output_file", str(wav)]]
    player = [aplay or "aplay", "-q", "-r", str(voice.sample_rate), "-f", "S16_LE", "-t", "raw", "-c", "1", "-"]
    return [command + ["--output_raw"], player]


def _find_piper() -> str | None:
    found = shutil.which("piper")
    if found:
        return found
    beside_python = Path(sys.executable).parent / "piper"
    return str(beside_python) if os.access(beside_python, os.X_OK) else None


class _Utterance:
    """The engine's processes for one say(): a pipeline in its own process group."""

    def __init__(self, processes: list[subprocess.Popen], wav_part: Path | None):
        self.processes = processes
        self.wav_part = wav_part
        self.stopped = False
        self.thread: threading.Thread | None = None  # feeds the text, waits, renames the WAV file


class Speaker:
    """Speaks one text at a time; a new say() stops the one before."""

    def __init__(self, piper_voices: str | os.PathLike = "", wav_path: str | os.PathLike | None = None):
        self.piper_voices = str(piper_voices or "")
        self.wav_path = Path(wav_path) if wav_path else None
        self._espeak = shutil.which("espeak-ng")
        self._piper = _find_piper()
        self._aplay = shutil.which("aplay")
        self._current: _Utterance | None = None
        self._counter = itertools.count(1)
        self._said_unavailable = False
        atexit.register(self.stop)

    # -- which engine ----------------------------------------------------------------------------

    def _piper_voice(self, lang: str) -> PiperVoice | None:
        if not self._piper or not (self.wav_path or self._aplay):
            return None
        return find_piper_voice(self.piper_voices, lang)

    def engine(self, lang: str) -> str | None:
        """"piper", "espeak-ng" or None: what say() would use for `lang`."""
        if self._piper_voice(lang):
            return "piper"
        return "espeak-ng" if self._espeak else None

    @property
    def available(self) -> bool:
        """Whether any engine exists (the app hides the button when not)."""
        return bool(self._espeak) or any(self._piper_voice(lang) for lang in LANGUAGES)

    def commands(self, lang: str, wav: Path | None = None) -> list[list[str]] | None:
        """The engine's command lines (a pipeline) for `lang`; the text is not among them."""
        voice = self._piper_voice(lang)
        if voice:
            return piper_commands(self._piper, voice, self._aplay, wav)
        if self._espeak:
            return [espeak_command(self._espeak, lang, wav)]
        return None

    # -- speaking --------------------------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        """True from say() until the engine is done (and its WAV file is in place) or stopped."""
        return self._current is not None and self._current.thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the current text is spoken (for tests and scripts); True when done."""
        utterance = self._current
        if utterance is not None:
            utterance.thread.join(timeout)
        return not self.speaking

    def say(self, text: str, lang: str) -> None:
        """Start speaking `text` (stopping anything still speaking); returns at once."""
        self.stop()
        if not text.strip():
            return
        wav_part = None
        if self.wav_path:
            wav_part = self.wav_path.with_name(f"{self.wav_path.name}.{os.getpid()}-{next(self._counter)}.part")
        commands = self.commands(lang, wav_part)
        if commands is None:
            if not self._said_unavailable:
                log.warning("speech: no engine (install espeak-ng, or piper with a voice); nothing is read aloud")
                self._said_unavailable = True
            return
        if self.wav_path:
            _write_atomically(self.wav_path.with_name(self.wav_path.name + ".txt"), text)
        try:
            processes = _start_pipeline(commands)
        except OSError as exc:
            log.warning("speech: cannot start %s: %s", Path(commands[0][0]).name, exc)
            return
        utterance = _Utterance(processes, wav_part)
        utterance.thread = threading.Thread(target=self._feed_and_wait, args=(utterance, text.encode("utf-8")),
                                            name="speech", daemon=True)
        utterance.thread.start()
        self._current = utterance
        log.info("speech: %s started (%s, %d characters)", Path(commands[0][0]).name, lang, len(text))

    def stop(self) -> None:
        """Stop speaking now (nothing happens when nothing is speaking)."""
        utterance, self._current = self._current, None
        if utterance is None:
            return
        utterance.stopped = True
        if all(process.returncode is not None for process in utterance.processes):
            return  # done and reaped: its process group id may belong to someone else by now
        group = utterance.processes[0].pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                for process in utterance.processes:
                    process.wait(timeout=2)
                break
            except subprocess.TimeoutExpired:
                continue
        _remove(utterance.wav_part)

    def toggle(self, text: str, lang: str) -> bool:
        """The button: stop when speaking, else say `text`. True when it started speaking."""
        if self.speaking:
            self.stop()
            return False
        self.say(text, lang)
        return self.speaking

    # -- the engine's thread -----------------------------------------------------------------------

    def _feed_and_wait(self, utterance: _Utterance, data: bytes) -> None:
        first = utterance.processes[0]
        try:
            first.stdin.write(data)
            first.stdin.close()
        except (BrokenPipeError, ValueError, OSError):
            pass  # stopped while feeding it
        codes = [process.wait() for process in utterance.processes]
        if utterance.stopped:
            _remove(utterance.wav_part)
            return
        if any(codes):
            log.warning("speech: the engine exited with %s", codes)
            _remove(utterance.wav_part)
            return
        if utterance.wav_part is not None:
            os.replace(utterance.wav_part, self.wav_path)
        log.info("speech: done")


def _start_pipeline(commands: list[list[str]]) -> list[subprocess.Popen]:
    """Start the commands, each one's stdout into the next one's stdin, in one new process group."""
    processes: list[subprocess.Popen] = []
    try:
        for i, command in enumerate(commands):
            last = i == len(commands) - 1
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE if i == 0 else processes[-1].stdout,
                stdout=subprocess.DEVNULL if last else subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                process_group=0 if i == 0 else processes[0].pid,
            )
            if i > 0:
                processes[-1].stdout.close()  # only the next process holds the pipe now
            processes.append(process)
    except OSError:
        if processes:
            os.killpg(processes[0].pid, signal.SIGKILL)
            for process in processes:
                process.wait()
        raise
    return processes


def _write_atomically(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def _remove(path: Path | None) -> None:
    if path is not None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
