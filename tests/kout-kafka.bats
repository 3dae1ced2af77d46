#!/usr/bin/env bats
# kout's Kafka side: records produced to topics on a kbroker, read back with
# kcat (Debian's kcat package), the peer that is the oracle.

load helper
load kafka

setup() {
	cd "$FIX"
	T=$BATS_TEST_TMPDIR
	unset KPIPE_BROKERS KBROKER_PID
}

teardown() {
	kbroker_stop
}

# What kcat reads from topic $1, as kcat -J prints it, in partition and
# offset order (the tests keep under ten messages in a partition).
kcat_json() {
	kcat -C -q -e -J -b "$KPIPE_BROKERS" -t "$1" >"$T/kcat.out" &&
	    sort "$T/kcat.out"
}

# What kcat reads from topic $1 through its -f format $2, sorted.
kcat_fmt() {
	kcat -C -q -e -b "$KPIPE_BROKERS" -t "$1" -f "$2" >"$T/kcat.out" &&
	    sort "$T/kcat.out"
}

usage() {
	usage_of kout
}

# --- usage errors ---

@test "kout -h shows the Kafka form of the usage" {
	run -0 --separate-stderr kout -h
	usage | check_output
	[ -z "$stderr" ]
}

@test "kout -t and --topic-from exclude each other" {
	run -2 --separate-stderr kout -t a --topic-from '"b"' kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -t and --topic-from exclude each other"; usage; } |
	    check_stderr
}

@test "kout -t and -o exclude each other" {
	run -2 --separate-stderr kout -t a -o "$T/out" kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -t and -o exclude each other"; usage; } | check_stderr
	[ ! -e "$T/out" ]
}

@test "kout -t and --format exclude each other" {
	run -2 --separate-stderr kout --format value -t a kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -t and --format exclude each other"; usage; } |
	    check_stderr
}

@test "kout --topic-from and -o exclude each other" {
	run -2 --separate-stderr kout --topic-from .topic -o "$T/out" kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --topic-from and -o exclude each other"; usage; } |
	    check_stderr
}

@test "kout --topic-from and --format exclude each other" {
	run -2 --separate-stderr kout --topic-from .topic --format json kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --topic-from and --format exclude each other"; usage; } |
	    check_stderr
}

@test "kout -b, -m, -p and -X need -t or --topic-from" {
	run -2 --separate-stderr kout -b localhost:9092 kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -b needs -t or --topic-from"; usage; } | check_stderr
	run -2 --separate-stderr kout --brokers=localhost:9092 kout-two.jsonl
	{ echo "kout: -b needs -t or --topic-from"; usage; } | check_stderr
	run -2 --separate-stderr kout -m 5 kout-two.jsonl
	{ echo "kout: -m needs -t or --topic-from"; usage; } | check_stderr
	run -2 --separate-stderr kout -p 0 kout-two.jsonl
	{ echo "kout: -p needs -t or --topic-from"; usage; } | check_stderr
	run -2 --separate-stderr kout -X acks=1 kout-two.jsonl
	{ echo "kout: -X needs -t or --topic-from"; usage; } | check_stderr
}

@test "kout --arg and --argjson need --topic-from" {
	run -2 --separate-stderr kout -t a --arg x 1 kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --arg needs --topic-from"; usage; } | check_stderr
	run -2 --separate-stderr kout --argjson x 1 kout-two.jsonl
	{ echo "kout: --argjson needs --topic-from"; usage; } | check_stderr
}

@test "kout -t with an illegal topic name is a usage error" {
	run -2 --separate-stderr kout -t 'no spaces' kout-two.jsonl
	[ -z "$output" ]
	{
		echo "kout: -t 'no spaces': a topic name holds only letters, digits, '.', '_' and '-'"
		usage
	} | check_stderr
	run -2 --separate-stderr kout -t '' kout-two.jsonl
	{ echo "kout: -t '': an empty topic name"; usage; } | check_stderr
	run -2 --separate-stderr kout -t .. kout-two.jsonl
	{ echo "kout: -t '..': '.' and '..' are not topic names"; usage; } |
	    check_stderr
	run -2 --separate-stderr kout -t "$(printf 'x%.0s' {1..250})" kout-two.jsonl
	{
		echo "kout: -t '$(printf 'x%.0s' {1..250})': a topic name longer than 249 bytes"
		usage
	} | check_stderr
}

