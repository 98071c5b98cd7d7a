export { admitEvents, type EventToAdmit } from "./admission.js";
export {
  createPublisher,
  type EventToPublish,
  type Publisher,
  type Published,
  type PublisherOptions,
  type PublishOptions,
} from "./publisher.js";
export { publishGroups, type PublishGroupOptions } from "./publish-groups.js";
export { assertCompilableSchema, checkSubscriptionTypes } from "./registry-rules.js";
export { testEventFor, TEST_EVENT_TYPE, type TestEventRequest } from "./test-events.js";
