/**
 * Matrix product on WebGPU: out[b] = a[b] @ b[b] for every batch b, through the shared GEMM
 * skeleton (`webgpu/gemm.ts`). The operands' strides go into the load functions, so transposed
 * and expanded views (as the backward pass makes them) are read where they lie, never copied.
 */
import type { Tensor } from "../../tensor.ts";
import { kernels } from "../../webgpu/device.ts";
import { Params, storageBuffer } from "../../webgpu/dispatch.ts";
import { runGemm } from "../../webgpu/gemm.ts";
import { wgslType, type GpuStorage } from "../../webgpu/storage.ts";
import { computeTypeOf, convert } from "../../webgpu/wgsl.ts";

/** out [B, M, N] = a [B, M, K] @ b [B, K, N], with the kernel variant `torch.webgpu.kernels()` names. */
export function matmul(a: Tensor, b: Tensor, out: Tensor): void {
  const [batch, m, k] = a.shape;
  const n = b.shape[2];
  const [sab, sam, sak] = a.stride();
  const [sbb, sbk, sbn] = b.stride();
  const aType = wgslType[a.dtype];
  const bType = wgslType[b.dtype];
  const outType = wgslType[out.dtype];
  const type = computeTypeOf(outType);
  const params = new Params()
    .u32("offA", a.storageOffset())
    .u32("offB", b.storageOffset())
    .u32("offC", out.storageOffset())
    .u32("sab", sab)
    .u32("sam", sam)
    .u32("sak", sak)
    .u32("sbb", sbb)
    .u32("sbk", sbk)
    .u32("sbn", sbn);
  // Two read-only bindings of one buffer (x @ x.T) are allowed; only writable bindings must be alone.
  const bindings =
    storageBuffer(1, "matA", aType, "read") + storageBuffer(2, "matB", bType, "read") + storageBuffer(3, "matC", outType, "read_write");
  const functions = `
fn loadA(b: u32, row: u32, k: u32) -> T { return T(matA[p.offA + b * p.sab + row * p.sam + k * p.sak]); }
fn loadB(b: u32, k: u32, col: u32) -> T { return T(matB[p.offB + b * p.sbb + k * p.sbk + col * p.sbn]); }
fn storeC(b: u32, row: u32, col: u32, v: T) { matC[p.offC + (b * p.M + row) * p.N + col] = ${convert("v", type, outType)}; }
`;
  const buffers = [a, b, out].map((t) => (t.storage as GpuStorage).buffer);
  runGemm(
    {
      key: `matmul:${aType},${bType}->${outType}`,
      type,
      batch,
      m,
      n,
      k,
      params,
      bindings,
      buffers,
      functions,
    },
    kernels(),
  );
}
