// sentryctl entry point: hand argv and the process's streams to the CLI edge, exit with its code.
import { processInputs, run } from "./src/cli/run.ts";
import { quietRuntimeWarnings } from "./src/runtime/warnings.ts";

// Invoked through a link named `devservices`: getsentry/devservices' command line (SPEC §3b).
const invokedAs = process.argv0.slice(process.argv0.lastIndexOf("/") + 1);
const argv = invokedAs === "devservices"
  ? ["devservices", ...process.argv.slice(2)]
  : process.argv.slice(2);
const ownArgs = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
quietRuntimeWarnings(
  ownArgs.includes("--verbose") || ownArgs.includes("-v")
    ? (line) => process.stderr.write(`debug: ${line}\n`)
    : undefined,
);

const inputs = processInputs();
const code = await run(argv, inputs);
// Output cut short by a closed reader (`sentryctl ps | head -1`): end as a pipeline expects.
process.exit(code === 0 && inputs.stdout.readerGone ? 141 : code);
