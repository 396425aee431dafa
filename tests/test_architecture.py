"""Rules of the architecture that a test can hold."""
import subprocess

from tests.conftest import PYTHON, ROOT


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)


def run_and_list_modules(setup: str, picked: str) -> subprocess.CompletedProcess:
    """Run `setup` in a fresh interpreter, print the loaded modules `m` for which `picked` holds, and exit 1
    if there are any."""
    return run_python(f"import sys\n{setup}\nbad = [m for m in list(sys.modules) if {picked}]\n"
                      "print(bad); sys.exit(1 if bad else 0)\n")


def test_sync_never_imports_kivy():
    result = run_and_list_modules(
        "import pkgutil, importlib, sync\n"
        "for m in pkgutil.walk_packages(sync.__path__, 'sync.'): importlib.import_module(m.name)",
        "m == 'kivy' or m.startswith('kivy.')")
    assert result.returncode == 0, result.stdout + result.stderr


def test_programme_command_does_not_start_kivy(tmp_path):
    code = (
        "import sys, runpy\n"
        "sys.argv = ['main.py', 'programme', '--feed', 'assets/demo/ontmoetingskerk-sterrenburg.ics',"
        " '--date', '2024-03-13']\n"
        "try:\n    runpy.run_path('main.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str([m for m in sys.modules if m.startswith('kivy')]))\n"
    )
    result = run_python(code)
    assert result.stderr.strip().endswith("[]"), result.stderr


def test_what_the_kiosk_imports_at_start_leaves_heavy_parsers_for_first_use():
    # the feed parsers run in a child process (sync.isolated); phonenumbers loads at the first phone step
    result = run_and_list_modules(
        "import sync.worker, sync.callback.outbox, sync.callback.phone, sync.store, kiosk.a11y.readaloud",
        "m in ('icalendar', 'jsonschema', 'recurring_ical_events', 'phonenumbers')")
    assert result.returncode == 0, result.stdout + result.stderr
