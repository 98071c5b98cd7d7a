import { compileInboundPath, findEndpointClash, findEnvironmentClash, inboundPathProblem, inboundPathsOverlap } from "../src/index.js";

describe("inbound endpoint paths", () => {
  it.each([
    ["/webhook/stripe", undefined],
    ["/orders/:id", undefined],
    ["/orders/:id/items/:item_id", undefined],
    ["webhook", "must start with a slash, like /webhook/stripe"],
    ["/", "must name at least one segment, like /webhook"],
    ["/a//b", "must not contain empty segments (// or a trailing slash)"],
    ["/a/", "must not contain empty segments (// or a trailing slash)"],
    ["/:1x", "has an invalid parameter :1x: use :name with letters, digits and _"],
    ["/:id/:id", "names the parameter :id twice"],
  ])("%s: %s", (path, problem) => {
    expect(inboundPathProblem(path)).toBe(problem);
  });

  it.each([
    ["/orders/:id", "/orders/latest", true],
    ["/orders/:id", "/orders/:order", true],
    ["/orders/:id", "/orders/:id/items", false],
    ["/a/b", "/a/c", false],
    ["/:x/b", "/a/:y", true],
    ["/Orders", "/orders", false],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    expect(inboundPathsOverlap(a, b)).toBe(expected);
    expect(inboundPathsOverlap(b, a)).toBe(expected);
  });

  it("matches request paths and reads their parameters, decoded", () => {
    const pattern = compileInboundPath("/orders/:id/items/:item");
    expect(pattern.match("/orders/42/items/a%20b")).toEqual({ id: "42", item: "a b" });
    expect(pattern.match("/orders/42/items/7/")).toEqual({ id: "42", item: "7" });
    expect(pattern.match("/orders/42/items")).toBeUndefined();
    expect(pattern.match("/orders/42/things/7")).toBeUndefined();
    expect(pattern.match("/orders/%E0%A4%A/items/1")).toBeUndefined();
  });
});

describe("clashes between inbound endpoints", () => {
  const endpoint = (id: string, path: string, brandIds: string[] = [], method = "POST") => ({ id, path, method, brandIds });

  it("overlapping paths of one method clash when either has no brands or they share one", () => {
    expect(findEndpointClash(endpoint("a", "/x/:id"), [endpoint("b", "/x/latest")], [])?.id).toBe("b");
    expect(findEndpointClash(endpoint("a", "/x/:id", ["b1"]), [endpoint("b", "/x/latest")], [])?.id).toBe("b");
    expect(findEndpointClash(endpoint("a", "/x", ["b1", "b2"]), [endpoint("b", "/x", ["b2"])], [])?.id).toBe("b");
    expect(findEndpointClash(endpoint("a", "/x", ["b1"]), [endpoint("b", "/x", ["b2"])], [])).toBeUndefined();
    expect(findEndpointClash(endpoint("a", "/x"), [endpoint("b", "/x", [], "GET")], [])).toBeUndefined();
    // An endpoint does not clash with itself (an update).
    expect(findEndpointClash(endpoint("a", "/x"), [endpoint("a", "/x")], [])).toBeUndefined();
  });

  it("endpoints of different brands clash once an environment links both brands", () => {
    const endpoints = [endpoint("a", "/x", ["b1"]), endpoint("b", "/x", ["b2"])];
    expect(findEnvironmentClash(endpoints, [{ id: "e1", brandIds: ["b1"] }])).toBeUndefined();
    expect(findEnvironmentClash(endpoints, [{ id: "e1", brandIds: ["b1", "b2"] }])?.map((e) => e.id)).toEqual(["a", "b"]);
  });
});
