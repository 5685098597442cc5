// CPU times of a process from Linux's /proc (clock ticks of 1/100 s).
import { readFileSync } from 'node:fs';

export interface ProcCpu {
  /** The process's own user + system time (ms). */
  ownMs: number;
  /** User + system time of the children it reaped, and theirs (ms). */
  reapedMs: number;
}

/** `pid`'s CPU (`'self'`: this process), or undefined once it is gone or off Linux. */
export function procCpu(pid: number | 'self'): ProcCpu | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": utime, stime, cutime, cstime are fields 14 to 17.
    const [utime, stime, cutime, cstime] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 15)
      .map((ticks) => Number(ticks) * 10);
    return { ownMs: utime + stime, reapedMs: cutime + cstime };
  } catch {
    return undefined;
  }
}
