// Preloaded (NODE_OPTIONS --require) into the Next.js child of `npm run dev` / `npm start` and
// into every Node process it starts: exits as soon as the process's parent is gone. A `kill -9`
// of the owner (which holds PGlite) then cannot leave Next.js holding the port and answering 503s;
// Next's own worker (next dev) follows its parent the same way. Polls process.ppid, which changes
// when the parent dies and the process is re-parented (to init or a subreaper).
"use strict";
const expected = Number(process.env.UTMD_WATCH_PARENT);
if (Number.isInteger(expected) && expected > 0) {
  // This process's own children compare against this pid.
  process.env.UTMD_WATCH_PARENT = String(process.pid);
  const check = () => {
    if (process.ppid !== expected) {
      // Grandchildren started before this line inherited the parent's pid: a mismatch at start
      // is a process whose parent is already gone, or that was started by another tree; both exit.
      process.exit(1);
    }
  };
  check();
  setInterval(check, 500).unref();
}
