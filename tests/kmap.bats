#!/usr/bin/env bats
# kmap: every output of a jq program becomes a record (record mode), a new
# value (--value) or a new key (--key).
#
# Every test runs in its own $BATS_TEST_TMPDIR: "expect" is written by hand,
# "actual" is kmap's standard output, compared byte for byte.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The usage lines (the man page's SYNOPSIS), written once.
usage() {
	usage_of kmap
}

# Run a command with its standard output in ./actual (bytes kept exactly),
# its status and stderr left to bats' run.
to_file() {
	"$@" > actual
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	usage > expect
	run -0 --separate-stderr to_file kmap -h
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kmap --help
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	echo 'kmap (kpipe) 0.1.0' > expect
	run -0 --separate-stderr to_file kmap --version
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "usage error: --key with --value" {
	{ echo 'kmap: --key and --value exclude each other'; usage; } > expect-err
	run -2 --separate-stderr to_file kmap --key --value . "$FIX/kmap-two.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: no program" {
	{ echo 'kmap: missing the jq program'; usage; } > expect-err
	run -2 --separate-stderr to_file kmap
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: too many arguments" {
	{ echo 'kmap: too many arguments'; usage; } > expect-err
	run -2 --separate-stderr to_file kmap . "$FIX/kmap-two.jsonl" extra
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: unknown option" {
	{ echo "kmap: unknown option '--values'"; usage; } > expect-err
	run -2 --separate-stderr to_file kmap --values . "$FIX/kmap-two.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "usage error: --argjson without its two arguments, or with bad JSON" {
	{ echo "kmap: option '--argjson' needs two arguments"; usage; } > expect-err
	run -2 --separate-stderr to_file kmap --argjson n
	diff -u expect-err - <<< "$stderr"
	run -2 --separate-stderr to_file kmap --argjson n '[1,' '{value: $n}' "$FIX/kmap-two.jsonl"
	[ "${stderr_lines[0]}" = "kmap: --argjson n: invalid JSON text '[1,'" ]
	[ "${stderr_lines[1]}" = "$(usage | head -1)" ]
	[ ! -s actual ]
}

@test "a jq compile error exits 2 with jq's message" {
	cat > expect-err <<'EOF'
kmap: jq: error: nosuch/1 is not defined at <top-level>, line 1:
nosuch(1); jq: 1 compile error
EOF
	run -2 --separate-stderr to_file kmap 'nosuch(1)' "$FIX/kmap-two.jsonl"
	diff -u expect-err - <<< "$stderr"
	[ ! -s actual ]
}

@test "a compile error in a program using \$record names the user's line" {
	# jq quotes the source line, which holds the $record binding too.
	run -2 --separate-stderr to_file kmap '$sym | $record' "$FIX/kmap-two.jsonl"
	[ "${stderr_lines[0]}" = 'kmap: jq: error: $sym is not defined at <top-level>, line 1:' ]
	[ ! -s actual ]
}

@test "--arg and --argjson bind variables" {
	cat > expect <<'EOF'
{"key":"a","value":{"tag":"x","n":[1,2]}}
{"key":"b","value":{"tag":"x","n":[1,2]}}
EOF
	run -0 --separate-stderr to_file kmap --arg tag x --argjson n '[1, 2]' '{key, value: {tag: $tag, n: $n}}' \
	    "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "reads standard input without a FILE operand" {
	cat > expect <<'EOF'
{"key":"a","value":2}
{"key":"b","value":3}
EOF
	run -0 --separate-stderr to_file kmap '{key, value: (.value + 1)}' < "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "-v and --verbose count records in, out and bad at exit" {
	cat > expect <<'EOF'
{"ts":1,"key":"the","value":1,"topic":"in","partition":0,"offset":0}
{"ts":1,"key":"quick","value":1,"topic":"in","partition":0,"offset":0}
{"ts":1,"key":"fox","value":1,"topic":"in","partition":0,"offset":0}
{"ts":3,"key":"jumps","value":1,"topic":"in","partition":0,"offset":2}
EOF
	run -0 --separate-stderr to_file kmap -v '.value | splits(" ") | select(. != "") | {key: ., value: 1}' \
	    "$FIX/kmap-words.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kmap: 3 records in, 4 out, 0 bad' ]
	run -0 --separate-stderr to_file kmap --verbose -q --on-error skip . "$FIX/kmap-bad-lines.txt"
	cat > expect-err <<'EOF'
kmap: 2 records in, 2 out, 2 bad
kmap: skipped 2 bad lines
EOF
	diff -u expect-err - <<< "$stderr"
}

# --- record mode ---------------------------------------------------------------

@test "record mode: key and value left out are null; the rest comes from the input" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":null,"value":null,"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap '{}' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: a record without key or value gets null for both" {
	cat > expect <<'EOF'
{"ts":5,"key":null,"value":null,"topic":"t","partition":0,"offset":1}
EOF
	run -0 --separate-stderr to_file kmap '{value: .value}' "$FIX/kmap-bare.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: named members replace the input's, in the fixed order" {
	cat > expect <<'EOF'
{"ts":2,"key":"x","value":null,"window":{"start":5,"end":6},"headers":[["a","b"]],"topic":"o","partition":3,"offset":1,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap \
	    '{offset: 1, headers: [["a","b"]], ts: 2, key: "x", partition: 3, topic: "o", window: {start: 5, end: 6}}' \
	    "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: the output's unknown members, then the input's not named" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":null,"value":67.5,"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"zz":1,"u1":"new","aa":[1],"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap '{value: .value.ask, zz: 1, u1: "new", aa: [1]}' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: {key: .value.sym, value: .value} keeps the value's bytes" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"AAPL","value":{"sym":"AAPL","ask":67.5, "id" : 12345678901234567890},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap '{key: .value.sym, value: .value}' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: key and value passed through keep big integers and spacing" {
	cat > expect <<'EOF'
{"ts":1,"key":{"id": 12345678901234567890},"value":{ "n" : 9007199254740993 , "f":1.0 },"topic":"big"}
EOF
	run -0 --separate-stderr to_file kmap '{key: .key, value: .value}' "$FIX/kmap-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kmap '.' "$FIX/kmap-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: 'kmap .' keeps every member's bytes, unknown ones too" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"k","value":{"sym":"AAPL","ask":67.5, "id" : 12345678901234567890},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap '.' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: several outputs are several records, zero drop the record" {
	cat > expect <<'EOF'
{"ts":1,"key":"the","value":"the","topic":"in","partition":0,"offset":0}
{"ts":1,"key":"quick","value":"quick","topic":"in","partition":0,"offset":0}
{"ts":1,"key":"fox","value":"fox","topic":"in","partition":0,"offset":0}
{"ts":3,"key":"jumps","value":"jumps","topic":"in","partition":0,"offset":2}
EOF
	run -0 --separate-stderr to_file kmap '.value | splits(" ") | select(. != "") | {key: ., value: .}' \
	    "$FIX/kmap-words.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kmap 'empty' "$FIX/kmap-words.jsonl"
	[ ! -s actual ]
	[ -z "$stderr" ]
}

@test "record mode: \$record is the input" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"trades","value":true,"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap '{key: $record.topic, value: ($record == .)}' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "computed numbers: integral as integers, else the shortest round trip" {
	cat > expect <<'EOF'
{"key":"n","value":{"x2":135,"sum":0.30000000000000004,"third":0.3333333333333333,"e":1e+17,"e16":10000000000000000,"neg":-67.5}}
EOF
	run -0 --separate-stderr to_file kmap \
	    '{key, value: {x2: (.value.ask * 2), sum: (.value.a + .value.b), third: (1 / 3), e: .value.e, e16: (.value.e / 10), neg: -.value.ask}}' \
	    "$FIX/kmap-numbers.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "record mode: a CRLF input and a last line without newline" {
	printf '{"key":"a","value":1}\r\n{"key":"b","value":2}' > in
	cat > expect <<'EOF'
{"key":"a","value":1,"n":1}
{"key":"b","value":2,"n":2}
EOF
	run -0 --separate-stderr to_file kmap '. + {n: .value}' < in
	diff -u expect actual
	[ -z "$stderr" ]
}

# --- record mode: outputs that cannot be records are bad input ------------------

@test "an output that is not an object: fail names its kind" {
	run -1 --separate-stderr to_file kmap '.value' "$FIX/kmap-two.jsonl"
	[ "$stderr" = "kmap: $FIX/kmap-two.jsonl:1: program output is a number, not an object" ]
	[ ! -s actual ]
	run -1 --separate-stderr to_file kmap '[.value]' < "$FIX/kmap-two.jsonl"
	[ "$stderr" = 'kmap: line 1: program output is an array, not an object' ]
	run -1 --separate-stderr to_file kmap '.key' < "$FIX/kmap-two.jsonl"
	[ "$stderr" = 'kmap: line 1: program output is a string, not an object' ]
	run -1 --separate-stderr to_file kmap 'null' < "$FIX/kmap-two.jsonl"
	[ "$stderr" = 'kmap: line 1: program output is a null, not an object' ]
	run -1 --separate-stderr to_file kmap 'true' < "$FIX/kmap-two.jsonl"
	[ "$stderr" = 'kmap: line 1: program output is a boolean, not an object' ]
}

@test "an output that is not an object: skip drops the record" {
	echo '{"key":"b","value":2}' > expect
	cat > expect-err <<'EOF'
kmap: line 1: program output is a number, not an object (skipped)
kmap: skipped 1 bad line
EOF
	run -0 --separate-stderr to_file kmap --on-error skip 'if .key == "a" then 1 else . end' < "$FIX/kmap-two.jsonl"
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "an output that is not an object: FILE gets the input line" {
	echo '{"key":"b","value":2}' > expect
	cat > expect-dead <<'EOF'
{"reason":"program output is a number, not an object","source":"-","line":1,"input":"{\"key\":\"a\",\"value\":1}"}
EOF
	run -0 --separate-stderr to_file kmap --on-error dead.jsonl 'if .key == "a" then 1 else . end' \
	    < "$FIX/kmap-two.jsonl"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kmap: wrote 1 bad line to 'dead.jsonl'" ]
}

@test "an output with an \"@\" member is bad input" {
	echo '{"key":"a","value":1}' > expect
	run -1 --separate-stderr to_file kmap 'if .key == "a" then . else {"@": "end"} end' < "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kmap: line 2: program output has an "@" member: only the stream makes control records' ]
}

# --- --value -----------------------------------------------------------------------

@test "--value .: the value's bytes and every other field are kept" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"k","value":{"sym":"AAPL","ask":67.5, "id" : 12345678901234567890},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap --value . "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"ts":1,"key":{"id": 12345678901234567890},"value":{ "n" : 9007199254740993 , "f":1.0 },"topic":"big"}
EOF
	run -0 --separate-stderr to_file kmap --value . "$FIX/kmap-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value: a new value; key and every other field byte for byte" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"k","value":{"sym":"AAPL","x2":135},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap --value '{sym, x2: (.ask * 2)}' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"ts":1,"key":{"id": 12345678901234567890},"value":1,"topic":"big"}
EOF
	run -0 --separate-stderr to_file kmap --value '.f' "$FIX/kmap-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value: computed numbers" {
	cat > expect <<'EOF'
{"key":"n","value":135}
{"key":"n","value":0.30000000000000004}
{"key":"n","value":0.3333333333333333}
{"key":"n","value":67.5}
EOF
	run -0 --separate-stderr to_file kmap --value '.ask * 2, .a + .b, 1 / 3, .ask' "$FIX/kmap-numbers.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value: \$record is the whole record" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"k","value":{"sym":"AAPL","k":"k","t":"trades","o":7},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap --value '{sym, k: $record.key, t: $record.topic, o: $record.offset}' \
	    "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value: several outputs are several records, zero drop the record" {
	cat > expect <<'EOF'
{"key":"a","value":10}
{"key":"a","value":"one"}
{"key":"b","value":20}
{"key":"b","value":"two"}
EOF
	run -0 --separate-stderr to_file kmap --value '. * 10, (if . == 1 then "one" else "two" end)' \
	    "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
	echo '{"key":"b","value":2}' > expect
	run -0 --separate-stderr to_file kmap --value 'select(. > 1)' "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value: any JSON is a value (strings, arrays, null)" {
	cat > expect <<'EOF'
{"key":"a","value":"1"}
{"key":"a","value":[1,"é\n"]}
{"key":"a","value":null}
EOF
	run -0 --separate-stderr to_file kmap --value 'tostring, [., "é\n"], null' < <(head -1 "$FIX/kmap-two.jsonl")
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--value .: a value_base64 payload is kept" {
	cat > expect <<'EOF'
{"key":"a","value_base64":"/w=="}
EOF
	echo '{"key":"a","value_base64":"/w=="}' > in
	run -0 --separate-stderr to_file kmap --value . < in
	diff -u expect actual
	[ -z "$stderr" ]
}

# --- --key -----------------------------------------------------------------------------

@test "--key: each output is a new key; everything else byte for byte" {
	cat > expect <<'EOF'
{"ts":1700000000123,"key":"AAPL","value":{"sym":"AAPL","ask":67.5, "id" : 12345678901234567890},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
{"ts":1700000000123,"key":["trades",7],"value":{"sym":"AAPL","ask":67.5, "id" : 12345678901234567890},"window":{"start":0,"end":10},"headers":[["h","v"],["h","w"]],"topic":"trades","partition":0,"offset":7,"u1":1,"u2":{"b": 2}}
EOF
	run -0 --separate-stderr to_file kmap --key '.value.sym, [.topic, .offset]' "$FIX/kmap-record.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--key: zero outputs drop the record" {
	echo '{"key":"b2","value":2}' > expect
	run -0 --separate-stderr to_file kmap --key 'select(.value > 1) | .key + "2"' "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--key: \$record is the whole record" {
	cat > expect <<'EOF'
{"key":"a/1","value":1}
{"key":"b/2","value":2}
EOF
	run -0 --separate-stderr to_file kmap --key '$record.key + "/" + (.value | tostring)' "$FIX/kmap-two.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--key .key keeps the key's bytes" {
	cat > expect <<'EOF'
{"ts":1,"key":{"id": 12345678901234567890},"value":{ "n" : 9007199254740993 , "f":1.0 },"topic":"big"}
EOF
	run -0 --separate-stderr to_file kmap --key '.key' "$FIX/kmap-bigint.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

# --- bad input lines and jq runtime errors ---------------------------------------

@test "bad input line, fail: exit 1 naming the line" {
	echo '{"key":"a","value":1}' > expect
	run -1 --separate-stderr to_file kmap . < "$FIX/kmap-bad-lines.txt"
	diff -u expect actual
	[ "$stderr" = 'kmap: line 2: not a JSON object' ]
}

@test "bad input line, skip: warned and counted; -q leaves the count" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"b","value":2}
EOF
	cat > expect-err <<'EOF'
kmap: line 2: not a JSON object (skipped)
kmap: line 3: not a JSON object: unexpected 'h' at column 1 (skipped)
kmap: skipped 2 bad lines
EOF
	run -0 --separate-stderr to_file kmap --on-error skip . < "$FIX/kmap-bad-lines.txt"
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
	run -0 --separate-stderr to_file kmap -q --on-error skip . < "$FIX/kmap-bad-lines.txt"
	diff -u expect actual
	[ "$stderr" = 'kmap: skipped 2 bad lines' ]
}

@test "bad input line, FILE: each goes to FILE" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"b","value":2}
EOF
	cat > expect-dead <<'EOF'
{"reason":"not a JSON object","source":"-","line":2,"input":"[1]"}
{"reason":"not a JSON object: unexpected 'h' at column 1","source":"-","line":3,"input":"hello"}
EOF
	run -0 --separate-stderr to_file kmap --on-error dead.jsonl . < "$FIX/kmap-bad-lines.txt"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kmap: wrote 2 bad lines to 'dead.jsonl'" ]
}

@test "jq runtime error, fail: exit 1 naming the line" {
	echo '{"key":"a","value":1}' > expect
	run -1 --separate-stderr to_file kmap --value '.ask' < "$FIX/kmap-runtime-error.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kmap: line 2: jq: error: Cannot index string with string "ask"' ]
}

@test "jq runtime error, skip: the record is dropped and counted" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"c","value":3}
EOF
	cat > expect-err <<'EOF'
kmap: line 2: jq: error: Cannot index string with string "ask" (skipped)
kmap: skipped 1 bad line
EOF
	run -0 --separate-stderr to_file kmap --on-error skip '{key, value: .value.ask}' < "$FIX/kmap-runtime-error.jsonl"
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

@test "jq runtime error, FILE: the record goes to FILE with jq's message" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"c","value":3}
EOF
	cat > expect-dead <<'EOF'
{"reason":"jq: error: Cannot index string with string \"ask\"","source":"-","line":2,"input":"{\"key\":\"b\",\"value\":\"no quote\"}"}
EOF
	run -0 --separate-stderr to_file kmap --on-error dead.jsonl --value '.ask' < "$FIX/kmap-runtime-error.jsonl"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kmap: wrote 1 bad line to 'dead.jsonl'" ]
}

@test "jq runtime error after an output: the outputs before it are kept" {
	cat > expect <<'EOF'
{"key":"a","value":1}
{"key":"b","value":2}
EOF
	cat > expect-dead <<'EOF'
{"reason":"jq: error: x","source":"-","line":1,"input":"{\"key\":\"a\",\"value\":1}"}
{"reason":"jq: error: x","source":"-","line":2,"input":"{\"key\":\"b\",\"value\":2}"}
EOF
	run -0 --separate-stderr to_file kmap --on-error dead.jsonl --key '.key, error("x")' < "$FIX/kmap-two.jsonl"
	diff -u expect actual
	diff -u expect-dead dead.jsonl
	[ "$stderr" = "kmap: wrote 2 bad lines to 'dead.jsonl'" ]
}

# --- control records ------------------------------------------------------------------

@test "control records are forwarded unchanged and in order" {
	cat > expect <<'EOF'
{"@":"tick","ts":1700000000000}
{"key":"a","value":10}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{ "@" : "rebalance" , "future" : [1, 2] }
{"key":"b","value":20}
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kmap --value '. * 10' "$FIX/kmap-control.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "control records never reach the program" {
	cat > expect <<'EOF'
{"@":"tick","ts":1700000000000}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{ "@" : "rebalance" , "future" : [1, 2] }
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kmap 'if has("@") then error("saw a control record") else empty end' \
	    "$FIX/kmap-control.jsonl"
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "{\"@\":\"end\"} is forwarded and ends the input" {
	printf '{"key":"a","value":1}\n{"@":"end"}\nnot JSON, never read\n' > in
	cat > expect <<'EOF'
{"key":"a","value":1}
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kmap . < in
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "resume without end: exit 3 after writing what came" {
	cat > expect <<'EOF'
{"@":"resume","epoch":0}
{"key":"a","value":1}
EOF
	run -3 --separate-stderr to_file kmap . < "$FIX/kmap-resume-no-end.jsonl"
	diff -u expect actual
	[ "$stderr" = 'kmap: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
}

# --- big inputs ----------------------------------------------------------------------------

@test "a 10 MB line passes whole" {
	{
		printf '{"key":"k","value":"'
		head -c 10485760 /dev/zero | tr '\0' x
		printf '"}\n'
	} > big
	run -0 --separate-stderr to_file kmap '{key: .key, value: .value}' big
	cmp big actual
	[ -z "$stderr" ]
	echo '{"key":"k","value":10485760}' > expect
	run -0 --separate-stderr to_file kmap --value 'length' big
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "100000 records across many reads" {
	awk 'BEGIN {
		for (i = 0; i < 100000; i++) {
			printf "{\"key\":\"k%d\",\"value\":%d}\n", i % 7, i > "in"
			printf "{\"key\":\"k%d\",\"value\":%d}\n", i % 7, 2 * i + 1 > "expect"
		}
	}'
	run -0 --separate-stderr to_file kmap --value '2 * . + 1' < in
	cmp expect actual
	[ -z "$stderr" ]
}

@test "| head -1 ends kmap quietly" {
	run -0 --separate-stderr bash -c \
	    'yes "{\"key\":\"y\",\"value\":1}" | kmap --value ". + 1" | head -1; echo "${PIPESTATUS[1]}"'
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = '{"key":"y","value":2}' ]
	[[ ${lines[1]} == 0 || ${lines[1]} == 141 ]]
	[ -z "$stderr" ]
}

@test "an output ts that is not an integer is bad input" {
	cat > expect <<'EOF2'
{"ts":5,"key":1,"value":2}
EOF2
	cat > expect-err <<'EOF2'
kmap: in:1: program output's ts is not an integer (milliseconds) (skipped)
kmap: skipped 1 bad line
EOF2
	printf '%s\n' '{"ts":1,"key":1,"value":2}' '{"ts":2,"key":1,"value":2}' > in
	run -0 --separate-stderr to_file kmap --on-error skip \
	    'if .ts == 1 then . + {ts: "soon"} else . + {ts: 5} end' in
	diff -u expect actual
	diff -u expect-err - <<< "$stderr"
}

# A program that only builds an object from plain paths runs without jq
# (lib/tmpl.c); the same program made opaque to that fast path ("| .")
# runs through jq.  Both must give the same records, including the cases the
# fast path hands back to jq: escapes, arrays, a path through a non-object.
@test "kmap: a template program gives what jq gives, record for record" {
	local p='{key: .value.venue.name, value: {sym: .value.sym, ask: .value.ask, size: .value.size}, ts, x, sym}'
	run -0 --separate-stderr kmap --on-error skip "$p" "$FIX/kmap-template.jsonl"
	printf '%s\n' "$output" >"$T/fast"
	printf '%s\n' "$stderr" >"$T/fast.err"
	run -0 --separate-stderr kmap --on-error skip "$p | ." "$FIX/kmap-template.jsonl"
	printf '%s\n' "$output" >"$T/jq"
	printf '%s\n' "$stderr" >"$T/jq.err"
	diff -u "$T/jq" "$T/fast"
	diff -u "$T/jq.err" "$T/fast.err"
	# and what that is, written out:
	run -0 --separate-stderr kmap --on-error skip "$p" "$FIX/kmap-template.jsonl"
	check_output <<'OUT'
{"ts":1,"key":"NYSE","value":{"sym":"AAPL","ask":105.15,"size":10},"topic":"t","partition":0,"offset":0,"x":null,"sym":null}
{"ts":2,"key":["x",1],"value":{"sym":"café \"q\"","ask":100,"size":0},"topic":"t","partition":0,"offset":1,"sym":null,"x":1}
{"ts":4,"key":null,"value":{"sym":null,"ask":2.5,"size":true},"x":null,"sym":null,"extra":{"k":[1,2]}}
OUT
	check_stderr <<ERR
kmap: $FIX/kmap-template.jsonl:3: jq: error: Cannot index string with string "name" (skipped)
kmap: $FIX/kmap-template.jsonl:5: jq: error: Cannot index array with string "venue" (skipped)
kmap: $FIX/kmap-template.jsonl:6: jq: error: Cannot index string with string "venue" (skipped)
kmap: skipped 3 bad lines
ERR
}
