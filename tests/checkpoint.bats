#!/usr/bin/env bats
# The checkpoint protocol (DESIGN section 4): kcat-in -s begins --commit-interval 1h with resume
# and ends with a barrier and end; kout -s commits each epoch and writes
# DIR/checkpoint; kcount and kwindow roll their stores back on resume; a
# file sink is cut back to its checkpoint, so a pipeline run again after a
# crash writes each record exactly once.
#
# A crash is simulated by a stream that stops without {"@":"end"}, as a
# pipe does when the process upstream dies.  Inputs are files; only the
# tests of kcat-in -t need a kbroker, each its own.  Expected outputs are
# written by hand, or computed with awk from the same input.

load helper
load kafka

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE KPIPE_BROKERS KBROKER_PID
}

teardown() {
	if [ -s "$T/reader.pid" ]; then
		kill "$(cat "$T/reader.pid")" 2>/dev/null || true
	fi
	exec 6<&-
	kbroker_stop
}

# ckpt DIR: DIR/checkpoint without its "sink" member (a random id).
ckpt() {
	sed 's/,"sink":"[0-9a-f]\{16\}"//' "$1/checkpoint"
}

# usage_error COMMAND MESSAGE ARGS...: COMMAND ARGS exits 2 with MESSAGE
# and the usage lines on stderr, and writes nothing.  The usage lines are
# those of -h, which man-examples.bats holds to the man page's SYNOPSIS.
usage_error() {
	local cmd=$1 msg=$2
	shift 2
	run -2 --separate-stderr "$cmd" "$@" < /dev/null
	[ -z "$output" ]
	{ echo "$cmd: $msg"; "$cmd" -h; } | check_stderr
}

# Three records, as kcat-in --input records reads them.
three() {
	cat > in.jsonl <<'EOF'
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":2}
{"ts":3,"key":"a","value":3}
EOF
}

# Run a command with its standard output in ./actual, its status and
# stderr left to bats' run.
to_file() {
	"$@" > actual
}

# --- kcat-in -s: resume, barriers, end ----------------------------------------

