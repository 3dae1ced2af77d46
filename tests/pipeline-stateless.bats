#!/usr/bin/env bats
# Stateless pipelines end to end: kcat-in | kfilter | kmap | kout.
#
# Each pipeline runs under bash -c and ends by printing the exit status of
# every command in it ("status: 0 0 0 0"), so that no status is lost in
# the pipe and the whole output, statuses included, is compared at once.

load helper

setup() {
	cd "$FIX"
	T=$BATS_TEST_TMPDIR
}

@test "pipeline: kcat-in | kfilter | kmap | kout, computed values" {
	run -0 --separate-stderr bash -c '
	    kcat-in --input records -f pipe-trades.jsonl |
	    kfilter ".value.qty > 0" |
	    kmap "{key: .value.sym, value: {trade: .key, notional: (.value.px * .value.qty)}}" |
	    kout --format "%T %t:%o %k=%v\n"
	    echo "status: ${PIPESTATUS[*]}"'
	check_output <<'EOF'
1000 pipe-trades.jsonl:1 AAPL={"trade":"t1","notional":500}
3000 pipe-trades.jsonl:4 AAPL={"trade":"t3","notional":1015}
4000 pipe-trades.jsonl:5 IBM={"trade":"t4","notional":280}
status: 0 0 0 0
EOF
	[ -z "$stderr" ]
}

@test "pipeline: an untouched value keeps its bytes to kout (big ints, spacing)" {
	run -0 --separate-stderr bash -c '
	    kcat-in --input records -f pipe-trades.jsonl |
	    kfilter --arg sym AAPL ".value.sym == \$sym" |
	    kmap "{key: .value.sym, value: .value}" |
	    kout
	    echo "status: ${PIPESTATUS[*]}"'
	check_output <<'EOF'
{"ts":1000,"key":"AAPL","value":{"sym":"AAPL", "px":100, "qty":5, "id":12345678901234567890},"topic":"pipe-trades.jsonl","partition":0,"offset":1}
{"ts":3000,"key":"AAPL","value":{"sym":"AAPL", "px":101.5, "qty":10, "id":3},"topic":"pipe-trades.jsonl","partition":0,"offset":4}
status: 0 0 0 0
EOF
	[ -z "$stderr" ]
}

@test "pipeline: control records pass through kcat-in, kfilter and kmap in order" {
	run -0 --separate-stderr bash -c '
	    kcat-in --input records -f pipe-trades.jsonl |
	    kfilter ".value.qty > 0" |
	    kmap "{key: .value.sym, value: .value.qty}"
	    echo "status: ${PIPESTATUS[*]}"'
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"AAPL","value":5,"topic":"pipe-trades.jsonl","partition":0,"offset":1}
{"@":"barrier","epoch":1,"offsets":{"pipe-trades.jsonl":{"0":4}}}
{"ts":3000,"key":"AAPL","value":10,"topic":"pipe-trades.jsonl","partition":0,"offset":4}
{"ts":4000,"key":"IBM","value":2,"topic":"pipe-trades.jsonl","partition":0,"offset":5}
{"@":"end"}
status: 0 0 0
EOF
	[ -z "$stderr" ]
}

@test "pipeline: a stream that began with resume and lost its end exits 3 at every stage" {
	run -0 --separate-stderr bash -c '
	    kfilter true pipe-no-end.jsonl | kmap . | kout --format value
	    echo "status: ${PIPESTATUS[*]}"'
	check_output <<'EOF'
1
2
status: 3 3 3
EOF
	check_stderr <<'EOF'
kfilter: input ended without {"@":"end"}: upstream stopped before the end of its stream
kmap: input ended without {"@":"end"}: upstream stopped before the end of its stream
kout: input ended without {"@":"end"}: upstream stopped before the end of its stream
EOF
}

@test "round trip: kcat-in --input lines | kout --format value gives the text back" {
	run -0 --separate-stderr bash -c '
	    kcat-in --input lines -f pipe-text.txt | kout --format value -o "$1"
	    echo "status: ${PIPESTATUS[*]}"' _ "$T/out"
	check_output <<'EOF'
status: 0 0
EOF
	[ -z "$stderr" ]
	cmp pipe-text.txt "$T/out"
}

@test "round trip: --input lines with control characters and a line that is not UTF-8" {
	printf 'a\000b\n\001\037\n\377\376 bin\nend\n' >"$T/in.txt"
	run -0 --separate-stderr bash -c '
	    kcat-in --input lines -f "$1" | kout --format value -o "$2"
	    echo "status: ${PIPESTATUS[*]}"' _ "$T/in.txt" "$T/out"
	check_output <<'EOF'
status: 0 0
EOF
	[ -z "$stderr" ]
	cmp "$T/in.txt" "$T/out"
}

@test "round trip: kcat-in (auto) | kout --format value keeps every one-line payload" {
	{ cat pipe-payloads.txt; printf '\377\376 binary\n'; } >"$T/in.txt"
	run -0 --separate-stderr bash -c '
	    kcat-in -f "$1" | kout --format value -o "$2"
	    echo "status: ${PIPESTATUS[*]}"' _ "$T/in.txt" "$T/out"
	check_output <<'EOF'
status: 0 0
EOF
	[ -z "$stderr" ]
	cmp "$T/in.txt" "$T/out"
}

@test "round trip: auto keeps spaces around a JSON payload" {
	printf ' 42\n{"a":1} \n\t[true]\n' >"$T/in.txt"
	run -0 --separate-stderr bash -c '
	    kcat-in -f "$1" | kout --format value -o "$2"
	    echo "status: ${PIPESTATUS[*]}"' _ "$T/in.txt" "$T/out"
	check_output <<'EOF'
status: 0 0
EOF
	[ -z "$stderr" ]
	cmp "$T/in.txt" "$T/out"
}
