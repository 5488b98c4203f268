#!/usr/bin/env bash
# What the tests need from the machine, installed or started only when missing: Debian's Chromium (Playwright
# drives it), Samba AD DC with its tools (the directory tests start a real domain controller; a missing Samba
# fails them, it never skips them), the WinRM client's NTLM peers (ntlm_auth, gss-ntlmssp, pywinrm), PostgreSQL and Redis (started with the machine notes' commands). `npm test` and `.ci/run` both
# run this, so a newcomer never needs a step the README does not show.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
log() { printf '[setup] %s\n' "$*" >&2; }

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# Samba AD DC: samba-ad-provision is only a Recommends, but provisioning fails without its schema files.
command -v samba >/dev/null 2>&1 || need+=(samba)
dpkg -s samba-ad-dc >/dev/null 2>&1 || need+=(samba-ad-dc)
[ -d /usr/share/samba/setup/ad-schema ] || need+=(samba-ad-provision)
command -v wbinfo >/dev/null 2>&1 || need+=(winbind)
command -v ldbadd >/dev/null 2>&1 || need+=(ldb-tools)
command -v dig >/dev/null 2>&1 || need+=(dnsutils)
command -v ldapsearch >/dev/null 2>&1 || need+=(ldap-utils)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
# The WinRM client's real peers (tests fail without them): Samba's ntlm_auth (winbind, above), gss-ntlmssp with
# python3-gssapi (a real NTLM sealing peer), and Debian's pywinrm (the client people use against real Windows).
# Debian's Python packages run under /usr/bin/python3.
for pkg in gss-ntlmssp python3-gssapi python3-winrm; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then log "need root to install ${need[*]}; run: sudo apt-get install ${need[*]}"; exit 1; fi
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || exit 1
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
exit 0
