# tui_lib.sh - driving the real kyso interface inside tmux, for tests/e2e/test_tui_*.sh.
# Source it after lib.sh:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/tui_lib.sh"
#   tui_start 80 24                   # kyso --db "$DB" in a detached 80x24 tmux pane
#   tui_wait "Việc cần làm" || ...    # waits (up to $TUI_WAIT s) for text on the screen
#   tui_type "Nguyễn Thị Ánh"         # literal UTF-8 text (send-keys -l)
#   tui_keys Tab Enter F2 Escape      # tmux key names; returns once kyso has taken them
#   screen=$(tui_screen)              # the pane's text now
#   tui_expect "desc" "text"          # a check: text is on the screen (waits for it)
#   tui_expect_text "desc" "text"     # the same for a message that wraps (tui_text)
#   tui_resize 120 40
#   tui_signal HUP ; tui_wait_exit    # the exit status of kyso, once it ended
#   tui_stop
#
# Each test gets its own tmux server (a socket in $TMP), so tests never see each other or
# the developer's tmux.  kyso runs with LANG=C.UTF-8, TERM=tmux-256color (screen-256color
# when that is missing), KYSO_TODAY and ESCDELAY=0 (see tui_idle).  Under AddressSanitizer its reports go to files
# $TMP/asan.*, which tui_stop turns into a failed check (a pane that closed cannot show
# them).

TUI_SOCK=$TMP/tmux.sock
TUI_WAIT=${TUI_WAIT:-20}
TUI_N=0

tmux_() { tmux -u -S "$TUI_SOCK" -f /dev/null "$@"; }

# However the script ends, its tmux server (and the kyso in it) ends with it.
trap 'tmux_ kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

if ! command -v tmux >/dev/null; then
	fail "tmux is not installed (Debian package tmux)"
	finish
fi

# tui_start COLS ROWS [ENV=VALUE...] [-- KYSO_ARG...]: starts kyso --db "$DB" in a new
# session "k$TUI_N" (the current one for the other helpers).  Default arguments: none.
tui_start() {
	_w=$1 _h=$2
	shift 2
	_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		_env="$_env $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	_args=""
	for _a in "$@"; do
		_args="$_args $(printf '%s' "$_a" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
	done
	TUI_N=$((TUI_N + 1))
	TUI_SESSION=k$TUI_N
	_idle_session=""
	_term=tmux-256color
	infocmp "$_term" >/dev/null 2>&1 || _term=screen-256color
	# shellcheck disable=SC2086
	tmux_ new-session -d -s "$TUI_SESSION" -x "$_w" -y "$_h" \
		"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=$_term KYSO_TODAY=$KYSO_TODAY ESCDELAY=0 \
		ASAN_OPTIONS=${ASAN_OPTIONS:-}:log_path=$TMP/asan \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-}:log_path=$TMP/asan \
		LSAN_OPTIONS=${LSAN_OPTIONS:-} $_env \
		$KYSO_WRAP '$KYSO' --db '$DB' $_args"
	tmux_ set-option -t "$TUI_SESSION" remain-on-exit on >/dev/null
	tmux_ set-option -t "$TUI_SESSION" status off >/dev/null
	tmux_ set-option -s escape-time 0 >/dev/null
}

# tui_use SESSION: later helpers act on SESSION (k1, k2, ...).
tui_use() { TUI_SESSION=$1; }

tui_screen() { tmux_ capture-pane -p -t "$TUI_SESSION" 2>/dev/null; }

# tui_idle [--size COLSxROWS] [SECONDS]: returns once kyso has read every key sent so far, drawn what they
# did and tmux has taken it (tui_idle.pl asks the kernel), twice across a round trip to
# the tmux server so that keys still on their way from tmux are waited for too; or after
# SECONDS (default 10).  Keys are sent without pauses and an assertion that something is
# NOT on the screen waits for this instead of sleeping.  Esc alone is told from Alt+key
# by the time between them; kyso runs with ESCDELAY=0 here, so that an Esc kyso has read
# is already a key by the time the pane is idle.
tui_idle() {
	_idle_size=""
	[ "${1:-}" = --size ] && { _idle_size="--size $2"; shift 2; }
	if [ "${_idle_session:-}" != "$TUI_SESSION" ]; then
		_idle_pane=$(tmux_ display-message -p -t "$TUI_SESSION" '#{pane_tty} #{pane_pid}')
		_idle_session=$TUI_SESSION
	fi
	# shellcheck disable=SC2086 # "tty pid"
	[ -n "$_idle_pane" ] && perl "$E2E_DIR/tui_idle.pl" $_idle_size $_idle_pane "${1:-10}" \
		tmux -S "$TUI_SOCK" -f /dev/null display-message -p -t "$TUI_SESSION" ''
	return 0
}

