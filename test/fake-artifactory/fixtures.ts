import { createHash } from 'node:crypto';
import { crc32, gzipSync } from 'node:zlib';

/** Artefacts the fake serves, built in memory once: small, but real enough for real clients. */
export interface Fixtures {
  docker: { manifest: Buffer; manifestDigest: string; config: Buffer; configDigest: string };
  npm: { tarball: Buffer; shasum: string; integrity: string };
  maven: { pom: Buffer };
  pypi: { wheel: Buffer; wheelName: string; sha256: string };
  /** Module `example.com/artikey/demo` v1.0.0 in the module zip layout (`go help goproxy`). */
  go: { module: string; version: string; mod: Buffer; zip: Buffer };
  /** Crate `artikey-demo` 1.0.0: its `.crate` (a gzipped tar) and the sha256 the index lists. */
  cargo: { name: string; version: string; crate: Buffer; sha256: string };
  /** Chart `artikey-demo` 1.0.0, packaged as `helm package` does. */
  helm: { name: string; version: string; chart: Buffer; sha256: string };
  /** Package `Artikey.Demo` 1.0.0: a `.nupkg` (a zip holding the `.nuspec`). */
  nuget: { id: string; version: string; nupkg: Buffer };
  /** Terraform module `artikey/demo/generic` 1.0.0: a zip of its `.tf` files, as Artifactory stores modules. */
  terraform: { namespace: string; name: string; provider: string; version: string; zip: Buffer };
}

const sha = (algorithm: string, data: Buffer, encoding: 'hex' | 'base64' = 'hex'): string => createHash(algorithm).update(data).digest(encoding);

let cached: Fixtures | undefined;

export function fixtures(): Fixtures {
  return (cached ??= build());
}

function build(): Fixtures {
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello'] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] }),
  );
  const configDigest = `sha256:${sha('sha256', config)}`;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
      layers: [],
    }),
  );
  const packageJson = Buffer.from(JSON.stringify({ name: 'artikey-demo', version: '1.0.0', description: 'A package only the fake Artifactory serves', main: 'index.js', license: 'MIT' }, null, 2));
  const tarball = gzipSync(tar([{ name: 'package/package.json', data: packageJson }, { name: 'package/index.js', data: Buffer.from("module.exports = 'artikey';\n") }]));
  const pom = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>fake-parent</artifactId>\n  <version>1.0</version>\n  <packaging>pom</packaging>\n</project>\n',
  );
  const wheelName = 'fakepkg-1.0-py3-none-any.whl';
  const wheel = wheelZip();
  return {
    docker: { manifest, manifestDigest: `sha256:${sha('sha256', manifest)}`, config, configDigest },
    npm: { tarball, shasum: sha('sha1', tarball), integrity: `sha512-${sha('sha512', tarball, 'base64')}` },
    maven: { pom },
    pypi: { wheel, wheelName, sha256: sha('sha256', wheel) },
    go: goModule(),
    cargo: cargoCrate(),
    helm: helmChart(),
    nuget: nugetPackage(),
    terraform: {
      namespace: 'artikey',
      name: 'demo',
      provider: 'generic',
      version: '1.0.0',
      zip: zip([{ name: 'main.tf', data: Buffer.from('output "name" {\n  value = "artikey"\n}\n') }]),
    },
  };
}

function goModule(): Fixtures['go'] {
  const module = 'example.com/artikey/demo';
  const version = 'v1.0.0';
  const mod = Buffer.from(`module ${module}\n\ngo 1.19\n`);
  // Every file sits under `<module>@<version>/`: the zip layout `go mod download` verifies.
  const zipped = zip([
    { name: `${module}@${version}/go.mod`, data: mod },
    { name: `${module}@${version}/demo.go`, data: Buffer.from('package demo\n\n// Name is what the fake serves.\nconst Name = "artikey"\n') },
  ]);
  return { module, version, mod, zip: zipped };
}

function cargoCrate(): Fixtures['cargo'] {
  const name = 'artikey-demo';
  const version = '1.0.0';
  const root = `${name}-${version}`;
  const crate = gzipSync(
    tar([
      { name: `${root}/Cargo.toml`, data: Buffer.from(`[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n`) },
      { name: `${root}/src/lib.rs`, data: Buffer.from('pub const NAME: &str = "artikey";\n') },
    ]),
  );
  return { name, version, crate, sha256: sha('sha256', crate) };
}

function helmChart(): Fixtures['helm'] {
  const name = 'artikey-demo';
  const version = '1.0.0';
  const chart = gzipSync(
    tar([{ name: `${name}/Chart.yaml`, data: Buffer.from(`apiVersion: v2\nname: ${name}\nversion: ${version}\ntype: application\n`) }]),
  );
  return { name, version, chart, sha256: sha('sha256', chart) };
}

function nugetPackage(): Fixtures['nuget'] {
  const id = 'Artikey.Demo';
  const version = '1.0.0';
  const nuspec = Buffer.from(
    '<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">\n' +
      `  <metadata>\n    <id>${id}</id>\n    <version>${version}</version>\n    <authors>artikey</authors>\n` +
      '    <description>A package only the fake Artifactory serves</description>\n  </metadata>\n</package>\n',
  );
  // The Open Packaging Conventions parts a .nupkg needs besides the .nuspec: NuGet 2.x opens it
  // with System.IO.Packaging and finds the manifest through the package relationship.
  const contentTypes = Buffer.from(
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />' +
      '<Default Extension="nuspec" ContentType="application/octet" /></Types>',
  );
  const relationships = Buffer.from(
    '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${id}.nuspec" Id="R1" /></Relationships>`,
  );
  const nupkg = zip([
    { name: '_rels/.rels', data: relationships },
    { name: `${id}.nuspec`, data: nuspec },
    { name: '[Content_Types].xml', data: contentTypes },
  ]);
  return { id, version, nupkg };
}

/** A ustar archive of regular files. */
function tar(files: { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const header = Buffer.alloc(512);
    header.write(file.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${file.data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(`${Math.floor(Date.UTC(2026, 0, 1) / 1000).toString(8).padStart(11, '0')}\0`, 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, file.data, Buffer.alloc((512 - (file.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function wheelZip(): Buffer {
  const files: [string, string][] = [
    ['fakepkg/__init__.py', "__version__ = '1.0'\n"],
    ['fakepkg-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.0\n'],
    ['fakepkg-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\nGenerator: artikey-fake\nRoot-Is-Purelib: true\nTag: py3-none-any\n'],
  ];
  const record = files.map(([name, text]) => `${name},sha256=${sha('sha256', Buffer.from(text), 'base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')},${Buffer.byteLength(text)}`).join('\n');
  files.push(['fakepkg-1.0.dist-info/RECORD', `${record}\nfakepkg-1.0.dist-info/RECORD,,\n`]);
  return zip(files.map(([name, text]) => ({ name, data: Buffer.from(text) })));
}

/** A zip archive with stored (uncompressed) entries. */
function zip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(file.data.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    centrals.push(central, name);
    offset += local.length + name.length + file.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
