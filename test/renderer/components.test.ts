import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { FoundCredential } from '../../electron/ipc/contract.js';
import Countdown from '../../renderer/src/components/Countdown.svelte';
import FoundInFile from '../../renderer/src/components/FoundInFile.svelte';
import ScopeChips from '../../renderer/src/components/ScopeChips.svelte';
import StatusBadge from '../../renderer/src/components/StatusBadge.svelte';
import ToolDiff from '../../renderer/src/components/ToolDiff.svelte';
import { Clock } from '../../renderer/src/lib/clock.svelte.js';
import { STATUS, type DisplayStatus } from '../../renderer/src/lib/status.js';

/** The rendered HTML as text a person (or screen reader) would get, tags removed. */
const text = (html: string) =>
  html
    .replace(/<!--[^]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

describe('status badge', () => {
  it('says the status in words, with a shape, an explanation and a tone class', () => {
    for (const status of Object.keys(STATUS) as DisplayStatus[]) {
      const { body } = render(StatusBadge, { props: { status } });
      expect(text(body)).toContain(STATUS[status].label);
      expect(body).toContain(`title="${STATUS[status].explanation}"`);
      expect(body).toContain(`data-status="${status}"`);
      expect(body).toMatch(new RegExp(`class="badge ${STATUS[status].tone}`));
      expect(body).toMatch(/aria-hidden="true"[^>]*>[●▲✕○]</);
    }
  });
});

describe('scope chips', () => {
  it('renders one labelled list item per permission, the raw scope as its title', () => {
    const { body } = render(ScopeChips, {
      props: {
        scopes: ['applied-permissions/groups:readers,deployers', 'applied-permissions/admin'],
      },
    });
    expect(body).toContain('aria-label="Scopes"');
    expect((body.match(/<li/g) ?? []).length).toBe(3);
    expect(text(body)).toBe('groups: readers groups: deployers admin');
    expect(body).toContain('title="applied-permissions/admin"');
    expect(body).toMatch(/class="chip[^"]*strong/);
  });

  it('says when there is none', () => {
    expect(text(render(ScopeChips, { props: { scopes: [] } }).body)).toBe('none listed');
  });
});

describe('countdown', () => {
  const clock = new Clock();
  clock.now = Date.UTC(2026, 11, 2, 12, 0, 0);
  const at = (secondsFromNow: number) => Date.UTC(2026, 11, 2, 12, 0, 0) / 1000 + secondsFromNow;

  it('shows the time left with the exact expiry as machine-readable datetime', () => {
    const { body } = render(Countdown, { props: { clock, expiresAt: at(3 * 3600 + 12 * 60) } });
    expect(text(body)).toBe('expires in 3 h 12 min');
    expect(body).toContain('datetime="2026-12-02T15:12:00.000Z"');
  });

  it("counts on the server's clock and says when it has expired or never will", () => {
    const skewed = render(Countdown, {
      props: { clock, expiresAt: at(600), clockOffsetSeconds: 120 },
    });
    expect(text(skewed.body)).toBe('expires in 8 min');
    expect(text(render(Countdown, { props: { clock, expiresAt: at(-300) } }).body)).toBe(
      'expired 5 min ago',
    );
    expect(text(render(Countdown, { props: { clock, expiresAt: null } }).body)).toBe(
      'never expires',
    );
  });
});

describe('tool diff', () => {
  it('shows each changed line before and after, labelled for screen readers', () => {
    const { body } = render(ToolDiff, {
      props: {
        preview: {
          kind: 'npm',
          path: '/home/me/.npmrc',
          description: 'npm',
          fileExists: true,
          changes: [
            { line: 2, before: null, after: '//acme/api/npm/npm/:_authToken=<token>' },
            { line: null, before: 'registry=https://old/', after: null },
          ],
        },
      },
    });
    const shown = text(body);
    expect(shown).toContain('/home/me/.npmrc');
    expect(shown).toContain('added: //acme/api/npm/npm/:_authToken=<token>');
    expect(shown).toContain('removed: registry=https://old/');
  });

  it('says when the file already matches', () => {
    const { body } = render(ToolDiff, {
      props: {
        preview: { kind: 'pip', path: '/p', description: '', fileExists: false, changes: [] },
      },
    });
    expect(text(body)).toContain('(new file) — already up to date');
    expect(body).not.toContain('<table');
  });
});

describe('credentials found in a file', () => {
  const entry = (
    location: string,
    mark: Pick<FoundCredential, 'managed' | 'stale'>,
  ): FoundCredential => ({
    tool: 'npm',
    file: '/home/a/.npmrc',
    location,
    line: 1,
    url: null,
    host: 'acme.jfrog.io',
    username: null,
    kind: 'access-token',
    expiresAt: 5,
    fingerprint: location.slice(0, 12),
    instanceId: 'acme',
    works: null,
    ...mark,
  });

  it('marks Artikey’s own entry as managed and a stale copy as such, in words', () => {
    const { body } = render(FoundInFile, {
      props: {
        file: '/home/a/.npmrc',
        found: [
          entry('//acme/npm/:_authToken', { managed: true, stale: false }),
          entry('//acme/old/:_authToken', { managed: false, stale: true }),
          entry('//acme/key/:_authToken', { managed: false, stale: false }),
        ],
      },
    });
    const rows = body.split('<tr').slice(2).map(text);
    expect(rows[0]).toContain('Managed by Artikey');
    expect(rows[1]).toContain('Stale copy');
    expect(rows[2]).toContain('A token in plain text, not renewed automatically.');
    expect(body).toContain('data-managed="true"');
  });
});
