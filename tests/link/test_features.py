"""Text features of the link stages: content terms, adjacent pairs, entity keys."""

from __future__ import annotations

from storyline.link.features import content_terms, entity_key, with_pairs, words


def test_content_terms_fold_stem_and_drop_stop_words() -> None:
    assert content_terms("The Talks in Jenin's camps said Séjour") == [
        "talk",
        "jenin",
        "camp",
        "sejour",
    ]
    assert content_terms("It's 9 o'clock") == ["9", "o'clock"]


def test_words_drop_possessives_with_either_apostrophe() -> None:
    expected = ["blinken", "visit", "and", "abbas", "talks"]
    assert words("Blinken’s visit and Abbas's talks") == expected


def test_pairs_follow_the_terms_and_stay_inside_one_sentence() -> None:
    first, second = content_terms("Red Sox offer Teixeira"), content_terms("Angels wait.")
    terms = with_pairs(first) + with_pairs(second)
    assert terms[:3] == ["red", "sox", "offer"]
    assert {"red sox", "sox offer", "offer teixeira", "angel wait"} <= set(terms)
    assert "teixeira angel" not in terms
    assert with_pairs(["one"]) == ["one"] and with_pairs([]) == []


def test_entity_keys_drop_articles_and_particles() -> None:
    assert entity_key("the Abdel-Fattah al-Sisi") == "abdel fattah sisi"
