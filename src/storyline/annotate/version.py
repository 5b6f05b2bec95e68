"""The version of what the annotate stages produce (a module of its own, so checking for
pending work does not import the stages)."""

#: bump when a stage changes what it produces: stored articles are then annotated again
ANNOTATION_VERSION = 6  # 4: hard-wrapped lines unwrapped, "Hun Sen." may end a sentence;
# 5: time expressions: "the year ended", "the 1988 quarter", "the latest period", no
# year-ago chaining, "recent months" durations, capitalised words are no past-tense cue
# 6: time expressions: "since" points back, past perfect beats deadline words, a date just
# ahead wins over one a year back, sub-day and vague offsets are durations, ages/shares/
# programme names are not time expressions, spoken years with a month or season
