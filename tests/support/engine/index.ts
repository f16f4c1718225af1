// The program-tier engine harness; see engine.ts for what it does and its known gaps.
export { Engine, type EngineOptions, type RunResult } from "./engine";
export type { Step } from "./deployment";
export { StackState, type ResourceState } from "./state";
export { SECRET_SIG, SIG_KEY, UNKNOWN, isSecret, reveal, secret, type Props } from "./values";
export { TimingLog } from "./report";
