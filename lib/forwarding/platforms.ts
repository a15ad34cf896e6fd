import type { Destination } from "./destinations";
import { google } from "./google";
import { meta } from "./meta";
import type { Platform } from "./platform";
import { tiktok } from "./tiktok";

export const PLATFORMS: Record<Destination, Platform> = { meta, google, tiktok };
