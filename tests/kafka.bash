# Kafka for bats: each test that needs a broker starts its own kbroker and
# stops it by PID in teardown.
#
#	load helper
#	load kafka
#	setup() { kbroker_start -t trades:4; }
#	teardown() { kbroker_stop; }
#
# kbroker -d returns once the cluster serves, so no test waits for it.

# kbroker_start [ARGS...]: run "kbroker -d ARGS", and export what it
# prints: KPIPE_BROKERS (which every kpipe command and kcat -b
# "$KPIPE_BROKERS" then use) and KBROKER_PID.
kbroker_start() {
	local out

	# fd 3 is bats' own: a process that kept it open would hold bats up
	# (kbroker -d closes it anyway).
	out=$(kbroker -d "$@" 3>&-) || return
	eval "$out"
	export KPIPE_BROKERS KBROKER_PID
}

# True once process $1 has exited.  A detached kbroker's parent is init,
# which may leave it a zombie for a while: kill -0 still finds a zombie.
kbroker_gone() {
	local stat

	kill -0 "$1" 2>/dev/null || return 0
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 0
	stat=${stat##*) }
	[ "${stat%% *}" = Z ]
}

# kbroker_stop: send SIGTERM to $KBROKER_PID and wait until it has exited,
# 10 seconds at most (it takes about one: see kbroker(1)); after that,
# SIGKILL and fail.  Does nothing if no kbroker was started.
kbroker_stop() {
	local pid=${KBROKER_PID:-} deadline

	[ -n "$pid" ] || return 0
	unset KBROKER_PID
	kill "$pid" 2>/dev/null || return 0
	deadline=$((SECONDS + 10))
	until kbroker_gone "$pid"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "kbroker $pid: still running 10 s after SIGTERM" >&2
			kill -KILL "$pid" 2>/dev/null
			return 1
		fi
		# A wait for a condition, polled: the process is not ours
		# to wait(2) for.
		sleep 0.02
	done
}
