package org.careloop.app;

import io.vertx.core.http.HttpHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Meta signs the raw bytes of a webhook, so they must reach {@code WebhookIntake} as sent, whatever Content-Type the
 * request claims. Vert.x parses an {@code application/x-www-form-urlencoded} body as a form and Camel then hands the
 * route no body at all, so every such POST failed its signature check. This handler runs on the HTTP server before
 * the webhook route's own and drops the Content-Type of POSTs to the webhook path; the body is then read as bytes.
 * Registered once the HTTP server is up and before the routes (and their handlers) start.
 */
final class WebhookBodiesAsSent implements StartupListener {

    private final int httpPort;
    private final String path;

    WebhookBodiesAsSent(int httpPort, String path) {
        this.httpPort = httpPort;
        this.path = path;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // order -1: before the handlers the routes' consumers have added, which Vert.x numbers from 0
        VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(httpPort))
                .post(path).order(-1).handler(request -> {
            request.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            request.next();
        });
    }
}
