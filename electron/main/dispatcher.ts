import { errorCode } from '../core/errors.js';
import { redact, type Logger } from '../core/logger.js';
import { isMethodName, parseArgs, type Result } from '../ipc/contract.js';
import type { Handlers } from './api.js';

export type Dispatch = (method: string, args: unknown[]) => Promise<Result<unknown>>;

/**
 * The transport-free heart of IPC: a method name and raw arguments in, a coded result out.
 * Arguments are parsed against the contract before any handler sees them; only our own coded
 * errors keep their message (written for people), anything else is logged as the bug it is.
 */
export function createDispatcher(handlers: Handlers, logger: Logger): Dispatch {
  return async (method, args) => {
    if (!isMethodName(method))
      return { ok: false, code: 'unknown-method', message: `There is no method ${method}.` };
    try {
      const parsed = parseArgs(method, args);
      const run = handlers[method] as (...a: unknown[]) => Promise<unknown>;
      return { ok: true, value: await run(...(parsed as unknown[])) };
    } catch (error) {
      const code = errorCode(error);
      const text = error instanceof Error ? error.message : String(error);
      if (code === 'internal') {
        logger.error(`${method} failed unexpectedly: ${redact(text)}`);
        return {
          ok: false,
          code,
          message:
            'Something went wrong inside Artikey; the details are in its log (logs/artikey.log in the configuration folder).',
        };
      }
      return { ok: false, code, message: redact(text) };
    }
  };
}
