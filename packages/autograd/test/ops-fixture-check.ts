/**
 * Runs one case of the PyTorch fixture `ops.json` on a device and holds torchlet's output, grad_fn
 * name and input gradients against PyTorch's. Shared by the CPU and the WebGPU tests.
 */
import type { Device, Tensor } from "@torchlet/tensor-core";
import { assertClose, fixtureValues, type FixtureTensor } from "@torchlet/testing";
import { expect } from "vitest";
import "../src/index.ts";
import { fromFixture, leafFromFixture, valuesOf } from "./helpers.ts";
import { opsCases, sharedLinearNet } from "./ops-cases.ts";

export interface OpsFixtureCase {
  op: string;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: FixtureTensor[];
  grad_fn: string;
}

export interface SharedLinearFixture {
  op: string;
  input: FixtureTensor;
  params: Record<string, FixtureTensor>;
  grads: Record<string, FixtureTensor>;
}

/** The README's tolerances: 1e-5 relative for forward values, 1e-4 for gradients. */
const forward = { rtol: 1e-5, atol: 1e-5 };
const backward = { rtol: 1e-4, atol: 1e-5 };

export async function checkOpsCase(c: OpsFixtureCase, device: Device): Promise<void> {
  const { call, gradFn } = opsCases[c.op];
  const inputs = c.inputs.map((t) => leafFromFixture(t, device));
  const out = call(...inputs);
  expect(out.shape).toEqual(c.output.shape);
  assertClose(await valuesOf(out), fixtureValues(c.output), forward, `${c.op}: output`);
  expect(gradFn).toBe(c.grad_fn);
  expect(out.gradFn?.name).toBe(c.grad_fn);
  expect(out.device).toBe(device);

  out.backward(fromFixture(c.upstream, device));
  for (const [i, expected] of c.grads.entries()) {
    const g = inputs[i].grad;
    expect(g, `${c.op}: input ${i} has a gradient`).not.toBeNull();
    expect(g!.device).toBe(device);
    expect(g!.shape).toEqual(expected.shape);
    assertClose(await valuesOf(g!), fixtureValues(expected), backward, `${c.op}: gradient of input ${i}`);
  }
}

export async function checkSharedLinear(c: SharedLinearFixture, device: Device): Promise<void> {
  const params: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(c.params)) params[name] = leafFromFixture(t, device);
  sharedLinearNet(fromFixture(c.input, device), params).sum().backward();
  for (const [name, expected] of Object.entries(c.grads)) {
    assertClose(await valuesOf(params[name].grad!), fixtureValues(expected), backward, `gradient of ${name}`);
  }
}
