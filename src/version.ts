// The product version, stamped on every resource sentryctl creates (label `.version`).
export const VERSION = "0.1.0";
