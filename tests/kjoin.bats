#!/usr/bin/env bats
# kjoin --table: a stream joined with a table, as Kafka Streams' KStream-KTable
# join and leftJoin (KStreamKTableJoinTest, KStreamKTableLeftJoinTest).
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T).  Expected outputs are
# written by hand from the rules: a table update (right) replaces its key's
# row, a null or absent value deletes it, in arrival order; a stream record
# (left) looks its key up in the table as it stands: an inner join writes
# only on a match, a left join always, with $right null for no match.  The
# result has the stream record's ts, key, headers and provenance.
#
# tests/fixtures/kjoin-merged.jsonl is one merged stream (topic "stream" on
# the left, "table" on the right); kjoin-stream.jsonl and kjoin-table.jsonl
# are its two sides, for --right: the merge is what --right reads, a table
# update coming before a stream record of the same ts.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

usage() {
	usage_of kjoin
}

# usage_error MESSAGE ARGS...: kjoin ARGS exits 2 with MESSAGE and the
# usage lines on stderr, and writes nothing.
usage_error() {
	local msg=$1
	shift
	run -2 --separate-stderr kjoin "$@" < /dev/null
	[ -z "$output" ]
	{ echo "kjoin: $msg"; usage; } | check_stderr
}

# The two forms of input, as options.
MERGED=(--left-topic stream --right-topic table)

# The inner join of kjoin-merged.jsonl: no result before the table has the
# key, none for k0 once deleted, none for k1 once deleted by an absent value.
inner_want() {
	cat <<'EOF'
{"ts":3000,"key":"k0","value":{"left":"X0","right":"Y0"},"topic":"stream","partition":0,"offset":2}
{"ts":3000,"key":"k1","value":{"left":"X1","right":"Y1"},"headers":[["h","v"]],"topic":"stream","partition":0,"offset":3}
{"ts":4000,"key":"k1","value":{"left":"X1","right":"Y1"},"topic":"stream","partition":0,"offset":5}
{"ts":4000,"key":"k2","value":{"left":"X2","right":"Y2"},"topic":"stream","partition":1,"offset":1}
EOF
}

# The left join of kjoin-merged.jsonl: every stream record with a key.
left_want() {
	cat <<'EOF'
{"ts":1000,"key":"k0","value":{"left":"X0","right":null},"topic":"stream","partition":0,"offset":0}
{"ts":1000,"key":"k1","value":{"left":"X1","right":null},"topic":"stream","partition":0,"offset":1}
{"ts":3000,"key":"k0","value":{"left":"X0","right":"Y0"},"topic":"stream","partition":0,"offset":2}
{"ts":3000,"key":"k1","value":{"left":"X1","right":"Y1"},"headers":[["h","v"]],"topic":"stream","partition":0,"offset":3}
{"ts":3000,"key":"k2","value":{"left":"X2","right":null},"topic":"stream","partition":1,"offset":0}
{"ts":4000,"key":"k0","value":{"left":"X0","right":null},"topic":"stream","partition":0,"offset":4}
{"ts":4000,"key":"k1","value":{"left":"X1","right":"Y1"},"topic":"stream","partition":0,"offset":5}
{"ts":4000,"key":"k2","value":{"left":"X2","right":"Y2"},"topic":"stream","partition":1,"offset":1}
{"ts":7000,"key":"k1","value":{"left":"X1","right":null},"topic":"stream","partition":0,"offset":8}
EOF
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	run -0 --separate-stderr kjoin -h
	usage | check_output
	[ -z "$stderr" ]
	run -0 --separate-stderr kjoin --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	run -0 --separate-stderr kjoin --version
	check_output <<'EOF'
kjoin (kpipe) 0.1.0
EOF
	[ -z "$stderr" ]
}

@test "usage error: --table or a window, one of them" {
	local m='give --table, --tables, --fk or a window (--window, --before, --after)'
	usage_error "$m" "${MERGED[@]}"
	usage_error "$m" --right "$FIX/kjoin-table.jsonl"
	usage_error "$m" --type left "${MERGED[@]}"
	usage_error "$m"
	usage_error "$m" --table --window 5s "${MERGED[@]}"
	usage_error "$m" --table --before 5s "${MERGED[@]}"
	usage_error "$m" --table --after 5s "${MERGED[@]}"
	usage_error '--grace: a join of a stream and a table has no window' \
	    --table --grace 1s "${MERGED[@]}"
}

@test "usage error: --type outer with --table, and --type other than inner, left or outer" {
	usage_error '--type outer: a stream-table join is inner or left' \
	    --table --type outer "${MERGED[@]}"
	usage_error "--type 'full': not inner, left or outer" --table --type full "${MERGED[@]}"
	usage_error "--type '': not inner, left or outer" --table --type '' "${MERGED[@]}"
}

@test "usage error: --left-topic and --right-topic go together" {
	local m='--left-topic and --right-topic go together'
	usage_error "$m" --table --left-topic stream
	usage_error "$m" --table --right-topic table
	usage_error "$m" --table --right-topic table --right "$FIX/kjoin-table.jsonl"
	usage_error '--left-topic and --right-topic are the same' \
	    --table --left-topic t --right-topic t
}

@test "usage error: one of --right and the two topics, not both, not neither" {
	usage_error 'give --right file, or --left-topic and --right-topic' --table
	usage_error 'give --right file, or --left-topic and --right-topic' --table --type left
	usage_error '--right and --left-topic exclude each other' \
	    --table "${MERGED[@]}" --right "$FIX/kjoin-table.jsonl"
}

@test "usage error: unknown options, too many arguments, missing arguments" {
	usage_error "unknown option '-x'" --table "${MERGED[@]}" -x
	usage_error "unknown option '--windows'" --table "${MERGED[@]}" --windows 5s
	usage_error 'too many arguments' --table "${MERGED[@]}" "$FIX/kjoin-merged.jsonl" extra
	usage_error "option '--right' needs an argument" --table --right
	usage_error "option '--with' needs an argument" --table "${MERGED[@]}" --with
	usage_error "option '--type' needs an argument" --table "${MERGED[@]}" --type
	usage_error "option '--table' takes no argument" --table=yes "${MERGED[@]}"
}

@test "usage error: --argjson not JSON, --arg short, -s empty, --name not a file name" {
	usage_error "--argjson n: invalid JSON text '{'" --table "${MERGED[@]}" --argjson n '{'
	usage_error "option '--arg' needs two arguments" --table "${MERGED[@]}" --arg n
	usage_error '-s: empty argument' --table "${MERGED[@]}" -s ''
	usage_error "--name 'a/b': not a file name" --table "${MERGED[@]}" --name a/b
	usage_error '--on-error: empty argument' --table "${MERGED[@]}" --on-error ''
}