# tui_wait TEXT [SECONDS]: 0 once TEXT (fixed string) is on the screen, 1 after SECONDS.
tui_wait() {
	_deadline=$(($(date +%s) + ${2:-$TUI_WAIT}))
	while :; do
		tui_screen | grep -qF -- "$1" && return 0
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.05
	done
}

# tui_wait_gone TEXT [SECONDS]: 0 once TEXT is no longer on the screen.
tui_wait_gone() {
	_deadline=$(($(date +%s) + ${2:-$TUI_WAIT}))
	while :; do
		tui_screen | grep -qF -- "$1" || return 0
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.05
	done
}

# tui_expect DESC TEXT: a check that TEXT shows (waiting for it); quotes the screen if not.
tui_expect() {
	if tui_wait "$2"; then
		pass "$1"
	else
		fail "$1"
		note "expected on the screen: $2" "screen:"
		tui_screen | quote_all
	fi
}

# tui_text: the screen as one text - rows joined, only what is inside a dialog's sides
# where a row has them, runs of spaces made one - for messages that wrap.
tui_text() {
	tui_screen | "$PY" -c '
import sys
rows = []
for row in sys.stdin.read().split("\n"):
    if row.count("\u2502") >= 2:
        row = row[row.index("\u2502") + 1:row.rindex("\u2502")]
    rows.append(row)
print(" ".join(" ".join(rows).split()))'
}

# tui_expect_text DESC TEXT: a check that TEXT shows in tui_text (waiting for it).
tui_expect_text() {
	_deadline=$(($(date +%s) + TUI_WAIT))
	while ! tui_text | grep -qF -- "$2"; do
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			fail "$1"
			note "expected on the screen: $2" "screen:"
			tui_screen | quote_all
			return 1
		fi
		sleep 0.1
	done
	pass "$1"
}

# tui_expect_not DESC TEXT: a check that TEXT is not on the screen once kyso is idle.
tui_expect_not() {
	tui_idle
	if tui_screen | grep -qF -- "$2"; then
		fail "$1"
		note "not expected on the screen: $2" "screen:"
		tui_screen | quote_all
	else
		pass "$1"
	fi
}

quote_all() { sed 's/^/#     |/' >&3; }

# tui_keys KEY...: tmux key names (Enter, Escape, Tab, BTab, Up, Down, PPage, NPage,
# Home, End, F1 ... F10, C-u, BSpace, or plain characters), one at a time; returns once
# kyso has taken them (tui_idle).  After an Escape it waits for kyso to take it before
# the next key, so that the two are not read as one Alt+key.
tui_keys() {
	for _k in "$@"; do
		tmux_ send-keys -t "$TUI_SESSION" "$_k"
		[ "$_k" = Escape ] && tui_idle
	done
	[ "${_k:-}" = Escape ] || tui_idle
}

# tui_type TEXT: types TEXT literally (UTF-8 as it is, precomposed or not).
tui_type() {
	tmux_ send-keys -t "$TUI_SESSION" -l -- "$1"
	tui_idle
}

# tui_click X Y: a left click (press, then release) at column X, row Y (0-based, below
# 90), in the mouse format the terminal's terminfo names (kmous=\E[M: X10, each value
# plus 32 in one byte).  ncurses reads no SGR reports with that entry, and a lone press
# after another is taken for a drag: hence the release.
tui_byte() { printf "\\$(printf %03o "$1")"; }
tui_click() {
	_at="$(tui_byte $(($1 + 33)))$(tui_byte $(($2 + 33)))"
	tmux_ send-keys -t "$TUI_SESSION" -l -- "$(printf '\033[M') $_at$(printf '\033[M')#$_at"
	tui_idle
}

# tui_click_on TEXT: a click on the first character of TEXT where the screen shows it (the
# column counted in characters, as the screen's cells are for the texts tests click on).
tui_click_on() {
	_row=$(tui_screen | grep -n -m1 -F -- "$1" | cut -d: -f1)
	[ -n "$_row" ] || { echo "# tui_click_on: \"$1\" is not on the screen"; return 1; }
	_col=$(tui_screen | sed -n "${_row}p" | awk -v t="$1" '{ print index($0, t) - 1 }')
	tui_click "$_col" $((_row - 1))
}

# tui_resize COLS ROWS: returns once kyso has been told and has drawn the new size.
tui_resize() { tmux_ resize-window -t "$TUI_SESSION" -x "$1" -y "$2"; tui_idle --size "${1}x$2"; }

