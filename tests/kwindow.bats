#!/usr/bin/env bats
# kwindow: aggregate per key and window with -a NAME=FUNC(EXPR) or a jq
# reducer (--init, --reduce).
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T).  Expected outputs are
# written by hand: a hopping window [k*A, k*A+S) closes when stream time
# >= end + grace; --emit update writes one result per window a record
# updates, by start; --emit final each window once, by end, then key.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

usage() {
	usage_of kwindow
}

# usage_error MESSAGE ARGS...: exit 2, MESSAGE and the usage lines.
usage_error() {
	local msg=$1
	shift
	run -2 --separate-stderr kwindow "$@" < /dev/null
	[ -z "$output" ]
	{ echo "kwindow: $msg"; usage; } | check_stderr
}

# bad_spec MESSAGE ARGS...: exit 2 with MESSAGE alone (an -a, --init or a
# program that cannot be used).
bad_spec() {
	local msg=$1
	shift
	run -2 --separate-stderr kwindow "$@" < /dev/null
	[ -z "$output" ]
	[ "$stderr" = "kwindow: $msg" ]
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	run -0 --separate-stderr kwindow -h
	usage | check_output
	[ -z "$stderr" ]
	run -0 --separate-stderr kwindow --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	run -0 --separate-stderr kwindow --version
	[ "$output" = 'kwindow (kpipe) 0.1.0' ]
	[ -z "$stderr" ]
}

@test "usage error: no aggregate, or both kinds" {
	usage_error 'needs -a, or --init and --reduce'
	usage_error 'needs -a, or --init and --reduce' --tumbling 1s
	usage_error 'needs -a, or --init and --reduce' --init 0
	usage_error 'needs -a, or --init and --reduce' --reduce .
	usage_error '-a and --init/--reduce exclude each other' -a n=count --init 0 --reduce .
	usage_error '-a and --init/--reduce exclude each other' -a n=count --reduce .
}

@test "usage error: unknown options, arguments, the shared flags" {
	usage_error "unknown option '-x'" -x -a n=count
	usage_error 'too many arguments' -a n=count "$FIX/kwindow-funcs.jsonl" extra
	usage_error "option '-a' needs an argument" -a
	usage_error "option '--init' needs an argument" --reduce . --init
	usage_error "--tumbling '1x': unknown unit" --tumbling 1x -a n=count
	usage_error '--hopping needs --advance' --hopping 5s -a n=count
	usage_error '--advance must not exceed the window size' --hopping 5s --advance 10s -a n=count
	usage_error '--hopping and --advance put each record in 1000001 windows: at most 1000000' \
	    --hopping 1000001 --advance 1 -a n=count
	usage_error '--hopping and --advance put each record in 38430716820229 windows: at most 1000000' \
	    --hopping 38430716820229 --advance 1 -a n=count
	usage_error "--tumbling '1000000000000001': too large (at most 10^15 ms, about 31,700 years)" \
	    --tumbling 1000000000000001 -a n=count
	usage_error "--session '11574075d': too large (at most 10^15 ms, about 31,700 years)" \
	    --session 11574075d -a n=count
	usage_error '--grace, --emit final, --close-at-end, --late and --retention need a window' \
	    --emit final -a n=count
	usage_error "--emit 'last': not update or final" --tumbling 1s --emit last -a n=count
	usage_error '--cache-size must be 64k or more' --cache-size 1k -a n=count
	usage_error "--name 'x/y': not a file name" --name x/y -a n=count
	usage_error "--argjson k: invalid JSON text '[1'" --argjson k '[1' -a n=count
}

@test "usage error: --table is kcount's, not kwindow's" {
	usage_error "unknown option '--table'" --table -a n=count
}

@test "a bad -a: not NAME=FUNC(EXPR)" {
	bad_spec "-a 'n': expected NAME=FUNC(EXPR)" -a n
	bad_spec "-a '=count': expected NAME=FUNC(EXPR)" -a =count
	bad_spec "-a 's=sum(.x': expected NAME=FUNC(EXPR)" -a 's=sum(.x'
	bad_spec "-a 's=sum(.x)y': expected NAME=FUNC(EXPR)" -a 's=sum(.x)y'
	bad_spec "-a 's=sum(.x) ': expected NAME=FUNC(EXPR)" -a 's=sum(.x) '
	# A good -a does not save a bad one after it.
	bad_spec "-a 'm': expected NAME=FUNC(EXPR)" -a n=count -a m
}

@test "a bad -a: an unknown function, a function without its expression" {
	bad_spec "-a 'c=cnt(.x)': unknown function 'cnt'" -a 'c=cnt(.x)'
	bad_spec "-a 'c=COUNT': unknown function 'COUNT'" -a 'c=COUNT'
	bad_spec "-a 'm=median(.x)': unknown function 'median'" -a 'm=median(.x)'
	bad_spec "-a 's=sum': sum needs an expression" -a s=sum
	bad_spec "-a 's=sum()': sum needs an expression" -a 's=sum()'
	bad_spec "-a 'm=min': min needs an expression" -a m=min
	bad_spec "-a 'm=max()': max needs an expression" -a 'm=max()'
	bad_spec "-a 'a=avg': avg needs an expression" -a a=avg
	bad_spec "-a 'f=first()': first needs an expression" -a 'f=first()'
	bad_spec "-a 'l=last': last needs an expression" -a l=last
}

