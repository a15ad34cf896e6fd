import type { CsvFile } from "@/lib/analytics/export-csv";

/** A CSV download (SPEC 4 export-csv): attachment with the export's file name, never cached. */
export function csvResponse(file: CsvFile): Response {
  return new Response(file.body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}
