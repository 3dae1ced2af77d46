#!/usr/bin/env bats
# kcat-in's Kafka side: topics on a kbroker, written by kcat (Debian's kcat
# package), the peer that is the oracle.  Every timestamp a test expects is
# the one kcat -C -J reports for the same message, never kcat-in's own.

load helper
load kafka

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_BROKERS KBROKER_PID
	PIDS=()
}

teardown() {
	local p

	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	kbroker_stop
}

# The kbroker of a test that needs one, with the topics the tests use.
broker() {
	kbroker_start -t one:1 -t other:1 -t two:2 -t four:4
}

# The mock makes a group wait session.timeout.ms less a second when a
# member joins or leaves it (kbroker(1), CAVEATS): 6000 keeps that to 5 s.
GROUP_X=(-X session.timeout.ms=6000)

# Produce standard input to the brokers with kcat -P and the options given.
produce() {
	kcat -P -b "$KPIPE_BROKERS" "$@"
}

# Consume to the end with kcat -C and the options given (a short fetch
# wait, so that it sees the end sooner).
consume() {
	kcat -C -q -e -b "$KPIPE_BROKERS" -X fetch.wait.max.ms=10 "$@"
}

# Write $T/ts.sed, which replaces <TOPIC/PARTITION/OFFSET> with the
# timestamp that kcat -C -J gives the message there, for each topic named.
peer_ts() {
	local topic

	: >"$T/ts.sed"
	for topic; do
		consume -J -t "$topic" >"$T/peer.json" || return 1
		sed -n 's/^{"topic":"\([^"]*\)","partition":\([0-9]*\),"offset":\([0-9]*\),"tstype":"[a-z]*","ts":\([0-9]*\),.*/s|<\1\/\2\/\3>|\4|g/p' \
		    "$T/peer.json" >>"$T/ts.sed"
	done
}

# The timestamp of message $1/$2 at offset $3, from $T/ts.sed.
ts_of() {
	sed -n "s/^s|<$1\\/$2\\/$3>|\\([0-9]*\\)|g\$/\\1/p" "$T/ts.sed"
}

# Compare $output with the text on standard input, its placeholders
# <TOPIC/PARTITION/OFFSET> replaced by kcat's timestamps: those of the
# topics named, read now, or else those that peer_ts read last.
check_ts() {
	if [ $# -gt 0 ]; then
		peer_ts "$@" || return 1
	fi
	sed -f "$T/ts.sed" | check_output
}

# The usage, as kcat-in -h prints it.
usage() {
	usage_of kcat-in
}

# Expect a usage error: exit 2, nothing on stdout, the message $1 and the
# usage on stderr.
usage_error() {
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	{ echo "kcat-in: $1"; usage; } | check_stderr
}

# --- usage errors ---

@test "kcat-in -h shows the Kafka form of the usage first" {
	run -0 --separate-stderr kcat-in -h
	usage | check_output
	[ -z "$stderr" ]
}

@test "kcat-in -t and -f exclude each other" {
	run -2 --separate-stderr kcat-in -t one -f x.txt
	usage_error "-t and -f exclude each other"
}

@test "kcat-in: each Kafka option with -f is a usage error naming it" {
	local opt
	for opt in "-b 127.0.0.1:1" -e "-g g" "-m 1" "-o 1" "-p 0" "-X acks=1" \
	    "--idle 1s" "--key-format json" "--value-format json"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr kcat-in -f x.txt $opt
		usage_error "${opt%% *} goes with -t, not -f"
	done
	for opt in -e "-g g" "-m 1" "-o 1" "-p 0" "--idle 1s" \
	    "--key-format json" "--value-format json"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr kcat-in $opt -f x.txt
		usage_error "${opt%% *} goes with -t, not -f"
	done
}

@test "kcat-in -b or -X before -f is a usage error naming -b or -X" {
	run -2 --separate-stderr kcat-in -b 127.0.0.1:1 -f x.txt
	usage_error "-b goes with -t, not -f"
	run -2 --separate-stderr kcat-in -X acks=1 -q -f x.txt
	usage_error "-X goes with -t, not -f"
}

@test "kcat-in --input with -t is a usage error" {
	run -2 --separate-stderr kcat-in --input lines -t one
	usage_error "--input goes with -f, not -t"
}

@test "kcat-in -p with -g is a usage error" {
	run -2 --separate-stderr kcat-in -p 0 -g g -t one
	usage_error "-p and -g exclude each other (a group assigns partitions)"
}

@test "kcat-in -o stored without -g is a usage error" {
	run -2 --separate-stderr kcat-in -o stored -t one
	usage_error "-o stored needs -g group"
}

@test "kcat-in -o with an offset that is none of the forms is a usage error" {
	run -2 --separate-stderr kcat-in -o start -t one
	usage_error "-o 'start': not beginning, end, stored, N, -N or @TIME"
	run -2 --separate-stderr kcat-in -o 12x -t one
	usage_error "-o '12x': not beginning, end, stored, N, -N or @TIME"
	run -2 --separate-stderr kcat-in -o - -t one
	usage_error "-o '-': not beginning, end, stored, N, -N or @TIME"
	run -2 --separate-stderr kcat-in -o '' -t one
	usage_error "-o '': not beginning, end, stored, N, -N or @TIME"
}

@test "kcat-in -o @ with a time that is neither ms nor ISO 8601 is a usage error" {
	run -2 --separate-stderr kcat-in -o @yesterday -t one
	usage_error "-o '@yesterday': not an ISO 8601 time"
}

@test "kcat-in --idle with a bad duration is a usage error" {
	run -2 --separate-stderr kcat-in --idle 5x -t one
	usage_error "--idle '5x': unknown unit"
}

@test "kcat-in -m takes whole seconds from 1 to 86400" {
	run -2 --separate-stderr kcat-in -m 0 -t one
	usage_error "-m '0': not 1 to 86400 seconds"
	run -2 --separate-stderr kcat-in -m 86401 -t one
	usage_error "-m '86401': not 1 to 86400 seconds"
	run -2 --separate-stderr kcat-in -m 1s -t one
	usage_error "-m '1s': not a count"
}

@test "kcat-in --key-format and --value-format take auto, json, string or base64" {
	run -2 --separate-stderr kcat-in --key-format xml -t one
	usage_error "--key-format 'xml': not auto, json, string or base64"
	run -2 --separate-stderr kcat-in --value-format JSON -t one
	usage_error "--value-format 'JSON': not auto, json, string or base64"
}

@test "kcat-in -p takes a partition number" {
	run -2 --separate-stderr kcat-in -p x -t one
	usage_error "-p 'x': not a count"
	run -2 --separate-stderr kcat-in -p -1 -t one
	usage_error "-p '-1': not a count"
}

@test "kcat-in -X without NAME=VALUE is a usage error" {
	run -2 --separate-stderr kcat-in -X acks -t one
	usage_error "-X 'acks': not NAME=VALUE"
}

@test "kcat-in -X with an unknown property or a bad value exits 2 naming it" {
	run -2 --separate-stderr kcat-in -X no.such.property=1 -t one -e
	[ -z "$output" ]
	[ "$stderr" = 'kcat-in: -X no.such.property=1: No such configuration property: "no.such.property"' ]
	run -2 --separate-stderr kcat-in -X fetch.wait.max.ms=soon -t one -e
	[ -z "$output" ]
	[ "$stderr" = 'kcat-in: -X fetch.wait.max.ms=soon: Invalid value for configuration property "fetch.wait.max.ms"' ]
}

# --- brokers ---

# Check $stderr: librdkafka's log lines, each in the house form, then the
# message $1 last.
last_stderr_line() {
	local line last=
	while IFS= read -r line; do
		[[ $line == "kcat-in: "* ]] || {
			echo "not in the house form: $line"
			return 1
		}
		last=$line
	done <<<"$stderr"
	[ "$last" = "$1" ]
}

@test "kcat-in -e with no broker listening exits 4 within -m seconds" {
	start=$SECONDS
	run -4 --separate-stderr kcat-in -b 127.0.0.1:1 -t x -e -m 1
	[ $((SECONDS - start)) -le 3 ]
	[ -z "$output" ]
	last_stderr_line "kcat-in: brokers '127.0.0.1:1': Local: Broker transport failure"
}

@test "kcat-in -g with no broker listening exits 4 within -m seconds" {
	start=$SECONDS
	run -4 --separate-stderr kcat-in -b 127.0.0.1:1 -g g -t x -m 1
	[ $((SECONDS - start)) -le 3 ]
	[ -z "$output" ]
	last_stderr_line "kcat-in: brokers '127.0.0.1:1': Local: Broker transport failure"
}

@test "kcat-in takes the brokers from KPIPE_BROKERS without -b" {
	KPIPE_BROKERS=127.0.0.1:1 run -4 --separate-stderr kcat-in -t x -m 1
	[ -z "$output" ]
	last_stderr_line "kcat-in: brokers '127.0.0.1:1': Local: Broker transport failure"
}

@test "kcat-in -b overrides KPIPE_BROKERS" {
	broker
	echo hello | produce -t one
	good=$KPIPE_BROKERS
	KPIPE_BROKERS=127.0.0.1:1 run -0 --separate-stderr kcat-in -b "$good" \
	    -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"hello","topic":"one","partition":0,"offset":0}
EOF
}

