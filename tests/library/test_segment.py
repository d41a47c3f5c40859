from talentbridge.library.segment import segment_text, stem


def test_chinese_is_cut_into_words_including_two_character_words() -> None:
    tokens = segment_text("进出口货物报关单填制规范").split()
    assert "报关" in tokens
    assert "货物" in tokens


def test_english_is_lowercased_and_stemmed() -> None:
    tokens = segment_text("Shipping Containers were LOADED").split()
    assert tokens == ["ship", "container", "were", "load"]
    assert stem("declarations") == stem("declaration")


def test_abbreviations_are_kept_as_one_token() -> None:
    assert segment_text("Issue the B/L and the L/C") == "issue the bl and the lc"


def test_mixed_text_and_empty() -> None:
    out = segment_text("海运提单 ocean bills of lading")
    assert "提单" in out.split()
    assert "bill" in out.split()
    assert segment_text("") == ""
