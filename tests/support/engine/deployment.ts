import { createHash } from "node:crypto";
import type { ProviderHost } from "../provider-host";
import { StackState, type ResourceState } from "./state";
import { reveal, sameValues, splitSecrets, wrapSecrets, type Props } from "./values";

/**
 * One thing the engine did (or, in a preview, would do) to one resource, in order.
 * A replacement is `create-replacement`, then `replace`, and only after the program
 * finished `delete-replaced` (create-before-delete); with `deleteBeforeReplace`
 * the `delete-replaced` comes first.
 */
export interface Step {
  op: "create" | "same" | "update" | "replace" | "create-replacement" | "delete-replaced" | "delete" | "read";
  urn: string;
  type: string;
}

/** A RegisterResourceRequest, decoded. `inputs` are in wire form (secrets wrapped). */
export interface Registration {
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  provider: string;
  version: string;
  inputs: Props;
  additionalSecretOutputs: string[];
  deleteBeforeReplace: boolean;
}

/** What RegisterResource answers: `outputs` in wire form; `id` empty when unknown (preview create). */
export interface Registered {
  urn: string;
  id: string;
  outputs: Props;
}

/** Dynamic resources (`new pulumi.dynamic.Resource`) are served by the `pulumi-nodejs` plugin. */
export const isDynamic = (type: string): boolean => type.startsWith("pulumi-nodejs:");

const STACK_TYPE = "pulumi:pulumi:Stack";
const FAKE_ACCOUNT = "123456789012";

/**
 * The engine's work for one `up` or `preview`: turns registrations into steps
 * against the prior state, sends dynamic resources to the provider host, fakes
 * everything else, and at the end deletes what was replaced or removed.
 */
export class Deployment {
  readonly steps: Step[] = [];
  /** Errors the harness answered to the program or met while deleting. */
  readonly errors: string[] = [];
  /** Errors the program logged (engine Log at error severity). */
  readonly programErrors: string[] = [];
  /** Lines for the run log: engine Log messages and the harness's own notes. */
  readonly log: string[] = [];
  /** Resources registered in this run, in registration order. */
  readonly next = new StackState();
  private readonly registered = new Set<string>();
  private readonly replaced: ResourceState[] = [];
  private readonly deleted = new Set<string>();
  private host?: Promise<ProviderHost>;

  constructor(
    private readonly opts: {
      prior: StackState;
      dryRun: boolean;
      project: string;
      stack: string;
      config: Record<string, string>;
      /** Starts (and configures) the provider host; called at most once, on first need. */
      startHost: () => Promise<ProviderHost>;
    },
  ) {}

  urnOf(type: string, name: string, parent: string): string {
    const parentType = parent === "" ? "" : (parent.split("::")[2] ?? "");
    const qualified = parentType === "" || parentType === STACK_TYPE ? type : `${parentType}$${type}`;
    return `urn:pulumi:${this.opts.stack}::${this.opts.project}::${qualified}::${name}`;
  }

  async register(reg: Registration): Promise<Registered> {
    const urn = this.urnOf(reg.type, reg.name, reg.parent);
    if (this.registered.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
    this.registered.add(urn);
    let provider = reg.provider;
    if (reg.custom && provider === "" && !reg.type.startsWith("pulumi:providers:")) {
      provider = this.defaultProvider(reg.type.split(":")[0] ?? "", reg.version);
    }
    const state = isDynamic(reg.type) ? await this.dynamic(urn, reg, provider) : this.fake(urn, reg, provider);
    this.next.put(state);
    return { urn, id: state.id, outputs: wrapSecrets(state.outputs, state.secretOutputs) };
  }

  /** RegisterResourceOutputs: a component's (e.g. the stack's) outputs. */
  registerOutputs(urn: string, outputs: Props): void {
    const state = this.next.get(urn);
    if (state === undefined) throw new Error(`RegisterResourceOutputs for unregistered '${urn}'`);
    const { plain, secretKeys } = splitSecrets(outputs);
    state.outputs = plain;
    state.secretOutputs = secretKeys;
  }

  /** ReadResource (`Resource.get`): dynamic ones through the host's read, others from state or echoed. */
  async read(type: string, name: string, parent: string, id: string, props: Props): Promise<Registered> {
    const urn = this.urnOf(type, name, parent);
    let outputs: Props;
    if (isDynamic(type)) {
      outputs = (await (await this.hostFor()).read(id, urn, reveal(props) as Props)).properties;
    } else {
      const known = this.opts.prior.list().find((r) => r.type === type && r.id === id);
      outputs = known?.outputs ?? (reveal(props) as Props);
    }
    this.step("read", urn, type);
    return { urn, id, outputs };
  }

  /** Invoke: `pulumi:pulumi:getResource` from state, a few AWS data sources faked, anything else `{}`. */
  invoke(token: string, args: Props): Props {
    const region = this.opts.config["aws:region"] ?? "us-west-2";
    switch (token) {
      case "pulumi:pulumi:getResource": {
        const r = this.next.get(String(args["urn"])) ?? this.opts.prior.get(String(args["urn"]));
        if (r === undefined) throw new Error(`getResource: unknown resource '${String(args["urn"])}'`);
        return { urn: r.urn, id: r.id, state: wrapSecrets(r.outputs, r.secretOutputs) };
      }
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          id: FAKE_ACCOUNT,
          accountId: FAKE_ACCOUNT,
          arn: `arn:aws:iam::${FAKE_ACCOUNT}:user/test`,
          userId: "AIDATEST",
        };
      case "aws:index/getRegion:getRegion":
        return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
      case "aws:index/getPartition:getPartition":
        return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
      default:
        this.log.push(`harness: no fake for invoke '${token}'; answered {}`);
        return {};
    }
  }

