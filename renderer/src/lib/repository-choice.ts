import type { REPOSITORY_TOOLS, RepositoryChoice } from '../../../electron/ipc/contract';
import { call, messageOf, type AppState } from './app.svelte';

export type RepositoryTool = (typeof REPOSITORY_TOOLS)[number];

/** The instance's repositories for a tool; when they cannot be listed, free text with the reason. */
export async function repositoryChoice(
  app: AppState,
  id: string,
  tool: RepositoryTool,
): Promise<RepositoryChoice> {
  try {
    return await call(app.api.tools.repositories(id, tool));
  } catch (error) {
    return {
      listed: false,
      note: `The repositories could not be listed: ${messageOf(error)}`,
      remembered: null,
      use: 'written',
      url: { before: '', after: '' },
    };
  }
}

/**
 * The repository to preselect: the one chosen last, while the server still lists it (or cannot
 * list any), else the first (a virtual one) where the tool needs one; '' for none.
 */
export function preselected(choice: RepositoryChoice, required: boolean): string {
  const listed = choice.listed ? choice.repositories : [];
  const remembered =
    choice.remembered !== null &&
    (!choice.listed || listed.some((r) => r.key === choice.remembered))
      ? choice.remembered
      : undefined;
  return remembered ?? (required ? listed[0]?.key : undefined) ?? '';
}
