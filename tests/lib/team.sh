# tests/lib/team.sh -- a department on one book, for the team cases'
# scripts (sourced after git.sh): a shared bare remote holding the sample
# book, clones each with its own git identity, and a git daemon serving
# the remote over git:// on 127.0.0.1 that always stops itself.
#
# The remote is $HOME/remote.git; clones are made in $HOME, outside the
# case's book folder, so that no ae.ini above them is found.
#
# A case of a team situation begins with 'team_begin' (or, without the
# sample remote, 'team_transports'): the script runs twice, over file://
# and over git://, each run in its own HOME.

# team_remote: the shared remote, the sample book pushed to it by 李明
# (the clone $HOME/seed), with e-mails in ae.ini for 王芳 and 赵磊 so
# that each clone's identity is a staff member.
team_remote() {
	me '李明' 'li.ming@example.com'
	ae init --bare "$HOME/remote.git" >/dev/null
	cp -R "$TOP/sample-data" "$HOME/seed"
	(
		cd "$HOME/seed"
		# (the sample may name them already: a key given twice is an error)
		for who in wang.fang zhao.lei; do
			grep -q "^email = $who@example.com\$" ae.ini ||
				sed -i "/^\\[staff $who\\]\$/a email = $who@example.com" ae.ini
		done
		ae init . >/dev/null
		ae commit -m '建账: 导入样例账本' >/dev/null
		git remote add origin "$HOME/remote.git"
		git push -q -u origin main
	) || fail "the shared remote could not be made"
}

# team_transports: run the calling script over both transports (issue 10,
# tests): once with TEAM_TRANSPORT=file and once with TEAM_TRANSPORT=git,
# each in a fresh HOME of its own ($HOME/over-file, $HOME/over-git), the
# case failing when either run does.  Inside the git run a daemon serves
# $HOME (team_daemon).  Then 'team_url NAME' is the address of the
# repository $HOME/NAME over this run's transport.
team_transports() {
	if [ -z "${TEAM_TRANSPORT:-}" ]; then
		for t in file git; do
			mkdir "$HOME/over-$t"
			echo "== over $t://"
			HOME="$HOME/over-$t" TEAM_TRANSPORT=$t sh "$0" || fail "the case failed over $t://"
		done
		exit 0
	fi
	case $TEAM_TRANSPORT in
	file) ;;
	git) team_daemon ;;
	*) fail "TEAM_TRANSPORT is file or git, not '$TEAM_TRANSPORT'" ;;
	esac
}

team_url() {
	case $TEAM_TRANSPORT in
	file) echo "file://$HOME/$1" ;;
	git) echo "git://127.0.0.1:$port/$1" ;;
	esac
}

# team_begin: team_transports, then the shared remote (team_remote) and
# $url, its address over this run's transport.
team_begin() {
	team_transports
	team_remote
	url=$(team_url remote.git)
}

# team_clone URL DIR NAME EMAIL: 'ae clone', then that person's identity
team_clone() {
	ae clone "$1" "$HOME/$2" >"$HOME/clone-$2.out" 2>&1 || {
		cat "$HOME/clone-$2.out" >&2
		fail "ae clone $1 $2"
	}
	git -C "$HOME/$2" config user.name "$3"
	git -C "$HOME/$2" config user.email "$4"
}

# team_daemon: serve $HOME (so git://127.0.0.1:$port/remote.git) with
# pushes enabled, on a free port; stopped when the script exits.  A port
# another daemon holds (another case, another run) makes ours exit after
# it has detached, while the other one answers: so it is ours when it
# serves the empty repository of a name only this run made.
team_daemon() {
	port=''
	probe="probe-$$-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ').git"
	git init -q --bare "$HOME/$probe"
	for try in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000))
		rm -f "$HOME/daemon.pid"
		git daemon --reuseaddr --listen=127.0.0.1 --port=$p --base-path="$HOME" \
			--export-all --enable=receive-pack --informative-errors \
			--pid-file="$HOME/daemon.pid" --detach "$HOME" 2>"$HOME/daemon.err" || continue
		# ready when it answers; a port taken makes it exit (about 5 s at most)
		for wait in $(seq 50); do
			if git ls-remote "git://127.0.0.1:$p/$probe" >/dev/null 2>&1; then
				port=$p
				break
			fi
			[ -f "$HOME/daemon.pid" ] && ! kill -0 "$(cat "$HOME/daemon.pid")" 2>/dev/null && break
			sleep 0.1
		done
		[ -n "$port" ] && break
		team_daemon_stop
	done
	[ -n "$port" ] || { cat "$HOME/daemon.err" >&2; fail "no git daemon could start"; }
	trap 'team_daemon_stop' EXIT
	trap 'exit 130' INT TERM
}

team_daemon_stop() {
	if [ -f "$HOME/daemon.pid" ]; then
		kill "$(cat "$HOME/daemon.pid")" 2>/dev/null || true
		rm -f "$HOME/daemon.pid"
	fi
}

# field FILE NAME: the single-line value of NAME in a record
field() {
	sed -n "s/^$2 *= *//p" "$1"
}