@test "a --with that does not compile exits 2 with jq's message about it" {
	run -2 --separate-stderr kjoin --table "${MERGED[@]}" --with '$nope' < /dev/null
	[ -z "$output" ]
	check_stderr <<'EOF'
kjoin: --with: jq: error: $nope is not defined at <top-level>, line 1:
$nope; jq: 1 compile error
EOF
	run -2 --separate-stderr kjoin --table "${MERGED[@]}" --with '(' < /dev/null
	[ -z "$output" ]
	check_stderr <<'EOF'
kjoin: --with: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
}

@test "a FILE or --right file that cannot be opened exits 1" {
	run -1 --separate-stderr kjoin --table "${MERGED[@]}" no-such-file.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kjoin: 'no-such-file.jsonl': No such file or directory" ]
	run -1 --separate-stderr kjoin --table --right no-such-file.jsonl "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kjoin: --right 'no-such-file.jsonl': No such file or directory" ]
}

@test "a write error on standard output exits 1 and commits nothing" {
	run -1 --separate-stderr bash -c 'kjoin -s st --table --left-topic stream --right-topic table "$1" > /dev/full' \
	    - "$FIX/kjoin-merged.jsonl"
	[ "$stderr" = 'kjoin: write error on standard output: No space left on device' ]
	# The table is still empty: nothing joins.
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
}

# --- the join: KStreamKTableJoinTest and KStreamKTableLeftJoinTest ----------------

@test "inner join of one merged stream split by --left-topic and --right-topic" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
	# Two null keys on the left and one on the right.
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
	# inner is the default.
	run -0 --separate-stderr kjoin --table --type inner "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
}

@test "inner join with --right FILE: the same results as the merged stream" {
	run -0 --separate-stderr kjoin --table --right "$FIX/kjoin-table.jsonl" "$FIX/kjoin-stream.jsonl"
	inner_want | check_output
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
	# From the standard input, with and without '-'.
	run -0 --separate-stderr kjoin --table --right "$FIX/kjoin-table.jsonl" < "$FIX/kjoin-stream.jsonl"
	inner_want | check_output
	run -0 --separate-stderr kjoin --table --right "$FIX/kjoin-table.jsonl" - < "$FIX/kjoin-stream.jsonl"
	inner_want | check_output
}

@test "left join, both forms: a stream record without a table row has \$right null" {
	run -0 --separate-stderr kjoin --table --type left "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	left_want | check_output
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
	run -0 --separate-stderr kjoin --table --type left --right "$FIX/kjoin-table.jsonl" \
	    "$FIX/kjoin-stream.jsonl"
	left_want | check_output
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
}

@test "stream records before any table row: nothing (inner), \$right null (left)" {
	printf '%s\n' '{"ts":1,"key":0,"value":"X0","topic":"s"}' \
	    '{"ts":2,"key":1,"value":"X1","topic":"s"}' > in
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t in
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":1,"key":0,"value":{"left":"X0","right":null},"topic":"s"}
{"ts":2,"key":1,"value":{"left":"X1","right":null},"topic":"s"}
EOF
	[ -z "$stderr" ]
}

@test "table updates alone write nothing, inner or left, in either form" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: skipped 1 record with a null key' ]
	run -0 --separate-stderr kjoin --table --type left "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	[ -z "$output" ]
	# With --right and no stream record, the table file is not even read.
	run -0 --separate-stderr kjoin --table --type left --right "$FIX/kjoin-table.jsonl" < /dev/null
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "only the keys in the table join; a deleted row joins no more" {
	# KStreamKTableJoinTest: shouldJoinOnlyIfMatchFoundOnStreamUpdates and
	# shouldClearTableEntryOnNullValueUpdates, with its "X0+Y0" joiner.
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"Y0","topic":"t"}
{"ts":1,"key":1,"value":"Y1","topic":"t"}
{"ts":2,"key":0,"value":"X0","topic":"s"}
{"ts":2,"key":1,"value":"X1","topic":"s"}
{"ts":2,"key":2,"value":"X2","topic":"s"}
{"ts":2,"key":3,"value":"X3","topic":"s"}
{"ts":3,"key":2,"value":"YY2","topic":"t"}
{"ts":3,"key":3,"value":"YY3","topic":"t"}
{"ts":3,"key":0,"value":null,"topic":"t"}
{"ts":3,"key":1,"topic":"t"}
{"ts":4,"key":0,"value":"XX0","topic":"s"}
{"ts":4,"key":1,"value":"XX1","topic":"s"}
{"ts":4,"key":2,"value":"XX2","topic":"s"}
{"ts":4,"key":3,"value":"XX3","topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t \
	    --with '$left + "+" + $right' in
	check_output <<'EOF'
{"ts":2,"key":0,"value":"X0+Y0","topic":"s"}
{"ts":2,"key":1,"value":"X1+Y1","topic":"s"}
{"ts":4,"key":2,"value":"XX2+YY2","topic":"s"}
{"ts":4,"key":3,"value":"XX3+YY3","topic":"s"}
EOF
	[ -z "$stderr" ]
	# KStreamKTableLeftJoinTest: the same, with "X0+null" for no match.
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t \
	    --arg sep + --with '"\($left)\($sep)\($right)"' in
	check_output <<'EOF'
{"ts":2,"key":0,"value":"X0+Y0","topic":"s"}
{"ts":2,"key":1,"value":"X1+Y1","topic":"s"}
{"ts":2,"key":2,"value":"X2+null","topic":"s"}
{"ts":2,"key":3,"value":"X3+null","topic":"s"}
{"ts":4,"key":0,"value":"XX0+null","topic":"s"}
{"ts":4,"key":1,"value":"XX1+null","topic":"s"}
{"ts":4,"key":2,"value":"XX2+YY2","topic":"s"}
{"ts":4,"key":3,"value":"XX3+YY3","topic":"s"}
EOF
	[ -z "$stderr" ]
}

@test "table updates apply in arrival order, whatever their ts" {
	cat > in <<'EOF'
{"ts":5000,"key":"a","value":"new","topic":"t"}
{"ts":1000,"key":"a","value":"old","topic":"t"}
{"ts":6000,"key":"a","value":"x","topic":"s"}
{"ts":500,"key":"a","value":"y","topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":6000,"key":"a","value":{"left":"x","right":"old"},"topic":"s"}
{"ts":500,"key":"a","value":{"left":"y","right":"old"},"topic":"s"}
EOF
	[ -z "$stderr" ]
	# With --right too: both are read for the stream record at 6000.
	grep '"t"' in > right
	grep '"s"' in > left
	run -0 --separate-stderr kjoin --table --right right left
	check_output <<'EOF'
{"ts":6000,"key":"a","value":{"left":"x","right":"old"},"topic":"s"}
{"ts":500,"key":"a","value":{"left":"y","right":"old"},"topic":"s"}
EOF
}

