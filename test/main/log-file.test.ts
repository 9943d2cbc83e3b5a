import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/logger.js';
import { logFileSink } from '../../electron/main/log-file.js';

describe('app log file', () => {
  it('writes timestamped, redacted lines only the user can read, and rotates at the limit', () => {
    const folder = mkdtempSync(join(tmpdir(), 'artikey-log-'));
    try {
      const path = join(folder, 'logs', 'artikey.log');
      const log = createLogger('app', logFileSink(path, 200));
      log.info('refreshed acme with eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ');
      const text = readFileSync(path, 'utf8');
      expect(text).toMatch(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z info \[app\] refreshed acme with \[redacted\]\n$/,
      );
      expect(statSync(path).mode & 0o777).toBe(0o600);
      for (let i = 0; i < 5; i++) log.warn(`line ${i} ${'x'.repeat(40)}`);
      expect(readFileSync(`${path}.1`, 'utf8')).toContain('refreshed acme');
      expect(statSync(path).size).toBeLessThan(400);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never throws, even when the folder cannot be created', () => {
    const folder = mkdtempSync(join(tmpdir(), 'artikey-log-'));
    try {
      writeFileSync(join(folder, 'a-file'), '');
      const sink = logFileSink(join(folder, 'a-file', 'logs', 'x.log'));
      expect(() => sink('info [app] hello')).not.toThrow();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
