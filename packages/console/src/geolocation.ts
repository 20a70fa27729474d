/**
 * Where this phone or computer is: the browser's position in WGS-84, to six decimals (about 0.1 m — what the
 * server keeps). Rejects when the browser has no position or the person refuses to share it. `precise`: a grid
 * worker on patrol waits longer for satellite positioning; a clerk or a resident takes what comes quickly.
 */
export function currentPosition(o: { precise?: boolean } = {}): Promise<{ lon: number; lat: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('no geolocation')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)) }),
      reject,
      o.precise ? { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 } : { timeout: 10_000 });
  });
}