@test "keys are compared as JSON text, byte for byte" {
	cat > in <<'EOF'
{"ts":1,"key":1,"value":"Y1","topic":"t"}
{"ts":1,"key":{"a":1},"value":"Ya","topic":"t"}
{"ts":2,"key":1.0,"value":"X1","topic":"s"}
{"ts":2,"key":{"a": 1},"value":"Xa","topic":"s"}
{"ts":3,"key":1,"value":"X2","topic":"s"}
{"ts":3,"key":{"a":1},"value":"X3","topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":2,"key":1.0,"value":{"left":"X1","right":null},"topic":"s"}
{"ts":2,"key":{"a": 1},"value":{"left":"Xa","right":null},"topic":"s"}
{"ts":3,"key":1,"value":{"left":"X2","right":"Y1"},"topic":"s"}
{"ts":3,"key":{"a":1},"value":{"left":"X3","right":"Ya"},"topic":"s"}
EOF
	[ -z "$stderr" ]
}

@test "a result has the stream record's ts, key, headers and provenance; other members are dropped" {
	cat > in <<'EOF'
{"zz":1,"offset":9,"partition":2,"topic":"t","headers":[["a","1"]],"value":"Y","key":{"id":7},"ts":1,"extra":"t"}
{"extra":"s","offset":4,"partition":3,"topic":"s","headers":[["b","2"],["b",null]],"value":"X","key":{"id":7},"ts":2}
EOF
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":2,"key":{"id":7},"value":{"left":"X","right":"Y"},"headers":[["b","2"],["b",null]],"topic":"s","partition":3,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "without --with, \$left and \$right keep their bytes; a --with result is libjq's" {
	cat > in <<'EOF'
{"ts":1,"key":"a","value":[1, 2.50, 9007199254740993],"topic":"t"}
{"ts":2,"key":"a","value":{"id": 9007199254740993, "s":"\u00e9"},"topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":2,"key":"a","value":{"left":{"id": 9007199254740993, "s":"\u00e9"},"right":[1, 2.50, 9007199254740993]},"topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t --with '[$left.id, $right[1]]' in
	check_output <<'EOF'
{"ts":2,"key":"a","value":[9007199254740992,2.5],"topic":"s"}
EOF
}

# --- --with, --arg, --argjson ---------------------------------------------------

@test "--with: the first output is the value; no output, no result" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" --with '$left, $right' \
	    "$FIX/kjoin-merged.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"k0","value":"X0","topic":"stream","partition":0,"offset":2}
{"ts":3000,"key":"k1","value":"X1","headers":[["h","v"]],"topic":"stream","partition":0,"offset":3}
{"ts":4000,"key":"k1","value":"X1","topic":"stream","partition":0,"offset":5}
{"ts":4000,"key":"k2","value":"X2","topic":"stream","partition":1,"offset":1}
EOF
	# A left join whose --with drops the unmatched is an inner join.
	run -0 --separate-stderr kjoin --table --type left "${MERGED[@]}" \
	    --with 'select($right != null) | {left: $left, right: $right}' "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
}

@test "--with over \$left and \$right with --arg and --argjson" {
	run -0 --separate-stderr kjoin --table --type left --right "$FIX/kjoin-table.jsonl" \
	    --arg tag joined --argjson n 2 \
	    --with '{tag: $tag, n: $n, both: ($right != null), pair: [$left, $right]}' \
	    "$FIX/kjoin-stream.jsonl"
	check_output <<'EOF'
{"ts":1000,"key":"k0","value":{"tag":"joined","n":2,"both":false,"pair":["X0",null]},"topic":"stream","partition":0,"offset":0}
{"ts":1000,"key":"k1","value":{"tag":"joined","n":2,"both":false,"pair":["X1",null]},"topic":"stream","partition":0,"offset":1}
{"ts":3000,"key":"k0","value":{"tag":"joined","n":2,"both":true,"pair":["X0","Y0"]},"topic":"stream","partition":0,"offset":2}
{"ts":3000,"key":"k1","value":{"tag":"joined","n":2,"both":true,"pair":["X1","Y1"]},"headers":[["h","v"]],"topic":"stream","partition":0,"offset":3}
{"ts":3000,"key":"k2","value":{"tag":"joined","n":2,"both":false,"pair":["X2",null]},"topic":"stream","partition":1,"offset":0}
{"ts":4000,"key":"k0","value":{"tag":"joined","n":2,"both":false,"pair":["X0",null]},"topic":"stream","partition":0,"offset":4}
{"ts":4000,"key":"k1","value":{"tag":"joined","n":2,"both":true,"pair":["X1","Y1"]},"topic":"stream","partition":0,"offset":5}
{"ts":4000,"key":"k2","value":{"tag":"joined","n":2,"both":true,"pair":["X2","Y2"]},"topic":"stream","partition":1,"offset":1}
{"ts":7000,"key":"k1","value":{"tag":"joined","n":2,"both":false,"pair":["X1",null]},"topic":"stream","partition":0,"offset":8}
EOF
	[ "$stderr" = 'kjoin: skipped 3 records with a null key' ]
}

@test "--with with a runtime error is bad input" {
	printf '%s\n' '{"ts":1,"key":"a","value":"Y","topic":"t"}' \
	    '{"ts":2,"key":"a","value":"x","topic":"s"}' \
	    '{"ts":3,"key":"a","value":3,"topic":"s"}' \
	    '{"ts":4,"key":"a","value":"z","topic":"s"}' > in
	run -1 --separate-stderr kjoin --table --left-topic s --right-topic t \
	    --with '$left | ascii_upcase' in
	check_output <<'EOF'
{"ts":2,"key":"a","value":"X","topic":"s"}
EOF
	[ "$stderr" = 'kjoin: in:3: jq: error: explode input must be a string' ]
	run -0 --separate-stderr kjoin --table --left-topic s --right-topic t \
	    --with '$left | ascii_upcase' --on-error skip in
	check_output <<'EOF'
{"ts":2,"key":"a","value":"X","topic":"s"}
{"ts":4,"key":"a","value":"Z","topic":"s"}
EOF
	check_stderr <<'EOF'
kjoin: in:3: jq: error: explode input must be a string (skipped)
kjoin: skipped 1 bad line
EOF
}

# --- --right FILE -----------------------------------------------------------------

