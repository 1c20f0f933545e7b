/** The router's version, reported by INFO's `# Router` section. */
export const ROUTER_VERSION = '0.1.0';
