/**
 * The ARM actions a refresh (`pulumi preview --refresh`, the daily drift check) performs to read
 * a resource back, by ARM's convention for turning a request into an action: a GET of
 * `…/providers/NS/type/name` is `NS/type/read`, covered by `*\/read`; a POST of
 * `…/NS/type/name/list` is `NS/type/list/action`, which `*\/read` does not cover.
 *
 * azure-native reads most resources with the GET of their own path. Where the API has no GET, or
 * its GET leaves out what the resource holds, azure-native's resource generator picks the POST
 * `/list` path instead (pulumi/pulumi-azure-native, provider/pkg/gen: a resource's read path);
 * App Service's config documents are the ones: `WebApps_ListApplicationSettings` is
 * `POST …/config/appsettings/list` in Microsoft.Web's REST spec, and ARM authorizes it as
 * `Microsoft.Web/sites/config/list/action` ("List Web App's security sensitive settings" in the
 * provider's operation list). `WebAppAuthSettingsV2` is read with `GET …/config/authsettingsV2`
 * (`WebApps_GetAuthSettingsV2`): `Microsoft.Web/sites/config/read`, a read. test/tools/permissions holds
 * this table equal to what azure-native's published endpoints (`reports/allEndpoints.json`) derive.
 */
export const READ_BY_POST: Readonly<Record<string, string>> = {
  "azure-native:web:WebAppApplicationSettings": "Microsoft.Web/sites/config/list/action",
  "azure-native:web:WebAppConnectionStrings": "Microsoft.Web/sites/config/list/action",
  "azure-native:web:WebAppMetadata": "Microsoft.Web/sites/config/list/action",
  "azure-native:web:WebAppAuthSettings": "Microsoft.Web/sites/config/list/action",
};

/** The action reading one resource of this type back needs: a list action, or a read `*\/read` covers. */
export function refreshAction(type: string): string {
  return READ_BY_POST[type] ?? "*/read";
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

/** Whether a role's Actions (with ARM's `*` wildcards) include this action. */
export function roleAllows(actions: readonly string[], action: string): boolean {
  return actions.some((granted) => patternCovers(granted, action));
}
