import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl } from '../../electron/main/web-policy.js';

describe('renderer web policy', () => {
  it('allows only our own scripts and styles: no eval, no inline script, no remote anything', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [
        d.split(' ')[0],
        d.split(' ').slice(1).join(' '),
      ]),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|https?:|\*/);
  });

  it('is the policy the page itself declares (frame-ancestors aside, which a <meta> tag cannot set)', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  const instances = ['https://acme.jfrog.io/', 'http://127.0.0.1:8081/', 'http://arti.corp:8081/'];
  it.each([
    ['https://acme.jfrog.io/ui/login?jfClientSession=abc', true],
    ['http://127.0.0.1:8081/ui/login', true],
    ['https://evil.example/ui/login', false],
    ['https://acme.jfrog.io.evil.example/', false],
    ['http://acme.jfrog.io/ui/login', false],
    ['https://alice:secret@acme.jfrog.io/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
    ['http://127.0.0.1:9999/', false],
    ['http://arti.corp:8081/ui/login', true],
    ['https://arti.corp:8081/ui/login', false],
    ['ftp://acme.jfrog.io/', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url, instances)).toBe(allowed);
  });
});
