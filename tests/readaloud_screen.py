"""A screen of plain Kivy widgets, read aloud: run by tests/test_readaloud.py in its own process.

    SDL_VIDEODRIVER=offscreen WIJKKIOSK_SPEECH_WAV=out.wav python -m tests.readaloud_screen nl|ar

Builds a programme screen with everything the collector must skip (a name and phone number display
and a keypad marked `read_aloud = False`, a hidden, a disabled, a zero-size and an off-screen label, a
list scrolled out of view, a phone number in a sentence), prints {"text": what screen_text collected}
as JSON, and hands that text to a Speaker, which writes the WAV file named in the environment.
Kivy is imported and its environment set only in main(): the tests import this module's texts.
"""
import json
import os
import sys
import tempfile

TEXTS = {
    "nl": {
        "title": "[b]Programma van vandaag[/b]",
        "rows": [("10:00 – 12:00", "Koffieochtend", "Grote zaal"), ("14:00 – 16:00", "Bingo", "Zaal 2")],
        "note": "Vragen? Bel ons op 078 123 4567 of kom langs.",
        "buttons": ("Terug", "Bel mij terug"),
        "later": "Avondwandeling",
    },
    "ar": {
        "title": "[b]برنامج اليوم[/b]",
        "rows": [("10:00 – 12:00", "صباح القهوة", "Grote zaal"), ("14:00 – 16:00", "بينغو", "Zaal 2")],
        "note": "أسئلة؟ اتصل بنا على 078 123 4567 أو تعال إلينا.",
        "buttons": ("رجوع", "اتصلوا بي"),
        "later": "نزهة مسائية",
    },
}
PRIVATE = ("Jan Jansen", "06 1234 5678")


def build(lang: str):
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.button import Button
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView
    from kivy.uix.widget import Widget

    texts, rtl = TEXTS[lang], lang == "ar"
    root = BoxLayout(orientation="vertical", padding=10, spacing=4)
    root.add_widget(Label(text=texts["title"], markup=True, size_hint_y=None, height=50))
    for cells in texts["rows"]:
        row = BoxLayout(size_hint_y=None, height=40)
        for text in reversed(cells) if rtl else cells:  # right-to-left screens mirror the row
            row.add_widget(Label(text=text))
        root.add_widget(row)
    root.add_widget(Label(text=texts["note"], size_hint_y=None, height=30))

    private = BoxLayout(size_hint_y=None, height=60)  # the form's name and number, and its keypad
    private.read_aloud = False
    private.add_widget(Label(text=PRIVATE[0]))
    private.add_widget(Label(text=PRIVATE[1]))
    keypad = GridLayout(cols=3)
    for digit in "123456789":
        keypad.add_widget(Button(text=digit))
    private.add_widget(keypad)
    root.add_widget(private)

    skipped = BoxLayout(size_hint_y=None, height=30)
    skipped.add_widget(Label(text="Verborgen", opacity=0))
    skipped.add_widget(Button(text="Uitgeschakeld", disabled=True))
    skipped.add_widget(Label(text="Nul", size_hint=(None, None), size=(0, 0)))
    root.add_widget(skipped)
    off_screen = Widget(size_hint_y=None, height=0)
    off_screen.add_widget(Label(text="Buiten beeld", pos=(-2000, 0), size=(200, 30)))
    root.add_widget(off_screen)

    scroll = ScrollView(size_hint_y=None, height=40, do_scroll_x=False)
    items = BoxLayout(orientation="vertical", size_hint_y=None, height=200)
    items.add_widget(Label(text=texts["later"], size_hint_y=None, height=40))
    for i in range(4):
        items.add_widget(Label(text=f"Onzichtbaar {i}", size_hint_y=None, height=40))
    scroll.add_widget(items)
    scroll.scroll_y = 1  # the top of the list in view: only its first item
    root.add_widget(scroll)

    buttons = BoxLayout(size_hint_y=None, height=60, spacing=10)
    for text in reversed(texts["buttons"]) if rtl else texts["buttons"]:
        buttons.add_widget(Button(text=text))
    root.add_widget(buttons)
    return root


def main(lang: str) -> None:
    for key, value in {"KIVY_NO_ARGS": "1", "KIVY_HOME": tempfile.mkdtemp(prefix="readaloud-kivy-"),
                       "KIVY_NO_CONSOLELOG": "1", "KCFG_KIVY_LOG_ENABLE": "0",
                       "KCFG_GRAPHICS_WIDTH": "800", "KCFG_GRAPHICS_HEIGHT": "480"}.items():
        os.environ.setdefault(key, value)
    from kivy.base import EventLoop
    from kivy.core.window import Window

    from kiosk.a11y.readaloud import screen_text
    from kiosk.a11y.speech import Speaker

    root = build(lang)
    Window.add_widget(root)
    for _ in range(5):
        EventLoop.idle()
    text = screen_text(root, lang)
    speaker = Speaker(wav_path=os.environ.get("WIJKKIOSK_SPEECH_WAV", ""))  # as kiosk.diagnostics does
    speaker.say(text, lang)
    speaker.wait(60)
    print(json.dumps({"text": text, "engine": speaker.engine(lang), "window": list(Window.size)}))


if __name__ == "__main__":
    main(sys.argv[1])
