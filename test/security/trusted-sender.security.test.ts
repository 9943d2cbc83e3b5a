import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../electron/main/window-options.js';

/**
 * Threat: a page that is not ours (another file, another host's share, a look-alike path) calling
 * main's IPC. The check compares the frame's file URL with the renderer's path as the platform
 * spells it; on Windows that is `C:\…` (or `\\server\share\…`), which a URL's pathname
 * (`/C:/…`) never equals, so a naive check would refuse our own window too.
 */
describe('IPC is trusted only from our own renderer file, on every platform', () => {
  const sender = (url: string) => ({ url, isMainFrame: true, fromOurWindow: true });

  const cases: {
    platform: NodeJS.Platform;
    index: string;
    ours: string[];
    others: string[];
  }[] = [
    {
      platform: 'win32',
      index: 'C:\\Program Files\\Artikey\\resources\\app.asar\\dist\\renderer\\index.html',
      ours: [
        'file:///C:/Program%20Files/Artikey/resources/app.asar/dist/renderer/index.html',
        'file:///C:/Program%20Files/Artikey/resources/app.asar/dist/renderer/index.html#/settings',
        'file:///c:/program%20files/artikey/resources/app.asar/dist/renderer/index.html',
      ],
      others: [
        'file:///D:/Program%20Files/Artikey/resources/app.asar/dist/renderer/index.html',
        'file:///C:/Program%20Files/Artikey/resources/app.asar/dist/renderer/other.html',
        'file://evil-host/C$/Program%20Files/Artikey/resources/app.asar/dist/renderer/index.html',
        'file:///C:/Users/me/Downloads/index.html',
        'https://evil.example/C:/Program%20Files/Artikey/resources/app.asar/dist/renderer/index.html',
        // An encoded separator would make a different path look like ours once decoded.
        'file:///C:/Program%20Files/Artikey/resources/app.asar/dist/renderer%5Cindex.html',
        'file:///C:/Program%20Files/Artikey/resources/app.asar/dist/renderer%2Findex.html',
      ],
    },
    {
      platform: 'win32',
      index:
        'C:\\Users\\Zoë Smith\\AppData\\Local\\Programs\\Artikey 100%\\dist\\renderer\\index.html',
      ours: [
        'file:///C:/Users/Zo%C3%AB%20Smith/AppData/Local/Programs/Artikey%20100%25/dist/renderer/index.html',
      ],
      others: [
        'file:///C:/Users/Zo%C3%AB%20Smith/AppData/Local/Programs/Artikey%20100/dist/renderer/index.html',
      ],
    },
    {
      platform: 'win32',
      index: '\\\\fileserver\\apps\\Artikey\\dist\\renderer\\index.html',
      ours: ['file://fileserver/apps/Artikey/dist/renderer/index.html'],
      others: [
        'file://evilserver/apps/Artikey/dist/renderer/index.html',
        'file:///apps/Artikey/dist/renderer/index.html',
      ],
    },
    {
      platform: 'linux',
      index: '/opt/Artikey 2/resources/app.asar/dist/renderer/index.html',
      ours: ['file:///opt/Artikey%202/resources/app.asar/dist/renderer/index.html'],
      others: [
        'file:///opt/Artikey%202/resources/app.asar/dist/renderer/index.html%00',
        'file://evil-host/opt/Artikey%202/resources/app.asar/dist/renderer/index.html',
        'file:///opt/Artikey%202/resources/app.asar/dist/renderer%2Findex.html',
        'file:///opt/artikey%202/resources/app.asar/dist/renderer/index.html',
        'file:///tmp/index.html',
      ],
    },
  ];

  for (const { platform, index, ours, others } of cases)
    it(`${platform}: ${index}`, () => {
      for (const url of ours) expect(isTrustedSender(sender(url), index, platform), url).toBe(true);
      for (const url of others)
        expect(isTrustedSender(sender(url), index, platform), url).toBe(false);
      const [own = ''] = ours;
      expect(isTrustedSender({ ...sender(own), isMainFrame: false }, index, platform)).toBe(false);
      expect(isTrustedSender({ ...sender(own), fromOurWindow: false }, index, platform)).toBe(
        false,
      );
    });
});