@test "kcat-in --brokers=LIST is -b LIST" {
	broker
	echo hello | produce -t one
	run -0 --separate-stderr kcat-in --brokers="$KPIPE_BROKERS" --topic=one \
	    --end
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"hello","topic":"one","partition":0,"offset":0}
EOF
}

# --- payloads: what kcat -P wrote, kcat-in reads (DESIGN section 1) ---

@test "kcat-in auto: JSON payloads kept byte for byte, odd spacing and big integers" {
	broker
	produce -t one <<'EOF'
{"a" :  1,"big":123456789012345678901234567890}
[1, 2.50, -0.0e+0]
123456789012345678901234567890
-1.5E-7
true
false
{}
EOF
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":{"a" :  1,"big":123456789012345678901234567890},"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":[1, 2.50, -0.0e+0],"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":123456789012345678901234567890,"topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value":-1.5E-7,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":true,"topic":"one","partition":0,"offset":4}
{"ts":<one/0/5>,"key":null,"value":false,"topic":"one","partition":0,"offset":5}
{"ts":<one/0/6>,"key":null,"value":{},"topic":"one","partition":0,"offset":6}
EOF
}

@test "kcat-in auto: text, \"quoted\", null text and space-led payloads are strings" {
	broker
	# (kcat -P skips an empty line: the empty payload is in the next test.)
	printf '%s\n' 'hello world' '"quoted"' 'null' ' 42' '42 ' '{"a":1' \
	    'tab	here' 'é ü' | produce -t one
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"hello world","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"\"quoted\"","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":"null","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value":" 42","topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":"42 ","topic":"one","partition":0,"offset":4}
{"ts":<one/0/5>,"key":null,"value":"{\"a\":1","topic":"one","partition":0,"offset":5}
{"ts":<one/0/6>,"key":null,"value":"tab\there","topic":"one","partition":0,"offset":6}
{"ts":<one/0/7>,"key":null,"value":"é ü","topic":"one","partition":0,"offset":7}
EOF
}

@test "kcat-in auto: a Kafka NULL (kcat -Z) is null, an empty payload without -Z \"\"" {
	broker
	printf '%s\n' 'a:' | produce -t one -K:
	printf '%s\n' 'b:' | produce -t one -K: -Z
	consume -t one -f '%k %S\n' >"$T/peer"
	# The peer says: an empty value, then a NULL one (length -1).
	printf '%s\n' 'a 0' 'b -1' | diff -u - "$T/peer"
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":"a","value":"","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"b","value":null,"topic":"one","partition":0,"offset":1}
EOF
}

