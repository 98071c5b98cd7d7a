import { useTestQueue } from "@hookline/testing";

const fixture = useTestQueue();

describe("releasing deliveries that waited for a failing endpoint", () => {
  it("makes their delayed jobs due now, and leaves alone what is not delayed", async () => {
    const later = new Date(Date.now() + 3_600_000);
    await fixture.queue.enqueueAt("msg_wait_1", later);
    await fixture.queue.enqueueAt("msg_wait_2", later);
    await fixture.queue.enqueue(["msg_due"]);
    expect(await fixture.queue.queue.getJobState("msg_wait_1")).toBe("delayed");

    await fixture.queue.promote(["msg_wait_1", "msg_wait_2", "msg_due", "msg_gone"]);

    expect(await fixture.queue.queue.getJobState("msg_wait_1")).toBe("waiting");
    expect(await fixture.queue.queue.getJobState("msg_wait_2")).toBe("waiting");
    expect(await fixture.queue.queue.getJobState("msg_due")).toBe("waiting");
    expect(await fixture.queue.queue.getDelayedCount()).toBe(0);
  });
});

describe("releasing many", () => {
  it("releases every one of a large backlog", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const ids = Array.from({ length: 250 }, (_, i) => `msg_many_${i}`);
    for (const id of ids) await fixture.queue.enqueueAt(id, later);

    await fixture.queue.promote(ids);

    expect(await fixture.queue.queue.getDelayedCount()).toBe(0);
    expect(await fixture.queue.queue.getWaitingCount()).toBeGreaterThanOrEqual(ids.length);
  });
});
