"""CC-CEDICT gloss mining (issue 7): candidates only, read from the shared file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.library.cedict import CedictEntry, mine_glosses, read_cedict, useful_glosses
from talentbridge.library.tbx import LangSection, TermEntry, TermItem
from talentbridge.library.termbase import store_entries
from talentbridge.store.library_tables import Term

CEDICT = "cc-cedict/cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _zh_only(entry_id: str, *texts: str) -> TermEntry:
    return TermEntry(entry_id, langs=[LangSection("zh", [TermItem(t, "preferred") for t in texts])])


def test_concepts_without_english_get_candidates_from_the_shared_file(
    factory: sessionmaker[Session],
) -> None:
    path = shared_file(CEDICT)
    with factory() as session:
        both = _zh_only("has-en", "集装箱")
        both.langs.append(LangSection("en", [TermItem("container", "preferred")]))
        store_entries(session, [_zh_only("bl", "提单"), _zh_only("decl", "报关"), both])
        session.commit()
        before = session.scalar(select(func.count()).select_from(Term))
        candidates = mine_glosses(session, path)
        after = session.scalar(select(func.count()).select_from(Term))
    found = {(c.entry_id, c.gloss) for c in candidates}
    assert ("bl", "bill of lading") in found
    assert ("decl", "to declare at customs") in found
    assert not any(c.entry_id == "has-en" for c in candidates)  # already has English
    assert before == after  # candidates are not applied
    assert all("CC BY-SA" in c.source for c in candidates)


def test_cross_references_are_not_candidates(tmp_path: Path) -> None:
    entry = CedictEntry("貨櫃", "货柜", "huo4 gui4", ("container", "CL:個|个", "see 集裝箱"))
    assert useful_glosses(entry) == ["container"]
    path = tmp_path / "mini.txt"
    path.write_text("# header\n貨櫃 货柜 [huo4 gui4] /container/CL:個|个/\n", encoding="utf-8")
    table = read_cedict(path, {"貨櫃"})
    assert table["貨櫃"][0].simplified == "货柜"
    with pytest.raises(InputFileError, match="file not found"):
        read_cedict(tmp_path / "missing.txt.gz")