@test "a bad -a: a name that is not UTF-8" {
	bad_spec '-a: the name is not UTF-8' -a $'\xff=count'
}

@test "a bad -a: an expression that does not compile, with jq's message" {
	run -2 --separate-stderr kwindow -a 's=sum(()' < /dev/null
	[ -z "$output" ]
	check_stderr <<'EOF'
kwindow: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
	run -2 --separate-stderr kwindow -a 'm=min($x)' < /dev/null
	check_stderr <<'EOF'
kwindow: jq: error: $x is not defined at <top-level>, line 1:
$x; jq: 1 compile error
EOF
}

@test "a bad reducer: --init not JSON, --reduce that does not compile" {
	bad_spec '--init: not JSON' --init x --reduce .
	bad_spec '--init: not JSON' --init '1 2' --reduce .
	bad_spec '--init: not JSON' --init '' --reduce .
	bad_spec '--init: not JSON' --init '{"a":' --reduce .
	run -2 --separate-stderr kwindow --init 0 --reduce '(' < /dev/null
	[ -z "$output" ]
	check_stderr <<'EOF'
kwindow: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
}

@test "a write error on standard output exits 1" {
	run -1 --separate-stderr bash -c 'kwindow -a n=count "$1" > /dev/full' - "$FIX/kwindow-run1.jsonl"
	[ "$stderr" = 'kwindow: write error on standard output: No space left on device' ]
}

# --- the functions -------------------------------------------------------------

@test "-a with all seven functions, over all time" {
	run -0 --separate-stderr kwindow -a n=count -a 'nx=count(.value.x)' -a 'sum=sum(.value.x)' \
	    -a 'min=min(.value.x)' -a 'max=max(.value.x)' -a 'avg=avg(.value.x)' \
	    -a 'first=first(.value.s)' -a 'last=last(.value.s)' -a 'c=count()' \
	    "$FIX/kwindow-funcs.jsonl"
	# null and absent x: passed over by count(x), sum, min, max, avg;
	# first and last take any output, null too.
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"nx":1,"sum":3,"min":3,"max":3,"avg":3,"first":"p","last":"p","c":1},"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"a","value":{"n":2,"nx":1,"sum":3,"min":3,"max":3,"avg":3,"first":"p","last":"q","c":2},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":{"n":3,"nx":1,"sum":3,"min":3,"max":3,"avg":3,"first":"p","last":"r","c":3},"topic":"t","partition":0,"offset":2}
{"ts":4000,"key":"a","value":{"n":4,"nx":2,"sum":1.5,"min":-1.5,"max":3,"avg":0.75,"first":"p","last":null,"c":4},"topic":"t","partition":0,"offset":3}
{"ts":5000,"key":"b","value":{"n":1,"nx":0,"sum":0,"min":null,"max":null,"avg":null,"first":null,"last":null,"c":1},"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "-a: any jq program; --arg and --argjson; no output is null; --agg=" {
	run -0 --separate-stderr kwindow --argjson k 2 --arg tag hi \
	    -a 'dbl=sum((.value.x // 0) * $k)' -a 'tag=last($tag)' -a 'ts=max(.ts)' \
	    -a 'len=sum(.value.s | length)' --agg='big=count(select(.value.x > 0))' \
	    -a 'none=first(empty)' "$FIX/kwindow-funcs.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"dbl":6,"tag":"hi","ts":1000,"len":1,"big":1,"none":null},"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"a","value":{"dbl":6,"tag":"hi","ts":2000,"len":2,"big":1,"none":null},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":{"dbl":6,"tag":"hi","ts":3000,"len":3,"big":1,"none":null},"topic":"t","partition":0,"offset":2}
{"ts":4000,"key":"a","value":{"dbl":3,"tag":"hi","ts":4000,"len":3,"big":1,"none":null},"topic":"t","partition":0,"offset":3}
{"ts":5000,"key":"b","value":{"dbl":0,"tag":"hi","ts":5000,"len":0,"big":0,"none":null},"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "-a: one expression read by several functions; names are JSON-escaped" {
	run -0 --separate-stderr kwindow -a 'lo=min(.value.x)' -a 'hi=max(.value.x)' \
	    -a 'a"b=count(.value.x)' -a 'é=sum(.value.x)' -a 'n=count(.value.x)' "$FIX/kwindow-funcs.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"lo":3,"hi":3,"a\"b":1,"é":3,"n":1},"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"a","value":{"lo":3,"hi":3,"a\"b":1,"é":3,"n":1},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":{"lo":3,"hi":3,"a\"b":1,"é":3,"n":1},"topic":"t","partition":0,"offset":2}
{"ts":4000,"key":"a","value":{"lo":-1.5,"hi":3,"a\"b":2,"é":1.5,"n":2},"topic":"t","partition":0,"offset":3}
{"ts":5000,"key":"b","value":{"lo":null,"hi":null,"a\"b":0,"é":0,"n":0},"topic":"t","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "numbers: shortest form; first and last of a plain path keep the bytes" {
	run -0 --separate-stderr kwindow -a 's=sum(.value.x)' -a 'avg=avg(.value.x)' \
	    -a 'f=first(.value.id)' -a 'l=last(.value.id)' -a 'm=max(.value.id)' \
	    -a 'fo=first(.value.o)' -a 'jo=first(.value.o | .)' "$FIX/kwindow-numbers.jsonl"
	check_output <<'EOF'
{"ts":1,"key":"a","value":{"s":0.1,"avg":0.1,"f":1.0,"l":1.0,"m":1,"fo":{"b": 2},"jo":{"b":2}}}
{"ts":2,"key":"a","value":{"s":0.30000000000000004,"avg":0.15000000000000002,"f":1.0,"l":12345678901234567890,"m":1.2345678901234567e+19,"fo":{"b": 2},"jo":{"b":2}}}
EOF
	[ -z "$stderr" ]
}

