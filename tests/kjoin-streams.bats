#!/usr/bin/env bats
# kjoin with a window: two streams joined by key within a time window, as
# Kafka Streams' KStream-KStream join, leftJoin and outerJoin.  Here: the
# options and their errors, both forms of input, an independent jq model
# of which pairs join, state across runs and checkpoints, and the seed's
# example 14.4.3 through kbroker.  Kafka Streams' own cases, record by
# record, are in kjoin-window.bats.
#
# The model: over records in ts order (so none is late), a left record at
# t and a right record at u with the same key join when
# t - before <= u <= t + after; a left join adds each left record that
# joins nothing, with $right null; an outer join adds each right record
# that joins nothing too.  With --close-at-end that is every result.

load helper
load kafka

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

teardown() {
	kbroker_stop
}

usage_error() {
	local msg=$1
	shift
	run -2 --separate-stderr kjoin "$@" < /dev/null
	[ -z "$output" ]
	{ echo "kjoin: $msg"; usage_of kjoin; } | check_stderr
}

LR=(--left-topic L --right-topic R)

# gen SEED N KEYS: N records in rising ts order (steps of 0 to 300 ms,
# so some times repeat), topics L and R at random, integer keys 0..KEYS-1,
# values naming topic and offset.
gen() {
	awk -v seed="$1" -v n="$2" -v keys="$3" 'BEGIN {
		srand(seed)
		ts = 1795530600000
		for (i = 0; i < n; i++) {
			ts += int(rand() * 300)
			if (rand() < 0.5) { t = "L"; o = nl++ } else { t = "R"; o = nr++ }
			printf "{\"ts\":%.0f,\"key\":%d,\"value\":\"%s%d\",\"topic\":\"%s\",\"partition\":0,\"offset\":%d}\n",
			    ts, int(rand() * keys), t, o, t, o
		}
	}'
}

# model TYPE BEFORE AFTER < merged: the results, as {ts,key,value} lines,
# sorted.
model() {
	jq -c -n --arg type "$1" --argjson b "$2" --argjson a "$3" '
		[inputs] as $all
		| [$all[] | select(.topic == "L")] as $L
		| [$all[] | select(.topic == "R")] as $R
		| def pairs($l): [$R[] | select(.key == $l.key and
		      .ts >= $l.ts - $b and .ts <= $l.ts + $a)];
		  def partners($r): [$L[] | select(.key == $r.key and
		      $r.ts >= .ts - $b and $r.ts <= .ts + $a)];
		( $L[] as $l | pairs($l)[]
		  | {ts: ([$l.ts, .ts] | max), key: .key,
		     value: {left: $l.value, right: .value}} ),
		( if $type != "inner" then $L[] as $l
		  | select(pairs($l) | length == 0)
		  | {ts: $l.ts, key: $l.key, value: {left: $l.value, right: null}}
		  else empty end ),
		( if $type == "outer" then $R[] as $r
		  | select(partners($r) | length == 0)
		  | {ts: $r.ts, key: $r.key, value: {left: null, right: $r.value}}
		  else empty end )' | sort
}

# results < kjoin output: its data records as {ts,key,value} lines, sorted.
results() {
	jq -c 'select(has("@") | not) | {ts, key, value}' | sort
}

# --- options and usage errors -------------------------------------------

@test "usage error: durations that are not durations" {
	usage_error "--window 'x': not a duration" --window x "${LR[@]}"
	usage_error "--before '': not a duration" --before '' "${LR[@]}"
	usage_error "--after '1y': unknown unit" --after 1y "${LR[@]}"
	usage_error "--grace '-1s': not a duration" --window 1s --grace -1s "${LR[@]}"
	usage_error "option '--window' needs an argument" "${LR[@]}" --window
	usage_error "option '--close-at-end' takes no argument" --window 1 \
	    --close-at-end=yes "${LR[@]}"
}

