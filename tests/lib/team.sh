# tests/lib/team.sh -- a department on one book, for the team cases'
# scripts (sourced after git.sh): a shared bare remote holding the sample
# book, clones each with its own git identity, and a git daemon serving
# the remote over git:// on 127.0.0.1 that always stops itself.
#
# The remote is $HOME/remote.git; clones are made in $HOME, outside the
# case's book folder, so that no ae.ini above them is found.

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
# pushes enabled, on a free port; stopped when the script exits.
team_daemon() {
	port=''
	for try in 1 2 3 4 5 6 7 8 9 10; do
		p=$((20000 + ($$ * 7 + try * 331) % 30000))
		git daemon --reuseaddr --listen=127.0.0.1 --port=$p --base-path="$HOME" \
			--export-all --enable=receive-pack --informative-errors \
			--pid-file="$HOME/daemon.pid" --detach "$HOME" 2>"$HOME/daemon.err" || continue
		# ready when it answers; a port taken makes it exit
		for wait in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			if git ls-remote "git://127.0.0.1:$p/remote.git" >/dev/null 2>&1; then
				port=$p
				break
			fi
			sleep 0.1
		done
		[ -n "$port" ] && break
		[ -f "$HOME/daemon.pid" ] && kill "$(cat "$HOME/daemon.pid")" 2>/dev/null
		rm -f "$HOME/daemon.pid"
	done
	[ -n "$port" ] || { cat "$HOME/daemon.err" >&2; fail "no git daemon could start"; }
	trap 'team_daemon_stop' EXIT INT TERM
}

team_daemon_stop() {
	if [ -f "$HOME/daemon.pid" ]; then
		kill "$(cat "$HOME/daemon.pid")" 2>/dev/null
		rm -f "$HOME/daemon.pid"
	fi
}

# field FILE NAME: the single-line value of NAME in a record
field() {
	sed -n "s/^$2 *= *//p" "$1"
}
