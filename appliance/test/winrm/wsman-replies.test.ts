/**
 * Reading WS-Man replies shaped as Windows writes them (from the responses pywinrm's tests captured from real
 * hosts), the Windows fault of an empty Receive, CLIXML errors, and the encrypted-body framing.
 */
import { describe, expect, it } from "vitest";
import {
  decodeEncryptedBody,
  EncryptedBodyError,
  encodeEncryptedBody,
  isEncryptedContentType,
} from "@/appliance/src/winrm/http/encrypted-body.ts";
import { NtlmIntegrityError, NtlmSession } from "@/appliance/src/winrm/ntlm/session-security.ts";
import { readableStderr } from "@/appliance/src/winrm/wsman/clixml.ts";
import { createShell, runCommand } from "@/appliance/src/winrm/wsman/envelopes.ts";
import { powershellCommand, STDIN_BOOTSTRAP } from "@/appliance/src/winrm/wsman/powershell.ts";
import {
  isTimedOutFault,
  readCommandId,
  readFault,
  readReceive,
  readRelatesTo,
  readShellId,
} from "@/appliance/src/winrm/wsman/replies.ts";

const createResponse = `<?xml version="1.0" ?>
<s:Envelope xml:lang="en-US" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer">
    <s:Header>
        <a:Action>http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse</a:Action>
        <a:MessageID>uuid:11111111-1111-1111-1111-111111111112</a:MessageID>
        <a:RelatesTo>uuid:11111111-1111-1111-1111-111111111111</a:RelatesTo>
    </s:Header>
    <s:Body>
        <x:ResourceCreated>
            <a:Address>http://windows-host:5985/wsman</a:Address>
            <a:ReferenceParameters>
                <w:ResourceURI>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>
                <w:SelectorSet>
                    <w:Selector Name="ShellId">11111111-1111-1111-1111-111111111113</w:Selector>
                </w:SelectorSet>
            </a:ReferenceParameters>
        </x:ResourceCreated>
    </s:Body>
</s:Envelope>`;

const commandResponse = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body><rsp:CommandResponse><rsp:CommandId>11111111-1111-1111-1111-111111111114</rsp:CommandId></rsp:CommandResponse></s:Body></s:Envelope>`;

const receiveResponse = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body>
        <rsp:ReceiveResponse>
            <rsp:Stream CommandId="11111111-1111-1111-1111-111111111114" Name="stdout">DQpXaW5kb3dzIElQIENvbmZpZ3VyYXRpb24NCg0K</rsp:Stream>
            <rsp:Stream CommandId="11111111-1111-1111-1111-111111111114" Name="stderr">b29wcw==</rsp:Stream>
            <rsp:Stream CommandId="11111111-1111-1111-1111-111111111114" End="true" Name="stdout"/>
            <rsp:Stream CommandId="11111111-1111-1111-1111-111111111114" End="true" Name="stderr"/>
            <rsp:CommandState CommandId="11111111-1111-1111-1111-111111111114" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done">
                <rsp:ExitCode>3</rsp:ExitCode>
            </rsp:CommandState>
        </rsp:ReceiveResponse></s:Body></s:Envelope>`;

const runningResponse = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"><s:Body><rsp:ReceiveResponse><rsp:Stream Name="stdout" CommandId="11111111-1111-1111-1111-111111111114">aGFsZg==</rsp:Stream><rsp:CommandState CommandId="11111111-1111-1111-1111-111111111114" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"></rsp:CommandState></rsp:ReceiveResponse></s:Body></s:Envelope>`;

const timedOutFault = `<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header><a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action><a:RelatesTo>uuid:AAA</a:RelatesTo></s:Header><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  </s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="fs01.clinic.test"><f:Message>The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  </f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`;

const accessDeniedFault = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>w:AccessDenied</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">Access is denied. </s:Text></s:Reason><s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="5" Machine="fs01"><f:Message>Access is denied. &amp; more</f:Message></f:WSManFault></s:Detail></s:Fault></s:Body></s:Envelope>`;

describe("WS-Man replies", () => {
  it("reads the shell id of a Create reply and the command id of a Command reply", () => {
    expect(readShellId(createResponse)).toBe("11111111-1111-1111-1111-111111111113");
    expect(readRelatesTo(createResponse)).toBe("uuid:11111111-1111-1111-1111-111111111111");
    expect(readFault(createResponse)).toBeNull();
    expect(readCommandId(commandResponse)).toBe("11111111-1111-1111-1111-111111111114");
  });

  it("reads streams, the Done state and the exit code of a Receive reply", () => {
    const chunk = readReceive(receiveResponse, "11111111-1111-1111-1111-111111111114");
    expect(chunk.stdout.toString()).toBe("\r\nWindows IP Configuration\r\n\r\n");
    expect(chunk.stderr.toString()).toBe("oops");
    expect(chunk).toMatchObject({ done: true, exitCode: 3 });
    expect(readReceive(runningResponse, "11111111-1111-1111-1111-111111111114")).toMatchObject({
      done: false,
      exitCode: null,
    });
  });

  it("ignores streams of another command", () => {
    expect(readReceive(receiveResponse, "22222222-2222-2222-2222-222222222222").stdout).toHaveLength(0);
  });

  it("knows the 'no output yet' fault from other faults", () => {
    const timedOut = readFault(timedOutFault);
    expect(timedOut).toMatchObject({ code: "2150858793", subcode: "w:TimedOut" });
    expect(timedOut && isTimedOutFault(timedOut)).toBe(true);
    const denied = readFault(accessDeniedFault);
    expect(denied).toEqual({ code: "5", subcode: "w:AccessDenied", message: "Access is denied. & more" });
    expect(denied && isTimedOutFault(denied)).toBe(false);
  });
});

