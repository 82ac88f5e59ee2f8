/**
 * @torchlet/init: `nn.init`, the functions that give parameters their starting values. Each fills
 * a tensor in place (trailing underscore), without autograd recording it, drawing the same random
 * numbers as PyTorch so that a seeded initialisation gives PyTorch's values.
 *
 * ```ts
 * init.xavierNormal_(linear.weight);
 * init.normal_(linear.weight, { mean: 0, std: 0.01 });
 * init.kaimingUniform_(conv.weight, { a: Math.sqrt(5) });
 * ```
 */
export { calculateGain } from "./gain.ts";
export { calculateFanInAndFanOut, calculateCorrectFan, type FanMode } from "./fans.ts";
export { uniform_, normal_, constant_, ones_, zeros_, eye_, dirac_ } from "./basic.ts";
export { xavierUniform_, xavierNormal_ } from "./xavier.ts";
export { kaimingUniform_, kaimingNormal_, type KaimingOptions } from "./kaiming.ts";
export { truncNormal_, type TruncNormalOptions } from "./trunc-normal.ts";
export { orthogonal_ } from "./orthogonal.ts";
export { erf, erfc, erfinv } from "./erfinv.ts";
export { qr } from "./qr.ts";
