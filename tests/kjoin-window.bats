#!/usr/bin/env bats
# kjoin --window: a stream joined with a stream over a time window, as Kafka
# Streams' KStream-KStream join, leftJoin and outerJoin (3.x, with the fix
# for spurious left/outer results, emitted at every record).  The cases are
# those of KStreamKStreamJoinTest, KStreamKStreamLeftJoinTest and
# KStreamKStreamOuterJoinTest, retold in kpipe's format, plus a few that pin
# down what Kafka's join processor (KStreamKStreamJoin) does where those
# tests do not look.
#
# Every test runs in its own $BATS_TEST_TMPDIR ($T).  The input is one merged
# stream in processing order: topic L is the left side, R the right one;
# each side counts its own offsets.  Left values are upper case ("A0"),
# right values lower case ("a0"); where Kafka's outer-join tests use numbers
# on the right (11, 100), they are "a11", "a100".  Expected outputs are
# written by hand from these rules:
#
# - A left record at t meets right records of its key with ts in
#   [t-before, t+after]; a right record at t meets left records in
#   [t-after, t+before].  --window D is --before D --after D; --grace is 0
#   unless given.
# - Each side keeps its records for before + after + grace of its own time
#   (the highest ts put to it): a record at or below that time minus the
#   retention is not kept, and a look-up sees only what is newer.  A record
#   looks up the other side first, and is kept on its own side after.
# - A match is written with the later of the two ts, the key, the two
#   values as {"left":...,"right":...}, and the provenance and headers of
#   the record being processed.  Matches come in the other side's ts order,
#   then its arrival order.
# - Stream time is the highest ts of both sides.  In a left join a left
#   record, in an outer join any record, that meets nothing is written at
#   once with null for the other side if its window's end (t+after for a
#   left record, t+before for a right one) is already behind stream time;
#   otherwise it waits.  A later match removes it.
# - A record whose ts is stream time first writes the waiting records whose
#   window end + grace is behind stream time, in order of ts, then right
#   before left, then key, with their own ts and key and the provenance and
#   headers of the record being processed; then come its own results.  It
#   does so only when stream time is past Kafka's TimeTracker.minTime +
#   its own side's after (after for a left record, before for a right one)
#   + grace; a pass stops once it has seen a waiting record of each side
#   still open.
# - A record with a null key or value is skipped and counted on stderr; a
#   null key is skipped in left and outer joins too, as before KIP-962.
# - --close-at-end writes the records still waiting when the input ends.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	unset KPIPE_STATE
}

# wjoin OPTIONS...: join the merged stream in the file "in", topic L on the
# left and R on the right; kjoin must exit 0.
wjoin() {
	run -0 --separate-stderr kjoin --left-topic L --right-topic R "$@" < in
}

# --- inner joins: KStreamKStreamJoinTest ----------------------------------

# Everything is at ts 0, so every pair of one key is in the window.  A record
# meets the other side's records of its key in the order they came.
@test "inner: all at ts 0, several records per key: each new record joins every earlier one of its key on the other side, oldest first (KStreamKStreamJoinTest.testJoin)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":0,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":0,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":0,"key":0,"value":"b0","topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":"b1","topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":"b2","topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":"b3","topic":"R","partition":0,"offset":5}
{"ts":0,"key":0,"value":"C0","topic":"L","partition":0,"offset":6}
{"ts":0,"key":1,"value":"C1","topic":"L","partition":0,"offset":7}
{"ts":0,"key":2,"value":"C2","topic":"L","partition":0,"offset":8}
{"ts":0,"key":3,"value":"C3","topic":"L","partition":0,"offset":9}
{"ts":0,"key":0,"value":"c0","topic":"R","partition":0,"offset":6}
{"ts":0,"key":1,"value":"c1","topic":"R","partition":0,"offset":7}
EOF
	wjoin --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":{"left":"B0","right":"a0"},"topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"B1","right":"a1"},"topic":"L","partition":0,"offset":3}
{"ts":0,"key":0,"value":{"left":"A0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"B0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"A1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":1,"value":{"left":"B1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":{"left":"B2","right":"b2"},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":{"left":"B3","right":"b3"},"topic":"R","partition":0,"offset":5}
{"ts":0,"key":0,"value":{"left":"C0","right":"a0"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":0,"value":{"left":"C0","right":"b0"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":1,"value":{"left":"C1","right":"a1"},"topic":"L","partition":0,"offset":7}
{"ts":0,"key":1,"value":{"left":"C1","right":"b1"},"topic":"L","partition":0,"offset":7}
{"ts":0,"key":2,"value":{"left":"C2","right":"b2"},"topic":"L","partition":0,"offset":8}
{"ts":0,"key":3,"value":{"left":"C3","right":"b3"},"topic":"L","partition":0,"offset":9}
{"ts":0,"key":0,"value":{"left":"A0","right":"c0"},"topic":"R","partition":0,"offset":6}
{"ts":0,"key":0,"value":{"left":"B0","right":"c0"},"topic":"R","partition":0,"offset":6}
{"ts":0,"key":0,"value":{"left":"C0","right":"c0"},"topic":"R","partition":0,"offset":6}
{"ts":0,"key":1,"value":{"left":"A1","right":"c1"},"topic":"R","partition":0,"offset":7}
{"ts":0,"key":1,"value":{"left":"B1","right":"c1"},"topic":"R","partition":0,"offset":7}
{"ts":0,"key":1,"value":{"left":"C1","right":"c1"},"topic":"R","partition":0,"offset":7}
EOF
}

# B0..B3 are at 1000..1003.  A right record at t sees left records in
# [t-100, t+100]: at 1100 all four, then one fewer each ms; the late ones
# from 899 on gain one each ms.  A0 and A1 at 0 are far outside.
@test "inner: right records probe the left side at t-100..t+100, its bounds inclusive, late ones too (KStreamKStreamJoinTest.testWindowing, first phase)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":1000,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":1001,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":1002,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":1003,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":1100,"key":0,"value":"b0","topic":"R","partition":0,"offset":2}
{"ts":1100,"key":1,"value":"b1","topic":"R","partition":0,"offset":3}
{"ts":1100,"key":2,"value":"b2","topic":"R","partition":0,"offset":4}
{"ts":1100,"key":3,"value":"b3","topic":"R","partition":0,"offset":5}
{"ts":1101,"key":0,"value":"c0","topic":"R","partition":0,"offset":6}
{"ts":1101,"key":1,"value":"c1","topic":"R","partition":0,"offset":7}
{"ts":1101,"key":2,"value":"c2","topic":"R","partition":0,"offset":8}
{"ts":1101,"key":3,"value":"c3","topic":"R","partition":0,"offset":9}
{"ts":1102,"key":0,"value":"d0","topic":"R","partition":0,"offset":10}
{"ts":1102,"key":1,"value":"d1","topic":"R","partition":0,"offset":11}
{"ts":1102,"key":2,"value":"d2","topic":"R","partition":0,"offset":12}
{"ts":1102,"key":3,"value":"d3","topic":"R","partition":0,"offset":13}
{"ts":1103,"key":0,"value":"e0","topic":"R","partition":0,"offset":14}
{"ts":1103,"key":1,"value":"e1","topic":"R","partition":0,"offset":15}
{"ts":1103,"key":2,"value":"e2","topic":"R","partition":0,"offset":16}
{"ts":1103,"key":3,"value":"e3","topic":"R","partition":0,"offset":17}
{"ts":1104,"key":0,"value":"f0","topic":"R","partition":0,"offset":18}
{"ts":1104,"key":1,"value":"f1","topic":"R","partition":0,"offset":19}
{"ts":1104,"key":2,"value":"f2","topic":"R","partition":0,"offset":20}
{"ts":1104,"key":3,"value":"f3","topic":"R","partition":0,"offset":21}
{"ts":899,"key":0,"value":"g0","topic":"R","partition":0,"offset":22}
{"ts":899,"key":1,"value":"g1","topic":"R","partition":0,"offset":23}
{"ts":899,"key":2,"value":"g2","topic":"R","partition":0,"offset":24}
{"ts":899,"key":3,"value":"g3","topic":"R","partition":0,"offset":25}
{"ts":900,"key":0,"value":"h0","topic":"R","partition":0,"offset":26}
{"ts":900,"key":1,"value":"h1","topic":"R","partition":0,"offset":27}
{"ts":900,"key":2,"value":"h2","topic":"R","partition":0,"offset":28}
{"ts":900,"key":3,"value":"h3","topic":"R","partition":0,"offset":29}
{"ts":901,"key":0,"value":"i0","topic":"R","partition":0,"offset":30}
{"ts":901,"key":1,"value":"i1","topic":"R","partition":0,"offset":31}
{"ts":901,"key":2,"value":"i2","topic":"R","partition":0,"offset":32}
{"ts":901,"key":3,"value":"i3","topic":"R","partition":0,"offset":33}
{"ts":902,"key":0,"value":"j0","topic":"R","partition":0,"offset":34}
{"ts":902,"key":1,"value":"j1","topic":"R","partition":0,"offset":35}
{"ts":902,"key":2,"value":"j2","topic":"R","partition":0,"offset":36}
{"ts":902,"key":3,"value":"j3","topic":"R","partition":0,"offset":37}
{"ts":903,"key":0,"value":"k0","topic":"R","partition":0,"offset":38}
{"ts":903,"key":1,"value":"k1","topic":"R","partition":0,"offset":39}
{"ts":903,"key":2,"value":"k2","topic":"R","partition":0,"offset":40}
{"ts":903,"key":3,"value":"k3","topic":"R","partition":0,"offset":41}
EOF
	wjoin --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":1100,"key":0,"value":{"left":"B0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"b2"},"topic":"R","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"b3"},"topic":"R","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"B1","right":"c1"},"topic":"R","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"B2","right":"c2"},"topic":"R","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"B3","right":"c3"},"topic":"R","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"B2","right":"d2"},"topic":"R","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"B3","right":"d3"},"topic":"R","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"B3","right":"e3"},"topic":"R","partition":0,"offset":17}
{"ts":1000,"key":0,"value":{"left":"B0","right":"h0"},"topic":"R","partition":0,"offset":26}
{"ts":1000,"key":0,"value":{"left":"B0","right":"i0"},"topic":"R","partition":0,"offset":30}
{"ts":1001,"key":1,"value":{"left":"B1","right":"i1"},"topic":"R","partition":0,"offset":31}
{"ts":1000,"key":0,"value":{"left":"B0","right":"j0"},"topic":"R","partition":0,"offset":34}
{"ts":1001,"key":1,"value":{"left":"B1","right":"j1"},"topic":"R","partition":0,"offset":35}
{"ts":1002,"key":2,"value":{"left":"B2","right":"j2"},"topic":"R","partition":0,"offset":36}
{"ts":1000,"key":0,"value":{"left":"B0","right":"k0"},"topic":"R","partition":0,"offset":38}
{"ts":1001,"key":1,"value":{"left":"B1","right":"k1"},"topic":"R","partition":0,"offset":39}
{"ts":1002,"key":2,"value":{"left":"B2","right":"k2"},"topic":"R","partition":0,"offset":40}
{"ts":1003,"key":3,"value":{"left":"B3","right":"k3"},"topic":"R","partition":0,"offset":41}
EOF
	wjoin --before 100 --after 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":1100,"key":0,"value":{"left":"B0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"b2"},"topic":"R","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"b3"},"topic":"R","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"B1","right":"c1"},"topic":"R","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"B2","right":"c2"},"topic":"R","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"B3","right":"c3"},"topic":"R","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"B2","right":"d2"},"topic":"R","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"B3","right":"d3"},"topic":"R","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"B3","right":"e3"},"topic":"R","partition":0,"offset":17}
{"ts":1000,"key":0,"value":{"left":"B0","right":"h0"},"topic":"R","partition":0,"offset":26}
{"ts":1000,"key":0,"value":{"left":"B0","right":"i0"},"topic":"R","partition":0,"offset":30}
{"ts":1001,"key":1,"value":{"left":"B1","right":"i1"},"topic":"R","partition":0,"offset":31}
{"ts":1000,"key":0,"value":{"left":"B0","right":"j0"},"topic":"R","partition":0,"offset":34}
{"ts":1001,"key":1,"value":{"left":"B1","right":"j1"},"topic":"R","partition":0,"offset":35}
{"ts":1002,"key":2,"value":{"left":"B2","right":"j2"},"topic":"R","partition":0,"offset":36}
{"ts":1000,"key":0,"value":{"left":"B0","right":"k0"},"topic":"R","partition":0,"offset":38}
{"ts":1001,"key":1,"value":{"left":"B1","right":"k1"},"topic":"R","partition":0,"offset":39}
{"ts":1002,"key":2,"value":{"left":"B2","right":"k2"},"topic":"R","partition":0,"offset":40}
{"ts":1003,"key":3,"value":{"left":"B3","right":"k3"},"topic":"R","partition":0,"offset":41}
EOF
}

