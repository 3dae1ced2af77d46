#!/usr/bin/env bats
# Stateful pipelines end to end: word count, stock statistics, a state
# larger than memory, and kquery reading a store while its owner writes.
#
# Inputs are generated from a fixed seed; each answer is computed a second
# way, with tr, sort and awk, from the same input, never by a kpipe
# command.  Pipelines run under bash -c and print every command's exit
# status, so that none is lost in the pipe.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

teardown() {
	if [ -s "$T/owner.pid" ]; then
		kill "$(cat "$T/owner.pid")" 2>/dev/null || true
	fi
	exec 5>&- 6<&-
}

# Run a command with its standard output in ./actual, its status and
# stderr left to bats' run.
to_file() {
	"$@" > actual
}

# Print "key value" for each key's last update in kcount's output ($1).
last_counts() {
	awk '{
		k = $0; sub(/.*"key":"/, "", k); sub(/".*/, "", k)
		v = $0; sub(/.*"value":/, "", v); sub(/[,}].*/, "", v)
		c[k] = v
	} END {
		for (k in c)
			print k, c[k]
	}' "$1" | sort
}

@test "word count: kcat-in | kmap | kcount agrees with tr | sort | uniq -c" {
	# About 3500 words from a small vocabulary, mixed case, punctuation
	# around and inside words.
	awk 'BEGIN {
		srand(42)
		nw = split("the The THE quick Quick brown fox FOX jumps over lazy " \
		    "dog Dog kafka Kafka streams Streams unix pipe x2 snake_case " \
		    "well-known don\047t", w, " ")
		np = split(", . ; ! ? : ( ) \" - ...", p, " ")
		for (l = 0; l < 400; l++) {
			line = ""
			n = 5 + int(rand() * 8)
			for (i = 0; i < n; i++) {
				word = w[1 + int(rand() * nw)]
				if (rand() < 0.2)
					word = word p[1 + int(rand() * np)]
				if (rand() < 0.05)
					word = p[1 + int(rand() * np)] word
				line = line (i > 0 ? " " : "") word
			}
			print line
		}
	}' > text
	[ "$(wc -w < text)" -gt 3000 ]
	run -0 --separate-stderr bash -c '
	    kcat-in -f text |
	    kmap ".value | ascii_downcase | [splits(\"\\\\W+\")] | .[] | select(. != \"\" and . != \"the\") | {key: ., value: .}" |
	    kcount > counts
	    echo "status: ${PIPESTATUS[*]}"'
	[ "$output" = 'status: 0 0 0' ]
	[ -z "$stderr" ]
	tr -cs 'A-Za-z0-9_' '\n' < text | tr A-Z a-z | grep -v -e '^the$' -e '^$' |
	    sort | uniq -c | awk '{ print $2, $1 }' | sort > want
	last_counts counts > got
	diff -u want got
	# Every update is there: as many as words counted.
	[ "$(wc -l < counts)" -eq "$(awk '{ n += $2 } END { print n }' want)" ]
}