@test "--right: read as far as each stream record's ts, in the file's order" {
	# "C" (ts 2000) waits behind "B" (ts 9000), which waits for a stream
	# record at 9000 or later; the garbage after them is never read.
	cat > right <<'EOF'
{"ts":1000,"key":"a","value":"A"}
{"ts":9000,"key":"a","value":"B"}
{"ts":2000,"key":"a","value":"C"}
not json
EOF
	cat > left <<'EOF'
{"ts":1000,"key":"a","value":1}
{"ts":3000,"key":"a","value":2}
{"ts":8999,"key":"a","value":3}
EOF
	run -0 --separate-stderr kjoin --table --right right left
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"left":1,"right":"A"}}
{"ts":3000,"key":"a","value":{"left":2,"right":"A"}}
{"ts":8999,"key":"a","value":{"left":3,"right":"A"}}
EOF
	[ -z "$stderr" ]
	echo '{"ts":9500,"key":"a","value":4}' >> left
	run -1 --separate-stderr kjoin --table --right right left
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"left":1,"right":"A"}}
{"ts":3000,"key":"a","value":{"left":2,"right":"A"}}
{"ts":8999,"key":"a","value":{"left":3,"right":"A"}}
EOF
	[ "$stderr" = "kjoin: right:4: not a JSON object: unexpected 'n' at column 1" ]
	run -0 --separate-stderr kjoin --table --right right --on-error skip left
	check_output <<'EOF'
{"ts":1000,"key":"a","value":{"left":1,"right":"A"}}
{"ts":3000,"key":"a","value":{"left":2,"right":"A"}}
{"ts":8999,"key":"a","value":{"left":3,"right":"A"}}
{"ts":9500,"key":"a","value":{"left":4,"right":"C"}}
EOF
	check_stderr <<'EOF'
kjoin: right:4: not a JSON object: unexpected 'n' at column 1 (skipped)
kjoin: skipped 1 bad line
EOF
}

@test "--right: a FIFO whose writer stays open holds nothing up" {
	mkfifo right
	# This shell keeps the FIFO open for writing: kjoin would wait for
	# ever if it read past what the stream records need.
	exec 5<>right
	printf '%s\n' '{"ts":1000,"key":"a","value":"A"}' '{"ts":9000,"key":"a","value":"B"}' >&5
	printf '%s\n' '{"ts":2000,"key":"a","value":"x"}' '{"ts":3000,"key":"a","value":"y"}' > left
	run -0 --separate-stderr timeout 60 kjoin --table --right right left
	exec 5>&-
	check_output <<'EOF'
{"ts":2000,"key":"a","value":{"left":"x","right":"A"}}
{"ts":3000,"key":"a","value":{"left":"y","right":"A"}}
EOF
	[ -z "$stderr" ]
}

@test "--right: its control records are ignored, but end ends it" {
	cat > right <<'EOF'
{"ts":1000,"key":"a","value":"Y1"}
{"@":"barrier","epoch":1,"offsets":{}}
{"@":"tick","ts":99999}
{"ts":2000,"key":"a","value":"Y2"}
{"@":"end"}
{"ts":3000,"key":"a","value":"Y3"}
EOF
	cat > left <<'EOF'
{"ts":1500,"key":"a","value":"X1"}
{"@":"barrier","epoch":7,"offsets":{}}
{"ts":2500,"key":"a","value":"X2"}
{"ts":3500,"key":"a","value":"X3"}
EOF
	run -0 --separate-stderr kjoin --table --right right left
	check_output <<'EOF'
{"ts":1500,"key":"a","value":{"left":"X1","right":"Y1"}}
{"@":"barrier","epoch":7,"offsets":{}}
{"ts":2500,"key":"a","value":{"left":"X2","right":"Y2"}}
{"ts":3500,"key":"a","value":{"left":"X3","right":"Y2"}}
EOF
	[ -z "$stderr" ]
}

@test "--right: a table record without an integer ts is bad input; a null key is counted" {
	cat > right <<'EOF'
{"ts":1000,"key":"a","value":"Y1"}
{"key":"a","value":"Y2"}
{"ts":1.5,"key":"a","value":"Y3"}
{"ts":1500,"key":null,"value":"Y4"}
{"ts":1500,"value":"Y5"}
EOF
	printf '%s\n' '{"ts":2000,"key":"a","value":"X"}' > left
	run -1 --separate-stderr kjoin --table --right right left
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: right:2: record has no ts' ]
	run -0 --separate-stderr kjoin --table --right right --on-error skip left
	check_output <<'EOF'
{"ts":2000,"key":"a","value":{"left":"X","right":"Y1"}}
EOF
	check_stderr <<'EOF'
kjoin: right:2: record has no ts (skipped)
kjoin: right:3: ts is not an integer (skipped)
kjoin: skipped 2 records with a null key
kjoin: skipped 2 bad lines
EOF
	run -0 --separate-stderr kjoin --table --right right --on-error dead.jsonl left
	check_output <<'EOF'
{"ts":2000,"key":"a","value":{"left":"X","right":"Y1"}}
EOF
	check_stderr <<'EOF'
kjoin: skipped 2 records with a null key
kjoin: wrote 2 bad lines to 'dead.jsonl'
EOF
	cat > expect-dead <<'EOF'
{"reason":"record has no ts","source":"right","line":2,"input":"{\"key\":\"a\",\"value\":\"Y2\"}"}
{"reason":"ts is not an integer","source":"right","line":3,"input":"{\"ts\":1.5,\"key\":\"a\",\"value\":\"Y3\"}"}
EOF
	diff -u expect-dead dead.jsonl
}

# --- bad input ------------------------------------------------------------------------

@test "bad input, fail: exit 1 naming the line" {
	run -1 --separate-stderr kjoin --table "${MERGED[@]}" < "$FIX/kjoin-bad.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: line 2: topic is neither --left-topic nor --right-topic' ]
	run -1 --separate-stderr kjoin --table "${MERGED[@]}" --on-error fail "$FIX/kjoin-bad.jsonl"
	[ "$stderr" = "kjoin: $FIX/kjoin-bad.jsonl:2: topic is neither --left-topic nor --right-topic" ]
	# A record without a topic is no side's either.
	sed -n '1p;3p' "$FIX/kjoin-bad.jsonl" > in
	run -1 --separate-stderr kjoin --table "${MERGED[@]}" in
	[ "$stderr" = 'kjoin: in:2: topic is neither --left-topic nor --right-topic' ]
}

@test "bad input, skip: warned, counted, and left out of the join" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" --on-error skip < "$FIX/kjoin-bad.jsonl"
	# The table update at ts -1 was bad: the row is still "Ya".
	check_output <<'EOF'
{"ts":5000,"key":"a","value":{"left":"X5","right":"Ya"},"topic":"stream"}
EOF
	check_stderr <<'EOF'
kjoin: line 2: topic is neither --left-topic nor --right-topic (skipped)
kjoin: line 3: topic is neither --left-topic nor --right-topic (skipped)
kjoin: line 4: not a JSON object: unexpected 'n' at column 1 (skipped)
kjoin: line 5: record has no ts (skipped)
kjoin: line 6: ts is not an integer (skipped)
kjoin: line 7: ts is negative (skipped)
kjoin: skipped 6 bad lines
EOF
	run -0 --separate-stderr kjoin -q --table "${MERGED[@]}" --on-error skip < "$FIX/kjoin-bad.jsonl"
	[ "${#lines[@]}" -eq 1 ]
	[ "$stderr" = 'kjoin: skipped 6 bad lines' ]
}

