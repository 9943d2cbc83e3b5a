import type { TargetRecord, TargetSpec } from '../../electron/core/targets/target-record.js';
import { writeTarget } from '../../electron/core/targets/targets.js';

/**
 * Writes a target for alice with `token` (over `previous`, as a refresh does) and returns the
 * record the core would keep for it, so a file-level test can remove or rewrite it afterwards.
 */
export async function writeAsAlice(
  target: TargetSpec,
  token: string,
  previous?: TargetRecord,
): Promise<TargetRecord> {
  const { edit, restore } = await writeTarget(
    target,
    { username: 'alice', token },
    previous ? { previous } : {},
  );
  return {
    ...target,
    createdFile: previous?.createdFile ?? edit.created,
    restore,
    writtenAt: 1,
    error: null,
  };
}
