#!/bin/sh
# The command line itself: help, usage errors, the language of messages, the exit codes
# the README promises, and kyso with no command.
. "$(dirname "$0")/lib.sh"

# --- help and usage ------------------------------------------------------------------------

run kyso --help
check_rc 0 "kyso --help exits 0"
check_has "--help shows the usage line" "$OUT" "kyso [--db PATH] [--lang vi|en]"
check_eq "--help writes to stdout only" "$ERR" ""
run kyso -h
check_rc 0 "kyso -h exits 0"

setup_agency

run k frobnicate
check_rc 2 "an unknown command exits 2"
check_eq "a usage error prints nothing on stdout" "$OUT" ""
check_has "the usage error names the command" "$ERR" "frobnicate"
run k --bogus subscriber list
check_rc 2 "an unknown global option exits 2"
run k subscriber list --bogus
check_rc 2 "an unknown option of a command exits 2"
check_has "the message names the option, in the interface's language" "$ERR" \
	"\"--bogus\" không phải là tùy chọn của lệnh này"
check_lacks "getopt's own message is not printed (the C library's words, the sub-command's name)" \
	"$ERR" "list:"
run ken report --period
check_rc 2 "an option without its value exits 2"
check_has "the message says the option needs a value" "$ERR" "the option \"--period\" needs a value"
run k subscriber
check_rc 2 "a command without its sub-command exits 2"
run k subscriber show
check_rc 2 "a missing argument exits 2"
run k subscriber list --limit many
check_rc 2 "a malformed number exits 2"
run k subscriber add --kind alien --name "Lê Văn Tám"
check_rc 2 "an unknown --kind exits 2"
run kyso --db "$DB" --lang fr subscriber list
check_rc 2 "--lang other than vi or en exits 2"
run kyso --db
check_rc 2 "--db without a path exits 2"

# --- language ------------------------------------------------------------------------------

run k subscriber show 999
vi_msg=$ERR
run k --lang en subscriber show 999
check_has "--lang en gives English messages" "$ERR" "no subscriber #999"
en_msg=$ERR
run kyso_env KYSO_LANG=en --db "$DB" subscriber show 999
check_eq "KYSO_LANG=en gives English messages too" "$ERR" "$en_msg"
run kyso --db "$DB" --lang=en subscriber show 999
check_eq "--lang=en works as --lang en" "$ERR" "$en_msg"
check_ne "messages are Vietnamese by default (not the English text)" "$vi_msg" "$en_msg"
check_has "the default message is Vietnamese" "$vi_msg" "thuê bao"
run kyso_env KYSO_LANG=en --db "$DB" --lang vi subscriber show 999
check_eq "--lang vi wins over KYSO_LANG=en" "$ERR" "$vi_msg"
run kyso_env LANG=C LC_ALL=C --db "$DB" subscriber show 999
check_eq "a bare C locale (cron) still gives the Vietnamese message" "$ERR" "$vi_msg"
run k --lang en subscriber list --bogus
check_lacks "--lang en: the option parser's own message is English too" "$ERR" "tùy chọn"
run k --lang en subscriber add --kind person --name "Lê Văn Tám"
check_has "--lang en: validation messages are English" "$ERR" "is required"
run k subscriber add --kind person --name "Lê Văn Tám"
check_lacks "default: validation messages are not English" "$ERR" "is required"

# --- exit codes ----------------------------------------------------------------------------

run k subscriber list
check_rc 0 "exit 0: a command that worked"
run k subscriber show 999
check_rc 1 "exit 1: an error (no such subscriber)"
check_eq "an error prints nothing on stdout" "$OUT" ""
printf 'this is not a database, just a text file\n' >"$TMP/garbage.db"
run kyso --db "$TMP/garbage.db" subscriber list
check_rc 1 "exit 1: a file that is not a kyso database"
check_ne "it says so on stderr" "$ERR" ""
run kyso --db "$TMP/garbage.db/kyso.db" subscriber list
check_rc 1 "exit 1: a database path under a plain file (cannot be created)"
run k subscriber add --kind person --name "Lê Văn Tám" --id-number 123 --position CV \
	--email tam@$DOMAIN
check_rc 3 "exit 3: input rejected by validation"
check_eq "a refusal prints nothing on stdout" "$OUT" ""
id=$(add_person "Lê Văn Tám" 086085000111 tam@$DOMAIN)
must k subscriber edit "$id" --phone 0912345678 >/dev/null
run k subscriber edit "$id" --phone 0912345679 --if-version 1
check_rc 4 "exit 4: the row changed since it was read"
run k subscriber show "$id" --json
check_json "--json output is JSON" 'd["id"] == '"$id"

# --- kyso with no command ------------------------------------------------------------------

run kyso --db "$TMP/fresh.db"
check_rc 0 "kyso with no command on a new database exits 0"
check_has "it prints the help" "$OUT" "kyso [--db PATH]"
run kyso --db "$TMP/empty.db" init --agency "Sở Thử" --code THU --email-domain $DOMAIN
run kyso --db "$TMP/empty.db"
check_rc 0 "kyso with no command on a database without subscribers exits 0"
check_has "it prints the help" "$OUT" "kyso [--db PATH]"
run k
check_rc 0 "kyso with no command on a database with subscribers exits 0"
check_has "it prints the roster" "$OUT" "Lê Văn Tám"
check_lacks "it does not print the help" "$OUT" "kyso [--db PATH]"

finish
