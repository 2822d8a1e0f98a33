/**
 * ARM's convention for the action a request needs, applied to a path template (Azure RBAC,
 * "Azure resource provider operations"): the namespace is the last `providers/<Namespace>` of the
 * path, the resource type is every type segment after it (segments alternate type and name), and
 * the verb comes from the method — GET is `read`, PUT and PATCH are `write`, DELETE is `delete`.
 * A POST ends in a segment of its own (`…/authorizationRules/{rule}/listKeys`): that segment is an
 * action, `<type>/<segment>/action`. A path without `providers/` is Microsoft.Resources' own
 * (`/subscriptions/{id}/resourcegroups/{name}` is `Microsoft.Resources/subscriptions/resourceGroups`).
 */
export type HttpMethod = "GET" | "PUT" | "PATCH" | "DELETE" | "POST";

const VERB: Readonly<Record<Exclude<HttpMethod, "POST">, string>> = {
  GET: "read",
  PUT: "write",
  PATCH: "write",
  DELETE: "delete",
};

/** A segment that names an instance (`{name}`) rather than a type. */
function isParameter(segment: string): boolean {
  return /^\{[^}]+\}$/.test(segment);
}

/** Microsoft.Resources' own types, spelled as its operation list spells them. */
const RESOURCES_TYPE_SPELLING: Readonly<Record<string, string>> = {
  subscriptions: "subscriptions",
  resourcegroups: "resourceGroups",
};

/** The action a request of `method` to `pathTemplate` needs. Throws when the path is not an ARM resource path. */
export function armAction(method: HttpMethod, pathTemplate: string): string {
  const segments = pathTemplate.split("/").filter((s) => s.length > 0);
  const lastProviders = segments.map((s) => s.toLowerCase()).lastIndexOf("providers");
  let namespace: string;
  let rest: string[];
  if (lastProviders >= 0) {
    namespace = segments[lastProviders + 1] ?? "";
    rest = segments.slice(lastProviders + 2);
  } else {
    namespace = "Microsoft.Resources";
    rest = segments.map((s) => (isParameter(s) ? s : (RESOURCES_TYPE_SPELLING[s.toLowerCase()] ?? s)));
  }
  if (!/^[A-Za-z]+\.[A-Za-z.]+$/.test(namespace) || rest.length === 0) {
    throw new Error(`${pathTemplate} is not an ARM resource path (no provider namespace and type).`);
  }
  const types: string[] = [];
  let action: string | undefined;
  for (let i = 0; i < rest.length; i += 2) {
    const type = rest[i];
    const name = rest[i + 1];
    if (name === undefined) {
      // An odd segment at the end: a POST's action name (listKeys, list, linkNotificationHub).
      action = type;
      break;
    }
    types.push(type);
  }
  const typePath = [namespace, ...types].join("/");
  if (method === "POST") {
    if (!action) throw new Error(`POST ${pathTemplate} names no action segment after the resource.`);
    return `${typePath}/${action}/action`;
  }
  if (action) {
    // A GET or PUT of a collection or of a fixed sub-path reads or writes the type it lists.
    return `${typePath}/${action}/${VERB[method]}`;
  }
  return `${typePath}/${VERB[method]}`;
}

/** Whether a role's pattern (ARM's `*` wildcard, any case, as role definitions use it) covers an action. */
export function patternCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return regex.test(action);
}

/** A role's effect on one action: granted by Actions (or DataActions) and not taken away by NotActions. */
export function permissionsAllow(
  permissions: { readonly allow: readonly string[]; readonly deny: readonly string[] },
  action: string,
): boolean {
  return permissions.allow.some((p) => patternCovers(p, action)) && !permissions.deny.some((p) => patternCovers(p, action));
}
