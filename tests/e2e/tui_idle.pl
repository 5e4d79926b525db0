#!/usr/bin/perl
# tui_idle.pl [--size COLSxROWS] TTY PID SECONDS TMUX-COMMAND...: for tui_lib.sh's tui_idle.  Exits 0 once
# kyso (PID, on the pane's terminal TTY) waits for a key with nothing left to read and all
# it drew taken by tmux - the terminal's input and output queues empty (FIONREAD,
# TIOCOUTQ) and its main thread asleep in poll - or once it has ended; 1 when that has not
# come after SECONDS.  It is asked again after TMUX-COMMAND (a round trip to the tmux
# server), so that keys tmux had not yet written to the terminal are waited for too.  The
# kernel says when kyso is done: no pause of a guessed length is needed.  With --size, it
# first waits for the terminal to have that size (tmux resizes a pane's terminal a moment
# after resize-window), so that kyso has been told of a resize before it is found idle.
use strict;
use warnings;

my $size = "";
($size = $ARGV[1], splice(@ARGV, 0, 2)) if @ARGV && $ARGV[0] eq "--size";
my ($tty, $pid, $secs, @round_trip) = @ARGV;
# Linux (asm-generic) numbers, so that the script needs nothing beyond perl-base.
my ($FIONREAD, $TIOCOUTQ, $TIOCGWINSZ) = (0x541B, 0x5411, 0x5413);
my $O_RDONLY_NOCTTY_NONBLOCK = 0400 | 04000;

sysopen(my $fh, $tty, $O_RDONLY_NOCTTY_NONBLOCK) or exit 0;    # the pane is gone

sub queued {
	my $n = pack("L", 0);
	ioctl($fh, $_[0], $n) or return -1;
	return unpack("L", $n);
}

# 1 when the process sleeps waiting for input (or is gone), 0 while it works.
sub waiting {
	open(my $st, "<", "/proc/$pid/stat") or return 1;
	my $stat = <$st> // "";
	$stat =~ s/.*\) //;
	my $state = substr($stat, 0, 1);
	return 1 if $state eq "Z" || $state eq "X";
	return 0 if $state ne "S";
	open(my $w, "<", "/proc/$pid/wchan") or return 1;
	my $wchan = <$w> // "";
	# A kernel that hides wait channels shows "0": the sleeping state must do then.
	return 1 if $wchan eq "" || $wchan eq "0";
	return $wchan =~ /poll|select/ ? 1 : 0;
}

my $deadline = time + $secs;

sub settle {
	for (;;) {
		return 1 if queued($FIONREAD) == 0 && queued($TIOCOUTQ) == 0 && waiting();
		return 0 if time > $deadline;
		select(undef, undef, undef, 0.003);
	}
}

sub size_is {
	my $ws = pack("S4", 0, 0, 0, 0);
	ioctl($fh, $TIOCGWINSZ, $ws) or return 1;
	my ($rows, $cols) = unpack("S4", $ws);
	return "${cols}x$rows" eq $_[0];
}

if ($size ne "") {
	until (size_is($size)) {
		exit 1 if time > $deadline;
		select(undef, undef, undef, 0.003);
	}
}
settle() or exit 1;
if (@round_trip) {
	open(STDOUT, ">", "/dev/null");
	system(@round_trip);
	settle() or exit 1;
}
exit 0;