# l0..l3 are at 2000..2003; each left record probes [t-100, t+100] of the
# right side, from above (2100..2104) and from below (1899..1903).
@test "inner: left records probe the right side at t-100..t+100, its bounds inclusive, late ones too (KStreamKStreamJoinTest.testWindowing, second phase)" {
	cat > in <<'EOF'
{"ts":2000,"key":0,"value":"l0","topic":"R","partition":0,"offset":0}
{"ts":2001,"key":1,"value":"l1","topic":"R","partition":0,"offset":1}
{"ts":2002,"key":2,"value":"l2","topic":"R","partition":0,"offset":2}
{"ts":2003,"key":3,"value":"l3","topic":"R","partition":0,"offset":3}
{"ts":2100,"key":0,"value":"C0","topic":"L","partition":0,"offset":0}
{"ts":2100,"key":1,"value":"C1","topic":"L","partition":0,"offset":1}
{"ts":2100,"key":2,"value":"C2","topic":"L","partition":0,"offset":2}
{"ts":2100,"key":3,"value":"C3","topic":"L","partition":0,"offset":3}
{"ts":2101,"key":0,"value":"D0","topic":"L","partition":0,"offset":4}
{"ts":2101,"key":1,"value":"D1","topic":"L","partition":0,"offset":5}
{"ts":2101,"key":2,"value":"D2","topic":"L","partition":0,"offset":6}
{"ts":2101,"key":3,"value":"D3","topic":"L","partition":0,"offset":7}
{"ts":2102,"key":0,"value":"E0","topic":"L","partition":0,"offset":8}
{"ts":2102,"key":1,"value":"E1","topic":"L","partition":0,"offset":9}
{"ts":2102,"key":2,"value":"E2","topic":"L","partition":0,"offset":10}
{"ts":2102,"key":3,"value":"E3","topic":"L","partition":0,"offset":11}
{"ts":2103,"key":0,"value":"F0","topic":"L","partition":0,"offset":12}
{"ts":2103,"key":1,"value":"F1","topic":"L","partition":0,"offset":13}
{"ts":2103,"key":2,"value":"F2","topic":"L","partition":0,"offset":14}
{"ts":2103,"key":3,"value":"F3","topic":"L","partition":0,"offset":15}
{"ts":2104,"key":0,"value":"G0","topic":"L","partition":0,"offset":16}
{"ts":2104,"key":1,"value":"G1","topic":"L","partition":0,"offset":17}
{"ts":2104,"key":2,"value":"G2","topic":"L","partition":0,"offset":18}
{"ts":2104,"key":3,"value":"G3","topic":"L","partition":0,"offset":19}
{"ts":1899,"key":0,"value":"H0","topic":"L","partition":0,"offset":20}
{"ts":1899,"key":1,"value":"H1","topic":"L","partition":0,"offset":21}
{"ts":1899,"key":2,"value":"H2","topic":"L","partition":0,"offset":22}
{"ts":1899,"key":3,"value":"H3","topic":"L","partition":0,"offset":23}
{"ts":1900,"key":0,"value":"I0","topic":"L","partition":0,"offset":24}
{"ts":1900,"key":1,"value":"I1","topic":"L","partition":0,"offset":25}
{"ts":1900,"key":2,"value":"I2","topic":"L","partition":0,"offset":26}
{"ts":1900,"key":3,"value":"I3","topic":"L","partition":0,"offset":27}
{"ts":1901,"key":0,"value":"J0","topic":"L","partition":0,"offset":28}
{"ts":1901,"key":1,"value":"J1","topic":"L","partition":0,"offset":29}
{"ts":1901,"key":2,"value":"J2","topic":"L","partition":0,"offset":30}
{"ts":1901,"key":3,"value":"J3","topic":"L","partition":0,"offset":31}
{"ts":1902,"key":0,"value":"K0","topic":"L","partition":0,"offset":32}
{"ts":1902,"key":1,"value":"K1","topic":"L","partition":0,"offset":33}
{"ts":1902,"key":2,"value":"K2","topic":"L","partition":0,"offset":34}
{"ts":1902,"key":3,"value":"K3","topic":"L","partition":0,"offset":35}
{"ts":1903,"key":0,"value":"L0","topic":"L","partition":0,"offset":36}
{"ts":1903,"key":1,"value":"L1","topic":"L","partition":0,"offset":37}
{"ts":1903,"key":2,"value":"L2","topic":"L","partition":0,"offset":38}
{"ts":1903,"key":3,"value":"L3","topic":"L","partition":0,"offset":39}
EOF
	wjoin --window 100
	check_output <<'EOF'
{"ts":2100,"key":0,"value":{"left":"C0","right":"l0"},"topic":"L","partition":0,"offset":0}
{"ts":2100,"key":1,"value":{"left":"C1","right":"l1"},"topic":"L","partition":0,"offset":1}
{"ts":2100,"key":2,"value":{"left":"C2","right":"l2"},"topic":"L","partition":0,"offset":2}
{"ts":2100,"key":3,"value":{"left":"C3","right":"l3"},"topic":"L","partition":0,"offset":3}
{"ts":2101,"key":1,"value":{"left":"D1","right":"l1"},"topic":"L","partition":0,"offset":5}
{"ts":2101,"key":2,"value":{"left":"D2","right":"l2"},"topic":"L","partition":0,"offset":6}
{"ts":2101,"key":3,"value":{"left":"D3","right":"l3"},"topic":"L","partition":0,"offset":7}
{"ts":2102,"key":2,"value":{"left":"E2","right":"l2"},"topic":"L","partition":0,"offset":10}
{"ts":2102,"key":3,"value":{"left":"E3","right":"l3"},"topic":"L","partition":0,"offset":11}
{"ts":2103,"key":3,"value":{"left":"F3","right":"l3"},"topic":"L","partition":0,"offset":15}
{"ts":2000,"key":0,"value":{"left":"I0","right":"l0"},"topic":"L","partition":0,"offset":24}
{"ts":2000,"key":0,"value":{"left":"J0","right":"l0"},"topic":"L","partition":0,"offset":28}
{"ts":2001,"key":1,"value":{"left":"J1","right":"l1"},"topic":"L","partition":0,"offset":29}
{"ts":2000,"key":0,"value":{"left":"K0","right":"l0"},"topic":"L","partition":0,"offset":32}
{"ts":2001,"key":1,"value":{"left":"K1","right":"l1"},"topic":"L","partition":0,"offset":33}
{"ts":2002,"key":2,"value":{"left":"K2","right":"l2"},"topic":"L","partition":0,"offset":34}
{"ts":2000,"key":0,"value":{"left":"L0","right":"l0"},"topic":"L","partition":0,"offset":36}
{"ts":2001,"key":1,"value":{"left":"L1","right":"l1"},"topic":"L","partition":0,"offset":37}
{"ts":2002,"key":2,"value":{"left":"L2","right":"l2"},"topic":"L","partition":0,"offset":38}
{"ts":2003,"key":3,"value":{"left":"L3","right":"l3"},"topic":"L","partition":0,"offset":39}
EOF
}

