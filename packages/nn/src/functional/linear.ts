/**
 * `F.linear` and `F.conv2d`: the two products with learned weights. `linear` is x·Wᵀ + b, picking
 * the same underlying ops as PyTorch 1.13 so that results carry the same `grad_fn`: one fused
 * `addmm` for a 2-D input with a bias, `addmm` on a folded view for a contiguous 3-D input, and
 * `matmul` then an add otherwise.
 */
import { add, addmm, conv2d as conv2dOp, matmul, view, type Conv2dOptions, type Tensor } from "@torchlet/tensor-core";

/** x·Wᵀ + b: input [..., in], weight [out, in], bias [out] → [..., out]. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (bias !== null && input.ndim === 2) return addmm(bias, input, weight.t());
  if (bias !== null && input.ndim === 3 && input.isContiguous()) {
    const [batch, rows, features] = input.shape;
    const out = addmm(bias, view(input, [batch * rows, features]), weight.t());
    return view(out, [batch, rows, out.shape[1]]);
  }
  const out = matmul(input, weight.t());
  return bias === null ? out : add(out, bias);
}

/**
 * 2-D convolution (cross-correlation): input [N, C, H, W] (or [C, H, W]), weight
 * [out, C / groups, kH, kW], optional bias [out]; `stride`, `padding` and `dilation` are a number
 * or a pair (height, width).
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  return conv2dOp(input, weight, bias, options);
}
