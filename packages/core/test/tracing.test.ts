import { parseTraceparent, TRACEPARENT_PATTERN } from "../src/index.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";

describe("parseTraceparent", () => {
  it("reads a version 00 header: the trace, the parent span and the sampled flag", () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: false });
    // Other flag bits are not "sampled".
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-02`)?.sampled).toBe(false);
  });

  it("reads a later version by its first four fields", () => {
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-what-comes-next`)).toEqual({ traceId: TRACE, spanId: SPAN, sampled: true });
  });

  it("refuses what W3C Trace Context calls invalid, so that a new trace starts", () => {
    for (const bad of [
      undefined,
      "",
      `ff-${TRACE}-${SPAN}-01`,
      `00-${"0".repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${"0".repeat(16)}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}`,
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });

  it("has a pattern for the form Hookline writes", () => {
    const pattern = new RegExp(TRACEPARENT_PATTERN);
    expect(pattern.test(`00-${TRACE}-${SPAN}-01`)).toBe(true);
    expect(pattern.test(`01-${TRACE}-${SPAN}-01`)).toBe(false);
  });
});