@test "kout -m takes whole seconds from 1 to 86400" {
	run -2 --separate-stderr kout -t a -m 0 kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -m '0': not 1 to 86400 seconds"; usage; } |
	    check_stderr
	run -2 --separate-stderr kout -t a -m 86401 kout-two.jsonl
	{ echo "kout: -m '86401': not 1 to 86400 seconds"; usage; } |
	    check_stderr
	run -2 --separate-stderr kout -t a -m 1.5 kout-two.jsonl
	{ echo "kout: -m '1.5': not a count"; usage; } | check_stderr
}

@test "kout -p takes a partition number" {
	run -2 --separate-stderr kout -t a -p x kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -p 'x': not a count"; usage; } | check_stderr
	run -2 --separate-stderr kout -t a -p -1 kout-two.jsonl
	{ echo "kout: -p '-1': not a count"; usage; } | check_stderr
	run -2 --separate-stderr kout -t a -p 2147483648 kout-two.jsonl
	{ echo "kout: -p '2147483648': not a partition"; usage; } | check_stderr
}

@test "kout -X with an unknown property or a bad value exits 2" {
	run -2 --separate-stderr kout -t a -X no.such.property=1 kout-two.jsonl
	[ -z "$output" ]
	[ "$stderr" = 'kout: -X no.such.property=1: No such configuration property: "no.such.property"' ]
	run -2 --separate-stderr kout -t a -X acks=lots kout-two.jsonl
	[ "$stderr" = 'kout: -X acks=lots: Invalid value for configuration property "request.required.acks"' ]
}

@test "kout -X without NAME=VALUE is a usage error" {
	run -2 --separate-stderr kout -t a -X acks kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: -X 'acks': not NAME=VALUE"; usage; } | check_stderr
}

@test "kout --topic-from that does not compile exits 2 with jq's message" {
	run -2 --separate-stderr kout --topic-from 'nosuch(1)' kout-two.jsonl
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: --topic-from: jq: error: nosuch/1 is not defined at <top-level>, line 1:
nosuch(1); jq: 1 compile error
EOF
}

@test "kout --argjson with bad JSON exits 2" {
	run -2 --separate-stderr kout --argjson n '[1,' --topic-from '$n' kout-two.jsonl
	[ -z "$output" ]
	{ echo "kout: --argjson n: invalid JSON text '[1,'"; usage; } |
	    check_stderr
}

# --- brokers ---

@test "kout -t with no broker listening exits 4 within -m seconds" {
	start=$SECONDS
	run -4 --separate-stderr kout -t a -b 127.0.0.1:1 -m 1 kout-two.jsonl
	[ $((SECONDS - start)) -le 3 ]
	[ -z "$output" ]
	[ "$stderr" = "kout: brokers '127.0.0.1:1': no answer within 1s: Local: Broker transport failure" ]
}

@test "kout --topic-from with no broker listening exits 4 within -m seconds" {
	start=$SECONDS
	run -4 --separate-stderr kout --topic-from .topic -b 127.0.0.1:1 -m 1 \
	    kout-two.jsonl
	[ $((SECONDS - start)) -le 3 ]
	[ -z "$output" ]
	[ "$stderr" = "kout: brokers '127.0.0.1:1': no answer within 1s: Local: Broker transport failure" ]
}

@test "kout -t of a missing FILE exits 1 before it asks a broker" {
	run -1 --separate-stderr kout -t a -b 127.0.0.1:1 -m 60 kout-no-such-file.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kout: 'kout-no-such-file.jsonl': No such file or directory" ]
}

@test "kout takes the brokers from KPIPE_BROKERS without -b" {
	start=$SECONDS
	KPIPE_BROKERS=127.0.0.1:1 run -4 --separate-stderr kout -t a -m 1 \
	    kout-two.jsonl
	[ $((SECONDS - start)) -le 3 ]
	[ "$stderr" = "kout: brokers '127.0.0.1:1': no answer within 1s: Local: Broker transport failure" ]
}

@test "kout -b overrides KPIPE_BROKERS" {
	kbroker_start -t two:1
	good=$KPIPE_BROKERS
	KPIPE_BROKERS=127.0.0.1:1 run -0 --separate-stderr kout -t two \
	    -b "$good" kout-two.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt two '%T %s\n'
	check_output <<'EOF'
1 a
2 b
EOF
}

# --- key and value bytes, timestamps, headers: kcat reads them ---

