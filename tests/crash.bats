#!/usr/bin/env bats
# Exactly once across processes (DESIGN section 4): a pipeline killed
# anywhere and run again, a broker that goes away mid-run, cron runs over
# a topic that grows, and reprocessing with a new DIR, each against one
# clean run's output.  tests/crash/run is the harness (make crash N=...
# runs it longer).

load helper
load kafka

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE KPIPE_BROKERS KBROKER_PID
}

teardown() {
	kbroker_stop
}

@test "crash: 20 kills of a pipeline into a file (kout -s -o): the file is byte for byte one clean run's" {
	run -0 "$TOP/tests/crash/run" -n 20 -k file
	printf '%s\n' "$output"
	[[ ${lines[0]} == "crash: file sink: 20 kills in "*" records identical to a clean run's" ]]
	[[ ${lines[${#lines[@]} - 1]} == "crash: seed "*": 20 kills survived, output identical" ]]
}

@test "crash: 20 kills of a pipeline into Kafka (kout -s --eos -t): each record once, read_committed" {
	run -0 "$TOP/tests/crash/run" -n 20 -k kafka
	printf '%s\n' "$output"
	[[ ${lines[0]} == "crash: kafka sink: 20 kills in "*" records identical to a clean run's" ]]
	[[ ${lines[${#lines[@]} - 1]} == "crash: seed "*": 20 kills survived, output identical" ]]
}

@test "crash: 20 kills of a join pipeline (kcat-in | kjoin --window --type outer | kmap | kout -s -o): the file is one clean run's" {
	run -0 "$TOP/tests/crash/run" -n 20 -k file -p join
	printf '%s\n' "$output"
	[[ ${lines[0]} == "crash: file sink: 20 kills in "*" records identical to a clean run's" ]]
	[[ ${lines[1]} == "crash: file sink: kills by stage (kcat-in kjoin kmap kout): "* ]]
	[[ ${lines[${#lines[@]} - 1]} == "crash: seed "*": 20 kills survived, output identical" ]]
}

# The stock statistics of a topic: per key, per 2 s hopping window.
stats() {
	kwindow -s "$1" --hopping 2s --advance 1s -a n=count -a 's=sum(.value)'
}

# read_committed TOPIC: its records as [ts, key, value, partition], sorted.
read_committed() {
	kcat-in -t "$1" -e -X isolation.level=read_committed |
	    jq -c '[.ts, .key, .value, .partition]' | sort
}

@test "a broker gone for 3 s in the middle of a run: the run finishes, output as without the outage" {
	kbroker_start -t in:4 -t out:3 -t clean:3
	awk 'BEGIN { for (i = 0; i < 40000; i++)
		printf "{\"ts\":%d,\"key\":\"k%d\",\"value\":%d}\n",
		    1700000000000 + i * 7, i % 30, i }' >in.jsonl
	kout -t in <in.jsonl
	kcat-in -s clean.st -t in -e | stats clean.st | kout -s clean.st --eos -t clean
	(set -o pipefail
	kcat-in -s st -t in -e --commit-interval 50ms | stats st |
	    kout -s st --eos -t out; echo "exit $?" >status) 2>err &
	# Mid-run: once the first epoch is committed, the brokers go down.
	for i in $(seq 1000); do
		grep -q '"epoch":[1-9]' st/checkpoint 2>/dev/null && break
		sleep 0.01
	done
	grep -q '"epoch":[1-9]' st/checkpoint
	kill -USR1 "$KBROKER_PID"
	sleep 3		# the outage itself: its length is the test
	kill -USR2 "$KBROKER_PID"
	wait
	[ "$(cat status)" = "exit 0" ]
	grep -q 'brokers are down' err
	read_committed clean >clean.sorted
	read_committed out >out.sorted
	[ "$(wc -l <out.sorted)" -eq 80000 ]
	cmp clean.sorted out.sorted
}

@test "cron: three batches, a run with -e -g -s after each, give what one run over all of them gives; a new DIR and group reprocess it all" {
	kbroker_start -t in:3 -t out:2 -t once:2 -t again:2
	# Three batches, each later in event time than the one before.
	for b in 0 1 2; do
		awk -v b=$b 'BEGIN { for (i = 0; i < 3000; i++)
			printf "{\"ts\":%d,\"key\":\"k%d\",\"value\":%d}\n",
			    1700000000000 + (b * 3000 + i) * 5, i % 17, i }' \
		    >batch$b.jsonl
	done
	for b in 0 1 2; do
		kout -t in <batch$b.jsonl
		kcat-in -s cron.st -e -g cron -X session.timeout.ms=6000 \
		    -t in | stats cron.st | kout -s cron.st --eos -t out
		# Each run goes on where the last one's checkpoint ended.
		[ "$(jq '[.offsets.in[]] | add' cron.st/checkpoint)" -eq \
		    $(((b + 1) * 3000)) ]
	done
	# One run over all of it, from a file, is the reference.
	cat batch0.jsonl batch1.jsonl batch2.jsonl >all.jsonl
	kcat-in --input records -f all.jsonl | kwindow --hopping 2s \
	    --advance 1s -a n=count -a 's=sum(.value)' | jq -c '[.ts, .key, .value]' |
	    sort >expect
	read_committed out | jq -c '.[:3]' | sort >got
	[ "$(wc -l <got)" -eq 18000 ]
	cmp expect got
	# Reprocessing: a new DIR and group, from the beginning.
	kcat-in -s again.st -e -g again -o beginning \
	    -X session.timeout.ms=6000 -t in |
	    stats again.st | kout -s again.st --eos -t again
	read_committed again | jq -c '.[:3]' | sort >again
	cmp expect again
}
