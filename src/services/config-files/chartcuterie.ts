// Default file for chartcuterie's `/etc/chartcuterie/config.js`. Sentry generates the real one
// from its frontend (`yarn build-chartcuterie-config`, chart styles for Slack unfurls); without a
// Sentry checkout there is nothing to build from, so this is a valid, empty configuration:
// chartcuterie starts and reports every chart type as unknown. Replace the file with Sentry's
// build output to render charts; sentryctl never overwrites it.

export const CHARTCUTERIE_CONFIG_JS = `// chartcuterie configuration for sentryctl: no chart types.
// Replace with the output of Sentry's \`yarn build-chartcuterie-config\` to render charts.
const config = { version: "sentryctl-empty-1", init() {}, renderConfig: new Map() };
module.exports = config;
module.exports.default = config;
`;
