// Injected into the Docker helper's CommonJS bundles (build.mjs): import.meta.url for the code
// written as ES modules. __filename is that of the bundle.
import { pathToFileURL } from 'node:url';

export const importMetaUrl = pathToFileURL(__filename).href;
