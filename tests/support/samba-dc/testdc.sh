#!/bin/bash
# A throw-away Samba AD DC for tests, loopback only, everything under DIR (adapted from
# /work/shared/notes/samba-ad.md, testdc.sh). Driven by samba-dc.ts, which keeps snapshots of built directories.
#   testdc.sh build DIR REALM IP LDIF_DIR   provision, own CA + server cert, offline import of LDIF_DIR/*.ldif,
#                                           lockout policy, then start, add the DNS records in LDIF_DIR/dns.txt
#                                           ("name ip" lines), and stop: DIR is ready to snapshot
#   testdc.sh start DIR IP DOMAIN           start (single process, daemonised) and wait until LDAP and DNS SRV answer
#   testdc.sh stop DIR                      SIGTERM by pid file, SIGKILL after 5 s
#   testdc.sh cert DIR DOMAIN IP CA_DIR     issue a server cert for dc1.DOMAIN (SANs: name, domain, IP) from the CA in
#                                           CA_DIR (ca.pem + ca.key; created when missing) into DIR/private/tls
# env: ADMINPASS (default Passw0rd!Adm1n)
set -euo pipefail
cmd=$1
D=$2
ADMINPASS=${ADMINPASS:-'Passw0rd!Adm1n'}

stop_dc() {
  if [ -f "$D/run/samba.pid" ]; then
    PID=$(cat "$D/run/samba.pid")
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" || true; fi
    rm -f "$D/run/samba.pid"
  fi
}

start_dc() {
  local ip=$1 domain=$2
  samba -s "$D/etc/smb.conf" -D -M single -l "$D/log" --maximum-runtime="${MAX_RUNTIME:-7200}"
  for _ in $(seq 1 600); do
    if ldapsearch -x -LLL -o nettimeout=1 -H "ldap://$ip" -s base -b "" dnsHostName >/dev/null 2>&1 &&
      dig +short +time=1 +tries=1 "@$ip" -t SRV "_ldap._tcp.dc._msdcs.$domain" | grep -q .; then
      return 0
    fi
    sleep 0.05
  done
  echo "the test DC on $ip did not answer LDAP and DNS within 30 s; see $D/log/samba.log" >&2
  return 1
}

issue_cert() {
  local domain=$1 ip=$2 ca=$3 tls=$D/private/tls
  mkdir -p "$tls" "$ca"
  if [ ! -f "$ca/ca.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=Test CA $domain $(date +%s%N)" -keyout "$ca/ca.key" -out "$ca/ca.pem" 2>/dev/null
  fi
  cp "$ca/ca.pem" "$tls/ca.pem"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=dc1.$domain" \
    -keyout "$tls/key.pem" -out "$ca/req.csr" 2>/dev/null
  printf 'subjectAltName=DNS:dc1.%s,DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
    "$domain" "$domain" "$ip" >"$ca/san.ext"
  openssl x509 -req -in "$ca/req.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ca/san.ext" -out "$tls/cert.pem" 2>/dev/null
  chmod 600 "$tls/key.pem"
}

case "$cmd" in
stop)
  stop_dc
  ;;
start)
  start_dc "$3" "$4"
  ;;
cert)
  issue_cert "$3" "$4" "$5"
  ;;
build)
  REALM=$3
  IP=$4
  LDIFS=$5
  DOMAIN=$(echo "$REALM" | tr 'A-Z' 'a-z')
  NETBIOS=${REALM%%.*}
  stop_dc
  rm -rf "$D"
  mkdir -p "$D/run" "$D/log"
  # -s /dev/null: never merge the host's /etc/samba/smb.conf; only what is needed runs (no smbd, winbindd, nbt...)
  samba-tool domain provision -s /dev/null --targetdir="$D" \
    --realm="$REALM" --domain="$NETBIOS" --server-role=dc --dns-backend=SAMBA_INTERNAL \
    --adminpass="$ADMINPASS" --host-name=DC1 --host-ip="$IP" \
    --option="interfaces=$IP/8" --option="bind interfaces only=yes" \
    --option="server services=-s3fs -winbindd -nbt -wrepl -ntp_signd -kcc -drepl -dnsupdate" \
    --option="pid directory=$D/run" --option="ncalrpc dir=$D/run/ncalrpc" \
    --option="winbindd socket directory=$D/run/winbindd" \
    --option="ntp signd socket directory=$D/run/ntp_signd" \
    --option="log file=$D/log/samba.log" --option="logging=file" \
    --option="dns forwarder=127.0.0.254" --option="ldb:nosync=true" \
    >"$D/log/provision.log" 2>&1
  # Our own EC CA and server cert (SANs for name and IP): Samba skips its slow RSA key generation.
  issue_cert "$DOMAIN" "$IP" "$D/private/test-ca"
  for f in "$LDIFS"/*.ldif; do ldbadd --nosync -H "$D/private/sam.ldb" "$f" >/dev/null; done
  # Lockout after 3 bad passwords (the "account locked" test), no password age limits.
  samba-tool domain passwordsettings set -H "$D/private/sam.ldb" --account-lockout-threshold=3 \
    --account-lockout-duration=30 --reset-account-lockout-after=30 --min-pwd-age=0 --max-pwd-age=0 >/dev/null
  start_dc "$IP" "$DOMAIN"
  if [ -f "$LDIFS/dns.txt" ]; then
    while read -r name addr; do
      [ -n "$name" ] || continue
      samba-tool dns add "$IP" "$DOMAIN" "$name" A "$addr" -U Administrator --password="$ADMINPASS" \
        -s "$D/etc/smb.conf" >/dev/null
    done <"$LDIFS/dns.txt"
  fi
  stop_dc
  ;;
*)
  echo "usage: testdc.sh build|start|stop|cert DIR ..." >&2
  exit 2
  ;;
esac
