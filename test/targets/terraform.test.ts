import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terraform } from '../../electron/core/targets/kinds/terraform.js';
import type { TerraformSpec } from '../../electron/core/targets/kinds/terraform-spec.js';
import { readHcl } from '../../electron/core/targets/hcl-file.js';
import { findInTerraformFile } from '../../electron/core/scan/terraform.js';
import { repositoryUsage } from '../../electron/core/repositories.js';
import { targetSpec } from '../../electron/core/targets/tool-request.js';
import { writeTarget } from '../../electron/core/targets/targets.js';

const spec: TerraformSpec = {
  kind: 'terraform',
  path: '/home/ada/.terraformrc',
  host: 'acme.jfrog.io',
};
const credentials = { username: 'ada', token: 'eyJ2ZXIiOiIyIn0.e30.c2ln' };

/** Configure, then remove, as a target drives the two: the first write notes what it replaced. */
function writeThenRemove(
  before: string | null,
  target: TerraformSpec = spec,
): { written: string; removed: string } {
  const restore: Record<string, string> = {};
  const written = terraform.writer(target, credentials, restore, false)(before);
  const record = { ...target, restore, createdFile: before === null, writtenAt: null, error: null };
  return { written, removed: terraform.remover(record)(written) };
}

/** What the real Terraform makes of the file: `terraform version` reports a CLI configuration it cannot read. */
function terraformReads(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'terraformrc-'));
  try {
    writeFileSync(join(dir, 'rc'), text);
    mkdirSync(join(dir, '.terraform.d', 'plugin-cache'), { recursive: true });
    const run = spawnSync('terraform', ['version'], {
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'],
        HOME: dir,
        TF_CLI_CONFIG_FILE: join(dir, 'rc'),
        CHECKPOINT_DISABLE: '1',
      },
    });
    expect(run.error, 'terraform is not installed (/usr/local/bin/terraform)').toBeUndefined();
    return run.stdout + run.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PERSONS_FILE = [
  '# my Terraform settings',
  'plugin_cache_dir = "$HOME/.terraform.d/plugin-cache" // cached',
  '/* a block comment with credentials "acme.jfrog.io" { token = "not-real" } in it */',
  'provider_installation {',
  '  network_mirror {',
  '    url = "https://mirror.example/providers/"',
  '    include = ["registry.terraform.io/*/*"]',
  '  }',
  '  direct {',
  '    exclude = [',
  '      "registry.terraform.io/hashicorp/*", # a comment in a list',
  '    ]',
  '  }',
  '}',
  'host "example.com" {',
  '  services = {',
  '    "modules.v1" = "https://example.com/modules/${"v1"}/",',
  '  }',
  '}',
  'disable_checkpoint_signature = true',
  'note = <<-EOT',
  '  credentials "acme.jfrog.io" {',
  '  }',
  '  EOT',
  '',
].join('\n');

