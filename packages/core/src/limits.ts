/**
 * Limits that more than one layer must agree on, named once: the API validates against them and
 * the queue sizes its locks by them, so the two can never drift apart by hand.
 */

/** The longest an endpoint may ask Hookline to wait for its receiver (`timeout_seconds`). */
export const MAX_ENDPOINT_TIMEOUT_SECONDS = 60;
