import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { AzureMocks, AzureMocksOptions } from "./azureMocks";

type Inputs = Record<string, unknown>;

/** A stable positive id for a login or slug, the way GitHub answers with numbers. */
function fakeNumericId(seed: string): string {
  return String(parseInt(createHash("sha256").update(seed).digest("hex").slice(0, 8), 16));
}

const GITHUB_MODELS: Record<string, (inputs: Inputs) => string> = {
  "github:index/repositoryEnvironment:RepositoryEnvironment": (i) => `${String(i.repository)}:${String(i.environment)}`,
  "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": (i) =>
    `${String(i.repository)}:${String(i.environment)}:${fakeNumericId(String(i.branchPattern))}`,
  "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": (i) =>
    `${String(i.repository)}:${String(i.environment)}:${String(i.variableName)}`,
  "github:index/actionsVariable:ActionsVariable": (i) => `${String(i.repository)}:${String(i.variableName)}`,
};

/**
 * Mocks for the bootstrap (bootstrap/): GitHub's resources and the two look-ups (users, teams)
 * answered like the GitHub provider, Azure's by {@link AzureMocks}. As strict: an unmodelled type throws.
 */
export class GitHubAndAzureMocks implements pulumi.runtime.Mocks {
  private readonly azure: AzureMocks;

  constructor(options: AzureMocksOptions = {}) {
    this.azure = new AzureMocks(options);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Inputs } {
    if (args.type === "pulumi:providers:github") return { id: `${args.name}-provider`, state: args.inputs };
    const model = GITHUB_MODELS[args.type];
    if (model) return { id: model(args.inputs), state: args.inputs };
    if (args.type.startsWith("github:"))
      throw new Error(`GitHubAndAzureMocks has no model for resource type ${args.type} (${args.name}).`);
    return this.azure.newResource(args);
  }

  call(args: pulumi.runtime.MockCallArgs): Inputs | Promise<Inputs> {
    if (args.token === "github:index/getUser:getUser") {
      const login = String(args.inputs.username);
      return { id: fakeNumericId(`user:${login}`), login, username: login };
    }
    if (args.token === "github:index/getTeam:getTeam") {
      const slug = String(args.inputs.slug);
      return { id: fakeNumericId(`team:${slug}`), slug, name: slug };
    }
    return this.azure.call(args);
  }
}
