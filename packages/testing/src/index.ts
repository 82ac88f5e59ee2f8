export { fixture, fixtureValues, type FixtureTensor, type FixtureName, type ModulesCase } from "./fixtures.ts";
export { assertClose, firstMismatch, type Tolerance } from "./close.ts";
export { useSoftwareVulkanIfPresent, webgpuRequired } from "./webgpu-env.ts";
export { seededRandom } from "./random.ts";
