import { run } from "./run.js";

// The program: bin/hookline.mjs imports this file. Exiting explicitly, so an idle keep-alive
// socket cannot hold a finished command open (stdout to a pipe or file is written synchronously).
process.exit(await run(process.argv.slice(2)));
