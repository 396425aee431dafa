"""Arabic on screen: joined letters, right-to-left lines, mirrored brackets; Latin text left alone."""
import os

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kiosk.i18n.shaping import mirrored, needs_shaping, shaped, visual  # noqa: E402

BACK = "رجوع"  # "back"


def test_arabic_letters_are_joined():
    # isolated letters (U+06xx) become their joined presentation forms (U+FExx)
    assert all("\u0600" <= c <= "\u06ff" for c in BACK)
    assert all("\ufe70" <= c <= "\ufeff" for c in shaped(BACK))


def test_a_line_is_drawn_right_to_left_with_latin_names_and_times_in_their_own_order():
    line = visual("المكان: Grote zaal 17:30", True)
    assert line.startswith("Grote zaal 17:30 :")  # the Latin run and the time keep their order...
    assert line.endswith(shaped("المكان")[::-1])  # ...and the Arabic word is reversed, at the right


def test_brackets_and_chevrons_are_mirrored_in_right_to_left_runs_only():
    assert visual("‹ " + BACK, True).endswith("›")
    assert visual("(" + BACK + ") Kookhuis (17:30)", True) == "(17:30) Kookhuis (" + shaped(BACK)[::-1] + ")"
    assert mirrored("Kookhuis (nl)", True) == "Kookhuis (nl)"  # between Latin letters: unchanged


def test_text_without_right_to_left_letters_keeps_its_order():
    for text in ("Loop binnen voor een kop koffie?", "09:30 – 12:00", "‹  Terug"):
        assert not needs_shaping(text)
        assert visual(text, True) == text and visual(text, False) == text


def test_the_kept_forms_are_the_libraries_own():
    # a start in Dutch draws one right-to-left text, the language bar's Arabic name, from kept forms: they
    # must be exactly what the libraries give, for every right-to-left language name the bar shows
    import arabic_reshaper
    from bidi import get_display

    from kiosk.i18n import shaping
    from kiosk.i18n.catalogues import LANGUAGES

    names = {name for name in LANGUAGES.values() if needs_shaping(name)}
    assert names and names == set(shaping.KNOWN_SHAPED), "keep every right-to-left language name's forms"
    for name in names:
        assert shaping.KNOWN_SHAPED[name] == arabic_reshaper.reshape(name)
        for rtl in (True, False):
            assert shaping.KNOWN_VISUAL[name, rtl] == get_display(arabic_reshaper.reshape(name),
                                                                   base_dir="R" if rtl else "L")


def test_a_start_in_dutch_does_not_load_the_shaping_libraries(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = ("from kiosk.i18n import shaping; from kiosk.i18n.catalogues import LANGUAGES; import sys\n"
            "[(shaping.shaped(name), shaping.visual(name, rtl)) for name in LANGUAGES.values() for rtl in (0, 1)]\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('arabic_reshaper', 'bidi')))")
    env = dict(os.environ, KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON", KIVY_HOME=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr[-2000:]
