/**
 * Token scopes as readable chips. Artifactory writes them as
 * `applied-permissions/groups:readers,deployers`, `applied-permissions/user`,
 * `applied-permissions/admin`, `applied-permissions/roles:<project>:<role>`,
 * `system:metrics:r`, `artifact:<repo>:<actions>`; anything else is shown as written.
 */
export interface ScopeChip {
  label: string;
  /** The scope exactly as the token carries it. */
  raw: string;
  /** Admin scopes get a warning tone: they can do anything on the instance. */
  tone: 'normal' | 'strong';
}

const ACTIONS: Record<string, string> = {
  r: 'read',
  w: 'write',
  d: 'delete',
  a: 'annotate',
  m: 'manage',
  x: 'execute',
  '*': 'all',
};

const actions = (code: string): string =>
  code
    .split(/[,]/)
    .map((c) => ACTIONS[c] ?? c)
    .join(', ');

function chipsOf(raw: string): ScopeChip[] {
  const applied = /^applied-permissions\/(.+)$/.exec(raw);
  if (applied) {
    const rest = applied[1] ?? '';
    if (rest === 'admin') return [{ label: 'admin', raw, tone: 'strong' }];
    if (rest === 'user') return [{ label: 'user', raw, tone: 'normal' }];
    const groups = /^groups:(.+)$/.exec(rest);
    if (groups) {
      return (groups[1] ?? '')
        .split(',')
        .map((g) => g.trim().replace(/^"|"$/g, ''))
        .filter((g) => g !== '')
        .map((g) => ({ label: `groups: ${g}`, raw, tone: 'normal' as const }));
    }
    const role = /^roles:([^:]+):(.+)$/.exec(rest);
    if (role) return [{ label: `role: ${role[2]} in ${role[1]}`, raw, tone: 'normal' }];
    return [{ label: rest.replace(':', ': '), raw, tone: 'normal' }];
  }
  const system = /^system:([^:]+)(?::(.+))?$/.exec(raw);
  if (system) {
    const what = system[2] ? ` (${actions(system[2])})` : '';
    return [{ label: `system: ${system[1]}${what}`, raw, tone: 'normal' }];
  }
  const artifact = /^artifact:([^:]+):(.+)$/.exec(raw);
  if (artifact)
    return [{ label: `${artifact[1]}: ${actions(artifact[2] ?? '')}`, raw, tone: 'normal' }];
  if (raw === 'admin' || raw.endsWith(':admin')) return [{ label: raw, raw, tone: 'strong' }];
  return [{ label: raw, raw, tone: 'normal' }];
}

/** One chip per permission, in the token's order; duplicates removed. */
export function scopeChips(scopes: readonly string[]): ScopeChip[] {
  const seen = new Set<string>();
  const chips: ScopeChip[] = [];
  for (const scope of scopes.flatMap((s) => s.split(/\s+/)).filter((s) => s !== '')) {
    for (const chip of chipsOf(scope)) {
      if (seen.has(chip.label)) continue;
      seen.add(chip.label);
      chips.push(chip);
    }
  }
  return chips;
}
