/**
 * Argument schemas for IPC: main parses every argument as `unknown` before it reaches the core.
 * Small on purpose (the contract is shared with the page, so no dependencies): strings with a
 * length limit, bounded integers, booleans, enums, exact objects and bounded arrays. An object
 * is rebuilt from its known keys only, so nothing else a page sends gets through.
 */
export class SchemaError extends Error {
  readonly code = 'invalid-argument';
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}

export interface Schema<T> {
  parse(value: unknown, path: string): T;
  /** Only `optional()` sets it: the key may be missing from an object. */
  readonly optional?: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const fail = (path: string, expected: string): never => {
  throw new SchemaError(`${path} must be ${expected}.`);
};

export function string(limits: { min?: number; max: number; pattern?: RegExp }): Schema<string> {
  const min = limits.min ?? 0;
  return {
    parse(value, path) {
      if (typeof value !== 'string') return fail(path, 'text');
      if (value.length < min || value.length > limits.max)
        return fail(path, `${min}–${limits.max} characters long`);
      if (limits.pattern && !limits.pattern.test(value)) return fail(path, 'in the expected form');
      return value;
    },
  };
}

export function integer(min: number, max: number): Schema<number> {
  return {
    parse(value, path) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        return fail(path, `a whole number from ${min} to ${max}`);
      return value;
    },
  };
}

export const boolean: Schema<boolean> = {
  parse: (value, path) => (typeof value === 'boolean' ? value : fail(path, 'true or false')),
};

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  return {
    parse(value, path) {
      const found = values.find((v) => v === value);
      return found ?? fail(path, `one of ${values.join(', ')}`);
    },
  };
}

export function literal<const V extends string | boolean>(expected: V): Schema<V> {
  return {
    parse: (value, path) => (value === expected ? expected : fail(path, JSON.stringify(expected))),
  };
}

export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    parse: (value, path) => (value === undefined ? undefined : schema.parse(value, path)),
  };
}

export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return { parse: (value, path) => (value === null ? null : schema.parse(value, path)) };
}

export function array<T>(item: Schema<T>, max: number): Schema<T[]> {
  return {
    parse(value, path) {
      if (!Array.isArray(value) || value.length > max) return fail(path, `a list of up to ${max}`);
      return value.map((element, index) => item.parse(element, `${path}[${index}]`));
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { optional: true } ? K : never;
}[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Infer<S[K]>;
  }
>;

export function object<const S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return {
    parse(value, path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return fail(path, 'an object');
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return fail(path, 'a plain object');
      const input = value as Record<string, unknown>;
      for (const key of Object.keys(input))
        if (!Object.hasOwn(shape, key)) fail(`${path}.${key}`, 'absent (unknown option)');
      const result: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const parsed = schema.parse(input[key], `${path}.${key}`);
        if (parsed !== undefined) result[key] = parsed;
      }
      return result as ObjectOf<S>;
    },
  };
}