  /**
   * After the program exited: deletes replaced resources (create-before-delete)
   * and, if the program succeeded, those it no longer declares, newest first.
   * In a preview, only records the steps. Throws on the first failed delete.
   */
  async finish(programSucceeded: boolean): Promise<void> {
    for (const old of this.replaced) {
      await this.remove(old);
      this.step("delete-replaced", old.urn, old.type);
    }
    if (!programSucceeded) return;
    for (const old of this.opts.prior.list().reverse()) {
      if (this.registered.has(old.urn)) continue;
      await this.remove(old);
      this.deleted.add(old.urn);
      this.step("delete", old.urn, old.type);
    }
  }

  /** The state to keep after an up: this run's resources, then prior ones neither re-registered nor deleted. */
  finalState(): StackState {
    const state = this.next.clone();
    for (const old of this.opts.prior.list()) {
      if (!this.registered.has(old.urn) && !this.deleted.has(old.urn)) state.put(structuredClone(old));
    }
    return state;
  }

  /** Stops the provider host, if one was started; returns it for its output and timings. */
  async close(): Promise<ProviderHost | undefined> {
    const host = await this.host?.catch(() => undefined);
    await host?.stop();
    return host;
  }

  private step(op: Step["op"], urn: string, type: string): void {
    this.steps.push({ op, urn, type });
  }

  private hostFor(): Promise<ProviderHost> {
    this.host ??= this.opts.startHost();
    return this.host;
  }

  private async remove(old: ResourceState): Promise<void> {
    if (this.opts.dryRun || !isDynamic(old.type)) return;
    await (await this.hostFor()).delete(old.id, old.urn, old.outputs);
  }

  /** The engine's default provider for a package (`pulumi:providers:aws::default_7_48_0`); returns its reference. */
  private defaultProvider(pkg: string, version: string): string {
    const name = version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
    const type = `pulumi:providers:${pkg}`;
    const urn = this.urnOf(type, name, "");
    if (!this.registered.has(urn)) {
      this.registered.add(urn);
      const inputs: Props = Object.fromEntries(
        Object.entries(this.opts.config)
          .filter(([key]) => key.startsWith(`${pkg}:`))
          .map(([key, value]) => [key.slice(pkg.length + 1), value]),
      );
      if (version !== "") inputs["version"] = version;
      const reg: Registration = {
        type,
        name,
        parent: "",
        custom: true,
        provider: "",
        version,
        inputs,
        additionalSecretOutputs: [],
        deleteBeforeReplace: false,
      };
      this.next.put(this.fake(urn, reg, ""));
    }
    return `${urn}::${this.next.get(urn)?.id ?? ""}`;
  }

