"""The kept kv parsing (kiosk/kvcache.py): the same rules as Kivy's own parser makes, made again when
the file changes, and never in the way when it cannot be kept or read."""
import collections
import pickle
import shutil

import pytest
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.lang import builder as kivy_builder
from kivy.lang.parser import Parser, ParserException

from kiosk import kvcache
from tests.conftest import ROOT

KV_FILES = sorted((ROOT / "kiosk").rglob("*.kv"))


def shape(node):
    """Everything Kivy's Builder reads of a parsed rule tree (code objects compare by their code)."""
    if isinstance(node, Parser):
        return {"rules": [(selector.key, shape(rule)) for selector, rule in node.rules],
                "dynamic": node.dynamic_classes, "templates": [t[0] for t in node.templates],
                "directives": node.directives, "root": shape(node.root) if node.root else None}
    properties = {name: (p.value, p.mode, p.watched_keys, p.co_value)
                  for name, p in node.properties.items()}
    handlers = [(h.name, h.value, h.co_value) for h in node.handlers]
    canvases = [shape(c) if c else None for c in (node.canvas_before, node.canvas_root, node.canvas_after)]
    return {"name": node.name, "id": node.id, "line": node.line, "properties": properties, "handlers": handlers,
            "children": [shape(child) for child in node.children], "canvas": canvases,
            "avoid_previous_rules": node.avoid_previous_rules}


@pytest.mark.parametrize("kv", KV_FILES, ids=lambda p: p.name)
def test_the_kept_rules_are_kivys_own(kv, tmp_path):
    copy = tmp_path / kv.name
    shutil.copy(kv, copy)
    text = copy.read_text(encoding="utf-8")
    made = kvcache.parsed(text, str(copy))
    assert kvcache.kept_path(str(copy)).is_file()
    with pytest.MonkeyPatch.context() as patch:  # read back, not parsed again
        patch.setattr(Parser, "parse", lambda *_args: pytest.fail("parsed again"))
        kept = kvcache.parsed(text, str(copy))
    assert kept is not made
    assert shape(kept) == shape(made) == shape(Parser(content=text, filename=str(copy)))
    assert kept.rules and kept.rules[0][1].ctx is kept  # error messages and unloading find the file


SIMPLE = "<KeptLabel@Label>:\n    text: 'een'\n    font_size: 10 * 2\n"


def test_a_changed_file_is_parsed_again(tmp_path):
    kv = tmp_path / "simple.kv"
    kvcache.parsed(SIMPLE, str(kv))
    changed = SIMPLE.replace("'een'", "'twee'")
    rule = kvcache.parsed(changed, str(kv)).rules[0][1]
    assert rule.properties["text"].value == "'twee'"
    assert kvcache.parsed(changed, str(kv)).rules[0][1].properties["text"].value == "'twee'"  # and kept


def test_a_damaged_kept_file_is_parsed_again_and_replaced(tmp_path):
    kv = tmp_path / "simple.kv"
    kvcache.parsed(SIMPLE, str(kv))
    kept = kvcache.kept_path(str(kv))
    good = kept.read_bytes()
    kept.write_bytes(good[:-20])  # cut short after its text: the rules do not unpickle
    assert kvcache.parsed(SIMPLE, str(kv)).rules[0][1].properties["text"].value == "'een'"
    assert kept.read_bytes() == good


def test_nothing_kept_where_nothing_can_be_written(tmp_path):
    kv = tmp_path / "simple.kv"
    (tmp_path / "__pycache__").write_text("a file where the folder would be")  # refuses even root
    assert kvcache.parsed(SIMPLE, str(kv)).rules[0][1].properties["font_size"].value == "10 * 2"
    assert not kvcache.kept_path(str(kv)).exists()


def test_the_kiosk_loads_its_kv_files_through_the_cache():
    direct = [str(path.relative_to(ROOT)) for path in (ROOT / "kiosk").rglob("*.py")
              if path.name != "kvcache.py" and "Builder.load_file" in path.read_text(encoding="utf-8")]
    assert direct == []


def test_a_kept_file_still_runs_its_directives(tmp_path):
    from kivy.lang.parser import global_idmap

    kv = tmp_path / "directives.kv"
    text = "#:set kept_answer 42\n#:import kept_math math\n" + SIMPLE
    kvcache.parsed(text, str(kv))
    global_idmap.pop("kept_answer"), global_idmap.pop("kept_math")
    kvcache.parsed(text, str(kv))  # from the kept file
    assert global_idmap.pop("kept_answer") == 42 and global_idmap.pop("kept_math").__name__ == "math"


def test_a_kept_file_with_anything_but_parsed_rules_is_not_used(tmp_path):
    kv = tmp_path / "simple.kv"
    kvcache.parsed(SIMPLE, str(kv))
    kept = kvcache.kept_path(str(kv))
    key = kept.read_bytes()[:len(str(kv)) + len(SIMPLE) + 2]
    kept.write_bytes(key + pickle.dumps(collections.Counter("abc")))  # any other class: refused, parsed again
    assert kvcache.parsed(SIMPLE, str(kv)).rules[0][1].properties["text"].value == "'een'"


def test_loading_gives_the_builder_the_rules_and_classes_of_the_file(tmp_path):
    kv = tmp_path / "loaded.kv"
    kv.write_text("<KeptLoadedLabel@Label>:\n    text: 'geladen'\n", encoding="utf-8")
    for _ in range(2):  # parsed, then read back
        kvcache.load(kv)
        assert kivy_builder.Parser is Parser
        assert [rule.ctx.filename for _, rule in Builder.rules if rule.name == "<KeptLoadedLabel@Label>"] == [str(kv)]
        assert Factory.classes["KeptLoadedLabel"]["baseclasses"] == "Label"  # a dynamic class, registered
        Builder.unload_file(str(kv))
        assert not [rule for _, rule in Builder.rules if rule.ctx.filename == str(kv)]
        Factory.unregister("KeptLoadedLabel")
    broken = tmp_path / "broken.kv"
    broken.write_text("<KeptBroken@Label>:\n    text: (\n", encoding="utf-8")
    with pytest.raises((ParserException, SyntaxError)):  # as Builder.load_file raises them
        kvcache.load(broken)
    assert kivy_builder.Parser is Parser
