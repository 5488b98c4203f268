"""Debian's pywinrm (python3-winrm) running one PowerShell script the way its run_ps does.

argv: endpoint user password script [ca_file] [encryption: always|never]; prints one JSON line {stdout, stderr, status} or {error}.
Run with /usr/bin/python3 and an OPENSSL_CONF that enables the legacy provider (pywinrm's NTLM needs MD4).
"""
import base64
import json
import sys

import winrm

endpoint, user, password, script = sys.argv[1:5]
ca = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
encryption = sys.argv[6] if len(sys.argv) > 6 else "always"
kwargs = {"auth": (user, password), "transport": "ntlm"}
if endpoint.startswith("https"):
    kwargs["ca_trust_path"] = ca
    kwargs["server_cert_validation"] = "validate"
else:
    kwargs["message_encryption"] = encryption
try:
    session = winrm.Session(endpoint, **kwargs)
    # Session.run_ps of pywinrm 0.3.0 raises TypeError on Python 3 whenever stderr is not empty (it compares bytes
    # with str while cleaning CLIXML), so this does what run_ps does and leaves stderr as the server sent it.
    encoded = base64.b64encode(script.encode("utf_16_le")).decode("ascii")
    r = session.run_cmd("powershell -encodedcommand {0}".format(encoded))
    print(json.dumps({"stdout": r.std_out.decode(), "stderr": r.std_err.decode(), "status": r.status_code}))
except Exception as err:  # the test reads the kind of failure
    print(json.dumps({"error": type(err).__name__ + ": " + str(err)}))
