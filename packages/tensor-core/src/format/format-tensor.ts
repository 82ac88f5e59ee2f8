/**
 * `print(t)`: a tensor written exactly as PyTorch 1.13 writes it.
 *
 *     tensor([[-0.1468,  0.7861,  0.9468],
 *             [-1.1143,  1.6908, -0.8948]], requires_grad=True)
 *
 * The steps follow PyTorch's `torch/_tensor_str.py`: decide whether to summarise, build one
 * formatter from the shown values (`element-formatter.ts`), lay the elements out in brackets
 * (`layout.ts`), then append the suffixes (`suffixes.ts`).
 */
import type { DType } from "../dtype.ts";
import { RuntimeError } from "../errors.ts";
import { readBack } from "../ops/transfer.ts";
import type { Tensor } from "../tensor.ts";
import { ElementFormatter } from "./element-formatter.ts";
import { layoutTensor } from "./layout.ts";
import { getPrintOptions } from "./print-options.ts";
import { shownValues } from "./summarize.ts";
import { addSuffixes } from "./suffixes.ts";

/** Everything printing needs to know of a tensor, with its values already on the host. */
export interface PrintableTensor {
  /** The elements in row-major order (bools as 0 and 1). */
  readonly values: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The device as PyTorch names it (`webgpu:0`); left out for the CPU, which is never printed. */
  readonly device?: string;
  /** The name of the tensor's backward node (`AddBackward0`), or null for a leaf. */
  readonly gradFnName?: string | null;
  /** Whether the tensor requires grad (printed only for leaves: others show their grad_fn). */
  readonly requiresGrad?: boolean;
}

const prefix = "tensor(";

/** The printed form of a tensor described by its host values: the core of `formatTensor`. */
export function formatPrintable(t: PrintableTensor): string {
  const options = getPrintOptions();
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device !== undefined) suffixes.push(`device='${t.device}'`);

  let body: string;
  if (t.values.length === 0) {
    // an empty tensor has no values to show its shape or dtype, so it says them (as NumPy does)
    if (t.shape.length !== 1) suffixes.push(`size=(${t.shape.join(", ")})`);
    if (t.dtype !== "float32") suffixes.push(`dtype=torch.${t.dtype}`);
    body = "[]";
  } else {
    // float32, int64 and bool are the default dtypes for their values: none says `dtype=`
    const summarize = t.values.length > options.threshold;
    const formatter = new ElementFormatter(shownValues(t, summarize, options), t.dtype, options);
    body = layoutTensor(t, formatter, summarize, indent, options);
  }

  if (t.gradFnName) suffixes.push(`grad_fn=<${t.gradFnName}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + body, suffixes, indent, options.linewidth);
}

/** How a device appears in a printed tensor: PyTorch numbers devices, `cuda:0`, and so do we. */
function deviceLabel(device: string): string | undefined {
  return device === "cpu" ? undefined : `${device}:0`;
}

function printable(t: Tensor, host: Tensor): PrintableTensor {
  return {
    values: host.toArray(),
    shape: t.shape,
    dtype: t.dtype,
    device: deviceLabel(t.device),
    gradFnName: t.gradFn?.name ?? null,
    requiresGrad: t.requiresGrad,
  };
}

/**
 * What PyTorch's `str(t)` and `print(t)` show for a CPU tensor (`Tensor.toString()` calls this).
 * A tensor on WebGPU must be read back first: use `await t.format()`.
 */
export function formatTensor(t: Tensor): string {
  if (t.device !== "cpu") {
    throw new RuntimeError(
      `a tensor on ${t.device} cannot be printed synchronously: use \`await t.format()\`, which reads it back first`,
    );
  }
  return formatPrintable(printable(t, t));
}

/**
 * What PyTorch's `print(t)` shows for a tensor on any device (`await t.format()`): a WebGPU tensor
 * is read back and printed with `device='webgpu:0'`, as PyTorch prints `device='cuda:0'`.
 */
export async function formatTensorAsync(t: Tensor): Promise<string> {
  if (t.device === "cpu") return formatTensor(t);
  const host = await readBack(t);
  return formatPrintable(printable(t, host));
}