@test "sum of a value that is not a number: fail" {
	run -1 --separate-stderr kwindow -a 's=sum(.value.x)' < "$FIX/kwindow-sum-bad.jsonl"
	[ "$output" = '{"ts":1000,"key":"a","value":{"s":1}}' ]
	[ "$stderr" = 'kwindow: line 2: -a "s": sum of a value that is not a number' ]
	# The same through libjq, and for min, max and avg.
	run -1 --separate-stderr kwindow -a 'm=min(.value.x | .)' < "$FIX/kwindow-sum-bad.jsonl"
	[ "$stderr" = 'kwindow: line 2: -a "m": min of a value that is not a number' ]
	run -1 --separate-stderr kwindow -a 'm=max(.value.x)' < "$FIX/kwindow-sum-bad.jsonl"
	[ "$stderr" = 'kwindow: line 2: -a "m": max of a value that is not a number' ]
	run -1 --separate-stderr kwindow -a n=count -a 'a=avg(.value)' < "$FIX/kwindow-sum-bad.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kwindow: line 1: -a "a": avg of a value that is not a number' ]
	# true and strings are not numbers; count and first take them.
	run -0 --separate-stderr kwindow -a 'n=count(.value.x)' -a 'f=first(.value.x)' \
	    < "$FIX/kwindow-sum-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"f":1}}
{"ts":2000,"key":"a","value":{"n":2,"f":1}}
{"ts":3000,"key":"a","value":{"n":3,"f":1}}
EOF
}

