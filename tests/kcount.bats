#!/usr/bin/env bats
# kcount: count per key (or per --by), over all time or per window.
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T).  Expected outputs are
# written by hand from the rules: a window [k*A, k*A+S) is closed when
# stream time (the largest ts seen) >= its end + grace; --emit update
# writes every update, --emit final each window once when it closes, by
# end, then key text.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

usage() {
	usage_of kcount
}

# usage_error MESSAGE ARGS...: kcount ARGS exits 2 with MESSAGE and the
# usage lines on stderr, and writes nothing.
usage_error() {
	local msg=$1
	shift
	run -2 --separate-stderr kcount "$@" < /dev/null
	[ -z "$output" ]
	{ echo "kcount: $msg"; usage; } | check_stderr
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	run -0 --separate-stderr kcount -h
	usage | check_output
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	run -0 --separate-stderr kcount --version
	check_output <<'EOF'
kcount (kpipe) 0.1.0
EOF
	[ -z "$stderr" ]
}

@test "usage error: unknown options, too many arguments" {
	usage_error "unknown option '-x'" -x
	usage_error "unknown option '--bogus'" --bogus
	usage_error "unknown option '-a'" -a n=count
	usage_error 'too many arguments' "$FIX/kcount-keys.jsonl" extra
}

@test "usage error: an option without its argument, a flag with one" {
	usage_error "option '--tumbling' needs an argument" --tumbling
	usage_error "option '--by' needs an argument" --by
	usage_error "option '-s' needs an argument" -s
	usage_error "option '--close-at-end' takes no argument" --tumbling 1s --close-at-end=yes
}

@test "usage error: a window size that is not a duration" {
	usage_error "--tumbling '5x': unknown unit" --tumbling 5x
	usage_error "--tumbling '-5': not a duration" --tumbling -5
	usage_error "--tumbling '': not a duration" --tumbling ''
	usage_error "--hopping 'abc': not a duration" --hopping abc --advance 1s
	usage_error "--advance '1q': unknown unit" --hopping 5s --advance 1q
	usage_error "--grace '-1': not a duration" --tumbling 1s --grace -1
	usage_error "--retention 'x': not a duration" --tumbling 1s --retention x
}

@test "usage error: a window of size 0, an advance of 0" {
	usage_error '--tumbling must be above 0' --tumbling 0
	usage_error '--hopping must be above 0' --hopping 0ms --advance 1
	usage_error '--advance must be above 0' --hopping 5s --advance 0
}

@test "usage error: one window option only" {
	usage_error 'one window option only' --tumbling 5s --hopping 5s --advance 1s
	usage_error 'one window option only' --tumbling 5s --tumbling 10s
}

@test "usage error: --hopping and --advance go together" {
	usage_error '--hopping needs --advance' --hopping 5s
	usage_error '--advance needs --hopping' --advance 1s
	usage_error '--advance must not exceed the window size' --hopping 5s --advance 6s
}

@test "usage error: --advance with --tumbling" {
	usage_error '--advance needs --hopping' --tumbling 5s --advance 1s
	usage_error '--advance needs --hopping' --advance 1s --tumbling 5s
}

@test "usage error: window flags without a window" {
	local m='--grace, --emit final, --close-at-end, --late and --retention need a window'
	usage_error "$m" --grace 1s
	usage_error "$m" --emit final
	usage_error "$m" --close-at-end
	usage_error "$m" --late late.jsonl
	usage_error "$m" --retention 1m
	[ ! -e late.jsonl ]
}

@test "usage error: --emit other than update or final" {
	usage_error "--emit 'all': not update or final" --tumbling 1s --emit all
	usage_error "--emit '': not update or final" --tumbling 1s --emit ''
}

@test "usage error: --retention shorter than size + grace" {
	local m="--retention must be at least the window's size (or gap) + grace"
	usage_error "$m" --tumbling 10s --retention 5s
	usage_error "$m" --tumbling 10s --grace 5s --retention 14999
	usage_error "$m" --hopping 10s --advance 1s --grace 1s --retention 10s
}

@test "usage error: --cache-size below 64k, or not a size" {
	usage_error '--cache-size must be 64k or more' --cache-size 65535
	usage_error '--cache-size must be 64k or more' --cache-size 63k
	usage_error "--cache-size '10x': not a size" --cache-size 10x
	usage_error "--cache-size 'm': not a size" --cache-size m
}

@test "usage error: -s empty, --name not a file name" {
	usage_error '-s: empty argument' -s ''
	usage_error "--name 'a/b': not a file name" --name a/b
	usage_error "--name '..': not a file name" --name ..
	usage_error "--name '.': not a file name" --name .
	usage_error "--name '': not a file name" --name ''
}

@test "usage error: --on-error empty, --argjson not JSON" {
	usage_error '--on-error: empty argument' --on-error ''
	usage_error "--argjson n: invalid JSON text '{'" --argjson n '{'
	usage_error "option '--arg' needs two arguments" --arg n
}

@test "a --by that does not compile exits 2 with jq's message" {
	run -2 --separate-stderr kcount --by '(' < "$FIX/kcount-by.jsonl"
	[ -z "$output" ]
	check_stderr <<'EOF'
kcount: --by: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
	run -2 --separate-stderr kcount --by '$sym' < "$FIX/kcount-by.jsonl"
	[ -z "$output" ]
	check_stderr <<'EOF'
kcount: --by: jq: error: $sym is not defined at <top-level>, line 1:
$sym; jq: 1 compile error
EOF
}

@test "a FILE operand that cannot be opened exits 1" {
	run -1 --separate-stderr kcount no-such-file.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kcount: 'no-such-file.jsonl': No such file or directory" ]
}

@test "a state directory that cannot be made exits 5" {
	run -5 --separate-stderr kcount -s /dev/null/st < "$FIX/kcount-keys.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kcount: store '/dev/null/st/kcount': mkdir '/dev/null/st': Not a directory" ]
}

