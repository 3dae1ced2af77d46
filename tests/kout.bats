#!/usr/bin/env bats
# kout: the sink; records written as json, value, kv, tsv or a template.

load helper

setup() {
	cd "$FIX"
	T=$BATS_TEST_TMPDIR
}

usage() {
	usage_of kout
}

# --- flags common to every command ---

@test "kout -h prints the usage on stdout and exits 0" {
	run -0 --separate-stderr kout -h
	usage | check_output
	[ -z "$stderr" ]
}

@test "kout --help is -h" {
	run -0 --separate-stderr kout --help
	usage | check_output
	[ -z "$stderr" ]
}

@test "kout --version prints name and version" {
	run -0 --separate-stderr kout --version
	[ "$output" = "kout (kpipe) 0.1.0" ]
	[ -z "$stderr" ]
}

@test "kout -v reports records in, out and bad at exit" {
	run -0 --separate-stderr kout -v -q --on-error skip --format value kout-bad.jsonl
	check_output <<'EOF'
a
d
EOF
	check_stderr <<'EOF'
kout: 2 records in, 2 out, 5 bad
kout: skipped 5 bad lines
EOF
}

# --- usage errors ---

@test "kout --format with an unknown name is a usage error" {
	run -2 --separate-stderr kout --format xml kout-two.jsonl
	[ -z "$output" ]
	{
		echo "kout: --format 'xml': unknown format (json, value, kv, tsv, or a template with %k, %v, ...)"
		usage
	} | check_stderr
}

@test "kout --format with an unknown conversion is a usage error" {
	run -2 --separate-stderr kout --format '%k %x\n' kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --format '%k %x\n': unknown conversion '%x'"; usage; } |
	    check_stderr
}

@test "kout --format with an unknown %{...} conversion is a usage error" {
	run -2 --separate-stderr kout --format '%{ts}' kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --format '%{ts}': unknown conversion '%{ts}'"; usage; } |
	    check_stderr
}

@test "kout --format ending in a lone % is a usage error" {
	run -2 --separate-stderr kout --format 'v=%v%' kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --format 'v=%v%': unknown conversion '%'"; usage; } |
	    check_stderr
}

@test "kout with two file operands is a usage error" {
	run -2 --separate-stderr kout kout-two.jsonl kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: too many arguments"; usage; } | check_stderr
}

@test "kout with an unknown option is a usage error" {
	run -2 --separate-stderr kout -z kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: unknown option '-z'"; usage; } | check_stderr
}

@test "kout --format without its argument is a usage error" {
	run -2 --separate-stderr kout --format
	[ -z "$output" ]
	{ echo "kout: option '--format' needs an argument"; usage; } | check_stderr
}

# --- input ---

@test "kout reads a FILE operand" {
	run -0 --separate-stderr kout --format value kout-two.jsonl
	check_output <<'EOF'
a
b
EOF
	[ -z "$stderr" ]
}

@test "kout reads standard input without a FILE, and with -" {
	run -0 --separate-stderr kout --format value <kout-two.jsonl
	check_output <<'EOF'
a
b
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kout --format value - <kout-two.jsonl
	check_output <<'EOF'
a
b
EOF
	[ -z "$stderr" ]
}

@test "kout of a missing FILE exits 1 naming it" {
	run -1 --separate-stderr kout kout-no-such-file.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kout: 'kout-no-such-file.jsonl': No such file or directory" ]
}

@test "kout reads CRLF lines and a last line without a newline" {
	printf '{"value":"a"}\r\n{"value":"b"}' >"$T/in.jsonl"
	run -0 --separate-stderr kout --format value "$T/in.jsonl"
	check_output <<'EOF'
a
b
EOF
	[ -z "$stderr" ]
}

# --- formats ---