# before 0, after 100: a left record at t meets right records in [t, t+100];
# a right record at t meets left records in [t-100, t].
@test "inner: --before 0 --after 100: a left record joins right records from its own ts to 100 ms after (KStreamKStreamJoinTest.testAsymmetricWindowingAfter)" {
	cat > in <<'EOF'
{"ts":1000,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1001,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":1002,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":1003,"key":3,"value":"A3","topic":"L","partition":0,"offset":3}
{"ts":999,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":999,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":999,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":999,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"b0","topic":"R","partition":0,"offset":4}
{"ts":1000,"key":1,"value":"b1","topic":"R","partition":0,"offset":5}
{"ts":1000,"key":2,"value":"b2","topic":"R","partition":0,"offset":6}
{"ts":1000,"key":3,"value":"b3","topic":"R","partition":0,"offset":7}
{"ts":1001,"key":0,"value":"c0","topic":"R","partition":0,"offset":8}
{"ts":1001,"key":1,"value":"c1","topic":"R","partition":0,"offset":9}
{"ts":1001,"key":2,"value":"c2","topic":"R","partition":0,"offset":10}
{"ts":1001,"key":3,"value":"c3","topic":"R","partition":0,"offset":11}
{"ts":1002,"key":0,"value":"d0","topic":"R","partition":0,"offset":12}
{"ts":1002,"key":1,"value":"d1","topic":"R","partition":0,"offset":13}
{"ts":1002,"key":2,"value":"d2","topic":"R","partition":0,"offset":14}
{"ts":1002,"key":3,"value":"d3","topic":"R","partition":0,"offset":15}
{"ts":1003,"key":0,"value":"e0","topic":"R","partition":0,"offset":16}
{"ts":1003,"key":1,"value":"e1","topic":"R","partition":0,"offset":17}
{"ts":1003,"key":2,"value":"e2","topic":"R","partition":0,"offset":18}
{"ts":1003,"key":3,"value":"e3","topic":"R","partition":0,"offset":19}
{"ts":1100,"key":0,"value":"f0","topic":"R","partition":0,"offset":20}
{"ts":1100,"key":1,"value":"f1","topic":"R","partition":0,"offset":21}
{"ts":1100,"key":2,"value":"f2","topic":"R","partition":0,"offset":22}
{"ts":1100,"key":3,"value":"f3","topic":"R","partition":0,"offset":23}
{"ts":1101,"key":0,"value":"g0","topic":"R","partition":0,"offset":24}
{"ts":1101,"key":1,"value":"g1","topic":"R","partition":0,"offset":25}
{"ts":1101,"key":2,"value":"g2","topic":"R","partition":0,"offset":26}
{"ts":1101,"key":3,"value":"g3","topic":"R","partition":0,"offset":27}
{"ts":1102,"key":0,"value":"h0","topic":"R","partition":0,"offset":28}
{"ts":1102,"key":1,"value":"h1","topic":"R","partition":0,"offset":29}
{"ts":1102,"key":2,"value":"h2","topic":"R","partition":0,"offset":30}
{"ts":1102,"key":3,"value":"h3","topic":"R","partition":0,"offset":31}
{"ts":1103,"key":0,"value":"i0","topic":"R","partition":0,"offset":32}
{"ts":1103,"key":1,"value":"i1","topic":"R","partition":0,"offset":33}
{"ts":1103,"key":2,"value":"i2","topic":"R","partition":0,"offset":34}
{"ts":1103,"key":3,"value":"i3","topic":"R","partition":0,"offset":35}
{"ts":1104,"key":0,"value":"j0","topic":"R","partition":0,"offset":36}
{"ts":1104,"key":1,"value":"j1","topic":"R","partition":0,"offset":37}
{"ts":1104,"key":2,"value":"j2","topic":"R","partition":0,"offset":38}
{"ts":1104,"key":3,"value":"j3","topic":"R","partition":0,"offset":39}
EOF
	wjoin --before 0 --after 100
	check_output <<'EOF'
{"ts":1000,"key":0,"value":{"left":"A0","right":"b0"},"topic":"R","partition":0,"offset":4}
{"ts":1001,"key":0,"value":{"left":"A0","right":"c0"},"topic":"R","partition":0,"offset":8}
{"ts":1001,"key":1,"value":{"left":"A1","right":"c1"},"topic":"R","partition":0,"offset":9}
{"ts":1002,"key":0,"value":{"left":"A0","right":"d0"},"topic":"R","partition":0,"offset":12}
{"ts":1002,"key":1,"value":{"left":"A1","right":"d1"},"topic":"R","partition":0,"offset":13}
{"ts":1002,"key":2,"value":{"left":"A2","right":"d2"},"topic":"R","partition":0,"offset":14}
{"ts":1003,"key":0,"value":{"left":"A0","right":"e0"},"topic":"R","partition":0,"offset":16}
{"ts":1003,"key":1,"value":{"left":"A1","right":"e1"},"topic":"R","partition":0,"offset":17}
{"ts":1003,"key":2,"value":{"left":"A2","right":"e2"},"topic":"R","partition":0,"offset":18}
{"ts":1003,"key":3,"value":{"left":"A3","right":"e3"},"topic":"R","partition":0,"offset":19}
{"ts":1100,"key":0,"value":{"left":"A0","right":"f0"},"topic":"R","partition":0,"offset":20}
{"ts":1100,"key":1,"value":{"left":"A1","right":"f1"},"topic":"R","partition":0,"offset":21}
{"ts":1100,"key":2,"value":{"left":"A2","right":"f2"},"topic":"R","partition":0,"offset":22}
{"ts":1100,"key":3,"value":{"left":"A3","right":"f3"},"topic":"R","partition":0,"offset":23}
{"ts":1101,"key":1,"value":{"left":"A1","right":"g1"},"topic":"R","partition":0,"offset":25}
{"ts":1101,"key":2,"value":{"left":"A2","right":"g2"},"topic":"R","partition":0,"offset":26}
{"ts":1101,"key":3,"value":{"left":"A3","right":"g3"},"topic":"R","partition":0,"offset":27}
{"ts":1102,"key":2,"value":{"left":"A2","right":"h2"},"topic":"R","partition":0,"offset":30}
{"ts":1102,"key":3,"value":{"left":"A3","right":"h3"},"topic":"R","partition":0,"offset":31}
{"ts":1103,"key":3,"value":{"left":"A3","right":"i3"},"topic":"R","partition":0,"offset":35}
EOF
}

# before 100, after 0: a left record at t meets right records in [t-100, t];
# a right record at t meets left records in [t, t+100].
@test "inner: --before 100 --after 0: a left record joins right records from 100 ms before to its own ts (KStreamKStreamJoinTest.testAsymmetricWindowingBefore)" {
	cat > in <<'EOF'
{"ts":1000,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1001,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":1002,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":1003,"key":3,"value":"A3","topic":"L","partition":0,"offset":3}
{"ts":899,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":899,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":899,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":899,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":900,"key":0,"value":"b0","topic":"R","partition":0,"offset":4}
{"ts":900,"key":1,"value":"b1","topic":"R","partition":0,"offset":5}
{"ts":900,"key":2,"value":"b2","topic":"R","partition":0,"offset":6}
{"ts":900,"key":3,"value":"b3","topic":"R","partition":0,"offset":7}
{"ts":901,"key":0,"value":"c0","topic":"R","partition":0,"offset":8}
{"ts":901,"key":1,"value":"c1","topic":"R","partition":0,"offset":9}
{"ts":901,"key":2,"value":"c2","topic":"R","partition":0,"offset":10}
{"ts":901,"key":3,"value":"c3","topic":"R","partition":0,"offset":11}
{"ts":902,"key":0,"value":"d0","topic":"R","partition":0,"offset":12}
{"ts":902,"key":1,"value":"d1","topic":"R","partition":0,"offset":13}
{"ts":902,"key":2,"value":"d2","topic":"R","partition":0,"offset":14}
{"ts":902,"key":3,"value":"d3","topic":"R","partition":0,"offset":15}
{"ts":903,"key":0,"value":"e0","topic":"R","partition":0,"offset":16}
{"ts":903,"key":1,"value":"e1","topic":"R","partition":0,"offset":17}
{"ts":903,"key":2,"value":"e2","topic":"R","partition":0,"offset":18}
{"ts":903,"key":3,"value":"e3","topic":"R","partition":0,"offset":19}
{"ts":1000,"key":0,"value":"f0","topic":"R","partition":0,"offset":20}
{"ts":1000,"key":1,"value":"f1","topic":"R","partition":0,"offset":21}
{"ts":1000,"key":2,"value":"f2","topic":"R","partition":0,"offset":22}
{"ts":1000,"key":3,"value":"f3","topic":"R","partition":0,"offset":23}
{"ts":1001,"key":0,"value":"g0","topic":"R","partition":0,"offset":24}
{"ts":1001,"key":1,"value":"g1","topic":"R","partition":0,"offset":25}
{"ts":1001,"key":2,"value":"g2","topic":"R","partition":0,"offset":26}
{"ts":1001,"key":3,"value":"g3","topic":"R","partition":0,"offset":27}
{"ts":1002,"key":0,"value":"h0","topic":"R","partition":0,"offset":28}
{"ts":1002,"key":1,"value":"h1","topic":"R","partition":0,"offset":29}
{"ts":1002,"key":2,"value":"h2","topic":"R","partition":0,"offset":30}
{"ts":1002,"key":3,"value":"h3","topic":"R","partition":0,"offset":31}
{"ts":1003,"key":0,"value":"i0","topic":"R","partition":0,"offset":32}
{"ts":1003,"key":1,"value":"i1","topic":"R","partition":0,"offset":33}
{"ts":1003,"key":2,"value":"i2","topic":"R","partition":0,"offset":34}
{"ts":1003,"key":3,"value":"i3","topic":"R","partition":0,"offset":35}
{"ts":1004,"key":0,"value":"j0","topic":"R","partition":0,"offset":36}
{"ts":1004,"key":1,"value":"j1","topic":"R","partition":0,"offset":37}
{"ts":1004,"key":2,"value":"j2","topic":"R","partition":0,"offset":38}
{"ts":1004,"key":3,"value":"j3","topic":"R","partition":0,"offset":39}
EOF
	wjoin --before 100 --after 0
	check_output <<'EOF'
{"ts":1000,"key":0,"value":{"left":"A0","right":"b0"},"topic":"R","partition":0,"offset":4}
{"ts":1000,"key":0,"value":{"left":"A0","right":"c0"},"topic":"R","partition":0,"offset":8}
{"ts":1001,"key":1,"value":{"left":"A1","right":"c1"},"topic":"R","partition":0,"offset":9}
{"ts":1000,"key":0,"value":{"left":"A0","right":"d0"},"topic":"R","partition":0,"offset":12}
{"ts":1001,"key":1,"value":{"left":"A1","right":"d1"},"topic":"R","partition":0,"offset":13}
{"ts":1002,"key":2,"value":{"left":"A2","right":"d2"},"topic":"R","partition":0,"offset":14}
{"ts":1000,"key":0,"value":{"left":"A0","right":"e0"},"topic":"R","partition":0,"offset":16}
{"ts":1001,"key":1,"value":{"left":"A1","right":"e1"},"topic":"R","partition":0,"offset":17}
{"ts":1002,"key":2,"value":{"left":"A2","right":"e2"},"topic":"R","partition":0,"offset":18}
{"ts":1003,"key":3,"value":{"left":"A3","right":"e3"},"topic":"R","partition":0,"offset":19}
{"ts":1000,"key":0,"value":{"left":"A0","right":"f0"},"topic":"R","partition":0,"offset":20}
{"ts":1001,"key":1,"value":{"left":"A1","right":"f1"},"topic":"R","partition":0,"offset":21}
{"ts":1002,"key":2,"value":{"left":"A2","right":"f2"},"topic":"R","partition":0,"offset":22}
{"ts":1003,"key":3,"value":{"left":"A3","right":"f3"},"topic":"R","partition":0,"offset":23}
{"ts":1001,"key":1,"value":{"left":"A1","right":"g1"},"topic":"R","partition":0,"offset":25}
{"ts":1002,"key":2,"value":{"left":"A2","right":"g2"},"topic":"R","partition":0,"offset":26}
{"ts":1003,"key":3,"value":{"left":"A3","right":"g3"},"topic":"R","partition":0,"offset":27}
{"ts":1002,"key":2,"value":{"left":"A2","right":"h2"},"topic":"R","partition":0,"offset":30}
{"ts":1003,"key":3,"value":{"left":"A3","right":"h3"},"topic":"R","partition":0,"offset":31}
{"ts":1003,"key":3,"value":{"left":"A3","right":"i3"},"topic":"R","partition":0,"offset":35}
EOF
}

# Keys may be strings.  The result's ts is the later of the two records'.
@test "inner: string keys; a result has the later ts of the two (KStreamKStreamJoinTest.runJoin)" {
	cat > in <<'EOF'
{"ts":1,"key":"A","value":"LA","topic":"L","partition":0,"offset":0}
{"ts":2,"key":"B","value":"LB","topic":"L","partition":0,"offset":1}
{"ts":1,"key":"A","value":"RA","topic":"R","partition":0,"offset":0}
{"ts":2,"key":"B","value":"RB","topic":"R","partition":0,"offset":1}
EOF
	wjoin --window 100
	check_output <<'EOF'
{"ts":1,"key":"A","value":{"left":"LA","right":"RA"},"topic":"R","partition":0,"offset":0}
{"ts":2,"key":"B","value":{"left":"LB","right":"RB"},"topic":"R","partition":0,"offset":1}
EOF
}

# Each side keeps before + after + grace of its own time: 250 ms here.
# After A1 at 340 the left side still shows ts >= 91, so a0 at 60 meets
# A0 at 100.  A2 at 400 raises that to 151: b0 at 61 meets nothing.
# Without grace the left side keeps 200 ms (ts >= 141): a0 misses A0.
@test "inner: --grace keeps older records in the buffers: retention is before + after + grace per side (InMemoryWindowStore)" {
	cat > in <<'EOF'
{"ts":100,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":340,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":60,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":400,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":61,"key":0,"value":"b0","topic":"R","partition":0,"offset":1}
EOF
	wjoin --window 100 --grace 50
	check_output <<'EOF'
{"ts":100,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
EOF
	# Without grace, a0 is already too late for A0.
	wjoin --window 100
	check_output < /dev/null
}

# --- left joins: KStreamKStreamLeftJoinTest -------------------------------

# b3 finds no partner, but a left join never emits a right record alone.
# The dummy at 1000 is past every window, and every left record was
# matched: nothing is emitted unmatched.
@test "left: all at ts 0: joins as inner, and no left record is emitted unmatched while its window is open (KStreamKStreamLeftJoinTest.runLeftJoin)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":0,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":0,"key":0,"value":"b0","topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":"b1","topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":"b2","topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":"b3","topic":"R","partition":0,"offset":5}
{"ts":0,"key":0,"value":"C0","topic":"L","partition":0,"offset":5}
{"ts":0,"key":1,"value":"C1","topic":"L","partition":0,"offset":6}
{"ts":0,"key":2,"value":"C2","topic":"L","partition":0,"offset":7}
{"ts":0,"key":3,"value":"C3","topic":"L","partition":0,"offset":8}
{"ts":1000,"key":0,"value":"dummy","topic":"L","partition":0,"offset":9}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":{"left":"B0","right":"a0"},"topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"B1","right":"a1"},"topic":"L","partition":0,"offset":3}
{"ts":0,"key":0,"value":{"left":"A0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"B0","right":"b0"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"A1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":1,"value":{"left":"B1","right":"b1"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":{"left":"B2","right":"b2"},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":0,"value":{"left":"C0","right":"a0"},"topic":"L","partition":0,"offset":5}
{"ts":0,"key":0,"value":{"left":"C0","right":"b0"},"topic":"L","partition":0,"offset":5}
{"ts":0,"key":1,"value":{"left":"C1","right":"a1"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":1,"value":{"left":"C1","right":"b1"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":2,"value":{"left":"C2","right":"b2"},"topic":"L","partition":0,"offset":7}
{"ts":0,"key":3,"value":{"left":"C3","right":"b3"},"topic":"L","partition":0,"offset":8}
EOF
}

# a0 (key 1) at 111 is past 0 + 100 + 10: both waiting A0s of ts 0 come
# out then, one by one, with a0's provenance.  A2 and A2-0 both join a2.
# a3 at 315 is behind stream time and, a right record, emits nothing.
@test "left: duplicates of one key and ts are emitted unmatched one by one once closed, and joined one by one (KStreamKStreamLeftJoinTest.testLeftJoinDuplicates)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":1}
{"ts":111,"key":1,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":500,"key":2,"value":"dummy","topic":"R","partition":0,"offset":1}
{"ts":1000,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":1000,"key":2,"value":"A2-0","topic":"L","partition":0,"offset":3}
{"ts":1001,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":315,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
EOF
	wjoin --type left --window 100 --grace 10
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":0,"value":{"left":"A0-0","right":null},"topic":"R","partition":0,"offset":0}
{"ts":1001,"key":2,"value":{"left":"A2","right":"a2"},"topic":"R","partition":0,"offset":2}
{"ts":1001,"key":2,"value":{"left":"A2-0","right":"a2"},"topic":"R","partition":0,"offset":2}
EOF
}

# A0 at 1 and A0-0 at 3 wait; A1 is matched by a1.  At 401 both windows
# have closed (3 + 100 < 401): they come out in ts order, with the
# provenance of the record that moved stream time, before its own results.
@test "left: unmatched left records are emitted, in ts order, when a left record moves stream time past their window (KStreamKStreamLeftJoinTest.testLeftExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":2,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":3,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":2}
{"ts":3,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"L","partition":0,"offset":3}
{"ts":401,"key":2,"value":"dummy","topic":"R","partition":0,"offset":1}
EOF
	wjoin --type left --window 100 --grace 0
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":3}
{"ts":3,"key":0,"value":{"left":"A0-0","right":null},"topic":"L","partition":0,"offset":3}
{"ts":401,"key":2,"value":{"left":"dummy","right":"dummy"},"topic":"R","partition":0,"offset":1}
EOF
}

@test "left: unmatched left records are emitted, in ts order, when a right record moves stream time past their window (KStreamKStreamLeftJoinTest.testLeftExpiredNonJoinedRecordsAreEmittedByTheRightProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":2,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":3,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":2}
{"ts":3,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"R","partition":0,"offset":1}
{"ts":402,"key":2,"value":"dummy","topic":"L","partition":0,"offset":3}
EOF
	wjoin --type left --window 100 --grace 0
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":{"left":"A0-0","right":null},"topic":"R","partition":0,"offset":1}
{"ts":402,"key":2,"value":{"left":"dummy","right":"dummy"},"topic":"L","partition":0,"offset":3}
EOF
}