@test "a write error on standard output exits 1 and commits nothing" {
	run -1 --separate-stderr bash -c 'kcount -s st "$1" > /dev/full' - "$FIX/kcount-run1.jsonl"
	[ "$stderr" = 'kcount: write error on standard output: No space left on device' ]
	run -0 --separate-stderr kcount -s st "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":4000,"key":"b","value":1}
{"ts":12000,"key":"a","value":2}
EOF
}

# --- counting over all time ------------------------------------------------

@test "all time: one update per record, the largest ts, the last provenance" {
	run -0 --separate-stderr kcount "$FIX/kcount-keys.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"b","value":1,"topic":"t","partition":0,"offset":0}
{"ts":3000,"key":"a","value":1,"topic":"t","partition":0,"offset":1}
{"ts":2000,"key":"b","value":2,"topic":"t","partition":1,"offset":7}
{"ts":3000,"key":"a","value":2,"topic":"t","partition":0,"offset":2}
{"ts":4000,"key":10,"value":1}
{"ts":5000,"key":{"id": 1},"value":1,"topic":"u","partition":0,"offset":3}
{"ts":2000,"key":"b","value":3,"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "reads standard input without a FILE operand, and with '-'" {
	cat > want <<'EOF'
{"ts":1000,"key":"b","value":1,"topic":"t","partition":0,"offset":0}
{"ts":3000,"key":"a","value":1,"topic":"t","partition":0,"offset":1}
{"ts":2000,"key":"b","value":2,"topic":"t","partition":1,"offset":7}
{"ts":3000,"key":"a","value":2,"topic":"t","partition":0,"offset":2}
{"ts":4000,"key":10,"value":1}
{"ts":5000,"key":{"id": 1},"value":1,"topic":"u","partition":0,"offset":3}
{"ts":2000,"key":"b","value":3,"topic":"t","partition":0,"offset":4}
EOF
	run -0 --separate-stderr kcount < "$FIX/kcount-keys.jsonl"
	check_output < want
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount - < "$FIX/kcount-keys.jsonl"
	check_output < want
	[ -z "$stderr" ]
}

@test "an empty input gives an empty output" {
	run -0 --separate-stderr kcount < /dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount --tumbling 1s --emit final --close-at-end < /dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "-v and --verbose count records in, out and bad at exit" {
	run -0 --separate-stderr kcount -v "$FIX/kcount-keys.jsonl"
	[ "${#lines[@]}" -eq 7 ]
	[ "$stderr" = 'kcount: 7 records in, 7 out, 0 bad' ]
	run -0 --separate-stderr kcount --verbose --tumbling 10s --emit final "$FIX/kcount-tumbling.jsonl"
	[ "${#lines[@]}" -eq 3 ]
	[ "$stderr" = 'kcount: 5 records in, 3 out, 0 bad' ]
}

# --- tumbling and hopping windows -----------------------------------------------

@test "--tumbling, --emit update: one update per record, window end exclusive" {
	cat > want <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":9999,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":10000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":2}
{"ts":19999,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
{"ts":25000,"key":"b","value":1,"window":{"start":20000,"end":30000},"topic":"t","partition":0,"offset":4}
EOF
	run -0 --separate-stderr kcount --tumbling 10s "$FIX/kcount-tumbling.jsonl"
	check_output < want
	[ -z "$stderr" ]
	# update is the default; a bare number is milliseconds.
	run -0 --separate-stderr kcount --tumbling=10000 --emit update "$FIX/kcount-tumbling.jsonl"
	check_output < want
	# A hopping window whose advance is its size is a tumbling one.
	run -0 --separate-stderr kcount --hopping 10s --advance 10s "$FIX/kcount-tumbling.jsonl"
	check_output < want
	[ -z "$stderr" ]
}

@test "--tumbling, --emit final: each window once, when stream time passes its end" {
	run -0 --separate-stderr kcount --tumbling 10s --emit final "$FIX/kcount-tumbling.jsonl"
	# [20000,30000) is still open at the end: not emitted.
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":9999,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":19999,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "--close-at-end emits the windows still open at the end" {
	run -0 --separate-stderr kcount --tumbling 10s --emit final --close-at-end "$FIX/kcount-tumbling.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":9999,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":19999,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
{"ts":25000,"key":"b","value":1,"window":{"start":20000,"end":30000},"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "--close-at-end with --emit update adds nothing to the updates" {
	run -0 --separate-stderr kcount --tumbling 10s --close-at-end "$FIX/kcount-tumbling.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":9999,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":10000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":2}
{"ts":19999,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
{"ts":25000,"key":"b","value":1,"window":{"start":20000,"end":30000},"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "--hopping: a record updates every window that holds it, by start; none starts before 0" {
	run -0 --separate-stderr kcount --hopping 10s --advance 4s "$FIX/kcount-hopping.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":4500,"key":"a","value":2,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":4500,"key":"a","value":1,"window":{"start":4000,"end":14000},"topic":"t","partition":0,"offset":1}
{"ts":9000,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":2}
{"ts":9000,"key":"b","value":1,"window":{"start":4000,"end":14000},"topic":"t","partition":0,"offset":2}
{"ts":9000,"key":"b","value":1,"window":{"start":8000,"end":18000},"topic":"t","partition":0,"offset":2}
{"ts":12000,"key":"a","value":2,"window":{"start":4000,"end":14000},"topic":"t","partition":0,"offset":3}
{"ts":12000,"key":"a","value":1,"window":{"start":8000,"end":18000},"topic":"t","partition":0,"offset":3}
{"ts":12000,"key":"a","value":1,"window":{"start":12000,"end":22000},"topic":"t","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "--hopping --emit final --close-at-end: by window end, then key" {
	run -0 --separate-stderr kcount --hopping 10s --advance 4s --emit final --close-at-end \
	    "$FIX/kcount-hopping.jsonl"
	check_output <<'EOF'
{"ts":4500,"key":"a","value":2,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":1}
{"ts":9000,"key":"b","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":2}
{"ts":12000,"key":"a","value":2,"window":{"start":4000,"end":14000},"topic":"t","partition":0,"offset":3}
{"ts":9000,"key":"b","value":1,"window":{"start":4000,"end":14000},"topic":"t","partition":0,"offset":2}
{"ts":12000,"key":"a","value":1,"window":{"start":8000,"end":18000},"topic":"t","partition":0,"offset":3}
{"ts":9000,"key":"b","value":1,"window":{"start":8000,"end":18000},"topic":"t","partition":0,"offset":2}
{"ts":12000,"key":"a","value":1,"window":{"start":12000,"end":22000},"topic":"t","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "--emit final: windows of one end come in the byte order of the key's JSON text" {
	# "B" < "a" < "b" < 10 < 9 < true < {"k":1}: the text, not the value.
	run -0 --separate-stderr kcount --tumbling 10s --emit final --close-at-end "$FIX/kcount-order.jsonl"
	check_output <<'EOF'
{"ts":6000,"key":"B","value":1,"window":{"start":0,"end":10000}}
{"ts":7000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":2000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"ts":5000,"key":10,"value":1,"window":{"start":0,"end":10000}}
{"ts":1000,"key":9,"value":1,"window":{"start":0,"end":10000}}
{"ts":3000,"key":true,"value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":{"k":1},"value":1,"window":{"start":0,"end":10000}}
{"ts":12000,"key":"B","value":1,"window":{"start":10000,"end":20000}}
{"ts":11000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
{"ts":15000,"key":"b","value":1,"window":{"start":10000,"end":20000}}
EOF
	[ -z "$stderr" ]
}

# --- grace and late records ------------------------------------------------------

@test "late records: dropped and counted; grace 0 by default" {
	run -0 --separate-stderr kcount --tumbling 10s < "$FIX/kcount-late.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":11000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":1}
{"ts":12500,"key":"b","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
{"ts":13000,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":6}
EOF
	[ "$stderr" = 'kcount: dropped 3 late records' ]
}

@test "--grace keeps a window open past its end" {
	run -0 --separate-stderr kcount --tumbling 10s --grace 2s < "$FIX/kcount-late.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":11000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":1}
{"ts":9000,"key":"a","value":2,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":2}
{"ts":12500,"key":"b","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
{"ts":13000,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":6}
EOF
	[ "$stderr" = 'kcount: dropped 2 late records' ]
}

@test "--grace with --emit final: a window is emitted once stream time >= end + grace" {
	run -0 --separate-stderr kcount --tumbling 10s --grace 2s --emit final --close-at-end \
	    < "$FIX/kcount-late.jsonl"
	check_output <<'EOF'
{"ts":9000,"key":"a","value":2,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":2}
{"ts":13000,"key":"a","value":2,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":6}
{"ts":12500,"key":"b","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":3}
EOF
	[ "$stderr" = 'kcount: dropped 2 late records' ]
}

@test "--late FILE: each late record with the reason, appended" {
	echo '{"reason":"from before"}' > late.jsonl
	run -0 --separate-stderr kcount --tumbling 10s --grace 2s --late late.jsonl < "$FIX/kcount-late.jsonl"
	[ "${#lines[@]}" -eq 5 ]
	[ "$stderr" = "kcount: dropped 2 late records (see 'late.jsonl')" ]
	cat > expect-late <<'EOF'
{"reason":"from before"}
{"reason":"late: its window closed (stream time 12500, grace 2000 ms)","source":"-","line":5,"input":"{\"ts\":9500,\"key\":\"a\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":4}"}
{"reason":"late: its window closed (stream time 12500, grace 2000 ms)","source":"-","line":6,"input":"{\"ts\":9999,\"key\":\"b\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":5}"}
EOF
	diff -u expect-late late.jsonl
}

@test "--late FILE names the FILE operand as the source; no late record, no file" {
	cp "$FIX/kcount-late.jsonl" in.jsonl
	run -0 --separate-stderr kcount --tumbling 10s --late late.jsonl in.jsonl
	[ "$stderr" = "kcount: dropped 3 late records (see 'late.jsonl')" ]
	cat > expect-late <<'EOF'
{"reason":"late: its window closed (stream time 11000, grace 0 ms)","source":"in.jsonl","line":3,"input":"{\"ts\":9000,\"key\":\"a\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":2}"}
{"reason":"late: its window closed (stream time 12500, grace 0 ms)","source":"in.jsonl","line":5,"input":"{\"ts\":9500,\"key\":\"a\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":4}"}
{"reason":"late: its window closed (stream time 12500, grace 0 ms)","source":"in.jsonl","line":6,"input":"{\"ts\":9999,\"key\":\"b\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":5}"}
EOF
	diff -u expect-late late.jsonl
	run -0 --separate-stderr kcount --tumbling 10s --late none.jsonl "$FIX/kcount-tumbling.jsonl"
	[ -z "$stderr" ]
	[ ! -e none.jsonl ]
}

@test "--late FILE that cannot be opened exits 1 at the first late record" {
	run -1 --separate-stderr kcount --tumbling 10s --late no-such-dir/late.jsonl < "$FIX/kcount-late.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":11000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":1}
EOF
	[ "$stderr" = "kcount: line 3: --late 'no-such-dir/late.jsonl': No such file or directory" ]
}

@test "a hopping record late for one window still counts in the others" {
	run -0 --separate-stderr kcount --hopping 10s --advance 5s --late late.jsonl \
	    < "$FIX/kcount-late-hopping.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000},"topic":"t","partition":0,"offset":0}
{"ts":12000,"key":"a","value":1,"window":{"start":5000,"end":15000},"topic":"t","partition":0,"offset":1}
{"ts":12000,"key":"a","value":1,"window":{"start":10000,"end":20000},"topic":"t","partition":0,"offset":1}
{"ts":12000,"key":"a","value":2,"window":{"start":5000,"end":15000},"topic":"t","partition":0,"offset":2}
EOF
	[ "$stderr" = "kcount: dropped 1 late record (see 'late.jsonl')" ]
	cat > expect-late <<'EOF'
{"reason":"late: its window closed (stream time 12000, grace 0 ms)","source":"-","line":3,"input":"{\"ts\":8000,\"key\":\"a\",\"value\":1,\"topic\":\"t\",\"partition\":0,\"offset\":2}"}
EOF
	diff -u expect-late late.jsonl
}

# --- control records ---------------------------------------------------------------

@test "control records with --emit update: forwarded in order; a tick closes, never reopens" {
	run -0 --separate-stderr kcount --tumbling 10s "$FIX/kcount-control.jsonl"
	# The tick to 10000 closes [0,10000): b at 9500 is late, and the
	# tick back to 5000 does not reopen it.  Nothing after end is read.
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"@":"barrier","epoch":1,"offsets":{"t":{"0":2}}}
{"@":"tick","ts":9999}
{"ts":9000,"key":"a","value":2,"window":{"start":0,"end":10000}}
{"@":"tick","ts":10000}
{"@":"tick","ts":5000}
{"@":"rebalance","x":[1, 2]}
{"ts":15000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
{"@":"end"}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "a tick is forwarded after the final results it causes" {
	run -0 --separate-stderr kcount --tumbling 10s --emit final "$FIX/kcount-control.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"@":"barrier","epoch":1,"offsets":{"t":{"0":2}}}
{"@":"tick","ts":9999}
{"ts":9000,"key":"a","value":2,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"@":"tick","ts":10000}
{"@":"tick","ts":5000}
{"@":"rebalance","x":[1, 2]}
{"@":"end"}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "--close-at-end closes at {\"@\":\"end\"}, before forwarding it" {
	run -0 --separate-stderr kcount --tumbling 10s --emit final --close-at-end "$FIX/kcount-control.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"@":"barrier","epoch":1,"offsets":{"t":{"0":2}}}
{"@":"tick","ts":9999}
{"ts":9000,"key":"a","value":2,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"@":"tick","ts":10000}
{"@":"tick","ts":5000}
{"@":"rebalance","x":[1, 2]}
{"ts":15000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
{"@":"end"}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "control records over all time: forwarded; ticks change nothing" {
	run -0 --separate-stderr kcount "$FIX/kcount-control.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"a","value":1}
{"ts":4000,"key":"b","value":1}
{"@":"barrier","epoch":1,"offsets":{"t":{"0":2}}}
{"@":"tick","ts":9999}
{"ts":9000,"key":"a","value":2}
{"@":"tick","ts":10000}
{"@":"tick","ts":5000}
{"ts":9500,"key":"b","value":2}
{"@":"rebalance","x":[1, 2]}
{"ts":15000,"key":"a","value":3}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "resume without end: exit 3, nothing committed past the last barrier" {
	run -3 --separate-stderr kcount -s st < "$FIX/kcount-resume-no-end.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"a","value":1}
{"@":"barrier","epoch":1,"offsets":{"t":{"0":1}}}
{"ts":2000,"key":"a","value":2}
{"ts":3000,"key":"b","value":1}
EOF
	[ "$stderr" = 'kcount: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	# The next run goes on from the barrier: a was 1, b absent.
	printf '%s\n' '{"ts":4000,"key":"a","value":1}' '{"ts":5000,"key":"b","value":1}' > in
	run -0 --separate-stderr kcount -s st in
	check_output <<'EOF'
{"ts":4000,"key":"a","value":2}
{"ts":5000,"key":"b","value":1}
EOF
	[ -z "$stderr" ]
}

# --- null keys ------------------------------------------------------------------------

@test "null and missing keys are skipped and counted" {
	run -0 --separate-stderr kcount "$FIX/kcount-null.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":3000,"key":"a","value":2}
EOF
	[ "$stderr" = 'kcount: skipped 2 records with a null key' ]
	printf '%s\n' '{"ts":1,"key":null,"value":1}' > in
	run -0 --separate-stderr kcount in
	[ -z "$output" ]
	[ "$stderr" = 'kcount: skipped 1 record with a null key' ]
}

@test "a record with a null key does not advance stream time" {
	# Its ts, 50000, would close [0,10000).
	run -0 --separate-stderr kcount --tumbling 10s --emit final "$FIX/kcount-null.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kcount: skipped 2 records with a null key' ]
}

@test "-q and --quiet: no note about null keys" {
	run -0 --separate-stderr kcount -q "$FIX/kcount-null.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":3000,"key":"a","value":2}
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount --quiet "$FIX/kcount-null.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ -z "$stderr" ]
}

@test "over all time a null or missing value is skipped and counted; per window it counts" {
	run -0 --separate-stderr kcount "$FIX/kcount-null-value.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":4000,"key":"a","value":2}
EOF
	[ "$stderr" = 'kcount: skipped 2 records with a null value' ]
	run -0 --separate-stderr kcount -q "$FIX/kcount-null-value.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount --tumbling 10s "$FIX/kcount-null-value.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":2000,"key":"a","value":2,"window":{"start":0,"end":10000}}
{"ts":3000,"key":"a","value":3,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"a","value":4,"window":{"start":0,"end":10000}}
EOF
	[ -z "$stderr" ]
	cat "$FIX/kcount-null.jsonl" "$FIX/kcount-null-value.jsonl" > in
	run -0 --separate-stderr kcount in
	check_stderr <<'EOF'
kcount: skipped 2 records with a null key
kcount: skipped 2 records with a null value
EOF
}

@test "-q: no note about late records either, even with --late" {
	run -0 --separate-stderr kcount -q --tumbling 10s --late late.jsonl < "$FIX/kcount-late.jsonl"
	[ "${#lines[@]}" -eq 4 ]
	[ -z "$stderr" ]
	[ "$(wc -l < late.jsonl)" -eq 3 ]
}

# --- bad input ---------------------------------------------------------------------------

@test "bad input, fail: exit 1 naming the line, after the results before it" {
	run -1 --separate-stderr kcount < "$FIX/kcount-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
EOF
	[ "$stderr" = "kcount: line 2: not a JSON object: unexpected 'n' at column 1" ]
	run -1 --separate-stderr kcount --on-error fail "$FIX/kcount-bad.jsonl"
	[ "$stderr" = "kcount: $FIX/kcount-bad.jsonl:2: not a JSON object: unexpected 'n' at column 1" ]
}

@test "bad input, fail: a record without ts, with a ts not an integer, or negative" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' '{"key":"a","value":1}' > in
	run -1 --separate-stderr kcount in
	[ "$output" = '{"ts":1,"key":"a","value":1}' ]
	[ "$stderr" = 'kcount: in:2: record has no ts' ]
	printf '%s\n' '{"ts":1.0,"key":"a","value":1}' > in
	run -1 --separate-stderr kcount in
	[ -z "$output" ]
	[ "$stderr" = 'kcount: in:1: ts is not an integer' ]
	printf '%s\n' '{"ts":"1","key":"a","value":1}' > in
	run -1 --separate-stderr kcount in
	[ "$stderr" = 'kcount: in:1: ts is not an integer' ]
	printf '%s\n' '{"ts":-1000,"key":"a","value":1}' > in
	run -1 --separate-stderr kcount --tumbling 1s in
	[ -z "$output" ]
	[ "$stderr" = 'kcount: in:1: ts is negative' ]
}

@test "bad input, skip: warned, counted, and left out of the counts" {
	run -0 --separate-stderr kcount --on-error skip < "$FIX/kcount-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":2000,"key":"a","value":2}
EOF
	check_stderr <<'EOF'
kcount: line 2: not a JSON object: unexpected 'n' at column 1 (skipped)
kcount: line 3: record has no ts (skipped)
kcount: line 4: ts is not an integer (skipped)
kcount: line 5: ts is not an integer (skipped)
kcount: line 6: ts is negative (skipped)
kcount: line 7: ts is not an integer (skipped)
kcount: skipped 6 bad lines
EOF
}

@test "bad input, skip with -q: only the count" {
	run -0 --separate-stderr kcount -q --on-error skip < "$FIX/kcount-bad.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ "$stderr" = 'kcount: skipped 6 bad lines' ]
}

@test "bad input, FILE: each bad line goes to FILE with its reason" {
	run -0 --separate-stderr kcount --on-error dead.jsonl < "$FIX/kcount-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":2000,"key":"a","value":2}
EOF
	[ "$stderr" = "kcount: wrote 6 bad lines to 'dead.jsonl'" ]
	cat > expect-dead <<'EOF'
{"reason":"not a JSON object: unexpected 'n' at column 1","source":"-","line":2,"input":"not json"}
{"reason":"record has no ts","source":"-","line":3,"input":"{\"key\":\"a\",\"value\":1}"}
{"reason":"ts is not an integer","source":"-","line":4,"input":"{\"ts\":1.5,\"key\":\"a\",\"value\":1}"}
{"reason":"ts is not an integer","source":"-","line":5,"input":"{\"ts\":\"2000\",\"key\":\"a\",\"value\":1}"}
{"reason":"ts is negative","source":"-","line":6,"input":"{\"ts\":-1,\"key\":\"a\",\"value\":1}"}
{"reason":"ts is not an integer","source":"-","line":7,"input":"{\"ts\":1e3,\"key\":\"a\",\"value\":1}"}
EOF
	diff -u expect-dead dead.jsonl
}

@test "-v counts bad lines; the notes come in a fixed order" {
	cat "$FIX/kcount-bad.jsonl" "$FIX/kcount-null.jsonl" > in
	run -0 --separate-stderr kcount -v --on-error skip -q in
	[ "${#lines[@]}" -eq 4 ]
	check_stderr <<'EOF'
kcount: 11 records in, 4 out, 6 bad
kcount: skipped 6 bad lines
EOF
	run -0 --separate-stderr kcount -v --on-error skip --tumbling 10s --late late.jsonl \
	    "$FIX/kcount-null.jsonl"
	check_stderr <<'EOF'
kcount: 4 records in, 2 out, 0 bad
kcount: skipped 2 records with a null key
EOF
}

# --- --by ---------------------------------------------------------------------------------

@test "--by: the key is the program's first output, as JSON text" {
	run -0 --separate-stderr kcount --by .value.sym "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"AAPL","value":1}
{"ts":2000,"key":"MSFT","value":1}
{"ts":3000,"key":"AAPL","value":2}
{"ts":5000,"key":"MSFT","value":2}
EOF
	[ "$stderr" = 'kcount: skipped 1 record with a null key' ]
	run -0 --separate-stderr kcount --by '.value.qty > 2, "never"' "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":true,"value":1}
{"ts":2000,"key":false,"value":1}
{"ts":3000,"key":false,"value":2}
{"ts":4000,"key":true,"value":2}
{"ts":5000,"key":true,"value":3}
EOF
	[ -z "$stderr" ]
}

@test "--by with no output is a null key; --arg and --argjson bind variables" {
	run -0 --separate-stderr kcount --argjson min 3 --by 'select(.value.qty >= $min) | .value.sym' \
	    "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"AAPL","value":1}
{"ts":5000,"key":"MSFT","value":1}
EOF
	[ "$stderr" = 'kcount: skipped 3 records with a null key' ]
	run -0 --separate-stderr kcount --arg p 'sym:' --by '{s: ($p + (.value.sym // "none"))}' \
	    "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":{"s":"sym:AAPL"},"value":1}
{"ts":2000,"key":{"s":"sym:MSFT"},"value":1}
{"ts":3000,"key":{"s":"sym:AAPL"},"value":2}
{"ts":4000,"key":{"s":"sym:none"},"value":1}
{"ts":5000,"key":{"s":"sym:MSFT"},"value":2}
EOF
	[ -z "$stderr" ]
}

@test "--by with a runtime error is bad input" {
	run -1 --separate-stderr kcount --by '.value.sym | ascii_downcase' < "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"aapl","value":1}
{"ts":2000,"key":"msft","value":1}
{"ts":3000,"key":"aapl","value":2}
EOF
	[ "$stderr" = 'kcount: line 4: jq: error: explode input must be a string' ]
	run -0 --separate-stderr kcount --on-error skip --by '.value.sym | ascii_downcase' \
	    < "$FIX/kcount-by.jsonl"
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" = '{"ts":5000,"key":"msft","value":2}' ]
	check_stderr <<'EOF'
kcount: line 4: jq: error: explode input must be a string (skipped)
kcount: skipped 1 bad line
EOF
}

@test "--by with windows" {
	run -0 --separate-stderr kcount --by .value.sym --tumbling 4s --emit final --close-at-end \
	    "$FIX/kcount-by.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"AAPL","value":2,"window":{"start":0,"end":4000}}
{"ts":2000,"key":"MSFT","value":1,"window":{"start":0,"end":4000}}
{"ts":5000,"key":"MSFT","value":1,"window":{"start":4000,"end":8000}}
EOF
	[ "$stderr" = 'kcount: skipped 1 record with a null key' ]
}

# --- state: -s, $KPIPE_STATE, --name, the fingerprint ----------------------------------------

@test "-s: a count over all time goes on in the next run" {
	run -0 --separate-stderr kcount -s st "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":4000,"key":"b","value":1}
{"ts":12000,"key":"a","value":2}
EOF
	[ -d st/kcount ]
	run -0 --separate-stderr kcount --state=st "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":12000,"key":"a","value":3}
{"ts":15000,"key":"a","value":4}
{"ts":18000,"key":"b","value":2}
{"ts":20000,"key":"c","value":1}
EOF
	[ -z "$stderr" ]
}

@test "-s: a window spans runs, and stream time with it" {
	run -0 --separate-stderr kcount -s st --tumbling 10s "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"ts":12000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
EOF
	# 5000 is late: stream time is 12000 from the first run.
	run -0 --separate-stderr kcount -s st --tumbling 10s "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":15000,"key":"a","value":2,"window":{"start":10000,"end":20000}}
{"ts":18000,"key":"b","value":1,"window":{"start":10000,"end":20000}}
{"ts":20000,"key":"c","value":1,"window":{"start":20000,"end":30000}}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "-s: --emit final across runs, each window once" {
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":15000,"key":"a","value":2,"window":{"start":10000,"end":20000}}
{"ts":18000,"key":"b","value":1,"window":{"start":10000,"end":20000}}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
	# Nothing new: nothing is emitted twice.
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final < /dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final --close-at-end < /dev/null
	check_output <<'EOF'
{"ts":20000,"key":"c","value":1,"window":{"start":20000,"end":30000}}
EOF
}

@test "-s: a window closed by --close-at-end stays closed in the next run" {
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final --close-at-end "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"ts":12000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
EOF
	# [10000,20000) was closed and emitted: 15000 and 18000 are late
	# for it, as 5000 is for [0,10000).
	run -0 --separate-stderr kcount -s st --tumbling 10s --emit final --close-at-end "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":20000,"key":"c","value":1,"window":{"start":20000,"end":30000}}
EOF
	[ "$stderr" = 'kcount: dropped 3 late records' ]
	run -0 --separate-stderr kquery -s st --all
	[ -z "$output" ]
}

@test "without -s each run starts afresh and leaves nothing behind" {
	mkdir tmp
	TMPDIR=$T/tmp run -0 --separate-stderr kcount "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":5000,"key":"a","value":1}
{"ts":15000,"key":"a","value":2}
{"ts":18000,"key":"b","value":1}
{"ts":20000,"key":"c","value":1}
EOF
	[ -z "$(ls -A tmp)" ]
	# Not after a failure either.
	TMPDIR=$T/tmp run -1 --separate-stderr kcount --tumbling 1s "$FIX/kcount-bad.jsonl"
	[ -z "$(ls -A tmp)" ]
}

@test "\$KPIPE_STATE is the state directory without -s; -s wins over it" {
	export KPIPE_STATE=$T/env
	run -0 --separate-stderr kcount "$FIX/kcount-run1.jsonl"
	[ -d env/kcount ]
	run -0 --separate-stderr kcount "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":12000,"key":"a","value":3}
{"ts":4000,"key":"b","value":2}
{"ts":12000,"key":"a","value":4}
EOF
	run -0 --separate-stderr kcount -s st "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":4000,"key":"b","value":1}
{"ts":12000,"key":"a","value":2}
EOF
	[ -d st/kcount ]
	# An empty KPIPE_STATE is no state directory.
	mkdir tmp
	KPIPE_STATE= TMPDIR=$T/tmp run -0 --separate-stderr kcount "$FIX/kcount-run1.jsonl"
	[ "${lines[2]}" = '{"ts":12000,"key":"a","value":2}' ]
	[ -z "$(ls -A tmp)" ]
}

@test "--name: two stores with different options in one DIR" {
	run -0 --separate-stderr kcount -s st --name all "$FIX/kcount-run1.jsonl"
	run -0 --separate-stderr kcount -s st --name win --tumbling 10s --emit final "$FIX/kcount-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":4000,"key":"b","value":1,"window":{"start":0,"end":10000}}
EOF
	run -0 --separate-stderr kcount -s st "$FIX/kcount-run1.jsonl"
	[ "${lines[2]}" = '{"ts":12000,"key":"a","value":2}' ]
	[ -d st/all ]
	[ -d st/win ]
	[ -d st/kcount ]
	run -0 --separate-stderr kcount -s st --name all "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":12000,"key":"a","value":3}
{"ts":15000,"key":"a","value":4}
{"ts":18000,"key":"b","value":2}
{"ts":20000,"key":"c","value":1}
EOF
	run -0 --separate-stderr kcount -s st --name win --tumbling 10s --emit final "$FIX/kcount-run2.jsonl"
	check_output <<'EOF'
{"ts":15000,"key":"a","value":2,"window":{"start":10000,"end":20000}}
{"ts":18000,"key":"b","value":1,"window":{"start":10000,"end":20000}}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "the store refuses other options: exit 5 naming the first difference" {
	run -0 --separate-stderr kcount -s st --tumbling 10s "$FIX/kcount-run1.jsonl"
	run -5 --separate-stderr kcount -s st --tumbling 20s "$FIX/kcount-run2.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'size=10000', not 'size=20000'" ]
	run -5 --separate-stderr kcount -s st --hopping 10s --advance 5s "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'advance=10000', not 'advance=5000'" ]
	run -5 --separate-stderr kcount -s st --tumbling 10s --grace 1s "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'grace=0', not 'grace=1000'" ]
	run -5 --separate-stderr kcount -s st --tumbling 10s --retention 1m "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'retention=0', not 'retention=60000'" ]
	run -5 --separate-stderr kcount -s st --tumbling 10s --by .key "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made without 'by=\".key\"'" ]
	run -5 --separate-stderr kcount -s st --tumbling 10s --arg x y "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made without 'arg=\"x=y\"'" ]
	run -5 --separate-stderr kcount -s st "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'window=\"hopping\"', which this command lacks" ]
	[ -z "$output" ]
	# The store is as it was: the same options go on.
	run -0 --separate-stderr kcount -s st --tumbling 10s "$FIX/kcount-run2.jsonl"
	[ "${lines[0]}" = '{"ts":15000,"key":"a","value":2,"window":{"start":10000,"end":20000}}' ]
}

@test "the store refuses a --by it was not made with, and kwindow" {
	run -0 --separate-stderr kcount -s st --by .key "$FIX/kcount-run1.jsonl"
	run -5 --separate-stderr kcount -s st "$FIX/kcount-run2.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'by=\".key\"', which this command lacks" ]
	run -5 --separate-stderr kcount -s st --by .value "$FIX/kcount-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'by=\".key\"', not 'by=\".value\"'" ]
	run -5 --separate-stderr kwindow -s st --name kcount -a n=count "$FIX/kcount-run2.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kwindow: store 'st/kcount' was made with 'agg=\"count\"', which this command lacks" ]
}

