/**
 * `nn.Dropout`: zeroes each element with probability p in training mode (scaling the rest by
 * 1/(1 − p)), and passes its input through untouched after `eval()`. See `F.dropout`.
 */
import { pythonFloatRepr, type Tensor } from "@torchlet/tensor-core";
import { Module } from "@torchlet/module";
import { checkDropoutProbability, dropout } from "../functional/dropout.ts";

/** Dropout with probability `p` in training mode; the identity in evaluation mode. */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  /** Whether the input is overwritten (see `functional/inplace.ts`). */
  readonly inplace: boolean;

  /** `nn.Dropout(p=0.5, inplace=False)` is `new nn.Dropout(0.5, { inplace: false })`. */
  constructor(p = 0.5, options: { inplace?: boolean } = {}) {
    super();
    checkDropoutProbability(p);
    this.p = p;
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training, inplace: this.inplace });
  }

  override extraRepr(): string {
    return `p=${pythonFloatRepr(this.p)}, inplace=${this.inplace ? "True" : "False"}`;
  }
}