@test "sum of a value that is not a number: skip, the record changes no group" {
	run -0 --separate-stderr kwindow --on-error skip -a n=count -a 's=sum(.value.x)' \
	    < "$FIX/kwindow-sum-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1}}
{"ts":3000,"key":"a","value":{"n":2,"s":4}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: -a "s": sum of a value that is not a number (skipped)
kwindow: skipped 1 bad line
EOF
}

@test "sum of a value that is not a number: FILE" {
	run -0 --separate-stderr kwindow --on-error dead.jsonl -a 's=sum(.value.x)' \
	    < "$FIX/kwindow-sum-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"s":1}}
{"ts":3000,"key":"a","value":{"s":4}}
EOF
	[ "$stderr" = "kwindow: wrote 1 bad line to 'dead.jsonl'" ]
	cat > want-dead <<'EOF'
{"reason":"-a \"s\": sum of a value that is not a number","source":"-","line":2,"input":"{\"ts\":2000,\"key\":\"a\",\"value\":{\"x\":\"2\"}}"}
EOF
	diff -u want-dead dead.jsonl
}

@test "a bad record does not advance stream time (-a)" {
	run -0 --separate-stderr kwindow --on-error skip --tumbling 10s -a 's=sum(.value)' \
	    < "$FIX/kwindow-reduce-time.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"s":1},"window":{"start":0,"end":10000}}
{"ts":2000,"key":"a","value":{"s":2},"window":{"start":0,"end":10000}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: -a "s": sum of a value that is not a number (skipped)
kwindow: skipped 1 bad line
EOF
}

@test "a jq runtime error in -a is bad input" {
	run -1 --separate-stderr kwindow -a 's=sum(.value.x.y)' < "$FIX/kwindow-sum-bad.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kwindow: line 1: jq: error: Cannot index number with string "y"' ]
	run -0 --separate-stderr kwindow --on-error skip -a 'n=count(.value.x | tonumber | if . == 2 then error("two") else . end)' \
	    < "$FIX/kwindow-sum-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1}}
{"ts":3000,"key":"a","value":{"n":2}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: jq: error: two (skipped)
kwindow: skipped 1 bad line
EOF
}

# --- the reducer -----------------------------------------------------------------

@test "--init and --reduce: . is the aggregate, \$record the record" {
	run -0 --separate-stderr kwindow --init '{"n":0,"notional":0,"offsets":[]}' \
	    --reduce '{n: (.n + 1), notional: (.notional + $record.value.px * $record.value.qty), offsets: (.offsets + [$record.offset])}' \
	    "$FIX/kwindow-reduce.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"notional":20,"offsets":[0]},"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"b","value":{"n":1,"notional":20,"offsets":[1]},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":{"n":2,"notional":53,"offsets":[0,2]},"topic":"t","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "the reducer: the first output counts; --arg and --argjson bind" {
	run -0 --separate-stderr kwindow --init 0 --reduce '(. + $record.value.qty), 100' \
	    "$FIX/kwindow-reduce.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":2,"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"b","value":1,"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":5,"topic":"t","partition":0,"offset":2}
EOF
	run -0 --separate-stderr kwindow --argjson w 10 --arg sep / --init '""' \
	    --reduce '. + $sep + ($record.value.px * $w | tostring)' "$FIX/kwindow-reduce.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":"/100","topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"b","value":"/200","topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":"/100/110","topic":"t","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "the reducer with --tumbling --emit final --close-at-end" {
	run -0 --separate-stderr kwindow --tumbling 2s --emit final --close-at-end \
	    --init '[]' --reduce '. + [$record.value.px]' "$FIX/kwindow-reduce.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":[10],"window":{"start":0,"end":2000},"topic":"t","partition":0,"offset":0}
{"ts":3000,"key":"a","value":[11],"window":{"start":2000,"end":4000},"topic":"t","partition":0,"offset":2}
{"ts":2000,"key":"b","value":[20],"window":{"start":2000,"end":4000},"topic":"t","partition":0,"offset":1}
EOF
	[ -z "$stderr" ]
}

@test "a reducer error: fail" {
	run -1 --separate-stderr kwindow --init 0 --reduce '. + $record.value' < "$FIX/kwindow-reduce-bad.jsonl"
	[ "$output" = '{"ts":1000,"key":"a","value":1}' ]
	[ "$stderr" = 'kwindow: line 2: jq: error: number (1) and string ("x") cannot be added' ]
}

@test "a reducer error: skip, FILE" {
	run -0 --separate-stderr kwindow --on-error skip --init 0 --reduce '. + $record.value' \
	    < "$FIX/kwindow-reduce-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":3000,"key":"a","value":3}
EOF
	check_stderr <<'EOF'
kwindow: line 2: jq: error: number (1) and string ("x") cannot be added (skipped)
kwindow: skipped 1 bad line
EOF
	run -0 --separate-stderr kwindow --on-error dead.jsonl --init 0 --reduce '. + $record.value' \
	    < "$FIX/kwindow-reduce-bad.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ "$stderr" = "kwindow: wrote 1 bad line to 'dead.jsonl'" ]
	cat > want-dead <<'EOF'
{"reason":"jq: error: number (1) and string (\"x\") cannot be added","source":"-","line":2,"input":"{\"ts\":2000,\"key\":\"a\",\"value\":\"x\"}"}
EOF
	diff -u want-dead dead.jsonl
}

@test "a reducer with no output is bad input" {
	run -1 --separate-stderr kwindow --init 0 --reduce 'empty' < "$FIX/kwindow-reduce-bad.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kwindow: line 1: --reduce gave no output' ]
	run -0 --separate-stderr kwindow -q --on-error skip --init 0 \
	    --reduce 'if $record.value == "x" then empty else . + $record.value end' \
	    < "$FIX/kwindow-reduce-bad.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":3000,"key":"a","value":3}
EOF
	[ "$stderr" = 'kwindow: skipped 1 bad line' ]
}

@test "a reducer that fails on one of a record's windows changes none of them" {
	run -0 --separate-stderr kwindow --on-error skip --hopping 10s --advance 5s --grace 10s \
	    --init 0 --reduce 'if $record.value == "bad" and . >= 1 then error("full") else . + 1 end' \
	    < "$FIX/kwindow-reduce-hopping.jsonl"
	# Line 2 would make [5000,15000) 1 but fails in [10000,20000).
	check_output <<'EOF'
{"ts":16000,"key":"a","value":1,"window":{"start":10000,"end":20000}}
{"ts":16000,"key":"a","value":1,"window":{"start":15000,"end":25000}}
{"ts":13000,"key":"a","value":1,"window":{"start":5000,"end":15000}}
{"ts":16000,"key":"a","value":2,"window":{"start":10000,"end":20000}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: jq: error: full (skipped)
kwindow: skipped 1 bad line
EOF
}

@test "a bad record does not advance stream time (--reduce)" {
	run -0 --separate-stderr kwindow --on-error skip --tumbling 10s --init 0 --reduce '. + $record.value' \
	    < "$FIX/kwindow-reduce-time.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":1,"window":{"start":0,"end":10000}}
{"ts":2000,"key":"a","value":2,"window":{"start":0,"end":10000}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: jq: error: number (0) and string ("x") cannot be added (skipped)
kwindow: skipped 1 bad line
EOF
}

# --- windows -------------------------------------------------------------------------

@test "--hopping with -a, --emit update" {
	run -0 --separate-stderr kwindow --hopping 4s --advance 2s -a n=count \
	    -a 'lo=min(.value.ask)' -a 'hi=max(.value.ask)' -a 'avg=avg(.value.ask)' \
	    "$FIX/kwindow-trades.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"AAPL","value":{"n":1,"lo":10.5,"hi":10.5,"avg":10.5},"window":{"start":0,"end":4000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":0,"end":4000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":2000,"end":6000}}
{"ts":3000,"key":"AAPL","value":{"n":2,"lo":9.5,"hi":10.5,"avg":10},"window":{"start":0,"end":4000}}
{"ts":3000,"key":"AAPL","value":{"n":1,"lo":9.5,"hi":9.5,"avg":9.5},"window":{"start":2000,"end":6000}}
{"ts":6000,"key":"AAPL","value":{"n":1,"lo":12,"hi":12,"avg":12},"window":{"start":4000,"end":8000}}
{"ts":6000,"key":"AAPL","value":{"n":1,"lo":12,"hi":12,"avg":12},"window":{"start":6000,"end":10000}}
{"ts":7500,"key":"MSFT","value":{"n":1,"lo":31,"hi":31,"avg":31},"window":{"start":4000,"end":8000}}
{"ts":7500,"key":"MSFT","value":{"n":1,"lo":31,"hi":31,"avg":31},"window":{"start":6000,"end":10000}}
EOF
	[ -z "$stderr" ]
}

@test "--hopping with -a, --emit final --close-at-end" {
	run -0 --separate-stderr kwindow --hopping 4s --advance 2s --emit final --close-at-end \
	    -a n=count -a 'lo=min(.value.ask)' -a 'hi=max(.value.ask)' -a 'avg=avg(.value.ask)' \
	    "$FIX/kwindow-trades.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"AAPL","value":{"n":2,"lo":9.5,"hi":10.5,"avg":10},"window":{"start":0,"end":4000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":0,"end":4000}}
{"ts":3000,"key":"AAPL","value":{"n":1,"lo":9.5,"hi":9.5,"avg":9.5},"window":{"start":2000,"end":6000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":2000,"end":6000}}
{"ts":6000,"key":"AAPL","value":{"n":1,"lo":12,"hi":12,"avg":12},"window":{"start":4000,"end":8000}}
{"ts":7500,"key":"MSFT","value":{"n":1,"lo":31,"hi":31,"avg":31},"window":{"start":4000,"end":8000}}
{"ts":6000,"key":"AAPL","value":{"n":1,"lo":12,"hi":12,"avg":12},"window":{"start":6000,"end":10000}}
{"ts":7500,"key":"MSFT","value":{"n":1,"lo":31,"hi":31,"avg":31},"window":{"start":6000,"end":10000}}
EOF
	[ -z "$stderr" ]
	# Without --close-at-end, the windows open at the end stay unwritten.
	run -0 --separate-stderr kwindow --hopping 4s --advance 2s --emit final \
	    -a n=count -a 'lo=min(.value.ask)' -a 'hi=max(.value.ask)' -a 'avg=avg(.value.ask)' \
	    "$FIX/kwindow-trades.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"AAPL","value":{"n":2,"lo":9.5,"hi":10.5,"avg":10},"window":{"start":0,"end":4000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":0,"end":4000}}
{"ts":3000,"key":"AAPL","value":{"n":1,"lo":9.5,"hi":9.5,"avg":9.5},"window":{"start":2000,"end":6000}}
{"ts":2500,"key":"MSFT","value":{"n":1,"lo":30,"hi":30,"avg":30},"window":{"start":2000,"end":6000}}
EOF
}

@test "--tumbling with first and last per window" {
	run -0 --separate-stderr kwindow --tumbling 5s -a 'f=first(.value.ask)' -a 'l=last(.value.ask)' \
	    "$FIX/kwindow-trades.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"AAPL","value":{"f":10.5,"l":10.5},"window":{"start":0,"end":5000}}
{"ts":2500,"key":"MSFT","value":{"f":30,"l":30},"window":{"start":0,"end":5000}}
{"ts":3000,"key":"AAPL","value":{"f":10.5,"l":9.5},"window":{"start":0,"end":5000}}
{"ts":6000,"key":"AAPL","value":{"f":12,"l":12},"window":{"start":5000,"end":10000}}
{"ts":7500,"key":"MSFT","value":{"f":31,"l":31},"window":{"start":5000,"end":10000}}
EOF
	[ -z "$stderr" ]
}

@test "--grace, late records, --late FILE, and a tick closing windows (--emit final)" {
	run -0 --separate-stderr kwindow --tumbling 10s --grace 5s --emit final --late late.jsonl \
	    -a n=count -a 's=sum(.value)' < "$FIX/kwindow-late.jsonl"
	check_output <<'EOF'
{"ts":9000,"key":"s1","value":{"n":2,"s":15},"window":{"start":0,"end":10000}}
{"ts":12000,"key":"s1","value":{"n":1,"s":20},"window":{"start":10000,"end":20000}}
{"ts":15000,"key":"s2","value":{"n":1,"s":1},"window":{"start":10000,"end":20000}}
{"@":"tick","ts":25000}
EOF
	[ "$stderr" = "kwindow: dropped 1 late record (see 'late.jsonl')" ]
	cat > want-late <<'EOF'
{"reason":"late: its window closed (stream time 15000, grace 5000 ms)","source":"-","line":5,"input":"{\"ts\":8000,\"key\":\"s2\",\"value\":7}"}
EOF
	diff -u want-late late.jsonl
}

@test "--grace, late records and a tick (--emit update)" {
	run -0 --separate-stderr kwindow --tumbling 10s --grace 5s -a n=count -a 's=sum(.value)' \
	    < "$FIX/kwindow-late.jsonl"
	check_output <<'EOF'
{"ts":2000,"key":"s1","value":{"n":1,"s":10},"window":{"start":0,"end":10000}}
{"ts":12000,"key":"s1","value":{"n":1,"s":20},"window":{"start":10000,"end":20000}}
{"ts":9000,"key":"s1","value":{"n":2,"s":15},"window":{"start":0,"end":10000}}
{"ts":15000,"key":"s2","value":{"n":1,"s":1},"window":{"start":10000,"end":20000}}
{"@":"tick","ts":25000}
{"ts":21000,"key":"s1","value":{"n":1,"s":3},"window":{"start":20000,"end":30000}}
EOF
	[ "$stderr" = 'kwindow: dropped 1 late record' ]
	run -0 --separate-stderr kwindow -q --tumbling 10s --grace 5s -a n=count < "$FIX/kwindow-late.jsonl"
	[ "${#lines[@]}" -eq 6 ]
	[ -z "$stderr" ]
}

# --- session and sliding windows -------------------------------------------------------

@test "usage error: --merge needs the reducer and --session; --session with --reduce needs --merge" {
	usage_error '--merge goes with --init and --reduce' --session 5s -a n=count --merge '$a'
	usage_error '--merge needs --session' --tumbling 5s --init 0 --reduce . --merge '$a'
	usage_error '--merge needs --session' --init 0 --reduce . --merge '$a'
	usage_error '--session with --reduce needs --merge' --session 5s --init '[]' \
	    --reduce '. + [$record.value]'
}

@test "a --merge that does not compile exits 2" {
	run -2 --separate-stderr kwindow --session 5s --init '[]' --reduce '. + [$record.value]' \
	    --merge '(' < /dev/null
	[ -z "$output" ]
	check_stderr <<'EOF'
kwindow: --merge: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
	run -2 --separate-stderr kwindow --session 5s --init '[]' --reduce '. + [$record.value]' \
	    --merge '$c' < /dev/null
	check_stderr <<'EOF'
kwindow: --merge: jq: error: $c is not defined at <top-level>, line 1:
$c; jq: 1 compile error
EOF
}

@test "--session with -a: merged sessions combine every function" {
	run -0 --separate-stderr kwindow --session 5s --grace 10s -a n=count -a 's=sum(.value)' \
	    -a 'f=first(.value)' -a 'l=last(.value)' -a 'lo=min(.value)' -a 'hi=max(.value)' \
	    -a 'avg=avg(.value)' "$FIX/kwindow-session.jsonl"
	# 5000 is within 5 s of 1000 and of 9000: one session [1000,9000].
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1,"f":1,"l":1,"lo":1,"hi":1,"avg":1},"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":{"n":1,"s":2,"f":2,"l":2,"lo":2,"hi":2,"avg":2},"window":{"start":9000,"end":9000}}
{"ts":1000,"key":"a","value":null,"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":null,"window":{"start":9000,"end":9000}}
{"ts":9000,"key":"a","value":{"n":3,"s":7,"f":1,"l":4,"lo":1,"hi":4,"avg":2.3333333333333335},"window":{"start":1000,"end":9000}}
EOF
	[ -z "$stderr" ]
}

