"""The visitor's session: language, text size, reading aloud, and the idle guard that ends the visit.

Its configuration (the inactivity times, the Piper voices) comes in through `configure()`, at start and
at every reload, which builds a new idle guard and a new speaker. What kv binds to (`app.lang`,
`app.text_step`, `app.speaking`, `app.speech_available`) stays on the app: attributes down.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window

from sync.config import Config
from kiosk.a11y.speech import Speaker
from kiosk.i18n.catalogues import DEFAULT_LANGUAGE
from kiosk.idle import IdleGuard
from kiosk.metrics import TEXT_SCALES
from kiosk.widgets.toolbar import LanguagePicker

RESTING_SCREENS = ("home", "closed", "clock")  # no visit under way: nothing to forget


class VisitorSession:
    def __init__(self, app, config: Config, speech_wav: str = ""):
        self.app = app
        self.speech_wav = speech_wav  # diagnostics: speech to a WAV file instead of the speakers
        self.config: Config | None = None
        self.idle: IdleGuard | None = None
        self.speaker: Speaker | None = None
        self.configure(config)

    def configure(self, config: Config) -> None:
        """A new idle guard and speaker for `config`; a visit under way keeps its guard running."""
        running = self.idle is not None and self.idle.active
        self.stop()
        self.config = config
        self.idle = IdleGuard(config.inactivity_seconds, config.idle_warning_seconds, self.reset)
        self.speaker = Speaker(piper_voices=config.piper_voices, wav_path=self.speech_wav)
        self.app.speech_available = self.speaker.available
        if running:
            self.idle.start()

    def stop(self) -> None:
        if self.idle is not None:
            self.idle.stop()
        self.stop_speaking()

    # -- the visitor's tools ---------------------------------------------------------------------

    def open_language_picker(self) -> None:
        LanguagePicker(self.choose_language, font_size=26 * self.app.fs).open()

    def choose_language(self, lang: str) -> None:
        self.stop_speaking()
        self.app.lang = lang
        self.app.figures.language(lang)
        self.app.programme.refresh()

    def next_text_size(self) -> None:
        self.app.text_step = (self.app.text_step + 1) % len(TEXT_SCALES)
        self.app.figures.text_size(round(TEXT_SCALES[self.app.text_step] * 100))

    def read_aloud(self) -> None:
        """Speak the current screen (a picker or warning on top of it included), or stop speaking."""
        from kiosk.a11y.readaloud import screen_text  # here: not needed before the first frame

        root = self.app.root
        on_top = [w for w in Window.children if w is not root]
        text = " ".join(screen_text(w, self.app.lang) for w in [*reversed(on_top), root.current_screen])
        self.app.speaking = self.speaker.toggle(text, self.app.lang)
        if self.app.speaking:
            self.app.figures.read_aloud()
            Clock.schedule_interval(self._watch_speaker, 0.5)

    def _watch_speaker(self, _dt) -> bool:
        self.app.speaking = self.speaker.speaking
        return self.app.speaking  # False ends the interval

    def stop_speaking(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()
        self.app.speaking = False

    def more_time(self) -> None:
        self.idle.poke()

    # -- the visit -------------------------------------------------------------------------------

    def reset(self) -> None:
        """After inactivity: the next visitor starts in Dutch, with normal text and silence."""
        self.stop_speaking()
        self.app.text_step = 0
        self.app.lang = DEFAULT_LANGUAGE
        self.app.go_home()

    def screen_changed(self, name: str) -> None:
        self.stop_speaking()  # it was reading the screen that is gone
        if name in RESTING_SCREENS:
            self.idle.stop()
        else:
            self.idle.start()
