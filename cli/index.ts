import { Command } from "commander";
import { COMMANDS } from "./commands";

/** `npm run utm -- <command>` (SPEC 8). Each command lives in cli/commands/<name>.ts. */
const program = new Command()
  .name("utm")
  .description("UTM Dispatcher command line")
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

for (const register of COMMANDS) register(program);

await program.parseAsync(process.argv);
// postgres.js sockets or progress timers must not keep a finished command alive.
process.exit(process.exitCode ?? 0);