@test "kout -t: values are their bytes: JSON as it came, text, quoted, empty, NULL" {
	kbroker_start -t v:1
	run -0 --separate-stderr kout -t v kout-kafka-values.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_json v
	check_output <<'EOF'
{"topic":"v","partition":0,"offset":0,"tstype":"create","ts":1700000000001,"broker":1,"key":"json","payload":"{\"b\": 2,  \"a\":[1, 2.50]}"}
{"topic":"v","partition":0,"offset":1,"tstype":"create","ts":1700000000002,"broker":1,"key":"big","payload":"12345678901234567890123"}
{"topic":"v","partition":0,"offset":2,"tstype":"create","ts":1700000000003,"broker":1,"key":"text","payload":"café a\tb"}
{"topic":"v","partition":0,"offset":3,"tstype":"create","ts":1700000000004,"broker":1,"key":"quoted","payload":"\"quoted\""}
{"topic":"v","partition":0,"offset":4,"tstype":"create","ts":1700000000005,"broker":1,"key":"empty","payload":""}
{"topic":"v","partition":0,"offset":5,"tstype":"create","ts":1700000000006,"broker":1,"key":"null","payload":null}
{"topic":"v","partition":0,"offset":6,"tstype":"create","ts":1700000000007,"broker":1,"key":"absent","payload":null}
{"topic":"v","partition":0,"offset":7,"tstype":"create","ts":1700000000008,"broker":1,"key":"null-text","payload":"null"}
{"topic":"v","partition":0,"offset":8,"tstype":"create","ts":1700000000009,"broker":1,"key":"true","payload":"true"}
EOF
}

@test "kout -t: keys are their bytes; null and absent keys are NULL" {
	kbroker_start -t k:1
	run -0 --separate-stderr kout -t k kout-kafka-keys.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_json k
	check_output <<'EOF'
{"topic":"k","partition":0,"offset":0,"tstype":"create","ts":1,"broker":1,"key":"k","payload":"string key"}
{"topic":"k","partition":0,"offset":1,"tstype":"create","ts":2,"broker":1,"key":"{\"id\": 7}","payload":"JSON key"}
{"topic":"k","partition":0,"offset":2,"tstype":"create","ts":3,"broker":1,"key":"42","payload":"number key"}
{"topic":"k","partition":0,"offset":3,"tstype":"create","ts":4,"broker":1,"key":"","payload":"empty key"}
{"topic":"k","partition":0,"offset":4,"tstype":"create","ts":5,"broker":1,"key":null,"payload":"null key"}
{"topic":"k","partition":0,"offset":5,"tstype":"create","ts":6,"broker":1,"key":null,"payload":"no key"}
EOF
}

@test "kout -t: key_base64 and value_base64 are sent as their bytes" {
	kbroker_start -t bin:1
	run -0 --separate-stderr kout -t bin kout-kafka-binary.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	kcat -C -q -e -b "$KPIPE_BROKERS" -t bin -f '%K:%k|%S:%s|' >"$T/actual"
	printf '3:\000\001\377|5:\377\000\nhi|1:k|0:|1:k|3:hi?|' >"$T/expect"
	cmp "$T/expect" "$T/actual"
}

@test "kout -t: ts is the message timestamp" {
	kbroker_start -t ts:1
	printf '%s\n' '{"ts":1,"value":"a"}' '{"value":"b","ts":1795530600000}' \
	    '{"ts":253402300799999,"value":"c"}' >"$T/in.jsonl"
	run -0 --separate-stderr kout -t ts "$T/in.jsonl"
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt ts '%T %s\n'
	check_output <<'EOF'
1 a
1795530600000 b
253402300799999 c
EOF
}

@test "kout -t: a record without ts, or with null, is stamped when sent" {
	kbroker_start -t now:1
	before=$(($(date +%s) * 1000))
	run -0 --separate-stderr kout -t now - \
	    <<<$'{"value":"no ts"}\n{"ts":null,"value":"null ts"}'
	after=$(($(date +%s) * 1000 + 1000))
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt now '%T\n'
	[ "${#lines[@]}" -eq 2 ]
	for ts in "${lines[@]}"; do
		[ "$ts" -ge "$before" ] && [ "$ts" -le "$after" ]
	done
}

@test "kout -t: headers in order, repeats kept, null a NULL value, other JSON its text" {
	kbroker_start -t h:1
	run -0 --separate-stderr kout -t h kout-kafka-headers.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_json h
	check_output <<'EOF'
{"topic":"h","partition":0,"offset":0,"tstype":"create","ts":1,"broker":1,"headers":["a","1","b",null,"a","2","","","n","x\"y","num","3","obj","{\"z\": 1}"],"key":"k","payload":"v"}
{"topic":"h","partition":0,"offset":1,"tstype":"create","ts":2,"broker":1,"key":"k","payload":"v"}
{"topic":"h","partition":0,"offset":2,"tstype":"create","ts":3,"broker":1,"key":"k","payload":"v"}
{"topic":"h","partition":0,"offset":3,"tstype":"create","ts":4,"broker":1,"key":"k","payload":"v"}
EOF
}

