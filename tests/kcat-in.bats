#!/usr/bin/env bats
# kcat-in: files of lines, JSON values or records made into records.

load helper

setup() {
	# Fixtures are named relative to their directory, so that each
	# record's topic (the file's name as given) reads plainly.
	cd "$FIX"
	T=$BATS_TEST_TMPDIR
}

# Check that each line of $output starts with {"ts":N, where N lies in
# [$1, $2], the wall-clock bounds of the run, and put the lines with N
# replaced by T in $output for check_output.
arrival() {
	local lo=$1 hi=$2 line ts masked=
	while IFS= read -r line; do
		if ! [[ $line =~ ^\{\"ts\":([0-9]+), ]]; then
			echo "no integer ts first: $line"
			return 1
		fi
		ts=${BASH_REMATCH[1]}
		if ((ts < lo || ts > hi)); then
			echo "ts $ts is not the arrival time, in [$lo, $hi]"
			return 1
		fi
		masked+="{\"ts\":T,${line#*,}"$'\n'
	done <<<"$output"
	output=${masked%$'\n'}
}

usage() {
	usage_of kcat-in
}

# --- flags common to every command ---

@test "kcat-in -h prints the usage on stdout and exits 0" {
	run -0 --separate-stderr kcat-in -h
	usage | check_output
	[ -z "$stderr" ]
}

@test "kcat-in --help is -h" {
	run -0 --separate-stderr kcat-in --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "kcat-in --version prints name and version" {
	run -0 --separate-stderr kcat-in --version
	[ "$output" = "kcat-in (kpipe) 0.1.0" ]
	[ -z "$stderr" ]
}

@test "kcat-in -v reports records in, out and bad at exit" {
	run -0 --separate-stderr kcat-in -v --ts 0 -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ "$stderr" = "kcat-in: 3 records in, 3 out, 0 bad" ]
}

# --- usage errors ---

@test "kcat-in without -f is a usage error" {
	run -2 --separate-stderr kcat-in
	[ -z "$output" ]
	{ echo "kcat-in: no input: give -t topic or -f file (- for standard input)"; usage; } |
	    check_stderr
}

@test "kcat-in with a file operand instead of -f is a usage error" {
	run -2 --separate-stderr kcat-in kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: unexpected argument 'kcat-in-lines.txt' (topics go with -t, files with -f)"; usage; } |
	    check_stderr
}

@test "kcat-in with an operand after -f FILE is a usage error" {
	run -2 --separate-stderr kcat-in -f kcat-in-lines.txt extra
	[ -z "$output" ]
	{ echo "kcat-in: unexpected argument 'extra' (topics go with -t, files with -f)"; usage; } |
	    check_stderr
}

@test "kcat-in -f without its argument is a usage error" {
	run -2 --separate-stderr kcat-in -f
	[ -z "$output" ]
	{ echo "kcat-in: option '-f' needs an argument"; usage; } | check_stderr
}

@test "kcat-in with an unknown option is a usage error" {
	run -2 --separate-stderr kcat-in --bogus -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: unknown option '--bogus'"; usage; } | check_stderr
}

@test "kcat-in --input with an unknown reading is a usage error" {
	run -2 --separate-stderr kcat-in --input xml -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: --input 'xml': not auto, lines, json or records"; usage; } |
	    check_stderr
}

@test "kcat-in --ts-unit with an unknown unit is a usage error" {
	run -2 --separate-stderr kcat-in --ts . --ts-unit m -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: --ts-unit 'm': not ms, s, us or ns"; usage; } |
	    check_stderr
}

@test "kcat-in -c with a word is a usage error" {
	run -2 --separate-stderr kcat-in -c x -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: -c 'x': not a count"; usage; } | check_stderr
}

@test "kcat-in -c with a negative number is a usage error" {
	run -2 --separate-stderr kcat-in -c -1 -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: -c '-1': not a count"; usage; } | check_stderr
}

@test "kcat-in --on-error with an empty argument is a usage error" {
	run -2 --separate-stderr kcat-in --on-error= -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: --on-error: empty argument"; usage; } | check_stderr
}

@test "kcat-in --ts that does not compile exits 2 with jq's message" {
	run -2 --separate-stderr kcat-in --ts '.[' -f kcat-in-lines.txt
	[ -z "$output" ]
	check_stderr <<'EOF'
kcat-in: --ts: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
.[ ; jq: 1 compile error
EOF
}

@test "kcat-in --ts naming an undefined variable exits 2" {
	run -2 --separate-stderr kcat-in --ts '$nope' -f kcat-in-lines.txt
	[ -z "$output" ]
	check_stderr <<'EOF'
kcat-in: --ts: jq: error: $nope is not defined at <top-level>, line 1:
$nope; jq: 1 compile error
EOF
}

@test "kcat-in --key that does not compile exits 2 with jq's message" {
	run -2 --separate-stderr kcat-in --key ')' -f kcat-in-lines.txt
	[ -z "$output" ]
	check_stderr <<'EOF'
kcat-in: --key: jq: error: syntax error, unexpected INVALID_CHARACTER, expecting $end (Unix shell quoting issues?) at <top-level>, line 1:
); jq: 1 compile error
EOF
}

# --- files ---

@test "kcat-in -f of a missing file exits 1 naming it" {
	run -1 --separate-stderr kcat-in -f kcat-in-no-such-file.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: 'kcat-in-no-such-file.txt': No such file or directory" ]
}

@test "kcat-in -f of a missing second file writes nothing and exits 1" {
	run -1 --separate-stderr kcat-in -f kcat-in-lines.txt -f "$T/none"
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: '$T/none': No such file or directory" ]
}

@test "kcat-in -f of a directory exits 1 with a read error" {
	mkdir "$T/dir"
	run -1 --separate-stderr kcat-in -f "$T/dir"
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: read error on '$T/dir': Is a directory" ]
}

@test "kcat-in topic is the file's name as given (equal ts: the first file first)" {
	run -0 --separate-stderr kcat-in --ts 0 -f ./kcat-in-lines.txt \
	    -f ../fixtures/kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"alpha","topic":"./kcat-in-lines.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"beta","topic":"./kcat-in-lines.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"gamma","topic":"./kcat-in-lines.txt","partition":0,"offset":2}
{"ts":0,"key":null,"value":"alpha","topic":"../fixtures/kcat-in-lines.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"beta","topic":"../fixtures/kcat-in-lines.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"gamma","topic":"../fixtures/kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -f - reads standard input, topic \"-\"" {
	run -0 --separate-stderr kcat-in --ts 0 -f - <kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"alpha","topic":"-","partition":0,"offset":0}
{"ts":0,"key":null,"value":"beta","topic":"-","partition":0,"offset":1}
{"ts":0,"key":null,"value":"gamma","topic":"-","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -f is repeatable, standard input among the files" {
	run -0 --separate-stderr kcat-in --input records \
	    -f kcat-in-merge-a.jsonl -f - <kcat-in-merge-b.jsonl
	check_output <<'EOF'
{"ts":10,"key":null,"value":"a1","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":0}
{"ts":20,"key":null,"value":"b1","topic":"-","partition":0,"offset":0}
{"ts":30,"key":null,"value":"a2","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":1}
{"ts":30,"key":null,"value":"a3","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":2}
{"ts":30,"key":null,"value":"b2","topic":"-","partition":0,"offset":1}
{"ts":40,"key":null,"value":"b3","topic":"-","partition":0,"offset":2}
{"ts":50,"key":null,"value":"a4","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

# --- --input and the default arrival time ---

@test "kcat-in default ts is the wall-clock time the line was read" {
	before=$(date +%s%3N)
	run -0 --separate-stderr kcat-in -f kcat-in-lines.txt
	after=$(date +%s%3N)
	arrival "$before" "$after"
	check_output <<'EOF'
{"ts":T,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":T,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":T,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input auto (default): JSON kept byte for byte, other text a string" {
	before=$(date +%s%3N)
	run -0 --separate-stderr kcat-in -f kcat-in-auto.txt
	after=$(date +%s%3N)
	arrival "$before" "$after"
	check_output <<'EOF'
{"ts":T,"key":null,"value":{"sym": "AAPL",  "px" :134.98, "id":123456789012345678901234567890},"topic":"kcat-in-auto.txt","partition":0,"offset":0}
{"ts":T,"key":null,"value":"\"quoted\"","topic":"kcat-in-auto.txt","partition":0,"offset":1}
{"ts":T,"key":null,"value":"null","topic":"kcat-in-auto.txt","partition":0,"offset":2}
{"ts":T,"key":null,"value":"","topic":"kcat-in-auto.txt","partition":0,"offset":3}
{"ts":T,"key":null,"value":"plain text","topic":"kcat-in-auto.txt","partition":0,"offset":4}
{"ts":T,"key":null,"value":[1, 2 ,3],"topic":"kcat-in-auto.txt","partition":0,"offset":5}
{"ts":T,"key":null,"value":-0.5e3,"topic":"kcat-in-auto.txt","partition":0,"offset":6}
{"ts":T,"key":null,"value":true,"topic":"kcat-in-auto.txt","partition":0,"offset":7}
{"ts":T,"key":null,"value":false,"topic":"kcat-in-auto.txt","partition":0,"offset":8}
{"ts":T,"key":null,"value":"{not json","topic":"kcat-in-auto.txt","partition":0,"offset":9}
{"ts":T,"key":null,"value":"1 2","topic":"kcat-in-auto.txt","partition":0,"offset":10}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input auto named explicitly is the default" {
	run -0 --separate-stderr kcat-in --input auto --ts 0 -f kcat-in-auto.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":{"sym": "AAPL",  "px" :134.98, "id":123456789012345678901234567890},"topic":"kcat-in-auto.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"\"quoted\"","topic":"kcat-in-auto.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"null","topic":"kcat-in-auto.txt","partition":0,"offset":2}
{"ts":0,"key":null,"value":"","topic":"kcat-in-auto.txt","partition":0,"offset":3}
{"ts":0,"key":null,"value":"plain text","topic":"kcat-in-auto.txt","partition":0,"offset":4}
{"ts":0,"key":null,"value":[1, 2 ,3],"topic":"kcat-in-auto.txt","partition":0,"offset":5}
{"ts":0,"key":null,"value":-0.5e3,"topic":"kcat-in-auto.txt","partition":0,"offset":6}
{"ts":0,"key":null,"value":true,"topic":"kcat-in-auto.txt","partition":0,"offset":7}
{"ts":0,"key":null,"value":false,"topic":"kcat-in-auto.txt","partition":0,"offset":8}
{"ts":0,"key":null,"value":"{not json","topic":"kcat-in-auto.txt","partition":0,"offset":9}
{"ts":0,"key":null,"value":"1 2","topic":"kcat-in-auto.txt","partition":0,"offset":10}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input auto: a line that is not UTF-8 goes to value_base64" {
	cd "$T"
	printf 'ok\n\377\376bin\nok \303\251\n' >bin.txt
	run -0 --separate-stderr kcat-in --ts 0 -f bin.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"ok","topic":"bin.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value_base64":"//5iaW4=","topic":"bin.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"ok é","topic":"bin.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input lines: every line a string" {
	before=$(date +%s%3N)
	run -0 --separate-stderr kcat-in --input lines -f kcat-in-auto.txt
	after=$(date +%s%3N)
	arrival "$before" "$after"
	check_output <<'EOF'
{"ts":T,"key":null,"value":"{\"sym\": \"AAPL\",  \"px\" :134.98, \"id\":123456789012345678901234567890}","topic":"kcat-in-auto.txt","partition":0,"offset":0}
{"ts":T,"key":null,"value":"\"quoted\"","topic":"kcat-in-auto.txt","partition":0,"offset":1}
{"ts":T,"key":null,"value":"null","topic":"kcat-in-auto.txt","partition":0,"offset":2}
{"ts":T,"key":null,"value":"","topic":"kcat-in-auto.txt","partition":0,"offset":3}
{"ts":T,"key":null,"value":"plain text","topic":"kcat-in-auto.txt","partition":0,"offset":4}
{"ts":T,"key":null,"value":"[1, 2 ,3]","topic":"kcat-in-auto.txt","partition":0,"offset":5}
{"ts":T,"key":null,"value":"-0.5e3","topic":"kcat-in-auto.txt","partition":0,"offset":6}
{"ts":T,"key":null,"value":"true","topic":"kcat-in-auto.txt","partition":0,"offset":7}
{"ts":T,"key":null,"value":"false","topic":"kcat-in-auto.txt","partition":0,"offset":8}
{"ts":T,"key":null,"value":"{not json","topic":"kcat-in-auto.txt","partition":0,"offset":9}
{"ts":T,"key":null,"value":"1 2","topic":"kcat-in-auto.txt","partition":0,"offset":10}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input lines: a line that is not UTF-8 goes to value_base64" {
	cd "$T"
	printf 'tab\there\n\377\nnul\000byte\n' >bin.txt
	run -0 --separate-stderr kcat-in --input lines --ts 0 -f bin.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"tab\there","topic":"bin.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value_base64":"/w==","topic":"bin.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"nul\u0000byte","topic":"bin.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input json: each line one JSON value, kept byte for byte" {
	run -1 --separate-stderr kcat-in --input json --ts 0 -f kcat-in-json.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":{"sym": "AAPL",  "id":123456789012345678901234567890},"topic":"kcat-in-json.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"text","topic":"kcat-in-json.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":null,"topic":"kcat-in-json.txt","partition":0,"offset":2}
{"ts":0,"key":null,"value":[true, false],"topic":"kcat-in-json.txt","partition":0,"offset":3}
{"ts":0,"key":null,"value":-1.5e3,"topic":"kcat-in-json.txt","partition":0,"offset":4}
EOF
	[ "$stderr" = "kcat-in: kcat-in-json.txt:6: not JSON: unexpected 'n' at column 1" ]
}

@test "kcat-in --input json: a bad line on standard input is named by line" {
	run -1 --separate-stderr kcat-in --input json --ts 0 -f - <kcat-in-json-bad.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":1,"topic":"-","partition":0,"offset":0}
EOF
	[ "$stderr" = "kcat-in: line 2: not JSON: unexpected end of line at column 6" ]
}

@test "kcat-in --input records: provenance filled in, the rest kept" {
	run -0 --separate-stderr kcat-in --input records -f kcat-in-records.jsonl
	check_output <<'EOF'
{"ts":100,"key":null,"value":{"n":1},"topic":"kcat-in-records.jsonl","partition":0,"offset":0,"extra":"kept"}
{"@":"barrier","epoch":1,"offsets":{"kcat-in-records.jsonl":{"0":2}}}
{"ts":50,"key":"k","value":2,"topic":"trades","partition":3,"offset":9}
{"ts":70,"key_base64":"/w==","value":3,"topic":"kcat-in-records.jsonl","partition":0,"offset":3}
{"@":"tick","ts":70}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input records: every record gets key null when it has none" {
	cd "$T"
	printf '%s\n' '{"ts":1,"value":2,"topic":"t","partition":0,"offset":5}' \
	    '{"ts":1, "value":2,"topic":"t","partition":0,"offset":5}' >r.jsonl
	run -0 --separate-stderr kcat-in --input records -f r.jsonl
	check_output <<'EOF'
{"ts":1,"key":null,"value":2,"topic":"t","partition":0,"offset":5}
{"ts":1,"key":null,"value":2,"topic":"t","partition":0,"offset":5}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input records: a record without ts gets the arrival time" {
	before=$(date +%s%3N)
	run -0 --separate-stderr kcat-in --input records -f - <<<'{"value":"v","x":[1]}'
	after=$(date +%s%3N)
	arrival "$before" "$after"
	check_output <<'EOF'
{"ts":T,"key":null,"value":"v","topic":"-","partition":0,"offset":0,"x":[1]}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input records: a ts that is not an integer is bad input" {
	run -1 --separate-stderr kcat-in --input records -f kcat-in-records-bad-ts.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-records-bad-ts.jsonl:1: ts is not an integer (milliseconds)" ]
}

@test "kcat-in --input records --on-error skip: each bad ts skipped" {
	run -0 --separate-stderr kcat-in --input records --on-error skip \
	    -f kcat-in-records-bad-ts.jsonl
	check_output <<'EOF'
{"ts":4,"key":null,"value":4,"topic":"kcat-in-records-bad-ts.jsonl","partition":0,"offset":3}
EOF
	check_stderr <<'EOF'
kcat-in: kcat-in-records-bad-ts.jsonl:1: ts is not an integer (milliseconds) (skipped)
kcat-in: kcat-in-records-bad-ts.jsonl:2: ts is not an integer (milliseconds) (skipped)
kcat-in: kcat-in-records-bad-ts.jsonl:3: ts is not an integer (milliseconds) (skipped)
kcat-in: skipped 3 bad lines
EOF
}

# The scanner reads strings, digits and timestamps eight bytes at a time:
# what it finds must not depend on where a byte falls in such a word, or on
# how near the end of the line it is.
@test "kcat-in --input records: strings, numbers and ts read alike at every offset" {
	local n s d t l=0 out='"topic":"-","partition":0'
	cd "$T"
	: > in; : > expect; : > expect_err
	# good lines are kept byte for byte; bad ones named by line and column
	good() {	# ts value [the value's spaces after it]
		printf '%s\n' "{\"ts\":$1,\"value\":$2${3:-}}" >> in
		printf '%s\n' "{\"ts\":$1,\"key\":null,\"value\":$2,$out,\"offset\":$l}" >> expect
		l=$((l + 1))
	}
	bad() {
		printf '%s\n' "{\"ts\":1,\"value\":$1}" >> in
		l=$((l + 1))
		echo "kcat-in: line $l: $2 (skipped)" >> expect_err
	}
	s= d= t=
	for n in $(seq 0 19); do
		good 1 "\"$s\""
		good 1 "\"$s\\\"x\""
		good 1 "\"${s}é€\\u00e9\""
		good 1 "\"$s\"" "$(printf '%*s' "$n" '')"
		bad "\"$s$(printf '\001')\"" "control character in string at column $((18 + n))"
		bad "\"$s\\q\"" "bad escape at column $((18 + n))"
		bad "\"$s" "unterminated string at column $((19 + n))"
		d=$d$(( (n + 1) % 10 ))
		good 1 "$d"
		good 1 "-$d.$d"
		good 1 "$d.5e+$d"
		bad "${d}x" "unexpected 'x' at column $((18 + n))"
		bad "$d." "unexpected '}' at column $((19 + n))"
		bad "1.${d}e" "unexpected '}' at column $((21 + n))"
		# ts: an integer of up to 18 digits
		t=$t$(( (n + 7) % 10 ))
		[ "$n" -lt 18 ] && good "$t" 1
		s=${s}a
	done
	# 19 digits, a fraction, an exponent: not a ts
	printf '%s\n' '{"ts":1234567890123456789,"value":1}' \
	    '{"ts":12345678.5,"value":1}' '{"ts":123456789e3,"value":1}' >> in
	for n in 1 2 3; do
		echo "kcat-in: line $((l + n)): ts is not an integer (milliseconds) (skipped)" >> expect_err
	done
	echo "kcat-in: skipped $(wc -l < expect_err) bad lines" >> expect_err
	run -0 --separate-stderr kcat-in --input records --on-error skip -f - < in
	diff -u expect - <<<"$output"
	diff -u expect_err - <<<"$stderr"
}

@test "kcat-in --input records: a line that is not an object is bad input" {
	run -1 --separate-stderr kcat-in --input records -f - <<<'[1,2]'
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: line 1: not a JSON object" ]
}

@test "kcat-in: CRLF line ends lose their CR" {
	cd "$T"
	printf 'a\r\n{"x":1}\r\n\r\nlast\r\n' >crlf.txt
	run -0 --separate-stderr kcat-in --ts 0 -f crlf.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"a","topic":"crlf.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":{"x":1},"topic":"crlf.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"","topic":"crlf.txt","partition":0,"offset":2}
{"ts":0,"key":null,"value":"last","topic":"crlf.txt","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in: a last line without a newline is read" {
	cd "$T"
	printf 'first\n{"last":true}' >nonl.txt
	run -0 --separate-stderr kcat-in --ts 0 -f nonl.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"first","topic":"nonl.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":{"last":true},"topic":"nonl.txt","partition":0,"offset":1}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in: a 3 MB line is read whole" {
	cd "$T"
	head -c 3000000 /dev/zero | tr '\0' x >x3m
	{ cat x3m; printf '\nshort\n'; } >long.txt
	{
		printf '{"ts":0,"key":null,"value":"'
		cat x3m
		printf '","topic":"long.txt","partition":0,"offset":0}\n'
	} >expect
	run -0 --separate-stderr kcat-in --ts 0 -c 1 -f long.txt
	printf '%s\n' "$output" >actual
	cmp expect actual
	[ -z "$stderr" ]
}

# --- --ts and --ts-unit ---

@test "kcat-in --ts: milliseconds, a fraction rounded" {
	run -0 --separate-stderr kcat-in --ts .value -f kcat-in-ts-ms.txt
	check_output <<'EOF'
{"ts":1700000000123,"key":null,"value":1700000000123,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":0}
{"ts":1,"key":null,"value":1.4,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":1}
{"ts":2,"key":null,"value":1.6,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts-unit ms is the default" {
	run -0 --separate-stderr kcat-in --ts .value --ts-unit ms -f kcat-in-ts-ms.txt
	check_output <<'EOF'
{"ts":1700000000123,"key":null,"value":1700000000123,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":0}
{"ts":1,"key":null,"value":1.4,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":1}
{"ts":2,"key":null,"value":1.6,"topic":"kcat-in-ts-ms.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts-unit s: seconds, a fraction rounded to the millisecond" {
	run -0 --separate-stderr kcat-in --ts .value --ts-unit s -f kcat-in-ts-s.txt
	check_output <<'EOF'
{"ts":1700000000000,"key":null,"value":1700000000,"topic":"kcat-in-ts-s.txt","partition":0,"offset":0}
{"ts":1700000000123,"key":null,"value":1700000000.1234,"topic":"kcat-in-ts-s.txt","partition":0,"offset":1}
{"ts":1700000001000,"key":null,"value":1700000000.9996,"topic":"kcat-in-ts-s.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts-unit us: microseconds, rounded to the millisecond" {
	run -0 --separate-stderr kcat-in --ts .value --ts-unit us -f kcat-in-ts-us.txt
	check_output <<'EOF'
{"ts":1700000000123,"key":null,"value":1700000000123456,"topic":"kcat-in-ts-us.txt","partition":0,"offset":0}
{"ts":1700000000123,"key":null,"value":1700000000123400,"topic":"kcat-in-ts-us.txt","partition":0,"offset":1}
{"ts":1700000000124,"key":null,"value":1700000000123600,"topic":"kcat-in-ts-us.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts-unit ns: nanoseconds, rounded to the millisecond" {
	run -0 --separate-stderr kcat-in --ts .value --ts-unit ns -f kcat-in-ts-ns.txt
	check_output <<'EOF'
{"ts":1700000000123,"key":null,"value":1700000000123000000,"topic":"kcat-in-ts-ns.txt","partition":0,"offset":0}
{"ts":1700000000123,"key":null,"value":1700000000123400000,"topic":"kcat-in-ts-ns.txt","partition":0,"offset":1}
{"ts":1700000000124,"key":null,"value":1700000000123600000,"topic":"kcat-in-ts-ns.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts: ISO 8601 strings (Z, offset, fraction, date only)" {
	# 2026-11-24T10:00:00Z is 1795514400 s after the epoch.
	run -0 --separate-stderr kcat-in --ts .value -f kcat-in-ts-iso.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-iso.txt","partition":0,"offset":0}
{"ts":1795510800000,"key":null,"value":"2026-11-24T10:00:00+01:00","topic":"kcat-in-ts-iso.txt","partition":0,"offset":1}
{"ts":1795514400123,"key":null,"value":"2026-11-24T10:00:00.123Z","topic":"kcat-in-ts-iso.txt","partition":0,"offset":2}
{"ts":1795478400000,"key":null,"value":"2026-11-24","topic":"kcat-in-ts-iso.txt","partition":0,"offset":3}
{"ts":1795523400500,"key":null,"value":"2026-11-24T10:00:00.5-02:30","topic":"kcat-in-ts-iso.txt","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts: ISO 8601 -hhmm and +hh zones, no seconds, no zone (UTC), digits past the ms dropped" {
	run -0 --separate-stderr kcat-in --ts .value -f kcat-in-ts-iso-forms.txt
	check_output <<'EOF'
{"ts":1795519800000,"key":null,"value":"2026-11-24T10:00:00-0130","topic":"kcat-in-ts-iso-forms.txt","partition":0,"offset":0}
{"ts":1795510800000,"key":null,"value":"2026-11-24T10:00:00+01","topic":"kcat-in-ts-iso-forms.txt","partition":0,"offset":1}
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00","topic":"kcat-in-ts-iso-forms.txt","partition":0,"offset":2}
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00","topic":"kcat-in-ts-iso-forms.txt","partition":0,"offset":3}
{"ts":1795514400123,"key":null,"value":"2026-11-24T10:00:00.123999Z","topic":"kcat-in-ts-iso-forms.txt","partition":0,"offset":4}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts-unit does not scale an ISO 8601 string" {
	run -0 --separate-stderr kcat-in --ts .value --ts-unit s -f - <<<'2026-11-24T10:00:00Z'
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"-","partition":0,"offset":0}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts sees the record: offset and topic" {
	run -0 --separate-stderr kcat-in --ts '.offset * 1000 + (.topic | length)' \
	    -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":17,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":1017,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":2017,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --key and --ts see the record as read, before either applies" {
	run -0 --separate-stderr kcat-in --input records --ts '.ts * 2' \
	    --key '.key + "x"' -f - <<<'{"ts":5,"key":"k","value":1}'
	check_output <<'EOF'
{"ts":10,"key":"kx","value":1,"topic":"-","partition":0,"offset":0}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts reads the environment through \$ENV" {
	KCAT_IN_TEST_TS=7 run -0 --separate-stderr kcat-in \
	    --ts '$ENV.KCAT_IN_TEST_TS | tonumber' -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":7,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":7,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":7,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --ts giving null is bad input" {
	run -1 --separate-stderr kcat-in --ts null -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: --ts: the program gave no number or ISO 8601 string" ]
}

@test "kcat-in --ts giving an object is bad input" {
	run -1 --separate-stderr kcat-in --ts '{at: 1}' -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: --ts: the program gave no number or ISO 8601 string" ]
}

@test "kcat-in --ts giving no output is bad input" {
	run -1 --separate-stderr kcat-in --ts empty -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: --ts: the program gave no number or ISO 8601 string" ]
}

@test "kcat-in --ts giving a string that is not ISO 8601 is bad input" {
	run -1 --separate-stderr kcat-in --ts '"yesterday"' -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: --ts: 'yesterday': not an ISO 8601 time" ]
}

@test "kcat-in --ts giving an ISO 8601 date that does not exist is bad input" {
	run -1 --separate-stderr kcat-in --ts '"2026-02-30"' -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: --ts: '2026-02-30': no such date" ]
}

@test "kcat-in --ts with a jq runtime error is bad input" {
	run -1 --separate-stderr kcat-in --ts 'error("boom")' -f kcat-in-lines.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-lines.txt:1: jq: error: boom" ]
}

@test "kcat-in bad --ts results stop the run at the first one (fail)" {
	run -1 --separate-stderr kcat-in --input json --ts .value -f kcat-in-ts-bad.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-bad.txt","partition":0,"offset":0}
EOF
	[ "$stderr" = "kcat-in: kcat-in-ts-bad.txt:2: --ts: the program gave no number or ISO 8601 string" ]
}

@test "kcat-in --on-error fail is the default" {
	run -1 --separate-stderr kcat-in --on-error fail --input json --ts .value \
	    -f kcat-in-ts-bad.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-bad.txt","partition":0,"offset":0}
EOF
	[ "$stderr" = "kcat-in: kcat-in-ts-bad.txt:2: --ts: the program gave no number or ISO 8601 string" ]
}

@test "kcat-in --on-error skip: bad --ts results warned and skipped" {
	run -0 --separate-stderr kcat-in --on-error skip --input json --ts .value \
	    -f kcat-in-ts-bad.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-bad.txt","partition":0,"offset":0}
{"ts":7,"key":null,"value":7,"topic":"kcat-in-ts-bad.txt","partition":0,"offset":5}
EOF
	check_stderr <<'EOF'
kcat-in: kcat-in-ts-bad.txt:2: --ts: the program gave no number or ISO 8601 string (skipped)
kcat-in: kcat-in-ts-bad.txt:3: --ts: the program gave no number or ISO 8601 string (skipped)
kcat-in: kcat-in-ts-bad.txt:4: --ts: 'yesterday': not an ISO 8601 time (skipped)
kcat-in: kcat-in-ts-bad.txt:5: --ts: '2026-02-30': no such date (skipped)
kcat-in: skipped 4 bad lines
EOF
}

@test "kcat-in -q: no per-line warnings, the count still printed" {
	run -0 --separate-stderr kcat-in -q --on-error skip --input json --ts .value \
	    -f kcat-in-ts-bad.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-bad.txt","partition":0,"offset":0}
{"ts":7,"key":null,"value":7,"topic":"kcat-in-ts-bad.txt","partition":0,"offset":5}
EOF
	[ "$stderr" = "kcat-in: skipped 4 bad lines" ]
}

@test "kcat-in --on-error skip: one bad line is counted in the singular" {
	run -0 --separate-stderr kcat-in -q --on-error skip --input json --ts 0 \
	    -f - <<<'x'
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: skipped 1 bad line" ]
}

@test "kcat-in --on-error FILE: bad lines appended as JSON, the count printed" {
	echo '{"earlier":"line"}' >"$T/dead.jsonl"
	run -0 --separate-stderr kcat-in --on-error "$T/dead.jsonl" --input json \
	    --ts .value -f kcat-in-ts-bad.txt
	check_output <<'EOF'
{"ts":1795514400000,"key":null,"value":"2026-11-24T10:00:00Z","topic":"kcat-in-ts-bad.txt","partition":0,"offset":0}
{"ts":7,"key":null,"value":7,"topic":"kcat-in-ts-bad.txt","partition":0,"offset":5}
EOF
	[ "$stderr" = "kcat-in: wrote 4 bad lines to '$T/dead.jsonl'" ]
	cat >"$T/expect" <<'EOF'
{"earlier":"line"}
{"reason":"--ts: the program gave no number or ISO 8601 string","source":"kcat-in-ts-bad.txt","line":2,"input":"null"}
{"reason":"--ts: the program gave no number or ISO 8601 string","source":"kcat-in-ts-bad.txt","line":3,"input":"{\"at\":1}"}
{"reason":"--ts: 'yesterday': not an ISO 8601 time","source":"kcat-in-ts-bad.txt","line":4,"input":"\"yesterday\""}
{"reason":"--ts: '2026-02-30': no such date","source":"kcat-in-ts-bad.txt","line":5,"input":"\"2026-02-30\""}
EOF
	diff -u "$T/expect" "$T/dead.jsonl"
}

@test "kcat-in --on-error FILE: a line that is not UTF-8 goes as input_base64" {
	printf '1\n\377x\n"three"\n' >"$T/in.txt"
	run -0 --separate-stderr kcat-in --on-error "$T/dead.jsonl" --input json \
	    --ts 0 -f - <"$T/in.txt"
	check_output <<'EOF'
{"ts":0,"key":null,"value":1,"topic":"-","partition":0,"offset":0}
{"ts":0,"key":null,"value":"three","topic":"-","partition":0,"offset":2}
EOF
	[ "$stderr" = "kcat-in: wrote 1 bad line to '$T/dead.jsonl'" ]
	cat >"$T/expect" <<'EOF'
{"reason":"not JSON: unexpected non-ASCII byte at column 1","source":"-","line":2,"input_base64":"/3g="}
EOF
	diff -u "$T/expect" "$T/dead.jsonl"
}

@test "kcat-in offsets are line numbers from 0, bad lines counted" {
	run -0 --separate-stderr kcat-in -q --on-error skip --input json --ts 0 \
	    -f kcat-in-json-bad.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":1,"topic":"kcat-in-json-bad.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"four","topic":"kcat-in-json-bad.txt","partition":0,"offset":3}
{"ts":0,"key":null,"value":6,"topic":"kcat-in-json-bad.txt","partition":0,"offset":5}
EOF
	[ "$stderr" = "kcat-in: skipped 3 bad lines" ]
}

@test "kcat-in --input json: reasons of bad lines, each warned" {
	run -0 --separate-stderr kcat-in --on-error skip --input json --ts 0 \
	    -f kcat-in-json-bad.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":1,"topic":"kcat-in-json-bad.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"four","topic":"kcat-in-json-bad.txt","partition":0,"offset":3}
{"ts":0,"key":null,"value":6,"topic":"kcat-in-json-bad.txt","partition":0,"offset":5}
EOF
	check_stderr <<'EOF'
kcat-in: kcat-in-json-bad.txt:2: not JSON: unexpected end of line at column 6 (skipped)
kcat-in: kcat-in-json-bad.txt:3: not JSON: empty line (skipped)
kcat-in: kcat-in-json-bad.txt:5: not JSON: unexpected end of line at column 3 (skipped)
kcat-in: skipped 3 bad lines
EOF
}

# --- --key, --arg, --argjson ---

@test "kcat-in --key: the first output is the key, no output null" {
	run -0 --separate-stderr kcat-in --ts 0 --key '.value.sym // empty, "second"' \
	    -f kcat-in-key.txt
	check_output <<'EOF'
{"ts":0,"key":"AAPL","value":{"sym":"AAPL","px":1},"topic":"kcat-in-key.txt","partition":0,"offset":0}
{"ts":0,"key":"second","value":{"px":2},"topic":"kcat-in-key.txt","partition":0,"offset":1}
{"ts":0,"key":"MSFT","value":{"sym":"MSFT","px":3},"topic":"kcat-in-key.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --key with no output gives key null" {
	run -0 --separate-stderr kcat-in --ts 0 --key '.value.sym // empty' \
	    -f kcat-in-key.txt
	check_output <<'EOF'
{"ts":0,"key":"AAPL","value":{"sym":"AAPL","px":1},"topic":"kcat-in-key.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":{"px":2},"topic":"kcat-in-key.txt","partition":0,"offset":1}
{"ts":0,"key":"MSFT","value":{"sym":"MSFT","px":3},"topic":"kcat-in-key.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --key replaces a record's own key" {
	run -0 --separate-stderr kcat-in --input records --key '.value' \
	    -f - <<<'{"ts":5,"key":"old","value":{"k":1}}'
	check_output <<'EOF'
{"ts":5,"key":{"k":1},"value":{"k":1},"topic":"-","partition":0,"offset":0}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --key with a jq runtime error is bad input" {
	run -1 --separate-stderr kcat-in --ts 0 --key '.value.px | error' \
	    -f kcat-in-key.txt
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: kcat-in-key.txt:1: jq: error: 1 (not a string)" ]
}

@test "kcat-in --arg is a string for --key" {
	run -0 --separate-stderr kcat-in --ts 0 --arg pfx 'k-' --key '$pfx + .value' \
	    -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":"k-alpha","value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":0,"key":"k-beta","value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":0,"key":"k-gamma","value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --argjson is JSON for --ts" {
	run -0 --separate-stderr kcat-in --argjson base 1700000000000 \
	    --ts '$base + .offset' -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":1700000000000,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":1700000000001,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":1700000000002,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --arg and --argjson together, for --key and --ts" {
	run -0 --separate-stderr kcat-in --arg sep : --argjson step 10 \
	    --key '.topic + $sep + (.offset | tostring)' --ts '.offset * $step' \
	    -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":"kcat-in-lines.txt:0","value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":10,"key":"kcat-in-lines.txt:1","value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":20,"key":"kcat-in-lines.txt:2","value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --argjson with text that is not JSON is a usage error" {
	run -2 --separate-stderr kcat-in --argjson x '{' -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: --argjson x: invalid JSON text '{'"; usage; } | check_stderr
}

@test "kcat-in --argjson with text that is not JSON, with --ts, is a usage error" {
	run -2 --separate-stderr kcat-in --argjson x '{' --ts 0 -f kcat-in-lines.txt
	[ -z "$output" ]
	{ echo "kcat-in: --argjson x: invalid JSON text '{'"; usage; } | check_stderr
}

# --- -c ---

@test "kcat-in -c N stops after N data records; control records not counted" {
	run -0 --separate-stderr kcat-in -c 2 --input records -f kcat-in-count.jsonl
	check_output <<'EOF'
{"ts":1,"key":null,"value":"one","topic":"kcat-in-count.jsonl","partition":0,"offset":0}
{"@":"barrier","epoch":1}
{"ts":2,"key":null,"value":"two","topic":"kcat-in-count.jsonl","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --count N is -c N" {
	run -0 --separate-stderr kcat-in --count 1 --ts 0 -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -c larger than the input writes everything" {
	run -0 --separate-stderr kcat-in -c 99 --ts 0 -f kcat-in-lines.txt
	check_output <<'EOF'
{"ts":0,"key":null,"value":"alpha","topic":"kcat-in-lines.txt","partition":0,"offset":0}
{"ts":0,"key":null,"value":"beta","topic":"kcat-in-lines.txt","partition":0,"offset":1}
{"ts":0,"key":null,"value":"gamma","topic":"kcat-in-lines.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

# --- merging several files ---

@test "kcat-in merges files by ts, ties in the order the files were given" {
	run -0 --separate-stderr kcat-in --input records \
	    -f kcat-in-merge-a.jsonl -f kcat-in-merge-b.jsonl
	check_output <<'EOF'
{"ts":10,"key":null,"value":"a1","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":0}
{"ts":20,"key":null,"value":"b1","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":0}
{"ts":30,"key":null,"value":"a2","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":1}
{"ts":30,"key":null,"value":"a3","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":2}
{"ts":30,"key":null,"value":"b2","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":1}
{"ts":40,"key":null,"value":"b3","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":2}
{"ts":50,"key":null,"value":"a4","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in merge: files given the other way round break ties the other way" {
	run -0 --separate-stderr kcat-in --input records \
	    -f kcat-in-merge-b.jsonl -f kcat-in-merge-a.jsonl
	check_output <<'EOF'
{"ts":10,"key":null,"value":"a1","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":0}
{"ts":20,"key":null,"value":"b1","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":0}
{"ts":30,"key":null,"value":"b2","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":1}
{"ts":30,"key":null,"value":"a2","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":1}
{"ts":30,"key":null,"value":"a3","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":2}
{"ts":40,"key":null,"value":"b3","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":2}
{"ts":50,"key":null,"value":"a4","topic":"kcat-in-merge-a.jsonl","partition":0,"offset":3}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in merge keeps a file's own order when its ts go backwards" {
	run -0 --separate-stderr kcat-in --input records \
	    -f kcat-in-merge-backwards.jsonl -f kcat-in-merge-b.jsonl
	check_output <<'EOF'
{"ts":20,"key":null,"value":"b1","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":0}
{"ts":30,"key":null,"value":"c1","topic":"kcat-in-merge-backwards.jsonl","partition":0,"offset":0}
{"ts":10,"key":null,"value":"c2","topic":"kcat-in-merge-backwards.jsonl","partition":0,"offset":1}
{"ts":20,"key":null,"value":"c3","topic":"kcat-in-merge-backwards.jsonl","partition":0,"offset":2}
{"ts":30,"key":null,"value":"b2","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":1}
{"ts":40,"key":null,"value":"b3","topic":"kcat-in-merge-b.jsonl","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in merge by --ts over text files" {
	cd "$T"
	printf '%s\n' 5 15 25 >x.txt
	printf '%s\n' 10 15 20 >y.txt
	run -0 --separate-stderr kcat-in --ts .value -f x.txt -f y.txt
	check_output <<'EOF'
{"ts":5,"key":null,"value":5,"topic":"x.txt","partition":0,"offset":0}
{"ts":10,"key":null,"value":10,"topic":"y.txt","partition":0,"offset":0}
{"ts":15,"key":null,"value":15,"topic":"x.txt","partition":0,"offset":1}
{"ts":15,"key":null,"value":15,"topic":"y.txt","partition":0,"offset":1}
{"ts":20,"key":null,"value":20,"topic":"y.txt","partition":0,"offset":2}
{"ts":25,"key":null,"value":25,"topic":"x.txt","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

# --- output ---

@test "kcat-in: a write error on standard output exits 1" {
	run -1 --separate-stderr bash -c 'kcat-in --ts 0 -f kcat-in-lines.txt >/dev/full'
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: write error on standard output: No space left on device" ]
}

@test "kcat-in | head -1 ends quietly" {
	cd "$T"
	seq 1 200000 >many.txt
	run --separate-stderr bash -c 'kcat-in --ts 0 -f many.txt | head -1
	    s=${PIPESTATUS[0]}
	    case $s in 0|141) echo "kcat-in quiet" ;; *) echo "kcat-in exit $s" ;; esac'
	[ "$status" -eq 0 ]
	check_output <<'EOF'
{"ts":0,"key":null,"value":1,"topic":"many.txt","partition":0,"offset":0}
kcat-in quiet
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --input records stops at {\"@\":\"end\"}" {
	cat > "$T/expect" <<'EOF2'
{"ts":1,"key":null,"value":"a","topic":"-","partition":0,"offset":0}
{"@":"end"}
EOF2
	printf '%s\n' '{"ts":1,"value":"a"}' '{"@":"end"}' '{"ts":2,"value":"after end"}' > "$T/in"
	run -0 --separate-stderr bash -c 'kcat-in --input records -f - < "$1" > "$2"' _ "$T/in" "$T/actual"
	diff -u "$T/expect" "$T/actual"
	[ -z "$stderr" ]
}
