#!/usr/bin/env bats
# kbroker: librdkafka's mock cluster as a process, on loopback.
#
# Every test runs in its own $BATS_TEST_TMPDIR and stops the kbroker it
# started in teardown.  Debian's kcat is the oracle: what it lists, produces
# and consumes through kbroker is compared, whole, with text written here.
# Ports are random, so each address of $KPIPE_BROKERS is named 127.0.0.1:PORTn
# (in the order kbroker printed them) before the comparison.

load helper
load kafka

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

teardown() {
	kbroker_stop
}

usage() {
	usage_of kbroker
}

# Run a command with its standard output in ./actual.
to_file() {
	"$@" >actual
}

# Name each address of $KPIPE_BROKERS 127.0.0.1:PORTn in standard input, and
# the broker that kcat happened to ask B.
names() {
	local a i=0 script='s/from broker [^)]*/from broker B/;'
	local -a addrs

	IFS=, read -ra addrs <<<"$KPIPE_BROKERS"
	for a in "${addrs[@]}"; do
		i=$((i + 1))
		script+="s/${a//./\\.}([^0-9]|\$)/127.0.0.1:PORT$i\\1/g;"
	done
	sed -E "$script"
}

# The mock picks each partition's leader at random among its replicas.
any_leader() {
	output=$(sed -E 's/leader [0-9]+/leader L/' <<<"$output")
}

# kcat -L against kbroker, addresses named.
metadata() {
	run -0 --separate-stderr kcat -L -b "$KPIPE_BROKERS" "$@"
	[ -z "$stderr" ]
	output=$(names <<<"$output")
}

# A usage error: exit 2, message and usage on stderr, nothing on stdout.
usage_error() {
	local msg=$1

	shift
	{ printf 'kbroker: %s\n' "$msg"; usage; } >expect-err
	run -2 --separate-stderr to_file kbroker "$@"
	diff -u expect-err - <<<"$stderr"
	[ ! -s actual ]
}

# Start kbroker in the foreground (in the background of this shell) with
# its standard output on a FIFO, read its first line into $line, and set
# KBROKER_PID so that teardown stops it if the test does not.
kbroker_fg() {
	mkfifo fifo
	kbroker "$@" >fifo 2>err 3>&- &
	KBROKER_PID=$!
	read -r line <fifo
}

# Wait for the foreground kbroker, which must exit 0.
stopped() {
	local st=0

	wait "$KBROKER_PID" || st=$?
	unset KBROKER_PID
	[ "$st" -eq 0 ]
}

# --- options and usage errors -------------------------------------------

