/**
 * `torch.optim`: the optimizers. Each updates the parameters it was given from their gradients,
 * in place, on whatever device they live.
 *
 * | PyTorch | torchlet |
 * | --- | --- |
 * | `optim.SGD(model.parameters(), lr=0.01, momentum=0.9)` | `new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })` |
 * | `optim.Adam(model.parameters(), betas=(0.9, 0.99))` | `new optim.Adam(model.parameters(), { betas: [0.9, 0.99] })` |
 * | `optimizer.zero_grad(set_to_none=True)` | `optimizer.zeroGrad({ setToNone: true })` |
 * | `optimizer.param_groups[0]["lr"] = 0.001` | `optimizer.paramGroups[0].lr = 0.001` |
 */
export { Optimizer, type OptimizerStateDict, type ParamGroup, type ParamGroupInit, type Params } from "./optimizer.ts";
export { SGD, type SGDOptions } from "./sgd.ts";
export { Adam, AdamW, type AdamOptions } from "./adam.ts";