@test "--session with a reducer: --merge combines \$a, the earlier, and \$b" {
	run -0 --separate-stderr kwindow --session 5s --grace 10s --init '[]' \
	    --reduce '. + [$record.value]' --merge '$a + $b' "$FIX/kwindow-session.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":[1],"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":[2],"window":{"start":9000,"end":9000}}
{"ts":1000,"key":"a","value":null,"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":null,"window":{"start":9000,"end":9000}}
{"ts":9000,"key":"a","value":[1,2,4],"window":{"start":1000,"end":9000}}
EOF
	[ -z "$stderr" ]
}

@test "a --merge that fails makes the record bad input" {
	run -1 --separate-stderr kwindow --session 5s --grace 10s --init '[]' \
	    --reduce '. + [$record.value]' --merge 'error("no merge")' < "$FIX/kwindow-session.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":[1],"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":[2],"window":{"start":9000,"end":9000}}
EOF
	[ "$stderr" = 'kwindow: line 3: jq: error: no merge' ]
}

@test "--session: a closed session is not joined, with or without --retention" {
	# At 9000 the session [1000,1000] has closed (9000 > 1000 + 5000):
	# 5000 joins only [9000,9000].
	cat > want <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":1},"window":{"start":1000,"end":1000}}
{"ts":9000,"key":"a","value":{"n":1,"s":2},"window":{"start":9000,"end":9000}}
{"ts":9000,"key":"a","value":null,"window":{"start":9000,"end":9000}}
{"ts":9000,"key":"a","value":{"n":2,"s":6},"window":{"start":5000,"end":9000}}
EOF
	run -0 --separate-stderr kwindow --session 5s -a n=count -a 's=sum(.value)' \
	    "$FIX/kwindow-session.jsonl"
	check_output < want
	[ -z "$stderr" ]
	run -0 --separate-stderr kwindow --session 5s --retention 1m -a n=count -a 's=sum(.value)' \
	    "$FIX/kwindow-session.jsonl"
	check_output < want
	[ -z "$stderr" ]
}

