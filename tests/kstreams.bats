#!/usr/bin/env bats
# Kafka Streams' own aggregation tests, run on kcount and kwindow.
#
# Each case comes from a test in apache/kafka,
# streams/src/test/java/org/apache/kafka/streams/kstream/internals/
# (KStreamWindowAggregateTest, TimeWindowedKStreamImplTest,
# KStreamSlidingWindowAggregateTest, SessionWindowedKStreamImplTest,
# KStreamSessionWindowAggregateProcessorTest, KGroupedStreamImplTest,
# KTableAggregateTest, SuppressScenarioTest), restated in our
# own words: tests/fixtures/ks-NN-name.in.jsonl is the input,
# ks-NN-name.out.jsonl the records Kafka Streams forwards for it with caching
# disabled (every update forwarded), in order, and ks-NN-name.late.jsonl, for
# a case with late records, what --late FILE holds for them.  A record late
# for some of its windows but not all ("partly late") is not a late record.
# Where the Kafka test asserts less than the whole ordered output, the
# "unsure" comment says what the rest is derived from.
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T), input on stdin.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

# Run a command with its standard output in $T/actual (bytes kept exactly),
# its status and stderr left to bats' run.
to_file() {
	"$@" > "$T/actual"
}

# source: KStreamWindowAggregateTest.testAggBasic (ON_WINDOW_UPDATE)
# what it shows: hopping 10/5: a record updates every window holding it, oldest start first; out-of-order records within grace update old windows; result ts = max ts in the window
# note: ts 3, 2 and 9 for B arrive after stream time 14; [0,10) is still open (end 10 > 14 - 100), and its result keeps ts 8 (the max), then 9
@test "kwindow --hopping: a record updates every window holding it, oldest start first; an out-of-order record within grace updates old windows (KStreamWindowAggregateTest.testAggBasic)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --grace 100 --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-01-hopping-agg-basic.in.jsonl"
	diff -u "$FIX/ks-01-hopping-agg-basic.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: TimeWindowedKStreamImplTest.shouldCountWindowed (ON_WINDOW_UPDATE, caching off)
