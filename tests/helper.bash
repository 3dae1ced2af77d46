# Shared set-up for kpipe's bats files.
bats_require_minimum_version 1.5.0

# KPIPE_BIN selects the binaries under test (make sanitize sets it to the
# ASan+UBSan build); by default, those that make builds in bin/.
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
KPIPE_BIN=${KPIPE_BIN:-$TOP/bin}
PATH=$KPIPE_BIN:$PATH
FIX=$TOP/tests/fixtures
export LC_ALL=C
