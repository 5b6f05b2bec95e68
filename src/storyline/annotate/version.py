"""The version of what the annotate stages produce (a module of its own, so checking for
pending work does not import the stages)."""

#: bump when a stage changes what it produces: stored articles are then annotated again
ANNOTATION_VERSION = 9  # 4: hard-wrapped lines unwrapped, "Hun Sen." may end a sentence;
# 5: time expressions: "the year ended", "the 1988 quarter", "the latest period", no
# year-ago chaining, "recent months" durations, capitalised words are no past-tense cue
# 6: time expressions: "since" points back, past perfect beats deadline words, a date just
# ahead wins over one a year back, sub-day and vague offsets are durations, ages/shares/
# programme names are not time expressions, spoken years with a month or season
# 7: time expressions: counted offsets before an event are durations, quarters by fiscal
# year or end date, "last year" figures in quarterly reports, "the past year/week" dates,
# GMT clock times, fortnights, seasonal sets, Easter, datelines, present-tense schedules,
# month/day ranges, clause-aware tense cues, names ("USA Today", "Super Tuesday") dropped
# 8: time expressions: the year in focus of a paragraph ("In 2008, ... in mid-September"),
# possessive days in previews, dates naming known events, feasts and US holidays, FY codes,
# "-long" periods, spoken days, "March" mid-sentence, newspaper names, "soon" in the past
# 9: time expressions: "recent years"/"the coming weeks" are vague durations, "this weekend"
# in the past tense on a weekday is the one just past, a fronted "By <time>," takes the main
# clause's tense, "forecast" as a past participle, Election Day, "June 16th of last year",
# "couple days"; "Christmas trees" and "the past nine elections" are not time expressions
