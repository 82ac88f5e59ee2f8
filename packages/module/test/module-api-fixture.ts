/** Typed access to module-api.json (written by module-api.py with PyTorch 1.13). */
import { fixture } from "@torchlet/testing";

export interface ErrorCase {
  kind: "error";
  case: string;
  type: string;
  message: string;
}
export interface ReprCase {
  kind: "repr";
  label: string;
  repr: string;
}
export interface ListingCase {
  kind: "listing";
  label: string;
  named_parameters?: [string, number[]][];
  named_buffers?: [string, number[]][];
  state_dict?: [string, number[]][];
  named_children?: [string, string][];
  named_modules?: [string, string][];
  named_modules_with_duplicates?: [string, string][];
  named_parameters_prefixed?: [string, number[]][];
  named_parameters_not_recursive?: [string, number[]][];
  steps?: Record<string, [string, string][]>;
}
export interface HooksCase {
  kind: "hooks";
  log: string[];
  first: number;
  second: number;
}
type Case = ErrorCase | ReprCase | ListingCase | HooksCase;

const cases = fixture<Case>("module-api");

/** The error PyTorch raised in the case named `name`. */
export function pytorchError(name: string): ErrorCase {
  const found = cases.find((c): c is ErrorCase => c.kind === "error" && c.case === name);
  if (!found) throw new Error(`module-api.json has no error case "${name}"`);
  return found;
}

/** The repr PyTorch printed in the case labelled `label`. */
export function pytorchRepr(label: string): string {
  const found = cases.find((c): c is ReprCase => c.kind === "repr" && c.label === label);
  if (!found) throw new Error(`module-api.json has no repr case "${label}"`);
  return found.repr;
}

/** The registry listings PyTorch gave in the case labelled `label`. */
export function pytorchListing(label: string): ListingCase {
  const found = cases.find((c): c is ListingCase => c.kind === "listing" && c.label === label);
  if (!found) throw new Error(`module-api.json has no listing case "${label}"`);
  return found;
}

export function pytorchHooks(): HooksCase {
  return cases.find((c): c is HooksCase => c.kind === "hooks") as HooksCase;
}

/** Runs `fn` and returns the error it throws, as `{ type, message }` for comparison with PyTorch's. */
export function caught(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { pythonType?: string };
    return { type: err.pythonType ?? err.name, message: err.message };
  }
  throw new Error("expected an error, none was thrown");
}

/** `caught(fn)` must equal PyTorch's error of the case named `name`. */
export function expectPytorchError(name: string, fn: () => unknown): void {
  const { type, message } = pytorchError(name);
  const actual = caught(fn);
  if (actual.type !== type || actual.message !== message) {
    throw new Error(
      `case "${name}":\n  expected ${type}: ${JSON.stringify(message)}\n  got      ${actual.type}: ${JSON.stringify(actual.message)}`,
    );
  }
}
