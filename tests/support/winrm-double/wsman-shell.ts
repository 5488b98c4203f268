/**
 * The WS-Man remote shell as a Windows host answers it: Create, Command, Send, Receive (held up to `holdMs`,
 * then the w:TimedOut fault 2150858793 while the output is not ready), Signal, Delete. Replies copy the shapes
 * of real Windows replies (pywinrm's captured responses).
 */
import { randomUUID } from "node:crypto";
import { ACTION, COMMAND_STATE_DONE, FAULT_TIMED_OUT, NS } from "@/appliance/src/winrm/wsman/namespaces.ts";
import { STDIN_BOOTSTRAP } from "@/appliance/src/winrm/wsman/powershell.ts";
import { elements, escapeXml, firstText } from "@/appliance/src/winrm/wsman/xml.ts";
import type { ScriptOutput } from "./script-runner.ts";

type Command = { script: string | null; stdin: Buffer[]; output: Promise<ScriptOutput> | null; result?: ScriptOutput };
type Shell = { commands: Map<string, Command> };

export type ShellHost = {
  /** Runs a script for this host, possibly slowly (the promise settles when the output is ready). */
  run(script: string): Promise<ScriptOutput>;
  holdMs: number;
};

export class WsmanShells {
  private readonly shells = new Map<string, Shell>();

  constructor(private readonly host: ShellHost) {}

  get openShells(): number {
    return this.shells.size;
  }

  async handle(xml: string): Promise<{ status: number; xml: string }> {
    const action = firstText(xml, "Action")?.trim() ?? "";
    const messageId = firstText(xml, "MessageID")?.trim() ?? "";
    const reply = (replyAction: string, body: string) => ({ status: 200, xml: envelope(replyAction, messageId, body) });
    const shellId = elements(xml, "Selector")
      .find((s) => s.attrs.Name === "ShellId")
      ?.text.trim();
    if (action === ACTION.create) {
      const id = randomUUID().toUpperCase();
      this.shells.set(id, { commands: new Map() });
      return reply(
        `${NS.transfer}/CreateResponse`,
        `<x:ResourceCreated><a:Address>http://localhost/wsman</a:Address><a:ReferenceParameters><w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI><w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>` +
          `<rsp:Shell xmlns:rsp="${NS.shell}"><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</rsp:ResourceUri><rsp:Owner>scanner</rsp:Owner><rsp:ClientIP>127.0.0.1</rsp:ClientIP><rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams><rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>`,
      );
    }
    const shell = shellId ? this.shells.get(shellId) : undefined;
    if (!shell || !shellId)
      return fault(
        messageId,
        "w:InvalidSelectors",
        "2150858843",
        "The request for the Windows Remote Shell with ShellId was not found.",
      );
    if (action === ACTION.delete) {
      this.shells.delete(shellId);
      return reply(`${NS.transfer}/DeleteResponse`, "");
    }
    if (action === ACTION.command) {
      const script = scriptOf(xml);
      if (script === undefined)
        return fault(
          messageId,
          "w:InvalidParameter",
          "2150858882",
          "Only PowerShell -EncodedCommand is supported by this test double.",
        );
      const id = randomUUID().toUpperCase();
      const command: Command = { script, stdin: [], output: null };
      if (script !== null) command.output = this.host.run(script);
      shell.commands.set(id, command);
      return reply(
        `${NS.shell}/CommandResponse`,
        `<rsp:CommandResponse><rsp:CommandId>${id}</rsp:CommandId></rsp:CommandResponse>`,
      );
    }
    const commandId =
      elements(xml, "DesiredStream")[0]?.attrs.CommandId ??
      elements(xml, "Stream")[0]?.attrs.CommandId ??
      elements(xml, "Signal")[0]?.attrs.CommandId;
    const command = commandId
      ? (shell.commands.get(commandId.toUpperCase()) ?? shell.commands.get(commandId))
      : undefined;
    if (!command || !commandId)
      return fault(messageId, "w:InvalidParameter", "2150858882", "The command id is not known to this shell.");
    if (action === ACTION.send) {
      const stream = elements(xml, "Stream")[0];
      command.stdin.push(Buffer.from(stream?.text.trim() ?? "", "base64"));
      if (stream?.attrs.End === "true" && !command.output) {
        command.output = this.host.run(Buffer.concat(command.stdin).toString("utf8"));
      }
      return reply(`${NS.shell}/SendResponse`, "<rsp:SendResponse/>");
    }
    if (action === ACTION.signal) {
      shell.commands.delete(commandId);
      return reply(`${NS.shell}/SignalResponse`, "<rsp:SignalResponse/>");
    }
    if (action === ACTION.receive) {
      const result =
        command.result ?? (command.output ? await settleWithin(command.output, this.host.holdMs) : undefined);
      if (!result) {
        return fault(
          messageId,
          "w:TimedOut",
          FAULT_TIMED_OUT,
          "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.",
        );
      }
      command.result = result;
      const stream = (name: string, data: string) =>
        `<rsp:Stream Name="${name}" CommandId="${commandId}">${Buffer.from(data, "utf8").toString("base64")}</rsp:Stream>`;
      return reply(
        `${NS.shell}/ReceiveResponse`,
        `<rsp:ReceiveResponse>${result.stdout ? stream("stdout", result.stdout) : ""}${result.stderr ? stream("stderr", result.stderr) : ""}` +
          `<rsp:Stream Name="stdout" CommandId="${commandId}" End="true"></rsp:Stream><rsp:Stream Name="stderr" CommandId="${commandId}" End="true"></rsp:Stream>` +
          `<rsp:CommandState CommandId="${commandId}" State="${COMMAND_STATE_DONE}"><rsp:ExitCode>${result.exitCode}</rsp:ExitCode></rsp:CommandState></rsp:ReceiveResponse>`,
      );
    }
    return fault(messageId, "a:ActionNotSupported", "2150858771", "The action is not supported by the service.");
  }
}

/** The script of a PowerShell command line: the -EncodedCommand text, or null when it will come on stdin. */
function scriptOf(xml: string): string | null | undefined {
  const parts = [firstText(xml, "Command") ?? "", ...elements(xml, "Arguments").map((a) => a.text)]
    .join(" ")
    .trim()
    .split(/\s+/);
  const at = parts.findIndex((p) => /^-(e|ec|enc|encodedcommand)$/i.test(p));
  const encoded = at >= 0 ? parts[at + 1] : undefined;
  if (!/powershell/i.test(parts[0] ?? "") || !encoded) return undefined;
  const script = Buffer.from(encoded, "base64").toString("utf16le");
  return script === STDIN_BOOTSTRAP ? null : script;
}

async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function envelope(action: string, relatesTo: string, body: string): string {
  return (
    `<s:Envelope xml:lang="en-US" xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:x="${NS.transfer}" xmlns:w="${NS.wsman}" xmlns:rsp="${NS.shell}" xmlns:p="${NS.msWsman}">` +
    `<s:Header><a:Action>${action}</a:Action><a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
    `<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:RelatesTo>${escapeXml(relatesTo)}</a:RelatesTo></s:Header>` +
    `<s:Body>${body}</s:Body></s:Envelope>`
  );
}

function fault(relatesTo: string, subcode: string, code: string, message: string): { status: number; xml: string } {
  return {
    status: 500,
    xml: envelope(
      "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault",
      relatesTo,
      `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
        `<s:Reason><s:Text xml:lang="en-US">${escapeXml(message)}</s:Text></s:Reason>` +
        `<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="${code}" Machine="localhost"><f:Message>${escapeXml(message)}</f:Message></f:WSManFault></s:Detail></s:Fault>`,
    ),
  };
}
