/** Rows from UPDATE … RETURNING come in no particular order; this puts them in publish order. */
export function idsInPublishOrder(rows: readonly { id: string; seq: bigint }[]): string[] {
  return [...rows].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)).map((row) => row.id);
}
