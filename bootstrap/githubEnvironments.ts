/**
 * The repository's side of the GitOps set-up: one GitHub environment per stack — reviewers,
 * deployments from the deploy branch only, and the deploy identity's client id as an environment
 * variable (readable only by jobs that run there) — and the repository variables every workflow reads.
 */
import * as pulumi from "@pulumi/pulumi";
import * as github from "@pulumi/github";
import { EnvironmentSettings, Reviewers } from "./config";
import { DEPLOY_BRANCH } from "./roles";

export interface GitHubEnvironmentArgs {
  readonly repository: string;
  readonly settings: EnvironmentSettings;
  /** The environment's deploy identity: `vars.AZURE_CLIENT_ID` in deploy-stack.yml. */
  readonly deployClientId: pulumi.Input<string>;
}

/** GitHub wants numeric ids; people know logins and team slugs, so they are looked up. */
function reviewerIds(reviewers: Reviewers, opts: pulumi.InvokeOptions): pulumi.Output<{ users: number[]; teams: number[] }> {
  const users = reviewers.users.map((username) => pulumi.output(github.getUser({ username }, opts)).apply((u) => Number(u.id)));
  const teams = reviewers.teams.map((slug) =>
    pulumi.output(github.getTeam({ slug, summaryOnly: true }, opts)).apply((t) => Number(t.id)),
  );
  return pulumi.all([pulumi.all(users), pulumi.all(teams)]).apply(([u, t]) => ({ users: u, teams: t }));
}

/** What gates jobs in an environment: reviewers who approve first, and the one branch allowed to run there. */
interface EnvironmentRules {
  readonly reviewers: Reviewers;
  readonly waitTimerMinutes?: number;
  /** Whether the one who started a run may not approve it (only where there are reviewers). */
  readonly preventSelfReview: boolean;
  /** Only this branch may run jobs there; default: any branch. */
  readonly branch?: string;
}

/** A GitHub environment with its rules; no administrator may bypass them. */
function protectedEnvironment(
  name: string,
  repository: string,
  rules: EnvironmentRules,
  parent: pulumi.Resource,
): github.RepositoryEnvironment {
  const hasReviewers = rules.reviewers.users.length + rules.reviewers.teams.length > 0;
  const environment = new github.RepositoryEnvironment(
    name,
    {
      repository,
      environment: name,
      reviewers: hasReviewers ? [reviewerIds(rules.reviewers, { parent })] : [],
      waitTimer: rules.waitTimerMinutes,
      preventSelfReview: hasReviewers && rules.preventSelfReview,
      // An administrator bypassing the approval or the branch rule would defeat them.
      canAdminsBypass: false,
      // Custom branch policies rather than "protected branches": the rule below names the branch.
      deploymentBranchPolicy: rules.branch ? { protectedBranches: false, customBranchPolicies: true } : undefined,
    },
    { parent },
  );
  if (rules.branch)
    new github.RepositoryEnvironmentDeploymentPolicy(
      `${name}-branch`,
      { repository, environment: environment.environment, branchPattern: rules.branch },
      { parent },
    );
  return environment;
}

export class GitHubEnvironment extends pulumi.ComponentResource {
  constructor(name: string, args: GitHubEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications-bootstrap:gitops:GitHubEnvironment", name, {}, opts);
    const { settings } = args;
    const environment = protectedEnvironment(
      settings.name,
      args.repository,
      {
        reviewers: settings.reviewers,
        waitTimerMinutes: settings.waitTimerMinutes,
        preventSelfReview: settings.preventSelfReview,
        branch: DEPLOY_BRANCH,
      },
      this,
    );
    new github.ActionsEnvironmentVariable(
      `${name}-client-id`,
      {
        repository: args.repository,
        environment: environment.environment,
        variableName: "AZURE_CLIENT_ID",
        value: args.deployClientId,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

export interface ReadOnlyEnvironmentArgs {
  readonly repository: string;
  /** Reviewers who must approve before a job starts there; none for the drift check. */
  readonly reviewers?: Reviewers;
  /** Only this branch may run jobs there (the drift check's); default: any branch (pull requests). */
  readonly branch?: string;
}

/**
 * A GitHub environment of read-only jobs (a reviewed preview, the drift check): it holds the
 * token that may read a stack (an environment secret, set by hand: see docs/gitops.md), so a job
 * gets it only after the environment's rules pass.
 */
export class ReadOnlyEnvironment extends pulumi.ComponentResource {
  constructor(name: string, args: ReadOnlyEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications-bootstrap:gitops:ReadOnlyEnvironment", name, {}, opts);
    protectedEnvironment(
      name,
      args.repository,
      // The pull request's author must not approve a preview of their own code.
      { reviewers: args.reviewers ?? { users: [], teams: [] }, preventSelfReview: true, branch: args.branch },
      this,
    );
    this.registerOutputs({});
  }
}

/** The repository variables the workflows read (`vars.*`); none is a secret. */
export function repositoryVariables(
  repository: string,
  values: Record<string, pulumi.Input<string>>,
  opts: pulumi.CustomResourceOptions,
): github.ActionsVariable[] {
  return Object.entries(values).map(
    ([variableName, value]) => new github.ActionsVariable(`variable-${variableName}`, { repository, variableName, value }, opts),
  );
}