@test "kcat-in auto: a binary payload goes to value_base64, a multi-line one keeps its text" {
	broker
	printf '\000\377\376 binary' >"$T/binary"
	printf 'line 1\nline 2\n' >"$T/lines"
	printf '{\n  "a": 1\n}' >"$T/json"
	produce -t one "$T/binary"
	produce -t one "$T/lines"
	produce -t one "$T/json"
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	# A JSON payload over several lines has its line breaks made spaces.
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value_base64":"AP/+IGJpbmFyeQ==","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"line 1\nline 2\n","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":{   "a": 1 },"topic":"one","partition":0,"offset":2}
EOF
}

@test "kcat-in auto: keys read as values are: JSON, text, empty, NULL, binary" {
	broker
	printf '{"id":12345678901234567890}|a\ntext|b\n|c\nno key\n' |
	    produce -t one -K'|'
	printf '|d\n' | produce -t one -K'|' -Z
	printf '\377\376|e\n' >"$T/in"
	produce -t one -K'|' -l "$T/in"
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"id":12345678901234567890},"value":"a","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"text","value":"b","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":"","value":"c","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value":"no key","topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":"d","topic":"one","partition":0,"offset":4}
{"ts":<one/0/5>,"key_base64":"//4=","value":"e","topic":"one","partition":0,"offset":5}
EOF
}

@test "kcat-in: headers in order, repeats kept, a NULL value null, a binary one base64 text" {
	broker
	echo v | produce -t one -H a=1 -H b=2 -H a=3 -H nul -H empty= \
	    -H "bin=$(printf 'x\377y')" -H 'eq=x=y'
	echo w | produce -t one
	run -0 --separate-stderr kcat-in -t one -e
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"v","headers":[["a","1"],["b","2"],["a","3"],["nul",null],["empty",""],["bin","eP95"],["eq","x=y"]],"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"w","topic":"one","partition":0,"offset":1}
EOF
}

@test "kcat-in: ts is the message timestamp that kcat -C -J reports" {
	broker
	echo first | produce -t one
	echo second | produce -t one
	run -0 --separate-stderr kcat-in -t one -e
	peer_ts one
	t0=$(ts_of one 0 0)
	t1=$(ts_of one 0 1)
	# Two kcat runs: the second message is the later one.
	((t0 > 1700000000000 && t1 > t0))
	check_output <<EOF
{"ts":$t0,"key":null,"value":"first","topic":"one","partition":0,"offset":0}
{"ts":$t1,"key":null,"value":"second","topic":"one","partition":0,"offset":1}
EOF
}

# Messages for the format tests, key and value alike: JSON, text, "quoted",
# a NULL value (its key the text null), binary.
produce_kinds() {
	printf '%s\n' '{"x": 1}|{"x": 1}' 'text|text' '"q"|"q"' |
	    produce -t one -K'|'
	printf '%s\n' 'null|' | produce -t one -K'|' -Z
	printf '\377|\377\n' >"$T/binary"
	produce -t one -K'|' -l "$T/binary"
}

@test "kcat-in --value-format auto is the default" {
	broker
	produce_kinds
	run -0 --separate-stderr kcat-in -t one -e --value-format auto \
	    --key-format auto
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"x": 1},"value":{"x": 1},"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"text","value":"text","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":"\"q\"","value":"\"q\"","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":"null","value":null,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key_base64":"/w==","value_base64":"/w==","topic":"one","partition":0,"offset":4}
EOF
}

@test "kcat-in --value-format string: every value a string, binary still base64" {
	broker
	produce_kinds
	run -0 --separate-stderr kcat-in -t one -e --value-format string
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"x": 1},"value":"{\"x\": 1}","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"text","value":"text","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":"\"q\"","value":"\"q\"","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":"null","value":null,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key_base64":"/w==","value_base64":"/w==","topic":"one","partition":0,"offset":4}
EOF
}

@test "kcat-in --value-format base64: every value in value_base64, a NULL still null" {
	broker
	produce_kinds
	run -0 --separate-stderr kcat-in -t one -e --value-format base64
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"x": 1},"value_base64":"eyJ4IjogMX0=","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"text","value_base64":"dGV4dA==","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":"\"q\"","value_base64":"InEi","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":"null","value":null,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key_base64":"/w==","value_base64":"/w==","topic":"one","partition":0,"offset":4}
EOF
}

@test "kcat-in --value-format json: JSON kept as it came, a text value is bad input named by topic/partition:offset" {
	broker
	printf '%s\n' '{"x": 1}' '"q"' 'null' ' 42' 'text' 'after' | produce -t one
	run -1 --separate-stderr kcat-in -t one -e --value-format json
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":{"x": 1},"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"q","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":null,"topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value": 42,"topic":"one","partition":0,"offset":3}
EOF
	[ "$stderr" = "kcat-in: one/0:4: not JSON: unexpected 't' at column 1" ]
}

@test "kcat-in --value-format json --on-error skip: bad values named and skipped, -v counts them" {
	broker
	produce_kinds
	run -0 --separate-stderr kcat-in -t one -e --value-format json \
	    --on-error skip -v
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"x": 1},"value":{"x": 1},"topic":"one","partition":0,"offset":0}
{"ts":<one/0/2>,"key":"\"q\"","value":"q","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":"null","value":null,"topic":"one","partition":0,"offset":3}
EOF
	check_stderr <<'EOF'
kcat-in: one/0:1: not JSON: unexpected 't' at column 1 (skipped)
kcat-in: one/0:4: not JSON: unexpected non-ASCII byte at column 1 (skipped)
kcat-in: 5 records in, 3 out, 2 bad
kcat-in: skipped 2 bad lines
EOF
}

@test "kcat-in --key-format string: every key a string, binary still base64" {
	broker
	produce_kinds
	run -0 --separate-stderr kcat-in -t one -e --key-format string
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":"{\"x\": 1}","value":{"x": 1},"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"text","value":"text","topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":"\"q\"","value":"\"q\"","topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":"null","value":null,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key_base64":"/w==","value_base64":"/w==","topic":"one","partition":0,"offset":4}
EOF
}

@test "kcat-in --key-format base64: every key in key_base64, a NULL key still null" {
	broker
	printf '%s\n' 'k:v' | produce -t one -K:
	echo 'no key' | produce -t one
	run -0 --separate-stderr kcat-in -t one -e --key-format base64
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key_base64":"aw==","value":"v","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"no key","topic":"one","partition":0,"offset":1}
EOF
}

