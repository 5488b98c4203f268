import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MacAddress } from "../../../server/contracts";
import { FALLBACK_HOSTNAME, getHostname, getMacAddress } from "../../src/system/system-info";

const MAC_FORM = /^[0-9A-F]{2}(:[0-9A-F]{2}){5}$/;

function nic(mac: string, internal = false, family: "IPv4" | "IPv6" = "IPv4"): os.NetworkInterfaceInfo {
  return family === "IPv4"
    ? { address: "192.0.2.10", netmask: "255.255.255.0", family, mac, internal, cidr: "192.0.2.10/24" }
    : { address: "fe80::1", netmask: "ffff:ffff:ffff:ffff::", family, mac, internal, cidr: "fe80::1/64", scopeid: 2 };
}

const loopback = [nic("00:00:00:00:00:00", true), nic("00:00:00:00:00:00", true, "IPv6")];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "osiris-sysinfo-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function machineIdFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe("getMacAddress", () => {
  it("returns this machine's address in upper-case colon form, accepted by the claim contract", () => {
    const mac = getMacAddress();
    expect(mac).toMatch(MAC_FORM);
    expect(MacAddress.parse(mac)).toBe(mac);
    expect(mac).not.toBe("00:00:00:00:00:00");
  });

  it("upper-cases the first real interface's MAC", () => {
    const mac = getMacAddress({ interfaces: () => ({ lo: loopback, eth0: [nic("84:3a:5b:91:b6:61")] }) });
    expect(mac).toBe("84:3A:5B:91:B6:61");
  });

  it("skips loopback, internal and all-zero interfaces", () => {
    const mac = getMacAddress({
      interfaces: () => ({
        lo: loopback,
        internalNic: [nic("AA:AA:AA:AA:AA:AA", true)],
        tun0: [nic("00:00:00:00:00:00")],
        wlan0: [nic("00:00:00:00:00:00"), nic("de:ad:be:ef:00:01", false, "IPv6")],
      }),
    });
    expect(mac).toBe("DE:AD:BE:EF:00:01");
  });

  it("prefers physical interfaces over bridges and container links, whatever the enumeration order", () => {
    const interfaces = {
      docker0: [nic("02:42:AC:11:00:01")],
      "br-1234": [nic("02:42:AC:11:00:02")],
      veth12ab: [nic("02:42:AC:11:00:03")],
      wlan0: [nic("10:00:00:00:00:02")],
      eth0: [nic("10:00:00:00:00:01")],
      lo: loopback,
    };
    const reversed = Object.fromEntries(Object.entries(interfaces).reverse());
    expect(getMacAddress({ interfaces: () => interfaces })).toBe("10:00:00:00:00:01");
    expect(getMacAddress({ interfaces: () => reversed })).toBe("10:00:00:00:00:01");
    // a virtual interface is still better than nothing
    expect(getMacAddress({ interfaces: () => ({ lo: loopback, docker0: [nic("02:42:ac:11:00:01")] }) })).toBe(
      "02:42:AC:11:00:01",
    );
  });

  it("falls back to a locally administered 02:… address that is stable for the same machine id", () => {
    const idA = machineIdFile("machine-id-a", "0123456789abcdef0123456789abcdef\n");
    const idB = machineIdFile("machine-id-b", "fedcba9876543210fedcba9876543210\n");
    const onlyLoopback = () => ({ lo: loopback });

    const first = getMacAddress({ interfaces: onlyLoopback, machineIdPaths: [idA] });
    const again = getMacAddress({ interfaces: onlyLoopback, machineIdPaths: [idA] });
    const other = getMacAddress({ interfaces: onlyLoopback, machineIdPaths: [idB] });

    expect(first).toMatch(/^02(:[0-9A-F]{2}){5}$/);
    expect(MacAddress.parse(first)).toBe(first);
    expect(again).toBe(first);
    expect(other).toMatch(/^02(:[0-9A-F]{2}){5}$/);
    expect(other).not.toBe(first);
  });

  it("reads the machine id from the next file when the first is missing or empty, then from the host name", () => {
    const id = machineIdFile("dbus-machine-id", "0123456789abcdef0123456789abcdef\n");
    const empty = machineIdFile("empty", "\n");
    const missing = path.join(dir, "missing");
    const none = () => ({});

    const direct = getMacAddress({ interfaces: none, machineIdPaths: [id] });
    expect(getMacAddress({ interfaces: none, machineIdPaths: [missing, empty, id] })).toBe(direct);

    const byHost = getMacAddress({ interfaces: none, machineIdPaths: [missing], hostname: () => "clinic-box" });
    expect(byHost).toMatch(/^02(:[0-9A-F]{2}){5}$/);
    expect(getMacAddress({ interfaces: none, machineIdPaths: [missing], hostname: () => "clinic-box" })).toBe(byHost);
    expect(getMacAddress({ interfaces: none, machineIdPaths: [missing], hostname: () => "other-box" })).not.toBe(
      byHost,
    );
  });

  it("falls back when the interface source throws", () => {
    const id = machineIdFile("machine-id", "abc\n");
    const mac = getMacAddress({
      interfaces: () => {
        throw new Error("no netlink");
      },
      machineIdPaths: [id],
    });
    expect(mac).toMatch(/^02(:[0-9A-F]{2}){5}$/);
  });
});

describe("getHostname", () => {
  it("returns the machine's host name", () => {
    expect(getHostname()).toBe(os.hostname() || FALLBACK_HOSTNAME);
    expect(getHostname({ hostname: () => "clinic-front-desk" })).toBe("clinic-front-desk");
  });

  it("falls back to osiriscare-appliance when the name is empty or cannot be read", () => {
    expect(FALLBACK_HOSTNAME).toBe("osiriscare-appliance");
    expect(getHostname({ hostname: () => "" })).toBe("osiriscare-appliance");
    expect(getHostname({ hostname: () => "  \n" })).toBe("osiriscare-appliance");
    expect(
      getHostname({
        hostname: () => {
          throw new Error("uv_os_gethostname failed");
        },
      }),
    ).toBe("osiriscare-appliance");
  });
});
