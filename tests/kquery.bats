#!/usr/bin/env bats
# kquery: read a kcount or kwindow store, as of its last commit: one key,
# all keys, a key range, and windows by start time.
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T), where kcount or
# kwindow first builds the store.  Results come in the byte order of the
# key's JSON text, then by window start.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

usage() {
	usage_of kquery
}

usage_error() {
	local msg=$1
	shift
	run -2 --separate-stderr kquery "$@"
	[ -z "$output" ]
	{ echo "kquery: $msg"; usage; } | check_stderr
}

# A kcount store over all time, in st/kcount.
counts() {
	kcount -s st "$FIX/kquery-counts.jsonl" > /dev/null
}

# A kwindow store of 10 s windows, kept 40 s, in st/kwindow.
windows() {
	kwindow -s st --tumbling 10s --retention 40s -a n=count -a 's=sum(.value.x)' \
	    "$FIX/kquery-windows.jsonl" > /dev/null
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	run -0 --separate-stderr kquery -h
	usage | check_output
	[ -z "$stderr" ]
	run -0 --separate-stderr kquery --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	run -0 --separate-stderr kquery --version
	[ "$output" = 'kquery (kpipe) 0.1.0' ]
	[ -z "$stderr" ]
}

@test "usage error: a key, --all, or --from and --to, one of them" {
	counts
	usage_error 'give a key, --all, or --from and --to' -s st
	usage_error 'give a key, --all, or --from and --to' -s st a --all
	usage_error 'give a key, --all, or --from and --to' -s st --all --from a --to b
	usage_error 'give a key, --all, or --from and --to' -s st a --from a --to b
	usage_error 'give a key, --all, or --from and --to' -s st --time-from 0
	usage_error '--from and --to go together' -s st --from a
	usage_error '--from and --to go together' -s st --to b
	usage_error 'too many arguments' -s st a b
}

@test "usage error: unknown options, a missing argument" {
	counts
	usage_error "unknown option '-v'" -s st --all -v
	usage_error "unknown option '--on-error'" -s st --all --on-error skip
	usage_error "unknown option '--tumbling'" -s st --all --tumbling 1s
	usage_error "option '--from' needs an argument" -s st --to a --from
	usage_error "option '--name' needs an argument" -s st --all --name
}

@test "usage error: -m is 1 to 86400 seconds" {
	usage_error "-m '0': not 1 to 86400 seconds" -s st --all -m 0
	usage_error "-m '86401': not 1 to 86400 seconds" -s st --all -m 86401
	usage_error "-m 'x': not a count" -s st --all -m x
}

@test "usage error: a time that is not one" {
	counts
	usage_error "--time-from 'x': not an ISO 8601 time" -s st --all --time-from x
	usage_error "--time-from '5s': not an ISO 8601 time" -s st --all --time-from 5s
	usage_error "--time-to '2026-13-01T00:00:00Z': no such date" -s st --all --time-to 2026-13-01T00:00:00Z
}

@test "usage error: no state directory; -s empty; --name not a file name" {
	usage_error 'no state directory: give -s or set KPIPE_STATE' --all
	KPIPE_STATE= usage_error 'no state directory: give -s or set KPIPE_STATE' --all
	usage_error '-s: empty argument' -s '' --all
	usage_error "--name 'x/y': not a file name" -s st --name x/y --all
}

@test "a key that is not UTF-8 exits 2" {
	counts
	run -2 --separate-stderr kquery -s st $'a\xff'
	[ -z "$output" ]
	[ "$stderr" = $'kquery: key \'a\xff\': not UTF-8' ]
}

@test "no such directory, no store in it, no such --name: exit 5" {
	run -5 --separate-stderr kquery -s nodir --all
	[ -z "$output" ]
	[ "$stderr" = "kquery: 'nodir': No such file or directory" ]
	mkdir empty
	run -5 --separate-stderr kquery -s empty --all
	[ "$stderr" = "kquery: 'empty' holds no store" ]
	counts
	run -5 --separate-stderr kquery -s st --name nope --all
	[ -z "$output" ]
	[ "$stderr" = "kquery: store 'st/nope': no such store" ]
	[ ! -e st/nope ]
}

