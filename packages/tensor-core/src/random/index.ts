/**
 * PyTorch's random numbers, bit for bit: after `manualSeed(s)`, `randn`, `rand`, `randint`,
 * `randperm`, `bernoulli`, `normal_` and `uniform_` give the values PyTorch 1.13 gives on the CPU
 * after `torch.manual_seed(s)`, in the same order, whatever the tensor's layout or device.
 */
export {
  Generator,
  defaultGenerator,
  manualSeed,
  initialSeed,
  seed,
  getRngState,
  setRngState,
} from "./generator.ts";
export { type RandomOptions, randn, rand, randint, randnLike, randLike, randintLike, randperm } from "./creation.ts";
export { type GeneratorOptions, bernoulli, bernoulli_ } from "./bernoulli.ts";
export { fillNormal, fillUniform, fillRandomInteger, fillBernoulli } from "./fill.ts";
