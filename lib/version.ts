/** The product version, reported by the health endpoint and the CLI. */
export const version = '0.1.0';