@test "-h and --help print the usage on stdout and exit 0" {
	usage >expect
	run -0 --separate-stderr to_file kbroker -h
	diff -u expect actual
	[ -z "$stderr" ]
	run -0 --separate-stderr to_file kbroker --help
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "--version prints name and version" {
	echo 'kbroker (kpipe) 0.1.0' >expect
	run -0 --separate-stderr to_file kbroker --version
	diff -u expect actual
	[ -z "$stderr" ]
}

@test "usage error: -n not a broker count from 1 to 64" {
	usage_error "-n '0': not a broker count from 1 to 64" -n 0
	usage_error "-n '65': not a broker count from 1 to 64" -n 65
	usage_error "-n 'three': not a broker count from 1 to 64" -n three
	usage_error "-n '+3': not a broker count from 1 to 64" -n +3
	usage_error "-n '': not a broker count from 1 to 64" -n ''
	usage_error "option '-n' needs an argument" -n
}

@test "usage error: -t without :PARTITIONS" {
	usage_error "-t 'trades': not TOPIC:PARTITIONS" -t trades
}

@test "usage error: -t with an empty topic name" {
	usage_error "-t ':3': empty topic name" -t :3
}

@test "usage error: -t with a name Kafka would refuse" {
	usage_error "-t 'a b:3': a topic name holds only letters, digits, '.', '_' and '-'" -t 'a b:3'
	usage_error "-t 'a:b:3': a topic name holds only letters, digits, '.', '_' and '-'" -t 'a:b:3'
	usage_error "-t '..:3': a topic cannot be named '.' or '..'" -t ..:3
	local long
	long=$(printf 'x%.0s' {1..250})
	usage_error "-t '$long:1': topic name longer than 249 bytes" -t "$long:1"
}

@test "usage error: -t with a partition count not from 1 to 10000" {
	usage_error "-t 'trades:0': not a partition count from 1 to 10000" -t trades:0
	usage_error "-t 'trades:10001': not a partition count from 1 to 10000" -t trades:10001
	usage_error "-t 'trades:': not a partition count from 1 to 10000" -t trades:
	usage_error "-t 'trades:-1': not a partition count from 1 to 10000" -t trades:-1
	usage_error "-t 'trades:2x': not a partition count from 1 to 10000" -t trades:2x
}

@test "usage error: a topic given twice" {
	usage_error "-t 'trades:2': topic 'trades' given twice" -t trades:1 -t trades:2
}

@test "usage error: -f with an empty name" {
	usage_error "-f: empty file name" -f ''
}

@test "usage error: an operand or an unknown option" {
	usage_error "unexpected argument 'trades'" trades
	usage_error "unknown option '-b'" -b localhost:9092
	usage_error "unknown option '--brokers'" --brokers 3
}

@test "exit 4 when the brokers cannot listen" {
	run -4 --separate-stderr bash -c 'ulimit -n 20 && exec kbroker -n 64'
	[ "$stderr" = 'kbroker: cannot listen on 127.0.0.1: Too many open files' ]
	[ -z "$output" ]
}

# --- serving --------------------------------------------------------------

@test "-d prints lines for eval once it serves, and runs detached" {
	run -0 --separate-stderr kbroker -d 3>&-
	[ -z "$stderr" ]
	eval "$output"
	sed -E 's/:[0-9]+;/:PORT;/; s/=[0-9]+;/=PID;/' <<<"$output" >actual
	cat >expect <<'EOF'
KPIPE_BROKERS=127.0.0.1:PORT; export KPIPE_BROKERS
KBROKER_PID=PID; export KBROKER_PID
EOF
	diff -u expect actual
	[[ $KPIPE_BROKERS =~ ^127\.0\.0\.1:[0-9]+$ ]]
	# Both exported, for the commands that read them.
	bash -c 'echo "$KPIPE_BROKERS $KBROKER_PID"' >actual
	echo "$KPIPE_BROKERS $KBROKER_PID" >expect
	diff -u expect actual
	# In its own session, its standard streams on /dev/null.
	[ "$(ps -o sid= -p "$KBROKER_PID" | tr -d ' ')" = "$KBROKER_PID" ]
	readlink "/proc/$KBROKER_PID/fd/0" "/proc/$KBROKER_PID/fd/1" \
	    "/proc/$KBROKER_PID/fd/2" >actual
	printf '/dev/null\n/dev/null\n/dev/null\n' >expect
	diff -u expect actual
}

@test "-d: descriptors it inherits above 2 are closed" {
	kbroker_start 5>"$T/held"
	# What each of its descriptors opens: ./held is not among them.
	local links
	links=$(readlink /proc/"$KBROKER_PID"/fd/*)
	[[ $links == */dev/null* ]]
	[[ $links != *"$T/held"* ]]
}

@test "default: one broker on 127.0.0.1, no topic" {
	kbroker_start
	[[ $KPIPE_BROKERS =~ ^127\.0\.0\.1:[0-9]+$ ]]
	metadata
	check_output <<'EOF'
Metadata for all topics (from broker B):
 1 brokers:
  broker 1 at 127.0.0.1:PORT1
 0 topics:
EOF
}

@test "-n 3: three brokers, each partition on all three" {
	kbroker_start -n 3 -t trades:2
	[[ $KPIPE_BROKERS =~ ^127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+,127\.0\.0\.1:[0-9]+$ ]]
	metadata
	any_leader
	check_output <<'EOF'
Metadata for all topics (from broker B):
 3 brokers:
  broker 1 at 127.0.0.1:PORT1
  broker 2 at 127.0.0.1:PORT2
  broker 3 at 127.0.0.1:PORT3
 1 topics:
  topic "trades" with 2 partitions:
    partition 0, leader L, replicas: 1,2,3, isrs: 1,2,3
    partition 1, leader L, replicas: 1,2,3, isrs: 1,2,3
EOF
}

@test "-n 5: the mock puts replicas on brokers 1 to 3 only" {
	kbroker_start -n 5 -t trades:1
	metadata -t trades
	any_leader
	check_output <<'EOF'
Metadata for trades (from broker B):
 5 brokers:
  broker 1 at 127.0.0.1:PORT1
  broker 2 at 127.0.0.1:PORT2
  broker 3 at 127.0.0.1:PORT3
  broker 4 at 127.0.0.1:PORT4
  broker 5 at 127.0.0.1:PORT5
 1 topics:
  topic "trades" with 1 partitions:
    partition 0, leader L, replicas: 1,2,3, isrs: 1,2,3
EOF
}