@test "--sliding with -a" {
	run -0 --separate-stderr kwindow --sliding 10s --grace 20s -a n=count -a 'hi=max(.ts)' \
	    "$FIX/kcount-sliding.jsonl"
	check_output <<'EOF'
{"ts":10000,"key":"a","value":{"n":1,"hi":10000},"window":{"start":0,"end":10000}}
{"ts":15000,"key":"a","value":{"n":1,"hi":15000},"window":{"start":10001,"end":20001}}
{"ts":15000,"key":"a","value":{"n":2,"hi":15000},"window":{"start":5000,"end":15000}}
{"ts":30000,"key":"a","value":{"n":1,"hi":30000},"window":{"start":20000,"end":30000}}
{"ts":18000,"key":"a","value":{"n":2,"hi":18000},"window":{"start":10001,"end":20001}}
{"ts":18000,"key":"a","value":{"n":1,"hi":18000},"window":{"start":15001,"end":25001}}
{"ts":18000,"key":"a","value":{"n":3,"hi":18000},"window":{"start":8000,"end":18000}}
EOF
	[ -z "$stderr" ]
}

# --- control records, null keys ------------------------------------------------------

@test "control records: barrier, unknown ones and end forwarded in place" {
	run -0 --separate-stderr kwindow -a 'last=last(.value.px)' -a n=count "$FIX/kwindow-control.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":4}
{"ts":1000,"key":"a","value":{"last":1,"n":1}}
{"@":"barrier","epoch":5,"offsets":{"t":{"0":1}}}
{"ts":2000,"key":"a","value":{"last":3,"n":2}}
{"@":"future","n":1}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "resume without end: exit 3, the store as of the last barrier" {
	run -3 --separate-stderr kwindow -s st -a 's=sum(.value.px)' < "$FIX/kwindow-resume-no-end.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"a","value":{"s":1}}
{"@":"barrier","epoch":1}
{"ts":2000,"key":"a","value":{"s":4}}
EOF
	[ "$stderr" = 'kwindow: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	run -0 --separate-stderr kwindow -s st -a 's=sum(.value.px)' "$FIX/kwindow-reduce.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"s":11},"topic":"t","partition":0,"offset":0}
{"ts":2000,"key":"b","value":{"s":20},"topic":"t","partition":0,"offset":1}
{"ts":3000,"key":"a","value":{"s":22},"topic":"t","partition":0,"offset":2}
EOF
}

@test "null keys are skipped, counted, and do not advance stream time" {
	run -0 --separate-stderr kwindow --tumbling 10s --emit final -a 's=sum(.value.px)' \
	    "$FIX/kwindow-null.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kwindow: skipped 2 records with a null key' ]
	run -0 --separate-stderr kwindow --tumbling 10s --emit final --close-at-end \
	    -a 's=sum(.value.px)' "$FIX/kwindow-null.jsonl"
	[ "$output" = '{"ts":3000,"key":"a","value":{"s":5},"window":{"start":0,"end":10000}}' ]
	[ "$stderr" = 'kwindow: skipped 2 records with a null key' ]
	run -0 --separate-stderr kwindow -q -a 's=sum(.value.px)' "$FIX/kwindow-null.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ -z "$stderr" ]
}

@test "over all time a null value is skipped and counted; per window it is aggregated" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' '{"ts":2,"key":"a","value":null}' \
	    '{"ts":3,"key":"a"}' > in
	run -0 --separate-stderr kwindow -a n=count in
	[ "$output" = '{"ts":1,"key":"a","value":{"n":1}}' ]
	[ "$stderr" = 'kwindow: skipped 2 records with a null value' ]
	run -0 --separate-stderr kwindow --tumbling 1s -a n=count -a 's=sum(.value)' in
	check_output <<'EOF'
{"ts":1,"key":"a","value":{"n":1,"s":1},"window":{"start":0,"end":1000}}
{"ts":2,"key":"a","value":{"n":2,"s":1},"window":{"start":0,"end":1000}}
{"ts":3,"key":"a","value":{"n":3,"s":1},"window":{"start":0,"end":1000}}
EOF
	[ -z "$stderr" ]
}

