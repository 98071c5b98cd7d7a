import { Route, Router } from "preact-iso";
import { Layout } from "./layout.js";
import { useDashboard } from "./session.js";
import { CustomersPage } from "./pages/customers.js";
import { DeliveryPage } from "../shared/pages/delivery.js";
import { EndpointPage } from "../shared/pages/endpoint.js";
import { EndpointsPage } from "../shared/pages/endpoints.js";
import { EventTypesPage } from "./pages/event-types.js";
import { EventPage } from "./pages/event.js";
import { EventsPage } from "./pages/events.js";
import { InboundPage } from "./pages/inbound.js";
import { InboundEndpointPage } from "./pages/inbound-endpoint.js";
import { ExecutionPage } from "./pages/inbound-execution.js";
import { IntegrationsPage } from "./pages/integrations.js";
import { IntegrationPage } from "./pages/integrations-detail.js";
import { NotFound } from "./pages/not-found.js";
import { OverviewPage } from "./pages/overview.js";
import { TenantsPage } from "./pages/tenants.js";

export function Routes() {
  const { session } = useDashboard();
  return (
    <Layout>
      {session.kind === "admin" ? (
        <Router>
          <Route path="/dashboard" component={TenantsPage} />
          <Route path="/dashboard/tenants" component={TenantsPage} />
          <Route default component={NotFound} />
        </Router>
      ) : (
        <Router>
          <Route path="/dashboard" component={OverviewPage} />
          <Route path="/dashboard/endpoints" component={EndpointsPage} />
          <Route path="/dashboard/endpoints/:id" component={EndpointPage} />
          <Route path="/dashboard/deliveries/:id" component={DeliveryPage} />
          <Route path="/dashboard/events" component={EventsPage} />
          <Route path="/dashboard/events/:id" component={EventPage} />
          <Route path="/dashboard/event-types" component={EventTypesPage} />
          <Route path="/dashboard/customers" component={CustomersPage} />
          <Route path="/dashboard/inbound" component={InboundPage} />
          <Route path="/dashboard/inbound/:id" component={InboundEndpointPage} />
          <Route path="/dashboard/executions/:id" component={ExecutionPage} />
          <Route path="/dashboard/integrations" component={IntegrationsPage} />
          <Route path="/dashboard/integrations/:id" component={IntegrationPage} />
          <Route default component={NotFound} />
        </Router>
      )}
    </Layout>
  );
}
