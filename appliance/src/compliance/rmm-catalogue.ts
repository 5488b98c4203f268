/**
 * Remote-access and RMM products a scan recognises, by the names their services, installers and processes
 * use. Matching is on whole words of those names (case-insensitive), so "Mesh Agent" matches and an
 * unrelated "Meshmixer" does not. A partner allows its own tool by id or by name.
 */
export interface RemoteTool {
  readonly id: string;
  readonly name: string;
  readonly patterns: readonly RegExp[];
}

const w = (source: string) => new RegExp(`(^|[^a-z0-9])(${source})([^a-z0-9]|$)`, "i");

export const REMOTE_TOOLS: readonly RemoteTool[] = [
  { id: "teamviewer", name: "TeamViewer", patterns: [w("teamviewer(_service)?")] },
  { id: "anydesk", name: "AnyDesk", patterns: [w("anydesk")] },
  { id: "screenconnect", name: "ConnectWise ScreenConnect", patterns: [w("screenconnect"), w("connectwise control")] },
  {
    id: "connectwise-automate",
    name: "ConnectWise Automate",
    patterns: [w("ltservice"), w("labtech"), w("connectwise automate")],
  },
  { id: "logmein", name: "LogMeIn", patterns: [w("logmein"), w("lmiguardian")] },
  { id: "goto-resolve", name: "GoTo Resolve", patterns: [w("goto resolve"), w("gotoassist")] },
  { id: "splashtop", name: "Splashtop", patterns: [w("splashtop"), w("srservice")] },
  {
    id: "vnc",
    name: "VNC",
    patterns: [w("(real|tight|ultra|tiger)vnc"), w("vncserver"), w("winvnc\\d?"), w("tvnserver")],
  },
  {
    id: "chrome-remote-desktop",
    name: "Chrome Remote Desktop",
    patterns: [w("chrome remote desktop"), w("chromoting")],
  },
  { id: "rustdesk", name: "RustDesk", patterns: [w("rustdesk")] },
  { id: "kaseya", name: "Kaseya VSA", patterns: [w("kaseya"), w("agentmon")] },
  { id: "ninjaone", name: "NinjaOne", patterns: [w("ninjarmm(agent)?"), w("ninjaone")] },
  { id: "datto-rmm", name: "Datto RMM", patterns: [w("centrastage"), w("cagservice"), w("aemagent"), w("datto rmm")] },
  {
    id: "n-able",
    name: "N-able",
    patterns: [w("n-able"), w("n-central"), w("windows agent maintenance service"), w("basupsrvc")],
  },
  { id: "atera", name: "Atera", patterns: [w("atera(agent)?")] },
  { id: "syncro", name: "Syncro", patterns: [w("syncro"), w("kabuto")] },
  { id: "tactical-rmm", name: "Tactical RMM", patterns: [w("tacticalrmm"), w("tactical rmm"), w("tacticalagent")] },
  { id: "meshcentral", name: "MeshCentral", patterns: [w("mesh ?agent"), w("meshcentral")] },
  { id: "beyondtrust", name: "BeyondTrust Remote Support", patterns: [w("bomgar"), w("beyondtrust")] },
  { id: "action1", name: "Action1", patterns: [w("action1")] },
  { id: "pulseway", name: "Pulseway", patterns: [w("pulseway"), w("pcmonitorsrv")] },
  { id: "zoho-assist", name: "Zoho Assist", patterns: [w("zoho ?assist"), w("zaservice")] },
  { id: "level", name: "Level", patterns: [w("level ?agent"), w("level\\.io")] },
];

export function matchRemoteTool(text: string): RemoteTool | undefined {
  return REMOTE_TOOLS.find((tool) => tool.patterns.some((p) => p.test(text)));
}

export function isAllowed(tool: RemoteTool, allowList: readonly string[]): boolean {
  return allowList.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === tool.id || e === tool.name.toLowerCase();
  });
}