@test "kcat-in -e | kout -t copies a topic kcat wrote: payloads, keys, ts, headers, partitions" {
	kbroker_start -t src:2 -t copy:2
	# kcat with Java's partitioner, so that keys have the same partitions.
	kp() {
		kcat -P -b "$KPIPE_BROKERS" -t src -X partitioner=murmur2_random "$@"
	}
	printf '%s\n' 'k1:{"x": 1,  "n":12345678901234567890}' 'k2:text' \
	    'k3:"quoted"' 'k4:' 'k5:null' | kp -K:
	printf 'k6:\n' | kp -K: -Z
	printf '\377\000bin' | kp -k k7
	printf 'k8:with headers\n' | kp -K: -H a=1 -H a=2 -H b=
	kcat-in -t src -e >"$T/src.jsonl"
	run -0 --separate-stderr kout -t copy "$T/src.jsonl"
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_json src
	printf '%s\n' "$output" | sed 's/"topic":"src"/"topic":"copy"/' >"$T/expect"
	[ "${#lines[@]}" -eq 8 ]
	run -0 --separate-stderr kcat_json copy
	printf '%s\n' "$output" >"$T/actual"
	diff -u "$T/expect" "$T/actual"
}

# --- partitions ---

@test "kout -t: keys land where Java's murmur2 puts them (Kafka's UtilsTest vectors)" {
	kbroker_start -t m4:4 -t m7:7
	# Utils.murmur2 of each key, from Kafka's UtilsTest.testMurmur2, and
	# (h & 0x7fffffff) % partitions worked out by hand:
	#   21                         -973932308  % 4 = 0  % 7 = 3
	#   foobar                     -790332482  % 4 = 2  % 7 = 0
	#   a-little-bit-long-string   -985981536  % 4 = 0  % 7 = 1
	#   a-little-bit-longer-string -1486304829 % 4 = 3  % 7 = 0
	#   lkjh234lh9fiuh90y23...h8   -58897971   % 4 = 1  % 7 = 3
	#   abc                        479470107   % 4 = 3  % 7 = 4
	# The records' own "partition" (6) is provenance, not a target.
	run -0 --separate-stderr kout -t m4 kout-kafka-murmur2.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kout -t m7 kout-kafka-murmur2.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt m4 '%k %p\n'
	check_output <<'EOF'
21 0
a-little-bit-long-string 0
a-little-bit-longer-string 3
abc 3
foobar 2
lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8 1
EOF
	run -0 --separate-stderr kcat_fmt m7 '%k %p\n'
	check_output <<'EOF'
21 3
a-little-bit-long-string 1
a-little-bit-longer-string 0
abc 4
foobar 0
lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8 3
EOF
}

@test "kout -X partitioner= overrides murmur2 (consistent: CRC-32 of the key)" {
	kbroker_start -t c7:7
	# The CRC-32 of each key (zlib's crc32), % 7 by hand:
	# 21 4252452532 % 7 = 6, foobar 2666930069 % 7 = 6,
	# abc 891568578 % 7 = 5 (murmur2 would give 3, 0 and 4).
	printf '%s\n' '{"key":"21","value":1}' '{"key":"foobar","value":2}' \
	    '{"key":"abc","value":3}' >"$T/in.jsonl"
	run -0 --separate-stderr kout -t c7 -X partitioner=consistent "$T/in.jsonl"
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt c7 '%k %p\n'
	check_output <<'EOF'
21 6
abc 5
foobar 6
EOF
}

@test "kout -p sends every record to one partition" {
	kbroker_start -t p4:4
	run -0 --separate-stderr kout -t p4 -p 2 kout-kafka-murmur2.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt p4 '%p %o %k\n'
	check_output <<'EOF'
2 0 21
2 1 foobar
2 2 a-little-bit-long-string
2 3 a-little-bit-longer-string
2 4 lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8
2 5 abc
EOF
}

@test "kout --partition=N is -p N" {
	kbroker_start -t p4:4
	run -0 --separate-stderr kout --topic=p4 --partition=3 kout-two.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt p4 '%p %s\n'
	check_output <<'EOF'
3 a
3 b
EOF
}

# --- --topic-from ---

