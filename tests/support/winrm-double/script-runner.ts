/**
 * What the double "runs": the compliance check script is answered from the host's state by a pluggable responder
 * (its JSON shape belongs to the results model); any other PowerShell completes with exit 0 and echoes its
 * Write-Output text, so a client can try it by hand. `Write-Error` text goes to stderr as CLIXML (as PowerShell
 * does) with exit 1, and `exit N` sets the exit code.
 */
export type HostState = "compliant" | "non_compliant" | "unreadable" | "slow" | "wrong_password";
export const HOST_STATES: HostState[] = ["compliant", "non_compliant", "unreadable", "slow", "wrong_password"];

/** The check script says what it is on its first lines; the script's author includes this marker. */
export const CHECK_SCRIPT_MARKER = "osiris-compliance-check";

export type ScriptOutput = { stdout: string; stderr: string; exitCode: number };
/** Answers the check script for one host (its name as the double serves it) in the given state. */
export type CheckScriptResponder = (state: HostState, script: string, host: string) => string | ScriptOutput;

export const defaultCheckScriptResponder: CheckScriptResponder = (state) => `${JSON.stringify({ state })}\n`;

export function isCheckScript(script: string): boolean {
  return script.includes(CHECK_SCRIPT_MARKER);
}

export function runScript(script: string, state: HostState, responder: CheckScriptResponder, host = ""): ScriptOutput {
  if (isCheckScript(script)) {
    const out = responder(state, script, host);
    return typeof out === "string" ? { stdout: out, stderr: "", exitCode: 0 } : out;
  }
  const stdout: string[] = [];
  const errors: string[] = [];
  let exitCode = 0;
  const arg = String.raw`(?:'((?:[^']|'')*)'|"((?:[^"\x60]|\x60.)*)"|([^\s;|]+))`;
  const re = new RegExp(String.raw`\b(Write-Output|echo|Write-Error|exit)\b(?:\s+${arg})?`, "gi");
  for (const m of script.matchAll(re)) {
    const verb = (m[1] ?? "").toLowerCase();
    const text = m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? m[4] ?? "");
    if (verb === "exit") exitCode = Number.parseInt(text, 10) || 0;
    else if (verb === "write-error") errors.push(text);
    else stdout.push(text);
  }
  if (errors.length > 0 && exitCode === 0) exitCode = 1;
  return {
    stdout: stdout.map((l) => `${l}\r\n`).join(""),
    stderr: errors.length > 0 ? clixmlErrors(errors) : "",
    exitCode,
  };
}

function clixmlErrors(lines: string[]): string {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return (
    "#< CLIXML\r\n" +
    `<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">` +
    `<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>` +
    lines.map((l) => `<S S="Error">${esc(l)}_x000D__x000A_</S>`).join("") +
    "</Objs>"
  );
}
