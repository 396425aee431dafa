"""The compiled catalogue is kept beside its .po and used while it is newer (kiosk.i18n.catalogues)."""
import gettext
import io
import os

from kiosk.i18n.catalogues import compiled

PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Today"\nmsgstr "{word}"\n'


def read(data: bytes, message: str = "Today") -> str:
    return gettext.GNUTranslations(io.BytesIO(data)).gettext(message)


def test_a_catalogue_is_compiled_once_and_again_when_its_po_changes(tmp_path):
    po = tmp_path / "wijkkiosk.po"
    po.write_text(PO.format(word="Vandaag"), encoding="utf-8")
    assert read(compiled(po, "nl")) == "Vandaag"
    mo = tmp_path / "wijkkiosk.mo"
    assert read(mo.read_bytes()) == "Vandaag" and [p.name for p in tmp_path.iterdir()].count("wijkkiosk.mo") == 1
    # the kept .mo is what the next start reads while it is newer than the .po
    po_time = po.stat().st_mtime_ns
    os.utime(mo, ns=(po_time + 10**9, po_time + 10**9))
    mo.write_bytes(compiled(po, "nl").replace(b"Vandaag", b"Kept!!!"))
    os.utime(mo, ns=(po_time + 10**9, po_time + 10**9))
    assert read(compiled(po, "nl")) == "Kept!!!"
    # a .po edited afterwards is compiled again
    po.write_text(PO.format(word="Heden"), encoding="utf-8")
    os.utime(po, ns=(po_time + 2 * 10**9, po_time + 2 * 10**9))
    assert read(compiled(po, "nl")) == "Heden" and read(mo.read_bytes()) == "Heden"


def test_a_folder_it_cannot_write_still_gives_the_catalogue(tmp_path):
    po = tmp_path / "wijkkiosk.po"
    po.write_text(PO.format(word="Vandaag"), encoding="utf-8")
    (tmp_path / "wijkkiosk.mo").mkdir()  # where the .mo would go: neither readable as one nor replaceable
    assert read(compiled(po, "nl")) == "Vandaag"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wijkkiosk.mo", "wijkkiosk.po"]
