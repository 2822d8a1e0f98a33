import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { projectRoot, runTool } from "../support/runTool";

const comment = require("../../.github/scripts/policy-comment.js") as {
  commentBody(args: { stack: string; report?: string; errors?: string; sha: string; runUrl: string }): string;
  upsertPolicyComment(args: {
    github: unknown;
    context: unknown;
    stack: string;
    report?: string;
    errors?: string;
  }): Promise<string>;
};

const SHA = "0123456789abcdef0123456789abcdef01234567";
const RUN = "https://github.com/contoso/push/actions/runs/42";

interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

/** Octokit's shape as github-script hands it over, over an in-memory list of comments. */
function fakeGitHub(comments: FakeComment[]) {
  const listComments = async () => ({ data: comments });
  return {
    comments,
    paginate: async (fn: typeof listComments) => (await fn()).data,
    rest: {
      issues: {
        listComments,
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          comments.find((c) => c.id === comment_id)!.body = body;
        },
        createComment: async ({ body }: { body: string }) => {
          comments.push({ id: comments.length + 100, body, user: { login: "github-actions[bot]", type: "Bot" } });
        },
      },
    },
  };
}

const context = {
  repo: { owner: "contoso", repo: "push" },
  payload: { pull_request: { number: 7, head: { sha: SHA } } },
  serverUrl: "https://github.com",
  runId: 42,
};

describe("the pull request's policy comment", () => {
  it("replaces an earlier 'passed' with the plan's errors when the plan fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-comment-"));
    fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  acs-notifications:location: Mars\n");
    const failed = await runTool("plan", "--stack", "dev", "--dir", dir);
    expect(failed.code).toBe(1);

    const github = fakeGitHub([
      {
        id: 1,
        body: "<!-- acs-notifications-policy-report stack=dev -->\n### Policy report — stack `dev`: ✅ passed",
        user: { login: "github-actions[bot]", type: "Bot" },
      },
    ]);
    await comment.upsertPolicyComment({ github, context, stack: "dev", report: undefined, errors: failed.stderr });
    expect(github.comments).toHaveLength(1);
    const body = github.comments[0].body;
    expect(body).toMatch(
      /^<!-- acs-notifications-policy-report stack=dev -->\n### Policy report — stack `dev`: ❌ the plan failed/,
    );
    expect(body).toMatch(/acs-notifications:location: must be an Azure region name/);
    expect(body).not.toMatch(/✅/);
    expect(body).toContain(`Commit ${SHA.slice(0, 12)} · [workflow run](${RUN})`);
  });

  it("posts the report with the commit and the run, and never @-mentions anyone", () => {
    const report =
      "<!-- acs-notifications-policy-report stack=prod -->\n### ok\n| `x` | uses @Microsoft.KeyVault(SecretUri=…) and @octocat |";
    const body = comment.commentBody({ stack: "prod", report, sha: SHA, runUrl: RUN });
    expect(body.split("\n")[0]).toBe("<!-- acs-notifications-policy-report stack=prod -->");
    expect(body).not.toMatch(/@[A-Za-z0-9]/);
    expect(body).toContain("@\u200bMicrosoft.KeyVault");
    expect(body).toContain(`Commit ${SHA.slice(0, 12)}`);
  });

  it("edits only the workflow bot's own comment, not a user's comment that copies the marker", async () => {
    const marker = "<!-- acs-notifications-policy-report stack=dev -->";
    const github = fakeGitHub([{ id: 1, body: `${marker}\nI pasted this`, user: { login: "mallory", type: "User" } }]);
    await comment.upsertPolicyComment({ github, context, stack: "dev", report: `${marker}\n### fine` });
    expect(github.comments).toHaveLength(2);
    expect(github.comments[0].body).toBe(`${marker}\nI pasted this`);
    expect(github.comments[1].body).toMatch(/### fine/);
  });

  it("bounds the errors it quotes", () => {
    const errors = Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n");
    const body = comment.commentBody({ stack: "dev", errors, sha: SHA, runUrl: RUN });
    expect(body).toContain("line 59");
    expect(body).not.toContain("line 60\n");
    expect(body).toMatch(/… and 140 more lines in the run's log/);
  });

  it("is what the workflow runs, after every plan, whatever its outcome", () => {
    const workflow = parse(fs.readFileSync(path.join(projectRoot, ".github", "workflows", "pull-request.yml"), "utf8")) as {
      jobs: Record<string, { steps: { name?: string; if?: string; run?: string; with?: { script?: string } }[] }>;
    };
    const steps = workflow.jobs["policy-report"].steps;
    const post = steps.find((s) => s.with?.script?.includes("policy-comment.js"))!;
    expect(post.if).toBe("always()");
    const plan = steps.find((s) => s.run?.includes("npm run -s plan"))!;
    expect(plan.run).toMatch(/2> reports\/plan-errors-\$\{\{ matrix\.stack \}\}\.txt/);
  });
});