# what it shows: tumbling 500 count, grace 0; an out-of-order record in an open window keeps the larger ts
@test "kcount --tumbling: one update per record; an out-of-order record keeps the larger ts (TimeWindowedKStreamImplTest.shouldCountWindowed)" {
	run -0 --separate-stderr to_file kcount --tumbling 500 < "$FIX/ks-02-tumbling-count.in.jsonl"
	diff -u "$FIX/ks-02-tumbling-count.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: TimeWindowedKStreamImplTest.shouldCountWindowed (ON_WINDOW_CLOSE)
# what it shows: emit final: a window is emitted once when stream time reaches its end (+grace 0); windows closing together go by window start, then key; [1000,1500) stays open
# note: [0,500) is emitted while processing the record at 500 (end 500 <= 500 - 0); the two [500,1000) windows while processing the record at 1000, key 1 before key 2
@test "kcount --tumbling --emit final: each window once when it closes, by start then key (TimeWindowedKStreamImplTest.shouldCountWindowed, onWindowClose)" {
	run -0 --separate-stderr to_file kcount --tumbling 500 --emit final < "$FIX/ks-03-tumbling-count-final.in.jsonl"
	diff -u "$FIX/ks-03-tumbling-count-final.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: TimeWindowedKStreamImplTest.shouldReduceWindowed (ON_WINDOW_UPDATE)
# what it shows: reduce (no initializer): the first value of a window is its aggregate
@test "kwindow --tumbling --init null: the first value of a window is its aggregate, as reduce (TimeWindowedKStreamImplTest.shouldReduceWindowed)" {
	run -0 --separate-stderr to_file kwindow --tumbling 500 --init null --reduce 'if . == null then $record.value else . + "+" + $record.value end' < "$FIX/ks-04-tumbling-reduce.in.jsonl"
	diff -u "$FIX/ks-04-tumbling-reduce.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindow (ON_WINDOW_UPDATE)
# what it shows: lateness is per window: at stream time 100 with grace 90, [0,10) is closed (10 <= 100-90) but [5,15) is open, so ts 5 and 6 still update [5,15)
# note: Kafka's dropped-records metric counts 7, one per skipped window
# note: ts 0..4 fall only into [0,10) (no window starts before 0), so they are wholly late
# partly-late: {"ts":5,"key":"k","value":"5"} was dropped from [0,10) only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
# partly-late: {"ts":6,"key":"k","value":"6"} was dropped from [0,10) only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
@test "kwindow --hopping: lateness is per window; a record late for one window still goes into the next (KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindow)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --grace 90 --init '""' --reduce '. + "+" + $record.value' --late "$T/late" < "$FIX/ks-05-hopping-partly-late.in.jsonl"
	diff -u "$FIX/ks-05-hopping-partly-late.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-05-hopping-partly-late.late.jsonl" "$T/late"
	check_stderr <<EOF
kwindow: dropped 7 late records (see '$T/late')
EOF
}

# source: KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindow (ON_WINDOW_CLOSE)
# what it shows: emit final of the previous case: [5,15) closes at stream time 105 (15 <= 105-90); [0,10) never existed; result ts is the max record ts (6), not stream time
# partly-late: {"ts":5,"key":"k","value":"5"} was dropped from [0,10) only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
# partly-late: {"ts":6,"key":"k","value":"6"} was dropped from [0,10) only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
@test "kwindow --hopping --emit final: a window fed by partly late records, with its max record ts (KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindow, onWindowClose)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --grace 90 --emit final --init '""' --reduce '. + "+" + $record.value' --late "$T/late" < "$FIX/ks-06-hopping-partly-late-final.in.jsonl"
	diff -u "$FIX/ks-06-hopping-partly-late-final.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-06-hopping-partly-late-final.late.jsonl" "$T/late"
	check_stderr <<EOF
kwindow: dropped 7 late records (see '$T/late')
EOF
}

# source: KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindowByGrace (ON_WINDOW_UPDATE)
# what it shows: a window is closed when end + grace <= stream time: [100,110) at stream time 200, grace 90 (110 + 90 = 200) takes no more records
@test "kwindow --tumbling: a window is closed when end + grace <= stream time (KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindowByGrace)" {
	run -0 --separate-stderr to_file kwindow --tumbling 10 --grace 90 --init '""' --reduce '. + "+" + $record.value' --late "$T/late" < "$FIX/ks-07-tumbling-late-at-boundary.in.jsonl"
	diff -u "$FIX/ks-07-tumbling-late-at-boundary.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-07-tumbling-late-at-boundary.late.jsonl" "$T/late"
	check_stderr <<EOF
kwindow: dropped 7 late records (see '$T/late')
EOF
}

# source: KStreamWindowAggregateTest.shouldEmitWithInterval0 (ON_WINDOW_CLOSE, emit interval 0)
# what it shows: emit final for hopping windows: [0,10) closes at stream time 15, the [5,15) windows at 20, by window start then key
# note: Kafka checks for closed windows after each record only when its wall-clock emit interval (default 1 s) has passed; the test sets it to 0, as kpipe behaves
@test "kwindow --hopping --emit final: closed windows by start, then key (KStreamWindowAggregateTest.shouldEmitWithInterval0)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --grace 5 --emit final --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-08-hopping-final.in.jsonl"
	diff -u "$FIX/ks-08-hopping-final.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamWindowAggregateTest.shouldNotEmitFinalIfNotProgressEnough (ON_WINDOW_CLOSE)
# what it shows: nothing more is emitted while stream time does not close another window (15 again, then 19: [5,15) needs 20)
@test "kwindow --hopping --emit final: nothing more until stream time closes another window (KStreamWindowAggregateTest.shouldNotEmitFinalIfNotProgressEnough)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --grace 5 --emit final --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-09-hopping-final-no-progress.in.jsonl"
	diff -u "$FIX/ks-09-hopping-final-no-progress.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KGroupedStreamImplTest.shouldCountWindowed
# what it shows: grace: at stream time 500, [0,500) with grace 100 still takes key 3 @100; the result ts is max(100, 1) = 100
@test "kcount --tumbling --grace: an open window takes an out-of-order record and keeps its max ts (KGroupedStreamImplTest.shouldCountWindowed)" {
	run -0 --separate-stderr to_file kcount --tumbling 500 --grace 100 < "$FIX/ks-10-tumbling-count-grace.in.jsonl"
	diff -u "$FIX/ks-10-tumbling-count-grace.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows (output-raw)
# what it shows: grace 1: ts 1 and 0 are accepted at stream time 2 ([0,2) closes at 3); the last 0 at stream time 5 is late
@test "kcount --tumbling --grace 1: out-of-order records within grace are counted, the one after it is late (SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows)" {
	run -0 --separate-stderr to_file kcount --tumbling 2 --grace 1 --late "$T/late" < "$FIX/ks-11-tumbling-count-grace1.in.jsonl"
	diff -u "$FIX/ks-11-tumbling-count-grace1.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-11-tumbling-count-grace1.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows (output-suppressed, suppress(untilWindowCloses))
# what it shows: final results: each window once, when end + grace <= stream time, with the ts of its last update; [4,6) is still open at the end
@test "kcount --tumbling --grace 1 --emit final: each window once, with the ts of its last update (SuppressScenarioTest.shouldSupportFinalResultsForTimeWindows, suppressed)" {
	run -0 --separate-stderr to_file kcount --tumbling 2 --grace 1 --emit final --late "$T/late" < "$FIX/ks-12-tumbling-count-grace1-final.in.jsonl"
	diff -u "$FIX/ks-12-tumbling-count-grace1-final.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-12-tumbling-count-grace1-final.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForTimeWindowsWithLargeJump (output-raw)
# what it shows: grace 2: [0,2) takes 0 at stream time 3 but not at stream time 4 (2 + 2 <= 4)
@test "kcount --tumbling --grace 2: a window takes records until end + grace <= stream time (SuppressScenarioTest.shouldSupportFinalResultsForTimeWindowsWithLargeJump)" {
	run -0 --separate-stderr to_file kcount --tumbling 2 --grace 2 --late "$T/late" < "$FIX/ks-13-tumbling-count-jump.in.jsonl"
	diff -u "$FIX/ks-13-tumbling-count-jump.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-13-tumbling-count-jump.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForTimeWindowsWithLargeJump (output-suppressed)
# what it shows: a jump of stream time closes several windows at once; all are emitted, by window end
# note: this is suppress(untilWindowCloses). EmitStrategy.onWindowClose on the same input emits only [0,2): its range fetch skips windows older than the store's retention (size + grace) behind the newest window start (30), so [2,4) and [4,6) are never emitted. kpipe should follow suppress here
@test "kcount --tumbling --emit final: a jump of stream time emits every window it closes, by end (SuppressScenarioTest.shouldSupportFinalResultsForTimeWindowsWithLargeJump, suppressed)" {
	run -0 --separate-stderr to_file kcount --tumbling 2 --grace 2 --emit final --late "$T/late" < "$FIX/ks-14-tumbling-count-jump-final.in.jsonl"
	diff -u "$FIX/ks-14-tumbling-count-jump-final.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-14-tumbling-count-jump-final.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingNullKey
# what it shows: a record with a null key is skipped (logged and counted as dropped), not aggregated, not late
# note: the skip happens before the aggregation reads the timestamp: a null-key record does not advance the aggregation's stream time (same in the session and sliding aggregations)
# note: the test pipes the record without a timestamp; ts 0 here is arbitrary
@test "kwindow --hopping: a null key is skipped and noted, not aggregated, not late (KStreamWindowAggregateTest.shouldLogAndMeterWhenSkippingNullKey)" {
	run -0 --separate-stderr to_file kwindow --hopping 10 --advance 5 --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-15-null-key.in.jsonl"
	diff -u "$FIX/ks-15-null-key.out.jsonl" "$T/actual"
	echo 'kwindow: skipped 1 record with a null key' | check_stderr
}

# source: KStreamSlidingWindowAggregateTest.testAggregateSmallInput (ON_WINDOW_UPDATE)
# what it shows: sliding windows (diff 10): left window [t-10,t] per record, right window [t+1,t+11] created when a later record falls in it; windows updated newest start first
# unsure: the test compares the set of results per window start, not their order; the order here is derived from KStreamSlidingWindowAggregate.processReverse (the path taken with the default RocksDB / in-memory stores)
@test "kwindow --sliding: left and right windows around each record, newest start first (KStreamSlidingWindowAggregateTest.testAggregateSmallInput)" {
	run -0 --separate-stderr to_file kwindow --sliding 10 --grace 5 --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-16-sliding-agg.in.jsonl"
	diff -u "$FIX/ks-16-sliding-agg.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamSlidingWindowAggregateTest.testAggregateSmallInput (ON_WINDOW_CLOSE)
# what it shows: emit final for sliding windows: a window [s,e] (end inclusive) is emitted once stream time > e + grace; by start
# note: at stream time 30, grace 5: windows with end < 25 are emitted, [15,25] is not (a record at 25 could still reach it)
@test "kwindow --sliding --emit final: a window once stream time > end + grace, by start (KStreamSlidingWindowAggregateTest.testAggregateSmallInput, onWindowClose)" {
	run -0 --separate-stderr to_file kwindow --sliding 10 --grace 5 --emit final --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-17-sliding-agg-final.in.jsonl"
	diff -u "$FIX/ks-17-sliding-agg-final.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamSlidingWindowAggregateTest.testEarlyRecordsSmallInput (ON_WINDOW_UPDATE)
# what it shows: records with ts < diff: their left windows would start before 0 and are all folded into the window [0,diff]; their right windows are created as usual
# unsure: the test compares the set of results per window start, not their order; the order here is derived from KStreamSlidingWindowAggregate.processReverse (the path taken with the default RocksDB / in-memory stores); for early records processEarly emits: windows (0,ts] first (ascending start), then the new right window, then the previous record's right window, then [0,diff] last
@test "kwindow --sliding: records earlier than the time difference share the window [0,diff] (KStreamSlidingWindowAggregateTest.testEarlyRecordsSmallInput)" {
	run -0 --separate-stderr to_file kwindow --sliding 50 --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-18-sliding-early.in.jsonl"
	diff -u "$FIX/ks-18-sliding-early.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamSlidingWindowAggregateTest.testEarlyRecordsRepeatedInput (ON_WINDOW_UPDATE)
# what it shows: early records with repeated timestamps; the record at 7 (>= diff) takes the normal path
# unsure: the test compares the set of results per window start, not their order; the order here is derived from KStreamSlidingWindowAggregate.processReverse (the path taken with the default RocksDB / in-memory stores)
@test "kwindow --sliding: early records with repeated timestamps (KStreamSlidingWindowAggregateTest.testEarlyRecordsRepeatedInput)" {
	run -0 --separate-stderr to_file kwindow --sliding 5 --init '"0"' --reduce '. + "+" + $record.value' < "$FIX/ks-19-sliding-early-repeated.in.jsonl"
	diff -u "$FIX/ks-19-sliding-early-repeated.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamSlidingWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindowByGrace (ON_WINDOW_UPDATE)
# what it shows: sliding lateness: close time = stream time - grace = 110; a window [s,e] is closed when e < 110, so the left windows [90,100]..[95,105] are dropped; ts 15 is dropped outright (15 + 10 < 110)
# note: ts 100..105 pass the first check (ts + diff >= 110) but their only window is closed, so each is dropped once; Kafka counts 7 drops
@test "kwindow --sliding: a record is late when every window it would update ends before stream time - grace (KStreamSlidingWindowAggregateTest.shouldLogAndMeterWhenSkippingExpiredWindowByGrace)" {
	run -0 --separate-stderr to_file kwindow --sliding 10 --grace 90 --init '"0"' --reduce '. + "+" + $record.value' --late "$T/late" < "$FIX/ks-20-sliding-late.in.jsonl"
	diff -u "$FIX/ks-20-sliding-late.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-20-sliding-late.late.jsonl" "$T/late"
	check_stderr <<EOF
kwindow: dropped 7 late records (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows (output-raw)
# what it shows: sliding count, diff 5, grace 15; ts 5 and 7 at stream time 24 (close time 9) lose their left windows [0,5] and [2,7] but still update [5,10], [6,11]
# unsure: the test compares the set of results per window, sorted by key and ts, not their order; the order here is derived from KStreamSlidingWindowAggregate.processReverse (the path taken with the default RocksDB / in-memory stores)
# partly-late: {"ts":5,"key":"k1","value":"v1"} was dropped from [0,5] only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
# partly-late: {"ts":7,"key":"k1","value":"v1"} was dropped from [2,7] only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
@test "kcount --sliding: a record that loses its left window still updates later ones, and is reported late (SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows)" {
	run -0 --separate-stderr to_file kcount --sliding 5 --grace 15 --late "$T/late" < "$FIX/ks-21-sliding-count.in.jsonl"
	diff -u "$FIX/ks-21-sliding-count.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-21-sliding-count.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 2 late records (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows (output-suppressed)
# what it shows: final results for sliding windows, in window order; [85,90] stays open
# note: suppress emits a sliding window when end + grace <= stream time, EmitStrategy.onWindowClose when end + grace < stream time; both give this output
# partly-late: {"ts":5,"key":"k1","value":"v1"} was dropped from [0,5] only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
# partly-late: {"ts":7,"key":"k1","value":"v1"} was dropped from [2,7] only (it went into its other windows); kpipe still counts it late and keeps it in --late, as Kafka's dropped-records metric counts each skipped window
@test "kcount --sliding --emit final: final results in window order (SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows, suppressed)" {
	run -0 --separate-stderr to_file kcount --sliding 5 --grace 15 --emit final --late "$T/late" < "$FIX/ks-22-sliding-count-final.in.jsonl"
	diff -u "$FIX/ks-22-sliding-count-final.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-22-sliding-count-final.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 2 late records (see '$T/late')
EOF
}

# source: KGroupedStreamImplTest.shouldCountSlidingWindows
# what it shows: sliding count over three keys with out-of-order and duplicate timestamps
# unsure: the test compares the set of results sorted by key and window start, not their order; the order here is derived from KStreamSlidingWindowAggregate.processReverse (the path taken with the default RocksDB / in-memory stores)
@test "kcount --sliding: three keys, out-of-order and repeated timestamps (KGroupedStreamImplTest.shouldCountSlidingWindows)" {
	run -0 --separate-stderr to_file kcount --sliding 500 --grace 2000 < "$FIX/ks-23-sliding-count-keys.in.jsonl"
	diff -u "$FIX/ks-23-sliding-count-keys.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: SessionWindowedKStreamImplTest.shouldAggregateSessionWindowed (ON_WINDOW_UPDATE)
# what it shows: a record within the gap merges sessions: a tombstone for each replaced session (ts = its end), then the merged session (ts = its end)
# note: merge starts from the initializer: "0" merged with the old session "0+1" gives "0+0+1" ($a = what is merged so far, $b = the next old session, by end time), then the record is added: "0+0+1+2"
@test "kwindow --session --merge: a tombstone for each merged session, then the merged session (SessionWindowedKStreamImplTest.shouldAggregateSessionWindowed)" {
	run -0 --separate-stderr to_file kwindow --session 500 --init '"0"' --reduce '. + "+" + $record.value' --merge '$a + "+" + $b' < "$FIX/ks-24-session-agg-merge.in.jsonl"
	diff -u "$FIX/ks-24-session-agg-merge.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: SessionWindowedKStreamImplTest.shouldCountSessionWindowedWithCachingDisabled (ON_WINDOW_CLOSE)
# what it shows: emit final for sessions: [10,15] closes when stream time > 15 + gap 500 + grace 0; no tombstones are ever emitted
@test "kcount --session --emit final: a session once end + gap + grace < stream time, never a tombstone (SessionWindowedKStreamImplTest.shouldCountSessionWindowedWithCachingDisabled, onWindowClose)" {
	run -0 --separate-stderr to_file kcount --session 500 --emit final < "$FIX/ks-25-session-count-final.in.jsonl"
	diff -u "$FIX/ks-25-session-count-final.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: SessionWindowedKStreamImplTest.shouldCountSessionWindowedWithCachingDisabled (ON_WINDOW_UPDATE)
# what it shows: session count with tombstones for merged sessions; 599 merges into [600,600] backwards
@test "kcount --session: tombstones for merged sessions; a record merging backwards (SessionWindowedKStreamImplTest.shouldCountSessionWindowedWithCachingDisabled)" {
	run -0 --separate-stderr to_file kcount --session 500 < "$FIX/ks-26-session-count.in.jsonl"
	diff -u "$FIX/ks-26-session-count.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KGroupedStreamImplTest.shouldCountSessionWindows
# what it shows: the gap is inclusive (100 - 30 = 70 merges with [70,70]); a record inside an existing session still tombstones it and re-emits it
# unsure: the test runs with caching on and checks only the last value per window ([10,30]=2@30, [15,15]=1@15, [70,100]=3@100); the full caching-off sequence is derived from KStreamSessionWindowAggregate.process
@test "kcount --session: the gap is inclusive; a record inside a session re-emits it (KGroupedStreamImplTest.shouldCountSessionWindows)" {
	run -0 --separate-stderr to_file kcount --session 30 < "$FIX/ks-27-session-count-inclusive-gap.in.jsonl"
	diff -u "$FIX/ks-27-session-count-inclusive-gap.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForSessionWindows (output-raw)
# what it shows: session lateness: close time = stream time - gap - grace = 6; merged session [0,5] ends before 6, so k1@5 is late; the stream time moved by another key
@test "kcount --session: a record is late when its merged session ends before stream time - gap - grace (SuppressScenarioTest.shouldSupportFinalResultsForSessionWindows)" {
	run -0 --separate-stderr to_file kcount --session 5 --late "$T/late" < "$FIX/ks-28-session-count-late.in.jsonl"
	diff -u "$FIX/ks-28-session-count-late.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-28-session-count-late.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: SuppressScenarioTest.shouldSupportFinalResultsForSessionWindows (output-suppressed)
# what it shows: final session results: k1 [0,5] at stream time 11, k2 [11,11] at 30; [30,30] stays open
# note: suppress emits a session when end + gap + grace <= stream time, EmitStrategy.onWindowClose when end + gap + grace < stream time; both give this output
@test "kcount --session --emit final: final session results (SuppressScenarioTest.shouldSupportFinalResultsForSessionWindows, suppressed)" {
	run -0 --separate-stderr to_file kcount --session 5 --emit final --late "$T/late" < "$FIX/ks-29-session-count-late-final.in.jsonl"
	diff -u "$FIX/ks-29-session-count-late-final.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-29-session-count-late-final.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: KStreamSessionWindowAggregateProcessorTest.shouldLogAndMeterWhenSkippingLateRecordWithZeroGrace
# what it shows: gap 10, grace 0: at stream time 11 a new session [0,0] is late (0 < 11 - 10)
# unsure: the test asserts the drop (log + metric) only; the outputs are derived
@test "kcount --session: grace 0, a new session older than stream time - gap is late (KStreamSessionWindowAggregateProcessorTest.shouldLogAndMeterWhenSkippingLateRecordWithZeroGrace)" {
	run -0 --separate-stderr to_file kcount --session 10 --late "$T/late" < "$FIX/ks-30-session-late-zero-grace.in.jsonl"
	diff -u "$FIX/ks-30-session-late-zero-grace.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-30-session-late-zero-grace.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: KStreamSessionWindowAggregateProcessorTest.shouldLogAndMeterWhenSkippingLateRecordWithNonzeroGrace
# what it shows: gap 10, grace 1: [0,0] is on time at stream time 11 (0 >= 11-10-1), late at 12
# unsure: the test asserts the drop (log + metric) only; the outputs are derived
@test "kcount --session --grace 1: on time at stream time - gap - grace, late one ms later (KStreamSessionWindowAggregateProcessorTest.shouldLogAndMeterWhenSkippingLateRecordWithNonzeroGrace)" {
	run -0 --separate-stderr to_file kcount --session 10 --grace 1 --late "$T/late" < "$FIX/ks-31-session-late-grace.in.jsonl"
	diff -u "$FIX/ks-31-session-late-grace.out.jsonl" "$T/actual"
	diff -u "$FIX/ks-31-session-late-grace.late.jsonl" "$T/late"
	check_stderr <<EOF
kcount: dropped 1 late record (see '$T/late')
EOF
}

# source: KStreamSessionWindowAggregateProcessorTest.shouldImmediatelyForwardRemovedSessionsWhenMerging
# what it shows: without caching: the new session, then on merge the old session's tombstone before the merged session
@test "kcount --session: the new session, then on a merge the old one's tombstone before the merged one (KStreamSessionWindowAggregateProcessorTest.shouldImmediatelyForwardRemovedSessionsWhenMerging)" {
	run -0 --separate-stderr to_file kcount --session 5m < "$FIX/ks-32-session-merge-tombstone.in.jsonl"
	diff -u "$FIX/ks-32-session-merge-tombstone.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KStreamSessionWindowAggregateProcessorTest.shouldUpdateSessionIfTheSameTime
# what it shows: a second record at the same instant as a one-point session updates it in place: no tombstone
# unsure: the test asserts the store (count 2 in [0,0]) only; the outputs are derived (merged window == the new [ts,ts] window, so no tombstone is forwarded)
@test "kcount --session: a second record at the same instant updates the session in place, no tombstone (KStreamSessionWindowAggregateProcessorTest.shouldUpdateSessionIfTheSameTime)" {
	run -0 --separate-stderr to_file kcount --session 5m < "$FIX/ks-33-session-same-time.in.jsonl"
	diff -u "$FIX/ks-33-session-same-time.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KGroupedStreamImplTest.shouldCountAndMaterializeResults / shouldLogAndMeasureSkipsInAggregate
# what it shows: count per key over all time: one result per record, ts = max ts of the key so far; a null value is skipped (KStreamAggregate drops null key or null value)
# unsure: the test asserts the final store (1: 3@10, 2: 1@1, 3: 2@9) and the skip log; the sequence is derived. The null-value record has no timestamp in the test (9 is arbitrary)
# note: the windowed aggregations (time and session windows) do not skip null values: they count them; the sliding one skips them
@test "kcount: over all time, one result per record with the key's max ts; a null value is skipped (KGroupedStreamImplTest.shouldCountAndMaterializeResults, shouldLogAndMeasureSkipsInAggregate)" {
	run -0 --separate-stderr to_file kcount < "$FIX/ks-34-stream-count.in.jsonl"
	diff -u "$FIX/ks-34-stream-count.out.jsonl" "$T/actual"
	echo 'kcount: skipped 1 record with a null value' | check_stderr
}

# source: KTableAggregateTest.testCount
# what it shows: a row moving to another group: first the old group decremented, then the new one incremented; ts = max(record ts, group's previous ts)
# note: assumes a table-input mode for kcount (--table: a changelog, null value = delete; --by EXPR the new group of a row), as KTable.groupBy().count()
@test "kcount --table --by: a row changing group decrements the old group, then increments the new one (KTableAggregateTest.testCount)" {
	run -0 --separate-stderr to_file kcount --table --by '.value' < "$FIX/ks-35-table-count-regroup.in.jsonl"
	diff -u "$FIX/ks-35-table-count-regroup.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}

# source: KTableAggregateTest.testAggRepartition (adapted: count instead of the string adder/subtractor)
# what it shows: a tombstone decrements the row's group and emits the count, 0 included (never a tombstone); a row whose group is null is skipped
# note: assumes a table-input mode for kcount (--table: a changelog, null value = delete; --by EXPR the new group of a row), as KTable.groupBy().count()
# note: the test's expected string results are 0+1, 0+1-1, 0+1-1+1, 0+2, 0+2-2, 0+4, 0+4-4, 0+7 with ts 10, 15, 15, 20, 23, 23, 23, 22; the counts follow the same records
@test "kcount --table --by: a tombstone decrements its group, down to 0; a null group is skipped (KTableAggregateTest.testAggRepartition)" {
	run -0 --separate-stderr to_file kcount --table --by 'if .key == "null" or .key == "NULL" then null else .value end' < "$FIX/ks-36-table-count-tombstone.in.jsonl"
	diff -u "$FIX/ks-36-table-count-tombstone.out.jsonl" "$T/actual"
	echo 'kcount: skipped 2 records with a null key' | check_stderr
}

# source: KTableAggregateTest.testShouldNotSendTransientStateIfNotUpgrading
# what it shows: an update that stays in the same group is one record (subtract and add applied together): no transient 0
# note: assumes a table-input mode for kcount (--table: a changelog, null value = delete; --by EXPR the new group of a row), as KTable.groupBy().count()
# note: before 3.5 (KAFKA-12446), or with upgrade.from <= 3.4, Kafka emitted 1, 0, 1 (the test shows this with upgrade.from 3.3)
@test "kcount --table --by: an update within the same group is one record, no transient 0 (KTableAggregateTest.testShouldNotSendTransientStateIfNotUpgrading)" {
	run -0 --separate-stderr to_file kcount --table --by '.key' < "$FIX/ks-37-table-count-same-group.in.jsonl"
	diff -u "$FIX/ks-37-table-count-same-group.out.jsonl" "$T/actual"
	check_stderr < /dev/null
}
