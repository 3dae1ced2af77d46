#!/usr/bin/env bats
# The man pages' EXAMPLES run as tests, as jq runs its manual's examples.
#
# tests/man-extract takes each .Dl line and .Bd -literal block of a page's
# EXAMPLES.  Each example runs with bash in a fresh copy of the files
# tests/fixtures/man-* (so that it runs as from tests/fixtures, and what it
# writes touches neither the sources nor the next example).  It must exit 0
# (with pipefail) and write exactly tests/fixtures/man-expected/PAGE.N on
# standard output, and PAGE.N.err, or nothing if there is none, on standard
# error.  Those files are written by hand.

load helper

# Run every example of man/$1.1; report each mismatch, then fail if any.
check_examples() {
	local page=$1 dir=$BATS_TEST_TMPDIR/$1 exp=$FIX/man-expected
	local n i f work st fails=0

	mkdir -p "$dir/ex"
	n=$("$TOP/tests/man-extract" "$TOP/man/$page.1" "$dir/ex")
	if [ "$n" -lt 1 ]; then
		echo "$page.1: no examples"
		return 1
	fi
	for ((i = 1; i <= n; i++)); do
		work=$dir/run$i
		mkdir "$work"
		for f in "$FIX"/man-*; do
			[ -f "$f" ] && cp "$f" "$work/"
		done
		# pipefail: a failing command inside a pipeline fails too.
		st=0
		(cd "$work" && bash -o pipefail "$dir/ex/$i") \
		    >"$dir/$i.out" 2>"$dir/$i.err" || st=$?
		if [ ! -f "$exp/$page.$i" ]; then
			echo "$page.1 example $i: no $exp/$page.$i:"
			cat "$dir/ex/$i"
			fails=$((fails + 1))
			continue
		fi
		if [ "$st" -ne 0 ]; then
			echo "$page.1 example $i: exit status $st:"
			cat "$dir/ex/$i"
			fails=$((fails + 1))
		fi
		diff -u "$exp/$page.$i" "$dir/$i.out" || fails=$((fails + 1))
		if [ -f "$exp/$page.$i.err" ]; then
			diff -u "$exp/$page.$i.err" "$dir/$i.err" ||
			    fails=$((fails + 1))
		else
			diff -u /dev/null "$dir/$i.err" || fails=$((fails + 1))
		fi
	done
	# An expected output whose example is gone is an error too.
	for f in "$exp/$page".*; do
		i=${f#"$exp/$page."}
		i=${i%.err}
		if [ "$i" -gt "$n" ]; then
			echo "$f: man/$page.1 has only $n examples"
			fails=$((fails + 1))
		fi
	done
	[ "$fails" -eq 0 ]
}

# Words of a usage text on one line, alternatives written a|b.
squeeze() {
	tr -s '[:space:]' ' ' | sed 's/ | /|/g; s/^ //; s/ $//'
}

# The SYNOPSIS of man/$1.1 must be the usage lines of "$1 -h".
check_synopsis() {
	local want got

	want=$(mandoc -Tascii "$TOP/man/$1.1" | col -b |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | squeeze)
	run -0 --separate-stderr "$1" -h
	got=$(printf '%s\n' "$output" | sed '1s/^usage: //' | squeeze)
	if [ "$got" != "$want" ]; then
		printf 'man/%s.1 SYNOPSIS: %s\n%s -h: %s\n' "$1" "$want" \
		    "$1" "$got"
		return 1
	fi
}

@test "kcat-in(1): EXAMPLES give the outputs shown" {
	check_examples kcat-in
}

@test "kfilter(1): EXAMPLES give the outputs shown" {
	check_examples kfilter
}

@test "kmap(1): EXAMPLES give the outputs shown" {
	check_examples kmap
}

@test "kout(1): EXAMPLES give the outputs shown" {
	check_examples kout
}

@test "kbroker(1): EXAMPLES give the outputs shown" {
	check_examples kbroker
}

@test "kcount(1): EXAMPLES give the outputs shown" {
	check_examples kcount
}

@test "kwindow(1): EXAMPLES give the outputs shown" {
	check_examples kwindow
}

@test "kquery(1): EXAMPLES give the outputs shown" {
	check_examples kquery
}

@test "kjoin(1): EXAMPLES give the outputs shown" {
	check_examples kjoin
}

@test "man pages: SYNOPSIS is what -h prints" {
	check_synopsis kcat-in
	check_synopsis kfilter
	check_synopsis kmap
	check_synopsis kout
	check_synopsis kbroker
	check_synopsis kcount
	check_synopsis kwindow
	check_synopsis kquery
	check_synopsis kjoin
}

@test "man pages: mandoc -Tlint -Wwarning finds nothing" {
	run -0 --separate-stderr mandoc -Tlint -Wwarning "$TOP"/man/*.1
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "man-extract: escapes back to text, one example per .Dl and .Bd" {
	cat >"$BATS_TEST_TMPDIR/t.1" <<'EOF'
.Sh DESCRIPTION
.Dl not an example
.Sh EXAMPLES
A line:
.Dl kout --format \(aq%k\en\(aq
A block:
.Bd -literal -offset indent
kfilter \(dq.value\(dq \e
  \&.x
.Ed
.Sh SEE ALSO
.Bd -literal
not an example
.Ed
EOF
	mkdir "$BATS_TEST_TMPDIR/ex"
	run -0 --separate-stderr "$TOP/tests/man-extract" \
	    "$BATS_TEST_TMPDIR/t.1" "$BATS_TEST_TMPDIR/ex"
	[ "$output" = 2 ]
	printf '%s\n' "kout --format '%k\\n'" >"$BATS_TEST_TMPDIR/want1"
	printf '%s\n' 'kfilter ".value" \' '  .x' >"$BATS_TEST_TMPDIR/want2"
	diff -u "$BATS_TEST_TMPDIR/want1" "$BATS_TEST_TMPDIR/ex/1"
	diff -u "$BATS_TEST_TMPDIR/want2" "$BATS_TEST_TMPDIR/ex/2"
}

@test "man-extract: an unknown escape is an error" {
	printf '%s\n' '.Sh EXAMPLES' '.Dl kout \(em' >"$BATS_TEST_TMPDIR/t.1"
	run -1 --separate-stderr "$TOP/tests/man-extract" \
	    "$BATS_TEST_TMPDIR/t.1" "$BATS_TEST_TMPDIR"
	[ "$stderr" = "man-extract: $BATS_TEST_TMPDIR/t.1:2: unknown escape \\(" ]
}
