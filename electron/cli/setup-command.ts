import type {
  Artikey,
  SetupChoice,
  SetupDetection,
  SetupPlan,
  ToolDetection,
} from '../core/artikey.js';
import type { Environment } from '../core/paths.js';
import type { TargetPreview } from '../core/targets/preview.js';
import { describeTarget, parseTool, type Tool } from '../core/targets/tool-request.js';
import type { CliIo } from './cli-io.js';
import { UsageError } from './failure.js';
import { fromHome } from './home-path.js';
import { ask } from './prompt.js';
import { decideRepository } from './repository-choice.js';

export interface SetupRequest {
  json: boolean;
  /** `--tools a,b,c`, as typed. */
  tools: string | undefined;
  allDetected: boolean;
  /** `--repo tool=key`, each as typed. */
  repos: string[];
  yes: boolean;
  dryRun: boolean;
}

/**
 * `artikey setup <instance>`: which tools are installed and which already reach the instance, the
 * tools to set up (asked as a checklist on a terminal; `--tools` or `--all-detected` in a script),
 * each one's repository from the instance's list (as configure asks it), every file's preview on
 * one screen, one question, and one change: every tool set up, or none.
 */
export async function setupCommand(
  artikey: Artikey,
  reference: string,
  environment: Environment,
  io: CliIo,
  request: SetupRequest,
): Promise<number> {
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const home = (path: string): string => fromHome(path, environment.home);
  const interactive = io.stdin.isTTY === true && !request.json;
  const instance = await artikey.instance(reference);
  const repos = parseRepos(request.repos);
  const detection = await artikey.detectTools(instance.id, environment);
  const json = (plan: SetupPlan | null, applied: unknown): void =>
    out(
      JSON.stringify({
        instance: { id: instance.id, name: instance.name },
        tools: detection.tools,
        plan,
        applied,
      }),
    );

  let tools = chosenTools(request, detection);
  if (!request.json) out(describeDetection(detection, home));
  if (tools === null) {
    if (!interactive) {
      if (request.json) return (json(null, null), 0);
      out(
        `Nothing changed. Choose the tools: artikey setup ${reference} --tools ${proposedOf(detection).join(',') || '<tool>,…'}, or --all-detected.`,
      );
      return 0;
    }
    tools = await askForTools(detection, io);
  }
  if (tools.length === 0) {
    if (request.json) return (json(null, null), 0);
    out(
      proposedOf(detection).length === 0
        ? `Nothing to set up for ${instance.name}.`
        : 'Nothing chosen; nothing changed.',
    );
    return 0;
  }
  for (const tool of repos.keys())
    if (!tools.includes(tool))
      throw new UsageError(
        `--repo names ${tool}, which is not among the tools to set up (${tools.join(', ')})`,
      );

  const choices: SetupChoice[] = [];
  for (const tool of tools) {
    const migrating = detection.tools.find((t) => t.tool === tool)?.status === 'migrate';
    if (migrating) {
      choices.push({ tool, options: {} });
      continue;
    }
    const decision = await decideRepository(
      artikey,
      instance,
      tool,
      { repo: repos.get(tool) },
      io,
      environment,
    );
    choices.push({ tool, options: decision.options });
  }
  const plan = await artikey.prepareSetup(instance.id, choices, environment);
  if (!request.json) out(describePlan(plan, home));
  const files = new Set(plan.items.flatMap((item) => item.previews.map((p) => p.path))).size;
  if (request.dryRun) {
    if (request.json) return (json(plan, null), 0);
    out('Dry run: nothing was changed.');
    return 0;
  }
  let apply = request.yes;
  if (!apply && interactive)
    apply = /^y(es)?$/i.test(
      (
        await ask(
          `Set up ${plural(plan.items.length, 'tool')} (${plural(files, 'file')})? All or none is changed. [y/N] `,
          io.stdin,
          io.stderr,
        )
      ).trim(),
    );
  if (!apply) {
    if (request.json) return (json(plan, null), 0);
    out(`Nothing changed. Run again with --yes to apply.`);
    return 0;
  }
  const outcome = await artikey.applySetup(plan.id);
  if (request.json) return (json(plan, outcome), 0);
  for (const { target, changed, tool } of outcome.written)
    out(
      `${changed ? 'Configured' : 'Already configured'} ${tool}: ${describeTarget({ ...target, path: home(target.path) })}.`,
    );
  for (const { file, backup } of outcome.backups) out(`Saved ${file} as it was before: ${backup}`);
  out(
    `Set up ${plural(plan.items.length, 'tool')} for ${instance.name}; Artikey rewrites every copy of the token on each refresh and removes them on logout.`,
  );
  return 0;
}