describe("requests", () => {
  it("Create asks for stdin/stdout/stderr, UTF-8 and no profile", () => {
    const env = createShell({ to: "http://fs01:5985/wsman", operationTimeoutS: 20 });
    expect(env.messageId).toMatch(/^uuid:[0-9A-F-]{36}$/);
    expect(env.xml).toContain(`<a:MessageID>${env.messageId}</a:MessageID>`);
    expect(env.xml).toContain('<w:MaxEnvelopeSize s:mustUnderstand="true">153600</w:MaxEnvelopeSize>');
    expect(env.xml).toContain('<w:Option Name="WINRS_CODEPAGE">65001</w:Option>');
    expect(env.xml).toContain("<w:OperationTimeout>PT20S</w:OperationTimeout>");
  });

  it("PowerShell goes as -EncodedCommand of UTF-16LE, long scripts through stdin", () => {
    const short = powershellCommand("Write-Output 'é'");
    const encoded = short.args.at(-1) ?? "";
    expect(Buffer.from(encoded, "base64").toString("utf16le")).toMatch(/Write-Output 'é'$/);
    expect(short.stdin).toBeNull();
    const env = runCommand({ to: "x", operationTimeoutS: 20 }, "S1", short.command, short.args);
    expect(env.xml).toContain(`<rsp:Arguments>${encoded}</rsp:Arguments>`);
    const long = powershellCommand("x".repeat(5000));
    expect(Buffer.from(long.args.at(-1) ?? "", "base64").toString("utf16le")).toBe(STDIN_BOOTSTRAP);
    expect(long.stdin?.toString()).toContain("x".repeat(5000));
  });
});

describe("CLIXML on stderr", () => {
  it("becomes the error text, progress records dropped", () => {
    const stderr =
      "#< CLIXML\r\n" +
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>' +
      "<S S=\"Error\">Get-BitLockerVolume : The term 'Get-BitLockerVolume' is not recognized_x000D__x000A_</S>" +
      '<S S="Error">At line:1 char:1_x000D__x000A_</S></Objs>';
    expect(readableStderr(stderr)).toBe(
      "Get-BitLockerVolume : The term 'Get-BitLockerVolume' is not recognized\nAt line:1 char:1",
    );
  });

  it("leaves plain stderr as it is", () => {
    expect(readableStderr("plain failure\r\n")).toBe("plain failure");
  });
});

describe("multipart/encrypted bodies", () => {
  const key = Buffer.alloc(16, 0x42);

  it("round-trip between client and server sessions, with the framing pywinrm writes", () => {
    const client = new NtlmSession(key, "client");
    const server = new NtlmSession(key, "server");
    const body = encodeEncryptedBody(client, Buffer.from("<s:Envelope>é</s:Envelope>"));
    const head =
      "--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n" +
      "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=27\r\n" +
      "--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n";
    expect(body.subarray(0, head.length).toString("latin1")).toBe(head);
    expect(body.readUInt32LE(head.length)).toBe(16);
    expect(body.subarray(-24).toString("latin1")).toBe("--Encrypted Boundary--\r\n");
    expect(decodeEncryptedBody(server, body).toString()).toBe("<s:Envelope>é</s:Envelope>");
  });

  it("refuses a tampered body and a body without an encrypted part", () => {
    const client = new NtlmSession(key, "client");
    const server = new NtlmSession(key, "server");
    const body = encodeEncryptedBody(client, Buffer.from("<s:Envelope/>"));
    body[body.length - 30] = (body[body.length - 30] ?? 0) ^ 1;
    expect(() => decodeEncryptedBody(server, body)).toThrow(NtlmIntegrityError);
    expect(() => decodeEncryptedBody(server, Buffer.from("<s:Envelope/>"))).toThrow(EncryptedBodyError);
  });

  it("recognises the content type", () => {
    expect(
      isEncryptedContentType(
        'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"',
      ),
    ).toBe(true);
    expect(isEncryptedContentType("application/soap+xml;charset=UTF-8")).toBe(false);
  });
});
