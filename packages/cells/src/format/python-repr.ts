/**
 * How a JavaScript value is shown, so that a cell's output reads as its Python twin's.
 *
 * Jupyter shows a cell's value with `repr()`; `print()` writes `str()` of each argument, joined
 * by spaces. We follow the same two functions:
 *
 * | JavaScript                            | shown as (Python)                          |
 * | ------------------------------------- | ------------------------------------------ |
 * | tensor, Size, module, Parameter, ...  | its own `toString()` (PyTorch's repr)      |
 * | `null`, `undefined`                   | `None` (a cell whose value is None shows nothing) |
 * | `true`, `false`                       | `True`, `False`                            |
 * | `3`, `0.1`, `1e-7`, `NaN`             | `3`, `0.1`, `1e-07`, `nan` (integral numbers as Python ints) |
 * | `"text"`                              | `'text'` by repr, `text` by print          |
 * | array, typed array                    | a list `[1, 2]`                            |
 * | `tuple(a, b)` (from @torchlet/cells)  | a tuple `(a, b)`, `(a,)`                   |
 * | `Map`                                 | `OrderedDict([('key', value), ...])`, as `state_dict()` shows |
 * | `Set`                                 | `{1, 2}`, `set()`                          |
 * | plain object                          | a dict `{'key': value}`                    |
 * | an error                              | `RuntimeError('message')`                  |
 * | class, function, generator            | `<class 'Name'>`, `<function name>`, `<generator object>` |
 *
 * A tensor on the GPU cannot be read synchronously: `formatValue` (for a cell's value) first awaits
 * the `format()` of every such tensor inside the value; `repr` and `str` (for `console.log`) show
 * a placeholder that says how to print it.
 */
import { pythonFloatRepr, pythonStringRepr } from "@torchlet/tensor-core";
import { isTuple } from "../display/tuple.ts";

/** Texts of values that had to be formatted asynchronously (GPU tensors), by object. */
type Preformatted = ReadonlyMap<object, string>;

const noTexts: Preformatted = new Map();

/** True for objects whose class gives them a `toString` of their own (tensors, modules, Sizes, ...). */
function hasOwnToString(value: object): boolean {
  const toString = (value as { toString?: unknown }).toString;
  return (
    typeof toString === "function" &&
    toString !== Object.prototype.toString &&
    toString !== Array.prototype.toString &&
    toString !== Error.prototype.toString &&
    toString !== Function.prototype.toString
  );
}

/** A tensor (or Parameter) whose values live on a device that cannot be read synchronously. */
function isDeviceTensor(value: object): value is { device: string; format(): Promise<string> } {
  const v = value as { device?: unknown; format?: unknown };
  return typeof v.device === "string" && v.device !== "cpu" && typeof v.format === "function";
}

function isIterator(value: object): boolean {
  const v = value as { next?: unknown; [Symbol.iterator]?: unknown };
  return typeof v.next === "function" && typeof v[Symbol.iterator] === "function";
}

/** The Python exception type an error stands for: torchlet's `pythonType`, else the JavaScript name. */
export function errorTypeName(error: unknown): string {
  if (error && typeof error === "object") {
    const pythonType = (error as { pythonType?: unknown }).pythonType;
    if (typeof pythonType === "string") return pythonType;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
  }
  return "Error";
}

function numberRepr(value: number): string {
  // JavaScript has one number type; integral values read best as Python ints (shapes, counts, indices)
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  return pythonFloatRepr(value);
}

