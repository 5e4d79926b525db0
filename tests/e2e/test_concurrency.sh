#!/bin/sh
# Two officers, two terminals, one database: a stale edit is a conflict (exit 4) and never
# overwrites; simultaneous changes all land, and the audit chain stays whole.
. "$(dirname "$0")/lib.sh"

setup_agency
id=$(add_person "Đặng Văn Đức" 086090001001 ducdv@$DOMAIN --phone 0911000000)

# together N CMD...: starts N copies of CMD at once (CMD may use $i, 1..N, through sh -c
# style quoting: it is eval'd), waits for all; copy i's exit code is in $TMP/rc.i.
together() {
	_n=$1
	shift
	rm -f "$TMP/go" "$TMP"/rc.*
	_i=1
	while [ "$_i" -le "$_n" ]; do
		(
			i=$_i
			while [ ! -e "$TMP/go" ]; do sleep 0.01; done
			eval "$*" >"$TMP/out.$i" 2>&1
			echo $? >"$TMP/rc.$i"
		) &
		_i=$((_i + 1))
	done
	sleep 0.1
	: >"$TMP/go"
	wait
}

# codes N: the exit codes of the copies, sorted.
codes() {
	_i=1
	while [ "$_i" -le "$1" ]; do
		cat "$TMP/rc.$_i" 2>/dev/null || echo none
		_i=$((_i + 1))
	done | sort | tr '\n' ' '
}

# --- a stale version is a conflict ----------------------------------------------------------

run k subscriber show "$id" --json
read_version=$(json_get 'd["version"]')
check_eq "officer A reads version 1" "$read_version" 1
run k subscriber edit "$id" --phone 0911111111 --if-version "$read_version"
check_rc 0 "officer B saves first with the version both read"
before=$(data_sum)
run ken subscriber edit "$id" --phone 0922222222 --if-version "$read_version"
check_rc 4 "officer A saves with the version read before B's save: exit 4"
check_has "the conflict says the row changed" "$ERR" "changed by someone else"
check_eq "B's edit is kept" "$(sql "select phone || ' v' || version from subscriber where id = $id")" \
	"0911111111 v2"
check_eq "A's refused edit writes nothing (row, history, audit)" "$(data_sum)" "$before"

run k subscriber depart "$id" --date 2026-11-20 --reason left --if-version 1
check_rc 4 "a departure with a stale version is a conflict too"
check_eq "the subscriber is still active" "$(sql "select status from subscriber where id = $id")" active

# --- two edits at the same moment with the same version --------------------------------------

round=1
while [ $round -le 5 ]; do
	version=$(sql "select version from subscriber where id = $id")
	# Each copy writes a phone no one wrote before: 09, the round, the copy, 000000.
	together 2 'k subscriber edit '"$id"' --phone 09'"$round"'${i}000000 --if-version '"$version"
	check_eq "round $round: of two simultaneous edits with version $version one saves, one gets 4" \
		"$(codes 2)" "0 4 "
	winner=1
	[ "$(cat "$TMP/rc.2")" = 0 ] && winner=2
	check_eq "round $round: the row has the winner's phone and one more version" \
		"$(sql "select phone || ' v' || version from subscriber where id = $id")" \
		"09$round${winner}000000 v$((version + 1))"
	round=$((round + 1))
done

# --- many writers at once: nothing lost --------------------------------------------------------

version=$(sql "select version from subscriber where id = $id")
edits=$(sql "select count(*) from event where subscriber_id = $id")
together 8 'k subscriber edit '"$id"' --note "ghi chú $i"'
check_eq "8 simultaneous edits without --if-version all succeed (the lock is waited for)" \
	"$(codes 8)" "0 0 0 0 0 0 0 0 "
check_eq "every edit lands: the version went up by 8" \
	"$(sql "select version from subscriber where id = $id")" $((version + 8))
check_eq "each edit is in the history" \
	"$(sql "select count(*) from event where subscriber_id = $id")" $((edits + 8))

together 8 'k subscriber add --kind person --name "Nguyễn Văn Tám" --id-number 08609000200$i \
	--position "Chuyên viên" --email tam$i@'"$DOMAIN"
check_eq "8 simultaneous adds all succeed" "$(codes 8)" "0 0 0 0 0 0 0 0 "
check_eq "8 subscribers with distinct ids were added" \
	"$(cat "$TMP"/out.* | sort -u | grep -c '^[0-9][0-9]*$')" 8
check_eq "the database has them all" "$(rows subscriber)" 9

together 4 'k subscriber add --kind person --name "Lê Thị Trùng" --id-number 086190003000 \
	--position "Chuyên viên" --email trung$i@'"$DOMAIN"
check_eq "4 simultaneous adds of one citizen ID: one succeeds, the others are refused (3)" \
	"$(codes 4)" "0 3 3 3 "
check_eq "the citizen ID is stored once" \
	"$(sql "select count(*) from subscriber where id_number = '086190003000'")" 1

run k audit verify
check_rc 0 "after all the simultaneous changes the audit chain is intact"
check_eq "the audit rows have no gap" \
	"$(sql 'select max(seq) - count(*) from audit')" 0

finish
