"""The version of what the annotate stages produce (a module of its own, so checking for
pending work does not import the stages)."""

#: bump when a stage changes what it produces: stored articles are then annotated again
ANNOTATION_VERSION = 5  # 4: hard-wrapped lines unwrapped, "Hun Sen." may end a sentence;
# 5: time expressions: "the year ended", "the 1988 quarter", "the latest period", no
# year-ago chaining, "recent months" durations, capitalised words are no past-tense cue
