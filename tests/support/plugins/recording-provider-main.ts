// A stand-in for a provider plugin that cannot be fetched here (pulumi-resource-aws,
// pulumi-resource-kubernetes), served by Pulumi's own provider server (`@pulumi/pulumi/provider`'s
// `main`) for the real engine to attach to through PULUMI_DEBUG_PROVIDERS. Started by
// `startRecordingProvider` as `node recording-provider-main.js <version> <record file>`;
// prints its port on stdout. Every create, update and delete is appended to the record file as a
// JSON line, with the properties exactly as the engine sent them (secrets still marked).
// The server answers CheckConfig and DiffConfig with UNIMPLEMENTED, which the engine (v3.274.1)
// takes as "config accepted as is" and "diff the config yourself", and Configure accepts any
// config, so no kubeconfig or AWS credentials are needed. With no check or diff here, the engine
// gets the inputs back from Check and diffs old and new inputs itself: a change is an update.
import { appendFileSync } from "node:fs";
import { main, type Provider } from "@pulumi/pulumi/provider";
import type { Props } from "../wire";
import { fakeOutputs } from "./fake-outputs";

const [version = "0.0.0", recordFile = "/dev/null"] = process.argv.slice(2);

function record(op: string, urn: string, properties: Props): void {
  appendFileSync(recordFile, JSON.stringify({ op, urn, properties }) + "\n");
}

const provider: Provider = {
  version,
  async create(urn: string, inputs: Props) {
    record("create", urn, inputs);
    const outs = fakeOutputs(urn, inputs);
    return { id: String(outs["id"]), outs };
  },
  async update(id: string, urn: string, olds: Props, news: Props) {
    record("update", urn, news);
    return { outs: { ...fakeOutputs(urn, news), id, ...pickIdentity(olds) } };
  },
  async delete(_id: string, urn: string, props: Props) {
    record("delete", urn, props);
  },
};

/** What an update keeps of the old outputs: the identity a real resource keeps (id, arn). */
function pickIdentity(olds: Props): Props {
  return Object.fromEntries(Object.entries(olds).filter(([name]) => name === "arn" || name === "id"));
}

// No engine address: the engine attaches to this server rather than starting it.
void main(provider, []);