@test "kout --topic-from splits records between two topics" {
	kbroker_start -t orders-aapl:1 -t orders-nvda:1
	run -0 --separate-stderr kout \
	    --topic-from '"orders-" + (.value.sym | ascii_downcase)' \
	    kout-kafka-split.jsonl
	[ -z "$output" ]
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt orders-aapl '%t %o %k %s\n'
	check_output <<'EOF'
orders-aapl 0 o-1 {"sym":"AAPL","qty":1}
orders-aapl 1 o-3 {"sym":"AAPL","qty":3}
EOF
	run -0 --separate-stderr kcat_fmt orders-nvda '%t %o %k %s\n'
	check_output <<'EOF'
orders-nvda 0 o-2 {"sym":"NVDA","qty":2}
orders-nvda 1 o-4 {"sym":"NVDA","qty":4}
EOF
}

@test "kout --topic-from reads --arg, --argjson and \$record" {
	kbroker_start -t x-AAPL:1 -t x-NVDA:1
	run -0 --separate-stderr kout --arg pre x- --argjson n 2 \
	    --topic-from 'if $record.value.qty > $n then $pre + "NVDA" else $pre + .value.sym end' \
	    kout-kafka-split.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt x-AAPL '%k\n'
	check_output <<'EOF'
o-1
EOF
	run -0 --separate-stderr kcat_fmt x-NVDA '%k\n'
	check_output <<'EOF'
o-2
o-3
o-4
EOF
}

@test "kout --topic-from giving no legal topic name is bad input" {
	kbroker_start -t good:1
	run -0 --separate-stderr kout --on-error skip --topic-from .value.to \
	    kout-kafka-topics.jsonl
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: kout-kafka-topics.jsonl:2: --topic-from gave 42, not a topic name (skipped)
kout: kout-kafka-topics.jsonl:3: --topic-from gave "bad topic": a topic name holds only letters, digits, '.', '_' and '-' (skipped)
kout: kout-kafka-topics.jsonl:4: --topic-from gave null, not a topic name (skipped)
kout: kout-kafka-topics.jsonl:5: --topic-from gave "..": '.' and '..' are not topic names (skipped)
kout: skipped 4 bad lines
EOF
	run -0 --separate-stderr kcat_fmt good '%k\n'
	check_output <<'EOF'
a
f
EOF
}

@test "kout --topic-from with no output, or a jq error, is bad input" {
	kbroker_start -t good:1
	run -1 --separate-stderr kout --topic-from 'select(.key == "a") | "good"' \
	    kout-kafka-topics.jsonl
	[ "$stderr" = "kout: kout-kafka-topics.jsonl:2: --topic-from gave no output" ]
	run -1 --separate-stderr kout --topic-from '.value.to | ascii_downcase' \
	    kout-kafka-topics.jsonl
	[ "$stderr" = "kout: kout-kafka-topics.jsonl:2: jq: error: explode input must be a string" ]
	# What came before the bad line was delivered, once for each run.
	run -0 --separate-stderr kcat_fmt good '%o %k\n'
	check_output <<'EOF'
0 a
1 a
EOF
}

# --- bad input ---

@test "kout -t --on-error skip: bad headers, ts and base64 are named and skipped" {
	kbroker_start -t bad:1
	run -0 --separate-stderr kout -t bad --on-error skip kout-kafka-bad.jsonl
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: kout-kafka-bad.jsonl:2: headers: not [["name","value"],...] (skipped)
kout: kout-kafka-bad.jsonl:3: headers: not [["name","value"],...] (skipped)
kout: kout-kafka-bad.jsonl:4: headers: not [["name","value"],...] (skipped)
kout: kout-kafka-bad.jsonl:5: headers: not [["name","value"],...] (skipped)
kout: kout-kafka-bad.jsonl:6: ts is not an integer (skipped)
kout: kout-kafka-bad.jsonl:7: ts is not an integer (skipped)
kout: kout-kafka-bad.jsonl:8: ts is negative (skipped)
kout: kout-kafka-bad.jsonl:9: value_base64: not base64 (skipped)
kout: kout-kafka-bad.jsonl:10: key_base64: not base64 (skipped)
kout: kout-kafka-bad.jsonl:11: not a JSON object: unexpected 'n' at column 1 (skipped)
kout: skipped 10 bad lines
EOF
	run -0 --separate-stderr kcat_fmt bad '%T %s\n'
	check_output <<'EOF'
1 first
10 last
EOF
}

@test "kout -t --on-error fail: the first bad record exits 1, the ones before delivered" {
	kbroker_start -t bad:1
	run -1 --separate-stderr kout -t bad - <kout-kafka-bad.jsonl
	[ -z "$output" ]
	[ "$stderr" = 'kout: line 2: headers: not [["name","value"],...]' ]
	run -0 --separate-stderr kcat_fmt bad '%s\n'
	check_output <<'EOF'
first
EOF
}