@test "-t: topics with their partition counts, in the order given" {
	kbroker_start -t trades:3 -t quotes:1 -t a.b_c-D:2
	metadata
	check_output <<'EOF'
Metadata for all topics (from broker B):
 1 brokers:
  broker 1 at 127.0.0.1:PORT1
 3 topics:
  topic "trades" with 3 partitions:
    partition 0, leader 1, replicas: 1, isrs: 1
    partition 1, leader 1, replicas: 1, isrs: 1
    partition 2, leader 1, replicas: 1, isrs: 1
  topic "quotes" with 1 partitions:
    partition 0, leader 1, replicas: 1, isrs: 1
  topic "a.b_c-D" with 2 partitions:
    partition 0, leader 1, replicas: 1, isrs: 1
    partition 1, leader 1, replicas: 1, isrs: 1
EOF
}

@test "a topic not made with -t is made on first use, with 4 partitions" {
	kbroker_start
	metadata -t orders
	check_output <<'EOF'
Metadata for orders (from broker B):
 1 brokers:
  broker 1 at 127.0.0.1:PORT1
 1 topics:
  topic "orders" with 4 partitions:
    partition 0, leader 1, replicas: 1, isrs: 1
    partition 1, leader 1, replicas: 1, isrs: 1
    partition 2, leader 1, replicas: 1, isrs: 1
    partition 3, leader 1, replicas: 1, isrs: 1
EOF
}

@test "kcat produces to kbroker and consumes back, keys and values" {
	kbroker_start -t greetings:1 -t wide:3
	printf 'en:hello\nfr:bonjour\nde:\n:empty key\n' >in
	run -0 --separate-stderr kcat -P -b "$KPIPE_BROKERS" -t greetings -K: \
	    <in
	printf 'a\nb\nc\n' >in
	run -0 --separate-stderr kcat -P -b "$KPIPE_BROKERS" -t wide -p 2 <in
	run -0 --separate-stderr kcat -C -b "$KPIPE_BROKERS" -t greetings -e -q \
	    -f '%t %p %o [%k] [%s]\n'
	check_output <<'EOF'
greetings 0 0 [en] [hello]
greetings 0 1 [fr] [bonjour]
greetings 0 2 [de] []
greetings 0 3 [] [empty key]
EOF
	run -0 --separate-stderr kcat -C -b "$KPIPE_BROKERS" -t wide -e -q \
	    -f '%t %p %o %s\n'
	check_output <<'EOF'
wide 2 0 a
wide 2 1 b
wide 2 2 c
EOF
}

@test "a consumer group's committed offsets are kept between members" {
	kbroker_start -t log:1
	printf '1\n2\n3\n4\n' >in
	run -0 --separate-stderr kcat -P -b "$KPIPE_BROKERS" -t log <in
	# kcat -G commits what it consumed when it leaves the group; each
	# run waits the mock's 3 s first-join delay.
	run -0 --separate-stderr kcat -b "$KPIPE_BROKERS" -G g -q -c 2 \
	    -X session.timeout.ms=6000 \
	    -X auto.offset.reset=earliest -f '%o %s\n' log
	check_output <<'EOF'
0 1
1 2
EOF
	run -0 --separate-stderr kcat -b "$KPIPE_BROKERS" -G g -q -c 2 \
	    -X session.timeout.ms=6000 \
	    -X auto.offset.reset=earliest -f '%o %s\n' log
	check_output <<'EOF'
2 3
3 4
EOF
}

@test "-f FILE: the lines printed, whole, removed when kbroker exits" {
	kbroker_start -f broker.env -t t:1
	printf 'KPIPE_BROKERS=%s; export KPIPE_BROKERS\nKBROKER_PID=%s; export KBROKER_PID\n' \
	    "$KPIPE_BROKERS" "$KBROKER_PID" >expect
	diff -u expect broker.env
	[ ! -e broker.env.tmp ]
	# It can be sourced.
	run -0 --separate-stderr env -u KPIPE_BROKERS -u KBROKER_PID bash -c \
	    '. ./broker.env && bash -c "echo \$KPIPE_BROKERS \$KBROKER_PID"'
	[ "$output" = "$KPIPE_BROKERS $KBROKER_PID" ]
	kbroker_stop
	[ ! -e broker.env ]
}

