/**
 * The receipt as a picture a resident keeps in the phone's album (WeChat's browser often clears a page's storage,
 * so the link alone is easily lost): drawn on a canvas, no library. Returns a PNG data URL.
 */
export function receiptImage(r: { title: string; lines: [string, string][]; code: [string, string]; hint: string }): string {
  const scale = 2;
  const width = 360;
  const height = 150 + r.lines.length * 28 + 70;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const g = canvas.getContext('2d');
  if (!g) return '';
  g.scale(scale, scale);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#b22222';
  g.fillRect(0, 0, width, 6);
  const font = (px: number, bold = false) => `${bold ? '600 ' : ''}${px}px system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif`;
  g.fillStyle = '#1f1f1f';
  g.font = font(18, true);
  g.fillText(r.title, 20, 40);
  let y = 76;
  for (const [label, value] of r.lines) {
    g.font = font(13);
    g.fillStyle = '#666666';
    g.fillText(label, 20, y);
    g.font = font(15);
    g.fillStyle = '#1f1f1f';
    g.fillText(value, 110, y);
    y += 28;
  }
  g.font = font(13);
  g.fillStyle = '#666666';
  g.fillText(r.code[0], 20, y + 8);
  g.font = `600 28px ui-monospace, "DejaVu Sans Mono", monospace`;
  g.fillStyle = '#1f1f1f';
  g.fillText(r.code[1], 20, y + 46);
  g.font = font(12);
  g.fillStyle = '#888888';
  g.fillText(r.hint, 20, height - 18);
  return canvas.toDataURL('image/png');
}
