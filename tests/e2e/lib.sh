# lib.sh - shared helpers for the end-to-end tests of kyso (tests/e2e/test_*.sh).
#
# A test script starts with  . "$(dirname "$0")/lib.sh"  and ends with  finish.
# It gets a fresh temporary folder $TMP (removed on exit) and a database path $DB in it,
# KYSO_TODAY fixed to 2026-11-25, and helpers that print one line per check:
# "ok - ..." or "not ok - ..." followed by "#" lines saying what was seen.  A failed check
# never stops the script; finish exits non-zero when any check failed.
#
# The binary is $KYSO (run-all sets it; default ./kyso of this checkout), run through
# $KYSO_WRAP when that is set (e.g. "valgrind -q --error-exitcode=99"; split into words).
# Python is always Debian's /usr/bin/python3 (it has openpyxl); the first python3 on PATH
# may be another one.

set -u

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$E2E_DIR/../.." && pwd)
KYSO=${KYSO:-$TOP/kyso}
KYSO_WRAP=${KYSO_WRAP:-}
PY=/usr/bin/python3
# shellcheck disable=SC2034 # for the scripts that source this file
GEN_ROSTER=$TOP/tests/gen-roster
DOMAIN=vinhlong.gov.vn

# Nothing from the caller's environment may choose the database or the language.
unset KYSO_DB KYSO_LANG
export KYSO_TODAY=2026-11-25

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kyso-e2e.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
DB=$TMP/kyso.db
# A home of the test's own: kyso writes reports and minutes to ~/kyso-documents by default.
HOME=$TMP/home
mkdir "$HOME"
export HOME

# Check lines go to fd 3 (the script's stdout) and are counted in files, so that a check
# made inside $(...) or a subshell is neither swallowed nor lost from the count.
exec 3>&1
: >"$TMP/.passed"
: >"$TMP/.failed"

# --- running kyso ----------------------------------------------------------------------

# kyso ARG...: the binary under test.
kyso() {
	# shellcheck disable=SC2086 # the wrapper is a command line, split on purpose
	$KYSO_WRAP "$KYSO" "$@"
}

# kyso_env [NAME=VALUE | -u NAME]... ARG...: kyso with those changes to its environment.
kyso_env() (
	while :; do
		case $1 in
		-u) unset "$2"; shift 2 ;;
		*=*) export "${1?}"; shift ;;
		*) break ;;
		esac
	done
	kyso "$@"
)

# k ARG...: kyso on the test's database; ken: the same in English (for matching messages).
k() { kyso --db "$DB" "$@"; }
ken() { kyso --db "$DB" --lang en "$@"; }

# run CMD...: runs CMD; stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
	"$@" >"$TMP/.out" 2>"$TMP/.err"
	RC=$?
	OUT=$(cat "$TMP/.out")
	ERR=$(cat "$TMP/.err")
}

# must CMD...: a set-up step; prints its stdout.  A failure is counted and reported.
must() {
	"$@" 2>"$TMP/.must"
	_rc=$?
	if [ "$_rc" -ne 0 ]; then
		fail "set-up: $* (exit $_rc)"
		quote <"$TMP/.must"
	fi
	return "$_rc"
}

# setup_agency: `kyso init` on $DB with the agency every test uses, domain $DOMAIN.
# Without an agency nothing else can be tested, so a failure here ends the script.
setup_agency() {
	if ! k init --agency "Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long" --code SNNMT \
		--email-domain "$DOMAIN" >/dev/null 2>"$TMP/.must"; then
		fail "set-up: kyso init on $DB"
		quote <"$TMP/.must"
		finish
	fi
}

# add_person NAME CITIZEN_ID EMAIL [OPTION...]: adds a person (position "Chuyên viên"
# unless an option gives another) and prints the new id.
add_person() {
	_name=$1 _cccd=$2 _mail=$3
	shift 3
	must k subscriber add --kind person --name "$_name" --id-number "$_cccd" \
		--position "Chuyên viên" --email "$_mail" "$@"
}

# --- checks ----------------------------------------------------------------------------

pass() {
	echo . >>"$TMP/.passed"
	echo "ok - $*" >&3
}

fail() {
	echo . >>"$TMP/.failed"
	echo "not ok - $*" >&3
}

# note TEXT...: detail lines under a failed check.
note() { printf '%s\n' "$@" | sed 's/^/#   /' >&3; }

# quote: detail lines from stdin, indented, at most 20.
quote() { head -20 | sed 's/^/#     /' >&3; }

# seen: what the last `run` printed, for a failed check.
seen() {
	note "exit $RC"
	[ -n "$OUT" ] && note "stdout:" && printf '%s\n' "$OUT" | quote
	[ -n "$ERR" ] && note "stderr:" && printf '%s\n' "$ERR" | quote
	return 0
}

# check_rc WANT DESC: the last `run` exited WANT.
check_rc() {
	if [ "$RC" -eq "$1" ]; then
		pass "$2"
	else
		fail "$2"
		note "expected exit $1"
		seen
	fi
}

# judge DESC STATUS EXPECTED SEEN: the check passed when STATUS is 0; otherwise says what
# was EXPECTED and quotes what was SEEN.
judge() {
	if [ "$2" -eq 0 ]; then
		pass "$1"
	else
		fail "$1"
		note "expected $3" "got:"
		printf '%s\n' "$4" | quote
	fi
}

