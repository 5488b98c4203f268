"""bench/winrm-scan's baseline: Debian's pywinrm (python3-winrm 0.3.0) runs one PowerShell script on many hosts
with a thread pool of the given concurrency, in this one process, each host with its own Session (NTLM login,
message encryption on HTTP) and Session.run_ps (powershell -encodedcommand, as upstream runs its scripts).

stdin: one JSON object {endpoints, username, password, script, concurrency, marker}.
stdout: one JSON line {seconds, cpu, ok, failures: [..]}: the wall time of the whole batch (pool start to last host),
the CPU seconds this process spent on it (all threads), and how many hosts answered with exit 0 and the marker on stdout.
Run with /usr/bin/python3 and an OPENSSL_CONF that enables the legacy provider (pywinrm's NTLM needs MD4).
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import winrm

job = json.load(sys.stdin)


def scan(endpoint):
    try:
        session = winrm.Session(
            endpoint,
            auth=(job["username"], job["password"]),
            transport="ntlm",
            message_encryption="always",
        )
        r = session.run_ps(job["script"])
        out = r.std_out.decode("utf-8", "replace")
        if r.status_code == 0 and job["marker"] in out:
            return None
        return "{}: exit {} stdout {!r}".format(endpoint, r.status_code, out[:120])
    except Exception as err:
        return "{}: {}: {}".format(endpoint, type(err).__name__, err)


start = time.perf_counter()
cpu = time.process_time()
with ThreadPoolExecutor(max_workers=job["concurrency"]) as pool:
    results = list(pool.map(scan, job["endpoints"]))
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
failures = [r for r in results if r is not None]
print(json.dumps({"seconds": seconds, "cpu": cpu, "ok": len(results) - len(failures), "failures": failures[:5]}))
