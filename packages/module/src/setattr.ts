/**
 * How `this.weight = new Parameter(...)` registers a parameter: PyTorch's `Module.__setattr__`,
 * `__getattr__` and `__delattr__`, rebuilt with a JavaScript `Proxy`.
 *
 * In Python every `obj.name = value` goes through `type(obj).__setattr__`, and `nn.Module` overrides
 * it: before storing anything it looks at the value.
 *
 *   - a `Parameter`  → it goes into `_parameters` (and leaves any buffer, child or plain field of
 *                       the same name);
 *   - a `Module`     → it goes into `_modules`;
 *   - a name already registered as a parameter, child or buffer → the registry entry is updated,
 *                       after checking the value fits (a buffer takes any tensor, a parameter only a
 *                       Parameter, each also `null`);
 *   - anything else  → an ordinary attribute.
 *
 * Reading is the mirror image: Python's `__getattr__` runs only when ordinary lookup fails, and then
 * looks in the three registries. So a registered value lives in exactly one place, its registry,
 * and `module.weight` finds it there.
 *
 * JavaScript has no `__setattr__`, but a `Proxy` can stand in front of an object and intercept every
 * write and read. `Module`'s constructor returns `new Proxy(this, moduleProxyHandler)`, so `this` in
 * a subclass constructor, and every reference anyone holds, is the proxy.
 *
 * One JavaScript detail needs two traps instead of one. A TypeScript class field
 * (`weight = new Parameter(...)` in the class body) is not assigned but *defined*, as
 * `Object.defineProperty` would (`useDefineForClassFields`, the standard semantics). A definition
 * reaches the proxy's `defineProperty` trap, an assignment in the constructor (`this.weight = ...`)
 * its `set` trap; both end in `assignAttribute` below.
 */
import { Tensor } from "@torchlet/tensor-core";
import { Module } from "./module.ts";
import { Parameter } from "./parameter.ts";
import { typename } from "./typename.ts";

/** True when `name` is registered as a parameter, buffer or child module (even as `null`). */
export function isRegistered(module: Module, name: string): boolean {
  return module._parameters.has(name) || module._buffers.has(name) || module._modules.has(name);
}

/** Python's `hasattr(module, name)`: an own field, a method or accessor, or a registered name. */
export function hasAttribute(module: Module, name: string): boolean {
  return Reflect.has(module, name) || isRegistered(module, name);
}

/**
 * `module.name = value`, the way `Module.__setattr__` does it. Returns false when the value is an
 * ordinary attribute, which the caller then stores on the object as usual.
 */
export function assignAttribute(module: Module, name: string, value: unknown): boolean {
  // JavaScript has two empty values; both mean Python's None here.
  const none = value === null || value === undefined;

  if (value instanceof Parameter) {
    removeName(module, name, { parameters: false });
    module.registerParameter(name, value);
    return true;
  }
  if (module._parameters.has(name)) {
    if (!none) {
      throw new TypeError(
        `cannot assign '${typename(value)}' as parameter '${name}' (torch.nn.Parameter or None expected)`,
      );
    }
    module.registerParameter(name, null);
    return true;
  }
  if (value instanceof Module) {
    removeName(module, name, { modules: false });
    module._modules.set(name, value);
    return true;
  }
  if (module._modules.has(name)) {
    if (!none) {
      throw new TypeError(`cannot assign '${typename(value)}' as child module '${name}' (torch.nn.Module or None expected)`);
    }
    module._modules.set(name, null);
    return true;
  }
  if (module._buffers.has(name)) {
    if (!none && !(value instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(value)}' as buffer '${name}' (torch.Tensor or None expected)`);
    }
    module._buffers.set(name, none ? null : (value as Tensor));
    return true;
  }
  return false;
}

/** Takes `name` out of the plain fields and of the registries not excluded. */
function removeName(module: Module, name: string, keep: { parameters?: boolean; modules?: boolean }): void {
  if (Object.hasOwn(module, name)) Reflect.deleteProperty(module, name);
  if (keep.parameters !== false) module._parameters.delete(name);
  if (keep.modules !== false) module._modules.delete(name);
  module._buffers.delete(name);
  module._nonPersistentBuffersSet.delete(name);
}

/** `del module.name` (Python's `Module.__delattr__`): a registered name leaves its registry. */
function deleteAttribute(module: Module, name: string): boolean {
  if (module._parameters.delete(name)) return true;
  if (module._buffers.delete(name)) {
    module._nonPersistentBuffersSet.delete(name);
    return true;
  }
  return module._modules.delete(name);
}

/** A registered value, or `notFound` (Python's `Module.__getattr__`). */
const notFound = Symbol("notFound");
function registeredValue(module: Module, name: string): unknown {
  if (module._parameters.has(name)) return module._parameters.get(name);
  if (module._buffers.has(name)) return module._buffers.get(name);
  if (module._modules.has(name)) return module._modules.get(name);
  return notFound;
}

/** The traps behind every module (see the top of this file). */
export const moduleProxyHandler: ProxyHandler<Module> = {
  /** `module.name = value`, anywhere: in a constructor, in `forward`, from outside. */
  set(target, name, value, receiver) {
    if (typeof name === "string" && assignAttribute(target, name, value)) return true;
    return Reflect.set(target, name, value, receiver);
  },

  /** A class field (`weight = new Parameter(...)` in a class body) or `Object.defineProperty`. */
  defineProperty(target, name, descriptor) {
    if (typeof name === "string" && "value" in descriptor) {
      // A field declared without a value (`weight!: Parameter;`) is a type annotation at heart, but
      // JavaScript defines it as undefined right after super(). Ignored, so it neither clears a
      // registered name nor blocks a later `registerBuffer("weight", ...)`.
      if (descriptor.value === undefined && !Object.hasOwn(target, name)) return true;
      if (assignAttribute(target, name, descriptor.value)) return true;
    }
    return Reflect.defineProperty(target, name, descriptor);
  },

  /** `module.name`: ordinary lookup first, then the registries, as Python's `__getattr__`. */
  get(target, name, receiver) {
    if (typeof name === "string" && !Reflect.has(target, name)) {
      const value = registeredValue(target, name);
      if (value !== notFound) return value;
    }
    return Reflect.get(target, name, receiver);
  },

  /** `"weight" in module` sees registered names too. */
  has(target, name) {
    return Reflect.has(target, name) || (typeof name === "string" && isRegistered(target, name));
  },

  /** `delete module.name`. */
  deleteProperty(target, name) {
    if (typeof name === "string" && deleteAttribute(target, name)) return true;
    return Reflect.deleteProperty(target, name);
  },
};
