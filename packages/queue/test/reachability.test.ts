import { publicFailure } from "@hookline/core";
import { describeRedisFailure } from "../src/index.js";

describe("describeRedisFailure", () => {
  it("says why Redis refused in words of its own", () => {
    const words = (error: unknown) => publicFailure(error, describeRedisFailure);
    expect(words(new Error("OOM command not allowed when used memory > 'maxmemory'."))).toBe("out of memory");
    expect(words(new Error("WRONGPASS invalid username-password pair or user is disabled."))).toBe("authentication failed");
    expect(words(new Error("ERR unknown command 'x'"))).toBe("error");
  });
});
