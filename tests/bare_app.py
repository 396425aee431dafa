"""The baseline of tests.bench: a bare Kivy app showing one label, in a window set up like the kiosk's.

    python tests/bare_app.py [--size WxH]

Logs "first frame drawn" one clock tick after the first buffer swap, as the kiosk logs its first
programme frame. Kivy's defaults otherwise: its default clock at 60 fps. tests.bench_app gives it the
kiosk's multisampling (KCFG_GRAPHICS_MULTISAMPLES: none without a GPU, kiosk/cli.py).
"""
import argparse
import logging
import os
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--size", default="800x480")
width, height = parser.parse_args().size.split("x")
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # as main.py
for key, value in {
    "KIVY_NO_ARGS": "1",
    "KIVY_HOME": tempfile.mkdtemp(prefix="bare-kivy-"),
    "KCFG_KIVY_LOG_ENABLE": "0",
    "KCFG_KIVY_EXIT_ON_ESCAPE": "0",
    "KCFG_GRAPHICS_RESIZABLE": "0",
    "KCFG_GRAPHICS_POSITION": "custom",
    "KCFG_GRAPHICS_LEFT": "0",
    "KCFG_GRAPHICS_TOP": "0",
    "KCFG_GRAPHICS_WIDTH": width,
    "KCFG_GRAPHICS_HEIGHT": height,
    "KCFG_GRAPHICS_FULLSCREEN": "0",
    "KCFG_GRAPHICS_BORDERLESS": "1",
}.items():
    os.environ.setdefault(key, value)

from kivy.app import App  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.label import Label  # noqa: E402

log = logging.getLogger("bare")


class BareApp(App):
    def build(self):
        Window.bind(on_flip=self._first_frame)
        return Label(text="Wijkkiosk", font_size=40)

    def _first_frame(self, *_args):
        Window.unbind(on_flip=self._first_frame)  # on_flip runs just before the swap
        Clock.schedule_once(lambda _dt: log.info("first frame drawn"))


if __name__ == "__main__":
    BareApp().run()
