"""Verbatim evidence: runs of words outside quotations, quotations cut by a sentence end."""

from __future__ import annotations

from storyline.link.verbatim import outside_quotations, word_runs


def test_quotations_are_left_out_even_when_they_span_sentences() -> None:
    assert outside_quotations('He said "we will go home" and left.') == ["He said ", " and left."]
    assert outside_quotations("Police called it ``potentially suspicious ''.") == [
        "Police called it ",
        ".",
    ]
    assert "".join(outside_quotations("She wrote, “It is official: I am hosting!")) == (
        "She wrote, "
    )  # the quotation runs on into the next sentence
    assert "".join(outside_quotations("the third time is the charm,” she said.")) == " she said."
    assert outside_quotations("Nobody was hurt in the blaze.") == ["Nobody was hurt in the blaze."]


def test_word_runs_are_case_folded_and_broken_by_quotations() -> None:
    runs = word_runs('Rescue Crews reached the village "after a long night" on Thursday.', 3)
    assert ("rescue", "crews", "reached") in runs
    assert ("the", "village", "on") not in runs  # a quotation breaks the run
    assert not any("night" in run for run in runs)
    assert word_runs("Too short.", 5) == frozenset()