@test "several stores in DIR without --name: exit 2" {
	counts
	windows
	run -2 --separate-stderr kquery -s st --all
	[ -z "$output" ]
	[ "$stderr" = "kquery: 'st' holds several stores ('kcount', 'kwindow', ...): name one with --name" ] ||
	[ "$stderr" = "kquery: 'st' holds several stores ('kwindow', 'kcount', ...): name one with --name" ]
}

@test "a write error on standard output exits 1" {
	counts
	run -1 --separate-stderr bash -c 'kquery -s st --all > /dev/full'
	[ "$stderr" = 'kquery: write error on standard output: No space left on device' ]
	run -0 --separate-stderr kquery -s st c
	[ "$output" = '{"ts":7000,"key":"c","value":1,"topic":"t","partition":0,"offset":6}' ]
}

# --- a store over all time ---------------------------------------------------

@test "--all: every key, in the byte order of its JSON text" {
	counts
	run -0 --separate-stderr kquery -s st --all
	check_output <<'EOF'
{"ts":2000,"key":"a","value":1,"topic":"t","partition":0,"offset":1}
{"ts":6000,"key":"ab","value":1,"topic":"t","partition":0,"offset":5}
{"ts":4000,"key":"b","value":2,"topic":"t","partition":0,"offset":3}
{"ts":7000,"key":"c","value":1,"topic":"t","partition":0,"offset":6}
{"ts":3000,"key":10,"value":1,"topic":"t","partition":0,"offset":2}
{"ts":5000,"key":9,"value":1,"topic":"t","partition":0,"offset":4}
{"ts":8000,"key":{"id":1},"value":1,"topic":"t","partition":0,"offset":7}
EOF
	[ -z "$stderr" ]
	# The one store in DIR needs no --name; -q changes nothing.
	run -0 --separate-stderr kquery -q -s st --name kcount --all
	[ "${#lines[@]}" -eq 7 ]
	[ -z "$stderr" ]
}

