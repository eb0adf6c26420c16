// A short stamp of a live region's rendered rows. A page puts the stamp of what it rendered in
// its live-stream URL (`seen=`); the live stream, once subscribed, renders the rows again and
// sends them at once when the stamp differs. Without it an item that arrives between the page's
// render and the stream's subscription (a loaded machine, a slow browser) is never shown.

import { createHash } from "node:crypto";

export function rowsStamp(html: string): string {
  return createHash("sha1").update(html).digest("hex").slice(0, 16);
}