@test "bad input, FILE: each bad line goes to FILE with its reason" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" --on-error dead.jsonl "$FIX/kjoin-bad.jsonl"
	check_output <<'EOF'
{"ts":5000,"key":"a","value":{"left":"X5","right":"Ya"},"topic":"stream"}
EOF
	[ "$stderr" = "kjoin: wrote 6 bad lines to 'dead.jsonl'" ]
	cat > expect-dead <<EOF
{"reason":"topic is neither --left-topic nor --right-topic","source":"$FIX/kjoin-bad.jsonl","line":2,"input":"{\"ts\":2000,\"key\":\"a\",\"value\":\"X1\",\"topic\":\"other\"}"}
{"reason":"topic is neither --left-topic nor --right-topic","source":"$FIX/kjoin-bad.jsonl","line":3,"input":"{\"ts\":3000,\"key\":\"a\",\"value\":\"X2\"}"}
{"reason":"not a JSON object: unexpected 'n' at column 1","source":"$FIX/kjoin-bad.jsonl","line":4,"input":"not json"}
{"reason":"record has no ts","source":"$FIX/kjoin-bad.jsonl","line":5,"input":"{\"key\":\"a\",\"value\":\"X3\",\"topic\":\"stream\"}"}
{"reason":"ts is not an integer","source":"$FIX/kjoin-bad.jsonl","line":6,"input":"{\"ts\":\"4000\",\"key\":\"a\",\"value\":\"X4\",\"topic\":\"stream\"}"}
{"reason":"ts is negative","source":"$FIX/kjoin-bad.jsonl","line":7,"input":"{\"ts\":-1,\"key\":\"a\",\"value\":\"Yb\",\"topic\":\"table\"}"}
EOF
	diff -u expect-dead dead.jsonl
}

# --- null keys, -q, -v ----------------------------------------------------------------

@test "null and missing keys are skipped and counted, on both sides" {
	cat > in <<'EOF'
{"ts":1,"key":null,"value":"Y","topic":"t"}
{"ts":2,"value":"Y","topic":"t"}
{"ts":3,"key":null,"value":"X","topic":"s"}
{"ts":4,"value":"X","topic":"s"}
EOF
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t in
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: skipped 4 records with a null key' ]
	sed -n 3p in > one
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t one
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: skipped 1 record with a null key' ]
}

@test "-q and --quiet: no note about null keys" {
	run -0 --separate-stderr kjoin -q --table "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
	[ -z "$stderr" ]
	run -0 --separate-stderr kjoin --quiet --table --right "$FIX/kjoin-table.jsonl" "$FIX/kjoin-stream.jsonl"
	inner_want | check_output
	[ -z "$stderr" ]
}

@test "-v and --verbose count records in, out and bad at exit" {
	run -0 --separate-stderr kjoin -v --table "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
	check_stderr <<'EOF'
kjoin: 18 records in, 4 out, 0 bad
kjoin: skipped 3 records with a null key
EOF
	run -0 --separate-stderr kjoin --verbose -q --table "${MERGED[@]}" --on-error skip "$FIX/kjoin-bad.jsonl"
	check_stderr <<'EOF'
kjoin: 7 records in, 1 out, 6 bad
kjoin: skipped 6 bad lines
EOF
	# With --right, the records in are those of the input.
	run -0 --separate-stderr kjoin -v -q --table --right "$FIX/kjoin-table.jsonl" "$FIX/kjoin-stream.jsonl"
	inner_want | check_output
	[ "$stderr" = 'kjoin: 11 records in, 4 out, 0 bad' ]
}

# --- control records ---------------------------------------------------------------

