/**
 * The one PowerShell script a scan runs on each Windows server (one WinRM command per host, not one per
 * check). It collects raw facts, never verdicts: the thresholds live on the appliance (evaluate-host.ts), so
 * a partner's thresholds change without touching what runs on the customer's servers.
 *
 * Written for Windows PowerShell 5.1 (Server 2012 R2 and later, Server Core included):
 * - each section runs in its own try/catch, so one unreadable control leaves the other five readable;
 * - dates travel as ISO 8601 UTC written with the invariant culture, and the raw text beside them where
 *   Windows itself stores a localised string (Win32_QuickFixEngineering.InstalledOn);
 * - machine policy only: the screen-lock section reads HKLM and the other users' policy hives, never the
 *   scanning account's own HKCU;
 * - the JSON is one line after a marker, so banner text or warnings on stdout cannot break the parse.
 *
 * It changes nothing on the host.
 */
export const CHECK_SCRIPT_OUTPUT_MARKER = "OSIRIS-COMPLIANCE-JSON:";

/** Bumped when the facts' shape changes; host-facts.ts accepts what it knows. */
export const CHECK_SCRIPT_SCHEMA = 1;

/** On the script's first line, so a log or a test double can tell the check script from other PowerShell. */
export const CHECK_SCRIPT_MARKER = "osiris-compliance-check";

export const CHECK_SCRIPT = String.raw`# ${CHECK_SCRIPT_MARKER} v${CHECK_SCRIPT_SCHEMA}: reads compliance facts, changes nothing
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$inv = [Globalization.CultureInfo]::InvariantCulture
function Iso($d) {
  if ($null -eq $d) { return $null }
  try { return ([DateTime]$d).ToUniversalTime().ToString('o', $inv) } catch { return $null }
}
function Section([scriptblock]$body) {
  try {
    $r = & $body
    if ($null -eq $r) { $r = @{} }
    $r['error'] = $null
    return $r
  } catch {
    return @{ error = (($_.Exception.Message -replace '\s+', ' ').Trim()) }
  }
}
function Missing($err) { return ($err -match 'Invalid namespace|Invalid class|not recognized|not found|0x8004100E|0x80041010') }

$out = [ordered]@{ schema = ${CHECK_SCRIPT_SCHEMA}; collected_at = (Iso (Get-Date)); computer = $env:COMPUTERNAME }

$out.bitlocker = Section {
  $os = $env:SystemDrive
  if (Get-Command Get-BitLockerVolume -ErrorAction SilentlyContinue) {
    $v = Get-BitLockerVolume -MountPoint $os
    return @{ source = 'Get-BitLockerVolume'; mount_point = $os; protection_status = [string]$v.ProtectionStatus;
              volume_status = [string]$v.VolumeStatus; encryption_percentage = $v.EncryptionPercentage }
  }
  try {
    $w = Get-CimInstance -Namespace 'root/cimv2/Security/MicrosoftVolumeEncryption' -ClassName Win32_EncryptableVolume -Filter "DriveLetter='$os'"
  } catch {
    if (Missing $_.Exception.Message) { return @{ source = 'none'; feature_missing = $true; mount_point = $os } }
    throw
  }
  if ($null -eq $w) { return @{ source = 'Win32_EncryptableVolume'; mount_point = $os; volume_found = $false } }
  return @{ source = 'Win32_EncryptableVolume'; mount_point = $os; protection_status = [string]$w.ProtectionStatus;
            conversion_status = [string]$w.ConversionStatus }
}

$out.defender = Section {
  if (-not (Get-Command Get-MpComputerStatus -ErrorAction SilentlyContinue)) { return @{ feature_missing = $true } }
  $s = Get-MpComputerStatus
  return @{ antivirus_enabled = $s.AntivirusEnabled; realtime_enabled = $s.RealTimeProtectionEnabled;
            service_enabled = $s.AMServiceEnabled; signature_updated = (Iso $s.AntivirusSignatureLastUpdated);
            signature_age_days = $s.AntivirusSignatureAge; running_mode = [string]$s.AMRunningMode }
}

$out.firewall = Section {
  $profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object { @{ name = [string]$_.Name; enabled = [string]$_.Enabled } })
  $svc = Get-Service -Name MpsSvc -ErrorAction SilentlyContinue
  $status = $null
  if ($svc) { $status = [string]$svc.Status }
  return @{ profiles = $profiles; service_status = $status }
}

$out.patches = Section {
  $wu = $null; $wuError = $null
  try {
    $searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
    $count = $searcher.GetTotalHistoryCount()
    if ($count -gt 0) {
      $h = @($searcher.QueryHistory(0, [Math]::Min($count, 200)) | Where-Object { $_.Operation -eq 1 -and $_.ResultCode -eq 2 } |
             Sort-Object Date -Descending | Select-Object -First 1)
      if ($h.Count) { $wu = Iso $h[0].Date }
    }
  } catch { $wuError = (($_.Exception.Message -replace '\s+', ' ').Trim()) }
  $hotfixes = @(Get-CimInstance -ClassName Win32_QuickFixEngineering | ForEach-Object {
    $on = $null; try { $on = Iso $_.InstalledOn } catch { }
    @{ id = [string]$_.HotFixID; installed_on = $on; installed_on_raw = [string]$_.CimInstanceProperties['InstalledOn'].Value }
  })
  $reasons = @()
  if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') { $reasons += 'component servicing' }
  if (Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') { $reasons += 'Windows Update' }
  $pfro = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue)
  if ($pfro) { $reasons += 'pending file renames' }
  return @{ wu_last_installed = $wu; wu_error = $wuError; hotfixes = $hotfixes; reboot_reasons = $reasons }
}

$out.screenlock = Section {
  $sys = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System' -ErrorAction SilentlyContinue
  $inactivity = $null
  if ($sys -and $null -ne $sys.InactivityTimeoutSecs) { $inactivity = [int64]$sys.InactivityTimeoutSecs }
  $me = ([Security.Principal.WindowsIdentity]::GetCurrent()).User.Value
  $hives = @(Get-ChildItem -Path 'Registry::HKEY_USERS' | Where-Object { $_.PSChildName -eq '.DEFAULT' -or ($_.PSChildName -match '^S-1-5-21-[\d-]+$' -and $_.PSChildName -ne $me) })
  $policies = @($hives | ForEach-Object {
    $p = Get-ItemProperty -Path ('Registry::HKEY_USERS\' + $_.PSChildName + '\Software\Policies\Microsoft\Windows\Control Panel\Desktop') -ErrorAction SilentlyContinue
    if ($p) { @{ hive = $_.PSChildName; active = [string]$p.ScreenSaveActive; secure = [string]$p.ScreenSaverIsSecure; timeout = [string]$p.ScreenSaveTimeOut } }
  })
  return @{ inactivity_timeout_secs = $inactivity; screensaver_policies = $policies }
}

$out.rmm = Section {
  $services = @(Get-CimInstance -ClassName Win32_Service | ForEach-Object { @{ name = [string]$_.Name; display_name = [string]$_.DisplayName; state = [string]$_.State } })
  $programs = @(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*' -ErrorAction SilentlyContinue |
                Where-Object { $_.DisplayName } | ForEach-Object { [string]$_.DisplayName } | Sort-Object -Unique)
  $processes = @(Get-Process | ForEach-Object { [string]$_.ProcessName } | Sort-Object -Unique)
  return @{ services = $services; programs = $programs; processes = $processes }
}

Write-Output ('${CHECK_SCRIPT_OUTPUT_MARKER}' + ($out | ConvertTo-Json -Depth 6 -Compress))
`;