describe('terraform: a credentials block in the CLI configuration', () => {
  it('is for the instance host, with its port when not the default, in TF_CLI_CONFIG_FILE, ~/.terraformrc or %APPDATA%\\terraform.rc', () => {
    const home = '/home/ada';
    const linux = { platform: 'linux' as const, env: {}, home };
    expect(targetSpec('terraform', { platformUrl: 'https://acme.jfrog.io/' }, {}, linux)).toEqual({
      kind: 'terraform',
      path: '/home/ada/.terraformrc',
      host: 'acme.jfrog.io',
    });
    expect(
      targetSpec(
        'terraform',
        { platformUrl: 'https://art.corp:8443/' },
        {},
        { ...linux, env: { TF_CLI_CONFIG_FILE: '/etc/tf.rc' } },
      ),
    ).toEqual({ kind: 'terraform', path: '/etc/tf.rc', host: 'art.corp:8443' });
    expect(
      terraform.defaultPath({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        home: 'C:\\Users\\ada',
      }),
    ).toMatch(/terraform\.rc$/);
  });

  it('writes a new file Terraform reads, and takes it out again', () => {
    const { written, removed } = writeThenRemove(null);
    expect(written).toBe(`credentials "acme.jfrog.io" {\n  token = "${credentials.token}"\n}\n`);
    expect(terraformReads(written)).not.toMatch(/problems with the CLI configuration/);
    expect(removed).toBe('');
  });

  it("appends to the person's file and gives back every byte: comments, nested blocks, templates, heredocs", () => {
    const { written, removed } = writeThenRemove(PERSONS_FILE);
    expect(written).toBe(
      `${PERSONS_FILE}credentials "acme.jfrog.io" {\n  token = "${credentials.token}"\n}\n`,
    );
    expect(terraformReads(written)).not.toMatch(/problems with the CLI configuration/);
    expect(removed).toBe(PERSONS_FILE);
  });

  it('keeps a file without a final line break without one, and CRLF files in CRLF', () => {
    const bare = 'disable_checkpoint = true';
    const { written, removed } = writeThenRemove(bare);
    expect(written).toBe(
      `${bare}\ncredentials "acme.jfrog.io" {\n  token = "${credentials.token}"\n}`,
    );
    expect(removed).toBe(bare);
    const crlf = 'disable_checkpoint = true\r\n';
    const both = writeThenRemove(crlf);
    expect(both.written).toBe(
      `${crlf}credentials "acme.jfrog.io" {\r\n  token = "${credentials.token}"\r\n}\r\n`,
    );
    expect(both.removed).toBe(crlf);
  });

  it("replaces the token in the person's own block for the host (any case), and removal leaves the block without it", () => {
    const before =
      '# work\ncredentials "ACME.jfrog.io" {\n  # from terraform login, 2024\n  token = "old-token" // rotate\n}\n';
    const { written, removed } = writeThenRemove(before);
    expect(written).toBe(before.replace('"old-token"', `"${credentials.token}"`));
    // The old token is a secret, which Artikey never keeps to put back.
    expect(removed).toBe(
      '# work\ncredentials "ACME.jfrog.io" {\n  # from terraform login, 2024\n}\n',
    );
    expect(terraformReads(removed)).not.toMatch(/problems with the CLI configuration/);
    const oneLine = 'credentials "acme.jfrog.io" { token = "old-token" }\n';
    const single = writeThenRemove(oneLine);
    expect(single.written).toBe(`credentials "acme.jfrog.io" { token = "${credentials.token}" }\n`);
    expect(single.removed).toBe('');
  });

  it('adds a token line to a block of the host that has none, and takes only that line out', () => {
    const before = 'credentials "acme.jfrog.io" {\n    # filled in later\n}\n';
    const { written, removed } = writeThenRemove(before);
    expect(written).toBe(
      `credentials "acme.jfrog.io" {\n    # filled in later\n  token = "${credentials.token}"\n}\n`,
    );
    expect(removed).toBe(before);
  });

  it('a rewrite on refresh changes only the token', () => {
    const first = writeThenRemove(PERSONS_FILE).written;
    const again = terraform.writer(
      spec,
      { ...credentials, token: 'eyJuZXci.e30.bmV3' },
      null,
      false,
    )(first);
    expect(again).toBe(first.replace(credentials.token, 'eyJuZXci.e30.bmV3'));
  });

  it.each([
    ['an unterminated string', 'plugin_cache_dir = "/tmp\n', /line 1, column 20/],
    [
      'a heredoc that never ends',
      'x = <<EOT\nabc\n',
      /heredoc whose closing EOT \(on a line of its own, then a line break\) never comes at line 1, column 5/,
    ],
    [
      'an unclosed block',
      'provider_installation {\n  direct {}\n',
      /closing \} at line 3, column 1/,
    ],
    ['an unclosed comment', '/* a\n', /never ends at line 1, column 1/],
    [
      'a stray character',
      'x = 1\n@\n',
      /"@" where a setting or block should start at line 2, column 1/,
    ],
    ['a bad escape', 'x = "\\q"\n', /unknown escape \\q at line 1, column 6/],
  ])('refuses %s with its line and column, changing nothing', (_what, text, place) => {
    expect(() => terraform.writer(spec, credentials, {}, false)(text)).toThrow(place);
  });

  it('refuses two blocks for the host and a token that is not a plain string', () => {
    const two = 'credentials "acme.jfrog.io" {\n}\ncredentials "acme.jfrog.io" {\n}\n';
    expect(() => terraform.writer(spec, credentials, {}, false)(two)).toThrow(
      /2 credentials blocks for acme.jfrog.io \(lines 1, 3\)/,
    );
    const template = 'credentials "acme.jfrog.io" {\n  token = "${var.x}"\n}\n';
    expect(() => terraform.writer(spec, credentials, {}, false)(template)).toThrow(
      /not a plain quoted string/,
    );
  });

  it('reads nested blocks, labels and one-line blocks as HCL does', () => {
    const items = readHcl('a "b" c { d = 1 }\ne = [\n  1,\n]\n', 'f');
    expect(
      items.map((i) => (i.kind === 'block' ? [i.type, i.labels, i.items.length] : [i.name])),
    ).toEqual([['a', ['b', 'c'], 1], ['e']]);
  });

  it("tells people how a module names a repository: Artifactory's <repo>__<namespace> source", () => {
    expect(repositoryUsage(spec, 'terraform-virtual')).toEqual({
      line: 'source = "acme.jfrog.io/terraform-virtual__<namespace>/<name>/<provider>"',
      snippets: [
        {
          file: 'main.tf',
          text: 'module "<name>" {\n  source = "acme.jfrog.io/terraform-virtual__<namespace>/<name>/<provider>"\n  version = "<version>"\n}',
        },
      ],
    });
  });
});

