import { readFileSync, writeFileSync } from "node:fs";
import type { Props } from "./values";

/** What the harness remembers about one resource between runs (the engine's checkpoint, simplified). */
export interface ResourceState {
  urn: string;
  type: string;
  /** False for component resources such as the root `pulumi:pulumi:Stack`. */
  custom: boolean;
  /** Empty for components. */
  id: string;
  parent: string;
  /** `<provider urn>::<provider id>`, empty for components and providers. */
  provider: string;
  /** Inputs after check, in wire form (secrets wrapped). */
  inputs: Props;
  /** Outputs as plain values; `secretOutputs` says which are secret. */
  outputs: Props;
  secretOutputs: string[];
}

/**
 * The stack's resources in registration order, keyed by URN. Plain data:
 * `toJSON`/`StackState.fromJSON` (and `save`/`load`) round-trip it.
 */
export class StackState {
  private readonly byUrn = new Map<string, ResourceState>();

  constructor(resources: readonly ResourceState[] = []) {
    for (const r of resources) this.byUrn.set(r.urn, r);
  }

  /** All resources, in the order they were first registered. */
  list(): ResourceState[] {
    return [...this.byUrn.values()];
  }

  get(urn: string): ResourceState | undefined {
    return this.byUrn.get(urn);
  }

  /** Resources of one type token, e.g. `pulumi-nodejs:dynamic:Resource`. */
  ofType(type: string): ResourceState[] {
    return this.list().filter((r) => r.type === type);
  }

  /** Adds or replaces a resource (a new URN goes last). */
  put(resource: ResourceState): void {
    this.byUrn.set(resource.urn, resource);
  }

  delete(urn: string): void {
    this.byUrn.delete(urn);
  }

  /**
   * Rewrites the stored outputs of the resource with this URN, or of every
   * resource of this type, e.g. to age a token's timestamps before the next
   * run. Throws when nothing matches, so a test cannot silently miss.
   */
  update(urnOrType: string, transform: (outputs: Props, resource: ResourceState) => Props): void {
    const targets = this.byUrn.has(urnOrType) ? [this.byUrn.get(urnOrType)!] : this.ofType(urnOrType);
    if (targets.length === 0) throw new Error(`state.update: no resource has URN or type '${urnOrType}'`);
    for (const r of targets) r.outputs = transform(structuredClone(r.outputs), r);
  }

  clone(): StackState {
    return StackState.fromJSON(this.toJSON());
  }

  toJSON(): { resources: ResourceState[] } {
    return { resources: structuredClone(this.list()) };
  }

  static fromJSON(json: { resources: ResourceState[] }): StackState {
    return new StackState(structuredClone(json.resources));
  }

  save(file: string): void {
    writeFileSync(file, JSON.stringify(this.toJSON(), null, 2) + "\n");
  }

  static load(file: string): StackState {
    return StackState.fromJSON(JSON.parse(readFileSync(file, "utf8")) as { resources: ResourceState[] });
  }
}
