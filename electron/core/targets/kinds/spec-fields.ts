// Apart from definition.ts, which names TargetSpec: the spec modules that make up TargetSpec
// import only this, so target-record.ts and the kinds' specs form no import cycle.

/**
 * Checks a kind's own fields of a record read back from the state file (the shared ones are
 * checked already): field by field, never trusted. Exported by each kind module beside its
 * definition and listed apart in target-kinds.ts: the Docker helper reads the state file on every
 * pull, and this must not load the writers with it.
 */
export type SpecFieldsCheck = (value: Record<string, unknown>) => boolean;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const isString = (value: unknown): value is string => typeof value === 'string';
