/** The SOAP envelopes of the Windows remote shell lifecycle (Create, Command, Send, Receive, Signal, Delete). */
import { randomUUID } from "node:crypto";
import { ACTION, ANONYMOUS, CMD_RESOURCE, NS, SIGNAL_TERMINATE } from "./namespaces.ts";
import { escapeXml } from "./xml.ts";

export const MAX_ENVELOPE_SIZE = 153600;

export type Envelope = { messageId: string; xml: string };

type HeaderArgs = {
  to: string;
  action: string;
  operationTimeoutS: number;
  shellId?: string;
  options?: Record<string, string>;
};

function envelope(h: HeaderArgs, body: string): Envelope {
  const messageId = `uuid:${randomUUID().toUpperCase()}`;
  const options = h.options
    ? `<w:OptionSet>${Object.entries(h.options)
        .map(([k, v]) => `<w:Option Name="${escapeXml(k)}">${escapeXml(v)}</w:Option>`)
        .join("")}</w:OptionSet>`
    : "";
  const selector = h.shellId
    ? `<w:SelectorSet><w:Selector Name="ShellId">${escapeXml(h.shellId)}</w:Selector></w:SelectorSet>`
    : "";
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}" xmlns:p="${NS.msWsman}" xmlns:rsp="${NS.shell}">` +
    "<s:Header>" +
    `<a:To>${escapeXml(h.to)}</a:To>` +
    `<a:ReplyTo><a:Address s:mustUnderstand="true">${ANONYMOUS}</a:Address></a:ReplyTo>` +
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${MAX_ENVELOPE_SIZE}</w:MaxEnvelopeSize>` +
    `<a:MessageID>${messageId}</a:MessageID>` +
    `<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<w:OperationTimeout>PT${h.operationTimeoutS}S</w:OperationTimeout>` +
    `<w:ResourceURI s:mustUnderstand="true">${CMD_RESOURCE}</w:ResourceURI>` +
    `<a:Action s:mustUnderstand="true">${h.action}</a:Action>` +
    options +
    selector +
    "</s:Header>" +
    `<s:Body>${body}</s:Body>` +
    "</s:Envelope>";
  return { messageId, xml };
}

export type ShellTarget = { to: string; operationTimeoutS: number };

export function createShell(t: ShellTarget): Envelope {
  return envelope(
    { ...t, action: ACTION.create, options: { WINRS_NOPROFILE: "TRUE", WINRS_CODEPAGE: "65001" } },
    "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>",
  );
}

export function runCommand(t: ShellTarget, shellId: string, command: string, args: string[]): Envelope {
  return envelope(
    {
      ...t,
      action: ACTION.command,
      shellId,
      options: { WINRS_CONSOLEMODE_STDIN: "TRUE", WINRS_SKIP_CMD_SHELL: "FALSE" },
    },
    `<rsp:CommandLine><rsp:Command>${escapeXml(command)}</rsp:Command>${args
      .map((a) => `<rsp:Arguments>${escapeXml(a)}</rsp:Arguments>`)
      .join("")}</rsp:CommandLine>`,
  );
}

export function sendInput(t: ShellTarget, shellId: string, commandId: string, data: Buffer, end: boolean): Envelope {
  return envelope(
    { ...t, action: ACTION.send, shellId },
    `<rsp:Send><rsp:Stream Name="stdin" CommandId="${escapeXml(commandId)}"${end ? ' End="true"' : ""}>${data.toString("base64")}</rsp:Stream></rsp:Send>`,
  );
}

export function receiveOutput(t: ShellTarget, shellId: string, commandId: string): Envelope {
  return envelope(
    { ...t, action: ACTION.receive, shellId, options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: "TRUE" } },
    `<rsp:Receive><rsp:DesiredStream CommandId="${escapeXml(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`,
  );
}

export function signalTerminate(t: ShellTarget, shellId: string, commandId: string): Envelope {
  return envelope(
    { ...t, action: ACTION.signal, shellId },
    `<rsp:Signal CommandId="${escapeXml(commandId)}"><rsp:Code>${SIGNAL_TERMINATE}</rsp:Code></rsp:Signal>`,
  );
}

export function deleteShell(t: ShellTarget, shellId: string): Envelope {
  return envelope({ ...t, action: ACTION.delete, shellId }, "");
}
