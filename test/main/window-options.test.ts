import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { isTrustedSender } from '../../electron/main/window-options.js';
import { root } from '../support/built.js';

/**
 * The webPreferences of every `new BrowserWindow({...})` in a file, as written: the window is
 * created where Electron runs, so its options are read from the source (the same place
 * Electronegativity reads them).
 */
function webPreferencesIn(file: string): Record<string, string> {
  const source = ts.createSourceFile(
    file,
    readFileSync(`${root}${file}`, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: Record<string, string>[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'BrowserWindow') {
      const options = node.arguments?.[0];
      if (!options || !ts.isObjectLiteralExpression(options))
        throw new Error('BrowserWindow options must be a literal');
      for (const property of options.properties)
        if (
          ts.isPropertyAssignment(property) &&
          property.name.getText(source) === 'webPreferences' &&
          ts.isObjectLiteralExpression(property.initializer)
        )
          found.push(
            Object.fromEntries(
              property.initializer.properties
                .filter(ts.isPropertyAssignment)
                .map((p) => [p.name.getText(source), p.initializer.getText(source)]),
            ),
          );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('main window', () => {
  it('runs the page isolated and sandboxed, with no Node, no webviews and devtools only in development', () => {
    expect(webPreferencesIn('electron/main/window.ts')).toEqual({
      preload: 'setup.preload',
      contextIsolation: 'true',
      sandbox: 'true',
      nodeIntegration: 'false',
      nodeIntegrationInWorker: 'false',
      nodeIntegrationInSubFrames: 'false',
      webSecurity: 'true',
      allowRunningInsecureContent: 'false',
      experimentalFeatures: 'false',
      webviewTag: 'false',
      navigateOnDragDrop: 'false',
      safeDialogs: 'true',
      spellcheck: 'false',
      disableBlinkFeatures: "'Auxclick'",
      devTools: 'setup.devTools',
    });
    expect(readFileSync(`${root}electron/main/index.ts`, 'utf8')).toContain(
      'devTools: !app.isPackaged',
    );
  });

  it('accepts IPC only from the main frame of our window showing our own renderer file', () => {
    const index = '/app/dist/renderer/index.html';
    const ours = {
      url: 'file:///app/dist/renderer/index.html',
      isMainFrame: true,
      fromOurWindow: true,
    };
    expect(isTrustedSender(ours, index)).toBe(true);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, fromOurWindow: false }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'https://evil.example/' }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'file:///tmp/other.html' }, index)).toBe(false);
    expect(isTrustedSender({ ...ours, url: 'not a url' }, index)).toBe(false);
  });
});