@test "bad input: not JSON, no ts, a negative ts" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' '[1]' '{"key":"a","value":1}' \
	    '{"ts":-5,"key":"a","value":1}' '{"ts":2,"key":"a","value":1}' > in
	run -1 --separate-stderr kwindow -a n=count < in
	[ "$output" = '{"ts":1,"key":"a","value":{"n":1}}' ]
	[ "$stderr" = 'kwindow: line 2: not a JSON object' ]
	run -0 --separate-stderr kwindow --on-error skip -a n=count < in
	check_output <<'EOF'
{"ts":1,"key":"a","value":{"n":1}}
{"ts":2,"key":"a","value":{"n":2}}
EOF
	check_stderr <<'EOF'
kwindow: line 2: not a JSON object (skipped)
kwindow: line 3: record has no ts (skipped)
kwindow: line 4: ts is negative (skipped)
kwindow: skipped 3 bad lines
EOF
}

@test "--by groups by a program's output; -v counts" {
	run -0 --separate-stderr kwindow -v --by '.value.ask >= 12' -a n=count -a 'hi=max(.value.ask)' \
	    "$FIX/kwindow-trades.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":false,"value":{"n":1,"hi":10.5}}
{"ts":2500,"key":true,"value":{"n":1,"hi":30}}
{"ts":3000,"key":false,"value":{"n":2,"hi":10.5}}
{"ts":6000,"key":true,"value":{"n":2,"hi":30}}
{"ts":7500,"key":true,"value":{"n":3,"hi":31}}
EOF
	[ "$stderr" = 'kwindow: 5 records in, 5 out, 0 bad' ]
}

# --- state ---------------------------------------------------------------------------------

@test "-s: windows and first/last span runs (--emit final)" {
	run -0 --separate-stderr kwindow -s st --tumbling 10s --emit final \
	    -a n=count -a 's=sum(.value)' -a 'f=first(.value)' -a 'l=last(.value)' "$FIX/kwindow-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"n":1,"s":5,"f":5,"l":5},"window":{"start":0,"end":10000}}
EOF
	[ -d st/kwindow ]
	run -0 --separate-stderr kwindow -s st --tumbling 10s --emit final \
	    -a n=count -a 's=sum(.value)' -a 'f=first(.value)' -a 'l=last(.value)' "$FIX/kwindow-run2.jsonl"
	check_output <<'EOF'
{"ts":14000,"key":"a","value":{"n":2,"s":8,"f":7,"l":1},"window":{"start":10000,"end":20000}}
EOF
	[ -z "$stderr" ]
}