  /** Mock-style resource: outputs = inputs (+ an `arn` for AWS types), diffed by deep equality, never replaced. */
  private fake(urn: string, reg: Registration, provider: string): ResourceState {
    const { plain, secretKeys } = splitSecrets(reg.inputs);
    const secretOutputs = [...new Set([...secretKeys, ...reg.additionalSecretOutputs])];
    const old = this.opts.prior.get(urn);
    const base = {
      urn,
      type: reg.type,
      custom: reg.custom,
      parent: reg.parent,
      provider,
      inputs: reg.inputs,
      secretOutputs,
    };
    const computed: Props = {};
    if (reg.type.startsWith("aws:")) {
      computed["arn"] = fakeArn(reg.type, reg.name, this.opts.config["aws:region"] ?? "us-west-2");
    }
    // Components answer with no outputs; RegisterResourceOutputs fills them in.
    const outputsFor = (known: boolean): Props => (reg.custom ? { ...plain, ...(known ? computed : {}) } : {});
    if (old === undefined) {
      this.step("create", urn, reg.type);
      const known = !this.opts.dryRun;
      return { ...base, id: reg.custom && known ? fakeId(urn) : "", outputs: outputsFor(known) };
    }
    if (sameValues(reveal(old.inputs), plain)) {
      this.step("same", urn, reg.type);
      return { ...base, id: old.id, outputs: old.outputs, secretOutputs: old.secretOutputs };
    }
    this.step("update", urn, reg.type);
    return { ...base, id: old.id, outputs: reg.custom ? outputsFor(true) : old.outputs };
  }

  /** Check, then create / diff → same | update | replace, through the real dynamic-provider host. */
  private async dynamic(urn: string, reg: Registration, provider: string): Promise<ResourceState> {
    const host = await this.hostFor();
    const { dryRun } = this.opts;
    const { plain, secretKeys } = splitSecrets(reg.inputs); // the host does not accept secrets
    const old = this.opts.prior.get(urn);
    const checked = await host.check(urn, old ? (reveal(old.inputs) as Props) : {}, plain);
    if (checked.failures.length > 0) {
      throw new Error(
        checked.failures
          .map((f) => `${reg.type} resource '${reg.name}': property ${f.property} has a problem: ${f.reason}`)
          .join("\n"),
      );
    }
    const inputs = checked.inputs;
    const secretOutputs = [...new Set([...secretKeys, ...reg.additionalSecretOutputs])];
    // In a preview the engine answers creates and updates with the checked inputs:
    // whatever only the provider computes stays unknown to the program.
    const state = (id: string, outputs: Props): ResourceState => ({
      urn,
      type: reg.type,
      custom: true,
      id,
      parent: reg.parent,
      provider,
      inputs: wrapSecrets(inputs, secretKeys),
      outputs,
      secretOutputs,
    });

    if (old === undefined) {
      const created = dryRun ? { id: "", properties: inputs } : await host.create(urn, inputs);
      this.step("create", urn, reg.type);
      return state(created.id, created.properties);
    }
    const diff = await host.diff(old.id, urn, old.outputs, inputs);
    if (diff.replaces.length > 0) {
      if (diff.deleteBeforeReplace || reg.deleteBeforeReplace) {
        await this.remove(old);
        this.step("delete-replaced", urn, reg.type);
      } else {
        this.replaced.push(old);
      }
      const created = dryRun ? { id: "", properties: inputs } : await host.create(urn, inputs);
      this.step("create-replacement", urn, reg.type);
      this.step("replace", urn, reg.type);
      return state(created.id, created.properties);
    }
    const changed = diff.changes === "some" || (diff.changes === "unknown" && !sameValues(reveal(old.inputs), inputs));
    if (!changed) {
      this.step("same", urn, reg.type);
      return state(old.id, old.outputs);
    }
    const updated = dryRun ? { properties: inputs } : await host.update(old.id, urn, old.outputs, inputs);
    this.step("update", urn, reg.type);
    return state(old.id, updated.properties);
  }
}

/**
 * A fake ARN for an AWS-typed resource: `arn:aws:<service>:<region>:<account>:<name>`, except that
 * IAM, a global service, has no region and names the resource type as AWS does
 * (`arn:aws:iam::123456789012:role/<name>`), so role ARNs pass providers' checks.
 */
function fakeArn(type: string, name: string, region: string): string {
  const [, module = "", resource = ""] = type.split(":");
  const service = module.split("/")[0] ?? "";
  if (service === "iam")
    return `arn:aws:iam::${FAKE_ACCOUNT}:${resource.charAt(0).toLowerCase()}${resource.slice(1)}/${name}`;
  return `arn:aws:${service}:${region}:${FAKE_ACCOUNT}:${name}`;
}

/** A stable fake ID in AWS's usual form (lowercase letters and digits), so IDs pass providers' checks. */
function fakeId(urn: string): string {
  return createHash("sha256").update(urn).digest("hex").slice(0, 20);
}