# A right record without a left partner is dropped in a left join,
# whichever side moves stream time past its window.
@test "left: unmatched right records are never emitted, even when a left record closes their window (KStreamKStreamLeftJoinTest.testRightNonJoinedRecordsAreNeverEmittedByTheLeftProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":2,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":"a0-0","topic":"R","partition":0,"offset":2}
{"ts":3,"key":1,"value":"A1","topic":"L","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"L","partition":0,"offset":1}
{"ts":402,"key":2,"value":"dummy","topic":"R","partition":0,"offset":3}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a1"},"topic":"L","partition":0,"offset":0}
{"ts":402,"key":2,"value":{"left":"dummy","right":"dummy"},"topic":"R","partition":0,"offset":3}
EOF
}

@test "left: unmatched right records are never emitted, even when a right record closes their window (KStreamKStreamLeftJoinTest.testRightNonJoinedRecordsAreNeverEmittedByTheRightProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":2,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":"a0-0","topic":"R","partition":0,"offset":2}
{"ts":3,"key":1,"value":"A1","topic":"L","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"R","partition":0,"offset":3}
{"ts":402,"key":2,"value":"dummy","topic":"L","partition":0,"offset":1}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a1"},"topic":"L","partition":0,"offset":0}
{"ts":402,"key":2,"value":{"left":"dummy","right":"dummy"},"topic":"L","partition":0,"offset":1}
EOF
}

# after 0: a left record's window ends at its own ts, so A0..A2 are emitted
# unmatched as each next A moves stream time; A3 still waits.  They stay in
# the left buffer (it keeps 100 ms), so late right records from 999 still
# join them: a left record can be emitted unmatched and joined later too.
# A right record at t meets left records in [t, t+100].
@test "left: --after 0: a left record closes as soon as stream time passes it, and may still join a late right record afterwards (KStreamKStreamLeftJoinTest.testLeftJoinedRecordsWithZeroAfterAreEmitted)" {
	cat > in <<'EOF'
{"ts":1000,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1001,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":1002,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":1003,"key":3,"value":"A3","topic":"L","partition":0,"offset":3}
{"ts":999,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":999,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":999,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":999,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"b0","topic":"R","partition":0,"offset":4}
{"ts":1000,"key":1,"value":"b1","topic":"R","partition":0,"offset":5}
{"ts":1000,"key":2,"value":"b2","topic":"R","partition":0,"offset":6}
{"ts":1000,"key":3,"value":"b3","topic":"R","partition":0,"offset":7}
{"ts":1001,"key":0,"value":"c0","topic":"R","partition":0,"offset":8}
{"ts":1001,"key":1,"value":"c1","topic":"R","partition":0,"offset":9}
{"ts":1001,"key":2,"value":"c2","topic":"R","partition":0,"offset":10}
{"ts":1001,"key":3,"value":"c3","topic":"R","partition":0,"offset":11}
{"ts":1002,"key":0,"value":"d0","topic":"R","partition":0,"offset":12}
{"ts":1002,"key":1,"value":"d1","topic":"R","partition":0,"offset":13}
{"ts":1002,"key":2,"value":"d2","topic":"R","partition":0,"offset":14}
{"ts":1002,"key":3,"value":"d3","topic":"R","partition":0,"offset":15}
{"ts":1003,"key":0,"value":"e0","topic":"R","partition":0,"offset":16}
{"ts":1003,"key":1,"value":"e1","topic":"R","partition":0,"offset":17}
{"ts":1003,"key":2,"value":"e2","topic":"R","partition":0,"offset":18}
{"ts":1003,"key":3,"value":"e3","topic":"R","partition":0,"offset":19}
{"ts":1100,"key":0,"value":"f0","topic":"R","partition":0,"offset":20}
{"ts":1100,"key":1,"value":"f1","topic":"R","partition":0,"offset":21}
{"ts":1100,"key":2,"value":"f2","topic":"R","partition":0,"offset":22}
{"ts":1100,"key":3,"value":"f3","topic":"R","partition":0,"offset":23}
EOF
	wjoin --type left --before 100 --after 0
	check_output <<'EOF'
{"ts":1000,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":1}
{"ts":1001,"key":1,"value":{"left":"A1","right":null},"topic":"L","partition":0,"offset":2}
{"ts":1002,"key":2,"value":{"left":"A2","right":null},"topic":"L","partition":0,"offset":3}
{"ts":1000,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":1001,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":1002,"key":2,"value":{"left":"A2","right":"a2"},"topic":"R","partition":0,"offset":2}
{"ts":1003,"key":3,"value":{"left":"A3","right":"a3"},"topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":{"left":"A0","right":"b0"},"topic":"R","partition":0,"offset":4}
{"ts":1001,"key":1,"value":{"left":"A1","right":"b1"},"topic":"R","partition":0,"offset":5}
{"ts":1002,"key":2,"value":{"left":"A2","right":"b2"},"topic":"R","partition":0,"offset":6}
{"ts":1003,"key":3,"value":{"left":"A3","right":"b3"},"topic":"R","partition":0,"offset":7}
{"ts":1001,"key":1,"value":{"left":"A1","right":"c1"},"topic":"R","partition":0,"offset":9}
{"ts":1002,"key":2,"value":{"left":"A2","right":"c2"},"topic":"R","partition":0,"offset":10}
{"ts":1003,"key":3,"value":{"left":"A3","right":"c3"},"topic":"R","partition":0,"offset":11}
{"ts":1002,"key":2,"value":{"left":"A2","right":"d2"},"topic":"R","partition":0,"offset":14}
{"ts":1003,"key":3,"value":{"left":"A3","right":"d3"},"topic":"R","partition":0,"offset":15}
{"ts":1003,"key":3,"value":{"left":"A3","right":"e3"},"topic":"R","partition":0,"offset":19}
EOF
}

# a1 at 110 is past A0's window (0 + 100 < 110): A0 comes out unmatched
# first, then a1's own join with A1.
@test "left: closed unmatched records come before the join results of the record that closes them (KStreamKStreamLeftJoinTest.testOrdering)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":100,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":110,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":0}
{"ts":110,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":0}
EOF
	wjoin --type left --window 100ms
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":0}
{"ts":110,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":0}
EOF
}

# The a records at 101 are past A0's and A1's window but inside its grace:
# nothing is emitted, and they are too late to join.  The dummy at 1201
# closes both.
@test "left: --grace 10: ended windows are not closed before 10 ms more; late right records do not join (KStreamKStreamLeftJoinTest.testGracePeriod)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":101,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":101,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":101,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":101,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":1201,"key":0,"value":"dummy","topic":"R","partition":0,"offset":4}
EOF
	wjoin --type left --window 100 --grace 10
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":1,"value":{"left":"A1","right":null},"topic":"R","partition":0,"offset":4}
EOF
	wjoin --type left --window 100ms --grace 10ms
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":1,"value":{"left":"A1","right":null},"topic":"R","partition":0,"offset":4}
EOF
}

