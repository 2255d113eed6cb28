// Module.symvers: what a built kernel really exports.
// Format (one per line, tab-separated): CRC, symbol, module, export type, namespace.

export interface SymversEntry {
  crc: string | null;
  symbol: string;
  module: string;
  exportType: string;
  namespace: string | null;
}

export function parseSymvers(text: string): SymversEntry[] {
  const out: SymversEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const cols = line.split('\t');
    if (cols.length < 4 || !/^[A-Za-z_][\w.$]*$/.test(cols[1] ?? '') || !/^EXPORT_/.test(cols[3] ?? '')) continue;
    out.push({ crc: /^0x[0-9a-f]+$/i.test(cols[0]!) ? cols[0]! : null, symbol: cols[1]!, module: cols[2]!, exportType: cols[3]!, namespace: cols[4]?.trim() || null });
  }
  return out;
}