@test "control records are forwarded in order; nothing after end is read" {
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-control.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":2000,"key":"a","value":{"left":"X1","right":"Ya"},"topic":"stream","partition":0,"offset":0}
{"@":"barrier","epoch":1,"offsets":{"stream":{"0":1},"table":{"0":1}}}
{"@":"tick","ts":5000}
{"@":"rebalance","x":[1, 2]}
{"ts":3000,"key":"a","value":{"left":"X2","right":"Ya"},"topic":"stream","partition":0,"offset":1}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "resume without end: exit 3, nothing committed past the last barrier" {
	run -3 --separate-stderr kjoin -s st --table "${MERGED[@]}" < "$FIX/kjoin-resume-no-end.jsonl"
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"@":"barrier","epoch":1,"offsets":{"table":{"0":1}}}
{"@":"barrier","epoch":2,"offsets":{"table":{"0":2}}}
{"ts":4,"key":"a","value":{"left":"x","right":"A3"},"topic":"stream","partition":0,"offset":0}
EOF
	[ "$stderr" = 'kjoin: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	# The store is as of barrier 2: "A2", not "A3".
	printf '%s\n' '{"ts":5,"key":"a","value":"y","topic":"stream"}' > in
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" in
	check_output <<'EOF'
{"ts":5,"key":"a","value":{"left":"y","right":"A2"},"topic":"stream"}
EOF
	[ -z "$stderr" ]
}

@test "resume N rolls the table back to epoch N; the run goes on from there" {
	run -3 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-resume-no-end.jsonl"
	# The sink had committed only epoch 1: the pipeline resumes there.
	cat > run2 <<'EOF'
{"@":"resume","epoch":1}
{"ts":5,"key":"a","value":"y","topic":"stream","partition":0,"offset":0}
{"@":"barrier","epoch":2,"offsets":{"stream":{"0":1},"table":{"0":1}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" run2
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":5,"key":"a","value":{"left":"y","right":"A1"},"topic":"stream","partition":0,"offset":0}
{"@":"barrier","epoch":2,"offsets":{"stream":{"0":1},"table":{"0":1}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	# The next run finds the table as run 2 left it.
	printf '%s\n' '{"ts":6,"key":"a","value":"z","topic":"stream"}' > in
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" in
	check_output <<'EOF'
{"ts":6,"key":"a","value":{"left":"z","right":"A1"},"topic":"stream"}
EOF
}

@test "resume 0 takes the table back to empty; a new store resuming above 0 exits 5" {
	run -3 --separate-stderr kjoin -s st --table --type left "${MERGED[@]}" \
	    "$FIX/kjoin-resume-no-end.jsonl"
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":9,"key":"a","value":"w","topic":"stream"}' \
	    '{"@":"end"}' > run2
	run -0 --separate-stderr kjoin -s st --table --type left "${MERGED[@]}" run2
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":9,"key":"a","value":{"left":"w","right":null},"topic":"stream"}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	printf '%s\n' '{"@":"resume","epoch":2}' '{"@":"end"}' > in
	run -5 --separate-stderr kjoin -s new --table "${MERGED[@]}" in
	[ -z "$output" ]
	[ "$stderr" = "kjoin: in:1: store 'new/kjoin' is new, but the pipeline resumes at epoch 2: a command added to a pipeline needs a new state directory" ]
}

@test "resume after a record is resume in the middle of a stream: exit 1" {
	printf '%s\n' '{"ts":1,"key":"a","value":"Y","topic":"table"}' '{"@":"resume","epoch":0}' \
	    '{"@":"end"}' > in
	run -1 --separate-stderr kjoin -s st --table "${MERGED[@]}" in
	[ -z "$output" ]
	[[ $stderr == 'kjoin: in:2: '*'resume in the middle of a stream' ]]
}

# --- state: -s, --name, the fingerprint ----------------------------------------------

@test "-s: the table persists from one run to the next; without -s it does not" {
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	[ -z "$output" ]
	[ "$stderr" = 'kjoin: skipped 1 record with a null key' ]
	[ -d st/kjoin ]
	# k0 and k1 were deleted; k2 and k3 are in the table.
	run -0 --separate-stderr kjoin --state=st --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"k2","value":{"left":"X2","right":"Y2"},"topic":"stream","partition":1,"offset":0}
{"ts":4000,"key":"k2","value":{"left":"X2","right":"Y2"},"topic":"stream","partition":1,"offset":1}
EOF
	[ "$stderr" = 'kjoin: skipped 2 records with a null key' ]
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
	# kquery reads the table: each key's latest value.
	run -0 --separate-stderr kquery -s st --name kjoin --all
	check_output <<'EOF'
{"key":"k2","value":"Y2"}
{"key":"k3","value":"Y3"}
EOF
}

@test "-s with --right: the rows read persist; those not read are not in the table" {
	printf '%s\n' '{"ts":1000,"key":"a","value":"Ya"}' '{"ts":1500,"key":"b","value":"Yb"}' \
	    '{"ts":5000,"key":"c","value":"Yc"}' > right1
	printf '%s\n' '{"ts":2000,"key":"a","value":"X1"}' > left1
	run -0 --separate-stderr kjoin -s st --table --right right1 left1
	check_output <<'EOF'
{"ts":2000,"key":"a","value":{"left":"X1","right":"Ya"}}
EOF
	printf '%s\n' '{"ts":6000,"key":"b","value":"X2"}' '{"ts":6000,"key":"c","value":"X3"}' > left2
	run -0 --separate-stderr kjoin -s st --table --type inner --right /dev/null left2
	check_output <<'EOF'
{"ts":6000,"key":"b","value":{"left":"X2","right":"Yb"}}
EOF
	[ -z "$stderr" ]
}

@test "without -s each run starts afresh and leaves nothing behind" {
	mkdir tmp
	TMPDIR=$T/tmp run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-merged.jsonl"
	inner_want | check_output
	[ -z "$(ls -A tmp)" ]
	TMPDIR=$T/tmp run -1 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-bad.jsonl"
	[ -z "$(ls -A tmp)" ]
}

@test "\$KPIPE_STATE is the state directory without -s" {
	export KPIPE_STATE=$T/env
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	[ -d env/kjoin ]
	run -0 --separate-stderr kjoin --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = '{"ts":3000,"key":"k2","value":{"left":"X2","right":"Y2"},"topic":"stream","partition":1,"offset":0}' ]
}

@test "--name: two tables in one DIR" {
	printf '%s\n' '{"ts":1,"key":"a","value":"one","topic":"table"}' > t1
	printf '%s\n' '{"ts":1,"key":"a","value":"two","topic":"table"}' > t2
	printf '%s\n' '{"ts":2,"key":"a","value":"x","topic":"stream"}' > s
	run -0 --separate-stderr kjoin -s st --name first --table "${MERGED[@]}" t1
	run -0 --separate-stderr kjoin -s st --name=second --table --type left "${MERGED[@]}" t2
	[ -d st/first ]
	[ -d st/second ]
	[ ! -e st/kjoin ]
	run -0 --separate-stderr kjoin -s st --name first --table "${MERGED[@]}" s
	check_output <<'EOF'
{"ts":2,"key":"a","value":{"left":"x","right":"one"},"topic":"stream"}
EOF
	run -0 --separate-stderr kjoin -s st --name second --table --type left "${MERGED[@]}" s
	check_output <<'EOF'
{"ts":2,"key":"a","value":{"left":"x","right":"two"},"topic":"stream"}
EOF
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" s
	[ -z "$output" ]
	[ -d st/kjoin ]
}

@test "the store refuses other options: exit 5 naming the first difference" {
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	run -5 --separate-stderr kjoin -s st --table --type left "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'type=\"inner\"', not 'type=\"left\"'" ]
	run -5 --separate-stderr kjoin -s st --table "${MERGED[@]}" --with '$left' "$FIX/kjoin-stream.jsonl"
	[ "$stderr" = "kjoin: store 'st/kjoin' was made without 'with=\"\$left\"'" ]
	run -5 --separate-stderr kjoin -s st --table --left-topic s2 --right-topic table "$FIX/kjoin-stream.jsonl"
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'left-topic=\"stream\"', not 'left-topic=\"s2\"'" ]
	run -5 --separate-stderr kjoin -s st --table --left-topic stream --right-topic t2 "$FIX/kjoin-stream.jsonl"
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'right-topic=\"table\"', not 'right-topic=\"t2\"'" ]
	run -5 --separate-stderr kjoin -s st --table --right "$FIX/kjoin-table.jsonl" "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'left-topic=\"stream\"', which this command lacks" ]
	# The store is as it was: the same options go on.
	run -0 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ "${#lines[@]}" -eq 2 ]
}

@test "the store refuses a --with it was not made with, and another --with" {
	run -0 --separate-stderr kjoin -s st --table --with '$right' "${MERGED[@]}" "$FIX/kjoin-table.jsonl"
	run -5 --separate-stderr kjoin -s st --table "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ -z "$output" ]
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'with=\"\$right\"', which this command lacks" ]
	run -5 --separate-stderr kjoin -s st --table --with '$left' "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'with=\"\$right\"', not 'with=\"\$left\"'" ]
	run -0 --separate-stderr kjoin -s st --table --with '$right' "${MERGED[@]}" "$FIX/kjoin-stream.jsonl"
	check_output <<'EOF'
{"ts":3000,"key":"k2","value":"Y2","topic":"stream","partition":1,"offset":0}
{"ts":4000,"key":"k2","value":"Y2","topic":"stream","partition":1,"offset":1}
EOF
}

# --- the seed's example 14.4.3: page views left-joined to user profiles ---------------

