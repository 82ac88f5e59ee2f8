/**
 * @torchlet/module: `nn.Module` and `nn.Parameter`. A module registers the parameters, buffers and
 * child modules assigned to its fields, and builds on those registries everything a model needs:
 * listing and saving its state, moving it between devices, train/eval modes, hooks and its repr.
 */
export { Module, type ModuleTarget } from "./module.ts";
export { Parameter } from "./parameter.ts";
export { RemovableHandle, type ForwardHook, type ForwardPreHook } from "./hooks.ts";
export { IncompatibleKeys, type LoadReport, type PendingCopy, type StateDictLike } from "./state-dict.ts";
export { addIndent } from "./repr.ts";
export { typename, typeName } from "./typename.ts";
