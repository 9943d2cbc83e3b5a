import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import type { Environment } from '../paths.js';
import type { Tool } from './tool-request.js';

/**
 * The programs whose presence on PATH says a person uses a tool, for `artikey setup`: each reads
 * the file that tool's target writes. A tool without an entry does not compile, so a new tool is
 * one line here. An empty list: no program tells (netrc is read by curl, git, wget and more, and
 * holds a token every one of them sends), so setup never proposes it; it is set up when named.
 */
export const TOOL_PROGRAMS = {
  docker: ['docker'],
  // pnpm reads the same ~/.npmrc.
  npm: ['npm', 'pnpm'],
  maven: ['mvn'],
  pip: ['pip', 'pip3'],
  netrc: [],
  gradle: ['gradle'],
  pypirc: ['twine'],
  poetry: ['poetry'],
  // Buildah and Skopeo read Podman's auth.json too.
  podman: ['podman', 'buildah', 'skopeo'],
  yarn: ['yarn'],
  cargo: ['cargo'],
  helm: ['helm'],
  go: ['go'],
  bun: ['bun'],
  uv: ['uv'],
  // dotnet reads the user NuGet.Config Artikey writes; nuget.exe too (on Mono: see the README).
  nuget: ['dotnet', 'nuget'],
  jfrog: ['jf', 'jfrog'],
  conan: ['conan'],
  // OpenTofu reads ~/.terraformrc when it has no ~/.tofurc.
  terraform: ['terraform', 'tofu'],
  sbt: ['sbt'],
} as const satisfies Record<Tool, readonly string[]>;

/** What Windows runs for a bare name when PATHEXT is not set. */
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/**
 * The first of `names` an executable file on the environment's PATH has, as its full path; null
 * when none. Looked up the way a shell does, without running one: PATH's folders in order (an
 * empty entry, which a shell reads as the current folder, is skipped: where the command happens to
 * run says nothing about what is installed), and on Windows each name with every PATHEXT
 * extension, the variables' names in any case.
 */
export async function findProgram(
  names: readonly string[],
  environment: Environment,
): Promise<string | null> {
  const windows = environment.platform === 'win32';
  const path = windows ? win32 : posix;
  const folders = (variable(environment, 'PATH') ?? '')
    .split(windows ? ';' : ':')
    .filter((f) => f.trim() !== '');
  const extensions = windows
    ? (variable(environment, 'PATHEXT') ?? DEFAULT_PATHEXT).split(';').filter((e) => e !== '')
    : [''];
  for (const folder of folders) {
    for (const name of names) {
      for (const extension of extensions) {
        const candidate = path.join(folder.replace(/^"(.*)"$/, '$1'), `${name}${extension}`);
        if (await isProgram(candidate, windows)) return candidate;
      }
    }
  }
  return null;
}

/** Each tool's program found on PATH, or null. */
export async function installedTools(
  tools: readonly Tool[],
  environment: Environment,
): Promise<Map<Tool, string | null>> {
  const found = new Map<Tool, string | null>();
  for (const tool of tools) found.set(tool, await findProgram(TOOL_PROGRAMS[tool], environment));
  return found;
}

/** Windows spells its variables in any case (`Path`). */
function variable(environment: Environment, name: string): string | undefined {
  if (environment.platform !== 'win32') return environment.env[name];
  const key = Object.keys(environment.env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : environment.env[key];
}

/** A regular file (or a link to one) this user may execute; on Windows the extension is what makes it one. */
async function isProgram(candidate: string, windows: boolean): Promise<boolean> {
  try {
    if (!(await stat(candidate)).isFile()) return false;
    if (!windows) await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
