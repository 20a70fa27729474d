/** The reports made from this phone (kept on the phone only, the newest 20). */
export function myReports(): { number: string; secret: string }[] {
  try {
    const v = JSON.parse(localStorage.getItem('fq.myReports') ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is { number: string; secret: string } => typeof x?.number === 'string' && typeof x?.secret === 'string') : [];
  } catch {
    return [];
  }
}
