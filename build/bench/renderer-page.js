// Runs inside the benchmark's Chromium page (plain JavaScript: the page has no module loader).
// `__benchStandIn(count)` installs `window.artikey` over `count` made-up instances before the
// renderer loads, and records when the list is delivered and when its rows are laid out.
/* global window, document, performance, MutationObserver, MessageChannel, setTimeout, requestAnimationFrame */
window.__benchStandIn = (count) => {
  const now = Math.floor(Date.now() / 1000);
  const statuses = [
    'active',
    'active',
    'active',
    'expiring',
    'expired',
    'refresh-failing',
    'revoked',
    'not-revocable',
  ];
  const kinds = ['docker-helper', 'npm', 'maven', 'pip', 'gradle'];
  // Expired tokens count their seconds, so the countdown visibly ticks in the first rows.
  const expiry = (i, status) =>
    status === 'expired'
      ? now - 65 - (i % 240)
      : status === 'revoked'
        ? now + 30 + (i % 500)
        : now + 60 * ((i * 7) % 900) + 30;
  const instances = Array.from({ length: count }, (_, i) => {
    const status = statuses[i % statuses.length];
    return {
      id: `team-${i}.jfrog.io`,
      name: `team-${String(i).padStart(4, '0')} ${i % 3 === 0 ? 'prod' : 'dev'}`,
      platformUrl: `https://team-${i}.jfrog.io/`,
      username: `user${i % 37}`,
      loginMethod: 'browser',
      status,
      token: {
        kind: 'access-token',
        tokenId: `id-${i}`,
        subject: `jfac@01/users/user${i % 37}`,
        scopes: ['applied-permissions/user'],
        audience: ['*@*'],
        issuer: 'jfac@01',
        issuedAt: now - 600,
        expiresAt: expiry(i, status),
        refreshable: true,
        revocable: true,
        signature: 'verified',
      },
      expiresInSeconds: expiry(i, status) - now,
      revocation: { status: 'active', checkedAt: now - 60 },
      refreshError: null,
      tokenLifetimeSeconds: 43_200,
      tools: kinds.slice(0, i % (kinds.length + 1)).map((kind) => ({
        kind,
        path: `/home/u/.${kind}`,
        description: kind,
        holdsToken: kind !== 'docker-helper',
        writtenAt: now,
        error: null,
      })),
      clockOffsetSeconds: 0,
      nextRefreshAt: now + 60 * ((i * 5) % 600),
    };
  });
  const ok = (value) => Promise.resolve({ ok: true, value });
  const bench = (window.__bench = {});
  const info = {
    name: 'Artikey',
    version: 'bench',
    platform: 'linux',
    packaged: false,
    keychain: 'memory',
  };
  const areas = {
    app: { info: () => ok(info) },
    instances: {
      // Like IPC, the answer comes in a later task: here after the next frame, so the window's
      // frame is already drawn and the first render is the list's own cost, from its arrival
      // to its rows laid out.
      list: () =>
        new Promise((resolve) =>
          requestAnimationFrame(() =>
            setTimeout(() => {
              bench.listDelivered = performance.now();
              resolve({ ok: true, value: instances });
            }, 0),
          ),
        ),
    },
    notices: { list: () => ok([]) },
  };
  const anything = new Proxy({}, { get: () => () => ok(null) });
  window.artikey = new Proxy(
    { ...areas, on: () => () => undefined },
    { get: (target, key) => target[key] ?? anything },
  );
  new MutationObserver((_, observer) => {
    const counted = document.querySelector('.count')?.textContent?.includes(String(count));
    if (!counted || !document.querySelector('[data-instance]')) return;
    bench.rowsInserted = performance.now();
    void document.body.offsetHeight; // style and layout are part of the render
    bench.rowsLaidOut = performance.now();
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
};

/**
 * Times real keystrokes in the filter box. `work`: from the input event to the filtered rows laid
 * out — the page's own cost of a keystroke (its handlers, Svelte's update, style and layout).
 * `latency`: from the key event's timestamp, so it adds the browser's input delivery. Both end
 * in a message task, which runs right after the microtasks where Svelte updates the DOM without
 * waiting for a frame.
 */
window.__benchWatchKeystrokes = () => {
  const input = document.querySelector('#filter');
  const samples = (window.__keystrokes = { work: [], latency: [] });
  let pressed = 0;
  input.addEventListener('keydown', (event) => (pressed = event.timeStamp), { capture: true });
  input.addEventListener(
    'input',
    () => {
      const started = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        void document.body.offsetHeight;
        const done = performance.now();
        samples.work.push(done - started);
        samples.latency.push(done - pressed);
      };
      channel.port2.postMessage(0);
    },
    { capture: true },
  );
  input.focus();
};

/** What the countdown touches over a few ticks: text may change; no row may be drawn again. */
window.__benchTicks = async (seconds) => {
  const counts = { rowsAdded: 0, rowsRemoved: 0, textUpdates: 0, seconds };
  const isRow = (node) => node.getAttribute?.('role') === 'row';
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') counts.textUpdates += 1;
      for (const n of r.addedNodes) if (isRow(n)) counts.rowsAdded += 1;
      for (const n of r.removedNodes) if (isRow(n)) counts.rowsRemoved += 1;
    }
  });
  observer.observe(document.querySelector('.viewport'), {
    subtree: true,
    childList: true,
    characterData: true,
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  observer.disconnect();
  return counts;
};
