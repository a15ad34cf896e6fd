import cliProgress from "cli-progress";

/**
 * A progress bar on stderr with the rate, for long work (demo data, imports). When stderr is not
 * a terminal (CI, logs) it prints a plain line every few seconds instead of redrawing.
 */
export type Progress = { update: (value: number) => void; stop: () => void };

export function progressBar(label: string, total: number, unit = "sessions"): Progress {
  const t0 = Date.now();
  const rate = (value: number) => Math.round(value / Math.max(0.001, (Date.now() - t0) / 1000));
  if (!process.stderr.isTTY) {
    let last = 0;
    return {
      update: (value) => {
        if (Date.now() - last < 5_000 && value < total) return;
        last = Date.now();
        process.stderr.write(`${label}: ${value.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${unit} (${rate(value).toLocaleString("en-US")}/s)\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  return {
    update: (value) => bar.update(value, { rate: rate(value) }),
    stop: () => bar.stop(),
  };
}
