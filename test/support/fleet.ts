// Writes small fleets into temporary directories for CLI and e2e tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempFleet {
  /** The working directory (the fleet is `fleet/` inside it). */
  readonly cwd: string;
  readonly fleetDir: string;
  write(file: string, text: string): void;
  remove(): void;
}

export function tempFleet(files: Readonly<Record<string, string>>): TempFleet {
  const cwd = mkdtempSync(join(tmpdir(), 'iotops-fleet-'));
  const fleetDir = join(cwd, 'fleet');
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(fleetDir, file)), { recursive: true });
    writeFileSync(join(fleetDir, file), text);
  };
  mkdirSync(fleetDir, { recursive: true });
  for (const [file, text] of Object.entries(files)) write(file, text);
  return { cwd, fleetDir, write, remove: () => rmSync(cwd, { recursive: true, force: true }) };
}

/** A thing type, a group and two things, owned by fleet `e2e`. */
export const SMALL_FLEET: Readonly<Record<string, string>> = {
  'iotops.yaml': 'fleetId: e2e\n',
  'types.yaml': `apiVersion: iotops/v1
kind: ThingType
metadata: { name: sensor }
spec:
  description: A sensor
  searchableAttributes: [site]
`,
  'groups.yaml': `apiVersion: iotops/v1
kind: ThingGroup
metadata: { name: lab }
spec:
  description: The lab
`,
  'things.yaml': `apiVersion: iotops/v1
kind: Thing
metadata: { name: s1 }
spec:
  type: sensor
  attributes: { site: lab }
  groups: [lab]
---
apiVersion: iotops/v1
kind: Thing
metadata: { name: s2 }
spec:
  type: sensor
  attributes: { site: lab }
`,
};