@test "kout -t --on-error FILE: bad records appended as dead letters" {
	kbroker_start -t bad:1
	printf '%s\n' '{"ts":1,"value":"ok"}' '{"ts":-1,"value":"v"}' >"$T/in.jsonl"
	run -0 --separate-stderr kout -t bad --on-error "$T/dead.jsonl" - <"$T/in.jsonl"
	[ "$stderr" = "kout: wrote 1 bad line to '$T/dead.jsonl'" ]
	cat >"$T/expect" <<'EOF'
{"reason":"ts is negative","source":"-","line":2,"input":"{\"ts\":-1,\"value\":\"v\"}"}
EOF
	diff -u "$T/expect" "$T/dead.jsonl"
}

# --- delivery ---

@test "kout -t: a message larger than message.max.bytes exits 4 naming its line" {
	kbroker_start -t big:1
	{
		echo '{"ts":1,"value":"before"}'
		printf '{"ts":2,"value":"%s"}\n' "$(printf 'x%.0s' {1..2000})"
		echo '{"ts":3,"value":"after"}'
	} >"$T/in.jsonl"
	run -4 --separate-stderr kout -t big -X message.max.bytes=1000 - <"$T/in.jsonl"
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: line 2: not delivered to 'big': Broker: Message size too large
kout: 1 record not delivered
EOF
	# Nothing after the failed record is sent.
	run -0 --separate-stderr kcat_fmt big '%T %s\n'
	check_output <<'EOF'
1 before
EOF
}

@test "kout -p to a partition the topic does not have exits 4 naming the line" {
	kbroker_start -t p4:4
	run -4 --separate-stderr kout -t p4 -p 7 kout-kafka-murmur2.jsonl
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: kout-kafka-murmur2.jsonl:1: not delivered to 'p4' [7]: Local: Unknown partition
kout: 1 record not delivered
EOF
}

@test "kout --topic-from: a failed delivery report exits 4 naming the line" {
	kbroker_start -t p4:4
	# A topic kout meets first in the stream: the partition is checked
	# only when its metadata comes, and the failure in a delivery report.
	run -4 --separate-stderr kout --topic-from '"p4"' -p 9 - \
	    <<<'{"ts":1,"value":"v"}'
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: line 1: not delivered to 'p4' [9]: Local: Unknown partition
kout: 1 record not delivered
EOF
}

@test "kout -t waits for room when librdkafka's queue is full, and loses nothing" {
	kbroker_start -t many:1
	seq 1 5000 | sed 's/.*/{"key":"k","value":&}/' >"$T/in.jsonl"
	# Room for ten messages, sent without lingering: the queue is full
	# hundreds of times.
	run -0 --separate-stderr kout -t many -X queue.buffering.max.messages=10 \
	    -X linger.ms=0 "$T/in.jsonl"
	[ -z "$stderr" ]
	kcat -C -q -e -b "$KPIPE_BROKERS" -t many -f '%s\n' >"$T/actual"
	seq 1 5000 >"$T/expect"
	cmp "$T/expect" "$T/actual"
}

@test "kout -t -v: records in, delivered, bad" {
	kbroker_start -t bad:1
	run -0 --separate-stderr kout -t bad -v -q --on-error skip kout-kafka-bad.jsonl
	[ -z "$output" ]
	check_stderr <<'EOF'
kout: 11 records in, 2 out, 10 bad
kout: skipped 10 bad lines
EOF
}

# --- control records ---

@test "kout -t never produces control records, and stops at end" {
	kbroker_start -t ctl:1
	run -0 --separate-stderr kout -t ctl kout-control.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kout -t ctl kout-end.jsonl
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt ctl '%o %s\n'
	check_output <<'EOF'
0 a
1 b
2 c
3 before
EOF
}

