import { describe, expect, it } from 'vitest';
import { scopeChips } from '../../renderer/src/lib/scopes.js';

const labels = (scopes: string[]) => scopeChips(scopes).map((c) => c.label);

describe('scope chips', () => {
  it('names applied permissions the way people say them', () => {
    expect(labels(['applied-permissions/groups:readers'])).toEqual(['groups: readers']);
    expect(labels(['applied-permissions/groups:readers,deployers'])).toEqual([
      'groups: readers',
      'groups: deployers',
    ]);
    expect(labels(['applied-permissions/groups:"readers"'])).toEqual(['groups: readers']);
    expect(labels(['applied-permissions/user'])).toEqual(['user']);
    expect(labels(['applied-permissions/roles:acme:developer'])).toEqual([
      'role: developer in acme',
    ]);
  });

  it('marks admin scopes strongly', () => {
    const [chip] = scopeChips(['applied-permissions/admin']);
    expect(chip).toEqual({ label: 'admin', raw: 'applied-permissions/admin', tone: 'strong' });
  });

  it('spells out action codes and splits space-separated scopes', () => {
    expect(labels(['system:metrics:r artifact:libs-release:r,w'])).toEqual([
      'system: metrics (read)',
      'libs-release: read, write',
    ]);
  });

  it('keeps unknown scopes as written and drops duplicates and blanks', () => {
    expect(labels(['custom-scope', 'custom-scope', ' ', 'applied-permissions/user'])).toEqual([
      'custom-scope',
      'user',
    ]);
    expect(scopeChips([])).toEqual([]);
  });
});