@test "usage error: --grace or --close-at-end without a window or --table" {
	local m='give --table, --tables, --fk or a window (--window, --before, --after)'
	usage_error "$m" --grace 1s "${LR[@]}"
	usage_error "$m" --close-at-end "${LR[@]}"
	usage_error "$m" --type outer "${LR[@]}"
}

@test "usage error: the inputs are as for a table" {
	usage_error 'give --right file, or --left-topic and --right-topic' --window 1s
	usage_error '--left-topic and --right-topic go together' --window 1s --left-topic L
	usage_error '--right and --left-topic exclude each other' --window 1s \
	    "${LR[@]}" --right /dev/null
}

# --- windows --------------------------------------------------------------

@test "--window D is --before D --after D; --before and --after set one side each" {
	cat > in <<'EOF'
{"ts":1000,"key":"k","value":"l","topic":"L"}
{"ts":1000,"key":"k","value":"r0","topic":"R"}
{"ts":1500,"key":"k","value":"r1","topic":"R"}
{"ts":2000,"key":"k","value":"r2","topic":"R"}
{"ts":2001,"key":"k","value":"r3","topic":"R"}
EOF
	# Right records before the left one, for --before.
	cat > in2 <<'EOF'
{"ts":0,"key":"k","value":"r0","topic":"R"}
{"ts":499,"key":"k","value":"r1","topic":"R"}
{"ts":500,"key":"k","value":"r2","topic":"R"}
{"ts":1000,"key":"k","value":"l","topic":"L"}
EOF
	run -0 kjoin --window 1s "${LR[@]}" in
	check_output <<'EOF'
{"ts":1000,"key":"k","value":{"left":"l","right":"r0"},"topic":"R"}
{"ts":1500,"key":"k","value":{"left":"l","right":"r1"},"topic":"R"}
{"ts":2000,"key":"k","value":{"left":"l","right":"r2"},"topic":"R"}
EOF
	run -0 kjoin --before 0 --after 500ms "${LR[@]}" in
	check_output <<'EOF'
{"ts":1000,"key":"k","value":{"left":"l","right":"r0"},"topic":"R"}
{"ts":1500,"key":"k","value":{"left":"l","right":"r1"},"topic":"R"}
EOF
	run -0 kjoin --window 1s --after 0 "${LR[@]}" in
	check_output <<'EOF'
{"ts":1000,"key":"k","value":{"left":"l","right":"r0"},"topic":"R"}
EOF
	run -0 kjoin --window 1s "${LR[@]}" in2
	check_output <<'EOF'
{"ts":1000,"key":"k","value":{"left":"l","right":"r0"},"topic":"L"}
{"ts":1000,"key":"k","value":{"left":"l","right":"r1"},"topic":"L"}
{"ts":1000,"key":"k","value":{"left":"l","right":"r2"},"topic":"L"}
EOF
	run -0 kjoin --before 500 "${LR[@]}" in2
	check_output <<'EOF'
{"ts":1000,"key":"k","value":{"left":"l","right":"r2"},"topic":"L"}
EOF
	# --after alone: before is 0.
	run -0 kjoin --after 5s "${LR[@]}" in2
	[ -z "$output" ]
}

@test "inner, left and outer joins of 600 records agree with a jq model of the pairs" {
	gen 14 600 12 > merged
	for type in inner left outer; do
		model $type 1000 1000 < merged > want
		kjoin --window 1s --type $type --close-at-end "${LR[@]}" merged |
		    results > got
		diff -u want got
		[ "$(wc -l < got)" -gt 100 ]
	done
	# The model has unmatched records on both sides, and pairs.
	grep -q '"left":null' want
	grep -q '"right":null' want
	grep -q '"left":"L.*"right":"R' want
}

@test "an asymmetric window (--before 200 --after 700) agrees with the model" {
	gen 7 600 8 > merged
	for type in inner left outer; do
		model $type 200 700 < merged > want
		kjoin --before 200 --after 700 --type $type --close-at-end \
		    "${LR[@]}" merged | results > got
		diff -u want got
	done
}