@test "kout -t after resume, input without end exits 3 once the records are delivered" {
	kbroker_start -t rne:1
	run -3 --separate-stderr kout -t rne kout-resume-no-end.jsonl
	[ -z "$output" ]
	[ "$stderr" = 'kout: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	run -0 --separate-stderr kcat_fmt rne '%s\n'
	check_output <<'EOF'
a
b
EOF
}

@test "kout -t --on-error fail: a line that is not JSON exits 1, the records before delivered" {
	kbroker_start -t notjson:1
	printf '%s\n' '{"value":"one"}' '{"value":"two"}' 'not json' '{"value":"after"}' >"$T/in"
	run -1 --separate-stderr kout -t notjson "$T/in"
	[ -z "$output" ]
	[ "$stderr" = "kout: $T/in:3: not a JSON object: unexpected 'n' at column 1" ]
	run -0 --separate-stderr kcat_fmt notjson '%s\n'
	check_output <<'EOF2'
one
two
EOF2
}

# --- -s and --eos: the exactly-once sink ---

# The ID of the kpipe.seq headers in topic $1, from its first message (whose
# header is the last one, "kpipe.seq=ID:SEQ").
seq_id() {
	kcat -C -q -e -c 1 -b "$KPIPE_BROKERS" -t "$1" -f '%h' |
	    sed 's/.*kpipe\.seq=\([^:]*\):.*/\1/'
}

@test "kout --eos -t: each message gets kpipe.seq ID:SEQ after its own headers, SEQ from 1 across runs" {
	kbroker_start -t eos:1
	cat >"$T/run1" <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":"one","headers":[["src","web"]]}
{"ts":2,"key":"b","value":"two"}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kout -s "$T/st" -t eos --eos "$T/run1"
	[ -z "$output" ]
	[ -z "$stderr" ]
	id=$(seq_id eos)
	[[ $id =~ ^[0-9a-f]{16}$ ]]
	[ "$(cat "$T/st/checkpoint")" = '{"epoch":1,"offsets":{"in":{"0":2}},"seq":2,"ends":{"eos":{"0":2}}}' ]
	# The next run goes on with the same ID and the next SEQ.
	printf '%s\n' '{"@":"resume","epoch":1}' '{"ts":3,"key":"c","value":"three"}' \
	    '{"@":"barrier","epoch":2,"offsets":{"in":{"0":3}}}' '{"@":"end"}' >"$T/run2"
	run -0 --separate-stderr kout -s "$T/st" -t eos --eos "$T/run2"
	[ -z "$stderr" ]
	run -0 --separate-stderr kcat_fmt eos '%o %k %s [%h]\n'
	check_output <<EOF
0 a one [src=web,kpipe.seq=$id:1]
1 b two [kpipe.seq=$id:2]
2 c three [kpipe.seq=$id:3]
EOF
	[ "$(cat "$T/st/checkpoint")" = '{"epoch":2,"offsets":{"in":{"0":3}},"seq":3,"ends":{"eos":{"0":3}}}' ]
}

@test "kout --eos -t: a rerun after a crash leaves each record in the topic once" {
	kbroker_start -t once:1
	# The first run: barrier 1 after two records, then three more, and the
	# stream stops without end, as when the process upstream dies.
	cat >"$T/run1" <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"k1","value":1}
{"ts":2,"key":"k2","value":2}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":3,"key":"k3","value":3}
{"ts":4,"key":"k4","value":4}
{"ts":5,"key":"k5","value":5}
EOF
	run -3 --separate-stderr kout -s "$T/st" -t once --eos "$T/run1"
	[ -z "$output" ]
	[ "$stderr" = 'kout: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	# The run after resumes at epoch 1: the same three records again, two
	# more, and the end.
	cat >"$T/run2" <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"k3","value":3}
{"ts":4,"key":"k4","value":4}
{"ts":5,"key":"k5","value":5}
{"ts":6,"key":"k6","value":6}
{"ts":7,"key":"k7","value":7}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":7}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kout -s "$T/st" -t once --eos "$T/run2"
	[ -z "$output" ]
	[ "$stderr" = 'kout: skipped 3 records already written before a restart' ]
	id=$(seq_id once)
	[[ $id =~ ^[0-9a-f]{16}$ ]]
	run -0 --separate-stderr kcat-in -t once -e -X isolation.level=read_committed
	check_output <<EOF
{"ts":1,"key":"k1","value":1,"headers":[["kpipe.seq","$id:1"]],"topic":"once","partition":0,"offset":0}
{"ts":2,"key":"k2","value":2,"headers":[["kpipe.seq","$id:2"]],"topic":"once","partition":0,"offset":1}
{"ts":3,"key":"k3","value":3,"headers":[["kpipe.seq","$id:3"]],"topic":"once","partition":0,"offset":2}
{"ts":4,"key":"k4","value":4,"headers":[["kpipe.seq","$id:4"]],"topic":"once","partition":0,"offset":3}
{"ts":5,"key":"k5","value":5,"headers":[["kpipe.seq","$id:5"]],"topic":"once","partition":0,"offset":4}
{"ts":6,"key":"k6","value":6,"headers":[["kpipe.seq","$id:6"]],"topic":"once","partition":0,"offset":5}
{"ts":7,"key":"k7","value":7,"headers":[["kpipe.seq","$id:7"]],"topic":"once","partition":0,"offset":6}
EOF
	[ -z "$stderr" ]
	[ "$(cat "$T/st/checkpoint")" = '{"epoch":2,"offsets":{"in":{"0":7}},"seq":7,"ends":{"once":{"0":7}}}' ]
}

