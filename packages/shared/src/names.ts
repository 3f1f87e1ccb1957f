/** `resource-group` → `resourceGroup`: Azure Pipelines names (task.json requires ^[A-Za-z][A-Za-z0-9]*$). */
export function kebabToCamel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `vnet-integrate-webapp` → `VnetIntegrateWebapp`. */
export function kebabToPascal(name: string): string {
  const camel = kebabToCamel(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

export const KEBAB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
