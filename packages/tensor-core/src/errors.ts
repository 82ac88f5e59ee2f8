/**
 * Errors that mirror PyTorch's exception types, so a reader sees the same type and the same first
 * line of message that PyTorch gives for the same bad input.
 */
export class TorchletError extends Error {
  /** The Python exception type this error stands for, e.g. "RuntimeError". */
  readonly pythonType: string;
  constructor(pythonType: string, message: string) {
    super(message);
    this.pythonType = pythonType;
    this.name = pythonType;
  }
}

/** PyTorch's `RuntimeError`: shape mismatches, invalid views, device misuse. */
export class RuntimeError extends TorchletError {
  constructor(message: string) {
    super("RuntimeError", message);
  }
}

/** Python's `IndexError`: an index outside a dimension or a container. */
export class IndexError extends TorchletError {
  constructor(message: string) {
    super("IndexError", message);
  }
}

/** Python's `ValueError`: an argument of the right type but a wrong value. */
export class ValueError extends TorchletError {
  constructor(message: string) {
    super("ValueError", message);
  }
}

/** Python's `NotImplementedError`: a choice PyTorch names that is not (or not here) implemented. */
export class NotImplementedError extends TorchletError {
  constructor(message: string) {
    super("NotImplementedError", message);
  }
}

/** Python's `AttributeError`: a name that an object does not have. */
export class AttributeError extends TorchletError {
  constructor(message: string) {
    super("AttributeError", message);
  }
}

/**
 * Python's `KeyError`. Python prints a KeyError's argument with `repr`, so the message carries the
 * quotes: `KeyError('b')` prints as `'b'`, and an argument holding a `'` is wrapped in `"`.
 */
export class KeyError extends TorchletError {
  /** The key or text the error was raised with, before Python's quoting. */
  readonly key: string;
  constructor(key: string) {
    super("KeyError", pythonStringRepr(key));
    this.key = key;
  }
}

/** Python's `repr` of a str: single quotes unless the text holds a `'` and no `"`. */
export function pythonStringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\t/g, "\\t")
    .replace(new RegExp(quote, "g"), `\\${quote}`);
  return quote + escaped + quote;
}
