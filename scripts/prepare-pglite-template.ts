// Run by `npm install` (postinstall): see src/db/pglite-template.ts. Never fails the install.
import { writePgliteTemplate } from '../src/db/pglite-template.ts';

try {
  const file = await writePgliteTemplate();
  process.stdout.write(`errata: embedded database template ready (${file})\n`);
} catch (error) {
  process.stdout.write(`errata: no embedded database template (${String(error)}); first start will take longer\n`);
}