@test "KEY: a string as typed, or JSON text; none is no output" {
	counts
	run -0 --separate-stderr kquery -s st b
	[ "$output" = '{"ts":4000,"key":"b","value":2,"topic":"t","partition":0,"offset":3}' ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kquery -s st '"b"'
	[ "$output" = '{"ts":4000,"key":"b","value":2,"topic":"t","partition":0,"offset":3}' ]
	# "a" is not a prefix of "ab".
	run -0 --separate-stderr kquery -s st a
	[ "$output" = '{"ts":2000,"key":"a","value":1,"topic":"t","partition":0,"offset":1}' ]
	run -0 --separate-stderr kquery -s st 10
	[ "$output" = '{"ts":3000,"key":10,"value":1,"topic":"t","partition":0,"offset":2}' ]
	run -0 --separate-stderr kquery -s st '{"id":1}'
	[ "$output" = '{"ts":8000,"key":{"id":1},"value":1,"topic":"t","partition":0,"offset":7}' ]
	for k in '"10"' 1 zz '{"id": 1}' ' a'; do
		run -0 --separate-stderr kquery -s st "$k"
		[ -z "$output" ]
		[ -z "$stderr" ]
	done
}

@test "--from and --to: a key range, both ends included" {
	counts
	run -0 --separate-stderr kquery -s st --from a --to b
	check_output <<'EOF'
{"ts":2000,"key":"a","value":1,"topic":"t","partition":0,"offset":1}
{"ts":6000,"key":"ab","value":1,"topic":"t","partition":0,"offset":5}
{"ts":4000,"key":"b","value":2,"topic":"t","partition":0,"offset":3}
EOF
	run -0 --separate-stderr kquery -s st --from '"c"' --to 9
	check_output <<'EOF'
{"ts":7000,"key":"c","value":1,"topic":"t","partition":0,"offset":6}
{"ts":3000,"key":10,"value":1,"topic":"t","partition":0,"offset":2}
{"ts":5000,"key":9,"value":1,"topic":"t","partition":0,"offset":4}
EOF
	run -0 --separate-stderr kquery -s st --to=ab --from=ab
	[ "$output" = '{"ts":6000,"key":"ab","value":1,"topic":"t","partition":0,"offset":5}' ]
	run -0 --separate-stderr kquery -s st --from aa --to bb
	check_output <<'EOF'
{"ts":6000,"key":"ab","value":1,"topic":"t","partition":0,"offset":5}
{"ts":4000,"key":"b","value":2,"topic":"t","partition":0,"offset":3}
EOF
	run -0 --separate-stderr kquery -s st --from c --to a
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "\$KPIPE_STATE is the directory without -s; -s wins" {
	counts
	KPIPE_STATE=$T/st run -0 --separate-stderr kquery c
	[ "$output" = '{"ts":7000,"key":"c","value":1,"topic":"t","partition":0,"offset":6}' ]
	KPIPE_STATE=$T/nodir run -0 --separate-stderr kquery -s st c
	[ "$output" = '{"ts":7000,"key":"c","value":1,"topic":"t","partition":0,"offset":6}' ]
}

@test "kquery sees the last commit: a run that died after its barrier" {
	run -3 --separate-stderr kcount -s st "$FIX/kquery-resume-no-end.jsonl"
	run -0 --separate-stderr kquery -s st --all
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":2000,"key":"b","value":1}
EOF
	[ -z "$stderr" ]
}

@test "kquery writes nothing: the owner goes on as before" {
	counts
	run -0 --separate-stderr kquery -s st --all
	run -0 --separate-stderr kquery -s st b
	run -0 --separate-stderr kcount -s st "$FIX/kquery-counts.jsonl"
	[ "${lines[0]}" = '{"ts":4000,"key":"b","value":3,"topic":"t","partition":0,"offset":0}' ]
	run -0 --separate-stderr kquery -s st --from 1 --to 99
	check_output <<'EOF'
{"ts":3000,"key":10,"value":2,"topic":"t","partition":0,"offset":2}
{"ts":5000,"key":9,"value":2,"topic":"t","partition":0,"offset":4}
EOF
}

# --- windowed stores -------------------------------------------------------------

@test "a windowed store: key order, then window start; values as kwindow writes them" {
	windows
	run -0 --separate-stderr kquery -s st --all
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1},"window":{"start":0,"end":10000}}
{"ts":14000,"key":"a","value":{"n":2,"s":7},"window":{"start":10000,"end":20000}}
{"ts":31000,"key":"a","value":{"n":1,"s":6},"window":{"start":30000,"end":40000}}
{"ts":5000,"key":"b","value":{"n":1,"s":2},"window":{"start":0,"end":10000}}
{"ts":25000,"key":"b","value":{"n":1,"s":5},"window":{"start":20000,"end":30000}}
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kquery -s st b
	check_output <<'EOF'
{"ts":5000,"key":"b","value":{"n":1,"s":2},"window":{"start":0,"end":10000}}
{"ts":25000,"key":"b","value":{"n":1,"s":5},"window":{"start":20000,"end":30000}}
EOF
}

@test "--time-from and --time-to: windows whose start is in the range, both ends included" {
	windows
	run -0 --separate-stderr kquery -s st --all --time-from 10000 --time-to 20000
	check_output <<'EOF'
{"ts":14000,"key":"a","value":{"n":2,"s":7},"window":{"start":10000,"end":20000}}
{"ts":25000,"key":"b","value":{"n":1,"s":5},"window":{"start":20000,"end":30000}}
EOF
	run -0 --separate-stderr kquery -s st --all --time-from 1970-01-01T00:00:20Z
	check_output <<'EOF'
{"ts":31000,"key":"a","value":{"n":1,"s":6},"window":{"start":30000,"end":40000}}
{"ts":25000,"key":"b","value":{"n":1,"s":5},"window":{"start":20000,"end":30000}}
EOF
	run -0 --separate-stderr kquery -s st --all --time-to 0
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1},"window":{"start":0,"end":10000}}
{"ts":5000,"key":"b","value":{"n":1,"s":2},"window":{"start":0,"end":10000}}
EOF
	run -0 --separate-stderr kquery -s st a --time-from 5000
	check_output <<'EOF'
{"ts":14000,"key":"a","value":{"n":2,"s":7},"window":{"start":10000,"end":20000}}
{"ts":31000,"key":"a","value":{"n":1,"s":6},"window":{"start":30000,"end":40000}}
EOF
	run -0 --separate-stderr kquery -s st --from a --to a --time-to 1970-01-01T00:00:10Z
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1},"window":{"start":0,"end":10000}}
{"ts":14000,"key":"a","value":{"n":2,"s":7},"window":{"start":10000,"end":20000}}
EOF
	run -0 --separate-stderr kquery -s st --all --time-from 20001 --time-to 29999
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "--retention: closed windows stay until stream time passes start + retention" {
	windows
	run -0 --separate-stderr kwindow -s st --tumbling 10s --retention 40s -a n=count -a 's=sum(.value.x)' \
	    "$FIX/kquery-later.jsonl"
	# Stream time 52000: windows starting at or before 12000 go.
	run -0 --separate-stderr kquery -s st --all
	check_output <<'EOF'
{"ts":31000,"key":"a","value":{"n":1,"s":6},"window":{"start":30000,"end":40000}}
{"ts":52000,"key":"a","value":{"n":1,"s":7},"window":{"start":50000,"end":60000}}
{"ts":25000,"key":"b","value":{"n":1,"s":5},"window":{"start":20000,"end":30000}}
EOF
}