function reprOf(value: unknown, texts: Preformatted, seen: Set<object>): string {
  if (value === null || value === undefined) return "None";
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "number":
      return numberRepr(value);
    case "bigint":
      return String(value);
    case "string":
      return pythonStringRepr(value);
    case "symbol":
      return value.toString();
    case "function": {
      const name = value.name || "<lambda>";
      return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? `<class '${name}'>` : `<function ${name}>`;
    }
  }
  const object = value as object;
  const known = texts.get(object);
  if (known !== undefined) return known;
  if (isDeviceTensor(object)) return `<tensor on ${object.device}: print it with await t.format()>`;
  if (seen.has(object)) return isTuple(object) ? "(...)" : Array.isArray(object) ? "[...]" : "{...}";
  seen.add(object);
  try {
    const item = (v: unknown) => reprOf(v, texts, seen);
    if (isTuple(object)) {
      const items = Array.from(object, item);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
    }
    if (hasOwnToString(object)) return String(object);
    if (Array.isArray(object)) return `[${object.map(item).join(", ")}]`;
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      return `[${Array.from(object as unknown as ArrayLike<number | bigint>, item).join(", ")}]`;
    }
    if (object instanceof Map) {
      if (object.size === 0) return "OrderedDict()";
      return `OrderedDict([${Array.from(object, ([k, v]) => `(${item(k)}, ${item(v)})`).join(", ")}])`;
    }
    if (object instanceof Set) return object.size === 0 ? "set()" : `{${Array.from(object, item).join(", ")}}`;
    if (object instanceof Error) return `${errorTypeName(object)}(${pythonStringRepr(object.message)})`;
    if (object instanceof Promise) return "<Promise: await it to see its value>";
    if (isIterator(object)) return "<generator object>";
    const prototype = Object.getPrototypeOf(object);
    if (prototype === Object.prototype || prototype === null) {
      const entries = Object.entries(object).map(([k, v]) => `${pythonStringRepr(k)}: ${item(v)}`);
      return `{${entries.join(", ")}}`;
    }
    return `<${(object as { constructor?: { name?: string } }).constructor?.name || "object"} object>`;
  } finally {
    seen.delete(object);
  }
}

/** Python's `repr(value)` for a JavaScript value (see the table above). */
export function repr(value: unknown, texts: Preformatted = noTexts): string {
  return reprOf(value, texts, new Set());
}

/** Python's `str(value)`: like `repr`, except that a string is itself. */
export function str(value: unknown, texts: Preformatted = noTexts): string {
  return typeof value === "string" ? value : repr(value, texts);
}

/** What `print(*values)` writes, without the newline: `str` of each, joined by spaces. */
export function printed(values: readonly unknown[], texts: Preformatted = noTexts): string {
  return values.map((v) => str(v, texts)).join(" ");
}

/** Whether `value` is, or holds, a tensor on a GPU (whose text must be awaited). */
export function holdsDeviceTensor(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  if (isDeviceTensor(value)) return true;
  if (hasOwnToString(value) && !isTuple(value)) return false;
  if (Array.isArray(value) || value instanceof Set) return [...value].some((v) => holdsDeviceTensor(v, seen));
  if (value instanceof Map) return [...value].some(([k, v]) => holdsDeviceTensor(k, seen) || holdsDeviceTensor(v, seen));
  if (Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).some((v) => holdsDeviceTensor(v, seen));
  return false;
}

/**
 * Awaits the text of every tensor inside `value` that lives on a GPU (a tensor, or one inside an
 * array, tuple, Map, Set or plain object), so that `repr` can show it.
 */
export async function preformat(value: unknown): Promise<Preformatted> {
  const texts = new Map<object, string>();
  const seen = new Set<object>();
  const visit = async (v: unknown): Promise<void> => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (isDeviceTensor(v)) {
      texts.set(v, await v.format());
      return;
    }
    if (hasOwnToString(v) && !isTuple(v)) return;
    if (Array.isArray(v) || v instanceof Set) for (const item of v) await visit(item);
    else if (v instanceof Map) for (const [k, item] of v) await Promise.all([visit(k), visit(item)]);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const item of Object.values(v)) await visit(item);
  };
  await visit(value);
  return texts;
}

/** `repr(value)` once every GPU tensor inside it has been read back. */
export async function formatValue(value: unknown): Promise<string> {
  return repr(value, await preformat(value));
}
