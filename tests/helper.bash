# Shared set-up for kpipe's bats files.
bats_require_minimum_version 1.5.0

# KPIPE_BIN selects the binaries under test (make sanitize sets it to the
# ASan+UBSan build); by default, those that make builds in bin/.
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
KPIPE_BIN=${KPIPE_BIN:-$TOP/bin}
PATH=$KPIPE_BIN:$PATH
FIX=$TOP/tests/fixtures
export LC_ALL=C

# Compare $output (of bats' run) with the expected text on standard input,
# in $T, the test's own directory.
check_output() {
	cat >"$T/expect"
	if [ -n "$output" ]; then
		printf '%s\n' "$output"
	fi >"$T/actual"
	diff -u "$T/expect" "$T/actual"
}

# Compare $stderr with the expected text on standard input.
check_stderr() {
	cat >"$T/expect.err"
	if [ -n "$stderr" ]; then
		printf '%s\n' "$stderr"
	fi >"$T/actual.err"
	diff -u "$T/expect.err" "$T/actual.err"
}

# The usage lines of command $1, as its man page's SYNOPSIS gives them:
# written once, for every bats file that checks them.
usage_of() {
	cat "$FIX/usage/$1"
}