@test "without --retention a window leaves the store when it closes" {
	kwindow -s st --tumbling 10s -a n=count -a 's=sum(.value.x)' "$FIX/kquery-windows.jsonl" > /dev/null
	run -0 --separate-stderr kquery -s st --all
	check_output <<'EOF'
{"ts":31000,"key":"a","value":{"n":1,"s":6},"window":{"start":30000,"end":40000}}
EOF
	kcount -s st --tumbling 10s --emit final --close-at-end "$FIX/kquery-windows.jsonl" > /dev/null
	run -0 --separate-stderr kquery -s st --name kcount --all
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "a kcount store with windows and --retention" {
	kcount -s st --hopping 10s --advance 5s --retention 1m "$FIX/kquery-windows.jsonl" > /dev/null
	run -0 --separate-stderr kquery -s st b
	check_output <<'EOF'
{"ts":5000,"key":"b","value":1,"window":{"start":0,"end":10000}}
{"ts":5000,"key":"b","value":1,"window":{"start":5000,"end":15000}}
{"ts":25000,"key":"b","value":1,"window":{"start":20000,"end":30000}}
{"ts":25000,"key":"b","value":1,"window":{"start":25000,"end":35000}}
EOF
}

@test "a reducer's store, and one made with --arg and --argjson" {
	kwindow -s st --name r --init '[]' --reduce '. + [$record.value.x]' "$FIX/kquery-windows.jsonl" > /dev/null
	kwindow -s st --name k --argjson k 10 --arg tag v -a 's=sum(.value.x * $k)' -a 'l=last($tag)' \
	    "$FIX/kquery-windows.jsonl" > /dev/null
	run -0 --separate-stderr kquery -s st --name r --all
	check_output <<'EOF'
{"ts":31000,"key":"a","value":[1,3,4,6]}
{"ts":25000,"key":"b","value":[2,5]}
EOF
	run -0 --separate-stderr kquery -s st --name k --all
	check_output <<'EOF'
{"ts":31000,"key":"a","value":{"s":140,"l":"v"}}
{"ts":25000,"key":"b","value":{"s":70,"l":"v"}}
EOF
	[ -z "$stderr" ]
}

@test "kjoin's store: the table's rows, one key, a key range" {
	printf '%s\n' '{"ts":1,"key":"u1","value":{"name":"Ann"},"topic":"p"}' \
	    '{"ts":2,"key":"u2","value":{"name":"Bo"},"topic":"p"}' \
	    '{"ts":3,"key":"u3","value":{"name":"Cy"},"topic":"p"}' \
	    '{"ts":4,"key":"u2","value":null,"topic":"p"}' |
	    kjoin -s st --table --left-topic v --right-topic p
	run -0 --separate-stderr kquery -s st --name kjoin --all
	check_output <<'EOF'
{"key":"u1","value":{"name":"Ann"}}
{"key":"u3","value":{"name":"Cy"}}
EOF
	run -0 --separate-stderr kquery -s st --name kjoin u3
	check_output <<'EOF'
{"key":"u3","value":{"name":"Cy"}}
EOF
	run -0 --separate-stderr kquery -s st --name kjoin --from u0 --to u2
	check_output <<'EOF'
{"key":"u1","value":{"name":"Ann"}}
EOF
}