@test "-s: a reducer's aggregate spans runs" {
	run -0 --separate-stderr kwindow -s st --init '[]' --reduce '. + [$record.value]' "$FIX/kwindow-run1.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"a","value":[5]}
{"ts":11000,"key":"a","value":[5,7]}
EOF
	run -0 --separate-stderr kwindow -s st --init '[]' --reduce '. + [$record.value]' "$FIX/kwindow-run2.jsonl"
	check_output <<'EOF'
{"ts":14000,"key":"a","value":[5,7,1]}
{"ts":20000,"key":"b","value":[2]}
EOF
	[ -z "$stderr" ]
}

@test "\$KPIPE_STATE and --name: two kwindow stores and a kcount store in one DIR" {
	export KPIPE_STATE=$T/st
	run -0 --separate-stderr kwindow --name sums -a 's=sum(.value)' "$FIX/kwindow-run1.jsonl"
	run -0 --separate-stderr kwindow --name lists --init '[]' --reduce '. + [$record.value]' \
	    "$FIX/kwindow-run1.jsonl"
	run -0 --separate-stderr kcount "$FIX/kwindow-run1.jsonl"
	run -0 --separate-stderr kwindow -a 's=sum(.value)' "$FIX/kwindow-run1.jsonl"
	[ -d st/sums ]
	[ -d st/lists ]
	[ -d st/kcount ]
	[ -d st/kwindow ]
	run -0 --separate-stderr kwindow --name sums -a 's=sum(.value)' "$FIX/kwindow-run2.jsonl"
	check_output <<'EOF'
{"ts":14000,"key":"a","value":{"s":13}}
{"ts":20000,"key":"b","value":{"s":2}}
EOF
	run -0 --separate-stderr kwindow --name lists --init '[]' --reduce '. + [$record.value]' \
	    "$FIX/kwindow-run2.jsonl"
	check_output <<'EOF'
{"ts":14000,"key":"a","value":[5,7,1]}
{"ts":20000,"key":"b","value":[2]}
EOF
	run -0 --separate-stderr kcount "$FIX/kwindow-run2.jsonl"
	check_output <<'EOF'
{"ts":14000,"key":"a","value":3}
{"ts":20000,"key":"b","value":1}
EOF
}

@test "the store refuses another aggregate: exit 5" {
	run -0 --separate-stderr kwindow -s st -a 's=sum(.value)' "$FIX/kwindow-run1.jsonl"
	run -5 --separate-stderr kwindow -s st -a 's=sum(.value.x)' "$FIX/kwindow-run2.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kwindow: store 'st/kwindow' was made with 'a=\"s=sum(.value)\"', not 'a=\"s=sum(.value.x)\"'" ]
	run -5 --separate-stderr kwindow -s st -a 's=sum(.value)' -a n=count "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made without 'a=\"n=count\"'" ]
	run -5 --separate-stderr kwindow -s st --init 0 --reduce '. + $record.value' "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made with 'a=\"s=sum(.value)\"', which this command lacks" ]
	run -5 --separate-stderr kwindow -s st --tumbling 10s -a 's=sum(.value)' "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made without 'window=\"hopping\"'" ]
	run -5 --separate-stderr kcount -s st --name kwindow "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kcount: store 'st/kwindow' was made with 'a=\"s=sum(.value)\"', which this command lacks" ]
	[ -z "$output" ]
	# Untouched: the same options go on.
	run -0 --separate-stderr kwindow -s st -a 's=sum(.value)' "$FIX/kwindow-run2.jsonl"
	[ "${lines[0]}" = '{"ts":14000,"key":"a","value":{"s":13}}' ]
}

@test "the store refuses another reducer: exit 5" {
	run -0 --separate-stderr kwindow -s st --init 0 --reduce '. + $record.value' "$FIX/kwindow-run1.jsonl"
	run -5 --separate-stderr kwindow -s st --init 1 --reduce '. + $record.value' "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made with 'init=\"0\"', not 'init=\"1\"'" ]
	run -5 --separate-stderr kwindow -s st --init 0 --reduce '. - $record.value' "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made with 'reduce=\". + \$record.value\"', not 'reduce=\". - \$record.value\"'" ]
	run -5 --separate-stderr kwindow -s st --argjson k 1 --init 0 --reduce '. + $record.value' \
	    "$FIX/kwindow-run2.jsonl"
	[ "$stderr" = "kwindow: store 'st/kwindow' was made without 'argjson=\"k=1\"'" ]
	[ -z "$output" ]
}

@test "--cache-size 64k: many groups through the store, the same aggregates" {
	# 3000 keys, value i, three times: sum 3i, max i, first i.
	awk 'BEGIN {
		for (r = 1; r <= 3; r++)
			for (i = 0; i < 3000; i++) {
				printf "{\"ts\":%d,\"key\":\"k%04d\",\"value\":%d}\n", r * 10000 + i, i, i * r > "in"
				printf "{\"ts\":%d,\"key\":\"k%04d\",\"value\":{\"s\":%d,\"hi\":%d,\"f\":%d}}\n",
				    r * 10000 + i, i, i * (r * (r + 1) / 2), i * r, i > "want"
			}
	}'
	run -0 --separate-stderr kwindow --cache-size 64k -s st -a 's=sum(.value)' -a 'hi=max(.value)' \
	    -a 'f=first(.value)' in
	check_output < want
	[ -z "$stderr" ]
}