@test "stock statistics: kwindow --hopping 5s --advance 1s --emit final agrees with awk" {
	# 3000 trades of 4 tickers, ts from 0 up by 0 to 300 ms, asks with
	# two decimals.
	awk 'BEGIN {
		srand(42)
		split("AAPL MSFT GOOG AMZN", sym, " ")
		ts = 0
		for (i = 0; i < 3000; i++) {
			ts += int(rand() * 301)
			s = sym[1 + int(rand() * 4)]
			printf "{\"ts\":%d,\"key\":\"%s\",\"value\":{\"sym\":\"%s\",\"ask\":%.2f}}\n",
			    ts, s, s, 100 + int(rand() * 5000) / 100
		}
	}' > trades.jsonl
	run -0 --separate-stderr to_file kwindow --hopping 5s --advance 1s --emit final --close-at-end \
	    -a min_ask='min(.value.ask)' -a n=count -a avg_ask='avg(.value.ask)' trades.jsonl
	[ -z "$stderr" ]
	# Each trade falls in the windows [k*1000, k*1000+5000) that hold its
	# ts, k >= 0; final results come by window end, then ticker.
	awk -F '[:,}]' '{
		ts = $2; s = $4; gsub(/"/, "", s); ask = $9 + 0
		k0 = int((ts - 5000) / 1000) + 1
		if (ts < 5000)
			k0 = 0
		for (k = k0; k * 1000 <= ts; k++) {
			g = s " " k
			if (!(g in n) || ask < lo[g])
				lo[g] = ask
			n[g]++
			sum[g] += ask
		}
	} END {
		for (g in n) {
			split(g, a, " ")
			printf "%d %s %d %d %.2f %.6f\n", a[2] * 1000 + 5000, a[1],
			    a[2] * 1000, n[g], lo[g], sum[g] / n[g]
		}
	}' trades.jsonl | sort -k1,1n -k2,2 > want
	awk '
	function get(name,   v) {
		v = $0
		if (!sub(".*\"" name "\":", "", v))
			return "MISSING"
		sub(/[,}].*/, "", v)
		gsub(/"/, "", v)
		return v
	}
	{
		printf "%d %s %d %d %.2f %.6f\n", get("end"), get("key"), get("start"),
		    get("n"), get("min_ask"), get("avg_ask")
	}' actual > got
	diff -u want got
	[ "$(wc -l < got)" -gt 1000 ]
}

@test "state larger than memory: 1,000,000 keys through --cache-size 1m, twice" {
	# About ten seconds; a second run over the same keys adds one to each.
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++) {
			printf "{\"ts\":%d,\"key\":\"k%07d\",\"value\":1}\n", i, i > "in"
			printf "{\"ts\":%d,\"key\":\"k%07d\",\"value\":1}\n", i, i > "want1"
			printf "{\"ts\":%d,\"key\":\"k%07d\",\"value\":2}\n", i, i > "want2"
			# The same records with a barrier every 10000, as kcat-in
			# -s commits.
			print "{\"ts\":" i ",\"key\":\"k" sprintf("%07d", i) "\",\"value\":1}" > "in-barriers"
			if (i % 10000 == 9999) {
				print "{\"@\":\"barrier\",\"epoch\":" (i + 1) / 10000 "}" > "in-barriers"
				print "{\"@\":\"barrier\",\"epoch\":" (i + 1) / 10000 "}" > "want2"
			}
		}
	}'
	run -0 --separate-stderr to_file kcount --cache-size 1m -s st in
	[ -z "$stderr" ]
	cmp want1 actual
	run -0 --separate-stderr to_file kcount --cache-size 1m -s st in-barriers
	[ -z "$stderr" ]
	cmp want2 actual
}

@test "state larger than memory: a second run of 1,000,000 updates in one epoch" {
	# No barrier: one transaction updates every stored key.
	awk 'BEGIN {
		for (i = 0; i < 1000000; i++) {
			printf "{\"ts\":%d,\"key\":\"k%07d\",\"value\":1}\n", i, i > "in"
			printf "{\"ts\":%d,\"key\":\"k%07d\",\"value\":2}\n", i, i > "want2"
		}
	}'
	run -0 --separate-stderr to_file kcount --cache-size 1m -s st in
	run -0 --separate-stderr to_file kcount --cache-size 1m -s st in
	[ -z "$stderr" ]
	cmp want2 actual
}

# --- kquery while the owner writes --------------------------------------------

# Read lines from the owner (fd 6) up to and including one equal to $1;
# fail after 60 seconds without it.
read_until() {
	local line
	while IFS= read -r -t 60 -u 6 line; do
		[ "$line" = "$1" ] && return 0
	done
	echo "no '$1' from the owner" >&2
	return 1
}

# Read $1 lines from the owner (fd 6).
read_lines() {
	local i line
	for ((i = 0; i < $1; i++)); do
		IFS= read -r -t 60 -u 6 line || { echo "owner: line $i of $1 missing" >&2; return 1; }
	done
}

