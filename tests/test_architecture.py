"""Rules of the architecture that a test can hold."""
import ast
import re
import subprocess
from pathlib import Path

from tests.conftest import PYTHON, ROOT


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)


def run_and_list_modules(setup: str, picked: str) -> subprocess.CompletedProcess:
    """Run `setup` in a fresh interpreter, print the loaded modules `m` for which `picked` holds, and exit 1
    if there are any."""
    return run_python(f"import sys\n{setup}\nbad = [m for m in list(sys.modules) if {picked}]\n"
                      "print(bad); sys.exit(1 if bad else 0)\n")


def test_sync_never_imports_kivy_or_kiosk():
    result = run_and_list_modules(
        "import pkgutil, importlib, sync\n"
        "for m in pkgutil.walk_packages(sync.__path__, 'sync.'): importlib.import_module(m.name)",
        "m.split('.')[0] in ('kivy', 'kiosk')")
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



def imported_at_start(entry: str) -> set[str]:
    """The modules that importing `entry` imports before any function runs: the project's own modules
    followed through their module-level imports (not those inside functions or `if TYPE_CHECKING`), and
    the top-level names of the libraries they import."""
    def source_of(name: str) -> Path | None:
        for path in (ROOT / (name.replace(".", "/") + ".py"), ROOT / name.replace(".", "/") / "__init__.py"):
            if path.exists():
                return path
        return None

    seen, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = source_of(name)
        if source is None:
            continue
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                         if source_of(f"{node.module}.{alias.name}")]
            else:
                continue
            for module in found:
                parts = module.split(".")
                todo += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]  # a package's __init__ too
    return {m for m in seen if source_of(m) or "." not in m}


def test_before_the_first_frame_the_kiosk_imports_only_the_home_screen():
    # other screens (their modules and kv rules) are imported when first needed or at rest after the start
    # (kiosk/screens/manager.py), so are the worker's fetching and delivery;
    # babel's .po reader only when a catalogue changed
    at_start = imported_at_start("kiosk.app")
    assert "kiosk.screens.home" in at_start and "kivy" in at_start  # the walk follows the imports
    deferred = {"kiosk.screens.activity", "kiosk.screens.admin", "kiosk.screens.standby",
                "kiosk.screens.callback_steps", "sync.callback.delivery", "sync.callback.channels",
                "sync.schedule.feeds", "sync.version", "requests", "icalendar", "phonenumbers",
                "babel.messages", "arabic_reshaper", "bidi"}
    assert not at_start & deferred, at_start & deferred


def modules(package: str):
    """Every module of a package and its subpackages, found as pkgutil.walk_packages does, with its source."""
    import importlib.util
    import pkgutil

    path = ROOT / package
    for info in pkgutil.walk_packages([str(path)], package + "."):
        spec = importlib.util.find_spec(info.name)
        yield info.name, Path(spec.origin)


def imported_names(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_screens_ask_the_controller_and_touch_no_store_or_worker():
    for name, source in modules("kiosk.screens"):
        imports = imported_names(source)
        assert not {m for m in imports if m.startswith(("sync.store", "sync.worker", "kiosk.bridge"))}, name
        reached = {node.attr for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Attribute)}
        assert not reached & {"store", "worker", "bridge"}, name
    for kv in (ROOT / "kiosk").rglob("*.kv"):
        assert not re.search(r"\bapp\.(store|worker|bridge)\b", kv.read_text(encoding="utf-8")), kv


def test_screens_and_widgets_get_what_they_need_handed_down_not_from_the_running_app():
    """Attributes down: kv binds the app's properties to theirs, the app wires its collaborators; only the
    app and the probes for tests (diagnostics) look the app up."""
    reaching = []
    for package in ("kiosk.screens", "kiosk.widgets", "kiosk.i18n", "kiosk.a11y", "kiosk.platform"):
        for name, source in modules(package):
            calls = {node.attr for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                     if isinstance(node, ast.Attribute)}
            if "get_running_app" in calls:
                reaching.append(name)
    assert reaching == []


def test_only_diagnostics_reads_wijkkiosk_variables():
    readers = []
    for package in ("kiosk", "sync"):
        for name, source in modules(package):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("WIJKKIOSK_"):
                    readers.append(name)
    assert readers and all(name.startswith("kiosk.diagnostics") for name in readers), readers
    assert "WIJKKIOSK_" not in (ROOT / "main.py").read_text(encoding="utf-8")


def test_every_folder_of_code_is_a_package_that_says_what_it_holds():
    for package in ("kiosk", "sync"):
        for folder in [ROOT / package, *(p for p in (ROOT / package).rglob("*") if p.is_dir())]:
            if folder.name == "__pycache__":
                continue
            init = folder / "__init__.py"
            assert init.exists(), folder
            assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
