/** WS-Management URIs used by the Windows remote shell (MS-WSMV). */
export const NS = {
  soap: "http://www.w3.org/2003/05/soap-envelope",
  addressing: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  wsman: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  msWsman: "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
  shell: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
  transfer: "http://schemas.xmlsoap.org/ws/2004/09/transfer",
} as const;

export const ANONYMOUS = `${NS.addressing}/role/anonymous`;
export const CMD_RESOURCE = `${NS.shell}/cmd`;
export const ACTION = {
  create: `${NS.transfer}/Create`,
  delete: `${NS.transfer}/Delete`,
  command: `${NS.shell}/Command`,
  receive: `${NS.shell}/Receive`,
  send: `${NS.shell}/Send`,
  signal: `${NS.shell}/Signal`,
} as const;
export const SIGNAL_TERMINATE = `${NS.shell}/signal/terminate`;
export const COMMAND_STATE_DONE = `${NS.shell}/CommandState/Done`;
/** WSManFault code of "the operation did not complete within OperationTimeout": no output yet, ask again. */
export const FAULT_TIMED_OUT = "2150858793";