# kquery --all: exit 0 and every key of 50 with the same count, which is
# $1 if given, or no key at all (0); prints the count.
consistent() {
	timeout 60 kquery -s st --all > q || { echo "kquery: exit $?" >&2; return 1; }
	awk -v want="${1-}" '{
		v = $0; sub(/.*"value":/, "", v); sub(/[,}].*/, "", v)
		k = $0; sub(/.*"key":"/, "", k); sub(/".*/, "", k)
		keys[k] = 1
		c[v]++
		n++
	} END {
		nk = 0
		for (k in keys)
			nk++
		nc = 0
		for (v in c) {
			nc++
			val = v
		}
		if (n == 0 && (want == "" || want == 0)) {
			print 0
			exit 0
		}
		if (n != 50 || nk != 50 || nc != 1 || (want != "" && val != want)) {
			printf "torn view: %d lines, %d keys, counts:", n, nk > "/dev/stderr"
			for (v in c)
				printf " %s x%d", v, c[v] > "/dev/stderr"
			printf " (want %s)\n", want > "/dev/stderr"
			exit 1
		}
		print val
	}' q
}

@test "kquery during a run sees whole epochs only, never a torn view" {
	# 50 keys of 2000 bytes: about 29 groups fill the 64k table, so the
	# owner writes groups into its open transaction before each barrier.
	awk 'BEGIN {
		pad = sprintf("%2000s", "")
		gsub(/ /, "x", pad)
		for (k = 0; k < 50; k++)
			printf "key%02d-%s\n", k, pad > "keys"
	}'
	# Each epoch in two halves: 25 records, then 25 and the barrier.
	for e in 1 2 3 4 5 6; do
		awk -v e="$e" '{
			printf "{\"ts\":%d,\"key\":\"%s\",\"value\":1}\n", e * 100 + NR, $0 \
			    > (NR <= 25 ? "first" e : "second" e)
		} END {
			printf "{\"@\":\"barrier\",\"epoch\":%d}\n", e > ("second" e)
		}' keys
	done
	mkfifo in.fifo out.fifo
	kcount -s st --cache-size 64k < in.fifo > out.fifo 2> owner.err 3>&- &
	echo $! > owner.pid
	exec 5> in.fifo
	exec 6< out.fifo
	echo '{"@":"barrier","epoch":0}' >&5
	read_until '{"@":"barrier","epoch":0}'
	[ "$(consistent 0)" = 0 ]
	for e in 1 2 3 4 5 6; do
		# The owner has half of epoch e, uncommitted, when kquery starts
		# three times, and reads the rest while they run: each sees
		# epoch e - 1 or epoch e, whole.
		cat "first$e" >&5
		read_lines 25
		(for i in 1 2 3; do consistent || exit 1; done) > "seen$e" 3>&- &
		queries=$!
		cat "second$e" >&5 3>&- &
		read_until "{\"@\":\"barrier\",\"epoch\":$e}"
		wait "$queries"
		[ "$(wc -l < "seen$e")" -eq 3 ]
		[ -z "$(grep -v -x -e $((e - 1)) -e "$e" "seen$e")" ]
		# Once the barrier is back, the epoch is committed.
		for i in 1 2 3; do
			[ "$(consistent "$e")" = "$e" ]
		done
	done
	echo '{"@":"end"}' >&5
	exec 5>&-
	read_until '{"@":"end"}'
	wait "$(cat owner.pid)"
	rm owner.pid
	[ ! -s owner.err ]
	[ "$(consistent 6)" = 6 ]
}