@test "14.4.3: page views left-joined to user profiles, against a jq model of the join" {
	# 3000 records at distinct, rising times: profile updates (some
	# deletes) for users 1-20, page views by users 1-30; users 21-30
	# never have a profile.  Integer keys, as in the example.
	awk 'BEGIN {
		srand(1443)
		for (i = 0; i < 3000; i++) {
			ts = 1795530600000 + i * 10
			if (rand() < 0.15) {
				u = 1 + int(rand() * 20)
				if (rand() < 0.1)
					v = "null"
				else
					v = sprintf("{\"userID\":%d,\"userName\":\"user-%d\",\"zipcode\":\"%05d\",\"interests\":[\"i%d\",\"i%d\"]}",
					    u, u, int(rand() * 100000), int(rand() * 5), int(rand() * 5))
				printf "{\"ts\":%.0f,\"key\":%d,\"value\":%s,\"topic\":\"profiles\",\"partition\":0,\"offset\":%d}\n",
				    ts, u, v, np++
			} else {
				u = 1 + int(rand() * 30)
				printf "{\"ts\":%.0f,\"key\":%d,\"value\":{\"page\":\"/p%d\"},\"topic\":\"views\",\"partition\":0,\"offset\":%d}\n",
				    ts, u, int(rand() * 50), nv++
			}
		}
	}' > merged
	# Distinct, rising times, so that --right reads the same merge.
	jq -e -s 'map(.ts) | . == (sort | unique) and length == 3000' merged
	grep '"topic":"profiles"' merged > profiles
	grep '"topic":"views"' merged > views
	# The ValueJoiner of the example, UserActivity as JSON.
	with='if $right != null then
		{userId: $right.userID, userName: $right.userName, zipcode: $right.zipcode,
		 interests: $right.interests, searchTerm: "", page: $left.page}
	else
		{userId: -1, userName: "", zipcode: "", interests: null, searchTerm: "",
		 page: $left.page}
	end'
	# The model: a table of profiles by key, looked up by each view.
	jq -c -n 'foreach inputs as $r ({t: {}, out: null};
		($r.key | tostring) as $k
		| if $r.topic == "profiles" then
			(if $r.value == null then .t |= del(.[$k]) else .t[$k] = $r.value end)
			| .out = null
		else
			.t[$k] as $p
			| .out = {ts: $r.ts, key: $r.key,
			    value: (if $p != null then
				{userId: $p.userID, userName: $p.userName, zipcode: $p.zipcode,
				 interests: $p.interests, searchTerm: "", page: $r.value.page}
			    else
				{userId: -1, userName: "", zipcode: "", interests: null,
				 searchTerm: "", page: $r.value.page}
			    end),
			    topic: $r.topic, partition: $r.partition, offset: $r.offset}
		end;
		.out // empty)' merged > want
	# Both kinds of result are there.
	grep -q '"userId":-1' want
	grep -q '"userName":"user-' want
	[ "$(wc -l < want)" -eq "$(wc -l < views)" ]
	run -0 --separate-stderr kjoin --table --type left --left-topic views --right-topic profiles \
	    --with "$with" merged
	check_output < want
	[ -z "$stderr" ]
	run -0 --separate-stderr kjoin --table --type left --right profiles --with "$with" views
	check_output < want
	[ -z "$stderr" ]
}

@test "a stream record with a null or absent value is skipped and counted, as KStreamKTableJoinProcessor does" {
	printf '%s\n' '{"ts":1,"key":"a","value":"A","topic":"t"}' \
	    '{"ts":2,"key":"a","value":null,"topic":"s"}' \
	    '{"ts":3,"key":"a","topic":"s"}' \
	    '{"ts":4,"key":"a","value":"x","topic":"s"}' >in
	run -0 --separate-stderr kjoin --table --type left --left-topic s --right-topic t in
	check_output <<'EOF'
{"ts":4,"key":"a","value":{"left":"x","right":"A"},"topic":"s"}
EOF
	[ "$stderr" = "kjoin: skipped 2 stream records with a null value" ]
}

# --- --versioned: the table as of the stream record's time --------------------
#
# The rules, from Kafka's versioned stores (RocksDBVersionedStore): a table
# update is a version at its ts; a lookup as of T finds the version with the
# latest ts <= T (a deletion finds nothing); with --history H, lookups reach
# back to (latest table ts) - H: one older than that finds only a newest
# version not after it, and a table update older than that is skipped.

versioned_in() {
	cat <<'EOF'
{"ts":10,"key":"a","value":"A10","topic":"table"}
{"ts":30,"key":"a","value":"A30","topic":"table"}
{"ts":20,"key":"a","value":"A20","topic":"table"}
{"ts":15,"key":"a","value":"x","topic":"stream","offset":0}
{"ts":25,"key":"a","value":"y","topic":"stream","offset":1}
{"ts":35,"key":"a","value":"z","topic":"stream","offset":2}
{"ts":5,"key":"a","value":"w","topic":"stream","offset":3}
{"ts":40,"key":"a","value":null,"topic":"table"}
{"ts":45,"key":"a","value":"v","topic":"stream","offset":4}
{"ts":38,"key":"a","value":"u","topic":"stream","offset":5}
{"ts":20,"key":"a","value":"A20b","topic":"table"}
{"ts":22,"key":"a","value":"t","topic":"stream","offset":6}
EOF
}

@test "--versioned: each stream record joins the row as of its ts, late table updates in their place" {
	versioned_in > in
	run -0 --separate-stderr kjoin --table --versioned --type left "${MERGED[@]}" in
	check_output <<'EOF'
{"ts":15,"key":"a","value":{"left":"x","right":"A10"},"topic":"stream","offset":0}
{"ts":25,"key":"a","value":{"left":"y","right":"A20"},"topic":"stream","offset":1}
{"ts":35,"key":"a","value":{"left":"z","right":"A30"},"topic":"stream","offset":2}
{"ts":5,"key":"a","value":{"left":"w","right":null},"topic":"stream","offset":3}
{"ts":45,"key":"a","value":{"left":"v","right":null},"topic":"stream","offset":4}
{"ts":38,"key":"a","value":{"left":"u","right":"A30"},"topic":"stream","offset":5}
{"ts":22,"key":"a","value":{"left":"t","right":"A20b"},"topic":"stream","offset":6}
EOF
	[ -z "$stderr" ]
	# Inner: no row then, no result.  Without --versioned: the latest.
	run -0 kjoin --table --versioned "${MERGED[@]}" in
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 5 ]
	run -0 kjoin --table --type left "${MERGED[@]}" in
	check_output <<'EOF'
{"ts":15,"key":"a","value":{"left":"x","right":"A20"},"topic":"stream","offset":0}
{"ts":25,"key":"a","value":{"left":"y","right":"A20"},"topic":"stream","offset":1}
{"ts":35,"key":"a","value":{"left":"z","right":"A20"},"topic":"stream","offset":2}
{"ts":5,"key":"a","value":{"left":"w","right":"A20"},"topic":"stream","offset":3}
{"ts":45,"key":"a","value":{"left":"v","right":null},"topic":"stream","offset":4}
{"ts":38,"key":"a","value":{"left":"u","right":null},"topic":"stream","offset":5}
{"ts":22,"key":"a","value":{"left":"t","right":"A20b"},"topic":"stream","offset":6}
EOF
}

