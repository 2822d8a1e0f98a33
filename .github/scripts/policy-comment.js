// The pull-request workflow's policy comment, one per stack, kept current: run by actions/github-script
// (`require` from the workspace), tested in test/gitops/policyComment.test.ts. Plain JavaScript so that
// the workflow needs no build step.
"use strict";

const MAX_ERROR_LINES = 60;

/** The marker that identifies a stack's comment; the first line of every body. */
function markerOf(stack) {
  return `<!-- acs-notifications-policy-report stack=${stack} -->`;
}

/**
 * `@name` renders as a mention and notifies whoever owns the name (`@Microsoft.KeyVault(…)` pings
 * the Microsoft organisation). A zero-width space after `@` keeps the text and drops the mention.
 */
function withoutMentions(text) {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, "@\u200b");
}

/**
 * The comment for one stack and one commit: the markdown report when the plan produced one, else
 * a failure listing the plan's errors — so a comment never says "passed" for a run that failed.
 */
function commentBody({ stack, report, errors, sha, runUrl }) {
  const footer = `\n\n---\nCommit ${sha.slice(0, 12)} · [workflow run](${runUrl})`;
  if (report !== undefined && report.trim() !== "") {
    const lines = report.split("\n");
    const body = lines[0] === markerOf(stack) ? lines.slice(1).join("\n") : report;
    return `${markerOf(stack)}\n${withoutMentions(body)}${footer}`;
  }
  const errorLines = (errors ?? "").trim().split("\n").filter(Boolean);
  const shown = errorLines.slice(0, MAX_ERROR_LINES);
  const more = errorLines.length > shown.length ? `\n… and ${errorLines.length - shown.length} more lines in the run's log` : "";
  return (
    [
      markerOf(stack),
      `### Policy report — stack \`${stack}\`: ❌ the plan failed`,
      "",
      "No policy was evaluated: the offline plan stopped first. Its errors:",
      "",
      "```text",
      withoutMentions(shown.join("\n") || "(no error output; see the run's log)") + more,
      "```",
    ].join("\n") + footer
  );
}

/** Only the workflow's own bot's comments are ever edited; anyone can paste a marker. */
function isOwnComment(comment, stack) {
  return (
    comment.user !== null &&
    comment.user !== undefined &&
    comment.user.login === "github-actions[bot]" &&
    comment.user.type === "Bot" &&
    typeof comment.body === "string" &&
    comment.body.startsWith(markerOf(stack))
  );
}

/** Creates or replaces the stack's comment on the pull request. */
async function upsertPolicyComment({ github, context, stack, report, errors }) {
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const body = commentBody({
    stack,
    report,
    errors,
    sha: context.payload.pull_request.head.sha,
    runUrl: `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
  });
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const existing = comments.find((c) => isOwnComment(c, stack));
  if (existing) await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return body;
}

module.exports = { commentBody, isOwnComment, markerOf, upsertPolicyComment, withoutMentions };
