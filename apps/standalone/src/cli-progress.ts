/**
 * Progress of a long CLI step on stderr: a redrawn bar on a terminal, else one plain line when a step starts and
 * at each further tenth of it (logs stay short).
 */
export function progressReporter(out: NodeJS.WriteStream = process.stderr) {
  let current = '';
  let lastDraw = 0;
  let lastTenth = -1;
  const finishLine = () => {
    if (out.isTTY && current) {
      out.write('\n');
    }
  };
  const report = (label: string, done: number, total: number) => {
    if (label !== current) {
      finishLine();
      current = label;
      lastTenth = -1;
      lastDraw = 0;
    }
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    if (out.isTTY) {
      if (done < total && Date.now() - lastDraw < 100) {
        return;
      }
      lastDraw = Date.now();
      const width = 30;
      const filled = Math.round(ratio * width);
      out.write(
        `\r${label.padEnd(24).slice(0, 24)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      );
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      out.write(`${label}: ${done}/${total}\n`);
    }
  };
  return { report, done: finishLine };
}
