/**
 * PowerShell over the cmd shell: short scripts go in `-EncodedCommand` (base64 of UTF-16LE); the Windows command
 * line holds about 8 KB, so longer scripts are sent on stdin to a small encoded bootstrap that reads and runs them.
 */
const PREAMBLE = "$ProgressPreference = 'SilentlyContinue';\n";
/** Longest encoded command put on the command line (leaves room for the rest of the line under 8191 chars). */
const MAX_ENCODED = 7000;
/** Reads the whole of stdin through $input (as Ansible's WinRM bootstrap does) and runs it as one script block. */
export const STDIN_BOOTSTRAP =
  "$ProgressPreference = 'SilentlyContinue'; $s = $input | Out-String; & ([scriptblock]::Create($s))";

export function encodePowerShell(script: string): string {
  return Buffer.from(script, "utf16le").toString("base64");
}

export type PowerShellCommand = { command: string; args: string[]; stdin: Buffer | null };

export function powershellCommand(script: string): PowerShellCommand {
  const base = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"];
  const encoded = encodePowerShell(PREAMBLE + script);
  if (encoded.length <= MAX_ENCODED) return { command: "powershell.exe", args: [...base, encoded], stdin: null };
  return {
    command: "powershell.exe",
    args: [...base, encodePowerShell(STDIN_BOOTSTRAP)],
    stdin: Buffer.from(`${PREAMBLE}${script}`, "utf8"),
  };
}
