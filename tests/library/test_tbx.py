"""TBX parse/serialize (issue 7): round trips, v2 martif, refusals with line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentbridge.errors import InputFileError
from talentbridge.library.tbx import parse_tbx, write_tbx

DATA = Path(__file__).parent / "data"
BUNDLED = Path(__file__).parents[2] / "src/talentbridge/library/data/termbase.tbx"


def test_tbx_basic_sample_is_read_with_modelled_fields_and_extras() -> None:
    doc = parse_tbx((DATA / "tbx_basic_sample.tbx").read_bytes())
    assert doc.dialect == "TBX-Basic"
    c1, c2 = doc.entries
    assert c1.entry_id == "c1" and c1.subject_field == "manufacturing"
    assert c1.definitions["en"].startswith("A component")
    assert any("customerSubset" in x for x in c1.extra)
    assert any("transacGrp" in x and "jsmith" in x for x in c1.extra)
    en = c1.lang("en")
    assert en is not None
    coupling, coupler = en.terms
    assert (coupling.text, coupling.status, coupling.term_type, coupling.part_of_speech) == (
        "coupling",
        "preferred",
        "fullForm",
        "noun",
    )
    assert coupling.context and coupling.source == "Maintenance manual, p. 12"
    assert coupling.extra == ['<termNote type="geographicalUsage">en-US</termNote>']
    assert coupler.status == "deprecated"
    de = c1.lang("de")
    assert de is not None and "grammaticalGender" in de.terms[0].extra[0]
    assert c2.note and c2.definitions["zh"].startswith("承运人")


@pytest.mark.parametrize("path", [DATA / "tbx_basic_sample.tbx", BUNDLED])
def test_round_trip_gives_the_same_entries(path: Path) -> None:
    if not path.exists():
        pytest.skip("bundled term base not written yet")
    first = parse_tbx(path.read_bytes())
    written = write_tbx(first.entries)
    second = parse_tbx(written)
    assert second.dialect == "TBX-Basic"
    assert second.entries == first.entries
    assert write_tbx(second.entries) == written


def test_v2_martif_is_read() -> None:
    doc = parse_tbx((DATA / "martif_v2_sample.tbx").read_bytes())
    assert doc.dialect == "martif:TBX-Basic"
    (entry,) = doc.entries
    assert entry.subject_field == "customs"
    zh = entry.lang("zh")
    assert zh is not None
    term = zh.terms[0]
    assert (term.text, term.part_of_speech, term.source) == ("报关", "verb", "海关法")
    assert term.context == "货物出口前须向海关报关。"
    again = parse_tbx(write_tbx(doc.entries))
    assert again.entries == doc.entries


def test_malformed_xml_is_refused_with_its_line() -> None:
    bad = b'<?xml version="1.0"?>\n<tbx type="TBX-Basic" style="dca">\n<text>\n</tbx>\n'
    with pytest.raises(InputFileError, match=r"line 4: not well-formed"):
        parse_tbx(bad, "bad.tbx")


def test_unknown_dialect_is_refused_with_its_line() -> None:
    bad = (
        b'<?xml version="1.0"?>\n\n<tbx type="TBX-Klingon" style="dca" '
        b'xmlns="urn:iso:std:iso:30042:ed:3.0"><text><body/></text></tbx>'
    )
    with pytest.raises(InputFileError, match=r"line 3: unknown TBX dialect 'TBX-Klingon'"):
        parse_tbx(bad)
    with pytest.raises(InputFileError, match=r"line 1: root element <html> is not TBX"):
        parse_tbx(b"<html/>")
    with pytest.raises(InputFileError, match=r"not in the TBX v3 namespace"):
        parse_tbx(b'<tbx type="TBX-Basic" style="dca"/>')


def test_billion_laughs_and_xxe_are_refused() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0">&lol2;</tbx>"""
    with pytest.raises(InputFileError, match=r"line 3: refused unsafe XML \(EntitiesForbidden"):
        parse_tbx(laughs)
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0">&xxe;</tbx>"""
    with pytest.raises(InputFileError, match=r"refused unsafe XML"):
        parse_tbx(xxe)


def test_entry_without_id_and_duplicate_ids_are_refused() -> None:
    head = b'<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed:3.0"><text><body>'
    with pytest.raises(InputFileError, match=r"line 2: <conceptEntry> without an id"):
        parse_tbx(head + b"\n<conceptEntry/></body></text></tbx>")
    dup = b'<conceptEntry id="a"/>\n<conceptEntry id="a"/>'
    with pytest.raises(InputFileError, match=r"line 2: duplicate conceptEntry id 'a'"):
        parse_tbx(head + dup + b"</body></text></tbx>")
