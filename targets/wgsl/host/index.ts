// The WGSL host runtime, browser- and Node-safe: get a device, load a plan, run batches of graphs.
// Generated modules (`eqvc build --target wgsl`) import it as `eqv/wgsl`.

export { BufferUsage, NoAdapterError, WEBGPU_HELP, requestWgslDevice, type DeviceOptions, type NodeBackend, type WgslDevice } from './device.js';
export { radiusGraph, type HostGraph } from './graph.js';
export { WgslCompileError, WgslModel, compileMessages, sharedDevice, sliceBatch, type KernelMessage, type RunStats, type WgslModelOptions } from './model.js';
export type { WgslPlan, PlanKernel, PlanBinding, PlanValue } from '../plan.js';
