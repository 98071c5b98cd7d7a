import { issueApiKey, newId, parseApiKey, secretMatches } from "../src/index.js";

describe("API keys", () => {
  it("round-trips: an issued key parses back to its id and its secret matches the stored hash", () => {
    const id = newId("apiKey");
    const issued = issueApiKey(id);
    const parsed = parseApiKey(issued.plaintext);
    expect(parsed?.keyId).toBe(id);
    expect(secretMatches(String(parsed?.secret), issued.secretHash)).toBe(true);
    expect(issued.secretHash.toString("base64url")).not.toContain(String(parsed?.secret));
  });

  it("refuses other secrets and malformed keys", () => {
    const issued = issueApiKey(newId("apiKey"));
    const other = parseApiKey(issueApiKey(newId("apiKey")).plaintext);
    expect(secretMatches(String(other?.secret), issued.secretHash)).toBe(false);
    for (const bad of ["", "abc", "key_x.y", `${newId("endpoint")}.${"a".repeat(43)}`, `${newId("apiKey")}.short`]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });

  it("gives ids of one kind that sort in creation order", () => {
    const ids = Array.from({ length: 50 }, () => newId("endpoint"));
    expect([...ids].sort()).toEqual(ids);
  });
});