# --- session and sliding windows, tables --------------------------------------------

@test "usage error: --sliding and --session take a duration above 0, one window only" {
	usage_error '--sliding must be above 0' --sliding 0
	usage_error '--session must be above 0' --session 0ms
	usage_error "--sliding '5x': unknown unit" --sliding 5x
	usage_error 'one window option only' --sliding 5s --session 5s
	usage_error 'one window option only' --session 5s --hopping 10s --advance 5s
	usage_error '--advance needs --hopping' --session 5s --advance 1s
	usage_error "--retention must be at least the window's size (or gap) + grace" \
	    --session 10s --grace 5s --retention 14s
}

@test "--session: a record within the gap merges sessions; each replaced one gets a tombstone" {
	run -0 --separate-stderr kcount --session 5s "$FIX/kcount-session.jsonl"
	# 14000 would merge with [9000,9000] into a session ending at 14000,
	# closed at stream time 20000 (end + gap < 20000): late.
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":1000,"end":1000},"topic":"t","partition":0,"offset":0}
{"ts":1000,"key":"a","value":null,"window":{"start":1000,"end":1000},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":2,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":null,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":2}
{"ts":3000,"key":"a","value":3,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":2}
{"ts":3000,"key":"a","value":null,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":3}
{"ts":3000,"key":"a","value":4,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":3}
{"ts":9000,"key":"a","value":1,"window":{"start":9000,"end":9000},"topic":"t","partition":0,"offset":4}
{"ts":20000,"key":"a","value":1,"window":{"start":20000,"end":20000},"topic":"t","partition":0,"offset":5}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "--session --emit final: each session once, when stream time passes end + gap" {
	run -0 --separate-stderr kcount --session 5s --emit final --close-at-end "$FIX/kcount-session.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"a","value":4,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":3}
{"ts":9000,"key":"a","value":1,"window":{"start":9000,"end":9000},"topic":"t","partition":0,"offset":4}
{"ts":20000,"key":"a","value":1,"window":{"start":20000,"end":20000},"topic":"t","partition":0,"offset":5}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
	# --grace 10s keeps [9000,9000] open for 14000.
	run -0 --separate-stderr kcount --session 5s --grace 10s --emit final --close-at-end \
	    "$FIX/kcount-session.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"a","value":4,"window":{"start":1000,"end":3000},"topic":"t","partition":0,"offset":3}
{"ts":14000,"key":"a","value":2,"window":{"start":9000,"end":14000},"topic":"t","partition":0,"offset":6}
{"ts":20000,"key":"a","value":1,"window":{"start":20000,"end":20000},"topic":"t","partition":0,"offset":5}
EOF
	[ -z "$stderr" ]
}

@test "--sliding: left and right windows, both ends included, as KIP-450" {
	run -0 --separate-stderr kcount --sliding 10s --grace 20s "$FIX/kcount-sliding.jsonl"
	# 18000 updates [10001,20001], makes 15000's right window and its own
	# left window [8000,18000] (10000, 15000 and 18000).
	check_output <<'EOF'
{"ts":10000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":15000,"key":"a","value":1,"window":{"start":10001,"end":20001}}
{"ts":15000,"key":"a","value":2,"window":{"start":5000,"end":15000}}
{"ts":30000,"key":"a","value":1,"window":{"start":20000,"end":30000}}
{"ts":18000,"key":"a","value":2,"window":{"start":10001,"end":20001}}
{"ts":18000,"key":"a","value":1,"window":{"start":15001,"end":25001}}
{"ts":18000,"key":"a","value":3,"window":{"start":8000,"end":18000}}
EOF
	[ -z "$stderr" ]
	# Without grace every window of 18000 has closed at 30000.
	run -0 --separate-stderr kcount --sliding 10s "$FIX/kcount-sliding.jsonl"
	check_output <<'EOF'
{"ts":10000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":15000,"key":"a","value":1,"window":{"start":10001,"end":20001}}
{"ts":15000,"key":"a","value":2,"window":{"start":5000,"end":15000}}
{"ts":30000,"key":"a","value":1,"window":{"start":20000,"end":30000}}
EOF
	[ "$stderr" = 'kcount: dropped 1 late record' ]
}

@test "--sliding --emit final --close-at-end: by window end" {
	run -0 --separate-stderr kcount --sliding 10s --grace 20s --emit final --close-at-end \
	    "$FIX/kcount-sliding.jsonl"
	check_output <<'EOF'
{"ts":10000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":15000,"key":"a","value":2,"window":{"start":5000,"end":15000}}
{"ts":18000,"key":"a","value":3,"window":{"start":8000,"end":18000}}
{"ts":18000,"key":"a","value":2,"window":{"start":10001,"end":20001}}
{"ts":18000,"key":"a","value":1,"window":{"start":15001,"end":25001}}
{"ts":30000,"key":"a","value":1,"window":{"start":20000,"end":30000}}
EOF
	[ -z "$stderr" ]
}

@test "--table --by: rows move between groups, as KGroupedTable.count" {
	run -0 --separate-stderr kcount --table --by .value.dept "$FIX/kcount-table.jsonl"
	# e1 moves from x to y; e2 stays in x (one update); null values
	# delete rows; e3's null group and the null row key are skipped.
	check_output <<'EOF'
{"ts":1,"key":"x","value":1}
{"ts":2,"key":"x","value":2}
{"ts":3,"key":"x","value":1}
{"ts":3,"key":"y","value":1}
{"ts":4,"key":"x","value":1}
{"ts":5,"key":"x","value":0}
{"ts":7,"key":"y","value":0}
EOF
	[ "$stderr" = 'kcount: skipped 2 records with a null key' ]
}

@test "--table without --by: each row counts once in its own key" {
	run -0 --separate-stderr kcount --table "$FIX/kcount-table.jsonl"
	check_output <<'EOF'
{"ts":1,"key":"e1","value":1}
{"ts":2,"key":"e2","value":1}
{"ts":3,"key":"e1","value":1}
{"ts":4,"key":"e2","value":1}
{"ts":5,"key":"e2","value":0}
{"ts":6,"key":"e3","value":1}
{"ts":7,"key":"e1","value":0}
EOF
	[ "$stderr" = 'kcount: skipped 1 record with a null key' ]
}

@test "--table: rows are remembered across runs; the store refuses a stream count" {
	head -3 "$FIX/kcount-table.jsonl" > run1
	tail -n +4 "$FIX/kcount-table.jsonl" > run2
	run -0 --separate-stderr kcount -s st --table --by .value.dept run1
	run -0 --separate-stderr kcount -s st --table --by .value.dept run2
	check_output <<'EOF'
{"ts":4,"key":"x","value":1}
{"ts":5,"key":"x","value":0}
{"ts":7,"key":"y","value":0}
EOF
	run -5 --separate-stderr kcount -s st --by .value.dept run2
	[ -z "$output" ]
	[ "$stderr" = "kcount: store 'st/kcount' was made with 'input=\"table\"', which this command lacks" ]
}

@test "usage error: --table with a window" {
	local m='--table counts a table over all time: no window'
	usage_error "$m" --table --tumbling 1s
	usage_error "$m" --table --session 1s
	usage_error '--grace, --emit final, --close-at-end, --late and --retention need a window' \
	    --table --emit final
}

# --- state larger than the table in memory -----------------------------------------------------

@test "--cache-size 64k: 3000 keys counted three times through the store" {
	awk 'BEGIN {
		for (r = 1; r <= 3; r++)
			for (i = 0; i < 3000; i++) {
				ts = r * 10000 + i
				printf "{\"ts\":%d,\"key\":\"key-%05d\",\"value\":%d}\n", ts, i, r > "in"
				printf "{\"ts\":%d,\"key\":\"key-%05d\",\"value\":%d}\n", ts, i, r > "want"
			}
	}'
	run -0 --separate-stderr kcount --cache-size 64k in
	check_output < want
	[ -z "$stderr" ]
	run -0 --separate-stderr kcount -s st --cache-size=64k in
	check_output < want
	[ -z "$stderr" ]
}

@test "--cache-size 64k with windows: the same final counts" {
	# 2000 keys, one record each at ts i*10 in 5 s windows, then one more
	# each: key i has 2 records in window (i*10 / 5000).
	awk 'BEGIN {
		for (r = 0; r < 2; r++)
			for (i = 0; i < 2000; i++)
				printf "{\"ts\":%d,\"key\":%d,\"value\":1}\n", i * 10 + r, i > "in"
	}'
	# Expected: by window end, then the key text (byte order).
	awk 'BEGIN {
		for (i = 0; i < 2000; i++) {
			s = int(i * 10 / 5000) * 5000
			printf "%d %s {\"ts\":%d,\"key\":%d,\"value\":2,\"window\":{\"start\":%d,\"end\":%d}}\n",
			    s + 5000, i, i * 10 + 1, i, s, s + 5000
		}
	}' | sort -k1,1n -k2,2 | cut -d" " -f3 > want
	run -0 --separate-stderr kcount --tumbling 5s --grace 30s --emit final --close-at-end \
	    --cache-size 64k -s st in
	check_output < want
	[ -z "$stderr" ]
}
