/**
 * The op table for tests, after PyTorch's OpInfo (`common_methods_invocations.py`): every op that
 * tensor-core records (the name given to `recordOp`) has an entry with sample calls. The same
 * entries drive the WebGPU-against-CPU tests, the gradient checks of the autograd package and the
 * comparison with PyTorch's outputs (`op-info.json` among the fixtures), so a new op is tested
 * everywhere by adding it once.
 *
 * The entries live by family in `op-info/`; this file gathers them.
 */
import { convPoolOpInfos } from "./op-info/conv-pool.ts";
import { elementwiseOpInfos } from "./op-info/elementwise.ts";
import { linalgOpInfos } from "./op-info/linalg.ts";
import { normLossOpInfos } from "./op-info/norm-loss.ts";
import { reductionOpInfos } from "./op-info/reductions.ts";
import type { OpInfo } from "./op-info/types.ts";
import { viewOpInfos } from "./op-info/views.ts";

export { type OpInfo, type OpSample, gradInputsOf } from "./op-info/types.ts";
export { sampleTensor, positiveTensor, nonzeroTensor, distinctTensor, distinctTensors } from "./op-info/values.ts";

/** Every entry, one per recorded op name. */
export const opInfos: readonly OpInfo[] = [
  ...elementwiseOpInfos,
  ...reductionOpInfos,
  ...linalgOpInfos,
  ...convPoolOpInfos,
  ...normLossOpInfos,
  ...viewOpInfos,
];

/** The entry of one op, by its recorded name. */
export function opInfo(name: string): OpInfo {
  const info = opInfos.find((i) => i.name === name);
  if (!info) throw new Error(`no op table entry named ${name}`);
  return info;
}
