/**
 * Orthogonal initialisation (Saxe et al., 2013): a weight whose rows (or columns) are orthonormal,
 * so a deep linear network neither shrinks nor blows up its signal. The recipe, as PyTorch's: draw
 * a matrix of standard normal numbers, take the Q of its QR decomposition, and fix the signs of
 * Q's columns by R's diagonal, which makes Q uniformly distributed over orthogonal matrices
 * (Mezzadri, 2007).
 */
import { empty, fromValues, ValueError, type Tensor } from "@torchlet/tensor-core";
import { noGrad } from "@torchlet/autograd";
import { qr } from "./qr.ts";

/**
 * Fills `tensor` (2 or more dimensions; trailing ones are flattened, so a conv weight gets
 * orthonormal rows per output channel) with a semi-orthogonal matrix times `gain`.
 */
export function orthogonal_<T extends Tensor>(tensor: T, options: { gain?: number } = {}): T {
  const { gain = 1 } = options;
  if (tensor.ndim < 2) throw new ValueError("Only tensors with 2 or more dimensions are supported");
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0];
  const cols = tensor.numel() / rows;
  // the same draws PyTorch makes: a rows×cols normal matrix from the global generator
  const flattened = empty(rows, cols).normal_(0, 1);
  // QR needs a tall matrix: factor the transpose of a wide one
  const wide = rows < cols;
  const [m, n] = wide ? [cols, rows] : [rows, cols];
  const { q } = qr((wide ? flattened.t() : flattened).toArray(), m, n);
  // q is m×n row-major; the weight wants rows×cols row-major, i.e. qᵀ when wide
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) values[i * cols + j] = wide ? q[j * n + i] : q[i * n + j];
  return noGrad(() => tensor.copy_(fromValues(values, tensor.shape, "float32")).mul_(gain));
}
