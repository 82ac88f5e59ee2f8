/**
 * PyTorch's fast path for normal samples: a contiguous float32 tensor of 16 or more elements is
 * filled with uniforms first, then turned into normals 16 at a time, which is how its AVX2 kernel
 * (`normal_fill_AVX2`) keeps eight SIMD lanes busy. The numbers differ from the one-at-a-time path
 * (`normalFloat64`), so to match PyTorch we must choose the same path it chooses.
 */
import { fmaf, logf, sincosf } from "./float32-math.ts";
import type { Generator } from "./generator.ts";
import { uniformFloat32 } from "./distributions.ts";

const f32 = Math.fround;
const TWO_PI = f32(2 * Math.PI);

/**
 * Box-Muller on one block of 16: uniforms in slots j and j + 8 (j < 8) become the two normals of a
 * pair, in float32 arithmetic, scaled by std and shifted by mean in one fused multiply-add.
 */
function transformBlock(data: Float32Array, start: number, mean: number, std: number): void {
  for (let j = start; j < start + 8; j++) {
    const u1 = f32(1 - data[j]); // in (0, 1], so its log is finite
    const u2 = data[j + 8];
    const radius = f32(Math.sqrt(f32(-2 * logf(u1))));
    const { sin, cos } = sincosf(f32(TWO_PI * u2));
    data[j] = fmaf(f32(radius * cos), std, mean);
    data[j + 8] = fmaf(f32(radius * sin), std, mean);
  }
}

/**
 * Fills `data` (length ≥ 16) with N(mean, std²) samples as PyTorch fills a contiguous float32
 * tensor:
 * 1. every element gets a float32 uniform, in order;
 * 2. each whole block of 16 is transformed;
 * 3. if the length is not a multiple of 16, the last 16 elements get fresh uniforms (overwriting
 *    normals made in step 2) and are transformed again, so no element is left over.
 */
export function fillNormalBlocks(data: Float32Array, mean: number, std: number, g: Generator): void {
  const n = data.length;
  const mean32 = f32(mean);
  const std32 = f32(std);
  for (let i = 0; i < n; i++) data[i] = uniformFloat32(g);
  for (let start = 0; start + 16 <= n; start += 16) transformBlock(data, start, mean32, std32);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) data[i] = uniformFloat32(g);
    transformBlock(data, n - 16, mean32, std32);
  }
}