@test "kcat-in --key-format json: JSON keys kept, a text key is bad input" {
	broker
	printf '%s\n' '{"id": 7}|a' '"s"|b' 'plain|c' | produce -t one -K'|'
	run -1 --separate-stderr kcat-in -t one -e --key-format json
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":{"id": 7},"value":"a","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":"s","value":"b","topic":"one","partition":0,"offset":1}
EOF
	[ "$stderr" = "kcat-in: one/0:2: not JSON: unexpected 'p' at column 1" ]
}

@test "kcat-in: a bad message at offset 0 is named by its offset too" {
	broker
	printf '%s\n' 'plain:a' | produce -t one -K:
	run -1 --separate-stderr kcat-in -t one -e --key-format json
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: one/0:0: not JSON: unexpected 'p' at column 1" ]
}

@test "kcat-in --on-error FILE: a message that cannot be read is a dead letter" {
	broker
	printf '%s\n' '1' 'text' | produce -t one
	run -0 --separate-stderr kcat-in -t one -e --value-format json \
	    --on-error "$T/dead.jsonl"
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
EOF
	[ "$stderr" = "kcat-in: wrote 1 bad line to '$T/dead.jsonl'" ]
}

@test "kcat-in --on-error FILE: a dead letter keeps the message's value and timestamp" {
	broker
	printf '%s\n' '1' 'text' | produce -t one
	run -0 --separate-stderr kcat-in -t one -e --value-format json \
	    --on-error "$T/dead.jsonl"
	output=$(cat "$T/dead.jsonl")
	check_ts one <<'EOF'
{"reason":"not JSON: unexpected 't' at column 1","source":"one/0","line":1,"input":"{\"ts\":<one/0/1>,\"key\":null,\"value\":\"text\",\"topic\":\"one\",\"partition\":0,\"offset\":1}"}
EOF
}

# --- --key and --ts over messages ---

@test "kcat-in --key and --ts programs see the message: key, value, headers, provenance" {
	broker
	printf '%s\n' 'k1:{"at":"2026-11-24T10:00:00.250Z","n":1}' \
	    'k2:{"at":"2026-11-24T11:00:00+01:00","n":2}' |
	    produce -t two -p 1 -K: -H src=feed
	run -0 --separate-stderr kcat-in -t two -e --ts .value.at \
	    --key '[.key, .headers[0][1], .topic, .partition, .offset]'
	[ -z "$stderr" ]
	check_output <<'EOF'
{"ts":1795514400250,"key":["k1","feed","two",1,0],"value":{"at":"2026-11-24T10:00:00.250Z","n":1},"headers":[["src","feed"]],"topic":"two","partition":1,"offset":0}
{"ts":1795514400000,"key":["k2","feed","two",1,1],"value":{"at":"2026-11-24T11:00:00+01:00","n":2},"headers":[["src","feed"]],"topic":"two","partition":1,"offset":1}
EOF
}

@test "kcat-in --ts sees the message timestamp as .ts" {
	broker
	echo a | produce -t one
	run -0 --separate-stderr kcat-in -t one -e --ts '.ts + 1000'
	[ -z "$stderr" ]
	peer_ts one
	check_output <<EOF
{"ts":$(($(ts_of one 0 0) + 1000)),"key":null,"value":"a","topic":"one","partition":0,"offset":0}
EOF
}

# --- partitions, offsets, counts ---

# Six messages, each by a kcat of its own, so that each is later than the
# one before, into partitions 2, 1, 0, 3, 2, 1 of topic four.
produce_six() {
	local m
	for m in m1:2 m2:1 m3:0 m4:3 m5:2 m6:1; do
		echo "${m%:*}" | produce -t four -p "${m#*:}"
	done
	peer_ts four
	# The peer agrees that they ascend in that order.
	(($(ts_of four 2 0) < $(ts_of four 1 0) &&
	    $(ts_of four 1 0) < $(ts_of four 0 0) &&
	    $(ts_of four 0 0) < $(ts_of four 3 0) &&
	    $(ts_of four 3 0) < $(ts_of four 2 1) &&
	    $(ts_of four 2 1) < $(ts_of four 1 1)))
}

@test "kcat-in merges the partitions of a topic by timestamp" {
	broker
	produce_six
	run -0 --separate-stderr kcat-in -t four -e
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<four/2/0>,"key":null,"value":"m1","topic":"four","partition":2,"offset":0}
{"ts":<four/1/0>,"key":null,"value":"m2","topic":"four","partition":1,"offset":0}
{"ts":<four/0/0>,"key":null,"value":"m3","topic":"four","partition":0,"offset":0}
{"ts":<four/3/0>,"key":null,"value":"m4","topic":"four","partition":3,"offset":0}
{"ts":<four/2/1>,"key":null,"value":"m5","topic":"four","partition":2,"offset":1}
{"ts":<four/1/1>,"key":null,"value":"m6","topic":"four","partition":1,"offset":1}
EOF
}

@test "kcat-in merges two topics by timestamp, whatever their order on the command line" {
	broker
	echo o1 | produce -t one
	echo x1 | produce -t other
	echo x2 | produce -t other
	echo o2 | produce -t one
	echo x3 | produce -t other
	peer_ts one other
	(($(ts_of one 0 0) < $(ts_of other 0 0) &&
	    $(ts_of other 0 1) < $(ts_of one 0 1) &&
	    $(ts_of one 0 1) < $(ts_of other 0 2)))
	run -0 --separate-stderr kcat-in -t other -t one -e
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"o1","topic":"one","partition":0,"offset":0}
{"ts":<other/0/0>,"key":null,"value":"x1","topic":"other","partition":0,"offset":0}
{"ts":<other/0/1>,"key":null,"value":"x2","topic":"other","partition":0,"offset":1}
{"ts":<one/0/1>,"key":null,"value":"o2","topic":"one","partition":0,"offset":1}
{"ts":<other/0/2>,"key":null,"value":"x3","topic":"other","partition":0,"offset":2}
EOF
}

