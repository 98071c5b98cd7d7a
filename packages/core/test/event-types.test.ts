import { eventTypeCandidates, eventTypeProblem, matchesEventType } from "../src/index.js";

describe("event type names and patterns", () => {
  it.each([
    ["entity.updated", "entity.updated", true],
    ["payment.*", "payment.created", true],
    ["*.created", "role.created", true],
    ["payment.*", "payment", false],
    ["payment.*", "payment.created.late", false],
    ["payment.*", "entity.created", false],
    ["*.*", "a.b", true],
  ])("%s matches %s: %s", (pattern, type, expected) => {
    expect(matchesEventType(pattern, type)).toBe(expected);
  });

  it("accepts object.action names and * segments only in patterns", () => {
    expect(eventTypeProblem("entity_user.created", false)).toBeUndefined();
    expect(eventTypeProblem("payment.*", true)).toBeUndefined();
    expect(eventTypeProblem("payment.*", false)).toBeDefined();
    expect(eventTypeProblem("entity", true)).toBeDefined();
    expect(eventTypeProblem("a..b", true)).toBeDefined();
    expect(eventTypeProblem(`a.${"b".repeat(200)}`, true)).toBeDefined();
  });
});

describe("eventTypeCandidates", () => {
  it("lists exactly the subscription entries that match, agreeing with matchesEventType", () => {
    const candidates = eventTypeCandidates("payment.created");
    expect(candidates.sort()).toEqual(["*.*", "*.created", "payment.*", "payment.created"]);
    for (const pattern of ["payment.*", "*.created", "*.*", "payment.created", "payment.updated", "entity.*", "*.*.*"]) {
      expect(candidates.includes(pattern)).toBe(matchesEventType(pattern, "payment.created"));
    }
  });
});
