import { runApp } from "@/lib/runtime/run-app";

// `npm start`: the same start-up work as `npm run dev` (DEMO_DATA defaults to 0), then `next start`.
await runApp("start");