@test "kcat-in merge: ties go to the topic given first, then the lower partition" {
	broker
	# kout stamps these with the ts given; kcat confirms it below.
	printf '%s\n' '{"ts":1000,"value":"two-1a"}' '{"ts":1000,"value":"two-1b"}' |
	    kout -t two -p 1
	printf '%s\n' '{"ts":1000,"value":"two-0"}' | kout -t two -p 0
	printf '%s\n' '{"ts":1000,"value":"one"}' | kout -t one
	consume -t two -f '%T\n' >"$T/peer"
	consume -t one -f '%T\n' >>"$T/peer"
	printf '1000\n%.0s' 1 2 3 4 | diff -u - "$T/peer"
	run -0 --separate-stderr kcat-in -t two -t one -e
	[ -z "$stderr" ]
	check_output <<'EOF'
{"ts":1000,"key":null,"value":"two-0","topic":"two","partition":0,"offset":0}
{"ts":1000,"key":null,"value":"two-1a","topic":"two","partition":1,"offset":0}
{"ts":1000,"key":null,"value":"two-1b","topic":"two","partition":1,"offset":1}
{"ts":1000,"key":null,"value":"one","topic":"one","partition":0,"offset":0}
EOF
	run -0 --separate-stderr kcat-in -t one -t two -e
	check_output <<'EOF'
{"ts":1000,"key":null,"value":"one","topic":"one","partition":0,"offset":0}
{"ts":1000,"key":null,"value":"two-0","topic":"two","partition":0,"offset":0}
{"ts":1000,"key":null,"value":"two-1a","topic":"two","partition":1,"offset":0}
{"ts":1000,"key":null,"value":"two-1b","topic":"two","partition":1,"offset":1}
EOF
}

@test "kcat-in merge: a partition keeps its own order, whatever its timestamps" {
	broker
	printf '%s\n' '{"ts":3000,"value":"late"}' '{"ts":1000,"value":"early"}' |
	    kout -t two -p 0
	printf '%s\n' '{"ts":2000,"value":"middle"}' | kout -t two -p 1
	consume -t two -p 0 -f '%T %s\n' >"$T/peer"
	printf '%s\n' '3000 late' '1000 early' | diff -u - "$T/peer"
	run -0 --separate-stderr kcat-in -t two -e
	[ -z "$stderr" ]
	check_output <<'EOF'
{"ts":2000,"key":null,"value":"middle","topic":"two","partition":1,"offset":0}
{"ts":3000,"key":null,"value":"late","topic":"two","partition":0,"offset":0}
{"ts":1000,"key":null,"value":"early","topic":"two","partition":0,"offset":1}
EOF
}

@test "kcat-in -p reads one partition of the topic" {
	broker
	produce_six
	run -0 --separate-stderr kcat-in -t four -p 2 -e
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<four/2/0>,"key":null,"value":"m1","topic":"four","partition":2,"offset":0}
{"ts":<four/2/1>,"key":null,"value":"m5","topic":"four","partition":2,"offset":1}
EOF
	run -0 --separate-stderr kcat-in -t four --partition=1 -e
	check_ts <<'EOF'
{"ts":<four/1/0>,"key":null,"value":"m2","topic":"four","partition":1,"offset":0}
{"ts":<four/1/1>,"key":null,"value":"m6","topic":"four","partition":1,"offset":1}
EOF
}

@test "kcat-in -p of a partition the topic does not have exits 1 naming it" {
	broker
	run -1 --separate-stderr kcat-in -t four -p 4 -e
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: topic 'four' has no partition 4" ]
}

@test "kcat-in -c N stops after N records, in timestamp order" {
	broker
	produce_six
	run -0 --separate-stderr kcat-in -t four -c 3
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<four/2/0>,"key":null,"value":"m1","topic":"four","partition":2,"offset":0}
{"ts":<four/1/0>,"key":null,"value":"m2","topic":"four","partition":1,"offset":0}
{"ts":<four/0/0>,"key":null,"value":"m3","topic":"four","partition":0,"offset":0}
EOF
	run -0 --separate-stderr kcat-in -t four --count=1 -e
	check_ts <<'EOF'
{"ts":<four/2/0>,"key":null,"value":"m1","topic":"four","partition":2,"offset":0}
EOF
}

@test "kcat-in -v reports records in, out and bad at exit" {
	broker
	seq 1 3 | produce -t one
	run -0 --separate-stderr kcat-in -t one -e -v
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
EOF
	[ "$stderr" = "kcat-in: 3 records in, 3 out, 0 bad" ]
}