@test "--history: lookups reach back so far before the latest update; older updates are skipped" {
	versioned_in > in
	# History 15: after ts 30 lookups reach 15, after ts 40, 25.  x at
	# 15 still finds A10 (the row at 15); w at 5 only a newest version
	# not after 5 (none); at ts 20 the update is older than 40 - 15:
	# skipped, and t at 22, beyond the reach, finds the newest version
	# (the deletion at 40 is after 22): nothing.
	run -0 --separate-stderr kjoin --table --versioned --history 15 \
	    --type left "${MERGED[@]}" in
	check_output <<'EOF'
{"ts":15,"key":"a","value":{"left":"x","right":"A10"},"topic":"stream","offset":0}
{"ts":25,"key":"a","value":{"left":"y","right":"A20"},"topic":"stream","offset":1}
{"ts":35,"key":"a","value":{"left":"z","right":"A30"},"topic":"stream","offset":2}
{"ts":5,"key":"a","value":{"left":"w","right":null},"topic":"stream","offset":3}
{"ts":45,"key":"a","value":{"left":"v","right":null},"topic":"stream","offset":4}
{"ts":38,"key":"a","value":{"left":"u","right":"A30"},"topic":"stream","offset":5}
{"ts":22,"key":"a","value":{"left":"t","right":null},"topic":"stream","offset":6}
EOF
	[ "$stderr" = "kjoin: skipped 1 table update older than the history" ]
	# Beyond the reach, a newest version not after the lookup answers.
	printf '%s\n' '{"ts":10,"key":"b","value":"B","topic":"table"}' \
	    '{"ts":100,"key":"c","value":"C","topic":"table"}' \
	    '{"ts":50,"key":"b","value":"s","topic":"stream"}' > in2
	run -0 kjoin --table --versioned --history 10 "${MERGED[@]}" in2
	check_output <<'EOF'
{"ts":50,"key":"b","value":{"left":"s","right":"B"},"topic":"stream"}
EOF
}

@test "usage error: --versioned is for --table; --history needs --versioned" {
	usage_error '--versioned: a stream-table join only' --tables --versioned "${MERGED[@]}"
	usage_error '--versioned: a stream-table join only' --window 1s --versioned "${MERGED[@]}"
	usage_error '--history: give --versioned too' --table --history 1d "${MERGED[@]}"
	usage_error "--history 'x': not a duration" --table --versioned --history x "${MERGED[@]}"
}

@test "--versioned with -s: the versions persist and roll back; kquery lists them, newest first" {
	versioned_in > in
	head -n 3 in > run1
	{
		echo '{"@":"resume","epoch":0}'
		head -n 3 in
		echo '{"@":"barrier","epoch":1}'
		sed -n 4,8p in
		echo '{"@":"barrier","epoch":2}'
	} > crash
	run -3 --separate-stderr kjoin -s st --table --versioned --type left "${MERGED[@]}" crash
	{
		echo '{"@":"resume","epoch":1}'
		tail -n +4 in
		echo '{"@":"end"}'
	} > run2
	run -0 --separate-stderr kjoin -s st --table --versioned --type left "${MERGED[@]}" run2
	kjoin --table --versioned --type left "${MERGED[@]}" in > want
	printf '%s\n' "$output" | sed '1d;$d' | diff -u want -
	run -0 kquery -s st --name kjoin --all
	check_output <<'EOF'
{"ts":40,"key":"a","value":null}
{"ts":30,"key":"a","value":"A30"}
{"ts":20,"key":"a","value":"A20b"}
{"ts":10,"key":"a","value":"A10"}
EOF
	run -5 --separate-stderr kjoin -s st --table --type left "${MERGED[@]}" in
	[[ $stderr == *"was made with 'history=-1'"* ]]
}

@test "usage error: --cache-size below 64k or not a size" {
	usage_error "--cache-size must be 64k or more" --table --cache-size 1k \
	    "${MERGED[@]}"
	usage_error "--cache-size 'lots': not a size" --table \
	    --cache-size lots "${MERGED[@]}"
}

# A table of 4000 rows of 100-byte values, updated and deleted while 20000
# stream records probe it: a 64k cache empties itself many times over and
# reads its rows back from the store.  The results are an awk model's, and
# the default cache's, byte for byte.
@test "--cache-size 64k: rows that leave memory are read back from the store; the results are the model's" {
	awk 'BEGIN {
		srand(7)
		pad = sprintf("%90s", ""); gsub(/ /, "x", pad)
		for (i = 0; i < 24000; i++) {
			k = int(rand() * 5000)
			if (i < 4000 || rand() < 0.15) {
				if (rand() < 0.1)
					printf "{\"ts\":%d,\"key\":\"k%d\",\"value\":null,\"topic\":\"table\"}\n", i, k
				else
					printf "{\"ts\":%d,\"key\":\"k%d\",\"value\":\"%s%d\",\"topic\":\"table\"}\n", i, k, pad, i
			} else
				printf "{\"ts\":%d,\"key\":\"k%d\",\"value\":%d,\"topic\":\"stream\",\"partition\":0,\"offset\":%d}\n", i, k, i, i
		}
	}' > merged
	awk '{
		match($0, /"key":"k[0-9]+"/); k = substr($0, RSTART + 6, RLENGTH - 6)
		match($0, /"ts":[0-9]+/); ts = substr($0, RSTART + 5, RLENGTH - 5)
		match($0, /"value":[^,]*/); v = substr($0, RSTART + 8, RLENGTH - 8)
		if ($0 ~ /"topic":"table"/) {
			if (v == "null") delete row[k]; else row[k] = v
			next
		}
		r = (k in row) ? row[k] : "null"
		printf "{\"ts\":%s,\"key\":%s,\"value\":{\"left\":%s,\"right\":%s},\"topic\":\"stream\",\"partition\":0,\"offset\":%s}\n", ts, k, v, r, v
	}' merged > want
	[ "$(grep -c '"right":null' want)" -gt 1000 ]
	[ "$(grep -c '"right":"x' want)" -gt 10000 ]
	kjoin --table --type left "${MERGED[@]}" --cache-size 64k merged > got
	diff want got
	kjoin --table --type left "${MERGED[@]}" merged > got-default
	diff want got-default
	kjoin --table --type left "${MERGED[@]}" --cache-size 64k -s state \
	    merged > got-state
	diff want got-state
}