@test "--right file gives what the merged stream gives, byte for byte" {
	gen 99 600 12 > merged
	# --right takes a right record before a left one of the same time:
	# the merge in that order.
	jq -c -s 'to_entries | sort_by(.value.ts, (.value.topic != "R"), .key)
	    | .[].value' merged > sorted
	grep '"topic":"L"' sorted > left
	grep '"topic":"R"' sorted > right
	for type in inner left outer; do
		kjoin --window 1s --type $type --close-at-end "${LR[@]}" sorted > want
		run -0 kjoin --window 1s --type $type --close-at-end --right right left
		printf '%s\n' "$output" | diff -u want -
	done
}

@test "--right: the file's records after the last left record are joined at the end" {
	printf '%s\n' '{"ts":1,"key":"k","value":"l"}' > left
	printf '%s\n' '{"ts":0,"key":"k","value":"r0"}' \
	    '{"ts":9,"key":"k","value":"r9"}' '{"ts":99,"key":"k","value":"r99"}' > right
	run -0 kjoin --window 10 --type outer --close-at-end --right right left
	check_output <<'EOF'
{"ts":1,"key":"k","value":{"left":"l","right":"r0"}}
{"ts":9,"key":"k","value":{"left":"l","right":"r9"}}
{"ts":99,"key":"k","value":{"left":null,"right":"r99"}}
EOF
}

# --- the end, ticks, what is skipped ----------------------------------------

@test "without --close-at-end what waits is not written; with it, at end or EOF, in store order" {
	cat > in <<'EOF'
{"ts":10,"key":"b","value":"B","topic":"L"}
{"ts":10,"key":"a","value":"a","topic":"R"}
{"ts":10,"key":"a","value":"A","topic":"L","offset":3}
{"ts":5,"key":"c","value":"c","topic":"R"}
EOF
	run -0 kjoin --window 100 --type outer "${LR[@]}" in
	check_output <<'EOF'
{"ts":10,"key":"a","value":{"left":"A","right":"a"},"topic":"L","offset":3}
EOF
	# By ts, right before left, then key; none carries provenance.
	run -0 kjoin --window 100 --type outer --close-at-end "${LR[@]}" in
	check_output <<'EOF'
{"ts":10,"key":"a","value":{"left":"A","right":"a"},"topic":"L","offset":3}
{"ts":5,"key":"c","value":{"left":null,"right":"c"}}
{"ts":10,"key":"b","value":{"left":"B","right":null}}
EOF
	printf '%s\n' '{"@":"end"}' '{"ts":1000,"key":"x","value":"X","topic":"L"}' >> in
	run -0 kjoin --window 100 --type outer --close-at-end "${LR[@]}" in
	check_output <<'EOF'
{"ts":10,"key":"a","value":{"left":"A","right":"a"},"topic":"L","offset":3}
{"ts":5,"key":"c","value":{"left":null,"right":"c"}}
{"ts":10,"key":"b","value":{"left":"B","right":null}}
{"@":"end"}
EOF
}

@test "a tick brings stream time forward and writes what has closed, before itself" {
	cat > in <<'EOF'
{"ts":10,"key":"a","value":"A","topic":"L"}
{"ts":20,"key":"b","value":"b","topic":"R"}
{"@":"tick","ts":115}
{"@":"tick","ts":500}
EOF
	run -0 kjoin --window 100 --type outer "${LR[@]}" in
	check_output <<'EOF'
{"ts":10,"key":"a","value":{"left":"A","right":null}}
{"@":"tick","ts":115}
{"ts":20,"key":"b","value":{"left":null,"right":"b"}}
{"@":"tick","ts":500}
EOF
}

