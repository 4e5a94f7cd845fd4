#!/usr/bin/env bash
# The app as a person uses it, in tmux at 80x24: nothing typed is ever lost.
#  1. start a one-minute interview, type a draft, let time run out: the draft is the last answer;
#  2. start another, type a draft, quit with Ctrl+Q and confirm: the terminal says how to resume;
#  3. open the app again, resume from History: the draft is back in the answer box.
# Prints each step and exits non-zero at the first that fails. Needs tmux; uses a temporary data folder.
set -euo pipefail
home=$(mktemp -d)
trap 'tmux kill-session -t journey 2>/dev/null || true; rm -rf "$home"' EXIT
app="INTERVIEWER_HOME=$home INTERVIEWER_CONFIG=$home/config.toml interviewer"

screen() { tmux capture-pane -t journey -p; }
wait_for() {  # wait_for TEXT [SECONDS]: until the screen shows TEXT
  local deadline=$((SECONDS + ${2:-30}))
  until screen | grep -qF -- "$1"; do
    if ((SECONDS > deadline)); then
      echo "FAILED: '$1' never appeared; the screen was:"
      screen
      exit 1
    fi
    sleep 0.5
  done
}
start() { tmux kill-session -t journey 2>/dev/null || true; tmux new -d -s journey -x 80 -y 24 "$1; sleep 600"; }

start "$app practice caching-strategy --minutes 1"
wait_for "Your answer"
tmux send-keys -t journey "A CDN in front and Redis cache-aside behind the API"
echo "1. typed a draft; waiting for the minute to run out"
wait_for "Report" 120
tmux send-keys -t journey t
wait_for "Transcript"
wait_for "A CDN in front and Redis cache-aside"
echo "   ok: the draft is the last answer in the transcript"

start "$app practice caching-strategy --minutes 30; echo EXIT=\$?"
wait_for "Your answer"
tmux send-keys -t journey "Half of my answer about TTLs"  # quit at once: leaving saves the draft too
tmux send-keys -t journey C-q
wait_for "Leave the interview?"
tmux send-keys -t journey y
wait_for "Go on with: interviewer resume 2"
wait_for "EXIT=0"
echo "2. ok: Ctrl+Q asked, and the terminal says how to resume"

start "$app"
wait_for "History"
tmux send-keys -t journey h
wait_for "interrupted"
tmux send-keys -t journey r
wait_for "Half of my answer about TTLs"
echo "3. ok: resumed from History with the draft restored"
