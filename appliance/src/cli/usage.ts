/** The --help text and exit codes of osiris-appliance. */
import { DEFAULT_STATE_DIR } from "../config/state-dir";

export const DEFAULT_API_ENDPOINT = "http://127.0.0.1:3000";

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export const USAGE = `Usage: osiris-appliance [options] [run]

OsirisCare appliance. With no command or provisioning option it provisions interactively when
there is no config.yaml yet, then starts the check-in daemon.

Commands:
  run                        Start the check-in daemon. Fails when the appliance is not provisioned.

Provisioning (each provisions and exits):
  --provision CODE           Claim CODE (16 characters; lower case, spaces and dashes are accepted).
  --provision -              Read the code from standard input.
  --provision-file PATH      Read the code from a file (keeps it out of the process list).
  --provision-interactive    Prompt for the code.

Options:
  --api-endpoint URL         Central Command to provision with (env OSIRIS_API_ENDPOINT; default
                             ${DEFAULT_API_ENDPOINT}). Once provisioned, the daemon uses the api_endpoint
                             that Central Command returned, stored in config.yaml.
  --state-dir DIR            Where config.yaml is kept (env OSIRIS_STATE_DIR; default ${DEFAULT_STATE_DIR}).
  -h, --help                 Show this help.

Environment:
  OSIRIS_POLL_INTERVAL_S     Check-in interval in seconds, overriding poll_interval of config.yaml and
                             of Central Command's answers (for tests; ±10 % jitter still applies).
  OSIRIS_HTTP_TIMEOUT_S      Seconds to wait for an answer from Central Command (default 30).

Exit status: 0 success, 1 provisioning or operation failure, 2 usage error.
`;