@test "kout --eos -t: records read back on several partitions are each skipped once" {
	kbroker_start -t spread:3
	# Six keys over three partitions by murmur2; the crash after barrier 1
	# left four of them in the topic.
	printf '{"ts":%d,"key":"key%d","value":%d}\n' 1 1 1 2 2 2 > "$T/first"
	printf '{"ts":%d,"key":"key%d","value":%d}\n' 3 3 3 4 4 4 5 5 5 6 6 6 > "$T/rest"
	{
		echo '{"@":"resume","epoch":0}'
		cat "$T/first"
		echo '{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}'
		head -n 2 "$T/rest"
	} >"$T/run1"
	run -3 --separate-stderr kout -s "$T/st" -t spread --eos "$T/run1"
	{
		echo '{"@":"resume","epoch":1}'
		cat "$T/rest"
		echo '{"@":"barrier","epoch":2,"offsets":{"in":{"0":6}}}'
		echo '{"@":"end"}'
	} >"$T/run2"
	run -0 --separate-stderr kout -s "$T/st" -t spread --eos "$T/run2"
	[ "$stderr" = 'kout: skipped 2 records already written before a restart' ]
	run -0 --separate-stderr kcat_fmt spread '%k %s\n'
	check_output <<'EOF'
key1 1
key2 2
key3 3
key4 4
key5 5
key6 6
EOF
}

@test "kout -s -t without --eos: no header, flushed at barriers, at least once after a crash" {
	kbroker_start -t alo:1
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":1,"value":"a"}' \
	    '{"@":"barrier","epoch":1,"offsets":{"in":{"0":1}}}' '{"ts":2,"value":"b"}' >"$T/run1"
	run -3 --separate-stderr kout -s "$T/st" -t alo "$T/run1"
	[ "$(cat "$T/st/checkpoint")" = '{"epoch":1,"offsets":{"in":{"0":1}}}' ]
	printf '%s\n' '{"@":"resume","epoch":1}' '{"ts":2,"value":"b"}' \
	    '{"@":"barrier","epoch":2,"offsets":{"in":{"0":2}}}' '{"@":"end"}' >"$T/run2"
	run -0 --separate-stderr kout -s "$T/st" -t alo "$T/run2"
	[ -z "$stderr" ]
	# b is there twice: without --eos nothing is read back.
	run -0 --separate-stderr kcat_fmt alo '%o %s [%h]\n'
	check_output <<'EOF'
0 a []
1 b []
2 b []
EOF
}

@test "kout -s --eos -t: a stream without resume or end is committed at end of input" {
	kbroker_start -t plain:1
	printf '%s\n' '{"ts":1,"value":"a"}' '{"ts":2,"value":"b"}' >"$T/in"
	run -0 --separate-stderr kout -s "$T/st" --eos -t plain "$T/in"
	[ -z "$stderr" ]
	[ "$(cat "$T/st/checkpoint")" = '{"epoch":0,"offsets":{},"seq":2,"ends":{"plain":{"0":2}}}' ]
	run -0 --separate-stderr kcat_fmt plain '%o %s\n'
	check_output <<'EOF'
0 a
1 b
EOF
}

@test "kout --eos -t: a rerun whose barrier comes sooner than the crashed run's still skips what that run wrote" {
	kbroker_start -t soon:1
	r() { printf '{"ts":1,"value":"%s"}\n' "$@"; }
	b() { printf '{"@":"barrier","epoch":%d,"offsets":{}}\n' "$1"; }
	# Run 1 commits a b, writes c d e, and dies.
	{ echo '{"@":"resume","epoch":0}'; r a b; b 1; r c d e; } >"$T/run1"
	run -3 --separate-stderr kout -s "$T/st" --eos -t soon "$T/run1"
	# Run 2 replays c, commits sooner, and dies before d and e.
	{ echo '{"@":"resume","epoch":1}'; r c; b 2; } >"$T/run2"
	run -3 --separate-stderr kout -s "$T/st" --eos -t soon "$T/run2"
	# Run 3 replays d and e: already there, from run 1.
	{ echo '{"@":"resume","epoch":2}'; r d e; b 3; echo '{"@":"end"}'; } >"$T/run3"
	run -0 --separate-stderr kout -s "$T/st" --eos -t soon "$T/run3"
	[ "$stderr" = "kout: skipped 2 records already written before a restart" ]
	run -0 --separate-stderr kcat_fmt soon '%s\n'
	check_output <<'EOF'
a
b
c
d
e
EOF
}
