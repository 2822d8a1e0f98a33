import * as path from "node:path";

/**
 * What `require("typescript")` gives in tests (jest.config.js `moduleNameMapper`): TypeScript itself,
 * loaded on first use. The Pulumi SDK requires it when it loads, for its closure serializer, and jest
 * loads every module anew in each test file: TypeScript's 9 MB were then compiled and run in every
 * file that loads the SDK — half the SDK's load time — also in the many that never serialize a
 * dynamic provider. Under `pulumi up` and in the tools nothing changes: the SDK loads it as before.
 */
const packageDir = path.join(__dirname, "..", "..", "node_modules", "typescript");
const entry = path.join(packageDir, (require(path.join(packageDir, "package.json")) as { main: string }).main);

let typescript: object | undefined;
const load = (): object => (typescript ??= require(entry) as object);

module.exports = new Proxy(
  {},
  {
    get: (_target, key) => Reflect.get(load(), key),
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      // A proxy may only report a property configurable that its (empty) target could have.
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);