@test "null keys and null values are skipped and counted; -q is silent" {
	cat > in <<'EOF'
{"ts":1,"key":null,"value":"A","topic":"L"}
{"ts":2,"value":"b","topic":"R"}
{"ts":3,"key":"k","value":null,"topic":"L"}
{"ts":4,"key":"k","topic":"R"}
{"ts":5,"key":"k","value":"K","topic":"L"}
EOF
	run -0 --separate-stderr kjoin --window 100 --type outer --close-at-end "${LR[@]}" in
	check_output <<'EOF'
{"ts":5,"key":"k","value":{"left":"K","right":null}}
EOF
	check_stderr <<'EOF'
kjoin: skipped 2 records with a null key
kjoin: skipped 2 records with a null value
EOF
	run -0 --separate-stderr kjoin -q --window 100 "${LR[@]}" in
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "a record older than its side keeps still joins, but is not kept, and is counted" {
	# Retention 100+100+0: once L has seen 1000, an L record at 800 is
	# too old to keep; it still joins the R record at 850.
	cat > in <<'EOF'
{"ts":1000,"key":"x","value":"X","topic":"L"}
{"ts":850,"key":"k","value":"r","topic":"R"}
{"ts":800,"key":"k","value":"l","topic":"L"}
{"ts":860,"key":"k","value":"r2","topic":"R"}
EOF
	run -0 --separate-stderr kjoin --window 100 "${LR[@]}" in
	check_output <<'EOF'
{"ts":850,"key":"k","value":{"left":"l","right":"r"},"topic":"L"}
EOF
	check_stderr <<'EOF'
kjoin: kept 1 record out of the join buffers: older than their side's retention
EOF
}

@test "--with builds the value from \$left and \$right; no output, no result" {
	printf '%s\n' '{"ts":1,"key":"k","value":{"n":1},"topic":"L"}' \
	    '{"ts":2,"key":"k","value":{"n":2},"topic":"R"}' \
	    '{"ts":3,"key":"k","value":{"n":0},"topic":"R"}' > in
	run -0 kjoin --window 10 "${LR[@]}" --arg sep - \
	    --with 'select($right.n > 0) | "\($left.n)\($sep)\($right.n)"' in
	check_output <<'EOF'
{"ts":2,"key":"k","value":"1-2","topic":"R"}
EOF
}

# --- state ----------------------------------------------------------------

@test "-s: windows span runs; two runs write what one run writes" {
	gen 3 800 10 > merged
	head -n 400 merged > part1
	tail -n +401 merged > part2
	kjoin --window 1s --type outer --close-at-end "${LR[@]}" merged > want
	kjoin -s st --window 1s --type outer "${LR[@]}" part1 > got
	kjoin -s st --window 1s --type outer --close-at-end "${LR[@]}" part2 >> got
	diff -u want got
	# Without -s the second run knows nothing of the first.
	kjoin --window 1s --type outer "${LR[@]}" part1 > got
	kjoin --window 1s --type outer --close-at-end "${LR[@]}" part2 >> got
	! diff -q want got
}

@test "-s with --right: a second run reads the file from where the first stopped" {
	gen 5 400 6 > merged
	grep '"topic":"L"' merged > left
	grep '"topic":"R"' merged > right
	kjoin --window 1s --type outer --close-at-end --right right left > want
	head -n 100 left > left1
	tail -n +101 left > left2
	kjoin -s st --window 1s --type outer --right right left1 > got
	kjoin -s st --window 1s --type outer --close-at-end --right right left2 >> got
	diff -u want got
}

@test "resume N rolls the buffers and stream time back to epoch N" {
	gen 11 300 6 > merged
	{
		echo '{"@":"resume","epoch":0}'
		head -n 100 merged
		echo '{"@":"barrier","epoch":1}'
		sed -n 101,200p merged
		echo '{"@":"barrier","epoch":2}'
		sed -n 201,250p merged
	} > run1
	{
		echo '{"@":"resume","epoch":1}'
		tail -n +101 merged
		echo '{"@":"end"}'
	} > run2
	{
		head -n 100 merged
		echo '{"@":"barrier","epoch":1}'
		tail -n +101 merged
		echo '{"@":"end"}'
	} > clean
	kjoin --window 1s --type outer --close-at-end "${LR[@]}" clean |
	    sed '1,/"barrier"/d' > want
	run -3 --separate-stderr kjoin -s st --window 1s --type outer \
	    --close-at-end "${LR[@]}" run1
	kjoin -s st --window 1s --type outer --close-at-end "${LR[@]}" run2 |
	    sed 1d > got
	diff -u want got
}

@test "the store refuses another window, grace or type: exit 5 naming it" {
	printf '%s\n' '{"ts":1,"key":"k","value":1,"topic":"L"}' > in
	kjoin -s st --window 1s "${LR[@]}" in
	run -5 --separate-stderr kjoin -s st --window 2s "${LR[@]}" in
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'before=1000', not 'before=2000'" ]
	run -5 --separate-stderr kjoin -s st --window 1s --grace 1 "${LR[@]}" in
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'grace=0', not 'grace=1'" ]
	run -5 --separate-stderr kjoin -s st --table "${LR[@]}" in
	[ "$stderr" = "kjoin: store 'st/kjoin' was made with 'join=\"window\"', not 'join=\"table\"'" ]
	# --close-at-end may change.
	run -0 kjoin -s st --window 1s --close-at-end "${LR[@]}" in
}

@test "kquery lists the records each side keeps, by side, key and ts" {
	cat > in <<'EOF'
{"ts":10,"key":"b","value":"B","topic":"L"}
{"ts":20,"key":"a","value":"a","topic":"R"}
{"ts":5,"key":"a","value":"A","topic":"L"}
{"ts":3000,"key":"c","value":"C","topic":"L"}
EOF
	kjoin -s st --window 1s "${LR[@]}" in > /dev/null
	# L's 5 and 10 are older than 3000 - 2000: gone.
	run -0 kquery -s st --name kjoin --all
	check_output <<'EOF'
{"side":"left","ts":3000,"key":"c","value":"C"}
{"side":"right","ts":20,"key":"a","value":"a"}
EOF
	run -0 kquery -s st --name kjoin a
	check_output <<'EOF'
{"side":"right","ts":20,"key":"a","value":"a"}
EOF
	run -0 kquery -s st --name kjoin --all --time-from 1000
	check_output <<'EOF'
{"side":"left","ts":3000,"key":"c","value":"C"}
EOF
}

# --- the seed's example 14.4.3 ------------------------------------------------

@test "14.4.3: views left-joined to profiles, then to searches 0-1 s after, through kbroker" {
	# Views, searches and profile updates for users 1-30, at rising
	# distinct times; users 21-30 have no profile; some profiles are
	# deleted.
	awk 'BEGIN {
		srand(1443)
		ts = 1795530600000
		for (i = 0; i < 3000; i++) {
			ts += 1 + int(rand() * 200)
			r = rand()
			if (r < 0.1) {
				u = 1 + int(rand() * 20)
				if (rand() < 0.1)
					v = "null"
				else
					v = sprintf("{\"userID\":%d,\"userName\":\"user-%d\",\"zipcode\":\"%05d\",\"interests\":[\"i%d\"]}",
					    u, u, int(rand() * 100000), int(rand() * 5))
				printf "{\"ts\":%.0f,\"key\":%d,\"value\":%s}\n", ts, u, v > "profiles"
			} else if (r < 0.55) {
				printf "{\"ts\":%.0f,\"key\":%d,\"value\":{\"page\":\"/p%d\"}}\n",
				    ts, 1 + int(rand() * 30), int(rand() * 50) > "views"
			} else {
				printf "{\"ts\":%.0f,\"key\":%d,\"value\":{\"searchTerms\":\"q%d\"}}\n",
				    ts, 1 + int(rand() * 30), int(rand() * 50) > "searches"
			}
		}
	}'
	# The example's two ValueJoiners, UserActivity as JSON.
	profile='{userId: ($right.userID // -1), userName: ($right.userName // ""),
		zipcode: ($right.zipcode // ""), interests: $right.interests,
		searchTerm: "", page: $left.page}'
	search='$left + {searchTerm: ($right.searchTerms // "")}'
	kbroker_start -t views:1 -t profiles:1 -t searches:1 -t activity:2
	kout -t views views
	kout -t profiles profiles
	kout -t searches searches
	kcat-in -e -t views -t profiles |
	    kjoin --table --type left --left-topic views --right-topic profiles \
		--with "$profile" |
	    kjoin --before 0 --after 1s --type left --close-at-end \
		--right <(kcat-in -e -t searches) --with "$search" |
	    kout -t activity
	kcat-in -e -t activity | results > got
	# The model, from the files: each view finds the profile as it
	# stands at its time, then every search of its user 0 to 1000 ms
	# after it, or none.
	jq -c -n '
		[inputs] as $all
		| [$all[] | select(.value.searchTerms != null)] as $S
		| foreach ($all | sort_by(.ts))[] as $r ({t: {}, out: null};
			if $r.value.page == null and $r.value.searchTerms == null then
				.t[$r.key | tostring] = $r.value | .out = null
			elif $r.value.page != null then
				.t[$r.key | tostring] as $p | .out = {view: $r, p: $p}
			else .out = null end;
			.out // empty)
		| .view as $v | .p as $p
		| {userId: ($p.userID // -1), userName: ($p.userName // ""),
		   zipcode: ($p.zipcode // ""), interests: $p.interests,
		   searchTerm: "", page: $v.value.page} as $act
		| [$S[] | select(.key == $v.key and .ts >= $v.ts and .ts <= $v.ts + 1000)] as $m
		| if ($m | length) == 0 then {ts: $v.ts, key: $v.key, value: $act}
		  else $m[] | {ts: .ts, key: .key,
		      value: ($act + {searchTerm: .value.searchTerms})} end
	' profiles views searches | sort > want
	# Both sides of each join are there.
	grep -q '"userId":-1' want
	grep -q '"userName":"user-' want
	grep -q '"searchTerm":""' want
	grep -q '"searchTerm":"q' want
	[ "$(wc -l < want)" -ge "$(wc -l < views)" ]
	diff -u want got
}


# --- two tables, and a foreign key (Kafka's own cases: kjoin-tables.bats) ---

TT=(--left-topic stock --right-topic prices)

@test "usage error: --fk is inner or left, and must compile; tables have no window" {
	usage_error '--type outer: a foreign-key join is inner or left' \
	    --fk .k --type outer "${TT[@]}"
	run -2 --separate-stderr kjoin --fk '.k |' "${TT[@]}" < /dev/null
	[[ $stderr == "kjoin: --fk: "* ]]
	usage_error '--grace: a join of two tables has no window' \
	    --tables --grace 1s "${TT[@]}"
	local m='give --table, --tables, --fk or a window (--window, --before, --after)'
	usage_error "$m" --tables --table "${TT[@]}"
	usage_error "$m" --fk .k --window 1s "${TT[@]}"
}

@test "--tables with --right gives what the merged stream gives; -s keeps both tables" {
	cp "$FIX/man-stock.jsonl" merged
	grep '"topic":"stock"' merged > left
	grep '"topic":"prices"' merged > right
	run -0 kjoin --tables --type outer "${TT[@]}" merged
	printf '%s\n' "$output" > want
	[ "$(wc -l < want)" -eq 6 ]
	# --close-at-end: the input is bounded, and so is the file.
	run -0 kjoin --tables --type outer --close-at-end --right right left
	printf '%s\n' "$output" | diff -u want -
	run -0 kjoin --tables --type outer --right right left
	printf '%s\n' "$output" | head -n 5 | diff -u - <(head -n 5 want)
	# Two runs with -s write what one run writes.
	head -n 3 merged > part1
	tail -n +4 merged > part2
	kjoin -s st --tables --type outer "${TT[@]}" part1 > got
	kjoin -s st --tables --type outer "${TT[@]}" part2 >> got
	diff -u want got
	run -0 kquery -s st --name kjoin --all
	check_output <<'EOF'
{"side":"left","ts":1795530603000,"key":"apple","value":{"qty":2}}
{"side":"left","ts":1795530604000,"key":"pear","value":{"qty":7}}
{"side":"right","ts":1795530602000,"key":"pear","value":{"price":4}}
EOF
}

@test "--fk: a foreign key that fails in jq is bad input; null foreign keys are counted" {
	cat > in <<'EOF'
{"ts":1,"key":"c","value":{"name":"C"},"topic":"R"}
{"ts":2,"key":"a","value":{"fk":"c"},"topic":"L"}
{"ts":3,"key":"b","value":"text","topic":"L"}
{"ts":4,"key":"d","value":{"fk":null},"topic":"L"}
EOF
	run -1 --separate-stderr kjoin --fk .fk "${LR[@]}" in
	check_output <<'EOF'
{"ts":2,"key":"a","value":{"left":{"fk":"c"},"right":{"name":"C"}},"topic":"L"}
EOF
	[ "$stderr" = 'kjoin: in:3: jq: error: Cannot index string with string "fk"' ]
	run -0 --separate-stderr kjoin --fk .fk --on-error skip "${LR[@]}" in
	check_stderr <<'EOF'
kjoin: in:3: jq: error: Cannot index string with string "fk" (skipped)
kjoin: skipped 1 left row with a null foreign key
kjoin: skipped 1 bad line
EOF
	# A left join writes it, with $right null.
	run -0 --separate-stderr kjoin --fk .fk --type left --on-error skip -q "${LR[@]}" in
	check_output <<'EOF'
{"ts":2,"key":"a","value":{"left":{"fk":"c"},"right":{"name":"C"}},"topic":"L"}
{"ts":4,"key":"d","value":{"left":{"fk":null},"right":null},"topic":"L"}
EOF
}

@test "--fk with -s: the subscriptions persist, and roll back with the rows" {
	cat > run1 <<'EOF'
{"@":"resume","epoch":0}
{"ts":1,"key":"o1","value":{"c":"x"},"topic":"L"}
{"@":"barrier","epoch":1}
{"ts":2,"key":"o1","value":{"c":"y"},"topic":"L"}
{"ts":3,"key":"x","value":"X","topic":"R"}
{"@":"barrier","epoch":2}
EOF
	run -3 --separate-stderr kjoin -s st --fk .c --type left "${LR[@]}" run1
	# Resumed at 1: o1 names x again, so X reaches it.
	cat > run2 <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"x","value":"X","topic":"R"}
{"@":"end"}
EOF
	run -0 --separate-stderr kjoin -s st --fk .c --type left "${LR[@]}" run2
	check_output <<'EOF'
{"@":"resume","epoch":1}
{"ts":3,"key":"o1","value":{"left":{"c":"x"},"right":"X"},"topic":"R"}
{"@":"end"}
EOF
	# The next run goes on from there: y comes, then o1 moves to it.
	printf '%s\n' '{"ts":4,"key":"y","value":"Y","topic":"R"}' \
	    '{"ts":5,"key":"o1","value":{"c":"y"},"topic":"L"}' > run3
	run -0 --separate-stderr kjoin -s st --fk .c --type left "${LR[@]}" run3
	check_output <<'EOF'
{"ts":5,"key":"o1","value":{"left":{"c":"y"},"right":null},"topic":"L"}
{"ts":5,"key":"o1","value":{"left":{"c":"y"},"right":"Y"},"topic":"L"}
EOF
}