tui_pid() { tmux_ display-message -p -t "$TUI_SESSION" '#{pane_pid}'; }

# tui_signal SIG: sends SIG (HUP, TERM) to kyso.
tui_signal() { kill -"$1" "$(tui_pid)"; }

# tui_wait_exit [SECONDS]: prints kyso's exit status (128 + N after signal N) once it
# ended; 1 if it still runs.  tmux 3.3a now and then misses the SIGCHLD of a pane's
# process and leaves it a zombie without a status; the kernel still keeps the status in
# /proc/PID/stat (its 52nd field), so it is read there then.
tui_wait_exit() {
	_pid=$(tui_pid)
	_deadline=$(($(date +%s) + ${1:-$TUI_WAIT}))
	while :; do
		if [ "$(tmux_ display-message -p -t "$TUI_SESSION" '#{pane_dead}')" = 1 ]; then
			_st=$(tmux_ display-message -p -t "$TUI_SESSION" '#{pane_dead_status}')
			_sig=$(tmux_ display-message -p -t "$TUI_SESSION" '#{pane_dead_signal}')
			[ -n "$_sig" ] && [ "$_sig" != 0 ] && _st=$((128 + _sig))
			if [ -n "$_st" ]; then
				echo "$_st"
				return 0
			fi
		fi
		# One read of the file: the zombie may be reaped (and the file gone) between two.
		_stat=$(sed 's/.*) //' "/proc/$_pid/stat" 2>/dev/null)
		_code=$(echo "$_stat" | awk '$1 == "Z" { print $50 }')
		if [ -n "$_code" ]; then
			if [ $((_code & 127)) -ne 0 ]; then
				echo $((128 + (_code & 127)))
			else
				echo $(((_code >> 8) & 255))
			fi
			return 0
		fi
		[ "$(date +%s)" -ge "$_deadline" ] && return 1
		sleep 0.1
	done
}

# tui_quit DESC [KEY]: KEY (default F10; q works where no text is typed) and a check
# that kyso ends with exit status 0.
tui_quit() {
	tui_keys "${2:-F10}"
	_st=$(tui_wait_exit)
	check_eq "$1" "$_st" 0
}

# tui_line TEXT: the first screen line holding TEXT, without its trailing spaces.
tui_line() { tui_screen | grep -F -- "$1" | head -1 | sed 's/ *$//'; }

# tui_expect_line DESC TEXT ERE: the line holding TEXT comes to match ERE (whole line).
tui_expect_line() {
	_deadline=$(($(date +%s) + TUI_WAIT))
	while :; do
		tui_line "$2" | grep -qxE -- "$3" && { pass "$1"; return 0; }
		[ "$(date +%s)" -ge "$_deadline" ] && break
		sleep 0.05
	done
	fail "$1"
	note "expected a line matching: $3" "screen:"
	tui_screen | quote_all
	return 1
}

# tui_help DESC LABEL...: F1 on the current screen opens the help with each LABEL (a
# fragment of the line that names a key of this screen), read at the top and, scrolled
# with End, at the bottom; Esc closes it and the screen is back.
tui_help() {
	_desc=$1
	shift
	tui_keys F1
	if ! tui_wait "Keys: " 5; then
		fail "$_desc: F1 opens the help"
		tui_screen | quote_all
		return 1
	fi
	_help=$(tui_screen)
	tui_keys End
	_help="$_help
$(tui_screen)"
	# A label longer than the box wraps under itself: read the help as one line, its
	# box and runs of spaces gone, so that a label is found across its wrap.
	_flat=$(printf '%s\n' "$_help" | sed 's/│//g; s/^ *//; s/ *$//' | tr '\n' ' ' | tr -s ' ')
	_missing=""
	for _l in "$@"; do
		printf '%s\n' "$_flat" | grep -qF -- "$_l" || _missing="$_missing; $_l"
	done
	[ -z "$_missing" ]
	judge "$_desc: F1 lists the screen's keys" $? "the keys ${*}, missing:${_missing#;}" "$_help"
	tui_keys Escape
	if tui_wait_gone "Keys: " 5; then
		pass "$_desc: Esc closes the help"
	else
		fail "$_desc: Esc closes the help"
		tui_screen | quote_all
	fi
}

# tui_stop: ends the test's tmux server; a report AddressSanitizer or UBSan wrote is a
# failed check.
tui_stop() {
	tmux_ kill-server 2>/dev/null
	for _f in "$TMP"/asan.*; do
		[ -e "$_f" ] || continue
		fail "sanitizer report from the interface: $_f"
		quote <"$_f"
		rm -f "$_f"
	done
}
