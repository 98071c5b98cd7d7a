import { isId, newId } from "../src/ids.js";

describe("ids", () => {
  it("are UUIDv7s that sort in creation order, also many within one millisecond", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("event"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 100)) {
      expect(isId("event", id)).toBe(true);
      // Version 7, RFC 9562 variant.
      expect(id).toMatch(/^evt_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it("start with the current time", () => {
    const before = Date.now();
    const id = newId("delivery");
    const ms = parseInt(id.slice("msg_".length).replace(/-/g, "").slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });
});