@test "kcat-in -e on an empty topic exits 0 at once with nothing" {
	broker
	run -0 --separate-stderr kcat-in -t four -e
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "kcat-in -o beginning reads from each partition's first offset" {
	broker
	seq 1 3 | produce -t one
	run -0 --separate-stderr kcat-in -t one -e -o beginning
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
EOF
}

@test "kcat-in -o end with -e reads nothing" {
	broker
	seq 1 3 | produce -t one
	run -0 --separate-stderr kcat-in -t one -e -o end
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "kcat-in -o end reads only messages produced after it started" {
	broker
	seq 1 3 | produce -t one
	kcat-in -t one -o end -c 1 >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	# Produce until kcat-in has the one record it waits for.
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		echo "late $i" | produce -t one
	done
	wait "$pid"
	[ ! -s "$T/err" ]
	output=$(cat "$T/out")
	[[ $output =~ \"value\":\"late\ ([0-9]+)\" ]]
	i=${BASH_REMATCH[1]}
	check_ts one <<EOF
{"ts":<one/0/$((i + 3))>,"key":null,"value":"late $i","topic":"one","partition":0,"offset":$((i + 3))}
EOF
}

@test "kcat-in -o N starts each partition at offset N; beyond the end, at the end" {
	broker
	seq 1 5 | produce -t one
	run -0 --separate-stderr kcat-in -t one -e -o 3
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/3>,"key":null,"value":4,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":5,"topic":"one","partition":0,"offset":4}
EOF
	run -0 --separate-stderr kcat-in -t one -e -o 5
	[ -z "$output" ]
	run -0 --separate-stderr kcat-in -t one -e --offset=99
	[ -z "$output" ]
}

@test "kcat-in -o N applies to every partition" {
	broker
	produce_six
	run -0 --separate-stderr kcat-in -t four -e -o 1
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<four/2/1>,"key":null,"value":"m5","topic":"four","partition":2,"offset":1}
{"ts":<four/1/1>,"key":null,"value":"m6","topic":"four","partition":1,"offset":1}
EOF
}

@test "kcat-in -o -N starts N before each partition's end; more than it holds, at its beginning" {
	broker
	seq 1 5 | produce -t one
	run -0 --separate-stderr kcat-in -t one -e -o -2
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/3>,"key":null,"value":4,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":5,"topic":"one","partition":0,"offset":4}
EOF
	run -0 --separate-stderr kcat-in -t one -e -o -9
	check_ts <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value":4,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":5,"topic":"one","partition":0,"offset":4}
EOF
	produce_six
	run -0 --separate-stderr kcat-in -t four -e -o -1
	check_ts <<'EOF'
{"ts":<four/0/0>,"key":null,"value":"m3","topic":"four","partition":0,"offset":0}
{"ts":<four/3/0>,"key":null,"value":"m4","topic":"four","partition":3,"offset":0}
{"ts":<four/2/1>,"key":null,"value":"m5","topic":"four","partition":2,"offset":1}
{"ts":<four/1/1>,"key":null,"value":"m6","topic":"four","partition":1,"offset":1}
EOF
}

# Five kcat runs into topic two, each later than the one before:
#   partition 0: a1 a2 a3 (run A), b1 b2 (B), d1 d2 (D)
#   partition 1: c1 (C), e1 (E)
# and the times that the peer gives them: B0 and B1 the first and last of
# B, D0 the first of D, E1 the last of E.
produce_runs() {
	printf '%s\n' a1 a2 a3 | produce -t two -p 0
	printf '%s\n' b1 b2 | produce -t two -p 0
	echo c1 | produce -t two -p 1
	printf '%s\n' d1 d2 | produce -t two -p 0
	echo e1 | produce -t two -p 1
	peer_ts two
	B0=$(ts_of two 0 3)
	B1=$(ts_of two 0 4)
	D0=$(ts_of two 0 5)
	E1=$(ts_of two 1 1)
	(($(ts_of two 0 2) < B0 && B1 < $(ts_of two 1 0) &&
	    $(ts_of two 1 0) < D0 && $(ts_of two 0 6) < E1))
}

# ms since the epoch $1 in ISO 8601 at UTC offset $2 hours (0: Z).
iso() {
	local ms=$(($1 + $2 * 3600000)) zone=Z
	if (($2 != 0)); then
		zone=$(printf '%+03d:00' "$2")
	fi
	printf '%s.%03d%s\n' "$(date -u -d "@$((ms / 1000))" +%Y-%m-%dT%H:%M:%S)" \
	    $((ms % 1000)) "$zone"
}

@test "kcat-in -o @TIME (ms) starts each partition at the first message at or after TIME" {
	broker
	produce_runs
	run -0 --separate-stderr kcat-in -t two -e -o "@$B0"
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<two/0/3>,"key":null,"value":"b1","topic":"two","partition":0,"offset":3}
{"ts":<two/0/4>,"key":null,"value":"b2","topic":"two","partition":0,"offset":4}
{"ts":<two/1/0>,"key":null,"value":"c1","topic":"two","partition":1,"offset":0}
{"ts":<two/0/5>,"key":null,"value":"d1","topic":"two","partition":0,"offset":5}
{"ts":<two/0/6>,"key":null,"value":"d2","topic":"two","partition":0,"offset":6}
{"ts":<two/1/1>,"key":null,"value":"e1","topic":"two","partition":1,"offset":1}
EOF
	run -0 --separate-stderr kcat-in -t two -e -o "@$((B1 + 1))"
	check_ts <<'EOF'
{"ts":<two/1/0>,"key":null,"value":"c1","topic":"two","partition":1,"offset":0}
{"ts":<two/0/5>,"key":null,"value":"d1","topic":"two","partition":0,"offset":5}
{"ts":<two/0/6>,"key":null,"value":"d2","topic":"two","partition":0,"offset":6}
{"ts":<two/1/1>,"key":null,"value":"e1","topic":"two","partition":1,"offset":1}
EOF
}

@test "kcat-in -o @TIME before every message reads all, after every message none" {
	broker
	produce_runs
	run -0 --separate-stderr kcat-in -t two -e -o @0
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 9 ]
	run -0 --separate-stderr kcat-in -t two -e -o "@$((E1 + 1))"
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "kcat-in -o @TIME in ISO 8601, UTC" {
	broker
	produce_runs
	run -0 --separate-stderr kcat-in -t two -e -o "@$(iso "$D0" 0)"
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<two/0/5>,"key":null,"value":"d1","topic":"two","partition":0,"offset":5}
{"ts":<two/0/6>,"key":null,"value":"d2","topic":"two","partition":0,"offset":6}
{"ts":<two/1/1>,"key":null,"value":"e1","topic":"two","partition":1,"offset":1}
EOF
}