# The owner holds the store from the first write of an epoch (here: its
# groups outgrow a 64 KiB cache) to its commit; kquery waits for that
# commit, then reads it whole.
@test "kquery waits for an epoch half written, then reads its commit" {
	awk 'BEGIN {
		pad = sprintf("%3000s", "")
		gsub(/ /, "x", pad)
		for (k = 0; k < 25; k++)
			printf "{\"ts\":%d,\"key\":\"key%02d-%s\",\"value\":1}\n", k, k, pad > "half"
	}'
	mkfifo in.fifo out.fifo
	kcount -s st --cache-size 64k < in.fifo > out.fifo 2> owner.err 3>&- &
	echo $! > owner.pid
	exec 5> in.fifo
	exec 6< out.fifo
	echo '{"@":"barrier","epoch":0}' >&5
	read_until '{"@":"barrier","epoch":0}'
	# 25 groups of 3 KB overflow the table: they are written, uncommitted.
	cat half >&5
	read_lines 25
	kquery -s st --all > query.out 2> query.err 3>&- &
	echo '{"@":"barrier","epoch":1}' >&5
	read_until '{"@":"barrier","epoch":1}'
	wait $!
	[ ! -s query.err ]
	[ "$(wc -l < query.out)" = 25 ]
	[ "$(grep -c '"value":1}$' query.out)" = 25 ]
	echo '{"@":"end"}' >&5
	exec 5>&-
	read_until '{"@":"end"}'
	wait "$(cat owner.pid)"
	rm owner.pid
	[ ! -s owner.err ]
}

@test "kquery -m: it gives up on an owner that does not commit, and the owner goes on" {
	awk 'BEGIN {
		pad = sprintf("%3000s", "")
		gsub(/ /, "x", pad)
		for (k = 0; k < 25; k++)
			printf "{\"ts\":%d,\"key\":\"key%02d-%s\",\"value\":1}\n", k, k, pad > "half"
	}'
	mkfifo in.fifo out.fifo
	kcount -s st --cache-size 64k < in.fifo > out.fifo 2> owner.err 3>&- &
	echo $! > owner.pid
	exec 5> in.fifo
	exec 6< out.fifo
	echo '{"@":"barrier","epoch":0}' >&5
	read_until '{"@":"barrier","epoch":0}'
	# 25 groups of 3 KB overflow the table: they are written, uncommitted.
	cat half >&5
	read_lines 25
	run -5 --separate-stderr kquery -s st --all -m 1
	[ -z "$output" ]
	check_stderr <<'END'
kquery: store 'st/kcount': busy: its owner did not commit within 1 s
END
	echo '{"@":"barrier","epoch":1}' >&5
	read_until '{"@":"barrier","epoch":1}'
	run -0 --separate-stderr kquery -s st --all
	[ "${#lines[@]}" = 25 ]
	echo '{"@":"end"}' >&5
	exec 5>&-
	read_until '{"@":"end"}'
	wait "$(cat owner.pid)"
	rm owner.pid
	[ ! -s owner.err ]
}

@test "a kquery cut short by | head leaves the owner running" {
	mkfifo in.fifo out.fifo
	kcount -s st < in.fifo > out.fifo 2> owner.err 3>&- &
	echo $! > owner.pid
	exec 5> in.fifo
	exec 6< out.fifo
	awk 'BEGIN { for (i = 0; i < 5000; i++) printf "{\"ts\":%d,\"key\":\"k%05d\",\"value\":1}\n", i, i }' >&5
	echo '{"@":"barrier","epoch":1}' >&5
	read_until '{"@":"barrier","epoch":1}'
	# 5000 lines do not fit in the pipe: head's exit kills kquery.
	run -0 --separate-stderr bash -c 'kquery -s st --all | head -1; echo "status: ${PIPESTATUS[*]}"'
	check_output <<'EOF'
{"ts":0,"key":"k00000","value":1}
status: 141 0
EOF
	run -0 --separate-stderr kquery -s st k00001
	[ "$output" = '{"ts":1,"key":"k00001","value":1}' ]
	echo '{"ts":9,"key":"k00001","value":1}' >&5
	echo '{"@":"end"}' >&5
	exec 5>&-
	read_until '{"@":"end"}'
	wait "$(cat owner.pid)"
	rm owner.pid
	[ ! -s owner.err ]
}