# check_eq DESC GOT WANT / check_ne DESC GOT NOT_WANTED
check_eq() {
	[ "$2" = "$3" ]
	judge "$1" $? "$3" "$2"
}

check_ne() {
	[ "$2" != "$3" ]
	judge "$1" $? "anything but: $3" "$2"
}

# check_has DESC TEXT NEEDLE / check_lacks DESC TEXT NEEDLE: fixed-string search.
check_has() {
	printf '%s\n' "$2" | grep -qF -- "$3"
	judge "$1" $? "to contain: $3" "$2"
}

check_lacks() {
	! printf '%s\n' "$2" | grep -qF -- "$3"
	judge "$1" $? "not to contain: $3" "$2"
}

# check_match DESC TEXT ERE: the whole TEXT (one line) matches the extended regex.
check_match() {
	printf '%s' "$2" | grep -qxE -- "$3"
	judge "$1" $? "to match: $3" "$2"
}

# check_added DESC: the last `run` exited 0 and printed the new row's id and nothing else.
check_added() {
	check_rc 0 "$1"
	check_match "$1: prints the new id and nothing else" "$OUT" '[0-9]+'
}

# check_json DESC PYEXPR: PYEXPR is true of the last `run`'s stdout parsed as JSON (`d`).
check_json() {
	_why=$(printf '%s' "$OUT" | "$PY" -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError as e:
    print("stdout is not JSON: %s" % e)
    sys.exit(1)
try:
    v = eval("(\n" + sys.argv[1] + "\n)")
except Exception as e:
    print("%s: %r" % (type(e).__name__, e))
    sys.exit(1)
sys.exit(0 if v else 1)
' "$2" 2>&1)
	judge "$1" $? "$2${_why:+ ($_why)}" "$OUT"
}

# json_get PYEXPR: prints PYEXPR evaluated on the last `run`'s stdout as JSON (`d`).
json_get() {
	printf '%s' "$OUT" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
v = eval("(\n" + sys.argv[1] + "\n)")
print(json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, bool)) or v is None else v)
' "$1" 2>/dev/null
}

# --- the database through the sqlite3 shell --------------------------------------------

# sql QUERY [DB]
sql() { sqlite3 -batch -cmd '.timeout 5000' "${2:-$DB}" "$1"; }

# rows TABLE [DB]: how many rows TABLE has.
rows() { sql "select count(*) from $1" "${2:-}"; }

# table_sum TABLE... : a checksum of the tables' full dump (every column of every row).
table_sum() {
	for _t in "$@"; do
		sqlite3 -batch -quote -cmd '.timeout 5000' "$DB" "select * from $_t order by rowid"
	done | sha256sum | cut -c1-64
}

# data_sum: the checksum of every table a change to the roster touches.
data_sum() { table_sum agency unit subscriber event audit import_batch; }

# db_dump: a checksum of the whole database written out as SQL (schema and every row).
db_dump() { sqlite3 -batch -cmd '.timeout 5000' "$DB" .dump | sha256sum | cut -c1-64; }

# refused_unchanged DESC CMD...: CMD exits 3 (its output in $OUT/$ERR, as `run` leaves
# them) and the database is the same to the byte of its dump.
refused_unchanged() {
	_desc=$1
	shift
	_before=$(db_dump)
	run "$@"
	check_rc 3 "$_desc: exit 3"
	check_eq "$_desc: the database is unchanged" "$(db_dump)" "$_before"
}

# --- the due list ----------------------------------------------------------------------

# due_count CHECK [ARG...]: the count `kyso due --json ARG...` gives for CHECK.  Meant for
# $(...): $OUT of the caller is not changed.
due_count() {
	_check=$1
	shift
	run k due --json "$@"
	json_get "[c['count'] for c in d if c['check'] == '$_check'][0]"
}

# due_details CHECK [ARG...]: the details of CHECK's items (in English), one a line.
due_details() {
	_check=$1
	shift
	run ken due --json "$@"
	json_get "'\n'.join(i['detail'] for c in d if c['check'] == '$_check' for i in c['items'])"
}

# --- text ------------------------------------------------------------------------------

# nfd TEXT / nfc TEXT: TEXT decomposed / composed.
nfd() { "$PY" -c 'import sys, unicodedata; print(unicodedata.normalize("NFD", sys.argv[1]))' "$1"; }
nfc() { "$PY" -c 'import sys, unicodedata; print(unicodedata.normalize("NFC", sys.argv[1]))' "$1"; }

# hex TEXT: the UTF-8 bytes of TEXT in upper-case hex, as sqlite3's hex() writes them.
hex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F; }

# py SCRIPT ARG...: runs a Python script given on stdin with Debian's python3.
py() { "$PY" - "$@"; }

# --- the end ---------------------------------------------------------------------------

finish() {
	_passed=$(wc -l <"$TMP/.passed")
	_failed=$(wc -l <"$TMP/.failed")
	echo "# $(basename "$0" .sh): $_passed passed, $_failed failed" >&3
	[ "$_failed" -eq 0 ] && exit 0
	exit 1
}
