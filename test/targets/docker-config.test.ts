import { describe, expect, it } from 'vitest';
import { editDockerConfig } from '../../electron/core/targets/docker-config.js';

const helper = (hosts: string[], name: string | null = 'artikey') => ({ helper: { hosts, name } });
const auths = (hosts: string[]) => ({ auths: { hosts, username: 'alice', secret: 'tok' } });
const basic = Buffer.from('alice:tok').toString('base64');

describe('editDockerConfig', () => {
  const existing = `{\n    "auths": {\n        "other.example": {\n            "auth": "b3RoZXI6c2VjcmV0"\n        }\n    },\n    "credsStore": "desktop",\n    "proxies": {\n        "default": {\n            "httpProxy": "http://proxy:3128"\n        }\n    },\n    "currentContext": "colima",\n    "futureField": [1, {"x": null}]\n}`;

  it('adds a credHelpers entry and keeps every other key, their order and the indentation', () => {
    const after = editDockerConfig(existing, helper(['acme.jfrog.io']));
    expect(JSON.parse(after)).toEqual({
      ...JSON.parse(existing),
      credHelpers: { 'acme.jfrog.io': 'artikey' },
    });
    expect(Object.keys(JSON.parse(after))).toEqual([
      'auths',
      'credsStore',
      'proxies',
      'currentContext',
      'futureField',
      'credHelpers',
    ]);
    expect(after).toMatch(/^\{\n {4}"auths": \{\n {8}"other\.example"/);
  });

  it('creates a file with tabs as Docker does, and returns the same text when nothing changes', () => {
    const created = editDockerConfig(null, helper(['acme.jfrog.io']));
    expect(created).toBe('{\n\t"credHelpers": {\n\t\t"acme.jfrog.io": "artikey"\n\t}\n}\n');
    expect(editDockerConfig(created, helper(['acme.jfrog.io']))).toBe(created);
  });

  it('removes only its own credHelpers entries, and the object once empty', () => {
    const text = JSON.stringify({
      credHelpers: { 'acme.jfrog.io': 'artikey', 'gcr.io': 'gcloud', 'ecr.aws': 'artikey-not' },
    });
    const after = JSON.parse(
      editDockerConfig(text, helper(['acme.jfrog.io', 'gcr.io', 'ecr.aws'], null)),
    ) as Record<string, unknown>;
    expect(after['credHelpers']).toEqual({ 'gcr.io': 'gcloud', 'ecr.aws': 'artikey-not' });
    const only = editDockerConfig(
      '{"credHelpers":{"acme.jfrog.io":"artikey"},"x":1}',
      helper(['acme.jfrog.io'], null),
    );
    expect(JSON.parse(only)).toEqual({ x: 1 });
  });

  it('writes an auths entry with just `auth`, replacing stale fields, and removes it again', () => {
    const text = JSON.stringify(
      {
        auths: {
          'acme.jfrog.io': { username: 'old', password: 'old', identitytoken: 'x' },
          'other.example': { auth: 'b3RoZXI6c2VjcmV0' },
        },
      },
      null,
      2,
    );
    const written = editDockerConfig(text, auths(['acme.jfrog.io']));
    expect(JSON.parse(written)).toEqual({
      auths: { 'acme.jfrog.io': { auth: basic }, 'other.example': { auth: 'b3RoZXI6c2VjcmV0' } },
    });
    const removed = editDockerConfig(written, {
      auths: { hosts: ['acme.jfrog.io'], remove: true },
    });
    expect(JSON.parse(removed)).toEqual({
      auths: { 'other.example': { auth: 'b3RoZXI6c2VjcmV0' } },
    });
  });

  it('refuses auths while a credsStore would shadow them, unless a credHelpers entry covers the host', () => {
    expect(() => editDockerConfig('{"credsStore":"desktop"}', auths(['acme.jfrog.io']))).toThrow(
      expect.objectContaining({
        code: 'tool-file-conflict',
        message: expect.stringContaining('"desktop"'),
      }),
    );
    const covered = editDockerConfig(
      '{"credsStore":"desktop","credHelpers":{"acme.jfrog.io":"other"}}',
      auths(['acme.jfrog.io']),
    );
    expect(JSON.parse(covered)).toMatchObject({ auths: { 'acme.jfrog.io': { auth: basic } } });
  });

  it.each([
    ['invalid JSON', '{"auths": {'],
    ['a JSON array', '[1, 2]'],
    ['credHelpers that is not an object', '{"credHelpers": "artikey"}'],
    ['auths that is a list', '{"auths": []}'],
  ])('refuses %s with tool-file-invalid', (_, text) => {
    const change = text.includes('auths') ? auths(['h']) : helper(['h']);
    expect(() => editDockerConfig(text, change)).toThrow(
      expect.objectContaining({ code: 'tool-file-invalid' }),
    );
  });

  it('never puts the secret into an error message', () => {
    try {
      editDockerConfig('{"credsStore":"desktop"}', {
        auths: { hosts: ['h'], username: 'alice', secret: 'super-secret-token' },
      });
    } catch (error) {
      expect((error as Error).message).not.toContain('super-secret-token');
    }
  });
});
