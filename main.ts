// sentryctl entry point: hand argv and the process's streams to the CLI edge, exit with its code.
import { processInputs, run } from "./src/cli/run.ts";

const code = await run(process.argv.slice(2), processInputs());
process.exit(code);