# C0, D0-D1, E0-E2 and F0-F3 find no b in their window and wait; the dummy
# at 1405 emits them all, by ts, then key.
@test "left: upper window bound: unmatched left records wait until stream time passes t+100 (KStreamKStreamLeftJoinTest.testWindowing, testUpperWindowBound)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":0,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"b0","topic":"R","partition":0,"offset":4}
{"ts":1001,"key":1,"value":"b1","topic":"R","partition":0,"offset":5}
{"ts":1002,"key":2,"value":"b2","topic":"R","partition":0,"offset":6}
{"ts":1003,"key":3,"value":"b3","topic":"R","partition":0,"offset":7}
{"ts":1100,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":1101,"key":0,"value":"C0","topic":"L","partition":0,"offset":6}
{"ts":1101,"key":1,"value":"C1","topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":"C2","topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":"C3","topic":"L","partition":0,"offset":9}
{"ts":1102,"key":0,"value":"D0","topic":"L","partition":0,"offset":10}
{"ts":1102,"key":1,"value":"D1","topic":"L","partition":0,"offset":11}
{"ts":1102,"key":2,"value":"D2","topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":"D3","topic":"L","partition":0,"offset":13}
{"ts":1103,"key":0,"value":"E0","topic":"L","partition":0,"offset":14}
{"ts":1103,"key":1,"value":"E1","topic":"L","partition":0,"offset":15}
{"ts":1103,"key":2,"value":"E2","topic":"L","partition":0,"offset":16}
{"ts":1103,"key":3,"value":"E3","topic":"L","partition":0,"offset":17}
{"ts":1104,"key":0,"value":"F0","topic":"L","partition":0,"offset":18}
{"ts":1104,"key":1,"value":"F1","topic":"L","partition":0,"offset":19}
{"ts":1104,"key":2,"value":"F2","topic":"L","partition":0,"offset":20}
{"ts":1104,"key":3,"value":"F3","topic":"L","partition":0,"offset":21}
{"ts":1405,"key":0,"value":"dummy","topic":"L","partition":0,"offset":22}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":1100,"key":0,"value":{"left":"B0","right":"b0"},"topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"b1"},"topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"b2"},"topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"b3"},"topic":"L","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"C1","right":"b1"},"topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"C2","right":"b2"},"topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"C3","right":"b3"},"topic":"L","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"D2","right":"b2"},"topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"D3","right":"b3"},"topic":"L","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"E3","right":"b3"},"topic":"L","partition":0,"offset":17}
{"ts":1101,"key":0,"value":{"left":"C0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":0,"value":{"left":"D0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":1,"value":{"left":"D1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":0,"value":{"left":"E0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":1,"value":{"left":"E1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":2,"value":{"left":"E2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":0,"value":{"left":"F0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":1,"value":{"left":"F1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":2,"value":{"left":"F2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":3,"value":{"left":"F3","right":null},"topic":"L","partition":0,"offset":22}
EOF
}

# The same start as the upper bound, then late left records at stream
# time 1405.  G at 899 has a window that ended at 999: each is emitted
# unmatched at once.  H..K meet b0..b3 where their window reaches them
# (the right buffer still shows ts >= 1003 - 200 + 1) and the others are
# emitted at once.  The dummy at 1203 is also past its window: emitted at
# once.  A record behind stream time emits no waiting ones (the dummy at
# 1405 keeps waiting).
@test "left: lower window bound: a late left record whose window has already closed is emitted at once (KStreamKStreamLeftJoinTest.testWindowing, testLowerWindowBound)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":0,"key":3,"value":"a3","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"b0","topic":"R","partition":0,"offset":4}
{"ts":1001,"key":1,"value":"b1","topic":"R","partition":0,"offset":5}
{"ts":1002,"key":2,"value":"b2","topic":"R","partition":0,"offset":6}
{"ts":1003,"key":3,"value":"b3","topic":"R","partition":0,"offset":7}
{"ts":1100,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":1101,"key":0,"value":"C0","topic":"L","partition":0,"offset":6}
{"ts":1101,"key":1,"value":"C1","topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":"C2","topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":"C3","topic":"L","partition":0,"offset":9}
{"ts":1102,"key":0,"value":"D0","topic":"L","partition":0,"offset":10}
{"ts":1102,"key":1,"value":"D1","topic":"L","partition":0,"offset":11}
{"ts":1102,"key":2,"value":"D2","topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":"D3","topic":"L","partition":0,"offset":13}
{"ts":1103,"key":0,"value":"E0","topic":"L","partition":0,"offset":14}
{"ts":1103,"key":1,"value":"E1","topic":"L","partition":0,"offset":15}
{"ts":1103,"key":2,"value":"E2","topic":"L","partition":0,"offset":16}
{"ts":1103,"key":3,"value":"E3","topic":"L","partition":0,"offset":17}
{"ts":1104,"key":0,"value":"F0","topic":"L","partition":0,"offset":18}
{"ts":1104,"key":1,"value":"F1","topic":"L","partition":0,"offset":19}
{"ts":1104,"key":2,"value":"F2","topic":"L","partition":0,"offset":20}
{"ts":1104,"key":3,"value":"F3","topic":"L","partition":0,"offset":21}
{"ts":1405,"key":0,"value":"dummy","topic":"L","partition":0,"offset":22}
{"ts":899,"key":0,"value":"G0","topic":"L","partition":0,"offset":23}
{"ts":899,"key":1,"value":"G1","topic":"L","partition":0,"offset":24}
{"ts":899,"key":2,"value":"G2","topic":"L","partition":0,"offset":25}
{"ts":899,"key":3,"value":"G3","topic":"L","partition":0,"offset":26}
{"ts":900,"key":0,"value":"H0","topic":"L","partition":0,"offset":27}
{"ts":900,"key":1,"value":"H1","topic":"L","partition":0,"offset":28}
{"ts":900,"key":2,"value":"H2","topic":"L","partition":0,"offset":29}
{"ts":900,"key":3,"value":"H3","topic":"L","partition":0,"offset":30}
{"ts":901,"key":0,"value":"I0","topic":"L","partition":0,"offset":31}
{"ts":901,"key":1,"value":"I1","topic":"L","partition":0,"offset":32}
{"ts":901,"key":2,"value":"I2","topic":"L","partition":0,"offset":33}
{"ts":901,"key":3,"value":"I3","topic":"L","partition":0,"offset":34}
{"ts":902,"key":0,"value":"J0","topic":"L","partition":0,"offset":35}
{"ts":902,"key":1,"value":"J1","topic":"L","partition":0,"offset":36}
{"ts":902,"key":2,"value":"J2","topic":"L","partition":0,"offset":37}
{"ts":902,"key":3,"value":"J3","topic":"L","partition":0,"offset":38}
{"ts":903,"key":0,"value":"K0","topic":"L","partition":0,"offset":39}
{"ts":903,"key":1,"value":"K1","topic":"L","partition":0,"offset":40}
{"ts":903,"key":2,"value":"K2","topic":"L","partition":0,"offset":41}
{"ts":903,"key":3,"value":"K3","topic":"L","partition":0,"offset":42}
{"ts":1203,"key":0,"value":"dummy","topic":"L","partition":0,"offset":43}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a1"},"topic":"R","partition":0,"offset":1}
{"ts":1100,"key":0,"value":{"left":"B0","right":"b0"},"topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"b1"},"topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"b2"},"topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"b3"},"topic":"L","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"C1","right":"b1"},"topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"C2","right":"b2"},"topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"C3","right":"b3"},"topic":"L","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"D2","right":"b2"},"topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"D3","right":"b3"},"topic":"L","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"E3","right":"b3"},"topic":"L","partition":0,"offset":17}
{"ts":1101,"key":0,"value":{"left":"C0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":0,"value":{"left":"D0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":1,"value":{"left":"D1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":0,"value":{"left":"E0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":1,"value":{"left":"E1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":2,"value":{"left":"E2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":0,"value":{"left":"F0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":1,"value":{"left":"F1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":2,"value":{"left":"F2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":3,"value":{"left":"F3","right":null},"topic":"L","partition":0,"offset":22}
{"ts":899,"key":0,"value":{"left":"G0","right":null},"topic":"L","partition":0,"offset":23}
{"ts":899,"key":1,"value":{"left":"G1","right":null},"topic":"L","partition":0,"offset":24}
{"ts":899,"key":2,"value":{"left":"G2","right":null},"topic":"L","partition":0,"offset":25}
{"ts":899,"key":3,"value":{"left":"G3","right":null},"topic":"L","partition":0,"offset":26}
{"ts":1000,"key":0,"value":{"left":"H0","right":"b0"},"topic":"L","partition":0,"offset":27}
{"ts":900,"key":1,"value":{"left":"H1","right":null},"topic":"L","partition":0,"offset":28}
{"ts":900,"key":2,"value":{"left":"H2","right":null},"topic":"L","partition":0,"offset":29}
{"ts":900,"key":3,"value":{"left":"H3","right":null},"topic":"L","partition":0,"offset":30}
{"ts":1000,"key":0,"value":{"left":"I0","right":"b0"},"topic":"L","partition":0,"offset":31}
{"ts":1001,"key":1,"value":{"left":"I1","right":"b1"},"topic":"L","partition":0,"offset":32}
{"ts":901,"key":2,"value":{"left":"I2","right":null},"topic":"L","partition":0,"offset":33}
{"ts":901,"key":3,"value":{"left":"I3","right":null},"topic":"L","partition":0,"offset":34}
{"ts":1000,"key":0,"value":{"left":"J0","right":"b0"},"topic":"L","partition":0,"offset":35}
{"ts":1001,"key":1,"value":{"left":"J1","right":"b1"},"topic":"L","partition":0,"offset":36}
{"ts":1002,"key":2,"value":{"left":"J2","right":"b2"},"topic":"L","partition":0,"offset":37}
{"ts":902,"key":3,"value":{"left":"J3","right":null},"topic":"L","partition":0,"offset":38}
{"ts":1000,"key":0,"value":{"left":"K0","right":"b0"},"topic":"L","partition":0,"offset":39}
{"ts":1001,"key":1,"value":{"left":"K1","right":"b1"},"topic":"L","partition":0,"offset":40}
{"ts":1002,"key":2,"value":{"left":"K2","right":"b2"},"topic":"L","partition":0,"offset":41}
{"ts":1003,"key":3,"value":{"left":"K3","right":"b3"},"topic":"L","partition":0,"offset":42}
{"ts":1203,"key":0,"value":{"left":"dummy","right":null},"topic":"L","partition":0,"offset":43}
EOF
}

# before 0, after 100: a0 at 100 joins A0 at 0 on its window's last ms.
# a1 at 102 is past A1's window (1 + 100 < 102), which it is too late to
# join: A1 comes out unmatched.
@test "left: --before 0 --after 100: a right record 101 ms after a left one closes it (KStreamKStreamLeftJoinTest.shouldNotEmitLeftJoinResultForAsymmetricWindow)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":100,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":102,"key":1,"value":"a1","topic":"R","partition":0,"offset":1}
EOF
	wjoin --type left --before 0 --after 100
	check_output <<'EOF'
{"ts":100,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":1,"value":{"left":"A1","right":null},"topic":"R","partition":0,"offset":1}
EOF
}

# --- outer joins: KStreamKStreamOuterJoinTest -----------------------------

# a10 at 111 is past 0 + 100 + 10: the four records of ts 0 come out,
# the right ones before the left ones.  A2 and A2-0 join a13 and a14.
# a100 at 1500 closes a10 and the first a100.
@test "outer: duplicates: unmatched right records before unmatched left ones of the same ts; joined duplicates (KStreamKStreamOuterJoinTest.testOuterJoinDuplicates)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":1}
{"ts":0,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a12","topic":"R","partition":0,"offset":1}
{"ts":111,"key":1,"value":"a10","topic":"R","partition":0,"offset":2}
{"ts":211,"key":3,"value":"a100","topic":"R","partition":0,"offset":3}
{"ts":200,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":200,"key":2,"value":"A2-0","topic":"L","partition":0,"offset":3}
{"ts":201,"key":2,"value":"a13","topic":"R","partition":0,"offset":4}
{"ts":201,"key":2,"value":"a14","topic":"R","partition":0,"offset":5}
{"ts":1500,"key":3,"value":"a100","topic":"R","partition":0,"offset":6}
EOF
	wjoin --type outer --window 100 --grace 10
	check_output <<'EOF'
{"ts":0,"key":1,"value":{"left":null,"right":"a11"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":null,"right":"a12"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"A0-0","right":null},"topic":"R","partition":0,"offset":2}
{"ts":201,"key":2,"value":{"left":"A2","right":"a13"},"topic":"R","partition":0,"offset":4}
{"ts":201,"key":2,"value":{"left":"A2-0","right":"a13"},"topic":"R","partition":0,"offset":4}
{"ts":201,"key":2,"value":{"left":"A2","right":"a14"},"topic":"R","partition":0,"offset":5}
{"ts":201,"key":2,"value":{"left":"A2-0","right":"a14"},"topic":"R","partition":0,"offset":5}
{"ts":111,"key":1,"value":{"left":null,"right":"a10"},"topic":"R","partition":0,"offset":6}
{"ts":211,"key":3,"value":{"left":null,"right":"a100"},"topic":"R","partition":0,"offset":6}
EOF
}

# A0 at 1 and A0-0 at 3 wait; A1 is matched.  At 401 both are emitted, in
# ts order, before the record's own results.
@test "outer: unmatched left records are emitted when a left record closes their window (KStreamKStreamOuterJoinTest.testLeftExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":2,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":3,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":2}
{"ts":3,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"L","partition":0,"offset":3}
{"ts":401,"key":2,"value":"a100","topic":"R","partition":0,"offset":1}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":3}
{"ts":3,"key":0,"value":{"left":"A0-0","right":null},"topic":"L","partition":0,"offset":3}
{"ts":401,"key":2,"value":{"left":"dummy","right":"a100"},"topic":"R","partition":0,"offset":1}
EOF
}

@test "outer: unmatched left records are emitted when a right record closes their window (KStreamKStreamOuterJoinTest.testLeftExpiredNonJoinedRecordsAreEmittedByTheRightProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":2,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":3,"key":0,"value":"A0-0","topic":"L","partition":0,"offset":2}
{"ts":3,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
{"ts":401,"key":2,"value":"a100","topic":"R","partition":0,"offset":1}
{"ts":402,"key":2,"value":"dummy","topic":"L","partition":0,"offset":3}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":{"left":"A0-0","right":null},"topic":"R","partition":0,"offset":1}
{"ts":402,"key":2,"value":{"left":"dummy","right":"a100"},"topic":"L","partition":0,"offset":3}
EOF
}

# a10 at 1 and a12 at 3 wait; a11 is matched.  At 401 both are emitted,
# in ts order, before the record's own results.
@test "outer: unmatched right records are emitted when a left record closes their window (KStreamKStreamOuterJoinTest.testRightExpiredNonJoinedRecordsAreEmittedByTheLeftProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":2,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":"a12","topic":"R","partition":0,"offset":2}
{"ts":3,"key":1,"value":"A1","topic":"L","partition":0,"offset":0}
{"ts":401,"key":2,"value":"dummy","topic":"L","partition":0,"offset":1}
{"ts":402,"key":2,"value":"a100","topic":"R","partition":0,"offset":3}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a11"},"topic":"L","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":null,"right":"a10"},"topic":"L","partition":0,"offset":1}
{"ts":3,"key":0,"value":{"left":null,"right":"a12"},"topic":"L","partition":0,"offset":1}
{"ts":402,"key":2,"value":{"left":"dummy","right":"a100"},"topic":"R","partition":0,"offset":3}
EOF
}

@test "outer: unmatched right records are emitted when a right record closes their window (KStreamKStreamOuterJoinTest.testRightExpiredNonJoinedRecordsAreEmittedByTheRightProcessor)" {
	cat > in <<'EOF'
{"ts":1,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":2,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":3,"key":0,"value":"a12","topic":"R","partition":0,"offset":2}
{"ts":3,"key":1,"value":"A1","topic":"L","partition":0,"offset":0}
{"ts":401,"key":2,"value":"a100","topic":"R","partition":0,"offset":3}
{"ts":402,"key":2,"value":"dummy","topic":"L","partition":0,"offset":1}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":3,"key":1,"value":{"left":"A1","right":"a11"},"topic":"L","partition":0,"offset":0}
{"ts":1,"key":0,"value":{"left":null,"right":"a10"},"topic":"R","partition":0,"offset":3}
{"ts":3,"key":0,"value":{"left":null,"right":"a12"},"topic":"R","partition":0,"offset":3}
{"ts":402,"key":2,"value":{"left":"dummy","right":"a100"},"topic":"L","partition":0,"offset":1}
EOF
}

# a11 at 110 is past A0's window: A0 comes out unmatched, then a11's join.
@test "outer: closed unmatched records come before the join results of the record that closes them (KStreamKStreamOuterJoinTest.testOrdering)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":100,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":110,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":0}
{"ts":110,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":0}
EOF
}

# A1 and a10 at 101 are outside the window of the records at 0, which wait
# for grace.  At 112, past 0 + 100 + 10, both come out: right first.
@test "outer: --grace 10: both sides wait 10 ms past their window end (KStreamKStreamOuterJoinTest.testGracePeriod)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
{"ts":101,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":101,"key":0,"value":"a10","topic":"R","partition":0,"offset":1}
{"ts":112,"key":0,"value":"a100","topic":"R","partition":0,"offset":2}
EOF
	wjoin --type outer --window 100 --grace 10
	check_output <<'EOF'
{"ts":0,"key":1,"value":{"left":null,"right":"a11"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":2}
EOF
}

# before 5, after 20: a left record waits until stream time is past
# t + 20, a right one until t + 5.  a14 at 37 closes a12 at 31 (36 < 37),
# not A0 at 29 (49).  a15 at 50 closes A0 at 29, a13 at 36 and a14 at 37,
# but not A1 at 30 (50 is not past 50).
@test "outer: --before 5 --after 20: a left record stays open 20 ms, a right one 5 ms (KStreamKStreamOuterJoinTest.testEmitAllNonJoinedResultsForAsymmetricWindow)" {
	cat > in <<'EOF'
{"ts":29,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":30,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":31,"key":2,"value":"a12","topic":"R","partition":0,"offset":0}
{"ts":36,"key":3,"value":"a13","topic":"R","partition":0,"offset":1}
{"ts":37,"key":4,"value":"a14","topic":"R","partition":0,"offset":2}
{"ts":50,"key":5,"value":"a15","topic":"R","partition":0,"offset":3}
EOF
	wjoin --type outer --before 5 --after 20
	check_output <<'EOF'
{"ts":31,"key":2,"value":{"left":null,"right":"a12"},"topic":"R","partition":0,"offset":2}
{"ts":29,"key":0,"value":{"left":"A0","right":null},"topic":"R","partition":0,"offset":3}
{"ts":36,"key":3,"value":{"left":null,"right":"a13"},"topic":"R","partition":0,"offset":3}
{"ts":37,"key":4,"value":{"left":null,"right":"a14"},"topic":"R","partition":0,"offset":3}
EOF
}

# a23 waits until C3 matches it; the dummy at 400 finds nothing unmatched.
@test "outer: all at ts 0: joins as inner; matched records are never emitted unmatched (KStreamKStreamOuterJoinTest.runOuterJoin)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":0,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":0,"key":0,"value":"a20","topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":"a21","topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":"a22","topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":"a23","topic":"R","partition":0,"offset":5}
{"ts":0,"key":0,"value":"C0","topic":"L","partition":0,"offset":5}
{"ts":0,"key":1,"value":"C1","topic":"L","partition":0,"offset":6}
{"ts":0,"key":2,"value":"C2","topic":"L","partition":0,"offset":7}
{"ts":0,"key":3,"value":"C3","topic":"L","partition":0,"offset":8}
{"ts":400,"key":0,"value":"dummy","topic":"L","partition":0,"offset":9}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a10"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":{"left":"B0","right":"a10"},"topic":"L","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"B1","right":"a11"},"topic":"L","partition":0,"offset":3}
{"ts":0,"key":0,"value":{"left":"A0","right":"a20"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":{"left":"B0","right":"a20"},"topic":"R","partition":0,"offset":2}
{"ts":0,"key":1,"value":{"left":"A1","right":"a21"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":1,"value":{"left":"B1","right":"a21"},"topic":"R","partition":0,"offset":3}
{"ts":0,"key":2,"value":{"left":"B2","right":"a22"},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":0,"value":{"left":"C0","right":"a10"},"topic":"L","partition":0,"offset":5}
{"ts":0,"key":0,"value":{"left":"C0","right":"a20"},"topic":"L","partition":0,"offset":5}
{"ts":0,"key":1,"value":{"left":"C1","right":"a11"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":1,"value":{"left":"C1","right":"a21"},"topic":"L","partition":0,"offset":6}
{"ts":0,"key":2,"value":{"left":"C2","right":"a22"},"topic":"L","partition":0,"offset":7}
{"ts":0,"key":3,"value":{"left":"C3","right":"a23"},"topic":"L","partition":0,"offset":8}
EOF
}

# The first a at 1000 closes a12 and a13 of ts 0.  The rest goes as in the
# left join.
@test "outer: upper window bound: unmatched records of both sides wait until their window closes (KStreamKStreamOuterJoinTest.testWindowing, testUpperWindowBound)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":"a12","topic":"R","partition":0,"offset":2}
{"ts":0,"key":3,"value":"a13","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"a20","topic":"R","partition":0,"offset":4}
{"ts":1001,"key":1,"value":"a21","topic":"R","partition":0,"offset":5}
{"ts":1002,"key":2,"value":"a22","topic":"R","partition":0,"offset":6}
{"ts":1003,"key":3,"value":"a23","topic":"R","partition":0,"offset":7}
{"ts":1100,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":1101,"key":0,"value":"C0","topic":"L","partition":0,"offset":6}
{"ts":1101,"key":1,"value":"C1","topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":"C2","topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":"C3","topic":"L","partition":0,"offset":9}
{"ts":1102,"key":0,"value":"D0","topic":"L","partition":0,"offset":10}
{"ts":1102,"key":1,"value":"D1","topic":"L","partition":0,"offset":11}
{"ts":1102,"key":2,"value":"D2","topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":"D3","topic":"L","partition":0,"offset":13}
{"ts":1103,"key":0,"value":"E0","topic":"L","partition":0,"offset":14}
{"ts":1103,"key":1,"value":"E1","topic":"L","partition":0,"offset":15}
{"ts":1103,"key":2,"value":"E2","topic":"L","partition":0,"offset":16}
{"ts":1103,"key":3,"value":"E3","topic":"L","partition":0,"offset":17}
{"ts":1104,"key":0,"value":"F0","topic":"L","partition":0,"offset":18}
{"ts":1104,"key":1,"value":"F1","topic":"L","partition":0,"offset":19}
{"ts":1104,"key":2,"value":"F2","topic":"L","partition":0,"offset":20}
{"ts":1104,"key":3,"value":"F3","topic":"L","partition":0,"offset":21}
{"ts":1405,"key":0,"value":"dummy","topic":"L","partition":0,"offset":22}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a10"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":{"left":null,"right":"a12"},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":{"left":null,"right":"a13"},"topic":"R","partition":0,"offset":4}
{"ts":1100,"key":0,"value":{"left":"B0","right":"a20"},"topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"a21"},"topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"a22"},"topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"a23"},"topic":"L","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"C1","right":"a21"},"topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"C2","right":"a22"},"topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"C3","right":"a23"},"topic":"L","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"D2","right":"a22"},"topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"D3","right":"a23"},"topic":"L","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"E3","right":"a23"},"topic":"L","partition":0,"offset":17}
{"ts":1101,"key":0,"value":{"left":"C0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":0,"value":{"left":"D0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":1,"value":{"left":"D1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":0,"value":{"left":"E0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":1,"value":{"left":"E1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":2,"value":{"left":"E2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":0,"value":{"left":"F0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":1,"value":{"left":"F1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":2,"value":{"left":"F2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":3,"value":{"left":"F3","right":null},"topic":"L","partition":0,"offset":22}
EOF
}

# As the left join's lower bound, with the right side's values.
@test "outer: lower window bound: late left records whose window has closed are emitted at once (KStreamKStreamOuterJoinTest.testWindowing, testLowerWindowBound)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":"a12","topic":"R","partition":0,"offset":2}
{"ts":0,"key":3,"value":"a13","topic":"R","partition":0,"offset":3}
{"ts":1000,"key":0,"value":"a20","topic":"R","partition":0,"offset":4}
{"ts":1001,"key":1,"value":"a21","topic":"R","partition":0,"offset":5}
{"ts":1002,"key":2,"value":"a22","topic":"R","partition":0,"offset":6}
{"ts":1003,"key":3,"value":"a23","topic":"R","partition":0,"offset":7}
{"ts":1100,"key":0,"value":"B0","topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":"B1","topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":"B2","topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":"B3","topic":"L","partition":0,"offset":5}
{"ts":1101,"key":0,"value":"C0","topic":"L","partition":0,"offset":6}
{"ts":1101,"key":1,"value":"C1","topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":"C2","topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":"C3","topic":"L","partition":0,"offset":9}
{"ts":1102,"key":0,"value":"D0","topic":"L","partition":0,"offset":10}
{"ts":1102,"key":1,"value":"D1","topic":"L","partition":0,"offset":11}
{"ts":1102,"key":2,"value":"D2","topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":"D3","topic":"L","partition":0,"offset":13}
{"ts":1103,"key":0,"value":"E0","topic":"L","partition":0,"offset":14}
{"ts":1103,"key":1,"value":"E1","topic":"L","partition":0,"offset":15}
{"ts":1103,"key":2,"value":"E2","topic":"L","partition":0,"offset":16}
{"ts":1103,"key":3,"value":"E3","topic":"L","partition":0,"offset":17}
{"ts":1104,"key":0,"value":"F0","topic":"L","partition":0,"offset":18}
{"ts":1104,"key":1,"value":"F1","topic":"L","partition":0,"offset":19}
{"ts":1104,"key":2,"value":"F2","topic":"L","partition":0,"offset":20}
{"ts":1104,"key":3,"value":"F3","topic":"L","partition":0,"offset":21}
{"ts":1405,"key":0,"value":"dummy","topic":"L","partition":0,"offset":22}
{"ts":899,"key":0,"value":"G0","topic":"L","partition":0,"offset":23}
{"ts":899,"key":1,"value":"G1","topic":"L","partition":0,"offset":24}
{"ts":899,"key":2,"value":"G2","topic":"L","partition":0,"offset":25}
{"ts":899,"key":3,"value":"G3","topic":"L","partition":0,"offset":26}
{"ts":900,"key":0,"value":"H0","topic":"L","partition":0,"offset":27}
{"ts":900,"key":1,"value":"H1","topic":"L","partition":0,"offset":28}
{"ts":900,"key":2,"value":"H2","topic":"L","partition":0,"offset":29}
{"ts":900,"key":3,"value":"H3","topic":"L","partition":0,"offset":30}
{"ts":901,"key":0,"value":"I0","topic":"L","partition":0,"offset":31}
{"ts":901,"key":1,"value":"I1","topic":"L","partition":0,"offset":32}
{"ts":901,"key":2,"value":"I2","topic":"L","partition":0,"offset":33}
{"ts":901,"key":3,"value":"I3","topic":"L","partition":0,"offset":34}
{"ts":902,"key":0,"value":"J0","topic":"L","partition":0,"offset":35}
{"ts":902,"key":1,"value":"J1","topic":"L","partition":0,"offset":36}
{"ts":902,"key":2,"value":"J2","topic":"L","partition":0,"offset":37}
{"ts":902,"key":3,"value":"J3","topic":"L","partition":0,"offset":38}
{"ts":903,"key":0,"value":"K0","topic":"L","partition":0,"offset":39}
{"ts":903,"key":1,"value":"K1","topic":"L","partition":0,"offset":40}
{"ts":903,"key":2,"value":"K2","topic":"L","partition":0,"offset":41}
{"ts":903,"key":3,"value":"K3","topic":"L","partition":0,"offset":42}
{"ts":1103,"key":0,"value":"dummy","topic":"L","partition":0,"offset":43}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a10"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":1}
{"ts":0,"key":2,"value":{"left":null,"right":"a12"},"topic":"R","partition":0,"offset":4}
{"ts":0,"key":3,"value":{"left":null,"right":"a13"},"topic":"R","partition":0,"offset":4}
{"ts":1100,"key":0,"value":{"left":"B0","right":"a20"},"topic":"L","partition":0,"offset":2}
{"ts":1100,"key":1,"value":{"left":"B1","right":"a21"},"topic":"L","partition":0,"offset":3}
{"ts":1100,"key":2,"value":{"left":"B2","right":"a22"},"topic":"L","partition":0,"offset":4}
{"ts":1100,"key":3,"value":{"left":"B3","right":"a23"},"topic":"L","partition":0,"offset":5}
{"ts":1101,"key":1,"value":{"left":"C1","right":"a21"},"topic":"L","partition":0,"offset":7}
{"ts":1101,"key":2,"value":{"left":"C2","right":"a22"},"topic":"L","partition":0,"offset":8}
{"ts":1101,"key":3,"value":{"left":"C3","right":"a23"},"topic":"L","partition":0,"offset":9}
{"ts":1102,"key":2,"value":{"left":"D2","right":"a22"},"topic":"L","partition":0,"offset":12}
{"ts":1102,"key":3,"value":{"left":"D3","right":"a23"},"topic":"L","partition":0,"offset":13}
{"ts":1103,"key":3,"value":{"left":"E3","right":"a23"},"topic":"L","partition":0,"offset":17}
{"ts":1101,"key":0,"value":{"left":"C0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":0,"value":{"left":"D0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1102,"key":1,"value":{"left":"D1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":0,"value":{"left":"E0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":1,"value":{"left":"E1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1103,"key":2,"value":{"left":"E2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":0,"value":{"left":"F0","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":1,"value":{"left":"F1","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":2,"value":{"left":"F2","right":null},"topic":"L","partition":0,"offset":22}
{"ts":1104,"key":3,"value":{"left":"F3","right":null},"topic":"L","partition":0,"offset":22}
{"ts":899,"key":0,"value":{"left":"G0","right":null},"topic":"L","partition":0,"offset":23}
{"ts":899,"key":1,"value":{"left":"G1","right":null},"topic":"L","partition":0,"offset":24}
{"ts":899,"key":2,"value":{"left":"G2","right":null},"topic":"L","partition":0,"offset":25}
{"ts":899,"key":3,"value":{"left":"G3","right":null},"topic":"L","partition":0,"offset":26}
{"ts":1000,"key":0,"value":{"left":"H0","right":"a20"},"topic":"L","partition":0,"offset":27}
{"ts":900,"key":1,"value":{"left":"H1","right":null},"topic":"L","partition":0,"offset":28}
{"ts":900,"key":2,"value":{"left":"H2","right":null},"topic":"L","partition":0,"offset":29}
{"ts":900,"key":3,"value":{"left":"H3","right":null},"topic":"L","partition":0,"offset":30}
{"ts":1000,"key":0,"value":{"left":"I0","right":"a20"},"topic":"L","partition":0,"offset":31}
{"ts":1001,"key":1,"value":{"left":"I1","right":"a21"},"topic":"L","partition":0,"offset":32}
{"ts":901,"key":2,"value":{"left":"I2","right":null},"topic":"L","partition":0,"offset":33}
{"ts":901,"key":3,"value":{"left":"I3","right":null},"topic":"L","partition":0,"offset":34}
{"ts":1000,"key":0,"value":{"left":"J0","right":"a20"},"topic":"L","partition":0,"offset":35}
{"ts":1001,"key":1,"value":{"left":"J1","right":"a21"},"topic":"L","partition":0,"offset":36}
{"ts":1002,"key":2,"value":{"left":"J2","right":"a22"},"topic":"L","partition":0,"offset":37}
{"ts":902,"key":3,"value":{"left":"J3","right":null},"topic":"L","partition":0,"offset":38}
{"ts":1000,"key":0,"value":{"left":"K0","right":"a20"},"topic":"L","partition":0,"offset":39}
{"ts":1001,"key":1,"value":{"left":"K1","right":"a21"},"topic":"L","partition":0,"offset":40}
{"ts":1002,"key":2,"value":{"left":"K2","right":"a22"},"topic":"L","partition":0,"offset":41}
{"ts":1003,"key":3,"value":{"left":"K3","right":"a23"},"topic":"L","partition":0,"offset":42}
{"ts":1103,"key":0,"value":{"left":"dummy","right":null},"topic":"L","partition":0,"offset":43}
EOF
}

# before 0, after 100: a10 at 100 joins A0.  a11 at 102 closes A1 at 1
# (101 < 102), too late to join it; a11 itself waits (102 + 0 is not past
# 102).  a12 at 103 closes a11; A2 at 103 joins a12.
@test "outer: --before 0 --after 100: left records close 100 ms after their ts, right records at once (KStreamKStreamOuterJoinTest.testShouldNotEmitLeftJoinResultForAsymmetricBeforeWindow)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":100,"key":0,"value":"a10","topic":"R","partition":0,"offset":0}
{"ts":102,"key":1,"value":"a11","topic":"R","partition":0,"offset":1}
{"ts":103,"key":2,"value":"a12","topic":"R","partition":0,"offset":2}
{"ts":103,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
EOF
	wjoin --type outer --before 0 --after 100
	check_output <<'EOF'
{"ts":100,"key":0,"value":{"left":"A0","right":"a10"},"topic":"R","partition":0,"offset":0}
{"ts":1,"key":1,"value":{"left":"A1","right":null},"topic":"R","partition":0,"offset":1}
{"ts":102,"key":1,"value":{"left":null,"right":"a11"},"topic":"R","partition":0,"offset":2}
{"ts":103,"key":2,"value":{"left":"A2","right":"a12"},"topic":"L","partition":0,"offset":2}
EOF
}

# before 100, after 0: A1 at 1 closes A0 at 0 (0 + 0 < 1).  a11 joins A1.
# a12 and a13 at 101 wait until stream time is past 201; A2 at 201 joins
# a12, and a13 keeps waiting.
@test "outer: --before 100 --after 0: left records close at once, right records 100 ms after their ts (KStreamKStreamOuterJoinTest.testShouldNotEmitLeftJoinResultForAsymmetricAfterWindow)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":1,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":1,"key":1,"value":"a11","topic":"R","partition":0,"offset":0}
{"ts":101,"key":2,"value":"a12","topic":"R","partition":0,"offset":1}
{"ts":101,"key":3,"value":"a13","topic":"R","partition":0,"offset":2}
{"ts":201,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
EOF
	wjoin --type outer --before 100 --after 0
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":1}
{"ts":1,"key":1,"value":{"left":"A1","right":"a11"},"topic":"R","partition":0,"offset":0}
{"ts":201,"key":2,"value":{"left":"A2","right":"a12"},"topic":"L","partition":0,"offset":2}
EOF
}

# The records closed when a100 moves stream time carry a100's headers and
# provenance; a join result those of the record being processed.
@test "outer: closed unmatched records carry the headers and provenance of the record that closes them (KStreamKStreamOuterJoinTest.testShouldForwardCurrentHeaders)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","headers":[["h","1"]],"topic":"L","partition":0,"offset":0}
{"ts":0,"key":1,"value":"a10","headers":[["h","2"]],"topic":"R","partition":0,"offset":0}
{"ts":211,"key":3,"value":"a100","headers":[["h","3"]],"topic":"R","partition":0,"offset":1}
{"ts":200,"key":2,"value":"A2","headers":[["h","4"]],"topic":"L","partition":0,"offset":1}
{"ts":200,"key":2,"value":"a12","headers":[["h","5"]],"topic":"R","partition":0,"offset":2}
EOF
	wjoin --type outer --window 100 --grace 10
	check_output <<'EOF'
{"ts":0,"key":1,"value":{"left":null,"right":"a10"},"headers":[["h","3"]],"topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":{"left":"A0","right":null},"headers":[["h","3"]],"topic":"R","partition":0,"offset":1}
{"ts":200,"key":2,"value":{"left":"A2","right":"a12"},"headers":[["h","5"]],"topic":"R","partition":0,"offset":2}
EOF
}

# --- from Kafka's join processor itself (KStreamKStreamJoin) --------------

# Keys 1, 3, 5 on the left, 0, 2, 4 on the right: no pair joins.  A9 at
# 500 closes them all; they come out by ts, at one ts the right side
# first, then by key.
@test "outer: waiting records come out by ts, then right before left, then key, whatever their arrival order" {
	cat > in <<'EOF'
{"ts":5,"key":3,"value":"A3","topic":"L","partition":0,"offset":0}
{"ts":5,"key":4,"value":"a4","topic":"R","partition":0,"offset":0}
{"ts":5,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":5,"key":0,"value":"a0","topic":"R","partition":0,"offset":1}
{"ts":2,"key":5,"value":"A5","topic":"L","partition":0,"offset":2}
{"ts":7,"key":2,"value":"a2","topic":"R","partition":0,"offset":2}
{"ts":500,"key":9,"value":"A9","topic":"L","partition":0,"offset":3}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":2,"key":5,"value":{"left":"A5","right":null},"topic":"L","partition":0,"offset":3}
{"ts":5,"key":0,"value":{"left":null,"right":"a0"},"topic":"L","partition":0,"offset":3}
{"ts":5,"key":4,"value":{"left":null,"right":"a4"},"topic":"L","partition":0,"offset":3}
{"ts":5,"key":1,"value":{"left":"A1","right":null},"topic":"L","partition":0,"offset":3}
{"ts":5,"key":3,"value":{"left":"A3","right":null},"topic":"L","partition":0,"offset":3}
{"ts":7,"key":2,"value":{"left":null,"right":"a2"},"topic":"L","partition":0,"offset":3}
EOF
}

# From Kafka's TimeTracker: a pass over the waiting records remembers the
# ts of the last one it visited, and the next record walks only when
# stream time is past that + after + grace.  A3 at 101 emits A0 and visits
# A1 at 50 and A2 at 60, both open: it remembers 60.  At A4 (155) A1's
# window has closed (150 < 155), but 60 + 100 is not below 155: no pass.
# A5 at 161 emits A1 and A2.
@test "left: after a pass over the waiting records, the next pass waits for the ts of the last one visited + after + grace (TimeTracker.minTime)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":50,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
{"ts":60,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
{"ts":101,"key":3,"value":"A3","topic":"L","partition":0,"offset":3}
{"ts":155,"key":4,"value":"A4","topic":"L","partition":0,"offset":4}
{"ts":161,"key":5,"value":"A5","topic":"L","partition":0,"offset":5}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":3}
{"ts":50,"key":1,"value":{"left":"A1","right":null},"topic":"L","partition":0,"offset":5}
{"ts":60,"key":2,"value":{"left":"A2","right":null},"topic":"L","partition":0,"offset":5}
EOF
}

# The same, where a pass breaks off: it stops at the first record after it
# has seen one open record of each side, and that record's ts is what it
# remembers.  X9's match leaves the remembered ts at 0, so A2 at 101 makes a
# pass: A0 at 50 (left) and a1 at 60 (right) are open, and it stops at A3,
# remembering 90.  A0 and a1 are closed from 151 and 161 on, but no record
# walks until stream time is past 90 + 100: A6 at 191 emits A0, a1 and A3.
@test "outer: a pass that breaks off remembers the ts of the record it stopped at (TimeTracker.minTime)" {
	cat > in <<'EOF'
{"ts":0,"key":9,"value":"X9","topic":"L","partition":0,"offset":0}
{"ts":50,"key":0,"value":"A0","topic":"L","partition":0,"offset":1}
{"ts":60,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":90,"key":3,"value":"A3","topic":"L","partition":0,"offset":2}
{"ts":70,"key":9,"value":"x9","topic":"R","partition":0,"offset":1}
{"ts":101,"key":2,"value":"A2","topic":"L","partition":0,"offset":3}
{"ts":155,"key":4,"value":"A4","topic":"L","partition":0,"offset":4}
{"ts":165,"key":5,"value":"A5","topic":"L","partition":0,"offset":5}
{"ts":191,"key":6,"value":"A6","topic":"L","partition":0,"offset":6}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":70,"key":9,"value":{"left":"X9","right":"x9"},"topic":"R","partition":0,"offset":1}
{"ts":50,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":6}
{"ts":60,"key":1,"value":{"left":null,"right":"a1"},"topic":"L","partition":0,"offset":6}
{"ts":90,"key":3,"value":{"left":"A3","right":null},"topic":"L","partition":0,"offset":6}
EOF
}

# before 100, after 0: A0 at 0 has closed once stream time passes 0.  A
# right record walks the waiting records only when stream time is past
# the remembered ts (A0's) + before + grace (its side's own after): not
# a1 at 50.  A1 at 60, a left record (0 + 0 < 60), emits A0, then joins a1.
@test "left: a right record walks the waiting records only when stream time is past the remembered ts + before + grace (its side's own after)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":50,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":60,"key":1,"value":"A1","topic":"L","partition":0,"offset":1}
EOF
	wjoin --type left --before 100 --after 0
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":1}
{"ts":60,"key":1,"value":{"left":"A1","right":"a1"},"topic":"L","partition":0,"offset":1}
EOF
}

# --- skipped records, the end of the input --------------------------------

# Kafka skips (and meters) a record with a null key or a null value: it is
# neither joined nor kept.  A0 meets only a0, and B0 only a0.
@test "a record with a null key or a null value is skipped and counted on stderr (KStreamKStreamJoinTest.shouldLogAndMeterOnSkippedRecordsWithNullValue...)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":null,"value":"An","topic":"L","partition":0,"offset":1}
{"ts":0,"key":0,"value":null,"topic":"L","partition":0,"offset":2}
{"ts":0,"key":0,"value":"a0","topic":"R","partition":0,"offset":0}
{"ts":0,"key":null,"value":"an","topic":"R","partition":0,"offset":1}
{"ts":0,"key":0,"value":null,"topic":"R","partition":0,"offset":2}
{"ts":0,"key":0,"value":"B0","topic":"L","partition":0,"offset":3}
EOF
	wjoin --window 100
	check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":"a0"},"topic":"R","partition":0,"offset":0}
{"ts":0,"key":0,"value":{"left":"B0","right":"a0"},"topic":"L","partition":0,"offset":3}
EOF
	[[ $stderr == *"null key"* ]]
	[[ $stderr == *"null value"* ]]
}

# Before KIP-962 a left or outer join drops a record with a null key too,
# instead of writing it at once with null for the other side.  Only A0,
# closed by A3 at 500, is written unmatched.  (The skipped records are all
# at ts 0, so whether they move stream time does not matter here.)
@test "left and outer: a record with a null key or value is skipped, never written unmatched (pre-KIP-962)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":0,"key":null,"value":"An","topic":"L","partition":0,"offset":1}
{"ts":0,"key":null,"value":"an","topic":"R","partition":0,"offset":0}
{"ts":0,"key":1,"value":null,"topic":"L","partition":0,"offset":2}
{"ts":0,"key":2,"value":null,"topic":"R","partition":0,"offset":1}
{"ts":500,"key":3,"value":"A3","topic":"L","partition":0,"offset":3}
EOF
	local type
	for type in left outer; do
		wjoin --type $type --window 100
		check_output <<'EOF'
{"ts":0,"key":0,"value":{"left":"A0","right":null},"topic":"L","partition":0,"offset":3}
EOF
		[[ $stderr == *"null key"* ]]
		[[ $stderr == *"null value"* ]]
	done
}

# strip_provenance: $output without the topic, partition and offset of each
# record, which the rules above do not give for what --close-at-end writes.
strip_provenance() {
	output=$(printf '%s\n' "$output" | sed 's/,"topic":.*}$/}/')
}

# A0, a1 and A2 are still waiting at the end (A3 was matched by a3).
# Without --close-at-end they stay unwritten; with it they come out in the
# waiting order (ts, right before left, key), at the end of the input or at
# {"@":"end"}, which follows them.
@test "--close-at-end: the records still waiting at the end are written, in their order (outer)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":10,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":20,"key":3,"value":"A3","topic":"L","partition":0,"offset":1}
{"ts":30,"key":3,"value":"a3","topic":"R","partition":0,"offset":1}
{"ts":50,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
EOF
	wjoin --type outer --window 100
	check_output <<'EOF'
{"ts":30,"key":3,"value":{"left":"A3","right":"a3"},"topic":"R","partition":0,"offset":1}
EOF
	wjoin --type outer --window 100 --close-at-end
	strip_provenance
	check_output <<'EOF'
{"ts":30,"key":3,"value":{"left":"A3","right":"a3"}}
{"ts":0,"key":0,"value":{"left":"A0","right":null}}
{"ts":10,"key":1,"value":{"left":null,"right":"a1"}}
{"ts":50,"key":2,"value":{"left":"A2","right":null}}
EOF
	echo '{"@":"end"}' >> in
	wjoin --type outer --window 100 --close-at-end
	strip_provenance
	check_output <<'EOF'
{"ts":30,"key":3,"value":{"left":"A3","right":"a3"}}
{"ts":0,"key":0,"value":{"left":"A0","right":null}}
{"ts":10,"key":1,"value":{"left":null,"right":"a1"}}
{"ts":50,"key":2,"value":{"left":"A2","right":null}}
{"@":"end"}
EOF
}

# A left join keeps only left records waiting: a1 is never written.
@test "--close-at-end: the left records still waiting at the end are written (left)" {
	cat > in <<'EOF'
{"ts":0,"key":0,"value":"A0","topic":"L","partition":0,"offset":0}
{"ts":10,"key":1,"value":"a1","topic":"R","partition":0,"offset":0}
{"ts":20,"key":3,"value":"A3","topic":"L","partition":0,"offset":1}
{"ts":30,"key":3,"value":"a3","topic":"R","partition":0,"offset":1}
{"ts":50,"key":2,"value":"A2","topic":"L","partition":0,"offset":2}
EOF
	wjoin --type left --window 100
	check_output <<'EOF'
{"ts":30,"key":3,"value":{"left":"A3","right":"a3"},"topic":"R","partition":0,"offset":1}
EOF
	wjoin --type left --window 100 --close-at-end
	strip_provenance
	check_output <<'EOF'
{"ts":30,"key":3,"value":{"left":"A3","right":"a3"}}
{"ts":0,"key":0,"value":{"left":"A0","right":null}}
{"ts":50,"key":2,"value":{"left":"A2","right":null}}
EOF
}