@test "-f FILE that cannot be written: exit 1, nothing served" {
	run -1 --separate-stderr kbroker -f "$T/no/broker.env" 3>&-
	[ "$stderr" = "kbroker: $T/no/broker.env.tmp: No such file or directory" ]
	[ -z "$output" ]
	# Detached, the server says why and the caller exits as it did.
	run -1 --separate-stderr kbroker -d -f "$T/no/broker.env" 3>&-
	[ "$stderr" = "kbroker: $T/no/broker.env.tmp: No such file or directory" ]
	[ -z "$output" ]
}

@test "in the foreground: one line, served until SIGTERM, then exit 0" {
	kbroker_fg -f broker.env -t t:1
	[[ $line =~ ^KPIPE_BROKERS=127\.0\.0\.1:[0-9]+\;\ export\ KPIPE_BROKERS$ ]]
	printf '%s\n' "$line" >expect
	diff -u expect broker.env
	eval "$line"
	echo served | kcat -P -b "$KPIPE_BROKERS" -t t
	run -0 --separate-stderr kcat -C -b "$KPIPE_BROKERS" -t t -e -q
	[ "$output" = served ]
	kill -TERM "$KBROKER_PID"
	stopped
	[ ! -s err ]
	[ ! -e broker.env ]
}

@test "in the foreground: SIGINT stops it too, exit 0" {
	kbroker_fg
	[[ $line =~ ^KPIPE_BROKERS= ]]
	kill -INT "$KBROKER_PID"
	stopped
	[ ! -s err ]
}

# A CreateTopics request (Kafka API key 19, version 0, no client id, no
# topic) sent by hand: the mock refuses it, logs why and hangs up.
create_topics_by_hand() {
	local fd port=${KPIPE_BROKERS##*:}

	exec {fd}<>"/dev/tcp/127.0.0.1/$port"
	printf '\0\0\0\13\0\23\0\0\0\0\0\1\0\0\0' >&"$fd"
	# Until the mock hangs up: the log line is written by then.
	cat <&"$fd" >/dev/null
	exec {fd}>&-
}

@test "librdkafka's log lines go to stderr" {
	kbroker_fg
	eval "$line"
	create_topics_by_hand
	kill -TERM "$KBROKER_PID"
	stopped
	sed -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/' err >actual
	cat >expect <<'EOF'
kbroker: librdkafka: MOCK: [thrd:mock]: Broker 1: unsupported CreateTopicsRequestV0 from 127.0.0.1:PORT
EOF
	diff -u expect actual
}

@test "-q: no librdkafka log lines" {
	kbroker_fg -q
	eval "$line"
	create_topics_by_hand
	kill -TERM "$KBROKER_PID"
	stopped
	[ ! -s err ]
}

@test "a write error on standard output: exit 1" {
	run -1 --separate-stderr bash -c 'exec kbroker >/dev/full 3>&-'
	[ "$stderr" = 'kbroker: standard output: No space left on device' ]
	# Detached, the caller cannot print the address: it stops the server.
	run -1 --separate-stderr bash -c 'exec kbroker -d >/dev/full 3>&-'
	[ "$stderr" = 'kbroker: standard output: No space left on device' ]
}

@test "kbroker_stop waits until the broker is gone" {
	kbroker_start
	local pid=$KBROKER_PID
	kbroker_stop
	kbroker_gone "$pid"
	[ -z "${KBROKER_PID:-}" ]
	# Nothing listens on its port any more.
	run ! kcat -L -b "$KPIPE_BROKERS" -m 1
}

@test "kbroker: SIGUSR1 takes the brokers down, SIGUSR2 brings them back up, data kept" {
	kbroker_start -t t:1
	echo '{"ts":1,"value":"before"}' | kout -t t
	kill -USR1 "$KBROKER_PID"
	# Down (once kbroker has taken the signal): no answer within -m 1.
	for i in $(seq 100); do
		run --separate-stderr kcat-in -t t -e -m 1
		[ "$status" -ne 4 ] || break
	done
	[ "$status" -eq 4 ]
	kill -USR2 "$KBROKER_PID"
	for i in $(seq 100); do
		run --separate-stderr kcat-in -t t -e -m 1
		[ "$status" -ne 0 ] || break
	done
	[ "$status" -eq 0 ]
	check_output <<'EOF'
{"ts":1,"key":null,"value":"before","topic":"t","partition":0,"offset":0}
EOF
}
