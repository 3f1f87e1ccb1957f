// @peculiar/x509 uses tsyringe, which refuses to load without the Reflect metadata API
// (normally from the `reflect-metadata` package). x509 only needs the minimal map below, so we
// provide it rather than adding a dependency. Must be imported before @peculiar/x509.
type Target = object;
const store = new WeakMap<Target, Map<string | symbol | undefined, Map<unknown, unknown>>>();

function table(target: Target, property: string | symbol | undefined, create: boolean) {
  let byProp = store.get(target);
  if (!byProp && create) store.set(target, (byProp = new Map()));
  let t = byProp?.get(property);
  if (!t && create && byProp) byProp.set(property, (t = new Map()));
  return t;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const getOwnMetadata = (key: unknown, target: Target, property?: string | symbol) => table(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: Target, property?: string | symbol): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const v = table(t, property, false);
      if (v?.has(key)) return v.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: Target, property?: string | symbol) => {
    table(target, property, true)!.set(key, value);
  };
  Object.assign(R, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: Target, property?: string | symbol) => getMetadata(key, target, property) !== undefined,
    hasOwnMetadata: (key: unknown, target: Target, property?: string | symbol) => table(target, property, false)?.has(key) ?? false,
    metadata: (key: unknown, value: unknown) => (target: Target, property?: string | symbol) => defineMetadata(key, value, target, property),
  });
}

export {};