@test "kout --format json (default): fixed field order, unknown members after" {
	run -0 --separate-stderr kout kout-json.jsonl
	check_output <<'EOF'
{"ts":1700000000123,"key":"k1","value":{"b": 2, "a":1},"window":{"start":0,"end":10},"headers":[["h1","v1"]],"topic":"t","partition":0,"offset":7,"zz":1,"aa":"x"}
{"ts":5,"value":12345678901234567890}
{"ts":1,"key":null,"value":"v","topic":"t","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kout --format json named explicitly is the default" {
	run -0 --separate-stderr kout --format json kout-json.jsonl
	check_output <<'EOF'
{"ts":1700000000123,"key":"k1","value":{"b": 2, "a":1},"window":{"start":0,"end":10},"headers":[["h1","v1"]],"topic":"t","partition":0,"offset":7,"zz":1,"aa":"x"}
{"ts":5,"value":12345678901234567890}
{"ts":1,"key":null,"value":"v","topic":"t","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kout --format value: string text, null and absent empty, other JSON as it came" {
	run -0 --separate-stderr kout --format value -o "$T/out" kout-values.jsonl
	[ -z "$output" ]
	printf '%s\n' 'plain' \
	    $'tab\there "q" back\\slash \xc3\xa9 line\nbreak\rcr' \
	    '{"b": 2, "a":1}' '' '12345678901234567890' '' >"$T/expect"
	diff -u "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout --format kv: key text, tab, value text" {
	run -0 --separate-stderr kout --format kv -o "$T/out" kout-values.jsonl
	[ -z "$output" ]
	printf '%s\n' $'k1\tplain' \
	    $'k2\ttab\there "q" back\\slash \xc3\xa9 line\nbreak\rcr' \
	    $'{"id": 1}\t{"b": 2, "a":1}' $'\t' $'\t12345678901234567890' \
	    $'k6\t' >"$T/expect"
	diff -u "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout --format tsv: six columns, backslash, tab, newline and CR escaped" {
	run -0 --separate-stderr kout --format tsv -o "$T/out" kout-values.jsonl
	[ -z "$output" ]
	printf '%s\n' $'1\tk1\tplain\tt\t0\t0' \
	    $'2\tk2\ttab\\there "q" back\\\\slash \xc3\xa9 line\\nbreak\\rcr\tt\t0\t1' \
	    $'3\t{"id": 1}\t{"b": 2, "a":1}\tt\t0\t2' \
	    $'4\t\t\tt\t0\t3' \
	    $'5\t\t12345678901234567890\tt\\tab\t1\t4' \
	    $'6\tk6\t\tt\t0\t5' >"$T/expect"
	diff -u "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout --format value writes value_base64 as its bytes" {
	run -0 --separate-stderr kout --format value -o "$T/out" kout-base64.jsonl
	[ -z "$output" ]
	printf '\377\000\nhi\n' >"$T/expect"
	cmp "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout --format kv writes key_base64 and value_base64 as their bytes" {
	run -0 --separate-stderr kout --format kv -o "$T/out" kout-base64.jsonl
	[ -z "$output" ]
	printf '\000\001\t\377\000\nk\thi\n' >"$T/expect"
	cmp "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout template: every conversion, %K/%V -1 for null, %h with a null value" {
	run -0 --separate-stderr kout -o "$T/out" \
	    --format '%t/%p/%o %T %{ts:iso} key=%k(%K) value=%v(%V) [%h] 100%%\n' \
	    kout-template.jsonl
	[ -z "$output" ]
	cat >"$T/expect" <<'EOF'
trades/2/42 1700000000123 2023-11-14T22:13:20.123Z key=AAPL(4) value={"px": 1.5}(11) [src=nyse,trace=,src=arca] 100%
t/0/1 0 1970-01-01T00:00:00.000Z key=(-1) value=(0) [] 100%
t/0/2 1 1970-01-01T00:00:00.001Z key=(-1) value=(-1) [] 100%
EOF
	diff -u "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout template: %K and %V count the bytes of base64 payloads" {
	run -0 --separate-stderr kout --format '%K %V\n' kout-base64.jsonl
	check_output <<'EOF'
2 2
1 2
EOF
	[ -z "$stderr" ]
}

@test "kout template: escapes \\n \\t \\r \\\\ and no automatic newline" {
	run -0 --separate-stderr kout -o "$T/out" --format '<%v>\t\\\r' kout-two.jsonl
	[ -z "$output" ]
	printf '<a>\t\\\r<b>\t\\\r' >"$T/expect"
	cmp "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout template without a newline runs the records together" {
	run -0 --separate-stderr kout -o "$T/out" --format '%v' kout-two.jsonl
	[ -z "$output" ]
	printf 'ab' >"$T/expect"
	cmp "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout template of escapes alone is a template, not a format name" {
	run -0 --separate-stderr kout -o "$T/out" --format 'x\n' kout-two.jsonl
	[ -z "$output" ]
	printf 'x\nx\n' >"$T/expect"
	cmp "$T/expect" "$T/out"
	[ -z "$stderr" ]
}

@test "kout template: a backslash before another character stands for it" {
	run -0 --separate-stderr kout --format '\[%v\]\%\n' kout-two.jsonl
	check_output <<'EOF'
[a]%
[b]%
EOF
	[ -z "$stderr" ]
}

@test "kout template: absent members are written as nothing" {
	run -0 --separate-stderr kout --format 't=%t p=%p o=%o T=%T iso=%{ts:iso} h=%h k=%k K=%K\n' \
	    - <<<'{"value":1}'
	check_output <<'EOF'
t= p= o= T= iso= h= k= K=-1
EOF
	[ -z "$stderr" ]
}

@test "kout template: %{ts:iso} is UTC whatever TZ says" {
	TZ=Asia/Tokyo run -0 --separate-stderr kout --format '%{ts:iso}\n' kout-template.jsonl
	check_output <<'EOF'
2023-11-14T22:13:20.123Z
1970-01-01T00:00:00.000Z
1970-01-01T00:00:00.001Z
EOF
	[ -z "$stderr" ]
}

# --- -o ---

@test "kout -o FILE writes the file, truncated, and nothing on stdout" {
	printf 'old content that is longer than the new one\n' >"$T/out"
	run -0 --separate-stderr kout --format value -o "$T/out" kout-two.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	printf 'a\nb\n' >"$T/expect"
	cmp "$T/expect" "$T/out"
}

@test "kout --output FILE is -o FILE" {
	run -0 --separate-stderr kout --output="$T/out" kout-two.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	cat >"$T/expect" <<'EOF'
{"ts":1,"value":"a"}
{"ts":2,"value":"b"}
EOF
	diff -u "$T/expect" "$T/out"
}

@test "kout -o into a missing directory exits 1 naming the file" {
	run -1 --separate-stderr kout -o "$T/no/out" kout-two.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kout: '$T/no/out': No such file or directory" ]
}

@test "kout -o FILE is created or truncated at the start, even with no data" {
	printf 'old\n' >"$T/out"
	run -0 --separate-stderr kout -o "$T/out" - <<<'{"@":"end"}'
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ -f "$T/out" ]
	[ ! -s "$T/out" ]
}

@test "kout -o a file that cannot be written exits 1" {
	run -1 --separate-stderr kout -o /dev/full kout-two.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kout: write error on /dev/full: No space left on device" ]
}

# --- control records ---

@test "kout never writes control records (json)" {
	run -0 --separate-stderr kout kout-control.jsonl
	check_output <<'EOF'
{"ts":1,"value":"a"}
{"ts":2,"value":"b"}
{"ts":3,"value":"c"}
EOF
	[ -z "$stderr" ]
}

@test "kout never writes control records (template)" {
	run -0 --separate-stderr kout --format '%T:%v\n' kout-control.jsonl
	check_output <<'EOF'
1:a
2:b
3:c
EOF
	[ -z "$stderr" ]
}

@test "kout stops at {\"@\":\"end\"}: later lines are not read" {
	run -0 --separate-stderr kout --format value kout-end.jsonl
	check_output <<'EOF'
before
EOF
	[ -z "$stderr" ]
}

@test "kout after resume, input that ends without end exits 3" {
	run -3 --separate-stderr kout --format value kout-resume-no-end.jsonl
	check_output <<'EOF'
a
b
EOF
	[ "$stderr" = 'kout: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
}

@test "kout after resume, standard input that ends without end exits 3" {
	run -3 --separate-stderr kout --format value <kout-resume-no-end.jsonl
	check_output <<'EOF'
a
b
EOF
	[ "$stderr" = 'kout: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
}

@test "kout: input without resume simply ends at end of input" {
	run -0 --separate-stderr kout --format value <kout-two.jsonl
	check_output <<'EOF'
a
b
EOF
	[ -z "$stderr" ]
}

# --- bad input ---

@test "kout --on-error fail (default): a bad line in a FILE exits 1" {
	run -1 --separate-stderr kout --format value kout-bad.jsonl
	check_output <<'EOF'
a
EOF
	[ "$stderr" = "kout: kout-bad.jsonl:2: not a JSON object: unexpected 'n' at column 1" ]
}

@test "kout --on-error fail: a bad line on standard input is named by line" {
	run -1 --separate-stderr kout --on-error fail --format value <kout-bad.jsonl
	check_output <<'EOF'
a
EOF
	[ "$stderr" = "kout: line 2: not a JSON object: unexpected 'n' at column 1" ]
}

@test "kout --on-error skip: each bad line warned, the count at exit" {
	run -0 --separate-stderr kout --on-error skip --format value <kout-bad.jsonl
	check_output <<'EOF'
a
d
EOF
	check_stderr <<'EOF'
kout: line 2: not a JSON object: unexpected 'n' at column 1 (skipped)
kout: line 3: empty line (skipped)
kout: line 4: not a JSON object (skipped)
kout: line 5: trailing characters after the object at column 22 (skipped)
kout: line 6: unterminated string at column 19 (skipped)
kout: skipped 5 bad lines
EOF
}

@test "kout -q --on-error skip: only the count" {
	run -0 --separate-stderr kout -q --on-error skip --format value kout-bad.jsonl
	check_output <<'EOF'
a
d
EOF
	[ "$stderr" = "kout: skipped 5 bad lines" ]
}

@test "kout --on-error FILE: bad lines appended as JSON, the count printed" {
	echo '{"earlier":"line"}' >"$T/dead.jsonl"
	run -0 --separate-stderr kout --on-error "$T/dead.jsonl" --format value \
	    <kout-bad.jsonl
	check_output <<'EOF'
a
d
EOF
	[ "$stderr" = "kout: wrote 5 bad lines to '$T/dead.jsonl'" ]
	cat >"$T/expect" <<'EOF'
{"earlier":"line"}
{"reason":"not a JSON object: unexpected 'n' at column 1","source":"-","line":2,"input":"not json"}
{"reason":"empty line","source":"-","line":3,"input":""}
{"reason":"not a JSON object","source":"-","line":4,"input":"[1]"}
{"reason":"trailing characters after the object at column 22","source":"-","line":5,"input":"{\"ts\":2,\"value\":\"b\"} x"}
{"reason":"unterminated string at column 19","source":"-","line":6,"input":"{\"ts\":3,\"value\":\"c"}
EOF
	diff -u "$T/expect" "$T/dead.jsonl"
}

@test "kout --on-error FILE: a line that is not UTF-8 goes as input_base64" {
	printf '{"value":"a"}\n{"value":"\377"}\n' >"$T/in.jsonl"
	run -0 --separate-stderr kout --on-error "$T/dead.jsonl" --format value \
	    "$T/in.jsonl"
	check_output <<'EOF'
a
EOF
	[ "$stderr" = "kout: wrote 1 bad line to '$T/dead.jsonl'" ]
	cat >"$T/expect" <<EOF
{"reason":"invalid UTF-8 at column 11","source":"$T/in.jsonl","line":2,"input_base64":"eyJ2YWx1ZSI6Iv8ifQ=="}
EOF
	diff -u "$T/expect" "$T/dead.jsonl"
}

# --- output ---

@test "kout | head -1 ends quietly" {
	seq 1 200000 | sed 's/.*/{"ts":&,"value":&}/' >"$T/many.jsonl"
	run --separate-stderr bash -c 'kout --format value "$1" | head -1
	    s=${PIPESTATUS[0]}
	    case $s in 0|141) echo "kout quiet" ;; *) echo "kout exit $s" ;; esac' \
	    _ "$T/many.jsonl"
	[ "$status" -eq 0 ]
	check_output <<'EOF'
1
kout quiet
EOF
	[ -z "$stderr" ]
}
