/**
 * `pnpm example <name> [options]`: runs one of the example programs. With no name, lists them.
 */
import { main as deepNetwork } from "./deep-network/main.ts";
import { main as mnist } from "./mnist/main.ts";

const EXAMPLES: Record<string, { about: string; run: (args: readonly string[]) => Promise<void> }> = {
  mnist: { about: "train the tutorial's network (784-100-100-10) on MNIST and report the test accuracy", run: mnist },
  "deep-network": { about: "the tutorial's 50-layer experiment: vanishing and exploding signals under four initialisations", run: deepNetwork },
};

const [name, ...args] = process.argv.slice(2);
const example = name === undefined ? undefined : EXAMPLES[name];
if (!example) {
  if (name !== undefined) console.error(`no example named "${name}"`);
  console.error("usage: pnpm example <name> [options]\n\nexamples:");
  for (const [key, { about }] of Object.entries(EXAMPLES)) console.error(`  ${key.padEnd(14)} ${about}`);
  process.exit(name === undefined ? 0 : 2);
}
example.run(args).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
