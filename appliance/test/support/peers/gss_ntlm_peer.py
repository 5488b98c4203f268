"""A real NTLM sealing peer: gss-ntlmssp through python3-gssapi (run with /usr/bin/python3, Debian's packages).

Line protocol on stdin/stdout, base64 payloads:
  role acceptor:  "step <token>" -> "token <token|->" (+ " done" once complete); "wrap <data>" -> "wrapped <token>";
                  "unwrap <token>" -> "data <data>" or "error <text>"
  role initiator: "start" -> "token <negotiate>", then "step <token>" ... as above.
Accounts come from NTLM_USER_FILE (DOMAIN:user:password lines), as gss-ntlmssp documents.
"""
import base64
import sys

import gssapi

NTLMSSP = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    role = sys.argv[1]
    if role == "acceptor":
        creds = gssapi.Credentials(usage="accept", mechs=[NTLMSSP])
        ctx = gssapi.SecurityContext(creds=creds, usage="accept")
    else:
        user, password = sys.argv[2], sys.argv[3]
        name = gssapi.Name(user, gssapi.NameType.user)
        creds = gssapi.raw.acquire_cred_with_password(name, password.encode(), usage="initiate", mechs=[NTLMSSP]).creds
        target = gssapi.Name("HTTP@server.clinic.test", gssapi.NameType.hostbased_service)
        ctx = gssapi.SecurityContext(name=target, creds=creds, usage="initiate", mech=NTLMSSP)
    for raw in sys.stdin:
        cmd, _, arg = raw.strip().partition(" ")
        data = base64.b64decode(arg) if arg else None
        try:
            if cmd in ("start", "step"):
                token = ctx.step(data)
                out("token " + (base64.b64encode(token).decode() if token else "-") + (" done" if ctx.complete else ""))
            elif cmd == "wrap":
                out("wrapped " + base64.b64encode(ctx.wrap(data, True).message).decode())
            elif cmd == "unwrap":
                res = ctx.unwrap(data)
                out("data " + base64.b64encode(res.message).decode() + (" sealed" if res.encrypted else " clear"))
            else:
                out("error unknown command")
        except gssapi.exceptions.GSSError as err:
            out("error " + str(err).replace("\n", " "))


main()