describe('terraform: cases found by fuzzing (test/fuzz/hcl.suite.ts)', () => {
  // HCL v1 decodes a repeated attribute as its last: Terraform kept reading the second, empty
  // token while Artikey wrote its token into the first.
  it('refuses a block with two token settings, naming their lines', () => {
    expect(() =>
      writeThenRemove('credentials "acme.jfrog.io" {\n  token = "a"\n  token = ""\n}\n'),
    ).toThrow(
      expect.objectContaining({
        code: 'tool-file-conflict',
        message: expect.stringContaining('lines 2, 3'),
      }),
    );
  });

  // Terraform compares hosts as svchost does: acme.jfrog.io:443 is acme.jfrog.io. Artikey added a
  // second block, and which of the two Terraform used was up to Go's map order.
  it('takes a block naming the default port as the host', () => {
    const before = 'credentials "ACME.jfrog.io:443" {\n  token = "old"\n}\n';
    const { written, removed } = writeThenRemove(before);
    expect(written).toBe(
      `credentials "ACME.jfrog.io:443" {\n  token = "${credentials.token}"\n}\n`,
    );
    expect(removed).toBe('credentials "ACME.jfrog.io:443" {\n}\n');
    expect(terraformReads(written)).not.toContain('problems with the CLI configuration');
  });

  // HCL v1 takes a quoted block type as the block type: Artikey refused such a file as not HCL.
  it('reads a quoted block type as HCL does', () => {
    const before = '"credentials" "acme.jfrog.io" {\n  token = "old"\n}\n';
    expect(writeThenRemove(before).written).toBe(
      `"credentials" "acme.jfrog.io" {\n  token = "${credentials.token}"\n}\n`,
    );
  });

  // HCL v1 also reads credentials written as an object (credentials = { "<host>" = {...} }) or
  // nested without a label; Artikey added its own block beside it, and Terraform kept reading the
  // person's old token.
  it.each([
    'credentials = { "acme.jfrog.io" = { token = "old" } }\n',
    'credentials {\n  "acme.jfrog.io" {\n    token = "old"\n  }\n}\n',
  ])('refuses credentials HCL reads in a form Artikey does not edit: %j', (before) => {
    expect(() => writeThenRemove(before)).toThrow(
      expect.objectContaining({
        code: 'tool-file-conflict',
        message: expect.stringContaining('line 1'),
      }),
    );
  });

  // The scan reported "acme.jfrog.io:443" as a host of no instance, so migrate left the token.
  it('migrates a block naming the default port as the instance host', () => {
    const text = 'credentials "ACME.jfrog.io:443" {\n  token = "old"\n}\n';
    const context = {
      tool: 'terraform' as const,
      file: spec.path,
      instances: [
        { id: 'acme', platformUrl: 'https://acme.jfrog.io/', registryHost: 'acme.jfrog.io' },
      ],
    };
    const [found] = findInTerraformFile(context, text).found;
    expect(found).toMatchObject({ host: 'acme.jfrog.io', instanceId: 'acme' });
    expect(terraform.adopt!(found!, { platformUrl: 'https://acme.jfrog.io/' })).toEqual({
      target: { kind: 'terraform', path: spec.path, host: 'ACME.jfrog.io' },
      cleanup: null,
    });
  });

  // HCL v1 names hold dots (its scanner's identifiers: letters, digits, "_", "-", "."), so a
  // setting a.b = 1 or a label written bare (credentials acme.jfrog.io { … }) is HCL Terraform
  // reads; Artikey refused the whole file.
  it('reads dotted names and bare dotted labels as HCL v1 does', () => {
    const before = 'a.b-c = 1\ncredentials acme.jfrog.io {\n  token = "old"\n}\n';
    expect(writeThenRemove(before).written).toBe(
      `a.b-c = 1\ncredentials acme.jfrog.io {\n  token = "${credentials.token}"\n}\n`,
    );
  });

  // HCL v1 takes a heredoc's closing marker only with its line break. Removing the person's
  // one-line block from the end of a file without a final line break took the break before it,
  // so the heredoc above never closed and Terraform refused the whole file.
  it("keeps a heredoc's line break when the block after it goes at the end of the file", () => {
    const before = 'note = <<EOF\nEOF\ncredentials "acme.jfrog.io" { token = "old" }';
    const { removed } = writeThenRemove(before);
    expect(removed).toBe('note = <<EOF\nEOF\n');
    expect(terraformReads(removed)).not.toMatch(/problems with the CLI configuration/);
    // Any other last line still loses the break, as the file had none.
    expect(writeThenRemove('a = 1\ncredentials "acme.jfrog.io" { token = "old" }').removed).toBe(
      'a = 1',
    );
  });

  // Artikey's scanner was looser than HCL v1's (hcl/scanner/scanner.go, scanHeredoc), so it
  // edited files Terraform refuses: each of these is "heredoc not terminated" or "invalid
  // characters in heredoc anchor" to Terraform.
  it.each([
    ['a closing marker that ends the file', 'note = <<EOF\nEOF'],
    ['a closing marker followed by spaces', 'note = <<EOF\nEOF \n'],
    ['an unindented closing marker of <<-', 'note = <<-EOF\n  x\nEOF\n'],
    ['the same in CRLF, which HCL reads as LF', 'note = <<-EOF\r\n  x\r\nEOF\r\n'],
    ['a marker with a dot', 'note = <<E.F\nE.F\n'],
  ])('refuses %s, as Terraform does', (_what, before) => {
    expect(() => writeThenRemove(before)).toThrow(
      expect.objectContaining({
        code: 'tool-file-invalid',
        message: expect.stringMatching(/line 1, column \d+/),
      }),
    );
    expect(terraformReads(before)).toMatch(/problems with the CLI configuration|heredoc/);
  });

  // HCL v1 refuses a file that starts with a byte-order mark ("illegal char" at 1:1); Artikey took
  // the mark off, edited the file and put it back, so Terraform still could not read it.
  it('refuses a file with a byte-order mark, as Terraform does, saying how to mend it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'terraformrc-bom-'));
    try {
      const path = join(dir, '.terraformrc');
      const before = '\uFEFFdisable_checkpoint = true\n';
      writeFileSync(path, before);
      await expect(writeTarget({ ...spec, path }, credentials)).rejects.toThrow(
        /byte-order mark, which Terraform cannot read .* at line 1, column 1/,
      );
      expect(readFileSync(path, 'utf8')).toBe(before);
      expect(terraformReads(before)).toMatch(/problems with the CLI configuration|illegal char/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads heredocs HCL v1 reads: an indented closing marker, digits, any script', () => {
    for (const before of [
      'note = <<EOF\n  EOF\n',
      'note = <<-EOF\n x\n EOF\n',
      'note = <<1\n1\n',
      'note = <<É\nÉ\n',
    ])
      expect(writeThenRemove(before).removed).toBe(before);
  });
});