/** `--repo npm=npm-virtual`, each tool once. */
function parseRepos(given: string[]): Map<Tool, string> {
  const repos = new Map<Tool, string>();
  for (const entry of given) {
    const match = /^([^=]+)=(.+)$/.exec(entry);
    if (!match)
      throw new UsageError(
        `--repo takes <tool>=<repository>, e.g. --repo npm=npm-virtual; "${entry}" names no tool`,
      );
    const [, name = '', key = ''] = match;
    const tool = parseTool(name.trim());
    if (repos.has(tool))
      throw new UsageError(`--repo names ${tool} more than once; give each tool one repository`);
    repos.set(tool, key.trim());
  }
  return repos;
}

/** The tools the command line names, or null when it names none (a terminal then asks). */
function chosenTools(request: SetupRequest, detection: SetupDetection): Tool[] | null {
  if (request.tools !== undefined && request.allDetected)
    throw new UsageError('--tools and --all-detected choose the tools each; give one of them');
  if (request.allDetected) return proposedOf(detection);
  if (request.tools === undefined) return null;
  const named = request.tools
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (named.length === 0)
    throw new UsageError('--tools needs at least one tool, e.g. --tools npm,maven');
  return [...new Set(named.map(parseTool))];
}

const proposedOf = (detection: SetupDetection): Tool[] =>
  detection.tools.filter((t) => t.proposed).map((t) => t.tool);

const STATUS: Record<ToolDetection['status'], string> = {
  configured: 'configured already',
  migrate: 'plain-text credentials found: setup replaces them',
  installed: 'installed',
  'not-installed': 'not found on PATH',
};

function describeDetection(detection: SetupDetection, home: (path: string) => string): string {
  const width = Math.max(...detection.tools.map((t) => t.tool.length));
  const lines = detection.tools.map((t) => {
    const mark = t.proposed ? '*' : ' ';
    const where =
      t.status === 'configured'
        ? ` (${[...new Set(t.configured.map((c) => home(c.path)))].join(', ')})`
        : t.status === 'migrate'
          ? ` (${[...new Set(t.found.map((c) => `${c.location} in ${home(c.file)}`))].join(', ')})`
          : t.program !== null
            ? ` (${t.program})`
            : '';
    const not = t.unsuitable === null ? '' : `; not for ${detection.instanceName}: ${t.unsuitable}`;
    return `  ${mark} ${t.tool.padEnd(width)}  ${STATUS[t.status]}${where}${not}`;
  });
  return [`Tools for ${detection.instanceName} (* proposed):`, ...lines].join('\n');
}

/** A checklist on the terminal: the proposed tools ticked; numbers tick or untick; Enter goes on. */
async function askForTools(detection: SetupDetection, io: CliIo): Promise<Tool[]> {
  const ticked = new Set(proposedOf(detection));
  const all = detection.tools.map((t) => t.tool);
  for (;;) {
    io.stderr.write(
      `${all.map((tool, i) => `  ${String(i + 1).padStart(2)}) [${ticked.has(tool) ? 'x' : ' '}] ${tool}`).join('\n')}\n`,
    );
    const answer = (
      await ask('Tick or untick by number (e.g. 2 5), Enter to go on: ', io.stdin, io.stderr)
    ).trim();
    if (answer === '') return all.filter((t) => ticked.has(t));
    for (const word of answer.split(/[\s,]+/)) {
      const tool = all[Number(word) - 1];
      if (!/^\d+$/.test(word) || tool === undefined) {
        io.stderr.write(`"${word}" is not a number from 1 to ${all.length}.\n`);
        continue;
      }
      if (ticked.has(tool)) ticked.delete(tool);
      else ticked.add(tool);
    }
  }
}

/** Every file's changes on one screen; the token shows as <token>, other secrets as <secret>. */
function describePlan(plan: SetupPlan, home: (path: string) => string): string {
  const lines = [`Changes for ${plan.instanceName}:`];
  for (const item of plan.items) {
    lines.push(
      '',
      `${item.tool}: ${item.action === 'migrate' ? 'replace the plain-text credentials with' : 'configure'} ${item.entries.map((e) => e.replace(/ in (\/\S+)$/, (_, p: string) => ` in ${home(p)}`)).join('; ')}`,
    );
    for (const credential of item.replaces)
      lines.push(
        `  replaces the ${credential.kind} at ${credential.location} in ${home(credential.file)} (the file is backed up first)`,
      );
    for (const preview of item.previews) lines.push(...describePreview(preview, home));
  }
  return lines.join('\n');
}

function describePreview(preview: TargetPreview, home: (path: string) => string): string[] {
  const file = home(preview.path);
  if (preview.changes.length === 0) return [`  ${file}: no change (it says this already)`];
  const lines = [`  ${file}${preview.fileExists ? '' : ' (new file)'}:`];
  for (const change of preview.changes) {
    if (change.before !== null) lines.push(`    - ${change.before}`);
    if (change.after !== null) lines.push(`    + ${change.after}`);
  }
  return lines;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
