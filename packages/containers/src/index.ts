/**
 * @torchlet/containers: modules that hold other modules or parameters. `Sequential` chains its
 * modules; `ModuleList` and `ModuleDict` only hold them (the parent's forward uses them);
 * `ParameterList` and `ParameterDict` hold parameters. Each registers what it holds, so the
 * parent's `parameters()`, `stateDict()` and `to()` reach it.
 */
export { Sequential } from "./sequential.ts";
export { ModuleList } from "./module-list.ts";
export { ModuleDict, type ModuleEntries } from "./module-dict.ts";
export { ParameterList } from "./parameter-list.ts";
export { ParameterDict, type ParameterEntries } from "./parameter-dict.ts";
