import { runApp } from "@/lib/runtime/run-app";

// `npm run dev`: migrations, first admin, demo data on first start (DEMO_DATA=1), then `next dev`.
await runApp("dev");