@test "kcat-in -s: a fresh DIR resumes at epoch 0, and a barrier comes before end" {
	three
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1,"topic":"in.jsonl","partition":0,"offset":0}
{"ts":2,"key":"b","value":2,"topic":"in.jsonl","partition":0,"offset":1}
{"ts":3,"key":"a","value":3,"topic":"in.jsonl","partition":0,"offset":2}
{"@":"barrier","epoch":1,"offsets":{"in.jsonl":{"0":3}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	# kcat-in only reads DIR: it makes nothing there.
	[ ! -e st ]
}

@test "kcat-in: \$KPIPE_STATE is -s; set empty, there is no checkpointing" {
	three
	KPIPE_STATE=st run -0 --separate-stderr kcat-in --commit-interval 1h --input records -f in.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1,"topic":"in.jsonl","partition":0,"offset":0}
{"ts":2,"key":"b","value":2,"topic":"in.jsonl","partition":0,"offset":1}
{"ts":3,"key":"a","value":3,"topic":"in.jsonl","partition":0,"offset":2}
{"@":"barrier","epoch":1,"offsets":{"in.jsonl":{"0":3}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	KPIPE_STATE= run -0 --separate-stderr kcat-in --input records -f in.jsonl
	check_output <<'EOF'
{"ts":1,"key":"a","value":1,"topic":"in.jsonl","partition":0,"offset":0}
{"ts":2,"key":"b","value":2,"topic":"in.jsonl","partition":0,"offset":1}
{"ts":3,"key":"a","value":3,"topic":"in.jsonl","partition":0,"offset":2}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -s: an empty file still gets a barrier, at offset 0, before end" {
	: > empty
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h -f empty
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"@":"barrier","epoch":1,"offsets":{"empty":{"0":0}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -s: the second run resumes at the sink's epoch and skips the lines read" {
	three
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	[ -z "$stderr" ]
	printf '%s\n' '{"ts":4,"key":"c","value":4}' '{"ts":5,"key":"a","value":5}' >> in.jsonl
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":4,"key":"c","value":4,"topic":"in.jsonl","partition":0,"offset":3}
{"ts":5,"key":"a","value":5,"topic":"in.jsonl","partition":0,"offset":4}
{"@":"barrier","epoch":2,"offsets":{"in.jsonl":{"0":5}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -s: with nothing new, the run is resume, one barrier at the same offsets, end" {
	three
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"@":"barrier","epoch":2,"offsets":{"in.jsonl":{"0":3}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -s: without a sink in DIR, every run starts at epoch 0 and line 0" {
	three
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	mv actual first
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	[ -z "$stderr" ]
	diff -u first actual
	[ "$(head -1 actual)" = '{"@":"resume","epoch":0}' ]
}

@test "kcat-in -s -c: each run takes the next batch where the last one committed" {
	seq 1 5 > nums
	for i in 1 2 3; do
		run -0 --separate-stderr bash -c '
		    kcat-in -s st --commit-interval 1h -c 2 --ts 0 -f nums | kout -s st --format value -o out
		    echo "status: ${PIPESTATUS[*]}"'
		[ "$output" = 'status: 0 0' ]
		[ -z "$stderr" ]
	done
	printf '%s\n' 1 2 3 4 5 > expect
	diff -u expect out
	[ "$(ckpt st)" = '{"epoch":3,"offsets":{"nums":{"0":5}},"length":10}' ]
}

@test "kcat-in -s: two files keep an offset each, and each resumes at its own" {
	printf '%s\n' '{"ts":1,"value":"a1"}' '{"ts":3,"value":"a2"}' > a.jsonl
	printf '%s\n' '{"ts":2,"value":"b1"}' > b.jsonl
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f a.jsonl -f b.jsonl | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	[ "$(ckpt st)" = "{\"epoch\":1,\"offsets\":{\"a.jsonl\":{\"0\":2},\"b.jsonl\":{\"0\":1}},\"length\":$(wc -c < out.jsonl)}" ]
	printf '%s\n' '{"ts":4,"value":"b2"}' '{"ts":5,"value":"b3"}' >> b.jsonl
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --input records -f a.jsonl -f b.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":4,"key":null,"value":"b2","topic":"b.jsonl","partition":0,"offset":1}
{"ts":5,"key":null,"value":"b3","topic":"b.jsonl","partition":0,"offset":2}
{"@":"barrier","epoch":2,"offsets":{"a.jsonl":{"0":2},"b.jsonl":{"0":3}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in -s: offsets count bad lines, and a skipped one is not read again" {
	printf '%s\n' '{"ts":1,"value":1}' 'bad' '{"ts":2,"value":2}' > in.jsonl
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h -q --on-error skip --input records -f in.jsonl |
	    kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	[ "$stderr" = 'kcat-in: skipped 1 bad line' ]
	echo '{"ts":3,"value":3}' >> in.jsonl
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":null,"value":3,"topic":"in.jsonl","partition":0,"offset":3}
{"@":"barrier","epoch":2,"offsets":{"in.jsonl":{"0":4}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

@test "kcat-in --commit-interval: 0, a bad unit, a negative or a missing duration is a usage error" {
	three
	usage_error kcat-in "--commit-interval '0': must be more than 0" \
	    -s st --commit-interval 0 -f in.jsonl
	usage_error kcat-in "--commit-interval '0ms': must be more than 0" \
	    -s st --commit-interval 0ms -f in.jsonl
	usage_error kcat-in "--commit-interval '5x': unknown unit" \
	    -s st --commit-interval 5x -f in.jsonl
	usage_error kcat-in "--commit-interval '-1': not a duration" \
	    -s st --commit-interval -1 -f in.jsonl
	usage_error kcat-in "option '--commit-interval' needs an argument" \
	    -f in.jsonl --commit-interval
}

@test "kcat-in --commit-interval: a long one still ends with a barrier; =DURATION works" {
	three
	cat > expect <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1,"topic":"in.jsonl","partition":0,"offset":0}
{"ts":2,"key":"b","value":2,"topic":"in.jsonl","partition":0,"offset":1}
{"ts":3,"key":"a","value":3,"topic":"in.jsonl","partition":0,"offset":2}
{"@":"barrier","epoch":1,"offsets":{"in.jsonl":{"0":3}}}
{"@":"end"}
EOF
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval 1h --input records -f in.jsonl
	[ -z "$stderr" ]
	diff -u expect actual
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval=2d --input records -f in.jsonl
	[ -z "$stderr" ]
	diff -u expect actual
}

@test "kcat-in -s: a state directory that is not a directory exits 5" {
	three
	: > notdir
	run -5 --separate-stderr kcat-in -s notdir -f in.jsonl
	[ -z "$output" ]
	[ "$stderr" = "kcat-in: state directory 'notdir': Not a directory" ]
}

# --- kout -s: the file sink, DIR/checkpoint, stdout -----------------------------

# The first run of a file sink, killed after barrier 1: two more records
# were written, and the stream ends without end.
crash_stream() {
	cat > run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":2}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":3,"key":"c","value":3}
{"ts":4,"key":"d","value":4}
EOF
}

@test "kout -s -o: a crash leaves bytes past barrier 1; resume 1 cuts them off" {
	crash_stream
	run -3 --separate-stderr kout -s st -o out.jsonl run1
	[ -z "$output" ]
	[ "$stderr" = 'kout: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	cat > expect <<'EOF'
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":2}
{"ts":3,"key":"c","value":3}
{"ts":4,"key":"d","value":4}
EOF
	diff -u expect out.jsonl
	[ "$(ckpt st)" = '{"epoch":1,"offsets":{"in":{"0":2}},"length":58}' ]
	# The run after: the source replays what followed barrier 1.
	cat > run2 <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"c","value":3}
{"ts":4,"key":"d","value":4}
{"ts":5,"key":"e","value":5}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":5}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kout -s st -o out.jsonl run2
	[ -z "$output" ]
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":2}
{"ts":3,"key":"c","value":3}
{"ts":4,"key":"d","value":4}
{"ts":5,"key":"e","value":5}
EOF
	diff -u expect out.jsonl
	[ "$(ckpt st)" = '{"epoch":2,"offsets":{"in":{"0":5}},"length":145}' ]
}

@test "kout -s -o: the file is kept at open and cut back to the newest checkpoint at start" {
	crash_stream
	run -3 --separate-stderr kout -s st -o out.jsonl run1
	# No resume: the stream goes on from the newest checkpoint, epoch 1.
	run -0 --separate-stderr kout -s st -o out.jsonl - <<<'{"ts":9,"key":"z","value":9}'
	[ -z "$output" ]
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":2}
{"ts":9,"key":"z","value":9}
EOF
	diff -u expect out.jsonl
}

@test "kout -s -o: resume to an older epoch cuts the file back to that epoch's length" {
	crash_stream
	run -3 --separate-stderr kout -s st -o out.jsonl run1
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":7,"key":"x","value":7}' \
	    '{"@":"barrier","epoch":1,"offsets":{"in":{"0":1}}}' '{"@":"end"}' > run2
	run -0 --separate-stderr kout -s st -o out.jsonl run2
	[ -z "$stderr" ]
	[ "$(cat out.jsonl)" = '{"ts":7,"key":"x","value":7}' ]
	[ "$(ckpt st)" = '{"epoch":1,"offsets":{"in":{"0":1}},"length":29}' ]
}

@test "kout -s -o: a new DIR starts the file afresh, as reprocessing does" {
	printf 'old line\n' > out.jsonl
	run -0 --separate-stderr kout -s st -o out.jsonl - <<<'{"ts":1,"value":"new"}'
	[ -z "$stderr" ]
	[ "$(cat out.jsonl)" = '{"ts":1,"value":"new"}' ]
}

@test "kout -s -o: a file cut shorter than its checkpoint by hand exits 1" {
	crash_stream
	run -3 --separate-stderr kout -s st -o out.jsonl run1
	: > out.jsonl
	run -1 --separate-stderr kout -s st -o out.jsonl - <<<'{"@":"resume","epoch":1}'
	[ -z "$output" ]
	[ "$stderr" = "kout: line 1: 'out.jsonl' is 0 bytes, shorter than its checkpoint's 58: it was changed by hand" ]
}

@test "kout -s: DIR/checkpoint is one line: the newest epoch, its offsets, the file's length" {
	printf '%s\n' '{"@":"resume","epoch":0}' '{"value":"a"}' \
	    '{"@":"barrier","epoch":1,"offsets":{"t":{"0":1,"1":4}}}' \
	    '{"value":"b"}' \
	    '{"@":"barrier","epoch":2,"offsets":{"t":{"0":2,"1":4},"u":{"3":9}}}' \
	    '{"@":"end"}' > in
	run -0 --separate-stderr kout -s st -o out in
	[ -z "$stderr" ]
	printf '%s\n' '{"epoch":2,"offsets":{"t":{"0":2,"1":4},"u":{"3":9}},"length":28}' > expect
	ckpt st | diff -u expect -
	# Written through a temporary file, renamed over: none is left.
	[ ! -e st/checkpoint.tmp ]
	[ -d st/kout ]
}

@test "kout -s to stdout: what followed the last barrier is written again after a crash (at least once)" {
	crash_stream
	run -3 --separate-stderr kout -s st --format value run1
	check_output <<'EOF'
1
2
3
4
EOF
	[ "$(ckpt st)" = '{"epoch":1,"offsets":{"in":{"0":2}}}' ]
	printf '%s\n' '{"@":"resume","epoch":1}' '{"ts":3,"key":"c","value":3}' \
	    '{"ts":4,"key":"d","value":4}' '{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}' \
	    '{"@":"end"}' > run2
	run -0 --separate-stderr kout -s st --format value run2
	check_output <<'EOF'
3
4
EOF
	[ -z "$stderr" ]
	[ "$(ckpt st)" = '{"epoch":2,"offsets":{"in":{"0":4}}}' ]
}

@test "kout -s --name: two sinks keep their own epochs; kcat-in resumes at the older" {
	seq 1 4 > nums
	# Sink a commits epochs 1 and 2, sink b only epoch 1 (its run died).
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval 1h -c 2 --ts 0 -f nums
	cp actual first
	run -0 --separate-stderr kout -s st --name a -o a.out first
	run -0 --separate-stderr kout -s st --name b -o b.out first
	run -0 --separate-stderr to_file kcat-in -s st --commit-interval 1h -c 2 --ts 0 -f nums
	[ "$(head -1 actual)" = '{"@":"resume","epoch":1}' ]
	run -0 --separate-stderr kout -s st --name a -o a.out actual
	[ -z "$stderr" ]
	[ "$(ckpt st)" = '{"epoch":2,"offsets":{"nums":{"0":4}},"length":280}' ]
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h --ts 0 -f nums
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":0,"key":null,"value":3,"topic":"nums","partition":0,"offset":2}
{"ts":0,"key":null,"value":4,"topic":"nums","partition":0,"offset":3}
{"@":"barrier","epoch":2,"offsets":{"nums":{"0":4}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	[ -d st/a ] && [ -d st/b ] && [ ! -e st/kout ]
}

@test "kout -s: a sink store behind the resume epoch exits 5" {
	# A new store: at epoch 0.
	run -5 --separate-stderr kout -s st -o out - <<<'{"@":"resume","epoch":2}'
	[ -z "$output" ]
	[ "$stderr" = "kout: line 1: store 'st/kout' is at epoch 0, behind the pipeline's 2: is this the pipeline's sink?" ]
	printf '%s\n' '{"@":"resume","epoch":0}' '{"value":1}' \
	    '{"@":"barrier","epoch":1,"offsets":{}}' '{"@":"end"}' > run1
	run -0 --separate-stderr kout -s st -o out run1
	run -5 --separate-stderr kout -s st -o out - <<<'{"@":"resume","epoch":3}'
	[ "$stderr" = "kout: line 1: store 'st/kout' is at epoch 1, behind the pipeline's 3: is this the pipeline's sink?" ]
	[ "$(cat out)" = '{"value":1}' ]
}

@test "kout -s: a store made for another output is refused with exit 5" {
	run -0 --separate-stderr kout -s st -o one.jsonl < /dev/null
	run -5 --separate-stderr kout -s st -o two.jsonl < /dev/null
	[ -z "$output" ]
	[ "$stderr" = "kout: store 'st/kout' was made with 'file=\"one.jsonl\"', not 'file=\"two.jsonl\"'" ]
	# Under another --name, it is another sink.
	run -0 --separate-stderr kout -s st --name two -o two.jsonl < /dev/null
	[ -z "$stderr" ]
}

@test "kout: --name without -s, --eos without -s or -t, an empty -s are usage errors" {
	usage_error kout '--name needs -s' --name x
	usage_error kout '--eos needs -s (where its checkpoints go)' --eos -t out
	usage_error kout '--eos needs -t (one topic, read back on resume)' --eos -s st
	usage_error kout '--eos needs -t (one topic, read back on resume)' \
	    --eos -s st -o out
	usage_error kout '--eos needs -t (one topic, read back on resume)' \
	    --eos -s st --topic-from .topic
	usage_error kout "option '--eos' takes no argument" --eos=yes -s st -t out
	usage_error kout '-s: empty argument' -s '' -o out
	usage_error kcat-in '-s: empty argument' -s '' -f /dev/null
	[ ! -e st ]
	[ ! -e out ]
}

@test "kout --state=DIR and --name=NAME are -s and --name" {
	run -0 --separate-stderr kout --state=st --name=sink -o out - <<<'{"value":1}'
	[ -z "$stderr" ]
	[ -d st/sink ]
	[ "$(ckpt st)" = '{"epoch":0,"offsets":{},"length":12}' ]
}

@test "kout: \$KPIPE_STATE is -s, so --name needs no -s with it" {
	KPIPE_STATE=st run -0 --separate-stderr kout --name s -o out - <<<'{"value":1}'
	[ -z "$stderr" ]
	[ "$(ckpt st)" = '{"epoch":0,"offsets":{},"length":12}' ]
}

# --- kcount -s and kwindow -s: rollback on resume ------------------------------

@test "kcount -s: a run rolled back, then cut short, rolls back again to the right epoch" {
	# Run 1 commits epochs 1 and 2; the sink has only 1.
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":1,"key":"a","value":1}' \
	    '{"@":"barrier","epoch":1,"offsets":{}}' \
	    '{"ts":2,"key":"b","value":1}' \
	    '{"@":"barrier","epoch":2,"offsets":{}}' >run1
	run -3 kcount -s st run1
	# Run 2 rolls back to 1, commits 2 and 3 anew; the sink has only 2.
	printf '%s\n' '{"@":"resume","epoch":1}' '{"ts":3,"key":"c","value":1}' \
	    '{"@":"barrier","epoch":2,"offsets":{}}' \
	    '{"ts":4,"key":"d","value":1}' \
	    '{"@":"barrier","epoch":3,"offsets":{}}' >run2
	run -3 kcount -s st run2
	# Run 3 goes back to run 2's epoch 2: a and c, not b nor d.
	printf '%s\n' '{"@":"resume","epoch":2}' '{"@":"end"}' >run3
	run -0 kcount -s st run3
	run -0 kquery -s st --name kcount --all
	check_output <<'EOF'
{"ts":1,"key":"a","value":1}
{"ts":3,"key":"c","value":1}
EOF
}

@test "kcount -s: resume N rolls the store back to epoch N; the run goes on from its counts" {
	cat > run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":1}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":3,"key":"a","value":1}
{"ts":4,"key":"c","value":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"ts":5,"key":"a","value":1}
{"ts":6,"key":"d","value":1}
EOF
	run -3 --separate-stderr kcount -s st run1
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1}
{"ts":2,"key":"b","value":1}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":3,"key":"a","value":2}
{"ts":4,"key":"c","value":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"ts":5,"key":"a","value":3}
{"ts":6,"key":"d","value":1}
EOF
	[ "$stderr" = 'kcount: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	# Epoch 2 is committed; what followed it is not.
	run -0 --separate-stderr kquery -s st --name kcount --all
	check_output <<'EOF'
{"ts":3,"key":"a","value":2}
{"ts":2,"key":"b","value":1}
{"ts":4,"key":"c","value":1}
EOF
	# The sink had committed only epoch 1: the pipeline resumes there.
	cat > run2 <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"a","value":1}
{"ts":7,"key":"b","value":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kcount -s st run2
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"a","value":2}
{"ts":7,"key":"b","value":2}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	# c, first counted in epoch 2, is gone with it.
	run -0 --separate-stderr kquery -s st --name kcount --all
	check_output <<'EOF'
{"ts":3,"key":"a","value":2}
{"ts":7,"key":"b","value":2}
EOF
}

@test "kcount -s: resume 0 takes a store back to empty, over several epochs" {
	cat > run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":1}}}
{"ts":2,"key":"a","value":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":2}}}
{"ts":3,"key":"b","value":1}
{"@":"barrier","epoch":3,"offsets":{"in":{"0":3}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kcount -s st run1
	run -0 --separate-stderr kquery -s st --name kcount --all
	check_output <<'EOF'
{"ts":2,"key":"a","value":2}
{"ts":3,"key":"b","value":1}
EOF
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":9,"key":"b","value":1}' \
	    '{"@":"end"}' > run2
	run -0 --separate-stderr kcount -s st run2
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":9,"key":"b","value":1}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kquery -s st --name kcount --all
	check_output <<'EOF'
{"ts":9,"key":"b","value":1}
EOF
}

@test "kcount -s: a new store while the pipeline resumes at epoch 2 exits 5" {
	printf '%s\n' '{"@":"resume","epoch":2}' '{"ts":1,"key":"a","value":1}' '{"@":"end"}' > in
	run -5 --separate-stderr kcount -s st in
	[ -z "$output" ]
	[ "$stderr" = "kcount: in:1: store 'st/kcount' is new, but the pipeline resumes at epoch 2: a command added to a pipeline needs a new state directory" ]
}

@test "kcount -s: a store behind the resume epoch exits 5" {
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":1,"key":"a","value":1}' \
	    '{"@":"barrier","epoch":1,"offsets":{}}' '{"@":"end"}' > run1
	run -0 --separate-stderr kcount -s st run1
	printf '%s\n' '{"@":"resume","epoch":3}' '{"@":"end"}' > run2
	run -5 --separate-stderr kcount -s st run2
	[ -z "$output" ]
	[ "$stderr" = "kcount: run2:1: store 'st/kcount' is at epoch 1, behind the pipeline's 3: it missed commits" ]
}

@test "kcount: resume after a record is resume in the middle of a stream: exit 1" {
	printf '%s\n' '{"ts":1,"key":"a","value":1}' '{"@":"resume","epoch":0}' '{"@":"end"}' > in
	run -1 --separate-stderr kcount -s st in
	[ "$output" = '{"ts":1,"key":"a","value":1}' ]
	[[ $stderr == 'kcount: in:2: '*'resume in the middle of a stream' ]]
	printf '%s\n' '{"@":"resume","epoch":0}' '{"@":"resume","epoch":0}' '{"@":"end"}' > in2
	run -1 --separate-stderr kcount in2
	[ "$output" = '{"@":"resume","epoch":0}' ]
	[[ $stderr == 'kcount: in2:2: '*'resume in the middle of a stream' ]]
}

@test "kwindow -s: resume N rolls windows and stream time back to epoch N" {
	cat > run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":1}
{"ts":5,"key":"b","value":2}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":12,"key":"a","value":3}
{"ts":3,"key":"a","value":4}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"ts":25,"key":"b","value":5}
EOF
	run -3 --separate-stderr kwindow -s st --tumbling 10 --grace 5 -a n=count -a total='sum(.value)' run1
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"a","value":{"n":1,"total":1},"window":{"start":0,"end":10}}
{"ts":5,"key":"b","value":{"n":1,"total":2},"window":{"start":0,"end":10}}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}}}
{"ts":12,"key":"a","value":{"n":1,"total":3},"window":{"start":10,"end":20}}
{"ts":3,"key":"a","value":{"n":2,"total":5},"window":{"start":0,"end":10}}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"ts":25,"key":"b","value":{"n":1,"total":5},"window":{"start":20,"end":30}}
EOF
	[ "$stderr" = 'kwindow: input ended without {"@":"end"}: upstream stopped before the end of its stream' ]
	# Resumed at epoch 1, stream time is 5 again: [0,10) is open, so ts 7
	# is not late (at stream time 25 it was closed), and a's [10,20) of
	# epoch 2 is gone.
	cat > run2 <<'EOF'
{"@":"resume","epoch":1}
{"ts":7,"key":"a","value":10}
{"ts":12,"key":"b","value":20}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"@":"end"}
EOF
	run -0 --separate-stderr kwindow -s st --tumbling 10 --grace 5 -a n=count -a total='sum(.value)' run2
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":7,"key":"a","value":{"n":2,"total":11},"window":{"start":0,"end":10}}
{"ts":12,"key":"b","value":{"n":1,"total":20},"window":{"start":10,"end":20}}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":4}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	run -0 --separate-stderr kquery -s st --name kwindow --all
	check_output <<'EOF'
{"ts":7,"key":"a","value":{"n":2,"total":11},"window":{"start":0,"end":10}}
{"ts":5,"key":"b","value":{"n":1,"total":2},"window":{"start":0,"end":10}}
{"ts":12,"key":"b","value":{"n":1,"total":20},"window":{"start":10,"end":20}}
EOF
}

@test "kwindow -s: a new store while the pipeline resumes at epoch 1 exits 5" {
	printf '%s\n' '{"@":"resume","epoch":1}' '{"@":"end"}' > in
	run -5 --separate-stderr kwindow -s st --tumbling 10 -a n=count in
	[ -z "$output" ]
	[ "$stderr" = "kwindow: in:1: store 'st/kwindow' is new, but the pipeline resumes at epoch 1: a command added to a pipeline needs a new state directory" ]
}

@test "kwindow -s: a store behind the resume epoch exits 5" {
	printf '%s\n' '{"@":"resume","epoch":0}' '{"ts":1,"key":"a","value":1}' '{"@":"end"}' > run1
	run -0 --separate-stderr kwindow -s st --tumbling 10 -a n=count run1
	printf '%s\n' '{"@":"resume","epoch":1}' '{"@":"end"}' > run2
	run -5 --separate-stderr kwindow -s st --tumbling 10 -a n=count run2
	[ -z "$output" ]
	[ "$stderr" = "kwindow: run2:1: store 'st/kwindow' is at epoch 0, behind the pipeline's 1: it missed commits" ]
}

# --- whole pipelines over files ------------------------------------------------

# Write $2 records to $1 from seed $3: keys from a few words, ts rising.
records() {
	awk -v n="$2" -v seed="$3" 'BEGIN {
		srand(seed)
		nk = split("apple kiwi fig plum lime", w, " ")
		for (i = 0; i < n; i++)
			printf "{\"ts\":%d,\"key\":\"%s\",\"value\":%d}\n",
			    1000 * (seed * 1000 + i), w[1 + int(rand() * nk)], i
	}' >> "$1"
}

# What kcat-in -f $1 | kcount writes for the records in $1: each record
# with its key's count so far and its provenance.
counts_of() {
	awk '{
		ts = $0; sub(/^\{"ts":/, "", ts); sub(/,.*/, "", ts)
		k = $0; sub(/.*"key":"/, "", k); sub(/".*/, "", k)
		printf "{\"ts\":%s,\"key\":\"%s\",\"value\":%d,\"topic\":\"%s\",\"partition\":0,\"offset\":%d}\n",
		    ts, k, ++c[k], FILENAME, NR - 1
	}' "$1"
}

@test "kcat-in -s | kcount -s | kout -s -o, run twice with input appended: one run's file" {
	records in.jsonl 120 1
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl | kcount -s st | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	records in.jsonl 80 2
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl | kcount -s st | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	counts_of in.jsonl > expect
	[ "$(wc -l < expect)" -eq 200 ]
	cmp expect out.jsonl
	# The same as one clean run over all of it, in a fresh DIR.
	run -0 --separate-stderr bash -c '
	    kcat-in -s clean --commit-interval 1h --input records -f in.jsonl | kcount -s clean | kout -s clean -o clean.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	cmp clean.jsonl out.jsonl
	[ "$(ckpt st)" = "{\"epoch\":2,\"offsets\":{\"in.jsonl\":{\"0\":200}},\"length\":$(wc -c < expect)}" ]
}

@test "a pipeline killed after kcount committed epoch 2 and kout epoch 1, run again: exactly once" {
	records in.jsonl 6 3
	# What kcat-in -s would --commit-interval 1h have sent before it died: barriers after
	# lines 2 and 4, then line 4, then nothing.
	awk '
	function rec(   s) {
		s = $0
		sub(/\}$/, ",\"topic\":\"in.jsonl\",\"partition\":0,\"offset\":" (NR - 1) "}", s)
		print s
	}
	BEGIN { print "{\"@\":\"resume\",\"epoch\":0}" }
	NR <= 5 { rec() }
	NR == 2 { print "{\"@\":\"barrier\",\"epoch\":1,\"offsets\":{\"in.jsonl\":{\"0\":2}}}" }
	NR == 4 { print "{\"@\":\"barrier\",\"epoch\":2,\"offsets\":{\"in.jsonl\":{\"0\":4}}}" }
	' in.jsonl > cut
	run -3 --separate-stderr to_file kcount -s st cut
	# The sink died after its barrier 1 and one more record.
	head -n 5 actual > sink-input
	[ "$(sed -n 4p sink-input)" = '{"@":"barrier","epoch":1,"offsets":{"in.jsonl":{"0":2}}}' ]
	run -3 --separate-stderr kout -s st -o out.jsonl sink-input
	[ "$(wc -l < out.jsonl)" -eq 3 ]
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl | kcount -s st | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	counts_of in.jsonl > expect
	diff -u expect out.jsonl
	# The store holds each key's last count, once.
	run -0 --separate-stderr to_file kquery -s st --name kcount --all
	[ -z "$stderr" ]
	awk '{ k = $0; sub(/.*"key":"/, "", k); sub(/".*/, "", k); last[k] = $0 }
	    END { for (k in last) print last[k] }' expect | sort > want
	sort actual > got
	diff -u want got
}

@test "kcat-in -s | kwindow -s --emit final | kout -s -o: windows span runs, results once" {
	# Tumbling 10 s windows; the first run stops inside [20s,30s).
	printf '{"ts":%d,"key":"k","value":%d}\n' 1000 1 4000 2 12000 3 21000 4 > in.jsonl
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl |
	    kwindow -s st --tumbling 10s --emit final -a n=count -a sum="sum(.value)" |
	    kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	printf '{"ts":%d,"key":"k","value":%d}\n' 25000 5 33000 6 >> in.jsonl
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h --input records -f in.jsonl |
	    kwindow -s st --tumbling 10s --emit final -a n=count -a sum="sum(.value)" |
	    kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	cat > expect <<'EOF'
{"ts":4000,"key":"k","value":{"n":2,"sum":3},"window":{"start":0,"end":10000},"topic":"in.jsonl","partition":0,"offset":1}
{"ts":12000,"key":"k","value":{"n":1,"sum":3},"window":{"start":10000,"end":20000},"topic":"in.jsonl","partition":0,"offset":2}
{"ts":25000,"key":"k","value":{"n":2,"sum":9},"window":{"start":20000,"end":30000},"topic":"in.jsonl","partition":0,"offset":4}
EOF
	diff -u expect out.jsonl
}

# --- kcat-in -s -t: --commit-interval 1h Kafka offsets --------------------------------------------

@test "kcat-in -s -t: each partition starts at the checkpoint's offset, before -o" {
	kbroker_start -t in:2
	printf '%s\n' a b | kcat -P -p 0 -b "$KPIPE_BROKERS" -t in
	printf '%s\n' x | kcat -P -p 1 -b "$KPIPE_BROKERS" -t in
	# The first run reads partition 0 only.
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h -t in -p 0 -e --ts 0 | kout -s st -o out.jsonl
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	[ -z "$stderr" ]
	[ "$(ckpt st)" = '{"epoch":1,"offsets":{"in":{"0":2}},"length":140}' ]
	printf '%s\n' c | kcat -P -p 0 -b "$KPIPE_BROKERS" -t in
	printf '%s\n' y | kcat -P -p 1 -b "$KPIPE_BROKERS" -t in
	# -o end: partition 0 goes on from its checkpoint, partition 1, which
	# has none, starts at its end.
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h -t in -o end -e --ts 0
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":0,"key":null,"value":"c","topic":"in","partition":0,"offset":2}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":3,"1":2}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
	# -o beginning: the checkpoint still wins for partition 0.
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h -t in -o beginning -e --ts 0
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":0,"key":null,"value":"x","topic":"in","partition":1,"offset":0}
{"ts":0,"key":null,"value":"c","topic":"in","partition":0,"offset":2}
{"ts":0,"key":null,"value":"y","topic":"in","partition":1,"offset":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":3,"1":2}}}
{"@":"end"}
EOF
	[ -z "$stderr" ]
}

# Read lines from kcat-in (fd 6) and print them, $1 of them; fail after
# 30 seconds without one.
read_lines() {
	local i line
	for ((i = 0; i < $1; i++)); do
		IFS= read -r -t 30 -u 6 line || {
			echo "kcat-in: line $((i + 1)) of $1 missing" >&2
			return 1
		}
		printf '%s\n' "$line"
	done
}

@test "kcat-in -s -t --commit-interval: a barrier each interval after records, none while idle" {
	kbroker_start -t in:1
	mkfifo out.fifo
	kcat-in -s st -t in --ts 0 --commit-interval 100ms > out.fifo 2> reader.err 3>&- &
	echo $! > reader.pid
	exec 6< out.fifo
	read_lines 1 > got
	printf '%s\n' a | kcat -P -b "$KPIPE_BROKERS" -t in
	read_lines 2 >> got
	printf '%s\n' b | kcat -P -b "$KPIPE_BROKERS" -t in
	read_lines 2 >> got
	# Idle intervals write nothing; SIGTERM writes a barrier and end.
	kill "$(cat reader.pid)"
	read_lines 2 >> got
	wait "$(cat reader.pid)"
	rm reader.pid
	cat > expect <<'EOF'
{"@":"resume","epoch":0}
{"ts":0,"key":null,"value":"a","topic":"in","partition":0,"offset":0}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":1}}}
{"ts":0,"key":null,"value":"b","topic":"in","partition":0,"offset":1}
{"@":"barrier","epoch":2,"offsets":{"in":{"0":2}}}
{"@":"barrier","epoch":3,"offsets":{"in":{"0":2}}}
{"@":"end"}
EOF
	diff -u expect got
	[ ! -s reader.err ]
}

@test "kcat-in -s -g: the checkpoint keeps the offsets; the group gets no commit" {
	kbroker_start -t in:1
	printf '%s\n' a b | kcat -P -b "$KPIPE_BROKERS" -t in
	run -0 --separate-stderr bash -c '
	    kcat-in -s st --commit-interval 1h -g grp -X session.timeout.ms=6000 -t in -e --ts 0 |
	    kout -s st --format value -o out
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0' ]
	[ -z "$stderr" ]
	[ "$(cat out)" = $'a\nb' ]
	# The group has no offset stored: without -s it reads from the start.
	run -0 --separate-stderr kcat-in -g grp -X session.timeout.ms=6000 -t in -e --ts 0
	check_output <<'EOF'
{"ts":0,"key":null,"value":"a","topic":"in","partition":0,"offset":0}
{"ts":0,"key":null,"value":"b","topic":"in","partition":0,"offset":1}
EOF
	[ -z "$stderr" ]
}

@test "kwindow -s: windows committed at a barrier and closed after it leave the store; a rollback brings them back" {
	cat >run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1000,"key":"a","value":1}
{"ts":1500,"key":"b","value":1}
{"@":"barrier","epoch":1,"offsets":{}}
{"ts":2500,"key":"a","value":1}
{"@":"barrier","epoch":2,"offsets":{}}
EOF
	run -3 --separate-stderr kwindow -s st --tumbling 1s --emit final -a n=count run1
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"@":"barrier","epoch":1,"offsets":{}}
{"ts":1000,"key":"a","value":{"n":1},"window":{"start":1000,"end":2000}}
{"ts":1500,"key":"b","value":{"n":1},"window":{"start":1000,"end":2000}}
{"@":"barrier","epoch":2,"offsets":{}}
EOF
	# Epoch 2 closed [1000,2000): only a's [2000,3000) is left.
	run -0 --separate-stderr kquery -s st --name kwindow --all
	check_output <<'EOF'
{"ts":2500,"key":"a","value":{"n":1},"window":{"start":2000,"end":3000}}
EOF
	# Back to epoch 1: the closed windows are open again, and close again.
	printf '%s\n' '{"@":"resume","epoch":1}' '{"ts":2600,"key":"b","value":1}' \
	    '{"@":"end"}' >run2
	run -0 --separate-stderr kwindow -s st --tumbling 1s --emit final -a n=count run2
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":1000,"key":"a","value":{"n":1},"window":{"start":1000,"end":2000}}
{"ts":1500,"key":"b","value":{"n":1},"window":{"start":1000,"end":2000}}
{"@":"end"}
EOF
	run -0 --separate-stderr kquery -s st --name kwindow --all
	check_output <<'EOF'
{"ts":2600,"key":"b","value":{"n":1},"window":{"start":2000,"end":3000}}
EOF
}

@test "kcat-in -s -g: each barrier names the group, for a transactional sink to commit the offsets to" {
	kbroker_start -t in:1 -t out:1
	printf '%s\n' a b | kcat -P -b "$KPIPE_BROKERS" -t in
	run -0 --separate-stderr kcat-in -s st --commit-interval 1h -g grp -X session.timeout.ms=6000 \
	    -t in -e --ts 0
	check_output <<'EOF'
{"@":"resume","epoch":0}
{"ts":0,"key":null,"value":"a","topic":"in","partition":0,"offset":0}
{"ts":0,"key":null,"value":"b","topic":"in","partition":0,"offset":1}
{"@":"barrier","epoch":1,"offsets":{"in":{"0":2}},"group":"grp"}
{"@":"end"}
EOF
	# kout --eos sends them inside its transaction (kbroker keeps none).
	printf '%s\n' "$output" >stream
	run -0 --separate-stderr kout -s st --eos -t out stream
	[ -z "$stderr" ]
	[ "$(cat st/checkpoint)" = '{"epoch":1,"offsets":{"in":{"0":2}},"seq":2,"ends":{"out":{"0":2}}}' ]
}
