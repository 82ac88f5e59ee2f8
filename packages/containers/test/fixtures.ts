/** Typed access to the PyTorch 1.13 fixtures these tests use: modules.json and module-api.json. */
import { fixture, type ModulesCase } from "@torchlet/testing";

/** A case of modules.json; each was built right after `manual_seed(index + 1)`. */
export function seedCase(label: string): ModulesCase & { seed: number } {
  const cases = fixture<ModulesCase>("modules");
  const index = cases.findIndex((c) => c.label === label);
  if (index < 0) throw new Error(`modules.json has no case "${label}"`);
  return { ...cases[index], seed: index + 1 };
}

interface ApiCase {
  kind: string;
  case?: string;
  label?: string;
  type?: string;
  message?: string;
  repr?: string;
  steps?: Record<string, [string, string][]>;
  state_dict?: [string, number[]][];
  named_parameters?: [string, number[]][];
}
const api = fixture<ApiCase>("module-api");

/** The repr PyTorch printed in the module-api.json case labelled `label`. */
export function pytorchRepr(label: string): string {
  const found = api.find((c) => c.kind === "repr" && c.label === label);
  if (!found) throw new Error(`module-api.json has no repr "${label}"`);
  return found.repr as string;
}

/** The listing case labelled `label` of module-api.json. */
export function pytorchListing(label: string): ApiCase {
  const found = api.find((c) => c.kind === "listing" && c.label === label);
  if (!found) throw new Error(`module-api.json has no listing "${label}"`);
  return found;
}

/** `fn` must throw PyTorch's error of the case named `name` (module-api.json), type and message. */
export function expectPytorchError(name: string, fn: () => unknown): void {
  const expected = api.find((c) => c.kind === "error" && c.case === name);
  if (!expected) throw new Error(`module-api.json has no error "${name}"`);
  let actual: { type: string; message: string } | null = null;
  try {
    fn();
  } catch (e) {
    const err = e as Error & { pythonType?: string };
    actual = { type: err.pythonType ?? err.name, message: err.message };
  }
  if (actual === null) throw new Error(`case "${name}": expected ${expected.type}, nothing was thrown`);
  if (actual.type !== expected.type || actual.message !== expected.message) {
    throw new Error(
      `case "${name}":\n  expected ${expected.type}: ${JSON.stringify(expected.message)}\n  got      ${actual.type}: ${JSON.stringify(actual.message)}`,
    );
  }
}

/** errors.json's record for `name`: PyTorch's error type and first message line. */
export function errorsJson(name: string): { type: string; error: string } {
  const found = fixture<{ case: string; type: string; error: string }>("errors").find((c) => c.case === name);
  if (!found) throw new Error(`errors.json has no case "${name}"`);
  return found;
}