@test "kcat-in -o @TIME in ISO 8601 with a zone offset" {
	broker
	produce_runs
	run -0 --separate-stderr kcat-in -t two -e -o "@$(iso "$B0" 1)"
	[ -z "$stderr" ]
	check_ts <<'EOF'
{"ts":<two/0/3>,"key":null,"value":"b1","topic":"two","partition":0,"offset":3}
{"ts":<two/0/4>,"key":null,"value":"b2","topic":"two","partition":0,"offset":4}
{"ts":<two/1/0>,"key":null,"value":"c1","topic":"two","partition":1,"offset":0}
{"ts":<two/0/5>,"key":null,"value":"d1","topic":"two","partition":0,"offset":5}
{"ts":<two/0/6>,"key":null,"value":"d2","topic":"two","partition":0,"offset":6}
{"ts":<two/1/1>,"key":null,"value":"e1","topic":"two","partition":1,"offset":1}
EOF
}

# --- -e on a busy topic ---

@test "kcat-in -e exits at the end as of start-up while a producer keeps writing" {
	broker
	seq 1 1000 | produce -t four
	# One message per request: a second or two of writing.
	seq 1001 20000 | kcat -P -b "$KPIPE_BROKERS" -t four \
	    -X batch.num.messages=1 -X linger.ms=0 -X max.in.flight=1 3>&- &
	producer=$!
	PIDS+=("$producer")
	st=0
	kcat-in -t four -e >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 0 ]
	[ ! -s "$T/err" ]
	# kcat-in is done, and the producer still writing.
	kill -0 "$producer"
	wait "$producer"
	n=$(wc -l <"$T/out")
	echo "kcat-in read $n records"
	((n >= 1000 && n < 20000))
	# What it read is what kcat reads at those offsets, each partition
	# from its first offset with none left out.
	consume -t four -f '%p %o %s %T\n' >"$T/peer"
	sed 's/^{"ts":\([0-9]*\),"key":null,"value":\([0-9]*\),"topic":"four","partition":\([0-3]\),"offset":\([0-9]*\)}$/\3 \4 \2 \1/' \
	    "$T/out" >"$T/got"
	awk 'NR == FNR { peer[$1 " " $2] = $0; next }
	    !($1 " " $2 in peer) || peer[$1 " " $2] != $0 { print "not the peer'"'"'s: " $0; bad = 1 }
	    $2 != next_off[$1] + 0 { print "offset out of turn: " $0; bad = 1 }
	    { next_off[$1] = $2 + 1 }
	    END { exit bad }' "$T/peer" "$T/got"
}

# --- consumer groups ---

@test "kcat-in -g: two members split four partitions, no record read twice or missed" {
	broker
	local p o try a b
	for p in 0 1 2 3; do
		seq $((p * 10 + 1)) $((p * 10 + 10)) | produce -t four -p "$p"
	done
	peer_ts four
	for p in 0 1 2 3; do
		for o in $(seq 0 9); do
			printf '{"ts":<four/%d/%d>,"key":null,"value":%d,"topic":"four","partition":%d,"offset":%d}\n' \
			    "$p" "$o" $((p * 10 + o + 1)) "$p" "$o"
		done
	done | sed -f "$T/ts.sed" | sort >"$T/expect"
	for try in 1 2 3; do
		kcat-in -g "split$try" "${GROUP_X[@]}" -X debug=cgrp -t four -e \
		    >"$T/a" 2>"$T/a.err" 3>&- &
		a=$!
		kcat-in -g "split$try" "${GROUP_X[@]}" -X debug=cgrp -t four -e \
		    >"$T/b" 2>"$T/b.err" 3>&- &
		b=$!
		PIDS+=("$a" "$b")
		wait "$a"
		wait "$b"
		# librdkafka 2.0.2's mock at times refuses the second member's
		# SyncGroup; the group then rebalances, and the mock refuses
		# commits during a rebalance (a real broker takes them), so a
		# partition may be read again.  Only then try a new group.
		grep -q 'SyncGroup response: Broker: Invalid request' \
		    "$T/a.err" "$T/b.err" || break
		echo "try $try: the mock lost a SyncGroup"
	done
	sort "$T/a" "$T/b" | diff -u "$T/expect" -
	# Each member read some partitions, and no partition was read by both.
	[ -s "$T/a" ]
	[ -s "$T/b" ]
	sed 's/.*"partition":\([0-9]\).*/\1/' "$T/a" | sort -u >"$T/a.parts"
	sed 's/.*"partition":\([0-9]\).*/\1/' "$T/b" | sort -u >"$T/b.parts"
	[ -z "$(comm -12 "$T/a.parts" "$T/b.parts")" ]
}

