import type { CliCommand } from "../context";
import { eraseCommand } from "./erase";
import { importCommand } from "./import";
import { migrateCommand } from "./migrate";
import { moveToPostgresCommand } from "./move-to-postgres";
import { ratesCommand } from "./rates";
import { costsCommand } from "./costs";
import { reportCommand } from "./report";
import { seedDemoCommand } from "./seed-demo";
import { setupReportsCommand } from "./setup-reports";
import { shopifyCommand } from "./shopify";
import { tokenCommand } from "./token";
import { userCommand } from "./user";

/**
 * Every `npm run utm` command. To add one (e.g. `report`, `setup-reports`): write
 * cli/commands/<name>.ts exporting a CliCommand and add it to this list.
 */
export const COMMANDS: CliCommand[] = [migrateCommand, seedDemoCommand, userCommand, tokenCommand, importCommand, eraseCommand, reportCommand, setupReportsCommand, moveToPostgresCommand, ratesCommand, costsCommand, shopifyCommand];
