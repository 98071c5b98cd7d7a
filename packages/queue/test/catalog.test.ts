import { parseDeliverJob } from "../src/index.js";

describe("the job catalog", () => {
  it("accepts a versioned delivery job that holds an id only", () => {
    expect(parseDeliverJob({ v: 1, deliveryId: "msg_1" })).toEqual({ v: 1, deliveryId: "msg_1" });
  });

  it.each([[null], ["msg_1"], [{ deliveryId: "msg_1" }], [{ v: 2, deliveryId: "msg_1" }], [{ v: 1, deliveryId: "" }]])(
    "rejects %j",
    (data) => {
      expect(parseDeliverJob(data)).toBeUndefined();
    },
  );
});
