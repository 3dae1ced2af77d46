#!/usr/bin/env bats
# kfilter: keep the records whose jq program's first output is neither
# false nor null, byte for byte as they came.
#
# Every test runs in its own $BATS_TEST_TMPDIR: "expect" is written by hand,
# "actual" is kfilter's standard output, compared byte for byte.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The usage lines (the man page's SYNOPSIS), written once.
usage() {
	usage_of kfilter
}

# Run a command with its standard output in ./actual (bytes kept exactly:
# final newlines, no CR), its status and stderr left to bats' run.
to_file() {
	"$@" > actual
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	usage > expect
	run -0 --separate-stderr to_file kfilter -h
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kfilter --help
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	cat > expect <<'EOF'
kfilter (kpipe) 0.1.0
EOF
	run -0 --separate-stderr to_file kfilter --version
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "usage error: no program" {
	{ echo 'kfilter: missing the jq program'; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: too many arguments" {
	{ echo 'kfilter: too many arguments'; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter true "$FIX/kfilter-trades.jsonl" extra
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: unknown short option" {
	{ echo "kfilter: unknown option '-x'"; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter -x true "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: unknown long option" {
	{ echo "kfilter: unknown option '--bogus'"; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter --bogus true "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: --arg without its two arguments" {
	{ echo "kfilter: option '--arg' needs two arguments"; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter --arg sym
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: --on-error without its argument, or an empty one" {
	{ echo "kfilter: option '--on-error' needs an argument"; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter --on-error
	diff -u expect-err - <<< "$stderr"
	{ echo 'kfilter: --on-error: empty argument'; usage; } > expect-err
	run -2 --separate-stderr to_file kfilter --on-error '' true "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: --argjson with text that is not JSON" {
	run -2 --separate-stderr to_file kfilter --argjson min '{"a":' \
	    '.value.ask > $min' "$FIX/kfilter-trades.jsonl"
	[ "${stderr_lines[0]}" = "kfilter: --argjson min: invalid JSON text '{\"a\":'" ]
	[ "${stderr_lines[1]}" = "$(usage | head -1)" ]
	[ ! -s actual ]
	run -2 --separate-stderr to_file kfilter --argjson min '1 2' \
	    '.value.ask > $min' "$FIX/kfilter-trades.jsonl"
	[ "${stderr_lines[0]}" = "kfilter: --argjson min: invalid JSON text '1 2'" ]
	[ "${stderr_lines[1]}" = "$(usage | head -1)" ]
	[ ! -s actual ]
}

@test "a jq compile error exits 2 with jq's message" {
	cat > expect-err <<'EOF'
kfilter: jq: error: nosuch/1 is not defined at <top-level>, line 1:
nosuch(1); jq: 1 compile error
EOF
	run -2 --separate-stderr to_file kfilter 'nosuch(1)' "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "a jq syntax error exits 2 with jq's message" {
	cat > expect-err <<'EOF'
kfilter: jq: error: syntax error, unexpected $end (Unix shell quoting issues?) at <top-level>, line 1:
(; jq: 1 compile error
EOF
	run -2 --separate-stderr to_file kfilter '(' "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "an undefined \$variable is a compile error" {
	cat > expect-err <<'EOF'
kfilter: jq: error: $sym is not defined at <top-level>, line 1:
$sym; jq: 1 compile error
EOF
	run -2 --separate-stderr to_file kfilter '$sym' "$FIX/kfilter-trades.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "--verbose counts records in, out and bad at exit" {
	cat > expect <<'EOF'
{"ts":1700000000100,"key":"MSFT","value":{"sym":"MSFT","ask":331.5,"size":2},"topic":"trades","partition":0,"offset":1}
{"ts":1700000000300,"key":"GOOG","value":{"sym":"GOOG","ask":251,"size":10},"topic":"trades","partition":0,"offset":3}
EOF
	run -0 --separate-stderr to_file kfilter --verbose '.value.ask > 200' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kfilter: 4 records in, 2 out, 0 bad' ]
}

@test "--verbose with skipped lines; control records are not counted in" {
	cat > expect-err <<'EOF'
kfilter: 2 records in, 1 out, 6 bad
kfilter: skipped 6 bad lines
EOF
	run -0 --separate-stderr to_file kfilter --verbose -q --on-error skip '.value > 1' \
	    < "$FIX/kfilter-bad-lines.txt"
	echo '{"key":"d","value":4}' > expect
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
	run -0 --separate-stderr to_file kfilter --verbose true "$FIX/kfilter-control.jsonl"
	[ "$stderr" = 'kfilter: 2 records in, 2 out, 0 bad' ]
}

# --- selection -----------------------------------------------------------

@test "keeps the records the program holds true, reading a FILE operand" {
	cat > expect <<'EOF'
{"ts":1700000000000,"key":"AAPL","value":{"sym":"AAPL","ask":134.98,"size":5},"topic":"trades","partition":0,"offset":0}
{"ts":1700000000200,"key":"AAPL","value":{"sym":"AAPL","ask":135.10,"size":1},"topic":"trades","partition":0,"offset":2}
EOF
	run -0 --separate-stderr to_file kfilter '.key == "AAPL"' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "reads standard input without a FILE operand, and with '-'" {
	cat > expect <<'EOF'
{"ts":1700000000100,"key":"MSFT","value":{"sym":"MSFT","ask":331.5,"size":2},"topic":"trades","partition":0,"offset":1}
{"ts":1700000000300,"key":"GOOG","value":{"sym":"GOOG","ask":251,"size":10},"topic":"trades","partition":0,"offset":3}
EOF
	run -0 --separate-stderr to_file kfilter '.value.ask > 200' < "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kfilter '.value.ask > 200' - < "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "-v and --invert keep the records the program does not hold true" {
	cat > expect <<'EOF'
{"ts":1700000000100,"key":"MSFT","value":{"sym":"MSFT","ask":331.5,"size":2},"topic":"trades","partition":0,"offset":1}
{"ts":1700000000300,"key":"GOOG","value":{"sym":"GOOG","ask":251,"size":10},"topic":"trades","partition":0,"offset":3}
EOF
	run -0 --separate-stderr to_file kfilter -v '.key == "AAPL"' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kfilter --invert '.key == "AAPL"' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "-v keeps records whose first output is null or missing" {
	cat > expect <<'EOF'
{"ts":1700000000000,"key":"AAPL","value":{"sym":"AAPL","ask":134.98,"size":5},"topic":"trades","partition":0,"offset":0}
{"ts":1700000000200,"key":"AAPL","value":{"sym":"AAPL","ask":135.10,"size":1},"topic":"trades","partition":0,"offset":2}
EOF
	run -0 --separate-stderr to_file kfilter -v 'if .key == "AAPL" then null else 1 end' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	run -0 --separate-stderr to_file kfilter -v 'select(.key != "AAPL")' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--arg binds a string" {
	cat > expect <<'EOF'
{"ts":1700000000100,"key":"MSFT","value":{"sym":"MSFT","ask":331.5,"size":2},"topic":"trades","partition":0,"offset":1}
EOF
	run -0 --separate-stderr to_file kfilter --arg sym MSFT '.value.sym == $sym' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	# A string, not a number: "5" is not 5.
	run -0 --separate-stderr to_file kfilter --arg n 5 '.value.size == $n' "$FIX/kfilter-trades.jsonl"
	[ ! -s actual ]
}

@test "--argjson binds JSON, several bindings at once" {
	cat > expect <<'EOF'
{"ts":1700000000300,"key":"GOOG","value":{"sym":"GOOG","ask":251,"size":10},"topic":"trades","partition":0,"offset":3}
EOF
	run -0 --separate-stderr to_file kfilter --argjson min 250 --argjson syms '["GOOG","AAPL"]' \
	    '.value.ask > $min and (.key | IN($syms[]))' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "the first output decides: 'false, true' and 'null, true' drop" {
	run -0 --separate-stderr to_file kfilter 'false, true' "$FIX/kfilter-trades.jsonl"
	[ ! -s actual ]
	run -0 --separate-stderr to_file kfilter 'null, true' "$FIX/kfilter-trades.jsonl"
	[ ! -s actual ]
	[ -z "$stderr" ]
}

@test "the first output decides: 'true, false' keeps, later errors unseen" {
	cp "$FIX/kfilter-trades.jsonl" expect
	run -0 --separate-stderr to_file kfilter 'true, false' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	run -0 --separate-stderr to_file kfilter 'true, error("never")' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "no output counts as false: 'empty' drops, -v 'empty' keeps" {
	run -0 --separate-stderr to_file kfilter 'empty' "$FIX/kfilter-trades.jsonl"
	[ ! -s actual ]
	[ -z "$stderr" ]
	cp "$FIX/kfilter-trades.jsonl" expect
	run -0 --separate-stderr to_file kfilter -v 'empty' "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "0, \"\", [] and {} are true (only false and null are false)" {
	cp "$FIX/kfilter-trades.jsonl" expect
	for p in 0 '""' '[]' '{}'; do
		run -0 --separate-stderr to_file kfilter "$p" "$FIX/kfilter-trades.jsonl"
		diff -u expect actual
	done
}

# --- fidelity: kept records leave byte for byte ---------------------------

@test "fidelity: odd spacing is kept" {
	cat > expect <<'EOF'
  { "key" : "a" , "value" : { "x" : [ 1 , 2 ] } }  
EOF
	run -0 --separate-stderr to_file kfilter '.value.x | length > 0' "$FIX/kfilter-spacing.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "fidelity: integers above 2^53 keep their digits" {
	cat > expect <<'EOF'
{"key":12345678901234567890123,"value":{"id":9007199254740993,"min":-9223372036854775809}}
EOF
	run -0 --separate-stderr to_file kfilter '.value.id > 0' "$FIX/kfilter-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "fidelity: number spellings (1.0, 1e3, 1E+3, -0.0, 0.10) are kept" {
	cat > expect <<'EOF'
{"key":"n","value":{"a":1.0,"b":1e3,"c":1E+3,"d":-0.0,"e":0.10,"f":100}}
EOF
	run -0 --separate-stderr to_file kfilter '.value.a == 1 and .value.b == 1000 and .value.c == .value.b' \
	    "$FIX/kfilter-numbers.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "fidelity: unicode escapes are kept, and jq sees the characters" {
	cat > expect <<'EOF'
{"key":"caf\u00e9","value":"\ud83d\ude00 é 😀 \" \\ \/ \n"}
EOF
	run -0 --separate-stderr to_file kfilter '.key == "café" and (.value | startswith("😀 é 😀 \" \\ / \n"))' \
	    "$FIX/kfilter-unicode.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "fidelity: key order, repeated headers and unknown fields are kept" {
	cp "$FIX/kfilter-unknown-fields.jsonl" expect
	run -0 --separate-stderr to_file kfilter '.zeta.a == 2' "$FIX/kfilter-unknown-fields.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "CRLF input: the output lines end in LF only" {
	printf '{"key":"a","value":1}\r\n{"key":"b","value":2}\r\n{"key":"c","value":3}\r\n' > in
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"c","value":3}
EOF
	run -0 --separate-stderr to_file kfilter '.value != 2' in
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "a last line without a newline is read, and written with one" {
	printf '{"key":"a","value":1}\n{"key":"b","value":2}' > in
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"b","value":2}
EOF
	run -0 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "an empty input gives an empty output" {
	run -0 --separate-stderr to_file kfilter true < /dev/null
	[ ! -s actual ]
	[ -z "$stderr" ]
}

# --- bad input: the default policy, fail -----------------------------------
# Each case: a good line, the bad one, a good line.  kfilter writes the
# first, names line 2 and exits 1.

@test "bad input: an array is not a JSON object" {
	printf '{"key":"a"}\n[1]\n{"key":"b"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: not a JSON object' ]
}

@test "bad input: a number is not a JSON object" {
	printf '{"key":"a"}\n42\n{"key":"b"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: not a JSON object' ]
}

@test "bad input: text is not a JSON object" {
	printf '{"key":"a"}\nhello\n{"key":"b"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = "kfilter: line 2: not a JSON object: unexpected 'h' at column 1" ]
}

@test "bad input: an unterminated string" {
	printf '{"key":"a"}\n{"key":"b\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: unterminated string at column 10' ]
}

@test "bad input: a NUL byte" {
	printf '{"key":"a"}\n{"key":"\0"}\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: NUL byte at column 9' ]
}

@test "bad input: an empty line, and a line of spaces" {
	printf '{"key":"a"}\n\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: empty line' ]
	printf '{"key":"a"}\n   \n{"key":"c"}\n' > in
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: empty line' ]
}

@test "bad input: invalid UTF-8 in a string" {
	printf '{"key":"a"}\n{"key":"\xff"}\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: invalid UTF-8 at column 9' ]
}

@test "bad input: a line that is one byte 0xff" {
	printf '{"key":"a"}\n\xff\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: not a JSON object: unexpected non-ASCII byte at column 1' ]
}

@test "bad input: a control character in a string" {
	printf '{"key":"a"}\n{"key":"x\ty"}\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: control character in string at column 10' ]
}

@test "bad input: trailing characters after the object" {
	printf '{"key":"a"}\n{"key":"b"} x\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: trailing characters after the object at column 13' ]
	printf '{"key":"a"}\n{"key":"b"}}\n{"key":"c"}\n' > in
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: trailing characters after the object at column 12' ]
}

@test "bad input: an object cut short after its brace" {
	printf '{"key":"a"}\n{\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: unexpected end of line at column 2' ]
}

@test "bad input: a comma before the closing brace" {
	printf '{"key":"a"}\n{"key":"b",}\n{"key":"c"}\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter true < in
	diff -u expect actual
	[ "$stderr" = "kfilter: line 2: unexpected '}' at column 12" ]
}

@test "bad input in a FILE operand names the file and the line" {
	cp "$FIX/kfilter-bad-lines.txt" .
	echo '{"key":"a","value":1}' > expect
	run -1 --separate-stderr to_file kfilter true kfilter-bad-lines.txt
	diff -u expect actual
	[ "$stderr" = 'kfilter: kfilter-bad-lines.txt:2: not a JSON object' ]
}

@test "-q does not silence a failure" {
	echo '{"key":"a","value":1}' > expect
	run -1 --separate-stderr to_file kfilter -q true < "$FIX/kfilter-bad-lines.txt"
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: not a JSON object' ]
}

@test "a FILE operand that cannot be opened exits 1" {
	run -1 --separate-stderr to_file kfilter true no-such-file.jsonl
	[ "$stderr" = "kfilter: 'no-such-file.jsonl': No such file or directory" ]
	[ ! -s actual ]
}

# --- bad input: --on-error skip ---------------------------------------------

@test "--on-error skip: warns for each bad line, counts them, exits 0" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"d","value":4}
EOF
	cat > expect-err <<'EOF'
kfilter: line 2: not a JSON object (skipped)
kfilter: line 3: not a JSON object (skipped)
kfilter: line 4: not a JSON object: unexpected 'h' at column 1 (skipped)
kfilter: line 5: unterminated string at column 33 (skipped)
kfilter: line 6: empty line (skipped)
kfilter: line 7: trailing characters after the object at column 23 (skipped)
kfilter: skipped 6 bad lines
EOF
	run -0 --separate-stderr to_file kfilter --on-error skip true < "$FIX/kfilter-bad-lines.txt"
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "--on-error skip: NUL bytes and invalid UTF-8 are skipped too" {
	printf '{"key":"\0"}\n{"key":"a"}\n{"key":"\xff"}\n\xff\xfe\n' > in
	cat > expect <<'EOF'
{"key":"a"}
EOF
	cat > expect-err <<'EOF'
kfilter: line 1: NUL byte at column 9 (skipped)
kfilter: line 3: invalid UTF-8 at column 9 (skipped)
kfilter: line 4: not a JSON object: unexpected non-ASCII byte at column 1 (skipped)
kfilter: skipped 3 bad lines
EOF
	run -0 --separate-stderr to_file kfilter --on-error skip true < in
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "--on-error skip with a FILE operand names the file; one line is singular" {
	printf '{"key":"a"}\n[1]\n' > one-bad.jsonl
	echo '{"key":"a"}' > expect
	cat > expect-err <<'EOF'
kfilter: one-bad.jsonl:2: not a JSON object (skipped)
kfilter: skipped 1 bad line
EOF
	run -0 --separate-stderr to_file kfilter --on-error=skip true one-bad.jsonl
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "-q --on-error skip: only the count is printed" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"d","value":4}
EOF
	run -0 --separate-stderr to_file kfilter -q --on-error skip true < "$FIX/kfilter-bad-lines.txt"
	diff -u expect actual
	[ "$stderr" = 'kfilter: skipped 6 bad lines' ]
}

# --- bad input: --on-error FILE ---------------------------------------------

@test "--on-error FILE: each bad line goes to FILE as JSON, exit 0" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"d","value":4}
EOF
	cat > expect-dead <<'EOF'
{"reason":"not a JSON object","source":"-","line":2,"input":"[1]"}
{"reason":"not a JSON object","source":"-","line":3,"input":"42"}
{"reason":"not a JSON object: unexpected 'h' at column 1","source":"-","line":4,"input":"hello"}
{"reason":"unterminated string at column 33","source":"-","line":5,"input":"{\"key\":\"b\",\"value\":\"unterminated"}
{"reason":"empty line","source":"-","line":6,"input":""}
{"reason":"trailing characters after the object at column 23","source":"-","line":7,"input":"{\"key\":\"c\",\"value\":3} trailing"}
EOF
	run -0 --separate-stderr to_file kfilter --on-error dead.jsonl true < "$FIX/kfilter-bad-lines.txt"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kfilter: wrote 6 bad lines to 'dead.jsonl'" ]
}

@test "--on-error FILE: a FILE operand is the source" {
	cp "$FIX/kfilter-bad-lines.txt" .
	run -0 --separate-stderr to_file kfilter -q --on-error dead.jsonl '.value > 1' kfilter-bad-lines.txt
	echo '{"key":"d","value":4}' > expect
	diff -u expect actual
	cat > expect-dead <<'EOF'
{"reason":"not a JSON object","source":"kfilter-bad-lines.txt","line":2,"input":"[1]"}
{"reason":"not a JSON object","source":"kfilter-bad-lines.txt","line":3,"input":"42"}
{"reason":"not a JSON object: unexpected 'h' at column 1","source":"kfilter-bad-lines.txt","line":4,"input":"hello"}
{"reason":"unterminated string at column 33","source":"kfilter-bad-lines.txt","line":5,"input":"{\"key\":\"b\",\"value\":\"unterminated"}
{"reason":"empty line","source":"kfilter-bad-lines.txt","line":6,"input":""}
{"reason":"trailing characters after the object at column 23","source":"kfilter-bad-lines.txt","line":7,"input":"{\"key\":\"c\",\"value\":3} trailing"}
EOF
	diff -u expect-dead dead.jsonl
	# -q leaves the count.
	[ "$stderr" = "kfilter: wrote 6 bad lines to 'dead.jsonl'" ]
}

@test "--on-error FILE: NUL escaped, CR dropped, non-UTF-8 as input_base64" {
	printf '{"key":"\0"}\r\n{"key":"a"}\n{"key":"\xff"}\n' > in
	echo '{"key":"a"}' > expect
	cat > expect-dead <<'EOF'
{"reason":"NUL byte at column 9","source":"-","line":1,"input":"{\"key\":\"\u0000\"}"}
{"reason":"invalid UTF-8 at column 9","source":"-","line":3,"input_base64":"eyJrZXkiOiL/In0="}
EOF
	run -0 --separate-stderr to_file kfilter --on-error dead.jsonl true < in
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kfilter: wrote 2 bad lines to 'dead.jsonl'" ]
}

@test "--on-error FILE appends to what FILE holds" {
	echo '{"reason":"from before"}' > dead.jsonl
	printf '{"key":"a"}\n[1]\n' > in
	cat > expect-dead <<'EOF'
{"reason":"from before"}
{"reason":"not a JSON object","source":"-","line":2,"input":"[1]"}
EOF
	run -0 --separate-stderr to_file kfilter --on-error dead.jsonl true < in
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kfilter: wrote 1 bad line to 'dead.jsonl'" ]
}

@test "--on-error FILE: no bad line, no message" {
	cp "$FIX/kfilter-trades.jsonl" expect
	run -0 --separate-stderr to_file kfilter --on-error dead.jsonl true "$FIX/kfilter-trades.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--on-error FILE that cannot be opened exits 1" {
	printf '{"key":"a"}\n[1]\n' > in
	echo '{"key":"a"}' > expect
	run -1 --separate-stderr to_file kfilter --on-error no-such-dir/dead.jsonl true < in
	diff -u expect actual
	[ "$stderr" = "kfilter: line 2: --on-error 'no-such-dir/dead.jsonl': No such file or directory" ]
}

# --- jq runtime errors follow --on-error --------------------------------------

@test "jq runtime error, fail: exit 1 naming the line" {
	echo '{"key":"a","value":{"ask":300}}' > expect
	run -1 --separate-stderr to_file kfilter '.value.ask > 250' < "$FIX/kfilter-runtime-error.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: jq: error: Cannot index string with string "ask"' ]
}

@test "jq runtime error, skip: the record is dropped and counted" {
	cat > expect <<'EOF'
{"key":"a","value":{"ask":300}}
{"key":"d","value":{"ask":400}}
EOF
	cat > expect-err <<'EOF'
kfilter: line 2: jq: error: Cannot index string with string "ask" (skipped)
kfilter: skipped 1 bad line
EOF
	run -0 --separate-stderr to_file kfilter --on-error skip '.value.ask > 250' < "$FIX/kfilter-runtime-error.jsonl"
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "jq runtime error, -v skip: an error is not inverted into a keep" {
	echo '{"key":"c","value":{"ask":100}}' > expect
	run -0 --separate-stderr to_file kfilter -q -v --on-error skip '.value.ask > 250' < "$FIX/kfilter-runtime-error.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kfilter: skipped 1 bad line' ]
}

@test "jq runtime error, FILE: the record goes to FILE with jq's message" {
	cat > expect <<'EOF'
{"key":"a","value":{"ask":300}}
{"key":"d","value":{"ask":400}}
EOF
	cat > expect-dead <<'EOF'
{"reason":"jq: error: Cannot index string with string \"ask\"","source":"-","line":2,"input":"{\"key\":\"b\",\"value\":\"no quote\"}"}
EOF
	run -0 --separate-stderr to_file kfilter --on-error dead.jsonl '.value.ask > 250' < "$FIX/kfilter-runtime-error.jsonl"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kfilter: wrote 1 bad line to 'dead.jsonl'" ]
}

@test "jq runtime error: error(\"x\") and error of an object" {
	run -1 --separate-stderr to_file kfilter 'error("x")' < "$FIX/kfilter-runtime-error.jsonl"
	[ ! -s actual ]
	[ "$stderr" = 'kfilter: line 1: jq: error: x' ]
	echo '{"key":"a","value":{"ask":300}}' > expect
	run -1 --separate-stderr to_file kfilter 'if .key == "a" then true else error({why: .key}) end' \
	    < "$FIX/kfilter-runtime-error.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kfilter: line 2: jq: error: {"why":"b"} (not a string)' ]
}

# --- control records -----------------------------------------------------------

@test "control records are forwarded unchanged and in order" {
	cat > expect <<'EOF'
{"@":"tick","ts":1700000000000}
{"@":"barrier","epoch":1,"offsets":{"trades":{"0":2}}}
{ "@" : "rebalance" , "future" : [1, 2] }
{"key":"b","value":2}
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kfilter '.value == 2' "$FIX/kfilter-control.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"@":"tick","ts":1700000000000}
{"key":"a","value":1}
{"@":"barrier","epoch":1,"offsets":{"trades":{"0":2}}}
{ "@" : "rebalance" , "future" : [1, 2] }
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kfilter -v '.value == 2' "$FIX/kfilter-control.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "control records never reach the program" {
	cat > expect <<'EOF'
{"@":"tick","ts":1700000000000}
{"@":"barrier","epoch":1,"offsets":{"trades":{"0":2}}}
{ "@" : "rebalance" , "future" : [1, 2] }
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kfilter 'if has("@") then error("saw a control record") else false end' \
	    "$FIX/kfilter-control.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "{\"@\":\"end\"} is forwarded and ends the input" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"@":"end"}
EOF
	# The line after end is not JSON: it is never read.
	run -0 --separate-stderr to_file kfilter true < "$FIX/kfilter-end-then-garbage.txt"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "resume without end: exit 3 after writing what came" {
	cat > expect <<'EOF'
{"@":"resume","epoch":0}
{"key":"a","value":1}
{"key":"b","value":2}
EOF
	run -3 --separate-stderr to_file kfilter true < "$FIX/kfilter-resume-no-end.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kfilter: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
}

@test "resume with end: exit 0" {
	cat > expect <<'EOF'
{"@":"resume","epoch":3}
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kfilter false < "$FIX/kfilter-resume-end.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

# --- big inputs ------------------------------------------------------------------

@test "a 10 MB line passes whole" {
	{
		printf '{"key":"k","value":"'
		head -c 10485760 /dev/zero | tr '\0' x
		printf '"}\n'
	} > big
	run -0 --separate-stderr to_file kfilter '.value | length == 10485760' big
	cmp big actual
	[ -z "$stderr" ]
}

@test "100000 records of varied length across many reads" {
	awk 'BEGIN {
		pad = "abcdefghijklmnopqrstuvwxyz0123456789"
		pad = pad pad pad
		for (i = 0; i < 100000; i++) {
			line = sprintf("{\"key\":%d,\"value\":\"%s\"}", i,
			    substr(pad, 1, i % 97))
			print line > "in"
			if (i % 3 == 0)
				print line > "expect"
		}
	}'
	run -0 --separate-stderr to_file kfilter '.key % 3 == 0' < in
	cmp expect actual
	[ -z "$stderr" ]
}

@test "| head -1 ends kfilter quietly" {
	run -0 --separate-stderr bash -c \
	    'yes "{\"key\":\"y\"}" | kfilter true | head -1; echo "${PIPESTATUS[1]}"'
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = '{"key":"y"}' ]
	[[ ${lines[1]} == 0 || ${lines[1]} == 141 ]]
	[ -z "$stderr" ]
}

# --- libjq 1.6's corners ----------------------------------------------------

# (first(paths) works too, but libjq 1.6 leaks a few bytes breaking out of
# a path expression: not a case for the sanitizer run.)
@test "a program stopped at its first output inside a path expression: paths, tostream" {
	printf '%s\n' '{"ts":1,"key":"a","value":{"x":1}}' \
	    '{"ts":2,"key":"b","value":{"x":2}}' > in
	run -0 --separate-stderr to_file kfilter paths in
	diff -u in actual
	run -0 --separate-stderr to_file kfilter 'tostream' in
	diff -u in actual
	run -0 --separate-stderr to_file kfilter 'path(..)' in
	diff -u in actual
	[ -z "$stderr" ]
}

@test "later outputs are not computed: no error, no debug after the first" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' > in
	run -0 --separate-stderr to_file kfilter '.value == 1, error("later")' in
	diff -u in actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kfilter '.value == 1, (2 | debug)' in
	diff -u in actual
	[ -z "$stderr" ]
}

@test "input and inputs: a program sees one record, no more inputs" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' > in
	# libjq 1.6 names this error "break".
	run -1 --separate-stderr to_file kfilter input in
	[[ "$stderr" == "kfilter: in:1: jq: error: "* ]]
	[ ! -s actual ]
	run -0 --separate-stderr to_file kfilter '[inputs] == []' in
	diff -u in actual
}

@test "debug writes its message on stderr, as jq does, and passes its input on" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' > in
	run -0 --separate-stderr to_file kfilter '.value | debug' in
	diff -u in actual
	[ "$stderr" = 'kfilter: ["DEBUG:",1]' ]
}

@test "include, import and module: not supported, exit 2" {
	for p in 'include "x"; .' '# a comment
  import "x" as x; .' 'module {}; .'; do
		run -2 --separate-stderr kfilter "$p" < /dev/null
		[ -z "$output" ]
		[ "$stderr" = "kfilter: jq: error: import, include and module are not supported: a program stands alone" ]
	done
	run -2 --separate-stderr kfilter 'importance' < /dev/null
	[[ "$stderr" == *"importance/0 is not defined"* ]]
}