@test "kcat-in -g commits on a clean exit what it wrote: -o stored goes on from there" {
	broker
	seq 1 5 | produce -t one
	# It has read past the third record, but commits only up to it.
	run -0 --separate-stderr kcat-in -g g "${GROUP_X[@]}" -c 3 -t one
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
EOF
	seq 6 7 | produce -t one
	run -0 --separate-stderr kcat-in -g g "${GROUP_X[@]}" -o stored -e -t one
	[ -z "$stderr" ]
	check_ts one <<'EOF'
{"ts":<one/0/3>,"key":null,"value":4,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":5,"topic":"one","partition":0,"offset":4}
{"ts":<one/0/5>,"key":null,"value":6,"topic":"one","partition":0,"offset":5}
{"ts":<one/0/6>,"key":null,"value":7,"topic":"one","partition":0,"offset":6}
EOF
}

@test "kcat-in -g: SIGTERM ends it with status 0 and commits what it wrote" {
	broker
	seq 1 5 | produce -t one
	mkfifo "$T/fifo"
	kcat-in -g g "${GROUP_X[@]}" -t one >"$T/fifo" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	exec 4<"$T/fifo"
	# The first record: the group has formed, and kcat-in is reading.
	IFS= read -r -t 30 first <&4
	kill -TERM "$pid"
	timeout 30 cat <&4 >"$T/rest"
	exec 4<&-
	wait "$pid"
	[ ! -s "$T/err" ]
	{ printf '%s\n' "$first"; cat "$T/rest"; } >"$T/given"
	# With -g, -o is stored by default: the second run starts after the
	# last record that the first one wrote (one at least, all five if it
	# had them before the signal), and reads what came since.
	seq 6 7 | produce -t one
	run -0 --separate-stderr kcat-in -g g "${GROUP_X[@]}" -e -t one
	[ -z "$stderr" ]
	echo "the first run wrote $(wc -l <"$T/given") records"
	output=$(cat "$T/given"; printf '%s\n' "$output")
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
{"ts":<one/0/3>,"key":null,"value":4,"topic":"one","partition":0,"offset":3}
{"ts":<one/0/4>,"key":null,"value":5,"topic":"one","partition":0,"offset":4}
{"ts":<one/0/5>,"key":null,"value":6,"topic":"one","partition":0,"offset":5}
{"ts":<one/0/6>,"key":null,"value":7,"topic":"one","partition":0,"offset":6}
EOF
}

@test "kcat-in -g: SIGTERM while a slow reader holds it up still exits 0 and commits" {
	broker
	seq 1 20000 | produce -t one
	mkfifo "$T/fifo"
	kcat-in -g g "${GROUP_X[@]}" -t one >"$T/fifo" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	exec 4<"$T/fifo"
	# Read one line: kcat-in fills the pipe behind it and waits on it.
	IFS= read -r -t 30 first <&4
	kill -TERM "$pid"
	timeout 30 cat <&4 >"$T/rest"
	exec 4<&-
	st=0
	wait "$pid" || st=$?
	[ ! -s "$T/err" ]
	[ "$st" -eq 0 ]
	{ printf '%s\n' "$first"; cat "$T/rest"; } >"$T/given"
	n=$(wc -l <"$T/given")
	((n < 20000))
	kcat-in -g g "${GROUP_X[@]}" -e -t one >"$T/after"
	# Every record once: what it wrote, then the rest from the commit.
	cat "$T/given" "$T/after" |
	    sed 's/^{"ts":[0-9]*,"key":null,"value":\([0-9]*\),"topic":"one","partition":0,"offset":\([0-9]*\)}$/\1 \2/' >"$T/got"
	seq 1 20000 | awk '{ print $1, $1 - 1 }' | diff -u - "$T/got"
}

@test "kcat-in: SIGINT ends it with status 0, the records it made written out whole" {
	broker
	seq 1 3 | produce -t one
	mkfifo "$T/fifo"
	kcat-in -t one >"$T/fifo" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	exec 4<"$T/fifo"
	IFS= read -r -t 30 first <&4
	kill -INT "$pid"
	timeout 30 cat <&4 >"$T/rest"
	exec 4<&-
	wait "$pid"
	[ ! -s "$T/err" ]
	output=$(printf '%s\n' "$first"; cat "$T/rest")
	# The first records, in order: as many as it had made by then.
	k=$(printf '%s\n' "$output" | wc -l)
	peer_ts one
	sed -f "$T/ts.sed" <<'EOF' | head -n "$k" | check_output
{"ts":<one/0/0>,"key":null,"value":1,"topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":2,"topic":"one","partition":0,"offset":1}
{"ts":<one/0/2>,"key":null,"value":3,"topic":"one","partition":0,"offset":2}
EOF
}

# --- --idle ---

@test "kcat-in --idle: no tick before the first record, then one after each quiet DURATION" {
	broker
	mkfifo "$T/fifo"
	kcat-in --idle 200ms -t one >"$T/fifo" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	exec 4<"$T/fifo"
	# No stream time yet, so no tick, while the topic stays empty.
	st=0
	IFS= read -r -t 1 line <&4 || st=$?
	((st > 128))
	echo hello | produce -t one
	IFS= read -r -t 30 record <&4
	IFS= read -r -t 30 tick1 <&4
	IFS= read -r -t 30 tick2 <&4
	kill -TERM "$pid"
	timeout 30 cat <&4 >/dev/null
	exec 4<&-
	wait "$pid"
	[ ! -s "$T/err" ]
	peer_ts one
	ts=$(ts_of one 0 0)
	# Stream time advances by the wall time that passed: at least the
	# quiet DURATION each time.
	[[ $tick1 =~ ^\{\"@\":\"tick\",\"ts\":([0-9]+)\}$ ]]
	t1=${BASH_REMATCH[1]}
	[[ $tick2 =~ ^\{\"@\":\"tick\",\"ts\":([0-9]+)\}$ ]]
	t2=${BASH_REMATCH[1]}
	echo "record $ts, ticks $t1 $t2"
	((t1 - ts >= 200 && t1 - ts < 10000))
	((t2 - t1 >= 200 && t2 - t1 < 10000))
	output=$(printf '%s\n' "$record" "${tick1/$t1/T1}" "${tick2/$t2/T2}")
	check_ts <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"hello","topic":"one","partition":0,"offset":0}
{"@":"tick","ts":T1}
{"@":"tick","ts":T2}
EOF
}

@test "kcat-in --idle: ticks do not count for -c" {
	broker
	echo hello | produce -t one
	mkfifo "$T/fifo"
	kcat-in --idle 100ms -c 2 -t one >"$T/fifo" 2>"$T/err" 3>&- &
	pid=$!
	PIDS+=("$pid")
	exec 4<"$T/fifo"
	IFS= read -r -t 30 record <&4
	IFS= read -r -t 30 tick1 <&4
	IFS= read -r -t 30 tick2 <&4
	# Two ticks, and kcat-in still waits for its second record.
	kill -0 "$pid"
	echo world | produce -t one
	timeout 30 cat <&4 >"$T/rest"
	exec 4<&-
	wait "$pid"
	[ ! -s "$T/err" ]
	[[ $tick1 == '{"@":"tick","ts":'* ]]
	[[ $tick2 == '{"@":"tick","ts":'* ]]
	# Whatever ticks came before it, the second record ends the run.
	output=$(printf '%s\n' "$record"; grep -v '^{"@":"tick"' "$T/rest")
	check_ts one <<'EOF'
{"ts":<one/0/0>,"key":null,"value":"hello","topic":"one","partition":0,"offset":0}
{"ts":<one/0/1>,"key":null,"value":"world","topic":"one","partition":0,"offset":1}
EOF
	[ "$(tail -n 1 "$T/rest")" = "$(sed -n 2p <<<"$output")" ]
}
